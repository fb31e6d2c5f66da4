"""The plan in force: each item as its revisions left it on a day (see [Revisions][revisions]).

A [`Revision`][beijing_plan.ledger.Revision] changes some of `start`, `due`, `value`,
`upper` and `weight` of a task, policy, milestone or target from its `on` day;
`due` is a target's `deadline`. Applied oldest first, a later revision wins field
by field, and of two on one day the later in the ledger. With
`Rules(basis="original")` the engine applies none.

Revised values depend on the day of the assessment, so they are worked out for
each day: `revisions_of` groups a ledger's revisions once, `item_in_force`
applies those dated up to a day.

Decisions where the design is silent:

- A revised `value` or `upper` is converted to the target's own unit, so that its
  observations, current value and forecast keep one unit throughout.
- An item whose revisions all come after the day is the item as planned.
- `done_by` asks whether a leaf, target or milestone was done on a day with the
  records dated up to that day and the item as in force that day, by the leaf
  rules of the assessment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from .._references import revision_problems
from ..exceptions import UnknownReferenceError
from ..ledger import (
    REVISED_FIELDS,
    Ledger,
    Observation,
    Record,
    Revision,
    Status,
)
from ..model import Milestone, Plan, Policy, Target, Task
from ..rules import Rules
from ..units import Quantity, computed
from .completion import Part, aggregate, counted_points, in_force, leaf_completion

__all__ = [
    "changes_in_force",
    "check_revisions",
    "done_by",
    "item_in_force",
    "revisions_of",
]

Revisable = TypeVar("Revisable", bound=Task | Policy | Milestone | Target)


def _ordinal(record: Revision) -> int:
    return record.on.toordinal()


def revisions_of(records: Iterable[Record]) -> dict[str, list[Revision]]:
    """The revisions among `records` (ledger order), by item, oldest first.

    Revisions of one day keep their ledger order, so the last of a day wins.
    """
    found: dict[str, list[Revision]] = {}
    for record in records:
        if type(record) is Revision:
            found.setdefault(record.item, []).append(record)
    for group in found.values():
        group.sort(key=_ordinal)
    return found


def changes_in_force(revisions: Sequence[Revision], day: int) -> dict[str, object]:
    """The fields the revisions dated up to `day` set, the latest value of each.

    Args:
        revisions: An item's revisions, oldest first (as `revisions_of` gives them).
        day: The day (an ordinal).
    """
    fields: dict[str, object] = {}
    for revision in revisions:
        if revision.on.toordinal() > day:
            break
        for name in REVISED_FIELDS:
            value = getattr(revision, name)
            if value is not None:
                fields[name] = value
    return fields


def item_in_force(item: Revisable, revisions: Sequence[Revision], day: int) -> Revisable:
    """`item` as the revisions dated up to `day` leave it (`item` itself when none does).

    Args:
        item: A task, policy, milestone or target of the plan.
        revisions: Its revisions, oldest first, that fit it (see
            the checks of `Ledger.check`).
        day: The day (an ordinal).

    >>> from beijing_plan import Quantity, Revision
    >>> target = Target("t", "Firms", "at_least", Quantity(60, "count"), deadline="2025-06-30")
    >>> revised = item_in_force(target, [Revision("t", "2025-05-20", due="2025-12-31",
    ...                                           value=Quantity(50, "count"))],
    ...                         day=Revision("t", "2025-06-01", weight=1).on.toordinal())
    >>> str(revised.deadline), str(revised.value)
    ('2025-12-31', '50')
    """
    fields: dict[str, Any] = changes_in_force(revisions, day)
    if not fields:
        return item
    if isinstance(item, Target):
        unit = item.value.unit
        for name in ("value", "upper"):
            quantity = fields.get(name)
            if isinstance(quantity, Quantity) and quantity.unit != unit:
                fields[name] = quantity.to(unit)
        if "due" in fields:
            fields["deadline"] = fields.pop("due")
    return attrs.evolve(item, **fields)


def check_revisions(
    plan: Plan, ledger: Ledger, known: Ledger, revised: dict[str, list[Revision]]
) -> None:
    """Raise if a revision that counts does not fit its item, with its path in `ledger`.

    Args:
        plan: The plan; every item named in `revised` is a task, policy, milestone or
            target of it.
        ledger: The whole ledger, whose indices the paths give.
        known: The records that count (see [`known_at`][beijing_plan.ledger.Ledger.known_at]).
        revised: The revisions of `known`, by item (as `revisions_of` gives them).

    Raises:
        UnknownReferenceError: listing every revision that does not fit.
    """
    if not any(revision_problems(plan[key], enumerate(found)) for key, found in revised.items()):
        return
    ledger.check(plan)  # the whole ledger's problems, when the ledger itself has them
    # What counts may not fit where the whole ledger does (a withdrawn extension).
    where = {id(record): i for i, record in enumerate(ledger.records)}
    problems: list[tuple[str, str]] = []
    for key, found in revised.items():
        problems.extend(revision_problems(plan[key], [(where[id(r)], r) for r in found]))
    raise UnknownReferenceError(problems)


def _at(item: Revisable, revised: Mapping[str, Sequence[Revision]], day: int) -> Revisable:
    found = revised.get(item.id)
    return item if not found else item_in_force(item, found, day)


def _attainment(
    target: Target, records: Sequence[Record], day: int, plan_start: int
) -> float | None:
    observations = [r for r in records if type(r) is Observation]
    value = aggregate(
        target, counted_points(target, observations, as_of=day, plan_start=plan_start)
    )
    if value is None:
        return None
    return min(1.0, max(0.0, target.ratio(computed(value, target.value.unit))))


def done_by(
    item: Task | Policy | Milestone | Target,
    day: int,
    *,
    records: Mapping[str, Sequence[Record]],
    revised: Mapping[str, Sequence[Revision]],
    plan_start: int,
    rules: Rules,
) -> bool:
    """Whether `item` was done on `day`: its completion then was 1.

    Args:
        item: A task, policy, milestone or target, as planned.
        day: The day (an ordinal).
        records: The records that count, by item, oldest first (as
            [`by_item`][beijing_plan.ledger.Ledger.by_item] gives them).
        revised: The revisions to apply, by item, oldest first (none for
            `basis="original"`).
        plan_start: The plan's first day.
        rules: The rules of the assessment.
    """
    item = _at(item, revised, day)
    if isinstance(item, Target):
        found = _attainment(item, records.get(item.id, ()), day, plan_start)
        return found is not None and found >= 1.0
    status = in_force(records.get(item.id, ()), day)
    if isinstance(item, Milestone):
        return status is not None and status.status is Status.DONE
    parts: list[Part] = []
    if isinstance(item, Task):
        for target in item.targets:
            attainment = _attainment(
                _at(target, revised, day), records.get(target.id, ()), day, plan_start
            )
            parts.append((_at(target, revised, day).weight, attainment, attainment is not None))
        for milestone in item.milestones:
            state = in_force(records.get(milestone.id, ()), day)
            if state is not None and state.status is Status.CANCELLED:
                continue
            done = 1.0 if state is not None and state.status is Status.DONE else 0.0
            parts.append((_at(milestone, revised, day).weight, done, state is not None))
    completion, _ = leaf_completion(status, parts, rules)
    return completion is not None and completion >= 1.0
