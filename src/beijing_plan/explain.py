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

Fractions are written with four decimals and weights with up to fifteen
significant digits; quantities (observations, current values, goals, forecasts)
are rounded for their unit as every view rounds them ([How numbers are
shown][how-numbers-are-shown]: counts whole, money to 2 decimals, percentages to
1), while the result keeps the exact values. Sums are exact sums of the terms
listed (`math.fsum`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

import pendulum

from ._engine.completion import counted_points, in_force
from ._engine.revisions import item_in_force
from ._engine.rollup import Contribution
from ._engine.schedule import Forecast, planned_points, window
from ._numbers import amount_text, quantity_text
from ._safe import terminal
from ._words import COLOUR_NAMES_ZH, EXPLAIN_TERMS, EXPLAIN_WORDS, RECORD_STATUS_TEXT
from .exceptions import PlanValidationError
from .ledger import (
    REVISED_FIELDS,
    Ledger,
    Observation,
    Record,
    Revision,
    Status,
    StatusChange,
    Withdrawal,
)
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
        entered: Ledger,
        known_at: pendulum.Date | None,
    ) -> None:
        self.result = result
        self.plan = plan
        self.ledger = ledger
        self.entered = entered
        self.known_at = known_at
        self.as_of = as_of
        self.rules = rules
        self.lang = lang
        self.words = EXPLAIN_WORDS[lang]
        self.terms = EXPLAIN_TERMS[lang]
        self.lines: list[str] = []

    def say(self, key: str, **values: object) -> None:
        """Add a line; what it quotes from the plan or the ledger is shown escaped."""
        self.lines.append(terminal(self.words[key].format(**values)))

    def colour_name(self, colour: str) -> str:
        """The default colours by their Chinese names in Chinese text; others as given."""
        return COLOUR_NAMES_ZH.get(colour, colour) if self.lang == "zh" else colour

    def term(self, value: str) -> str:
        """A reason, aggregation or comparator as the language names it."""
        return self.terms.get(value, value)

    def missing(self) -> str:
        """How the rules count an item with no data, in words."""
        return self.words["missing_" + self.rules.missing]

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

    # -- knowledge time and corrections --------------------------------------------------

    def knowledge(self) -> None:
        """Whose knowledge the figures use, when it is not everything entered."""
        if self.known_at is not None:
            self.say("known_at", known_at=self.known_at)

    def corrections(self, item_id: str) -> None:
        """What the item's records up to the date correct, and its records withdrawn."""
        limit = self.as_of.toordinal()
        linked = [
            r
            for r in self.records(item_id)
            if r.on.toordinal() <= limit and getattr(r, "supersedes", None) is not None
        ]
        withdrawals = [r for r in self.entered if type(r) is Withdrawal]
        if not linked and not withdrawals:
            return
        by_id = self.entered.by_id()
        words = self.words
        for record in linked:
            text, current = words["corrects"], record
            parts: list[str] = []
            while (named := getattr(current, "supersedes", None)) is not None:
                old = by_id.get(named)
                if old is None:  # a part of a ledger, without the record corrected
                    break
                parts.append(
                    text.format(
                        on=record.on,
                        value=_described(record, self.lang),
                        old=_described(old, self.lang),
                        of="" if old.on == current.on else words["of_day"].format(on=old.on),
                        recorded=old.recorded or old.on,  # type: ignore[union-attr]
                        why=self.because(current),
                    )
                )
                text, current = words["corrected_before"], old
            if parts:
                self.lines.append(terminal("".join(parts)))
        self.withdrawn(item_id, withdrawals, by_id)

    def withdrawn(
        self, item_id: str, withdrawals: Sequence[Withdrawal], by_id: Mapping[str, Record]
    ) -> None:
        """The withdrawals in force of the item's records that would otherwise count."""
        limit = self.as_of.toordinal()
        known = None if self.known_at is None else self.known_at.toordinal()
        for withdrawal in withdrawals:
            taken = by_id.get(withdrawal.record)
            if (
                taken is None
                or getattr(taken, "item", None) != item_id
                or taken.on.toordinal() > limit
            ):
                continue
            entered = taken.recorded or taken.on  # type: ignore[union-attr]
            if known is not None and max(withdrawal.on, entered).toordinal() > known:
                continue
            self.say(
                "withdrawn",
                on=withdrawal.on,
                day=taken.on,
                value=_described(taken, self.lang),
                recorded=entered,
                why=self.because(withdrawal),
            )

    def because(self, record: Record) -> str:
        """The reason a record gives, as the words attach it, or nothing."""
        reason = getattr(record, "reason", None)
        return "" if reason is None else self.words["because"].format(reason=reason)

    # -- groups ---------------------------------------------------------------------------

    def group(self, covered: float | None) -> None:
        result = self.result
        rows = result.contributions
        counted = [row for row in rows if row.counted]
        # A unit is always a flat roll-up of its leaves.
        nested = self.rules.rollup == "nested" and result.kind != "unit"
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
                    reason=self.term(row.reason),
                )
            else:
                self.say(
                    "line_out",
                    kind=kind,
                    id=row.id,
                    title=title,
                    w=_w(row.weight),
                    reason=self.term(row.reason),
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
            self.say("missing_in_progress", on=on, value=value, missing=self.missing())
        elif rule == "missing":
            self.say("missing", value=value, missing=self.missing())
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
                self.say("missing_leaf", value=self.num(result.completion), missing=self.missing())
        else:
            listed = ", ".join(
                f"{pendulum.Date.fromordinal(d)}: {quantity_text(computed(v, unit))}"
                for d, v in points
            )
            self.say("observations", as_of=self.as_of, points=listed)
            self.say(
                "aggregate",
                aggregation=self.term(target.aggregation.value),
                formula=_aggregate_formula(target, [v for _, v in points], self.words),
                value=quantity_text(result.current),
            )
            self.say(
                "attainment",
                comparator=self.term(target.comparator.value),
                formula=_attainment_formula(target, result.current, self.words),
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
                value=quantity_text(outlook.value),
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
                status=RECORD_STATUS_TEXT["zh"][status.status.value]
                if self.lang == "zh"
                else status.status.value,
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


def _described(record: Record, lang: str) -> str:
    """What a record says, briefly: a value, a status and percent, or a revision's changes."""
    if type(record) is Observation:
        return quantity_text(record.value)
    if type(record) is StatusChange:
        percent = "" if record.percent is None else f" {record.percent:g}%"
        status = record.status.value
        return f"{RECORD_STATUS_TEXT['zh'][status] if lang == 'zh' else status}{percent}"
    if type(record) is Revision:
        return ", ".join(f"{name} {value}" for name, value in record.changes().items())
    return type(record).__name__


def _shown(value: object) -> str:
    """A revised field's value as an explanation shows it: a quantity rounded for its unit."""
    if isinstance(value, Quantity):
        return quantity_text(value)
    return _w(value) if isinstance(value, float) else str(value)


def _aggregate_formula(target: Target, values: list[Decimal], words: Mapping[str, str]) -> str:
    unit = target.value.unit
    shown = [amount_text(v, unit) for v in values]
    aggregation = target.aggregation
    if aggregation is Aggregation.MEAN:
        return words["f_mean"].format(terms=" + ".join(shown), n=len(shown))
    if aggregation is Aggregation.SUM:
        start = "0"
        if target.baseline is not None:
            start = amount_text(target.baseline.value.to(unit).value, unit)
        return words["f_sum"].format(start=start, terms=" + ".join(shown))
    return words["f_" + aggregation.value].format(values=words["f_join"].join(shown))


def _attainment_formula(target: Target, current: Quantity, words: Mapping[str, str]) -> str:
    """How attainment is computed, with the numbers: c current, T target, b baseline, U upper."""
    unit = target.value.unit
    c_value, t_value = current.to(unit).value, target.value.value
    c, t = amount_text(c_value, unit), amount_text(t_value, unit)
    b_value = None if target.baseline is None else target.baseline.value.to(unit).value
    b = None if b_value is None else amount_text(b_value, unit)
    comparator = target.comparator
    if comparator is Comparator.AT_LEAST:
        if b_value is not None and t_value > b_value:
            return words["a_gain"].format(c=c, b=b, t=t)
        if t_value > 0:
            return words["a_share"].format(c=c, t=t)
        return words["a_nonpositive"].format(c=c, t=t)
    if comparator is Comparator.AT_MOST:
        if b_value is not None and b_value > t_value:
            return words["a_drop"].format(c=c, b=b, t=t)
        return words["a_at_most"].format(c=c, t=t)
    if comparator is Comparator.EXACTLY:
        return words["a_exactly"].format(c=c, t=t)
    assert target.upper is not None
    upper = amount_text(target.upper.to(unit).value, unit)
    return words["a_between"].format(c=c, t=t, upper=upper)


def explain(
    result: Explainable,
    *,
    plan: Plan,
    ledger: Ledger,
    as_of: pendulum.Date,
    rules: Rules,
    covered: float | None = None,
    lang: str = "en",
    entered: Ledger | None = None,
    known_at: pendulum.Date | None = None,
) -> str:
    """Explain `result` in `lang` (`"en"` or `"zh"`).

    A figure that counts because it corrects an earlier record names that record,
    the day it was entered and the reason (and so on down a chain of corrections);
    a record withdrawn says when and why; with `known_at`, the text says which
    day's knowledge it uses.

    Args:
        result: A result of an assessment of `plan`.
        plan: The plan assessed.
        ledger: The records that count (known at `known_at`, corrections applied).
        as_of: The date of the assessment.
        rules: The rules applied.
        covered: For a group, the weight of its leaves with a record.
        lang: The language of the text.
        entered: Everything entered in the ledger, where corrected and withdrawn
            records are found; `ledger` by default.
        known_at: The day whose knowledge the assessment used, if not everything.

    Raises:
        PlanValidationError: for a language other than `"en"` and `"zh"`.
    """
    if lang not in EXPLAIN_WORDS:
        raise PlanValidationError([("lang", f"{lang!r} is not one of 'en', 'zh'")])
    writer = _Writer(
        result,
        plan=plan,
        ledger=ledger,
        as_of=as_of,
        rules=rules,
        lang=lang,
        entered=ledger if entered is None else entered,
        known_at=known_at,
    )
    words = writer.words
    writer.say(
        "header", kind=words[result.kind], id=result.id, title=result.title.get(lang), as_of=as_of
    )
    writer.knowledge()
    item = plan.get(result.id) if result.kind not in {"plan", "unit"} else None
    if isinstance(item, Task | Policy | Milestone | Target):
        writer.revisions(item)
    if result.kind in {"plan", "measure", "theme", "unit"}:
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
        writer.corrections(item.id)
        writer.notes(item.id)
    return "\n".join(writer.lines)
