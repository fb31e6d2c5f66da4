"""What changed between two assessments of one plan (see [History and change][history-and-change]).

[`Assessment.compare`][beijing_plan.assessment.Assessment.compare] gives, for every
node, a [`Change`][beijing_plan.change.Change]: the two results, the change of
completion, a [`Transition`][beijing_plan.change.Transition] and the records behind
it, in a [`Changes`][beijing_plan.change.Changes] mapping that lists what got done,
what became overdue and what worsened.

The transition is the first that applies:

1. `newly_done`: done after, not before;
2. `newly_overdue`: overdue after, not before;
3. `other`: either status is `no_data` or `cancelled`;
4. `worsened` / `improved`: by severity, done 0 < on_track 1 < at_risk 2 <
   off_track 3 < overdue 4;
5. `unchanged`.

Decisions where the design is silent:

- The records of a change are those that count in the later assessment and not in
  the earlier one (known at its knowledge day, corrections applied, dated on or
  before its date), about the node: for a leaf, the records of it and of its
  targets and milestones; for a target or milestone, its own; for a measure, a
  theme or the plan, those of its leaves. They are in the later ledger's order. A
  record that a correction replaced is not among them; the correction is.
- Two assessments are of one plan when their plans are equal; their dates, rules,
  ledgers and knowledge days may differ, and the earlier one may even be later.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from .exceptions import PlanValidationError
from .model import Task
from .rules import Progress

if TYPE_CHECKING:
    from .assessment import Assessment, Result
    from .ledger import Record

__all__ = ["Change", "Changes", "Transition", "compare"]


class Transition(enum.StrEnum):
    """How a node's status moved from one assessment to a later one."""

    NEWLY_DONE = "newly_done"
    NEWLY_OVERDUE = "newly_overdue"
    WORSENED = "worsened"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    OTHER = "other"


#: How bad each status is; statuses not listed (no data, cancelled) are not compared.
_SEVERITY = {
    Progress.DONE: 0,
    Progress.ON_TRACK: 1,
    Progress.AT_RISK: 2,
    Progress.OFF_TRACK: 3,
    Progress.OVERDUE: 4,
}


def transition(before: Progress, after: Progress) -> Transition:
    """The transition from status `before` to status `after` (the first rule that applies).

    >>> transition(Progress.AT_RISK, Progress.ON_TRACK)
    <Transition.IMPROVED: 'improved'>
    """
    if after is Progress.DONE and before is not Progress.DONE:
        return Transition.NEWLY_DONE
    if after is Progress.OVERDUE and before is not Progress.OVERDUE:
        return Transition.NEWLY_OVERDUE
    old, new = _SEVERITY.get(before), _SEVERITY.get(after)
    if old is None or new is None:
        return Transition.OTHER
    if new > old:
        return Transition.WORSENED
    if new < old:
        return Transition.IMPROVED
    return Transition.UNCHANGED


@attrs.frozen
class Change:
    """How one node changed from an earlier assessment to a later one.

    Attributes:
        id: The node's id.
        kind: Its kind (`"task"`, `"measure"`, `"plan"`, ...).
        before: Its result in the earlier assessment.
        after: Its result in the later one.
        delta: `after.completion - before.completion`, or `None` when either is `None`.
        transition: How its status moved.
        records: The records about it that count in the later assessment and not
            in the earlier one, in ledger order.
    """

    id: str
    kind: str
    before: Result
    after: Result
    delta: float | None
    transition: Transition
    records: tuple[Record, ...] = ()


class Changes(dict[str, Change]):
    """Each node's [`Change`][beijing_plan.change.Change] by id, with lists of the notable ones.

    The lists keep the order of the mapping: the plan, the measures, the themes, the
    leaves, then the targets and milestones of tasks.
    """

    def _having(self, wanted: Transition) -> list[Change]:
        return [change for change in self.values() if change.transition is wanted]

    def newly_done(self) -> list[Change]:
        """What got done: the changes whose transition is `newly_done`."""
        return self._having(Transition.NEWLY_DONE)

    def newly_overdue(self) -> list[Change]:
        """What became overdue: the changes whose transition is `newly_overdue`."""
        return self._having(Transition.NEWLY_OVERDUE)

    def worsened(self) -> list[Change]:
        """What worsened: the changes whose transition is `worsened`."""
        return self._having(Transition.WORSENED)

    def improved(self) -> list[Change]:
        """What improved: the changes whose transition is `improved`."""
        return self._having(Transition.IMPROVED)


def _counting(assessment: Assessment) -> list[Record]:
    """The records that count in `assessment`, in ledger order."""
    day = assessment.as_of.toordinal()
    return [r for r in assessment._engine.known.records if r.on.toordinal() <= day]


def _leaf_items(assessment: Assessment) -> dict[int, tuple[str, ...]]:
    """For each leaf and part, by node number, the ids whose records are about it."""
    engine = assessment._engine
    ids = engine.nodes.ids
    own: dict[int, tuple[str, ...]] = {i: (ids[i],) for i in range(engine.sub_end)}
    for task, first in engine.first_part.items():
        item = engine.nodes.items[task]
        assert isinstance(item, Task)
        own[task] = (ids[task], *ids[first : first + len(item.targets) + len(item.milestones)])
    return own


def _members(assessment: Assessment) -> dict[str, Iterable[int]]:
    """The leaves of each group, by the group's id."""
    engine = assessment._engine
    mem = engine.membership
    found: dict[str, Iterable[int]] = {assessment.plan.id: mem.plan}
    found.update((key, mem.measures[key]) for key in engine.measure_positions)
    found.update((key, mem.themes[key]) for key in engine.theme_positions)
    return found


def _new_records(later: Assessment, earlier: Assessment) -> dict[str, list[tuple[int, Record]]]:
    """The records that count in `later` and not in `earlier`, by item, with their place."""
    before = Counter(_counting(earlier))
    found: dict[str, list[tuple[int, Record]]] = {}
    for place, record in enumerate(_counting(later)):
        if before[record] > 0:
            before[record] -= 1
        else:
            found.setdefault(record.item, []).append((place, record))  # type: ignore[union-attr]
    return found


def _records_of(
    names: Iterable[str], new: Mapping[str, list[tuple[int, Record]]]
) -> tuple[Record, ...]:
    found = [entry for name in names for entry in new.get(name, ())]
    found.sort(key=lambda entry: entry[0])
    return tuple(record for _, record in found)


def compare(later: Assessment, earlier: Assessment) -> Changes:
    """Each node's change from `earlier` to `later`, two assessments of one plan.

    See [`Assessment.compare`][beijing_plan.assessment.Assessment.compare].
    """
    if earlier.plan is not later.plan and earlier.plan != later.plan:
        if earlier.plan.id != later.plan.id:
            message = (
                f"is an assessment of plan {earlier.plan.id!r}, not of {later.plan.id!r}; "
                "only assessments of one plan compare"
            )
        else:
            message = (
                f"is an assessment of another version of plan {later.plan.id!r}; "
                "only assessments of one plan compare"
            )
        raise PlanValidationError([("earlier", message)])
    new = _new_records(later, earlier)
    own = _leaf_items(later) if new else {}
    members = _members(later) if new else {}
    index = later._engine.index
    changes = Changes()
    for after in later.results():
        old = earlier[after.id]
        delta = None
        if after.completion is not None and old.completion is not None:
            delta = after.completion - old.completion
        records: tuple[Record, ...] = ()
        if new:
            group = members.get(after.id)
            if group is None:
                names: Iterable[str] = own[index[after.id]]
            else:
                names = (name for leaf in group for name in own[leaf])
            records = _records_of(names, new)
        changes[after.id] = Change(
            after.id, after.kind, old, after, delta, transition(old.status, after.status), records
        )
    return changes
