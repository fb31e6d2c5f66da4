"""Revisions (调整) in progress sheets: a new due date or target value, why, and who approved.

A progress sheet may hold four more columns: the new due date (调整后完成时限), the
new target value (调整后目标值), the reason (调整原因) and who approved it
(批准单位). A row with a new due date or a new target value is a
[`Revision`][beijing_plan.ledger.Revision] of its item from the row's date; its note
and source are the revision's. The new value may carry its unit (`50亿元`), or
take the unit column's, or, with a plan, its target's.
"""

from __future__ import annotations

from typing import Protocol

import pendulum

from .._references import revision_problems
from ..exceptions import PlanValidationError
from ..ledger import Revision
from ..model import Milestone, Policy, Target, Task
from ..units import Quantity
from ._cells import CellError, date_cell, number_and_unit, number_cell, split_list, unit_text
from ._columns import Layout
from ._sheets import Cell, Format

__all__ = ["REVISION_COLUMNS", "read_revision", "revision_cells", "unwritable"]

#: The progress sheet's columns of a revision, in the order they are written.
REVISION_COLUMNS = ("new_due", "new_value", "revision_reason", "approved_by")

#: The revision field each column fills, for the problems of a revision against its item.
_COLUMN_OF = {"due": "new_due", "start": "new_due", "value": "new_value", "upper": "new_value"}


class _Reader(Protocol):
    """What a row reader offers (see `_rows`)."""

    layout: Layout
    ok: bool
    problems: list[tuple[str, str]]

    def cell(self, field: str) -> Cell: ...
    def text(self, field: str) -> str | None: ...
    def problem(self, field: str | None, message: str) -> None: ...
    def date(self, field: str, plan_year: int | None) -> pendulum.Date | None: ...


def _new_value(reader: _Reader, target: Target | None) -> Quantity | None:
    try:
        found = number_and_unit(reader.cell("new_value"))
    except CellError as error:
        reader.problem("new_value", str(error))
        return None
    if found is None:
        return None
    value, inline = found
    unit = inline or reader.text("unit") or (None if target is None else target.value.unit)
    if unit is None:
        reader.problem("new_value", "a new target value needs a unit")
        return None
    try:
        return Quantity(value, unit)
    except PlanValidationError as error:
        reader.problem("new_value", error.problems[0][1])
        return None


def read_revision(
    reader: _Reader,
    node: object,
    item: str | None,
    on: pendulum.Date | None,
    plan_year: int | None,
) -> Revision | None:
    """The revision a row records, if any; the problems of its cells go to `reader`.

    Args:
        reader: The row.
        node: The item the row names in the plan (`None` without a plan).
        item: The item's id, if the row gives a good one.
        on: The row's date, if good.
        plan_year: The year that deadline phrases refer to.
    """
    known = len(reader.problems)
    due = reader.date("new_due", plan_year)
    target = node if isinstance(node, Target) else None
    if isinstance(node, Task | Policy | Milestone) and reader.text("new_value") is not None:
        reader.problem(
            "new_value", f"{item!r} is a {type(node).__name__}; only targets take values"
        )
        return None
    value = _new_value(reader, target)
    reason = reader.text("revision_reason")
    approved = split_list(reader.cell("approved_by"))
    if due is None and value is None:
        for field in ("revision_reason", "approved_by"):
            if reader.text(field) is not None and len(reader.problems) == known:
                reader.problem(field, "a reason or an approval without a new due date or value")
        return None
    if not reader.ok or item is None or on is None:
        return None
    try:
        revision = Revision(item, on, due=due, value=value, reason=reason, approved_by=approved)
    except PlanValidationError as error:
        for path, message in error.problems:
            reader.problem(_COLUMN_OF.get(path, "new_value"), message)
        return None
    if isinstance(node, Task | Policy | Milestone | Target):
        for path, message in revision_problems(node, [(0, revision)]):
            reader.problem(_COLUMN_OF.get(path.rpartition(".")[2], "new_value"), message)
    return revision if reader.ok else None


def unwritable(revision: Revision, path: str) -> list[tuple[str, str]]:
    """Why a revision would not go into a progress sheet and read back the same."""
    problems: list[tuple[str, str]] = []
    others = [name for name in ("start", "upper", "weight") if getattr(revision, name) is not None]
    if others:
        problems.append(
            (
                path,
                f"a revision of {', '.join(others)} has no column in a progress sheet "
                "(only a new due date and a new target value)",
            )
        )
    reason = revision.reason
    if reason is not None and reason != reason.strip():
        problems.append(
            (
                f"{path}.reason",
                f"{reason!r} would read back as {reason.strip()!r} "
                "(reading removes surrounding white space)",
            )
        )
    return problems


def revision_cells(revision: Revision, chosen: Format, lang: str, joiner: str) -> dict[str, Cell]:
    """The cells of a revision's row, by column (its note and source are written as any
    record's)."""
    value = revision.value
    cells: dict[str, Cell] = {
        "new_due": date_cell(revision.due, chosen),
        "revision_reason": revision.reason or None,
        "approved_by": joiner.join(revision.approved_by) or None,
    }
    if value is not None:
        cells["new_value"] = number_cell(value.value, chosen)
        cells["unit"] = unit_text(value.unit, lang)
    return cells
