"""Responsible units in columns: the units table and the roll-up of each unit's leaves.

The units table says which units answer for which leaf, one row per leaf, unit and
role (`UNITS_SCHEMA`): a task for its `lead` units (role `"lead"`) and its
`partners` (`"partner"`), a measure's own target for its measure's `lead`, a
policy for its own `lead`, as [`by_unit`][beijing_plan.assessment.Assessment.by_unit]
counts them. A unit's figures are the flat roll-up of its leaves (whatever
`rules.rollup` says), by the sums of `beijing_plan.columnar._rollup`, grouped by
plan and unit; role `"any"` counts a leaf once per unit however many roles it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import narwhals as nw
import pyarrow as pa

from .._engine.units import leaf_units
from ..exceptions import PlanValidationError
from ..model import Plan
from ..rules import Rules
from ._rollup import _finish, _flat, _prepared, _sums
from ._tables import _field

__all__ = ["UNITS_SCHEMA", "build_unit_table", "role_members", "unit_results"]

#: The units table: which unit answers for which leaf (by its `key`), in which role.
UNITS_SCHEMA = pa.schema(
    [
        _field("plan", pa.string()),
        _field("key", pa.int64()),
        _field("unit", pa.string()),
        _field("role", pa.string()),
    ]
)

Frame = nw.LazyFrame[Any]


def build_unit_table(plans: Sequence[Plan], leaves: pa.Table) -> pa.Table:
    """The units table of `plans`, keyed as their leaves are in `leaves`.

    Raises:
        PlanValidationError: for a leaf of a plan that `leaves` does not hold.
    """
    keys = {
        (plan, leaf): key
        for plan, leaf, key in zip(
            leaves.column("plan").to_pylist(),
            leaves.column("leaf").to_pylist(),
            leaves.column("key").to_pylist(),
            strict=True,
        )
    }
    columns: dict[str, list[Any]] = {name: [] for name in UNITS_SCHEMA.names}
    problems: list[tuple[str, str]] = []
    for i, plan in enumerate(plans):
        for leaf, (lead, partners) in leaf_units(plan).items():
            key = keys.get((plan.id, leaf))
            if key is None:
                problems.append((f"plans[{i}]", f"leaf {leaf!r} is not in the leaves table"))
                continue
            for role, names in (("lead", lead), ("partner", partners)):
                for name in dict.fromkeys(names):
                    columns["plan"].append(plan.id)
                    columns["key"].append(key)
                    columns["unit"].append(name)
                    columns["role"].append(role)
    if problems:
        raise PlanValidationError(problems)
    return pa.table(columns, schema=UNITS_SCHEMA)


def role_members(units: Frame, role: str) -> Frame:
    """Each `(key, unit)` of `role` once (`"any"`: either role)."""
    chosen = units if role == "any" else units.filter(nw.col("role") == role)
    return chosen.select("key", "unit").unique()


def unit_results(frame: Frame, members: Frame, *, as_of: dt.date, rules: Rules) -> Frame:
    """Each unit's result (level `"unit"`, `id` its name) from the leaf figures.

    Args:
        frame: The leaf figures, from [`leaf_frame`][beijing_plan.columnar._leaves.leaf_frame].
        members: `key`, `plan` and `unit` of each leaf a unit answers for.
        as_of: The date of the assessment.
        rules: The rules.
    """
    rows = _prepared(frame).join(members, on="key", how="inner")
    totals = _sums(rows, ("plan", "unit")).rename({"unit": "id"})
    return _finish(_flat(totals), "unit", as_of=as_of, rules=rules)


def unit_problems(units: Frame, leaves: Frame) -> list[tuple[str, str]]:
    """Roles other than lead and partner, and keys the leaves table lacks."""
    problems: list[tuple[str, str]] = []
    roles = units.filter(~nw.col("role").is_in(["lead", "partner"])).select("role")
    bad = roles.head(1).collect().to_dict(as_series=False)["role"]
    if bad:
        problems.append(("units.role", f"{bad[0]!r} is not one of 'lead', 'partner'"))
    known = leaves.select("key", "plan").unique()
    lost = units.join(known, on=["key", "plan"], how="anti").select("key", "plan").head(1)
    found = lost.collect().to_dict(as_series=False)
    if found["key"]:
        problems.append(
            (
                "units.key",
                f"{found['key'][0]!r} of plan {found['plan'][0]!r} is not a leaf's key",
            )
        )
    return problems


def plans_of(plans: Plan | Iterable[Plan]) -> list[Plan]:
    """The plans as a list; our error for anything else."""
    if isinstance(plans, Plan):
        return [plans]
    if isinstance(plans, str | bytes) or not isinstance(plans, Iterable):
        raise PlanValidationError([("plans", f"{plans!r} is not a plan or a list of plans")])
    listed = list(plans)
    problems = [
        (f"plans[{i}]", f"{plan!r} is not a Plan")
        for i, plan in enumerate(listed)
        if not isinstance(plan, Plan)
    ]
    if problems:
        raise PlanValidationError(problems)
    return listed
