"""How an explanation works out each figure of a result, line by line.

`FigureWriter` holds what an explanation is written from (the result, the plan, the
records that count, the rules and the words of the language) and its `say`, which shows
escaped whatever it quotes from the plan or the ledger. It writes the lines of the
figures: a group's roll-up with one line per contribution, a leaf's rule, a target's
aggregate and attainment with their formulas, a milestone's status, the expected
completion by the schedule, the forecast, SPI and status.
[`explain`][beijing_plan.explain.explain] writes with a subclass of it that adds the
lines on the records behind the figures: revisions, corrections, withdrawals and notes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

import pendulum

from ._engine.completion import counted_points, in_force
from ._engine.revisions import item_in_force
from ._engine.rollup import Contribution
from ._engine.schedule import planned_points, window
from ._numbers import amount_text, quantity_text
from ._safe import terminal
from ._words import COLOUR_NAMES_ZH, EXPLAIN_TERMS, EXPLAIN_WORDS, RECORD_STATUS_TEXT
from .ledger import Ledger, Observation, Record, Revision, Status
from .model import Aggregation, Comparator, Milestone, Plan, Policy, Target, Task
from .rules import Progress, Rules
from .units import Quantity, computed

if TYPE_CHECKING:
    from .explain import Explainable

__all__ = ["FigureWriter"]

_Item = TypeVar("_Item", bound=Task | Policy | Milestone | Target)


def _f(value: float | None, words: Mapping[str, str]) -> str:
    return words["none"] if value is None else f"{value:.4f}"


def _w(value: float) -> str:
    return f"{value:.15g}"


class FigureWriter:
    """The writer of an explanation, and the lines of the figures it explains."""

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

    # -- groups ---------------------------------------------------------------------------

    def group(self, covered: float | None) -> None:
        result = self.result
        rows = result.contributions
        counted = [row for row in rows if row.counted]
        # A unit is always a flat roll-up of its leaves.
        nested = self.rules.rollup == "nested" and result.kind != "unit"
        den = math.fsum(row.weight for row in counted)  # the weight a flat mean divides by
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
