"""Completion of targets and leaves (see [Concepts: Leaves][leaves-tasks-and-policies]).

A target's current value comes from its observations up to the date of the
assessment; its attainment is [`ratio`][beijing_plan.model.Target.ratio] clamped to
[0, 1]. A leaf (a task or a policy) takes its completion from the first of the
seven leaf rules that applies; `leaf_completion` returns the completion and
the name of that rule:

| rule | name          | completion                                               |
| ---- | ------------- | -------------------------------------------------------- |
| 1    | `cancelled`   | `None`: the leaf is left out of every roll-up            |
| 2    | `done`        | 1                                                        |
| 3    | `parts`       | weighted mean of its target attainments and milestones   |
| 4    | `percent`     | the reported percent / 100                               |
| 5    | `not_started` | 0                                                        |
| 6    | `in_progress` | `rules.in_progress_credit` (without it, rule 7 applies)  |
| 7    | `missing`     | 0 with `missing="zero"`, `None` with `"exclude"`         |

A measure's own target is a leaf too; its rule is `attainment` when it has a
counted observation, else `missing` (0 or `None` as in rule 7).

Days are proleptic ordinals (`date.toordinal()`), which the engine compares and
subtracts far faster than dates.

Decisions where the design is silent:

- One observation counts per target and day: on a day with several, the later in
  the ledger wins (it is a correction), for every aggregation, `sum` included.
- `sum` counts increments dated after the baseline's date, or, without a
  baseline, on or after the plan's start; earlier increments are ignored, and a
  target with none left has no observation. The level aggregations (`last`,
  `max`, `min`, `mean`) count observations of any date up to the assessment.
- `mean` is the plain mean of the counted levels; the baseline is not a level.
- In rule 3 a milestone counts 1 once its status is `done` and 0 otherwise, a
  milestone with no record included, whatever `rules.missing` says. A cancelled
  milestone drops out: it neither counts nor makes rule 3 apply.
- Rule 3 applies only when the parts it counts weigh more than 0 together;
  otherwise the next rule decides.
- Rule 4 reads the percent of the status record in force only: a later record
  without a percent supersedes an earlier percent.
- A milestone's own completion is 1 when done, 0 under any other status, and
  `None` with no record (it has no data); cancelled, it is `None` too.
"""

from __future__ import annotations

import decimal
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import reduce
from typing import TypeAlias

from .._dates import DateLike, as_date
from ..ledger import Observation, Record, Status, StatusChange
from ..model import Aggregation, Target
from ..rules import Rules
from ..units import Quantity, computed, get_unit

__all__ = [
    "ATTAINMENT",
    "CANCELLED",
    "DONE",
    "IN_PROGRESS",
    "MISSING",
    "NOT_STARTED",
    "PARTS",
    "PERCENT",
    "Part",
    "Point",
    "aggregate",
    "as_part",
    "counted_points",
    "current_value",
    "extended",
    "in_force",
    "last_value",
    "leaf_completion",
    "milestone_completion",
    "missing_completion",
    "part_alone",
    "records_in_force",
    "target_attainment",
]

CANCELLED = "cancelled"
DONE = "done"
PARTS = "parts"
PERCENT = "percent"
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
MISSING = "missing"
ATTAINMENT = "attainment"

#: A counted observation: its day (an ordinal) and its value in the target's unit.
Point: TypeAlias = tuple[int, Decimal]

#: A part of a leaf for rule 3: its weight, its completion (`None`: a target with
#: no observation), and whether it has a record (an observation or a status).
Part: TypeAlias = tuple[float, float | None, bool]

_ZERO = Decimal(0)
# Adds any decimals exactly: a sum needs no more digits than its terms' exponents
# span, and this context rounds nothing short of the largest precision there is.
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
# A mean keeps Python's usual 28 significant digits, or 12 more than its exact sum
# has: exact wherever the quotient ends within them (most of all, a mean of one).
_MEAN_DIGITS = 28
_MEAN_DIGITS_BEYOND_SUM = 12
_STATUS_DONE = Status.DONE
_STATUS_CANCELLED = Status.CANCELLED
_STATUS_NOT_STARTED = Status.NOT_STARTED
_STATUS_IN_PROGRESS = Status.IN_PROGRESS


def counted_points(
    target: Target, observations: Iterable[Observation], *, as_of: int, plan_start: int
) -> list[Point]:
    """The observations of `target` that count at day `as_of`, one per day, by day.

    Args:
        target: The target observed.
        observations: Its observations, oldest first, same-day ones in ledger order
            (as [`by_item`][beijing_plan.ledger.Ledger.by_item] gives them).
        as_of: The day of the assessment; later observations are ignored.
        plan_start: The plan's first day; for `sum` without a baseline, earlier
            increments are ignored.

    Returns:
        `(day, value)` pairs with values in the target's unit.
    """
    unit = target.value.unit
    after = -1
    if target.aggregation is Aggregation.SUM:
        baseline = target.baseline
        after = baseline.on.toordinal() if baseline is not None else plan_start - 1
    points: list[Point] = []
    for record in observations:
        day = record.on.toordinal()
        if day > as_of:
            break
        if day <= after:
            continue
        quantity = record.value
        value = quantity.value if quantity.unit == unit else quantity.to(unit).value
        if points and points[-1][0] == day:
            points[-1] = (day, value)
        else:
            points.append((day, value))
    return points


def last_value(target: Target, observations: Sequence[Observation]) -> Decimal:
    """The current value of a `last` target from its observations up to the day.

    The same as `aggregate` of `counted_points`, without the list of points: the
    observations are by day, same-day ones in ledger order, none after the day,
    so the last one is the one that counts.
    """
    quantity = observations[-1].value
    unit = target.value.unit
    return quantity.value if quantity.unit == unit else quantity.to(unit).value


def aggregate(target: Target, points: Sequence[Point]) -> Decimal | None:
    """The current value of `target` from its counted points, or `None` if none.

    `sum` adds the increments to the baseline's value (0 without a baseline);
    the others take the last, largest, smallest or mean level.
    """
    if not points:
        return None
    aggregation = target.aggregation
    if aggregation is Aggregation.LAST:
        return points[-1][1]
    values = [value for _, value in points]
    if aggregation is Aggregation.SUM:
        baseline = target.baseline
        start = _ZERO if baseline is None else baseline.value.to(target.value.unit).value
        return reduce(_EXACT.add, values, start)
    if aggregation is Aggregation.MAX:
        return max(values)
    if aggregation is Aggregation.MIN:
        return min(values)
    total = reduce(_EXACT.add, values, _ZERO)
    digits = max(_MEAN_DIGITS, len(total.as_tuple().digits) + _MEAN_DIGITS_BEYOND_SUM)
    return decimal.Context(prec=digits, Emax=_EXACT.Emax, Emin=_EXACT.Emin).divide(
        total, len(values)
    )


def extended(target: Target, value: Decimal | None, points: Sequence[Point]) -> Decimal | None:
    """The current value of a `sum`, `max` or `min` target after more counted points.

    `value` is its value from earlier points (`None`: none counted), and `points` are
    later than any of them. Exact sums do not depend on their order, so the result
    is the value `aggregate` gives for all the points together.

    >>> from beijing_plan import Quantity
    >>> target = Target("t", "T", "at_least", Quantity(60, "count"), aggregation="sum")
    >>> extended(target, Decimal(20), [(1, Decimal(5)), (2, Decimal(7))])
    Decimal('32')
    """
    if not points:
        return value
    if value is None:
        return aggregate(target, points)
    aggregation = target.aggregation
    if aggregation is Aggregation.SUM and len(points) == 1:
        return _EXACT.add(value, points[0][1])
    values = [point_value for _, point_value in points]
    if aggregation is Aggregation.SUM:
        return reduce(_EXACT.add, values, value)
    if aggregation is Aggregation.MAX:
        return max(value, *values)
    if aggregation is Aggregation.MIN:
        return min(value, *values)
    raise ValueError(f"a {aggregation.value!r} target is not extended point by point")


def current_value(
    target: Target,
    observations: Iterable[Observation],
    *,
    as_of: DateLike,
    plan_start: DateLike,
) -> Quantity | None:
    """The current value of `target` at `as_of`, in its unit, or `None`.

    >>> from beijing_plan import Observation
    >>> target = Target("t", "Companies", "at_least", Quantity(60, "count"))
    >>> observations = [Observation("t", "2025-03-01", Quantity(20, "count")),
    ...                 Observation("t", "2025-06-01", Quantity(45, "count"))]
    >>> current_value(target, observations, as_of="2025-05-01", plan_start="2025-01-01")
    Quantity(value=Decimal('20'), unit='count')
    """
    ordered = sorted(observations, key=lambda o: o.on.toordinal())
    points = counted_points(
        target,
        ordered,
        as_of=as_date(as_of).toordinal(),
        plan_start=as_date(plan_start).toordinal(),
    )
    value = aggregate(target, points)
    return None if value is None else computed(value, target.value.unit)


def target_attainment(target: Target, current: Quantity | None) -> tuple[float, float] | None:
    """`(attainment, raw ratio)` of `target` at `current`, or `None` without a value.

    >>> target_attainment(Target("t", "T", "at_least", Quantity(60, "count")),
    ...                   Quantity(90, "count"))
    (1.0, 1.5)
    """
    if current is None:
        return None
    ratio = target.ratio(current)
    return min(1.0, max(0.0, ratio)), ratio


def in_force(records: Sequence[Record], as_of: int) -> StatusChange | None:
    """The status record in force at day `as_of`, among `records` oldest first.

    The latest dated on or before `as_of` wins; on one day, the later in the ledger.
    """
    for record in reversed(records):
        if type(record) is StatusChange and record.on.toordinal() <= as_of:
            return record
    return None


def _ordinal(record: Observation) -> int:
    return record.on.toordinal()


def records_in_force(
    records: Iterable[Record], *, index: Mapping[str, int], takes: Sequence[str], as_of: int
) -> tuple[list[StatusChange | None], dict[int, list[Observation]], bool]:
    """One pass over a ledger: what counts at day `as_of` for each numbered node.

    Args:
        records: The ledger's records that count, in ledger order (no withdrawals;
            revisions are passed over).
        index: The number of each node a record may name.
        takes: For each node number, `""` if it takes status changes, else the
            dimension of the observations it takes.
        as_of: The day of the assessment.

    Returns:
        The status record in force for each node (or `None`), the observations
        of each observed node up to `as_of` (oldest first, same-day ones in
        ledger order), and whether some record names an unknown node, the wrong
        kind of node or a unit of the wrong dimension.
    """
    latest: list[StatusChange | None] = [None] * len(takes)
    since = [0] * len(takes)  # the day of the status in force so far
    observed: defaultdict[int, list[Observation]] = defaultdict(list)
    unsorted: set[int] = set()
    dimensions: dict[str, str] = {}
    wrong = False
    for record in records:
        on = record.on.toordinal()
        if type(record) is not Observation and type(record) is not StatusChange:
            if index.get(record.item) is None:  # type: ignore[union-attr]
                wrong = True  # a revision of an unknown item (withdrawals are gone already)
            continue
        if isinstance(record, StatusChange):
            slot = index.get(record.item)
            if slot is None or takes[slot]:
                wrong = True
            elif as_of >= on >= since[slot]:
                latest[slot] = record
                since[slot] = on
            continue
        slot = index.get(record.target)
        unit = record.value.unit
        dimension = dimensions.get(unit)
        if dimension is None:
            dimension = dimensions[unit] = get_unit(unit).dimension
        if slot is None or takes[slot] != dimension:
            wrong = True
        elif on <= as_of:
            found = observed[slot]
            if found and on < found[-1].on.toordinal():
                unsorted.add(slot)
            found.append(record)
    for slot in unsorted:
        observed[slot].sort(key=_ordinal)
    return latest, observed, wrong


def missing_completion(rules: Rules) -> float | None:
    """The completion of something with nothing recorded (rule 7)."""
    return 0.0 if rules.missing == "zero" else None


def milestone_completion(status: StatusChange | None) -> float | None:
    """A milestone's own completion: 1 done, 0 otherwise, `None` unknown or cancelled."""
    if status is None or status.status is _STATUS_CANCELLED:
        return None
    return 1.0 if status.status is _STATUS_DONE else 0.0


def as_part(
    weight: float, completion: float | None, *, target: bool, recorded: bool, cancelled: bool
) -> Part | None:
    """A task's target or milestone as a rule-3 part (`None` when cancelled).

    A target counts by its attainment, and only a counted observation makes it a
    record for rule 3 (an increment of a `sum` target dated on or before its
    baseline is a record all the same, but attains nothing); a milestone counts 1
    done, 0 otherwise.
    """
    if cancelled:
        return None
    if target:
        return weight, completion, completion is not None
    return weight, completion or 0.0, recorded


def _parts_mean(parts: Sequence[Part], zero: bool) -> float | None:
    if len(parts) == 1:
        return _part_alone(*parts[0], zero)
    if not any(recorded for _, _, recorded in parts):
        return None
    weights: list[float] = []
    products: list[float] = []
    for weight, value, _ in parts:
        if value is not None:
            weights.append(weight)
            products.append(weight * value)
        elif zero:
            weights.append(weight)
    total = math.fsum(weights)
    if total <= 0.0:
        return None
    return min(1.0, max(0.0, math.fsum(products) / total))


def _part_alone(weight: float, value: float | None, recorded: bool, zero: bool) -> float | None:
    """`_parts_mean` of one part: the same figure, to the last bit, without the sums.

    The sum of one number is that number, so the mean is `weight * value / weight`,
    computed in that order as the general case does.
    """
    if not recorded or (value is None and not zero) or weight <= 0.0:
        return None
    if value is None:
        return 0.0
    return min(1.0, max(0.0, weight * value / weight))


def part_alone(
    weight: float, completion: float | None, *, target: bool, recorded: bool, zero: bool
) -> float | None:
    """Rule 3 for a task with one part, not cancelled: the completion it gives, or `None`
    where it does not apply (the next rule decides).

    The same figure as `_parts_mean` of the one part `as_part` makes, without the list;
    `zero` is whether `rules.missing` is `"zero"`.

    >>> part_alone(2.0, 0.3, target=True, recorded=True, zero=True)
    0.3
    >>> part_alone(1.0, None, target=False, recorded=True, zero=False)
    0.0
    """
    if target:
        return _part_alone(weight, completion, completion is not None, zero)
    return _part_alone(weight, completion or 0.0, recorded, zero)


def leaf_completion(
    status: StatusChange | None, parts: Sequence[Part], rules: Rules
) -> tuple[float | None, str]:
    """The completion of a task or policy and the name of the rule that decided it.

    Args:
        status: The status record in force at the assessment, if any.
        parts: Its targets and milestones for rule 3 (empty for a policy).
        rules: The assessment's rules.

    >>> leaf_completion(StatusChange("t", "2025-03-01", "in_progress", percent=40), (), Rules())
    (0.4, 'percent')
    >>> leaf_completion(None, (), Rules(missing="exclude"))
    (None, 'missing')
    """
    code = None if status is None else status.status
    if code is _STATUS_CANCELLED:
        return None, CANCELLED
    if code is _STATUS_DONE:
        return 1.0, DONE
    if parts:
        mean = _parts_mean(parts, rules.missing == "zero")
        if mean is not None:
            return mean, PARTS
    if status is not None:
        if status.percent is not None:
            return status.percent / 100.0, PERCENT
        if code is _STATUS_NOT_STARTED:
            return 0.0, NOT_STARTED
        if code is _STATUS_IN_PROGRESS and rules.in_progress_credit is not None:
            return rules.in_progress_credit, IN_PROGRESS
    return missing_completion(rules), MISSING
