"""Assess a plan against its ledger at a date: every figure, for every node.

[`assess`][beijing_plan.assessment.assess] computes, as of one day, the completion, expected
completion, schedule performance, status and coverage of every task, policy, target,
milestone, measure and theme, and of the plan, as
[Concepts][concepts-how-every-number-is-reached] defines them.

>>> from beijing_plan import Ledger, Measure, Plan, StatusChange, Task
>>> plan = Plan("p", "Plan", start="2025-01-01", end="2025-12-31",
...             measures=[Measure("m", 1, "Measure", tasks=[Task("a", "A"), Task("b", "B")])])
>>> ledger = Ledger([StatusChange("a", "2025-03-01", "done"),
...                  StatusChange("b", "2025-03-01", "in_progress", percent=20)])
>>> assessment = assess(plan, ledger, as_of="2025-07-02")
>>> assessment.overall.completion
0.6
>>> assessment["b"].status
<Progress.OFF_TRACK: 'off_track'>

The engine works on plain values (day ordinals, floats, one table of columns
indexed by node), and a [`Result`][beijing_plan.assessment.Result] is built only
when one is asked for; contributions and explanations are computed on access too.

Decisions where the design is silent:

- The whole ledger is checked against the plan, records after `as_of`
  included: a record naming an unknown id is wrong whatever its date.
- Targets and milestones of a task get results of their own but are not leaves:
  a target's completion is its attainment (`None` without an observation), a
  milestone's is 1 when done, 0 under another status, `None` with no record.
- A leaf's coverage is 1 when it has any record up to `as_of` (its own status,
  an observation of one of its targets, a status of one of its milestones), else 0;
  at weight 0 it is `None`, as for a group whose weights sum to 0. An
  observation is a record whether or not it counts (a `sum` increment dated on
  or before the baseline's date is one), but only a counted observation makes
  leaf rule 3 apply.
- `rule` names the leaf rule that decided a leaf's completion (`"cancelled"`,
  `"done"`, `"parts"`, `"percent"`, `"not_started"`, `"in_progress"`,
  `"missing"` or `"attainment"`; see Concepts); it is `None` for other results.
- A task's contributions are its targets and milestones when rule 3 decided its
  completion; other leaves, targets and milestones have none.
- `due` is the due date in force (revisions applied under `basis="revised"`);
  `original_due` the one first planned, and `late_against_original` says whether a
  leaf, target or milestone missed it: true once it has passed and the item was not
  done by it, as the records dated up to it and the item then in force show.
  A group has no such flag (`None`); a cancelled item is never late (`False`).
- [`Assessment.results`][beijing_plan.assessment.Assessment.results] yields the plan, the measures,
  the themes, the leaves, then the targets and milestones of tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs
import pendulum

from ._dates import DateLike, as_date, today
from ._engine.engine import Engine
from ._engine.nodes import TARGET
from ._engine.rollup import Contribution
from ._engine.schedule import Forecast, spi
from ._engine.units import check_role
from ._errors import misuse
from .change import Changes, compare
from .exceptions import PlanValidationError
from .ledger import Ledger, Record
from .model import Plan, Text
from .reporting import Reporting, build_reporting, check_by, check_silent_after
from .rules import Progress, Rules
from .units import Quantity

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    from matplotlib.axes import Axes

__all__ = ["Assessment", "Contribution", "Forecast", "Result", "assess"]


@attrs.frozen
class Result:
    """The figures of one node of a plan at the date of its assessment.

    Attributes:
        id: The node's id (the plan's own for the plan).
        kind: `"plan"`, `"measure"`, `"theme"`, `"task"`, `"policy"`,
            `"target"`, `"milestone"` or `"unit"` (see
            [`by_unit`][beijing_plan.assessment.Assessment.by_unit]).
        title: Its title.
        completion: A fraction in [0, 1], or `None` where nothing is known.
        expected: The completion its schedule expects by now, or `None`.
        spi: `completion / expected`, or `None`.
        status: Where it stands ([`Progress`][beijing_plan.rules.Progress]).
        coverage: The share of its weight with any record (for a leaf, 1 with a record
            and 0 without), or `None` at weight 0.
        weight: Its weight (for a group, the sum over its leaves not cancelled).
        due: Its due date in force, as revisions leave it (for a group, the latest of
            its leaves').
        ratio: For a target, its raw attainment (above 1: over-achieved).
        current: For a target, its current value.
        forecast: For a target, where its trend leads by the deadline.
        rule: For a leaf, the rule that decided its completion.
        original_due: Its due date as first planned, before any revision (for a group,
            the latest of its leaves').
        late_against_original: For a leaf, target or milestone, whether its original
            due date has passed and it was not done by then (even if a revision
            extended it); `False` when cancelled; `None` for a group.
    """

    id: str
    kind: str
    title: Text
    completion: float | None
    expected: float | None
    spi: float | None
    status: Progress
    coverage: float | None
    weight: float
    due: pendulum.Date | None
    ratio: float | None = None
    current: Quantity | None = None
    forecast: Forecast | None = None
    rule: str | None = None
    original_due: pendulum.Date | None = None
    late_against_original: bool | None = None
    _engine: Engine | None = attrs.field(default=None, eq=False, repr=False, alias="engine")
    _position: int = attrs.field(default=-1, eq=False, repr=False, alias="position")

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        """What each leaf (or child, or part) adds to this result, in plan order."""
        if self._engine is None:
            return ()
        return self._engine.contributions(self._position)

    def explain(self, lang: str = "en") -> str:
        """Plain text from which a reader can recompute the figures by hand.

        Args:
            lang: `"en"` or `"zh"`.
        """
        engine = self._engine
        if engine is None:
            msg = f"result {self.id!r} was not made by an assessment"
            raise PlanValidationError([("result", msg)])
        return engine.explain(self, self._position, lang)

    def __str__(self) -> str:
        from .display import result_str  # noqa: PLC0415 (presentation loads on first use)

        return result_str(self, rules=None if self._engine is None else self._engine.rules)

    def _repr_html_(self) -> str:
        from .display import result_html  # noqa: PLC0415 (presentation loads on first use)

        return result_html(self, rules=None if self._engine is None else self._engine.rules)


def _as_ledger(value: Ledger | Iterable[Record] | None) -> Ledger:
    if value is None:
        return Ledger()
    if isinstance(value, Ledger):
        return value
    if isinstance(value, str | bytes | Mapping | Plan) or not isinstance(value, Iterable):
        error = misuse("ledger", "a Ledger or a list of records", value)
        if isinstance(value, Plan):
            raise TypeError(f"{error} (the plan comes first: assess(plan, ledger))")
        raise error
    return Ledger(value)


def _check_plan(_: object, attribute: attrs.Attribute[Plan], value: object) -> None:
    if not isinstance(value, Plan):
        raise misuse(attribute.name, "a Plan", value)


def _check_rules(_: object, attribute: attrs.Attribute[Rules], value: object) -> None:
    if not isinstance(value, Rules):
        raise misuse(attribute.name, "a Rules", value)


def _as_day(value: DateLike) -> pendulum.Date:
    try:
        return as_date(value)
    except PlanValidationError as error:
        raise error.prefixed("as_of") from None


def _as_known_day(value: DateLike | None) -> pendulum.Date | None:
    if value is None:
        return None
    try:
        return as_date(value)
    except PlanValidationError as error:
        raise error.prefixed("known_at") from None


@attrs.frozen
class Assessment:
    """A plan assessed against its ledger at a date; see [`assess`][beijing_plan.assessment.assess].

    `assessment[id]` gives the [`Result`][beijing_plan.assessment.Result] of any task, policy,
    target, milestone, measure or theme, or of the plan (by the plan's id).

    Attributes:
        plan: The plan assessed.
        ledger: The ledger it was assessed against.
        as_of: The date of the assessment; later records are ignored.
        rules: The rules applied.
        known_at: The day whose knowledge the assessment uses: records entered after it
            do not count (`None`: every record entered). Corrections and withdrawals
            apply either way.
    """

    plan: Plan = attrs.field(validator=_check_plan)
    ledger: Ledger = attrs.field(converter=_as_ledger)
    as_of: pendulum.Date = attrs.field(converter=_as_day)
    rules: Rules = attrs.field(factory=Rules, validator=_check_rules)
    known_at: pendulum.Date | None = attrs.field(
        default=None, converter=_as_known_day, kw_only=True
    )
    _engine: Engine = attrs.field(init=False, eq=False, repr=False, hash=False)
    _results: dict[int, Result] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self, "_engine", Engine(self.plan, self.ledger, self.as_of, self.rules, self.known_at)
        )
        object.__setattr__(self, "_results", {})

    @classmethod
    def _of(cls, engine: Engine) -> Assessment:
        """The assessment whose figures `engine` already holds (as a history computes them)."""
        made = object.__new__(cls)
        fields = {
            "plan": engine.plan,
            "ledger": engine.ledger,
            "as_of": engine.as_of,
            "rules": engine.rules,
            "known_at": engine.known_at,
            "_engine": engine,
            "_results": {},
        }
        for name, value in fields.items():
            object.__setattr__(made, name, value)
        return made

    def compare(self, earlier: Assessment) -> Changes:
        """What changed for every node since `earlier`, an assessment of the same plan.

        Returns:
            A [`Changes`][beijing_plan.change.Changes] mapping (a `dict`) of each
            node's [`Change`][beijing_plan.change.Change] by id, in the order of
            [`results`][beijing_plan.assessment.Assessment.results].

        Raises:
            PlanValidationError: when `earlier` assesses another plan.
            TypeError: when `earlier` is not an assessment.
        """
        if not isinstance(earlier, Assessment):
            raise misuse("earlier", "an Assessment", earlier)
        return compare(self, earlier)

    def _result(self, position: int) -> Result:
        """The Result of the node at `position`, built once."""
        cached = self._results.get(position)
        if cached is not None:
            return cached
        engine = self._engine
        nodes = engine.nodes
        kind = nodes.kinds[position]
        ratio = current = outlook = None
        if kind == TARGET:
            ratio, current, outlook = engine.target_figures(position)
        completion, fraction = nodes.completion[position], nodes.expected[position]
        result = Result(
            nodes.ids[position],
            kind,
            nodes.items[position].title,
            completion,
            fraction,
            spi(completion, fraction),
            nodes.status[position],
            engine.coverage(position),
            nodes.weight[position],
            pendulum.Date.fromordinal(nodes.due[position]),
            ratio=ratio,
            current=current,
            forecast=outlook,
            rule=nodes.rule[position],
            original_due=pendulum.Date.fromordinal(engine.original_due(position)),
            late_against_original=engine.late_against_original(position),
            engine=engine,
            position=position,
        )
        self._results[position] = result
        return result

    def __repr__(self) -> str:
        from .display import assessment_repr  # noqa: PLC0415 (presentation loads on first use)

        return assessment_repr(self)

    def __str__(self) -> str:
        from .display import assessment_str  # noqa: PLC0415 (presentation loads on first use)

        return assessment_str(self)

    def _repr_html_(self) -> str:
        from .display import assessment_html  # noqa: PLC0415 (presentation loads on first use)

        return assessment_html(self)

    def to_html(self, lang: str = "en") -> str:
        """The assessment as one self-contained HTML page, to save or send around.

        The page shows the plan's total, the theme table (sub-themes indented) and
        the measure table with a bar on each row, every task, policy and target
        with its explanation one click away, and the sources as links. It loads
        nothing: inline style, bars in inline SVG, no script. `beijing-plan report
        --format html` writes the same page.

        Args:
            lang: `"en"` or `"zh"`, for titles, labels and explanations.

        Raises:
            PlanValidationError: for a language other than `"en"` and `"zh"`.
        """
        from ._report_page import report_page  # noqa: PLC0415 (presentation loads on first use)

        return report_page(self, lang=lang)

    def to_pandas(self) -> pd.DataFrame:
        """One row per result (the `pandas` extra), with every figure of its
        [`Result`][beijing_plan.assessment.Result]: completion, expected, SPI, status,
        coverage, weight, due date, parent, rule, and a target's current value, ratio,
        goal, unit and forecast ([`assessment_frame`][beijing_plan.frames.assessment_frame])."""
        from .frames import assessment_frame  # noqa: PLC0415 (presentation loads on first use)

        return assessment_frame(self, backend="pandas")

    def to_polars(self) -> pl.DataFrame:
        """One row per result, as [`to_pandas`][beijing_plan.assessment.Assessment.to_pandas], in
        polars (the `polars` extra)."""
        from .frames import assessment_frame  # noqa: PLC0415 (presentation loads on first use)

        return assessment_frame(self, backend="polars")

    def plot(
        self, by: Literal["theme", "measure", "leaf", "unit"] = "theme", **options: Any
    ) -> Axes:
        """Bars of completion with the expected mark, coloured by status (the `plot` extra).

        `by="unit"` ranks the responsible units, best first (option `role`, as for
        [`by_unit`][beijing_plan.assessment.Assessment.by_unit]).

        Options are those of
        [`beijing_plan.charts.plot_assessment`][beijing_plan.charts.plot_assessment].
        """
        from .charts import plot_assessment  # noqa: PLC0415 (presentation loads on first use)

        return plot_assessment(self, by, **options)

    def units_frame(
        self, role: Literal["lead", "partner", "any"] = "lead", *, backend: str = "pandas"
    ) -> Any:
        """One row per responsible unit: its figures and its on-time rate, as a DataFrame.

        The columns are those of [`units_frame`][beijing_plan.frames.units_frame]; `backend`
        is `"pandas"` (the `pandas` extra) or `"polars"` (the `polars` extra).
        """
        from .frames import units_frame  # noqa: PLC0415 (presentation loads on first use)

        return units_frame(self, role=role, backend=backend)  # type: ignore[call-overload]

    def units_html(self, role: Literal["lead", "partner", "any"] = "lead") -> str:
        """The notebook view of the responsible units: a table of their figures.

        Show it in a notebook with `IPython.display.HTML(assessment.units_html())`.
        """
        from .display import units_html  # noqa: PLC0415 (presentation loads on first use)

        return units_html(self, role)

    def __getitem__(self, item_id: str) -> Result:
        position = self._engine.index.get(item_id)
        if position is None:
            raise KeyError(item_id)
        return self._result(position)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._engine.index

    def __len__(self) -> int:
        return self._engine.size

    def __iter__(self) -> Iterator[str]:
        """The ids of every result, in the order of
        [`results`][beijing_plan.assessment.Assessment.results]."""
        ids = self._engine.nodes.ids
        return (ids[position] for position in self._order())

    def get(self, item_id: str) -> Result | None:
        """The result for `item_id`, or `None` if the plan has no such id."""
        position = self._engine.index.get(item_id)
        return None if position is None else self._result(position)

    @property
    def overall(self) -> Result:
        """The result for the whole plan."""
        return self._result(self._engine.plan_position)

    def by_measure(self) -> dict[str, Result]:
        """Each measure's result, in plan order."""
        engine = self._engine
        return {key: self._result(value) for key, value in engine.measure_positions.items()}

    def by_theme(self) -> dict[str, Result]:
        """Each theme's result, in the plan's theme order."""
        engine = self._engine
        return {
            theme.id: self._result(engine.theme_positions[theme.id]) for theme in self.plan.themes
        }

    def by_unit(self, role: Literal["lead", "partner", "any"] = "lead") -> dict[str, Result]:
        """Each responsible unit's result, units in the order they first appear in the plan.

        A unit's result (kind `"unit"`, its name as id and title) rolls up the leaves
        it answers for in `role`: a task for the units in its `lead` (`"lead"`) and
        its `partners` (`"partner"`), a measure's own target for the measure's
        `lead`, a policy for its own `lead`; `"any"` takes both roles, each leaf
        once. The roll-up is the flat weighted mean whatever `rules.rollup` says;
        coverage, status, contributions and `explain()` are those of any group.

        Raises:
            PlanValidationError: for a role other than `"lead"`, `"partner"`, `"any"`.
        """
        positions = self._engine.unit_positions(check_role(role))
        return {name: self._result(position) for name, position in positions.items()}

    def reporting(
        self,
        by: Literal["unit", "leaf"] = "unit",
        *,
        role: Literal["lead", "partner", "any"] = "lead",
        silent_after: int = 2,
    ) -> Reporting:
        """Who reported on time: expected, on-time, late and missing reports per period.

        Each leaf reports at its cadence (its own `reporting`, else the plan's; a
        measure's own target at the plan's); see [Concepts][reporting-cadence] for
        which periods expect a report and when one is on time.

        Args:
            by: `"unit"`: one row per responsible unit (in `role`) and period,
                counting the reports of its leaves; `"leaf"`: one row per leaf and period.
            role: The units' role, as for [`by_unit`][beijing_plan.assessment.Assessment.by_unit].
            silent_after: A leaf is silent when its last `silent_after` expected
                reports are all missing.

        Raises:
            PlanValidationError: for an unknown `by` or `role`, or a `silent_after`
                that is not a whole number of at least 1.
        """
        by, role = check_by(by), check_role(role)  # type: ignore[assignment]
        last = check_silent_after(silent_after)
        engine = self._engine
        owed, silent = engine.owed(last)
        return build_reporting(
            self.plan,
            engine.membership.leaves,
            owed,
            silent,
            as_of=self.as_of,
            by=by,
            role=role,
            silent_after=last,
        )

    def _order(self) -> Iterator[int]:
        engine = self._engine
        yield engine.plan_position
        yield from engine.measure_positions.values()
        yield from (engine.theme_positions[theme.id] for theme in self.plan.themes)
        yield from range(engine.leaf_count)
        yield from range(engine.sub_start, engine.sub_end)

    def results(self) -> Iterator[Result]:
        """Every result: the plan, measures, themes, leaves, then tasks' targets and milestones."""
        return (self._result(position) for position in self._order())

    def leaves(self) -> Iterator[Result]:
        """The results of the leaves (tasks, policies, measures' own targets), in plan order."""
        engine = self._engine
        return (self._result(position) for position in range(engine.leaf_count))


def assess(
    plan: Plan,
    ledger: Ledger | Iterable[Record] | None = None,
    *,
    as_of: DateLike | None = None,
    rules: Rules | None = None,
    known_at: DateLike | None = None,
) -> Assessment:
    """Assess `plan` against `ledger` as of a date.

    Args:
        plan: The plan.
        ledger: What happened (a [`Ledger`][beijing_plan.ledger.Ledger] or its
            records); nothing when omitted.
        as_of: The date (a `pendulum.Date`, `datetime.date` or ISO string);
            today in Beijing when omitted. Records after it are ignored.
        rules: The rules; [`Rules`][beijing_plan.rules.Rules] defaults when omitted.
        known_at: Assess with what was known on this day: records entered (their
            `recorded` date, or `on` without one) after it, and withdrawals dated
            after it, are ignored, so that the report made that day is made again
            exactly. `None` (the default) counts every record entered. Corrections
            (`supersedes`) and withdrawals apply either way.

    Raises:
        UnknownReferenceError: listing every record that names an id the plan
            does not have, or an item of the wrong kind.
        PlanValidationError: for an `as_of` that is not a date.
        TypeError: for a `plan` that is not a [`Plan`][beijing_plan.model.Plan], a
            `ledger` that is neither a [`Ledger`][beijing_plan.ledger.Ledger] nor an
            iterable of records, or `rules` that are not
            [`Rules`][beijing_plan.rules.Rules].
    """
    return Assessment(
        plan,
        ledger,
        today() if as_of is None else as_of,
        Rules() if rules is None else rules,
        known_at=known_at,
    )
