"""The units sheet: one row per responsible unit, with its completion, status and on-time rate.

A supervision office rates its units on one page: how far each unit's tasks have
come, where they stand, and how many of the reports it owed came in on time.
The sheet is written from an assessment; it is a report, not read back.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..exceptions import PlanValidationError
from ._cells import number_cell
from ._columns import Field
from ._rows import cell_problems
from ._sheets import Cell, Format, SheetTarget, write_rows

if TYPE_CHECKING:
    from ..assessment import Assessment

__all__ = ["UNIT_FIELDS", "unit_rows", "write_unit_rows"]

#: The columns of the units sheet.
UNIT_FIELDS = (
    Field("unit", "单位", "Unit", "the unit", ()),
    Field("items", "事项数", "Items", "the number of items", ()),
    Field("completion", "完成度(%)", "Completion (%)", "the completion", ()),
    Field("status", "状态", "Status", "the status", ()),
    Field("expected", "应报次数", "Reports expected", "the reports expected", ()),
    Field("on_time", "按时报送次数", "Reports on time", "the reports on time", ()),
    Field("rate", "按时报送率(%)", "On-time rate (%)", "the on-time rate", ()),
)


def _points(fraction: float | None, chosen: Format) -> Cell:
    """A fraction as percentage points rounded to one decimal, blank when unknown."""
    return None if fraction is None else number_cell(round(fraction * 100, 1), chosen)


def unit_rows(assessment: Assessment, role: str, lang: str, chosen: Format) -> list[list[Cell]]:
    """The header and one row per unit in `role`, in the order they appear in the plan."""
    rules = assessment.rules
    units = assessment.by_unit(role)  # type: ignore[arg-type]
    totals = assessment.reporting(role=role).totals()  # type: ignore[arg-type]
    rows: list[list[Cell]] = [[field.header(lang) for field in UNIT_FIELDS]]
    for name, result in units.items():
        total = totals.get(name)
        expected = 0 if total is None else total.expected
        rows.append(
            [
                name,
                number_cell(Decimal(len(result.contributions)), chosen),
                _points(result.completion, chosen),
                rules.label(result.status, lang),
                number_cell(Decimal(expected), chosen),
                number_cell(Decimal(0 if total is None else total.on_time), chosen),
                _points(None if total is None else total.rate, chosen),
            ]
        )
    return rows


def write_unit_rows(
    assessment: Assessment, target: SheetTarget, *, role: str, lang: str, chosen: Format
) -> None:
    """Check the cells of the units sheet and write it."""
    rows = unit_rows(assessment, role, lang, chosen)
    paths = ["header", *(f"units[{i}]" for i in range(len(rows) - 1))]
    problems = cell_problems(rows, paths, [field.name for field in UNIT_FIELDS], chosen)
    if problems:
        raise PlanValidationError(problems)
    write_rows(target, rows, format=chosen, title="单位" if lang == "zh" else "Units")
