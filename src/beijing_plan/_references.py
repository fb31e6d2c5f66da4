"""A ledger's records checked against a plan: the ids they name, their units, and whether
the revisions fit their items.

The ledger's [`check`][beijing_plan.ledger.Ledger.check] and the loaders call these. A
record is told by its class name, as in `_corrections`, so that this module sits beside
the ledger's classes without importing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._validators import id_problem
from .exceptions import PlanValidationError
from .model import Milestone, Plan, Policy, Target, Task
from .units import get_unit

if TYPE_CHECKING:
    from .ledger import Revision

__all__ = ["reference_of", "reference_problems", "revision_problems"]


def reference_problems(records: Iterable[object], plan: Plan) -> list[tuple[str, str]]:
    """Records that name an id the plan does not have, the wrong kind of item, or a unit
    of another dimension than their target's, and revisions that do not fit their item,
    as `(path, message)`.

    `records` may hold records or record documents (mappings with a `kind`),
    so that a ledger document that does not build is still checked against its
    plan; whatever in a document is malformed is skipped here (the converter
    reports it).
    """
    problems: list[tuple[str, str]] = []
    revisions: dict[str, list[tuple[int, Revision]]] = {}
    for i, record in enumerate(records):
        problem = _reference_problem(record, plan)
        if problem is not None:
            problems.append((f"records[{i}].{problem[0]}", problem[1]))
        elif type(record).__name__ == "Revision":
            revision: Any = record
            revisions.setdefault(revision.item, []).append((i, revision))
    for item_id, found in revisions.items():
        problems.extend(revision_problems(plan[item_id], found))
    return problems


def reference_of(record: object) -> tuple[str, str, object, object] | None:
    """The kind of a record or its document, the field naming its item, the id it names
    and its unit (observations only)."""
    built: Any = record
    name = type(record).__name__
    if name == "Observation":
        return "observation", "target", built.target, built.value.unit
    if name == "StatusChange":
        return "status", "item", built.item, None
    if name == "Revision":
        return "revision", "item", built.item, None
    if isinstance(record, Mapping):
        kind = record.get("kind")
        if kind == "observation":
            value = record.get("value")
            field = "target" if "target" in record and "item" not in record else "item"
            unit = value.get("unit") if isinstance(value, Mapping) else None
            return kind, field, record.get(field), unit
        if kind in ("status", "revision"):
            return kind, "item", record.get("item"), None
    return None


#: What each kind of item has that a revision may change.
_REVISABLE: dict[type, frozenset[str]] = {
    Task: frozenset({"start", "due", "weight"}),
    Policy: frozenset({"due", "weight"}),
    Milestone: frozenset({"due", "weight"}),
    Target: frozenset({"due", "value", "upper", "weight"}),
}


def _dimension(unit: object) -> tuple[str, str] | None:
    """The canonical name and the dimension of a unit, or `None` for no known unit."""
    if not isinstance(unit, str):
        return None
    try:
        found = get_unit(unit)
    except PlanValidationError:
        return None
    return found.name, found.dimension


def _reference_problem(record: object, plan: Plan) -> tuple[str, str] | None:
    reference = reference_of(record)
    if reference is None:
        return None
    kind, field, item_id, unit = reference
    if not isinstance(item_id, str) or id_problem(item_id) is not None:
        return None  # a malformed id is reported where the record is read
    node = plan.get(item_id)
    if node is None:
        return field, f"{item_id!r} is not an id of the plan"
    if kind == "revision":
        if type(node) not in _REVISABLE:
            return field, (
                f"{item_id!r} is a {type(node).__name__}; revisions are for tasks, policies, "
                "milestones and targets"
            )
        return None
    if kind == "observation":
        if not isinstance(node, Target):
            return field, f"{item_id!r} is a {type(node).__name__}, not a Target"
        dimension = _dimension(unit)
        if dimension is not None and dimension[1] != node.value.dimension:
            return "value", (
                f"unit {dimension[0]!r} does not measure {node.value.dimension} "
                f"like the target's unit {node.value.unit!r}"
            )
        return None
    if not isinstance(node, Task | Policy | Milestone):
        return field, (
            f"{item_id!r} is a {type(node).__name__}; "
            "status changes are for tasks, policies and milestones"
        )
    return None


def revision_problems(
    item: object, revisions: Iterable[tuple[int, Revision]]
) -> list[tuple[str, str]]:
    """Revisions of `item` (with their ledger indices) that do not fit it, as `(path, message)`.

    Each field must be one the item has; a target's values must be in its unit's
    dimension, and `upper` is for `between` targets. Applied in order (by date, then
    ledger order), the revisions must keep `start <= due` and `upper >= value`.
    """
    kind = type(item).__name__.lower()
    allowed = _REVISABLE[type(item)]
    problems: list[tuple[str, str]] = []
    start = getattr(item, "start", None)
    due = item.deadline if isinstance(item, Target) else getattr(item, "due", None)
    value = item.value if isinstance(item, Target) else None
    upper = item.upper if isinstance(item, Target) else None
    for i, revision in sorted(revisions, key=lambda pair: pair[1].on.toordinal()):
        path = f"records[{i}]"
        wrong = [name for name in revision.changes() if name not in allowed]
        if wrong:
            problems.extend(
                (f"{path}.{name}", f"a {kind} has no {name} to revise") for name in wrong
            )
            continue
        if isinstance(item, Target):
            misfit = _quantity_misfit(item, revision)
            if misfit is not None:
                problems.append((f"{path}.{misfit[0]}", misfit[1]))
                continue
        start = revision.start or start
        due = revision.due or due
        value = revision.value or value
        upper = revision.upper or upper
        if start is not None and due is not None and start > due:
            field = "start" if revision.start is not None else "due"
            problems.append((f"{path}.{field}", f"start {start} would be after due {due}"))
        if value is not None and upper is not None and upper.to(value.unit).value < value.value:
            field = "upper" if revision.upper is not None else "value"
            problems.append((f"{path}.{field}", f"upper {upper} would be below value {value}"))
    return problems


def _quantity_misfit(target: Target, revision: Revision) -> tuple[str, str] | None:
    """The first of a revision's values that does not fit `target`, as `(field, message)`."""
    for name in ("value", "upper"):
        quantity = getattr(revision, name)
        if quantity is None:
            continue
        if quantity.dimension != target.value.dimension:
            return name, (
                f"unit {quantity.unit!r} does not measure {target.value.dimension} "
                f"like the target's unit {target.value.unit!r}"
            )
    if revision.upper is not None and target.upper is None:
        return (
            "upper",
            f"target {target.id!r} is {target.comparator.value}; "
            "only a between target has an upper bound",
        )
    return None
