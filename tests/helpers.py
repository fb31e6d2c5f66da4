"""Small builders shared by several test files."""

from __future__ import annotations

from beijing_plan.units import Quantity


def count(value: float | int | str) -> Quantity:
    """A quantity of `value` in the unit `count`."""
    return Quantity(value, "count")
