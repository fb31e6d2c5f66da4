"""The engine's node table: every node's figures, one column per figure.

Nodes are numbered: the leaves first (in plan order), then the targets and
milestones of tasks, then the measures, themes and the plan, then the responsible
units of each role as they are first asked for. Each column is a
list indexed by that number. Only plain values (floats, ints, shared enums and
strings) are stored per node, because the garbage collector scans every
container and a million new ones would cost more than the work.

A figure is added in one place: a column of `Nodes`, with its default in
`Nodes.grow` and its value in `Nodes.set`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import Item, Milestone, Plan, Policy, Target, Task
from ..rules import Progress

if TYPE_CHECKING:
    from .units import ResponsibleUnit

__all__ = ["TARGET", "Nodes"]

#: The kind of a target node.
TARGET = "target"

_KIND: dict[type, str] = {
    Task: "task",
    Policy: "policy",
    Target: TARGET,
    Milestone: "milestone",
}


class Nodes:
    """Every node's id, kind, model object and figures, as columns indexed by node number.

    Attributes:
        ids: Each node's id.
        kinds: `"task"`, `"policy"`, `"target"`, `"milestone"`, `"measure"`,
            `"theme"`, `"plan"` or `"unit"`.
        items: Its model object.
        weight: Its weight (for a group, the sum over its leaves not cancelled).
        completion: Its completion, or `None`.
        expected: Its expected completion, or `None`.
        recorded: Whether it has any record up to the date.
        cancelled: Whether it is cancelled.
        due: Its due day (a day ordinal).
        rule: The leaf rule that decided its completion (`None` for others).
        status: Where it stands.
        values: A target's current value, by node number (targets observed only).
        ratios: A target's raw attainment, by node number (targets observed only).
    """

    __slots__ = (
        "cancelled",
        "completion",
        "due",
        "expected",
        "ids",
        "items",
        "kinds",
        "ratios",
        "recorded",
        "rule",
        "status",
        "values",
        "weight",
    )

    ids: list[str]
    kinds: list[str]
    items: list[Item | Plan | ResponsibleUnit]
    weight: list[float]
    completion: list[float | None]
    expected: list[float | None]
    recorded: list[bool]
    cancelled: list[bool]
    due: list[int]
    rule: list[str | None]
    status: list[Progress]
    values: dict[int, Decimal]
    ratios: dict[int, float]

    def __init__(self) -> None:
        self.ids, self.kinds, self.items = [], [], []
        self.weight, self.completion, self.expected = [], [], []
        self.recorded, self.cancelled, self.due = [], [], []
        self.rule, self.status = [], []
        self.values, self.ratios = {}, {}

    def __len__(self) -> int:
        return len(self.ids)

    def grow(self, items: Sequence[Item | Plan | ResponsibleUnit], kind: str | None = None) -> int:
        """Add nodes for `items` with no figures yet; return the number of the first.

        Args:
            items: The model objects.
            kind: Their kind; by default each one's own (task, policy, target or
                milestone), its weight its own.
        """
        first, size = len(self.ids), len(items)
        self.items += items
        self.ids += [item.id for item in items]
        if kind is None:
            self.kinds += [_KIND[type(item)] for item in items]
            self.weight += [item.weight for item in items]  # type: ignore[union-attr]
        else:
            self.kinds += [kind] * size
            self.weight += [0.0] * size
        self.completion += [None] * size
        self.expected += [None] * size
        self.recorded += [False] * size
        self.cancelled += [False] * size
        self.due += [0] * size
        self.rule += [None] * size
        self.status += [Progress.NO_DATA] * size
        return first

    def copy(self) -> Nodes:
        """A node table with the same nodes and figures, each column a copy."""
        copied = Nodes()
        for name in self.__slots__:
            column = getattr(self, name)
            setattr(copied, name, column.copy())
        return copied

    def set(
        self,
        position: int,
        completion: float | None,
        expected: float | None,
        status: Progress,
        due: int,
        *,
        recorded: bool,
        cancelled: bool,
    ) -> None:
        """Record the figures of the node at `position`."""
        self.completion[position] = completion
        self.expected[position] = expected
        self.status[position] = status
        self.due[position] = due
        self.recorded[position] = recorded
        self.cancelled[position] = cancelled
