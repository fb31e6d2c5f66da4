"""[Schedule][the-schedule]: expected completion, schedule performance, status and forecasts.

Expected completion is 0 before the start, 1 after the due date, and linear in
days between; or piecewise linear through a trajectory of `(day, fraction)`
points. `spi` (schedule performance index, as in earned value) is completion
over expected. `progress` gives the status, first that applies: cancelled,
done, no data, overdue, on track, at risk, off track.

Days are proleptic ordinals (`date.toordinal()`); `day` converts any date.

>>> start, due = day("2025-01-01"), day("2025-12-31")
>>> round(expected(day("2025-07-02"), start, due), 4)
0.5

Decisions where the design is silent:

- A start after the due date (a leaf due before the plan starts, whose start
  defaults to the plan's) is moved to the due date: expected is then 0 before the
  due date and 1 from it.
- A trajectory is extended with `(start, 0)` and `(due, 1)` where it has no
  point on those days (when the start is the due day, the due day's 1 is the
  point added); before the start expected is 0 and after the due day 1,
  whatever the trajectory says.
- `spi` is `None` when expected is 0 (nothing was due yet) or completion is
  `None`.
- "Past its due date" means the assessment's day is after the due day.
- A forecast needs two points on different days; it projects the observed series
  (the levels, or the running total for `sum`, the baseline as the first point)
  with a least-squares line to the deadline, rounds it to ten significant digits,
  and tests the projection with the target's comparator.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeAlias

import attrs
import pendulum

from .._dates import DateLike, as_date
from ..model import Aggregation, Milestone, Policy, Target, Task, TrajectoryPoint
from ..rules import Progress, Rules
from ..units import Quantity, computed
from .completion import Point

__all__ = [
    "Forecast",
    "day",
    "expected",
    "forecast",
    "planned_points",
    "progress",
    "schedule",
    "series",
    "spi",
    "trajectory_days",
    "window",
]

#: When work runs: its first day, its due day, and its planned `(day, fraction)` points.
Window: TypeAlias = tuple[int, int, tuple[tuple[int, float], ...]]

_DONE = Progress.DONE
_NO_DATA = Progress.NO_DATA
_OVERDUE = Progress.OVERDUE
_ON_TRACK = Progress.ON_TRACK
_AT_RISK = Progress.AT_RISK
_OFF_TRACK = Progress.OFF_TRACK
_CANCELLED = Progress.CANCELLED


def day(value: DateLike) -> int:
    """The ordinal of a date, as the schedule functions count days.

    >>> day("0001-01-02")
    2
    """
    return as_date(value).toordinal()


def trajectory_days(points: Sequence[TrajectoryPoint]) -> tuple[tuple[int, float], ...]:
    """A model trajectory as `(day, fraction)` pairs."""
    return tuple((point.on.toordinal(), point.fraction) for point in points)


def window(
    item: Task | Policy | Target | Milestone,
    *,
    plan_start: int,
    plan_end: int,
    task: Task | None = None,
) -> Window:
    """When `item` runs, with the plan's defaults.

    A task runs from its start to its due day; a policy from the plan's start to
    its due day; a target from its task's start (the plan's for a measure's own
    target) to its deadline; a milestone from its task's start to its due day,
    else its task's. Missing days default to the plan's start and end.

    Args:
        item: The task, policy, target or milestone.
        plan_start: The plan's first day.
        plan_end: The plan's last day.
        task: The task holding a target or milestone, if any.
    """
    task_start = plan_start
    if task is not None and task.start is not None:
        task_start = task.start.toordinal()
    if isinstance(item, Task):
        start = item.start.toordinal() if item.start is not None else plan_start
        due = item.due.toordinal() if item.due is not None else plan_end
        return start, due, trajectory_days(item.trajectory) if item.trajectory else ()
    if isinstance(item, Policy):
        return plan_start, item.due.toordinal() if item.due is not None else plan_end, ()
    if isinstance(item, Target):
        due = item.deadline.toordinal() if item.deadline is not None else plan_end
        points = trajectory_days(item.trajectory) if item.trajectory else ()
        return task_start, due, points
    if item.due is not None:
        due = item.due.toordinal()
    elif task is not None and task.due is not None:
        due = task.due.toordinal()
    else:
        due = plan_end
    return task_start, due, ()


def _interpolate(at: int, points: Sequence[tuple[int, float]]) -> float:
    first_day, first = points[0]
    if at <= first_day:
        return first
    previous_day, previous = first_day, first
    for point_day, fraction in points[1:]:
        if at <= point_day:
            return previous + (fraction - previous) * (at - previous_day) / (
                point_day - previous_day
            )
        previous_day, previous = point_day, fraction
    return previous


def planned_points(
    start: int, due: int, trajectory: Sequence[tuple[int, float]]
) -> list[tuple[int, float]]:
    """The points `expected` interpolates through for a trajectory.

    The trajectory is extended with `(due, 1)` when it has no point on the due
    day and with `(start, 0)` when it has none on the start day (a start on
    the due day takes the due day's point).

    >>> planned_points(0, 40, ((20, 0.8),))
    [(0, 0.0), (20, 0.8), (40, 1.0)]
    >>> planned_points(0, 40, ((0, 0.2), (40, 0.9)))
    [(0, 0.2), (40, 0.9)]
    """
    start = min(start, due)
    points = dict(trajectory)
    points.setdefault(due, 1.0)
    points.setdefault(start, 0.0)
    return sorted(points.items())


def expected(
    as_of: int, start: int, due: int, trajectory: Sequence[tuple[int, float]] = ()
) -> float:
    """The completion expected at day `as_of` of work running from `start` to `due`.

    Before the start it is 0 and after the due day 1, whatever a trajectory says;
    between, it is linear in days, or piecewise linear through the trajectory's
    points as `planned_points` extends them.

    Args:
        as_of: The day of the assessment.
        start: The first day of the work.
        due: The day it is due.
        trajectory: Optional planned `(day, fraction)` points, by day.

    >>> expected(10, 0, 40)
    0.25
    >>> expected(10, 0, 40, trajectory=((20, 0.8),))
    0.4
    >>> expected(41, 0, 40, trajectory=((20, 0.5), (40, 0.5)))
    1.0
    """
    start = min(start, due)
    if as_of > due:
        return 1.0
    if as_of < start:
        return 0.0
    if trajectory:
        return min(1.0, max(0.0, _interpolate(as_of, planned_points(start, due, trajectory))))
    if as_of >= due:
        return 1.0
    if as_of <= start:
        return 0.0
    return (as_of - start) / (due - start)


def spi(completion: float | None, expected: float | None) -> float | None:
    """Completion over expected, or `None` when either is unknown or expected is 0.

    >>> spi(0.3, 0.5)
    0.6
    """
    if completion is None or expected is None or expected <= 0.0:
        return None
    return completion / expected


def progress(
    completion: float | None,
    expected: float | None,
    *,
    as_of: int,
    due: int | None,
    rules: Rules,
    cancelled: bool = False,
) -> Progress:
    """The status of a result (see [Concepts: Status][status]), first rule that applies.

    >>> progress(0.4, 0.5, as_of=10, due=20, rules=Rules())
    <Progress.AT_RISK: 'at_risk'>
    """
    if cancelled:
        return _CANCELLED
    if completion is None:
        return _NO_DATA
    if completion >= 1.0:
        return _DONE
    if due is not None and as_of > due:
        return _OVERDUE
    if expected is None or expected <= 0.0:
        return _ON_TRACK
    index = completion / expected
    if index >= rules.on_track:
        return _ON_TRACK
    if index >= rules.at_risk:
        return _AT_RISK
    return _OFF_TRACK


def schedule(
    day: int,
    windows: Sequence[Window],
    numbers: Sequence[int],
    *,
    dues: Sequence[int],
    completions: Sequence[float | None],
    cancelled: Sequence[bool],
    rules: Rules,
) -> tuple[list[float], list[Progress]]:
    """The expected completion and the status at `day` of many leaves and parts at once.

    Node `i` runs in window `windows[numbers[i]]`, due on day `dues[i]`: nodes that
    share a window share its expected completion, worked out once. The figures are
    those of `expected` and `progress` node by node.

    Args:
        day: The day of the assessment.
        windows: The distinct windows.
        numbers: Each node's window, as a position in `windows`.
        dues: Each node's due day (its window's).
        completions: Each node's completion.
        cancelled: Whether each node is cancelled.
        rules: The assessment's rules.

    >>> schedule(10, [(0, 40, ()), (0, 5, ())], [0, 1, 0], dues=[40, 5, 40],
    ...          completions=[0.25, None, 0.1], cancelled=[False] * 3, rules=Rules())
    ([0.25, 1.0, 0.25], [<Progress.ON_TRACK: 'on_track'>, <Progress.NO_DATA: 'no_data'>, \
<Progress.OFF_TRACK: 'off_track'>])
    """
    fractions = [expected(day, start, due, points) for start, due, points in windows]
    expecteds = [fractions[number] for number in numbers]
    on_track, at_risk = rules.on_track, rules.at_risk
    # `progress`, rule by rule, without a call per node.
    statuses = [
        _CANCELLED
        if off
        else _NO_DATA
        if completion is None
        else _DONE
        if completion >= 1.0
        else _OVERDUE
        if day > due
        else _ON_TRACK
        if fraction <= 0.0 or completion / fraction >= on_track
        else _AT_RISK
        if completion / fraction >= at_risk
        else _OFF_TRACK
        for completion, fraction, due, off in zip(
            completions, expecteds, dues, cancelled, strict=True
        )
    ]
    return expecteds, statuses


@attrs.frozen
class Forecast:
    """Where a target's least-squares line says it will be at its deadline.

    Attributes:
        value: The projected value, in the target's unit.
        on: The deadline projected to.
        would_meet: Whether the projected value meets the target.
        slope: The line's change per day, in the target's unit.
        points: How many points the line was fitted through.
    """

    value: Quantity
    on: pendulum.Date
    would_meet: bool
    slope: float
    points: int


def series(target: Target, points: Sequence[Point]) -> list[tuple[int, Decimal]]:
    """The series a forecast fits: the baseline, then levels or running totals."""
    baseline = target.baseline
    line: list[tuple[int, Decimal]] = []
    if target.aggregation is Aggregation.SUM:
        total = Decimal(0)
        if baseline is not None:
            total = baseline.value.to(target.value.unit).value
            line.append((baseline.on.toordinal(), total))
        for point_day, increment in points:
            total += increment
            line.append((point_day, total))
        return line
    if baseline is not None and all(
        point_day != baseline.on.toordinal() for point_day, _ in points
    ):
        line.append((baseline.on.toordinal(), baseline.value.to(target.value.unit).value))
    line.extend(points)
    line.sort(key=lambda point: point[0])
    return line


def forecast(target: Target, points: Sequence[Point], *, deadline: DateLike) -> Forecast | None:
    """Project `target` to `deadline` from its counted points, if it can be done.

    Args:
        target: The target.
        points: Its counted `(day, value)` points (see
            `counted_points`).
        deadline: The day to project to.

    Returns:
        `None` unless the series has two points on different days.
    """
    line = series(target, points)
    if len(line) < 2:
        return None
    origin = line[0][0]
    xs = [float(point_day - origin) for point_day, _ in line]
    ys = [float(value) for _, value in line]
    mean_x = math.fsum(xs) / len(xs)
    mean_y = math.fsum(ys) / len(ys)
    spread = math.fsum((x - mean_x) ** 2 for x in xs)
    if spread <= 0.0:
        return None
    slope = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    end = as_date(deadline)
    projected = mean_y + slope * (end.toordinal() - origin - mean_x)
    if not math.isfinite(projected) or abs(projected) >= 1e60:
        return None
    value = computed(Decimal(f"{projected:.10g}"), target.value.unit)
    return Forecast(value, end, target.met(value), slope, len(line))
