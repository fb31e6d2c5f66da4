"""The public strategies for the parts of a plan, each drawn on its own.

Values (ids, texts, quantities) come straight from the value strategies of
`_generators`; items (targets, milestones, tasks, measures, policies) are built
by a factory of `_factories` in a drawn period with a drawn id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .._validators import MAX_ID_LENGTH
from ..exceptions import PlanValidationError
from ..model import (
    Aggregation,
    Comparator,
    Measure,
    Milestone,
    Policy,
    Target,
    Task,
    Text,
)
from ..units import Quantity, get_unit, units
from . import _arguments as arg
from . import _factories as fac
from . import _generators as gen
from ._factories import Scope

__all__ = ["ids", "measures", "milestones", "policies", "quantities", "targets", "tasks", "texts"]

_T = TypeVar("_T")
# Ids of items drawn alone leave room for the suffixes of what they hold ("-t12-ms3").
_ALONE_IDS = gen.identifiers(max_size=MAX_ID_LENGTH - 24)
_PERIODS = gen.periods(None, None)


@st.composite
def _alone(draw: st.DrawFn, factories: SearchStrategy[Any], scope: Scope) -> Any:
    """An item built by a drawn factory, in a drawn period, with a drawn id.

    A composite (rather than `st.builds`) so that a failing example shows the
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
        zh: `True` to always have a Chinese part, `False` never; `None` draws.
        en: The same for the English part.

    Raises:
        InvalidArgument: if both are `False`.
    """
    has_zh, has_en = arg.flag("zh", zh), arg.flag("en", en)
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
        dimension: Draws only units of this dimension (`"cny"`, `"area"`...).

    Raises:
        InvalidArgument: for an unknown unit or dimension, or a unit of another
            dimension than the one given.
    """
    dim = arg.dimension(dimension)
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
        baseline: `True` to always have a baseline, `False` never.

    Raises:
        InvalidArgument: for an unknown comparator, aggregation or dimension.
    """
    factories = fac.target_factories(
        comparator=arg.member(Comparator, "comparator", comparator),
        aggregation=arg.member(Aggregation, "aggregation", aggregation),
        dimension=arg.dimension(dimension),
        baseline=arg.flag("baseline", baseline),
    )
    return _standalone(factories, Scope(0, 0))


def milestones(*, due: bool | None = None) -> SearchStrategy[Milestone]:
    """Milestones; `due=True` always gives a due date, `False` never."""
    return _standalone(fac.milestone_factories(due=arg.flag("due", due)), Scope(0, 0))


def tasks(
    *,
    themes: Sequence[str] = (),
    max_targets: int = 2,
    max_milestones: int = 2,
    dated: bool | None = None,
) -> SearchStrategy[Task]:
    """Tasks with targets and milestones whose ids extend the task's (`<id>-g1`).

    Args:
        themes: Theme ids the task may be tagged with (none by default).
        max_targets: Most targets a task gets.
        max_milestones: Most milestones a task gets.
        dated: `True` to always set `start` and `due`, `False` never;
            `None` draws each.
    """
    factories = fac.task_factories(
        max_targets=arg.size("max_targets", max_targets),
        max_milestones=arg.size("max_milestones", max_milestones),
        dated=arg.flag("dated", dated),
    )
    return _standalone(factories, Scope(0, 0, themes=arg.id_list("themes", themes)))


def _measure_factories(
    entry: tuple[int, Callable[[str, int, Scope], Measure]],
) -> Callable[[str, Scope], Measure]:
    number, build = entry
    return lambda measure_id, scope: build(measure_id, number, scope)


def measures(
    *, themes: Sequence[str] = (), min_tasks: int = 0, max_tasks: int = 4
) -> SearchStrategy[Measure]:
    """Measures with tasks and targets whose ids extend the measure's (`<id>-t1`).

    Args:
        themes: Theme ids the measure and its tasks may be tagged with.
        min_tasks: Fewest tasks a measure gets.
        max_tasks: Most tasks a measure gets.
    """
    fewest, most = arg.bounds("min_tasks", min_tasks, "max_tasks", max_tasks)
    entries = st.tuples(st.integers(1, 99), fac.measure_factories(min_tasks=fewest, max_tasks=most))
    scope = Scope(0, 0, themes=arg.id_list("themes", themes))
    return _standalone(entries.map(_measure_factories), scope)


def policies(*, themes: Sequence[str] = (), measures: Sequence[str] = ()) -> SearchStrategy[Policy]:
    """Policies, tagged with some of `themes` and serving some of `measures`.

    Both are empty by default, so a policy drawn alone refers to nothing; pass
    the ids of the plan it is meant for.
    """
    scope = Scope(
        0, 0, themes=arg.id_list("themes", themes), measures=arg.id_list("measures", measures)
    )
    return _standalone(fac.policy_factories, scope)
