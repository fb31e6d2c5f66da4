"""Responsible units: the leaves each unit answers for (see [Units][responsible-units]).

Units are the names in the `lead` and `partners` of the plan's items. A task
counts for the units in its `lead` (role `"lead"`) and its `partners` (role
`"partner"`); a measure's own target for the measure's `lead`; a policy for its
own `lead`. Role `"any"` takes both, each leaf once per unit.

A unit's figures are the flat roll-up of [`flat`][beijing_plan._engine.rollup.flat]
over its leaves, whatever `rules.rollup` says: a unit is no level of the
plan's tree, so nesting has no children to give it.

Decisions where the design is silent:

- Units are listed in the order they first appear in the plan (measures in order,
  each measure's own targets then its tasks, then the policies), and a name is
  taken exactly as written (no trimming, no case folding).
- A unit named both lead and partner of one task counts that task once under `"any"`.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .._errors import fail
from ..model import Plan, Policy, Target, Task, Text
from .rollup import Leaf

__all__ = ["ROLES", "ResponsibleUnit", "check_role", "leaf_units", "unit_members"]

#: The roles a unit can hold for a leaf, and `"any"` for both.
ROLES = ("lead", "partner", "any")


@attrs.frozen
class ResponsibleUnit:
    """A responsible unit as a node of the assessment: its name is its id and title."""

    id: str
    title: Text


def check_role(role: object) -> str:
    """`role` if it is one of `ROLES`.

    Raises:
        PlanValidationError: naming `role` and the bad value.
    """
    if isinstance(role, str) and role in ROLES:
        return role
    raise fail("role", f"{role!r} is not one of 'lead', 'partner', 'any'")


def leaf_units(plan: Plan) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each leaf's `(lead units, partner units)`, by leaf id, in plan order."""
    found: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for measure in plan.measures:
        for target in measure.targets:
            found[target.id] = (measure.lead, ())
        for task in measure.tasks:
            found[task.id] = (task.lead, task.partners)
    for policy in plan.policies:
        found[policy.id] = (policy.lead, ())
    return found


def _units_of(leaf: Leaf, measure_lead: Mapping[str, tuple[str, ...]], role: str) -> list[str]:
    if isinstance(leaf, Task):
        lead, partners = leaf.lead, leaf.partners
    elif isinstance(leaf, Policy):
        lead, partners = leaf.lead, ()
    else:
        assert isinstance(leaf, Target)
        lead, partners = measure_lead.get(leaf.id, ()), ()
    if role == "lead":
        return list(lead)
    if role == "partner":
        return list(partners)
    return [*lead, *partners]


def unit_members(plan: Plan, leaves: tuple[Leaf, ...], role: str) -> dict[str, tuple[int, ...]]:
    """Each unit's leaves (their numbers in `leaves`) for `role`, units in plan order."""
    measure_lead = {
        target.id: measure.lead for measure in plan.measures for target in measure.targets
    }
    members: dict[str, dict[int, None]] = {}
    for position, leaf in enumerate(leaves):
        for unit in _units_of(leaf, measure_lead, role):
            members.setdefault(unit, {})[position] = None
    return {unit: tuple(positions) for unit, positions in members.items()}
