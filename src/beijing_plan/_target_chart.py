"""The chart of a target's history: [`plot_history`][beijing_plan.charts.plot_history].

[`beijing_plan.charts`][beijing_plan.charts] re-exports it, and says what it draws: the
observations (for a `sum` target their running total) against the target, the path its
schedule plans, and the least-squares forecast to its deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ._chart_axes import INK, MUTED, day_number, literal_legend, new_axes, set_date_ticks
from ._dates import DateLike, as_date
from ._engine.completion import counted_points
from ._engine.schedule import forecast, planned_points, series, window
from ._fonts import Words
from ._numbers import amount_text, with_symbol
from ._present import RAG, is_target, owner_task
from ._words import COMPARATOR_SIGNS
from .exceptions import PlanValidationError
from .units import Quantity, get_unit

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ._engine.completion import Point
    from .ledger import Ledger
    from .model import Plan, Target

__all__ = ["plot_history"]

_BLUE = "#2b6cb0"


def _target(plan: Plan, target_id: str) -> Target:
    if not isinstance(target_id, str) or target_id not in plan:
        raise PlanValidationError([("target_id", f"{target_id!r} is not an id of the plan")])
    node = plan[target_id]
    if not is_target(node):
        kind = type(node).__name__
        raise PlanValidationError([("target_id", f"{target_id!r} is a {kind}, not a Target")])
    return node


def _start_level(target: Target) -> float | None:
    """The level a target's planned path starts from, or `None` when it has none."""
    value = float(target.value.value)
    baseline = target.baseline
    if baseline is not None:
        start = float(baseline.value.to(target.value.unit).value)
        if target.comparator.value == "at_least" and value > start:
            return start
        if target.comparator.value == "at_most" and start > value:
            return start
        return None
    if target.comparator.value == "at_least" and value > 0:
        return 0.0
    return None


def _goal(target: Target, words: Words) -> str:
    unit = get_unit(target.value.unit)
    shown = words.unit(unit.name, unit.symbol)

    def amount(value: Decimal) -> str:
        number = amount_text(value, unit.name)
        if shown == unit.symbol:
            return with_symbol(number, unit.name)
        return f"{number} {shown}" if shown else number

    if target.comparator.value == "between" and target.upper is not None:
        upper = target.upper.to(target.value.unit).value
        return f"{amount(target.value.value)} {words['to']} {amount(upper)}"
    return f"{COMPARATOR_SIGNS[target.comparator.value]} {amount(target.value.value)}"


def _level(target: Target, quantity: Quantity) -> float:
    return float(quantity.to(target.value.unit).value)


def _draw_target(ax: Axes, target: Target, words: Words) -> None:
    goal = float(target.value.value)
    label = words["target"].format(goal=_goal(target, words))
    if target.comparator.value == "between" and target.upper is not None:
        upper = _level(target, target.upper)
        ax.axhspan(goal, upper, color=RAG["green"], alpha=0.18, gid="target", label=label)
    else:
        ax.axhline(goal, color=RAG["green"], linestyle="--", gid="target", label=label)


def _draw_planned(ax: Axes, plan: Plan, target: Target, words: Words) -> None:
    """The planned path, and the baseline it starts from."""
    baseline = target.baseline
    if baseline is not None:
        ax.plot(
            [day_number(baseline.on.toordinal())],
            [_level(target, baseline.value)],
            linestyle="none",
            marker="s",
            color=MUTED,
            gid="baseline",
            label=words["baseline"],
        )
    level = _start_level(target)
    if level is None:
        return
    start, due, planned = window(
        target,
        plan_start=plan.start.toordinal(),
        plan_end=plan.end.toordinal(),
        task=owner_task(plan, target.id),
    )
    path = planned_points(start, due, planned) if planned else [(min(start, due), 0.0), (due, 1.0)]
    goal = float(target.value.value)
    ax.plot(
        [day_number(day) for day, _ in path],
        [level + fraction * (goal - level) for _, fraction in path],
        linestyle=":",
        color=MUTED,
        gid="planned",
        label=words["planned"],
    )


def _draw_observed(ax: Axes, target: Target, points: Sequence[Point], words: Words) -> None:
    """The observed levels, or for a `sum` target the running total."""
    observed = list(points)
    summed = target.aggregation.value == "sum"
    if summed:
        line = series(target, points)
        observed = line[1:] if target.baseline is not None else line
    if observed:
        ax.plot(
            [day_number(day) for day, _ in observed],
            [float(value) for _, value in observed],
            marker="o",
            color=_BLUE,
            gid="observed",
            label=words["cumulative" if summed else "observed"],
        )


def _draw_forecast(
    ax: Axes, target: Target, points: Sequence[Point], deadline: int, words: Words
) -> None:
    """The least-squares line from its first point to the deadline, if there is one."""
    outlook = forecast(target, points, deadline=dt.date.fromordinal(deadline))
    if outlook is None:
        return
    projected = float(outlook.value.value)
    first = series(target, points)[0][0]
    ax.plot(
        [day_number(first), day_number(deadline)],
        [projected - outlook.slope * (deadline - first), projected],
        linestyle="--",
        marker="o",
        markevery=[1],
        color=RAG["green"] if outlook.would_meet else RAG["red"],
        gid="forecast",
        label=words["meets" if outlook.would_meet else "misses"],
    )


def plot_history(
    plan: Plan,
    ledger: Ledger,
    target_id: str,
    *,
    as_of: DateLike | None = None,
    ax: Axes | None = None,
    lang: str | None = None,
    font: str | None = None,
) -> Axes:
    """A target's observations against the target, its planned path and its forecast.

    Args:
        plan: The plan that holds the target.
        ledger: The ledger with its observations.
        target_id: The target's id.
        as_of: Use only the observations up to this date, and mark it; every
            observation when omitted.
        ax: The axes to draw into; a new figure when omitted.
        lang: `"zh"` or `"en"`; by default Chinese when a Chinese font is
            installed. Chinese falls back to English without such a font.
        font: The font to draw text with; by default [`cjk_font`][beijing_plan.charts.cjk_font].

    Returns:
        The axes drawn into.

    Raises:
        ImportError: if matplotlib is not installed (naming the `plot` extra).
        PlanValidationError: for an id that is not a target of the plan, or an
            unknown `lang`, `font` or date.
        UnitError: for an observation in a unit of another dimension.
    """
    target = _target(plan, target_id)
    words = Words(lang, font)
    limit = dt.date.max.toordinal() if as_of is None else as_date(as_of).toordinal()
    points = counted_points(
        target, ledger.observations(target_id), as_of=limit, plan_start=plan.start.toordinal()
    )
    deadline = (target.deadline if target.deadline is not None else plan.end).toordinal()
    if ax is None:
        ax = new_axes((9.0, 5.0))
    _draw_target(ax, target, words)
    _draw_planned(ax, plan, target, words)
    _draw_observed(ax, target, points, words)
    _draw_forecast(ax, target, points, deadline, words)
    ax.axvline(
        day_number(deadline),
        color=INK,
        linewidth=0.8,
        linestyle="-.",
        gid="deadline",
        label=words["deadline"],
    )
    if as_of is not None:
        day = as_date(as_of)
        ax.axvline(
            day_number(day.toordinal()),
            color=RAG["grey"],
            linewidth=1.2,
            gid="as_of",
            label=words["as_of"].format(day=day),
        )
    set_date_ticks(ax, words)
    unit = get_unit(target.value.unit)
    ax.set_xlabel(words["date"], **words.props)
    unit_text = words.unit(unit.name, unit.symbol)  # none for a unit without a symbol (counts)
    label = words["value"].format(unit=unit_text) if unit_text else words["value_plain"]
    ax.set_ylabel(label, **words.props)
    title = words.title(target.title, target.id)
    ax.set_title(f"{words.wrap(title, 70)}\n{target.id}", fontsize=11, loc="left", **words.props)
    ax.grid(visible=True, color="#e2e8f0", linewidth=0.8)
    ax.set_axisbelow(True)
    literal_legend(ax.legend(prop=words.legend, loc="best"))
    return ax
