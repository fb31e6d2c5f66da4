"""Hypothesis strategies for plans, ledgers and their parts.

This module needs Hypothesis: ``pip install "beijing-plan[strategies]"``.

Each strategy is a function with keyword-only options that returns a
``SearchStrategy``; an option left at ``None`` is drawn, a value pins it. What
they draw is valid by construction, so a property test spends no time on
rejected examples:

- ids are unique across a plan: each is derived from its position under a
  prefix drawn once per plan (``m2`` is the second measure, ``m2-t1`` its first
  task, ``m2-t1-g1`` and ``m2-t1-ms1`` that task's first target and milestone,
  ``th1`` a theme, ``p1`` a policy);
- a theme's parent is an earlier theme, so themes form a tree, and every theme a
  measure, task or policy names and every measure a policy serves exists;
- task ``start <= due``, both within the plan period; a task's targets,
  milestones and trajectory lie within its own dates; trajectories have strictly
  increasing dates and non-decreasing fractions in [0, 1];
- a ``between`` target's upper bound is not below its value; upper bounds and
  baselines are in units of the value's dimension; a baseline is dated in the
  year up to the start of what holds the target (its task, else the plan);
- weights are finite and zero or more (often 1, sometimes 0, at most 1e6);
- quantities stay within the supported range (``units.MAX_EXPONENT`` and
  ``units.MAX_DIGITS``) and read back unchanged from their string form, from
  small whole numbers to fifty-digit values;
- texts are Chinese, English or both, plain or with awkward but valid Unicode
  (combining marks, zero-width and direction marks, astral characters, line
  breaks, quotes and backslashes);
- dates fall between 2000 and 2100, unless a pinned plan period says otherwise;
- declared counts, when drawn, are not below what the plan encodes.

Examples shrink toward small plans: no themes, measures or policies, over the
calendar year 2025, with one-character titles.

Installing the package registers these strategies with Hypothesis, so that
``st.from_type(beijing_plan.Plan)`` (and ``Text``, ``Quantity``, ``Target``,
``Milestone``, ``Task``, ``Measure``, ``Policy``, ``Ledger``) draws from them.

Example::

    from hypothesis import given
    from beijing_plan import strategies as bps

    @given(bps.plans_and_ledgers(max_measures=2))
    def test_every_record_names_an_item(plan_and_ledger):
        plan, ledger = plan_and_ledger
        ledger.check(plan)
"""

from __future__ import annotations

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
    from hypothesis.strategies import SearchStrategy
except ImportError:  # pragma: no cover (the test suite simulates it)
    _MISSING = (
        "beijing_plan.strategies needs Hypothesis; install it with the extra: "
        'pip install "beijing-plan[strategies]"'
    )
    raise ImportError(_MISSING) from None

import enum
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

import attrs

from . import _factories as fac
from . import _generators as gen
from ._dates import DateLike, as_date
from ._factories import Scope
from ._faults import FAULTS, InvalidDocument, invalid_documents
from ._validators import MAX_ID_LENGTH, id_problem
from .exceptions import PlanValidationError
from .ledger import Ledger
from .model import (
    Aggregation,
    Comparator,
    Measure,
    Milestone,
    Plan,
    Policy,
    Target,
    Task,
    Text,
)
from .units import Quantity, get_unit, units

__all__ = [
    "FAULTS",
    "InvalidDocument",
    "ids",
    "invalid_documents",
    "ledgers",
    "measures",
    "milestones",
    "plans",
    "plans_and_ledgers",
    "policies",
    "quantities",
    "targets",
    "tasks",
    "texts",
]

_E = TypeVar("_E", bound=enum.Enum)
_T = TypeVar("_T")
# Ids of items drawn alone leave room for the suffixes of what they hold ("-t12-ms3").
_ALONE_IDS = gen.identifiers(max_size=MAX_ID_LENGTH - 24)
_PERIODS = gen.periods(None, None)
_DEFAULT_RECORDS = 20

# -- argument checks ----------------------------------------------------------------------


def _flag(name: str, value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        msg = f"{name}={value!r} must be True, False or None"
        raise InvalidArgument(msg)
    return value


def _size(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{name}={value!r} must be a whole number of 0 or more"
        raise InvalidArgument(msg)
    return value


def _bounds(low_name: str, low: object, high_name: str, high: object) -> tuple[int, int]:
    lo, hi = _size(low_name, low), _size(high_name, high)
    if lo > hi:
        msg = f"{low_name}={lo!r} must not exceed {high_name}={hi!r}"
        raise InvalidArgument(msg)
    return lo, hi


def _member(cls: type[_E], name: str, value: _E | str | None) -> _E | None:
    if value is None or isinstance(value, cls):
        return value
    try:
        return cls(value)
    except ValueError:
        valid = ", ".join(repr(m.value) for m in cls)
        msg = f"{name}={value!r} must be None or one of {valid}"
        raise InvalidArgument(msg) from None


def _dimension(value: str | None) -> str | None:
    known = gen.dimensions()
    if value is not None and value not in known:
        msg = f"dimension={value!r} must be None or one of {', '.join(map(repr, known))}"
        raise InvalidArgument(msg)
    return value


def _id_list(name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | frozenset | set):
        msg = f"{name}={value!r} must be a sequence of ids"
        raise InvalidArgument(msg)
    items = tuple(dict.fromkeys(value))
    for item in items:
        problem = id_problem(item)
        if problem is not None:
            msg = f"{name}: {problem}"
            raise InvalidArgument(msg)
    return items


def _day(name: str, value: DateLike | None) -> int | None:
    if value is None:
        return None
    try:
        return as_date(value).toordinal()
    except PlanValidationError as error:
        msg = f"{name}: {error}"
        raise InvalidArgument(msg) from None


@st.composite
def _alone(draw: st.DrawFn, factories: SearchStrategy[Any], scope: Scope) -> Any:
    """An item built by a drawn factory, in a drawn period, with a drawn id.

    A composite (rather than ``st.builds``) so that a failing example shows the
    item itself.
    """
    lo, hi = draw(_PERIODS)
    build = draw(factories)
    return build(draw(_ALONE_IDS), attrs.evolve(scope, lo=lo, hi=hi))


def _standalone(
    factories: SearchStrategy[Callable[[str, Scope], _T]], scope: Scope
) -> SearchStrategy[_T]:
    strategy: SearchStrategy[_T] = _alone(factories, scope)
    return strategy


# -- values -------------------------------------------------------------------------------


def ids() -> SearchStrategy[str]:
    """Valid ids: mostly short and plain, sometimes up to the longest allowed and odd.

    An id is any non-empty string without whitespace or control characters, so
    Chinese characters, combining marks and emoji all appear.
    """
    return gen.identifiers()


def texts(*, zh: bool | None = None, en: bool | None = None) -> SearchStrategy[Text]:
    """Texts in Chinese, English or both.

    Args:
        zh: ``True`` to always have a Chinese part, ``False`` never; ``None`` draws.
        en: The same for the English part.

    Raises:
        InvalidArgument: if both are ``False``.
    """
    has_zh, has_en = _flag("zh", zh), _flag("en", en)
    if has_zh is False and has_en is False:
        msg = "zh=False and en=False leave no text: a Text needs one of them"
        raise InvalidArgument(msg)
    return gen.text_values(has_zh, has_en)


def quantities(
    *, unit: str | None = None, dimension: str | None = None
) -> SearchStrategy[Quantity]:
    """Quantities in a unit of the registry, with values in the supported range.

    Args:
        unit: Pins the unit (a canonical name or an alias; the quantity holds the
            canonical name).
        dimension: Draws only units of this dimension (``"cny"``, ``"area"``...).

    Raises:
        InvalidArgument: for an unknown unit or dimension, or a unit of another
            dimension than the one given.
    """
    dim = _dimension(dimension)
    if unit is None:
        return gen.quantities_in(gen.units_of(dim) if dim is not None else tuple(units()))
    try:
        pinned = get_unit(unit)
    except PlanValidationError as error:
        msg = f"unit: {error.problems[0][1]}"
        raise InvalidArgument(msg) from None
    if dim is not None and pinned.dimension != dim:
        msg = f"unit={unit!r} measures {pinned.dimension!r}, not dimension={dim!r}"
        raise InvalidArgument(msg)
    return gen.quantities_in((pinned.name,))


# -- items --------------------------------------------------------------------------------


def targets(
    *,
    comparator: Comparator | str | None = None,
    aggregation: Aggregation | str | None = None,
    dimension: str | None = None,
    baseline: bool | None = None,
) -> SearchStrategy[Target]:
    """Targets with coherent bounds, baseline, deadline and trajectory.

    Args:
        comparator: Pins the comparator (a member or its value).
        aggregation: Pins how observations combine.
        dimension: Pins the dimension of the value's unit.
        baseline: ``True`` to always have a baseline, ``False`` never.

    Raises:
        InvalidArgument: for an unknown comparator, aggregation or dimension.
    """
    factories = fac.target_factories(
        comparator=_member(Comparator, "comparator", comparator),
        aggregation=_member(Aggregation, "aggregation", aggregation),
        dimension=_dimension(dimension),
        baseline=_flag("baseline", baseline),
    )
    return _standalone(factories, Scope(0, 0))


def milestones(*, due: bool | None = None) -> SearchStrategy[Milestone]:
    """Milestones; ``due=True`` always gives a due date, ``False`` never."""
    return _standalone(fac.milestone_factories(due=_flag("due", due)), Scope(0, 0))


def tasks(
    *,
    themes: Sequence[str] = (),
    max_targets: int = 2,
    max_milestones: int = 2,
    dated: bool | None = None,
) -> SearchStrategy[Task]:
    """Tasks with targets and milestones whose ids extend the task's (``<id>-g1``).

    Args:
        themes: Theme ids the task may be tagged with (none by default).
        max_targets: Most targets a task gets.
        max_milestones: Most milestones a task gets.
        dated: ``True`` to always set ``start`` and ``due``, ``False`` never;
            ``None`` draws each.
    """
    factories = fac.task_factories(
        max_targets=_size("max_targets", max_targets),
        max_milestones=_size("max_milestones", max_milestones),
        dated=_flag("dated", dated),
    )
    return _standalone(factories, Scope(0, 0, themes=_id_list("themes", themes)))


def _measure_factories(
    entry: tuple[int, Callable[[str, int, Scope], Measure]],
) -> Callable[[str, Scope], Measure]:
    number, build = entry
    return lambda measure_id, scope: build(measure_id, number, scope)


def measures(
    *, themes: Sequence[str] = (), min_tasks: int = 0, max_tasks: int = 4
) -> SearchStrategy[Measure]:
    """Measures with tasks and targets whose ids extend the measure's (``<id>-t1``).

    Args:
        themes: Theme ids the measure and its tasks may be tagged with.
        min_tasks: Fewest tasks a measure gets.
        max_tasks: Most tasks a measure gets.
    """
    fewest, most = _bounds("min_tasks", min_tasks, "max_tasks", max_tasks)
    entries = st.tuples(st.integers(1, 99), fac.measure_factories(min_tasks=fewest, max_tasks=most))
    scope = Scope(0, 0, themes=_id_list("themes", themes))
    return _standalone(entries.map(_measure_factories), scope)


def policies(*, themes: Sequence[str] = (), measures: Sequence[str] = ()) -> SearchStrategy[Policy]:
    """Policies, tagged with some of ``themes`` and serving some of ``measures``.

    Both are empty by default, so a policy drawn alone refers to nothing; pass
    the ids of the plan it is meant for.
    """
    scope = Scope(0, 0, themes=_id_list("themes", themes), measures=_id_list("measures", measures))
    return _standalone(fac.policy_factories, scope)


# -- plans --------------------------------------------------------------------------------


def plans(
    *,
    min_measures: int = 0,
    max_measures: int = 4,
    policies: bool | None = None,
    max_policies: int = 3,
    max_themes: int = 4,
    max_tasks: int = 4,
    start: DateLike | None = None,
    end: DateLike | None = None,
    declared: bool | None = None,
) -> SearchStrategy[Plan]:
    """Whole plans: themes, measures with tasks and targets, policies.

    Each task gets up to two targets and two milestones, each measure up to one
    target of its own; measure numbers increase, sometimes skipping a number.
    Shrinking removes items first: the simplest plan is empty and spans the
    calendar year 2025.

    Args:
        min_measures: Fewest measures a plan gets.
        max_measures: Most measures a plan gets.
        policies: ``True`` for at least one policy, ``False`` for none; ``None``
            draws from none to ``max_policies``.
        max_policies: Most policies a plan gets.
        max_themes: Most themes a plan gets.
        max_tasks: Most tasks a measure gets.
        start: Pins the first day of the plan period.
        end: Pins the last day of the plan period.
        declared: ``True`` to always declare counts, ``False`` never.

    Raises:
        InvalidArgument: for negative sizes, ``min_measures > max_measures``,
            ``policies=True`` with ``max_policies=0``, dates that are not dates, or
            ``start`` after ``end``.
    """
    fewest, most = _bounds("min_measures", min_measures, "max_measures", max_measures)
    wanted, most_policies = _flag("policies", policies), _size("max_policies", max_policies)
    if wanted and most_policies == 0:
        msg = "policies=True asks for a policy, but max_policies=0 allows none"
        raise InvalidArgument(msg)
    first, last = _day("start", start), _day("end", end)
    if first is not None and last is not None and first > last:
        msg = f"start={start!r} is after end={end!r}"
        raise InvalidArgument(msg)
    measure_factories = fac.measure_factories(max_tasks=_size("max_tasks", max_tasks))
    parts = fac.PlanParts(
        period=gen.periods(first, last),
        themes=st.lists(
            st.tuples(fac.PARENTS, gen.TEXTS), max_size=_size("max_themes", max_themes)
        ),
        measures=st.lists(st.tuples(fac.GAPS, measure_factories), min_size=fewest, max_size=most),
        policies=st.lists(
            fac.policy_factories,
            min_size=1 if wanted else 0,
            max_size=0 if wanted is False else most_policies,
        ),
        declared=_flag("declared", declared),
    )
    return fac.plan_values(parts)


# -- ledgers ------------------------------------------------------------------------------


def ledgers(plan: Plan, *, max_records: int = _DEFAULT_RECORDS) -> SearchStrategy[Ledger]:
    """Ledgers of records that fit ``plan``, so that ``ledger.check(plan)`` passes.

    Observations name the plan's targets, in a unit of the target's dimension
    (sometimes exactly a bound or the baseline of the target); status changes
    name its tasks, policies and milestones, with a percent in [0, 100] or none.
    Records fall from a month before the plan period to a month after it, not
    in date order, and an item sometimes has several records on one day.

    Args:
        plan: The plan the records are about.
        max_records: Most records a ledger gets.

    Raises:
        InvalidArgument: if ``plan`` is not a :class:`~beijing_plan.model.Plan`, or
            ``max_records`` is not a whole number of 0 or more.
    """
    if not isinstance(plan, Plan):
        msg = f"plan={plan!r} must be a Plan"
        raise InvalidArgument(msg)
    most = _size("max_records", max_records)
    items: list[tuple[str, Target | None]] = [(target.id, target) for target in plan.targets()]
    items.extend((task.id, None) for task in plan.tasks())
    items.extend((policy.id, None) for policy in plan.policies)
    items.extend((milestone.id, None) for milestone in plan.milestones())
    if not items or most == 0:
        return st.just(Ledger())
    period = (plan.start.toordinal(), plan.end.toordinal())
    groups = st.lists(fac.record_groups(st.sampled_from(items), period), max_size=most)
    return groups.map(partial(fac.ledger_of, most))


@st.composite
def _pairs(draw: st.DrawFn, plan_strategy: SearchStrategy[Plan], most: int) -> tuple[Plan, Ledger]:
    plan = draw(plan_strategy)
    return plan, draw(ledgers(plan, max_records=most))


def plans_and_ledgers(
    *,
    min_measures: int = 0,
    max_measures: int = 4,
    policies: bool | None = None,
    max_records: int = _DEFAULT_RECORDS,
) -> SearchStrategy[tuple[Plan, Ledger]]:
    """A plan from :func:`plans`, then a ledger for it from :func:`ledgers`.

    Args:
        min_measures: Fewest measures the plan gets.
        max_measures: Most measures the plan gets.
        policies: As for :func:`plans`.
        max_records: Most records the ledger gets.
    """
    plan_strategy = plans(min_measures=min_measures, max_measures=max_measures, policies=policies)
    return _pairs(plan_strategy, _size("max_records", max_records))
