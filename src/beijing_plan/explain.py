"""Explanations: plain text that lets a reader recompute a result by hand.

[`explain`][beijing_plan.explain.explain] writes, in English or Chinese, how each figure of a result
was reached: the formula with the actual numbers, one line per contribution, how
coverage and the expected value were computed, and the status rule that applied.
It is what [`beijing_plan.assessment.Result.explain`][beijing_plan.assessment.Result.explain]
returns.

Titles, notes, sources and ids are quoted with every control or bidirectional
character (a newline included) shown escaped, as `\\x1b` or `\\u202e`, so
each line of the text stays one line and cannot act on the terminal that
shows it.

Fractions are written with four decimals, weights with up to fifteen significant
digits and quantities exactly; sums are exact sums of the terms listed
(`math.fsum`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

import pendulum

from ._engine.completion import counted_points, in_force
from ._engine.revisions import item_in_force
from ._engine.rollup import Contribution
from ._engine.schedule import Forecast, planned_points, window
from ._safe import terminal
from ._words import COLOUR_NAMES_ZH, EXPLAIN_WORDS
from .exceptions import PlanValidationError
from .ledger import REVISED_FIELDS, Ledger, Observation, Record, Revision, Status
from .model import Aggregation, Comparator, Milestone, Plan, Policy, Target, Task, Text
from .rules import Progress, Rules
from .units import Quantity, computed

__all__ = ["Explainable", "explain"]

_Item = TypeVar("_Item", bound=Task | Policy | Milestone | Target)


class Explainable(Protocol):
    """What [`explain`][beijing_plan.explain.explain] reads from a result."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> Text: ...
    @property
    def completion(self) -> float | None: ...
    @property
    def expected(self) -> float | None: ...
    @property
    def spi(self) -> float | None: ...
    @property
    def status(self) -> Progress: ...
    @property
    def coverage(self) -> float | None: ...
    @property
    def weight(self) -> float: ...
    @property
    def due(self) -> pendulum.Date | None: ...
    @property
    def ratio(self) -> float | None: ...
    @property
    def current(self) -> Quantity | None: ...
    @property
    def forecast(self) -> Forecast | None: ...
    @property
    def rule(self) -> str | None: ...
    @property
    def contributions(self) -> tuple[Contribution, ...]: ...


def _f(value: float | None, words: Mapping[str, str]) -> str:
    return words["none"] if value is None else f"{value:.4f}"


def _w(value: float) -> str:
    return f"{value:.15g}"


class _Writer:
    def __init__(
        self,
        result: Explainable,
        *,
        plan: Plan,
        ledger: Ledger,
        as_of: pendulum.Date,
        rules: Rules,
        lang: str,
    ) -> None:
        self.result = result
        self.plan = plan
        self.ledger = ledger
        self.as_of = as_of
        self.rules = rules
        self.lang = lang
        self.words = EXPLAIN_WORDS[lang]
        self.lines: list[str] = []

    def say(self, key: str, **values: object) -> None:
        """Add a line; what it quotes from the plan or the ledger is shown escaped."""
        self.lines.append(terminal(self.words[key].format(**values)))

    def colour_name(self, colour: str) -> str:
        """The default colours by their Chinese names in Chinese text; others as given."""
        return COLOUR_NAMES_ZH.get(colour, colour) if self.lang == "zh" else colour

    def num(self, value: float | None) -> str:
        return _f(value, self.words)

    def records(self, item_id: str) -> tuple[Record, ...]:
        return self.ledger.by_item().get(item_id, ())

    def revisions_of(self, item_id: str) -> list[Revision]:
        """The item's revisions that count up to the date, oldest first."""
        limit = self.as_of.toordinal()
        return [
            r for r in self.records(item_id) if type(r) is Revision and r.on.toordinal() <= limit
        ]

    def in_force(self, item: _Item) -> _Item:
        """`item` as in force at the date under the rules' basis."""
        if self.rules.basis == "original":
            return item
        found = self.revisions_of(item.id)
        return item_in_force(item, found, self.as_of.toordinal()) if found else item

    def revisions(self, item: Task | Policy | Milestone | Target) -> None:
        """One line for each revision of `item` up to the date: what it changed, from
        what, when, why and who approved it."""
        found = self.revisions_of(item.id)
        if not found:
            return
        if self.rules.basis == "original":
            self.say("rev_ignored", n=len(found))
            return
        words = self.words
        before: dict[str, object] = {
            name: getattr(
                item, "deadline" if name == "due" and isinstance(item, Target) else name, None
            )
            for name in REVISED_FIELDS
        }
        for revision in found:
            parts = []
            for name, new in revision.changes().items():
                old = before[name]
                key = "rev_changed"
                if name == "due" and isinstance(old, pendulum.Date):
                    key = "rev_extended" if new > old else "rev_forward"  # type: ignore[operator]
                shown_old = words["none"] if old is None else _shown(old)
                parts.append(
                    words[key].format(field=words["rev_" + name], new=_shown(new), old=shown_old)
                )
                before[name] = new
            why = words["rev_why"].format(reason=revision.reason) if revision.reason else ""
            who = ""
            if revision.approved_by:
                who = words["rev_who"].format(who=words["rev_sep"].join(revision.approved_by))
            self.say(
                "rev_line", parts=words["rev_and"].join(parts), on=revision.on, why=why, who=who
            )

    def notes(self, item_id: str) -> None:
        """The notes and sources of the item's records up to the date, for the reader to weigh."""
        limit = self.as_of.toordinal()
        for record in self.records(item_id):
            if record.on.toordinal() > limit or (record.note is None and record.source is None):
                continue
            parts = [record.note] if record.note else []
            if record.source is not None:
                parts.append(self.words["source"].format(source=record.source.title))
            self.say("note", on=record.on, note=" ".join(parts))

    # -- groups ---------------------------------------------------------------------------

    def group(self, covered: float | None) -> None:
        result = self.result
        rows = result.contributions
        counted = [row for row in rows if row.counted]
        nested = self.rules.rollup == "nested"
        if not counted or result.completion is None:
            self.say("nested_none" if nested else "flat_none")
        elif nested:
            total = math.fsum(row.completion or 0.0 for row in counted)
            self.say(
                "nested",
                n=len(counted),
                total=len(rows),
                num=self.num(total),
                value=self.num(result.completion),
            )
        else:
            num = math.fsum(row.weight * (row.completion or 0.0) for row in counted)
            den = math.fsum(row.weight for row in counted)
            self.say(
                "flat",
                n=len(counted),
                total=len(rows),
                num=self.num(num),
                den=_w(den),
                value=self.num(result.completion),
            )
        self.rows(rows)
        if counted and result.expected is not None:
            if nested:
                total = math.fsum(row.expected or 0.0 for row in counted)
                self.say(
                    "nested_expected",
                    n=len(counted),
                    num=self.num(total),
                    value=self.num(result.expected),
                )
            else:
                num = math.fsum(row.weight * (row.expected or 0.0) for row in counted)
                den = math.fsum(row.weight for row in counted)
                self.say(
                    "flat_expected", num=self.num(num), den=_w(den), value=self.num(result.expected)
                )
        else:
            self.say("expected_none")
        if result.coverage is None or covered is None:
            self.say("coverage_none")
        else:
            self.say(
                "coverage", num=_w(covered), den=_w(result.weight), value=self.num(result.coverage)
            )

    def rows(self, rows: Sequence[Contribution]) -> None:
        for row in rows:
            kind = self.words.get(row.kind, row.kind)
            title = row.title.get(self.lang)
            if row.counted:
                self.say(
                    "line",
                    kind=kind,
                    id=row.id,
                    title=title,
                    w=_w(row.weight),
                    c=self.num(row.completion),
                    e=self.num(row.expected),
                    share=self.num(row.share),
                    adds=self.num(row.adds),
                    reason=row.reason,
                )
            else:
                self.say(
                    "line_out",
                    kind=kind,
                    id=row.id,
                    title=title,
                    w=_w(row.weight),
                    reason=row.reason,
                )

    # -- leaves ---------------------------------------------------------------------------

    def leaf(self) -> None:
        result = self.result
        status = in_force(self.records(result.id), self.as_of.toordinal())
        on = status.on if status is not None else self.words["none"]
        rule = result.rule
        value = self.num(result.completion)
        if rule == "parts":
            rows = result.contributions
            counted = [row for row in rows if row.counted]
            num = math.fsum(row.weight * (row.completion or 0.0) for row in counted)
            den = math.fsum(row.weight for row in counted)
            self.say("parts", num=self.num(num), den=_w(den), value=value)
            self.rows(rows)
        elif rule == "percent":
            assert status is not None
            self.say("percent", percent=f"{status.percent:g}", on=on, value=value)
        elif rule == "missing" and status is not None:
            self.say("missing_in_progress", on=on, value=value, missing=self.rules.missing)
        elif rule == "missing":
            self.say("missing", value=value, missing=self.rules.missing)
        else:
            self.say(str(rule), on=on, value=value)
        self.coverage_leaf()

    def coverage_leaf(self) -> None:
        coverage = self.result.coverage
        if coverage is None:
            self.say("coverage_weight_zero")
            return
        why = self.words["has_record" if coverage else "no_record"]
        self.say("coverage_leaf", value=self.num(coverage), why=why)

    def target(self, target: Target) -> None:
        result = self.result
        observations = [r for r in self.records(target.id) if isinstance(r, Observation)]
        points = counted_points(
            target,
            observations,
            as_of=self.as_of.toordinal(),
            plan_start=self.plan.start.toordinal(),
        )
        unit = target.value.unit
        if not points or result.current is None:
            self.say("no_observations", as_of=self.as_of)
            self.say("target_none")
            if result.rule == "missing":
                self.say(
                    "missing_leaf", value=self.num(result.completion), missing=self.rules.missing
                )
        else:
            listed = ", ".join(
                f"{pendulum.Date.fromordinal(d)}: {computed(v, unit)}" for d, v in points
            )
            self.say("observations", as_of=self.as_of, points=listed)
            self.say(
                "aggregate",
                aggregation=target.aggregation.value,
                formula=_aggregate_formula(target, [v for _, v in points]),
                value=result.current,
            )
            self.say(
                "attainment",
                comparator=target.comparator.value,
                formula=_attainment_formula(target, result.current),
                ratio=self.num(result.ratio),
                value=self.num(result.completion),
            )
        self.coverage_leaf()

    def outlook(self) -> None:
        outlook = self.result.forecast
        if outlook is None:
            self.say("forecast_none")
        else:
            self.say(
                "forecast",
                n=outlook.points,
                slope=f"{outlook.slope:.6g}",
                value=outlook.value,
                on=outlook.on,
                verdict=self.words["meets" if outlook.would_meet else "misses"],
            )

    def milestone(self) -> None:
        status = in_force(self.records(self.result.id), self.as_of.toordinal())
        if status is None:
            self.say("milestone_none")
        elif status.status is Status.CANCELLED:
            self.say("ms_cancelled", on=status.on)
        else:
            self.say(
                "ms_status",
                value=self.num(self.result.completion),
                status=status.status.value,
                on=status.on,
            )
        self.coverage_leaf()

    def schedule(self, item: Task | Policy | Target | Milestone) -> None:
        parent = self.plan.parent_of(item.id)
        owner = self.plan[parent] if parent is not None else None
        task = self.in_force(owner) if isinstance(owner, Task) else None
        start, due, points = window(
            item,
            plan_start=self.plan.start.toordinal(),
            plan_end=self.plan.end.toordinal(),
            task=task,
        )
        day = self.as_of.toordinal()
        value = self.num(self.result.expected)
        start = min(start, due)
        if day > due or (day == due and not points):
            self.say("after", due=pendulum.Date.fromordinal(due))
        elif day < start or (day == start and not points):
            self.say("before", start=pendulum.Date.fromordinal(start))
        elif points:
            listed = ", ".join(
                f"({pendulum.Date.fromordinal(d)}, {f:g})"
                for d, f in planned_points(start, due, points)
            )
            self.say("trajectory", points=listed, value=value)
        else:
            self.say(
                "linear",
                start=pendulum.Date.fromordinal(start),
                due=pendulum.Date.fromordinal(due),
                k=day - start,
                n=due - start,
                value=value,
            )

    # -- common ---------------------------------------------------------------------------

    def spi(self) -> None:
        result = self.result
        if result.spi is not None:
            self.say(
                "spi",
                c=self.num(result.completion),
                e=self.num(result.expected),
                value=self.num(result.spi),
            )
        else:
            zero = result.expected is not None and result.expected <= 0.0
            self.say("spi_none", why=self.words["spi_zero" if zero else "spi_unknown"])

    def status(self) -> None:
        result, rules = self.result, self.rules
        status = result.status
        key = "st_" + status.value
        if status is Progress.ON_TRACK and result.spi is None:
            key = "st_on_zero"
        self.say(
            key,
            label=rules.label(status, self.lang),
            colour=self.colour_name(rules.colour(status)),
            c=self.num(result.completion),
            as_of=self.as_of,
            due=result.due,
            spi=self.num(result.spi),
            on_track=_w(rules.on_track),
            at_risk=_w(rules.at_risk),
        )


def _shown(value: object) -> str:
    return _w(value) if isinstance(value, float) else str(value)


def _aggregate_formula(target: Target, values: list[object]) -> str:
    shown = [str(v) for v in values]
    aggregation = target.aggregation
    if aggregation is Aggregation.LAST:
        return f"last({', '.join(shown)})"
    if aggregation is Aggregation.MAX:
        return f"max({', '.join(shown)})"
    if aggregation is Aggregation.MIN:
        return f"min({', '.join(shown)})"
    if aggregation is Aggregation.MEAN:
        return f"({' + '.join(shown)}) / {len(shown)}"
    start = "0"
    if target.baseline is not None:
        start = str(target.baseline.value.to(target.value.unit).value)
    return f"{start} + {' + '.join(shown)}"


def _attainment_formula(target: Target, current: Quantity) -> str:
    unit = target.value.unit
    c, t = current.to(unit).value, target.value.value
    b = None if target.baseline is None else target.baseline.value.to(unit).value
    comparator = target.comparator
    if comparator is Comparator.AT_LEAST:
        if b is not None and t > b:
            return f"(c - b) / (T - b) = ({c} - {b}) / ({t} - {b})"
        if t > 0:
            return f"c / T = {c} / {t}"
        return f"T = {t} <= 0: 1 if c >= T else 0, c = {c}"
    if comparator is Comparator.AT_MOST:
        if b is not None and b > t:
            return f"(b - c) / (b - T) = ({b} - {c}) / ({b} - {t})"
        return f"1 if c <= T else 0, c = {c}, T = {t}"
    if comparator is Comparator.EXACTLY:
        return f"1 if c = T else 0, c = {c}, T = {t}"
    assert target.upper is not None
    upper = target.upper.to(unit).value
    return f"1 if T <= c <= U else 0, c = {c}, T = {t}, U = {upper}"


def explain(
    result: Explainable,
    *,
    plan: Plan,
    ledger: Ledger,
    as_of: pendulum.Date,
    rules: Rules,
    covered: float | None = None,
    lang: str = "en",
) -> str:
    """Explain `result` in `lang` (`"en"` or `"zh"`).

    Args:
        result: A result of an assessment of `plan`.
        plan: The plan assessed.
        ledger: The ledger it was assessed against.
        as_of: The date of the assessment.
        rules: The rules applied.
        covered: For a group, the weight of its leaves with a record.
        lang: The language of the text.

    Raises:
        PlanValidationError: for a language other than `"en"` and `"zh"`.
    """
    if lang not in EXPLAIN_WORDS:
        raise PlanValidationError([("lang", f"{lang!r} is not one of 'en', 'zh'")])
    writer = _Writer(result, plan=plan, ledger=ledger, as_of=as_of, rules=rules, lang=lang)
    words = writer.words
    writer.say(
        "header", kind=words[result.kind], id=result.id, title=result.title.get(lang), as_of=as_of
    )
    item = plan.get(result.id) if result.kind != "plan" else None
    if isinstance(item, Task | Policy | Milestone | Target) and result.kind != "plan":
        writer.revisions(item)
    if result.kind in {"plan", "measure", "theme"}:
        writer.group(covered)
    elif isinstance(item, Target):
        current = writer.in_force(item)
        writer.target(current)
        writer.schedule(current)
        writer.outlook()
    elif isinstance(item, Milestone):
        writer.milestone()
        writer.schedule(writer.in_force(item))
    elif isinstance(item, Task | Policy):
        writer.leaf()
        writer.schedule(writer.in_force(item))
    writer.spi()
    writer.status()
    if item is not None:
        writer.notes(item.id)
    return "\n".join(writer.lines)
