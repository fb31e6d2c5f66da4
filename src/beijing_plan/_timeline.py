"""A history shown: nodes down, dates across, completion and status in each cell.

`build_timeline` turns a [`History`][beijing_plan.histories.History] into a
`Timeline` of rows (themes, measures or leaves, then the plan's total); the
`render_timeline_*` functions write it as a terminal table, Markdown, CSV or JSON, and
`history_html` as the notebook's HTML.

Decisions:

- A cell shows the completion as a report does (never `0%` or `100%` by rounding)
  and the status label; the terminal table colours the label by status.
- CSV has one row per node with two columns per date, `DATE completion` and
  `DATE status` (the status value, as in a report's CSV); JSON has each row's
  cells as a list, one per date, with the raw fractions.
- The notebook HTML lists the plan, the measures, the themes and then the leaves,
  at most `max_rows` rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from . import _html
from ._present import status_colour
from ._render import display_width, fit, percent
from ._report import theme_tree
from ._safe import csv_cell, json_text, markdown, terminal
from ._words import HISTORY_WORDS, REPORT_WORDS
from .rules import Progress, Rules

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ._render import Report, Row
    from .assessment import Result
    from .change import Change
    from .histories import History

__all__ = [
    "Cell",
    "Line",
    "Timeline",
    "build_timeline",
    "history_html",
    "render_timeline",
    "with_changes",
]

_SGR = {"blue": "34", "green": "32", "amber": "33", "red": "31", "grey": "90"}
_GAP = "  "
_RULE = "\u2500"


@attrs.frozen
class Cell:
    """A node's figures at one date."""

    completion: float | None
    expected: float | None
    status: Progress
    label: str
    colour: str
    coverage: float | None


@attrs.frozen
class Line:
    """One node: its id, kind, title and depth, and a cell per date."""

    id: str
    kind: str
    title: str
    depth: int
    cells: tuple[Cell, ...]


@attrs.frozen
class Timeline:
    """What a history table shows, in one language."""

    plan_id: str
    plan_title: str
    dates: tuple[pendulum.Date, ...]
    by: str
    lang: str
    note: str
    rows: tuple[Line, ...]
    total: Line


def _cell(result: Result, rules: Rules, lang: str) -> Cell:
    return Cell(
        result.completion,
        result.expected,
        result.status,
        rules.label(result.status, lang),
        rules.colour(result.status),
        result.coverage,
    )


def _note(history: History, lang: str) -> str:
    words = HISTORY_WORDS[lang]
    known = history.known
    if all(day is None for day in known):
        return ""
    if len(set(known)) == 1:
        return words["known_at"].format(date=known[0])
    days = (known[0] - history.dates[0]).in_days()  # type: ignore[operator]
    return words["reported_after"].format(days=days)


def build_timeline(history: History, *, by: str, lang: str) -> Timeline:
    """The table of `history`: one row per theme, measure or leaf, then the plan."""
    plan, rules = history.plan, history.rules
    assessments = list(history.assessments())
    first = assessments[0]
    if by == "theme":
        found = [(theme.id, depth) for theme, depth in theme_tree(plan.themes)]
    elif by == "measure":
        found = [(key, 0) for key in first.by_measure()]
    else:
        found = [(result.id, 0) for result in first.leaves()]

    def line(key: str, depth: int) -> Line:
        results = [assessment[key] for assessment in assessments]
        head = results[0]
        cells = tuple(_cell(result, rules, lang) for result in results)
        return Line(head.id, head.kind, head.title.get(lang), depth, cells)

    return Timeline(
        plan_id=plan.id,
        plan_title=plan.title.get(lang),
        dates=history.dates,
        by=by,
        lang=lang,
        note=_note(history, lang),
        rows=tuple(line(key, depth) for key, depth in found),
        total=line(plan.id, 0),
    )


def with_changes(report: Report, changes: Mapping[str, Change], compared: pendulum.Date) -> Report:
    """`report` with a change column: each row's change since `compared`."""

    def changed(row: Row) -> Row:
        change = changes.get(row.id)
        if change is None:
            return row
        return attrs.evolve(row, change=change.delta, transition=change.transition.value)

    return attrs.evolve(
        report,
        rows=tuple(changed(row) for row in report.rows),
        total=changed(report.total),
        compared=compared,
    )


# -- text -------------------------------------------------------------------------------


def _cell_text(cell: Cell) -> str:
    return f"{percent(cell.completion):>4} {cell.label}"


def _pad(text: str, cells: int, *, right: bool = False) -> str:
    space = " " * max(0, cells - display_width(text))
    return space + text if right else text + space


def render_timeline_table(timeline: Timeline, *, width: int = 80, colour: bool = False) -> str:
    """The table for a terminal `width` cells wide: titles are cut to fit it."""
    words = REPORT_WORDS[timeline.lang]
    lines_of = (*timeline.rows, timeline.total)
    titles = ["  " * row.depth + terminal(row.title) for row in timeline.rows]
    titles.append(words["total"])
    heads = [str(day) for day in timeline.dates]
    cell_cells = [
        max(display_width(head), *(display_width(_cell_text(row.cells[i])) for row in lines_of))
        for i, head in enumerate(heads)
    ]
    others = sum(cell_cells) + len(_GAP) * len(heads)
    natural = max(display_width(text) for text in (words[timeline.by], *titles))
    title_cells = max(min(natural, width - others), 12)

    def paint(text: str, cell: Cell) -> str:
        code = _SGR.get(cell.colour)
        if not colour or code is None:
            return text
        return f"\x1b[{code}m{text}\x1b[0m"

    def row_line(row: Line, title: str) -> str:
        parts = [_pad(fit(title, title_cells), title_cells)]
        for cell, cells in zip(row.cells, cell_cells, strict=True):
            parts.append(paint(_pad(_cell_text(cell), cells), cell))
        return _GAP.join(parts)

    header = _GAP.join(
        [_pad(words[timeline.by], title_cells)]
        + [_pad(head, cells) for head, cells in zip(heads, cell_cells, strict=True)]
    )
    rule = _RULE * display_width(header)
    out = [fit(terminal(timeline.plan_title), width), HISTORY_WORDS[timeline.lang]["dates"]]
    if timeline.note:
        out.append(timeline.note)
    out += ["", header, rule]
    out += [row_line(row, title) for row, title in zip(timeline.rows, titles, strict=False)]
    if not timeline.rows:
        out.append(words["no_rows_" + timeline.by])
    out += [rule, row_line(timeline.total, titles[-1])]
    return "\n".join(text.rstrip() for text in out) + "\n"


def render_timeline_markdown(timeline: Timeline) -> str:
    """The table as GitHub Markdown, the plan's total in bold."""
    words = REPORT_WORDS[timeline.lang]
    head = [words[timeline.by], *(str(day) for day in timeline.dates)]
    out = [f"**{markdown(timeline.plan_title.strip())}**", ""]
    if timeline.note:
        out += [markdown(timeline.note), ""]
    out.append("| " + " | ".join(head) + " |")
    out.append("| " + " | ".join([":--"] + ["--:"] * len(timeline.dates)) + " |")

    def cells(row: Line) -> list[str]:
        return [f"{percent(c.completion)} {markdown(c.label)}" for c in row.cells]

    for row in timeline.rows:
        title = "\u00a0" * (4 * row.depth) + markdown(row.title.strip())
        out.append("| " + " | ".join([title, *cells(row)]) + " |")
    total = [f"**{text}**" for text in [words["total"], *cells(timeline.total)]]
    out.append("| " + " | ".join(total) + " |")
    return "\n".join(out) + "\n"


def render_timeline_csv(timeline: Timeline) -> str:
    """The table as CSV: id, kind, title, then completion and status for each date."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    heads = ["id", "kind", "title"]
    for day in timeline.dates:
        heads += [f"{day} completion", f"{day} status"]
    writer.writerow(heads)
    for row in (*timeline.rows, timeline.total):
        values: list[Any] = [csv_cell(terminal(text)) for text in (row.id, row.kind, row.title)]
        for cell in row.cells:
            values += ["" if cell.completion is None else cell.completion, cell.status.value]
        writer.writerow(values)
    return buffer.getvalue()


def _line_object(row: Line, dates: Sequence[pendulum.Date]) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "title": row.title,
        "depth": row.depth,
        "cells": [
            {
                "date": day.isoformat(),
                "completion": cell.completion,
                "expected": cell.expected,
                "status": cell.status.value,
                "label": cell.label,
                "coverage": cell.coverage,
            }
            for day, cell in zip(dates, row.cells, strict=True)
        ],
    }


def render_timeline_json(timeline: Timeline) -> str:
    """The table as indented JSON: `plan`, `dates`, `by`, `lang`, `note`, `rows`, `total`."""
    document = {
        "plan": {"id": timeline.plan_id, "title": timeline.plan_title},
        "dates": [day.isoformat() for day in timeline.dates],
        "by": timeline.by,
        "lang": timeline.lang,
        "note": timeline.note,
        "rows": [_line_object(row, timeline.dates) for row in timeline.rows],
        "total": _line_object(timeline.total, timeline.dates),
    }
    return json_text(json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"


def render_timeline(
    timeline: Timeline,
    format: str,  # noqa: A002 (the name of the command's option)
    *,
    width: int = 80,
    colour: bool = False,
) -> str:
    """The table in `format`: `"table"`, `"json"`, `"csv"` or `"markdown"`."""
    if format == "table":
        return render_timeline_table(timeline, width=width, colour=colour)
    if format == "markdown":
        return render_timeline_markdown(timeline)
    if format == "csv":
        return render_timeline_csv(timeline)
    return render_timeline_json(timeline)


# -- HTML -------------------------------------------------------------------------------


def _html_cell(result: Result, rules: Rules) -> str:
    colour = status_colour(rules, result.status)
    return (
        f'<td style="{_html.NUM}" title="{_html.escape(rules.label(result.status, "en"))}">'
        f'<span style="color:{colour}">\u25cf</span> {percent(result.completion)}</td>'
    )


def history_html(history: History, max_rows: int = 40) -> str:
    """The notebook HTML of `history`: nodes down, dates across, each cell coloured by status."""
    rows = _html.check_max_rows(max_rows)
    assessments = list(history.assessments())
    rules = history.rules
    first = assessments[0]
    heads = "".join(f'<th style="{_html.TH};text-align:right">{day}</th>' for day in history.dates)
    header = (
        f'<thead><tr><th style="{_html.TH}">id</th><th style="{_html.TH}">Title</th>'
        f"{heads}</tr></thead>"
    )
    body = []
    for result in first.results():
        cells = "".join(_html_cell(assessment[result.id], rules) for assessment in assessments)
        body.append(
            f'<tr><td style="{_html.ID}">{_html.escape(result.id)}</td>'
            f'<td style="{_html.TD}">{_html.title_html(result.title)}</td>{cells}</tr>'
        )
    columns = 2 + len(history.dates)
    line = HISTORY_WORDS["en"]["html"].format(
        count=len(history.dates), first=history.dates[0], last=history.dates[-1]
    )
    return (
        f'<div style="{_html.BOX}">{_html.heading(history.plan.title, line)}'
        f'<table style="{_html.TABLE}">{header}<tbody>'
        f"{''.join(_html.limited(body, rows, columns))}</tbody></table></div>"
    )
