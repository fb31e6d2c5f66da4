"""Reporting compliance for the command line: a terminal table, Markdown, CSV and JSON.

[`render_reporting`][beijing_plan._render_reporting.render_reporting] writes a
[`Reporting`][beijing_plan.reporting.Reporting]: one line per unit (or leaf) and
period with the reports expected, on time, late and missing and the on-time rate,
then each unit's (or leaf's) totals over all periods and the silent leaves.

Texts go through [`beijing_plan._safe`][] as in every other report: escaped on a
terminal, in Markdown and in CSV, `\\u` escapes in JSON. The rate is a whole
percentage in the table and Markdown, a fraction in JSON and CSV.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from ._render import display_width, percent
from ._safe import csv_cell, json_text, markdown, terminal
from ._words import REPORTING_WORDS, ROLE_NAMES

if TYPE_CHECKING:
    from .reporting import Reporting, ReportingRow

__all__ = ["render_reporting"]

_GAP = "  "
_COUNTS = ("expected", "on_time", "late", "missing")
#: The columns of the CSV, the keys of a JSON row.
_CSV_HEAD = ("id", "kind", "period", "start", "end", *_COUNTS, "on_time_rate")


def _heading(reporting: Reporting, lang: str, period: str | None) -> str:
    words = REPORTING_WORDS[lang]
    if reporting.by == "unit":
        what = words["by_unit"].format(role=ROLE_NAMES[lang][reporting.role])
    else:
        what = words["by_leaf"]
    if period is not None:
        what += words["join"] + words["within"].format(period=period)
    return words["as_of"].format(date=reporting.as_of.isoformat(), what=what)


def _silent(reporting: Reporting, lang: str) -> str:
    words = REPORTING_WORDS[lang]
    if not reporting.silent:
        return words["none_silent"].format(n=reporting.silent_after)
    ids = words["join"].join(reporting.silent)
    return words["silent"].format(n=reporting.silent_after, ids=ids)


def _cells(row: ReportingRow, all_periods: str) -> list[str]:
    counts = [str(getattr(row, name)) for name in _COUNTS]
    return [row.id, row.period or all_periods, *counts, percent(row.rate)]


def _table(reporting: Reporting, lang: str, period: str | None) -> str:
    words = REPORTING_WORDS[lang]
    head = [words[reporting.by], words["period"], *(words[n] for n in _COUNTS), words["rate"]]
    body = [[terminal(cell) for cell in _cells(row, words["all"])] for row in reporting.rows]
    totals = [
        [terminal(cell) for cell in _cells(row, words["all"])]
        for row in reporting.totals().values()
    ]
    every = [head, *body, *totals]
    widths = [max(display_width(line[i]) for line in every) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        padded = []
        for i, cell in enumerate(cells):
            room = " " * (widths[i] - display_width(cell))
            padded.append(cell + room if i < 2 else room + cell)
        return _GAP.join(padded).rstrip()

    rule = "\u2500" * display_width(line(head))
    lines = [terminal(_heading(reporting, lang, period)), "", line(head), rule]
    lines += [line(cells) for cells in body] or [words["no_rows"]]
    if totals:
        lines += [rule, *(line(cells) for cells in totals)]
    lines += ["", terminal(_silent(reporting, lang))]
    return "\n".join(lines) + "\n"


def _markdown(reporting: Reporting, lang: str, period: str | None) -> str:
    words = REPORTING_WORDS[lang]
    head = [words[reporting.by], words["period"], *(words[n] for n in _COUNTS), words["rate"]]
    lines = [f"**{markdown(_heading(reporting, lang, period))}**", ""]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("| " + " | ".join([":--", ":--"] + ["--:"] * 5) + " |")
    for row in (*reporting.rows, *reporting.totals().values()):
        cells = [markdown(cell) for cell in _cells(row, words["all"])]
        if row.period is None:
            cells = [f"**{cell}**" for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", markdown(_silent(reporting, lang))]
    return "\n".join(lines) + "\n"


def _row_object(row: ReportingRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "period": row.period,
        "start": None if row.start is None else row.start.isoformat(),
        "end": None if row.end is None else row.end.isoformat(),
        **{name: getattr(row, name) for name in _COUNTS},
        "on_time_rate": row.rate,
    }


def _csv(reporting: Reporting) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_HEAD)
    for obj in (_row_object(row) for row in reporting.rows):
        writer.writerow(
            [
                "" if v is None else csv_cell(terminal(v)) if isinstance(v, str) else v
                for v in obj.values()
            ]
        )
    return buffer.getvalue()


def _json(reporting: Reporting, period: str | None) -> str:
    document = {
        "as_of": reporting.as_of.isoformat(),
        "by": reporting.by,
        "role": reporting.role if reporting.by == "unit" else None,
        "period": period,
        "rows": [_row_object(row) for row in reporting.rows],
        "totals": [_row_object(row) for row in reporting.totals().values()],
        "silent": list(reporting.silent),
        "silent_after": reporting.silent_after,
    }
    return json_text(json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"


def render_reporting(
    reporting: Reporting,
    format: str,  # noqa: A002 (the name of the command's option)
    *,
    lang: str = "en",
    period: str | None = None,
) -> str:
    """`reporting` in `format` (`"table"`, `"json"`, `"csv"` or `"markdown"`).

    Args:
        reporting: The reporting compliance to write.
        format: The output format.
        lang: `"en"` or `"zh"`, for the words of the table and Markdown.
        period: The period the rows were kept within, named in the heading.
    """
    if format == "table":
        return _table(reporting, lang, period)
    if format == "markdown":
        return _markdown(reporting, lang, period)
    if format == "csv":
        return _csv(reporting)
    return _json(reporting, period)
