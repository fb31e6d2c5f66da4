"""Small builders shared by several test files."""

from __future__ import annotations

from collections.abc import Sequence

from beijing_plan.model import Measure, Plan, Policy, Target, Task
from beijing_plan.units import Quantity


def count(value: float | int | str) -> Quantity:
    """A quantity of `value` in the unit `count`."""
    return Quantity(value, "count")


def year_plan(
    plan_id: str = "p",
    title: str = "P",
    *,
    measures: Sequence[Measure] = (),
    policies: Sequence[Policy] = (),
) -> Plan:
    """A plan running through 2025 that holds the given measures and policies."""
    return Plan(
        plan_id,
        title,
        start="2025-01-01",
        end="2025-12-31",
        measures=list(measures),
        policies=list(policies),
    )


def one_measure_plan(
    *tasks: Task,
    targets: Sequence[Target] = (),
    plan_id: str = "p",
    title: str = "P",
) -> Plan:
    """A plan running through 2025 whose one measure `m` holds the given tasks and targets."""
    measure = Measure("m", 1, "M", tasks=list(tasks), targets=list(targets))
    return year_plan(plan_id, title, measures=[measure])
