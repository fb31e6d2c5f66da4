"""Progress reports for the command line: a terminal table, Markdown, CSV and JSON.

`build_report` (from [`beijing_plan._report`][]) turns an
[`Assessment`][beijing_plan.assessment.Assessment] into a `Report`: one `Row`
per theme, measure or leaf, the plan's total, and how much of the declared plan
is encoded. The `render_*` functions write a report out; only `render_table`
knows about terminals. `OUTPUT_SUFFIXES` says which format a file's name asks
for, and [`file_bytes`][beijing_plan._render.file_bytes] what is written to it.

Decisions:

- Percentages are whole numbers, rounded, except that a fraction strictly
  between 0 and 1 never shows as `0%` or `100%` (it shows `1%` or `99%`),
  so "done" and "nothing at all" are never claimed by rounding. The bars follow
  the same rule. An unknown figure shows as `-` (`null` in JSON, empty in CSV).
- Widths count East Asian wide and full-width characters as two cells and
  combining marks as none; ambiguous ones (box drawing, blocks) count as one, as
  in most terminals.
- Every text of a plan (titles, ids, status labels) passes through
  [`beijing_plan._safe`][]: control and bidirectional characters are shown
  escaped (`\\x1b`, `\\u202e`) in the table, Markdown and CSV, and as JSON's
  own `\\u` escapes in JSON, so a plan file cannot send escape sequences to the
  terminal or reorder what it shows. Markdown shows HTML and link syntax as
  text; a CSV cell that a spreadsheet would evaluate starts with an apostrophe.
- JSON and CSV hold the raw fractions (not percentages), the status as its
  value (`"on_track"`) and its label in the report's language.
- Heads are in the report's language: the table's, Markdown's and CSV's
  (CSV's English heads are the keys of a JSON row, `id`, `completion`, ...;
  Chinese ones are words, `编号`, `完成度`, ...). JSON keeps its keys in every
  language, for programs, and gives their words in its `columns` object.
- A CSV file starts with a UTF-8 byte order mark, so that Excel reads it as
  UTF-8 rather than the system's code page; CSV written to standard output
  has none, as a program reading a pipe expects.
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from ._report import BY, DEFAULT_RULES, Report, Row, build_report
from ._safe import csv_cell, json_text, markdown, markdown_code, terminal
from ._words import HISTORY_WORDS, REPORT_COLUMNS, REPORT_WORDS, TRANSITION_ARROWS

__all__ = [
    "BOM_FORMATS",
    "BY",
    "FORMATS",
    "MIN_WIDTH",
    "OUTPUT_SUFFIXES",
    "Report",
    "Row",
    "bar",
    "build_report",
    "display_width",
    "file_bytes",
    "fit",
    "percent",
    "render",
    "render_table",
]

#: The output formats.
FORMATS = ("table", "json", "csv", "markdown")
#: The format a file's name asks for, by its suffix in lower case: the one place that
#: ties a suffix to a format, so a new format adds its suffixes here.
OUTPUT_SUFFIXES: Mapping[str, str] = MappingProxyType(
    {
        ".txt": "table",
        ".json": "json",
        ".csv": "csv",
        ".md": "markdown",
        ".markdown": "markdown",
        ".html": "html",
        ".htm": "html",
    }
)
#: The formats whose files start with a UTF-8 byte order mark (for Excel).
BOM_FORMATS = frozenset({"csv"})

#: Cells of a full bar, and the fewest a bar shrinks to before titles are cut.
BAR_CELLS = 20
MIN_BAR_CELLS = 10
#: The fewest cells the title column shrinks to before the bars go, and at the narrowest.
MIN_TITLE_CELLS = 12
TIGHT_TITLE_CELLS = 8
#: The narrowest table: a width below it is taken as this width (the command refuses it).
#: In either language a table without ids fits it, bars dropped and titles cut.
MIN_WIDTH = 50
_GAP = "  "
_FULL = "\u2588"  # █
_PARTS = ("", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589")  # ▏ to ▉
_EMPTY = "\u2591"  # ░
_MARK = "\u2502"  # │
_RULE = "\u2500"  # ─
_ELLIPSIS = "\u2026"  # …
_MISSING = "-"

#: ANSI SGR codes of the RAG colours; a colour not listed is left plain. A terminal has no
#: maroon, so overdue is magenta there, still apart from off track's red.
_SGR = {"blue": "34", "green": "32", "amber": "33", "red": "31", "maroon": "35", "grey": "90"}
_BOLD = "1"


# -- text measures ----------------------------------------------------------------------------


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """How many terminal cells `text` takes (wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def fit(text: str, cells: int) -> str:
    """`text` cut to at most `cells` cells, ending in an ellipsis when cut."""
    if display_width(text) <= cells:
        return text
    if cells <= 0:
        return ""
    kept: list[str] = []
    used = 0
    for char in text:
        width = _char_width(char)
        if used + width > cells - 1:
            break
        kept.append(char)
        used += width
    return "".join(kept) + _ELLIPSIS


def _wrap(text: str, cells: int) -> list[str]:
    """`text` broken at spaces into lines of at most `cells` cells where it can be."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        joined = f"{current} {word}" if current else word
        if current and display_width(joined) > cells:
            lines.append(current)
            joined = "  " + word
        current = joined
    lines.append(current)
    return lines


def _pad(text: str, cells: int, *, right: bool = False) -> str:
    room = " " * max(cells - display_width(text), 0)
    return room + text if right else text + room


def percent(fraction: float | None) -> str:
    """A fraction as a whole percentage; strictly between 0 and 1 it stays off 0% and 100%."""
    if fraction is None or math.isnan(fraction):
        return _MISSING
    value = round(fraction * 100)
    if value >= 100 and fraction < 1:
        value = 99
    elif value <= 0 and fraction > 0:
        value = 1
    return f"{value}%"


def _eighths(completion: float | None, cells: int) -> int:
    if completion is None or completion <= 0:
        return 0
    if completion >= 1:
        return cells * 8
    return min(max(round(completion * cells * 8), 1), cells * 8 - 1)


def bar(
    completion: float | None, expected: float | None, cells: int = BAR_CELLS
) -> tuple[str, str]:
    """A bar of `cells` cells: the filled part for completion, then the rest.

    The filled part is whole blocks and one partial block (eighths of a cell). The
    rest is light shade, with a mark at the expected completion when that cell is
    not filled. They come apart so that the filled part can be coloured.
    """
    full, part = divmod(_eighths(completion, cells), 8)
    filled = _FULL * full + _PARTS[part]
    rest = [_EMPTY] * (cells - len(filled))
    if expected is not None and expected > 0:
        mark = min(int(expected * cells), cells - 1) - len(filled)
        if mark >= 0:
            rest[mark] = _MARK
    return filled, "".join(rest)


def _paint(text: str, code: str | None, *, colour: bool) -> str:
    if not colour or code is None or not text:
        return text
    return f"\x1b[{code}m{text}\x1b[0m"


# -- renderers --------------------------------------------------------------------------------


def _footer(report: Report, *, legend: bool) -> list[str]:
    words = REPORT_WORDS[report.lang]
    lines = [
        words["as_of" if legend else "as_of_plain"].format(
            date=report.as_of, full=_FULL, mark=_MARK
        )
    ]
    if report.compared is not None:
        history = HISTORY_WORDS[report.lang]
        arrows = " ".join(TRANSITION_ARROWS.values())
        legend_text = f"{arrows} {history['transitions']}"
        lines.append(history["compared"].format(date=report.compared, legend=legend_text))
    changed = [(name, value) for name, value in report.rules if DEFAULT_RULES.get(name) != value]
    if changed:
        rules = words["join"].join(f"{name}={value}" for name, value in changed)
        lines.append(words["rules"].format(rules=rules))
    if report.encoded:
        parts = [
            words["part"].format(
                have=count.encoded,
                declared=count.declared,
                noun=words[count.kind + ("_1" if count.declared == 1 else "")],
            )
            for count in report.encoded
        ]
        lines.append(words["encoded"].format(parts=words["join"].join(parts)))
    return lines


def _indent(depth: int) -> str:
    """The indentation of a row `depth` levels down in a terminal table: two spaces a level."""
    return "  " * depth


def _completion_cells(cells: int, head: int) -> int:
    """The width of the completion column: a bar of `cells` cells, a space and `100%`."""
    return max(cells + 5 if cells else 4, head)


def _layout(
    width: int,
    *,
    natural: int,
    bar_cells: int,
    fixed: int,
    completion_head: int,
    columns: int,
) -> tuple[int, int, str]:
    """The bar's cells, the title's cells and the gap between columns for a table `width` wide.

    What gives way, in order, until the table fits: the bars shrink to
    `MIN_BAR_CELLS`; long titles are cut to `MIN_TITLE_CELLS`; the bars go
    (the percentage stays); the gaps narrow to one space; titles are cut to
    `TIGHT_TITLE_CELLS`. A table that still does not fit (long ids or status
    labels) is as narrow as that makes it.
    """

    def others(cells: int, gap: int) -> int:
        return fixed + _completion_cells(cells, completion_head) + gap * (columns - 1)

    def room(cells: int, gap: int) -> int:
        return width - others(cells, gap)

    cells, gap = bar_cells, 2
    if natural <= room(cells, gap):
        return cells, natural, _GAP
    small = min(bar_cells, MIN_BAR_CELLS)
    cells = max(small, cells - (natural - room(cells, gap)))
    if natural <= room(cells, gap) or room(cells, gap) >= MIN_TITLE_CELLS:
        return cells, min(natural, room(cells, gap)), _GAP
    title = min(natural, MIN_TITLE_CELLS)
    cells = max(0, cells - (title - room(cells, gap)))
    if cells and cells < 4:  # a bar of fewer than four cells says nothing the percentage does not
        cells = 0
    if title <= room(cells, gap):
        return cells, min(natural, room(cells, gap)), _GAP
    gap = 1
    title = max(min(natural, TIGHT_TITLE_CELLS), min(title, room(cells, gap)))
    return cells, title, " "


def change_text(row: Row) -> str:
    """A row's change: the arrow of its transition and its signed change of completion."""
    arrow = TRANSITION_ARROWS.get(row.transition or "", "")
    delta = row.change
    if delta is None:
        amount = _MISSING
    else:
        amount = ("+" if delta > 0 else "-" if delta < 0 else "") + percent(abs(delta))
    return f"{arrow} {amount}".strip()


def _change_width(report: Report, rows: Sequence[Row]) -> tuple[str, int]:
    """The change column's heading and width (0 without a compared date)."""
    if report.compared is None:
        return "", 0
    head = HISTORY_WORDS[report.lang]["change"]
    return head, max(display_width(text) for text in (head, *map(change_text, rows)))


def render_table(
    report: Report,
    *,
    width: int = 80,
    colour: bool = False,
    ids: bool = False,
    bar_cells: int = BAR_CELLS,
) -> str:
    """The report as an aligned table for a terminal `width` cells wide.

    Args:
        report: The report.
        width: The table's width, at least `MIN_WIDTH` (50) cells: a smaller
            width is taken as 50. Bars shrink (down to 10 cells) before long
            titles are cut; at the narrowest the bars go, the gaps narrow and
            titles are cut further (see `_layout`). Ids are never cut.
        colour: Colour statuses and bars with ANSI escape sequences.
        ids: Add a column with each row's id.
        bar_cells: The cells of a full bar.
    """
    words = REPORT_WORDS[report.lang]
    report = _shown(report)
    width = max(width, MIN_WIDTH)
    rows = (*report.rows, report.total)
    titles = [_indent(row.depth) + row.title for row in report.rows]
    titles.append(words["total"])
    heads = {key: words[key] for key in ("completion", "expected", "status", "coverage")}
    heads["title"] = words[report.by]
    id_cells = max(display_width(text) for text in (words["id"], *(row.id for row in rows)))
    expected_cells = max(display_width(heads["expected"]), 4)
    coverage_cells = max(display_width(heads["coverage"]), 4)
    status_cells = max(display_width(text) for text in (heads["status"], *(r.label for r in rows)))
    columns = 6 if ids else 5
    change_head, change_cells = _change_width(report, rows)
    columns += 1 if change_cells else 0
    natural = max(display_width(text) for text in (heads["title"], *titles))
    cells, title_cells, gap = _layout(
        width,
        natural=natural,
        bar_cells=bar_cells,
        fixed=expected_cells
        + status_cells
        + coverage_cells
        + change_cells
        + (id_cells if ids else 0),
        completion_head=display_width(heads["completion"]),
        columns=columns,
    )
    completion_cells = _completion_cells(cells, display_width(heads["completion"]))

    def line(*cells: str) -> str:
        """Join the cells of a line: the id first, dropped unless ids are shown; the
        change last, dropped without a compared date."""
        shown = cells if change_cells else cells[:-1]
        return gap.join(shown if ids else shown[1:])

    def row_line(row: Row, title: str, *, bold: bool) -> str:
        filled, rest = bar(row.completion, row.expected, cells)
        code = _SGR.get(row.colour)
        done = _paint(filled, code, colour=colour) + rest + " " if cells else ""
        shown = _pad(percent(row.completion), 4, right=True)
        done = _pad(done + shown, completion_cells, right=not cells)
        title = _pad(fit(title, title_cells), title_cells)
        return line(
            _pad(row.id, id_cells),
            _paint(title, _BOLD if bold else None, colour=colour),
            done,
            _pad(percent(row.expected), expected_cells, right=True),
            _paint(row.label, code, colour=colour)
            + " " * (status_cells - display_width(row.label)),
            _pad(percent(row.coverage), coverage_cells, right=True),
            _pad(change_text(row), change_cells),
        )

    header = line(
        _pad(words["id"], id_cells),
        _pad(heads["title"], title_cells),
        _pad(heads["completion"], completion_cells),
        _pad(heads["expected"], expected_cells, right=True),
        _pad(heads["status"], status_cells),
        _pad(heads["coverage"], coverage_cells, right=True),
        _pad(change_head, change_cells),
    )
    rule = _RULE * display_width(header)
    lines = [
        _paint(fit(report.plan_title, width), _BOLD, colour=colour),
        "",
        _paint(header, _BOLD, colour=colour),
        rule,
    ]
    lines += [
        row_line(row, title, bold=False) for row, title in zip(report.rows, titles, strict=False)
    ]
    if not report.rows:
        lines.append(words["no_rows_" + report.by])
    lines += [rule, row_line(report.total, titles[-1], bold=True), ""]
    lines += [part for text in _footer(report, legend=True) for part in _wrap(text, width)]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _shown_row(row: Row) -> Row:
    shown = terminal(row.id), terminal(row.title), terminal(row.label)
    if shown == (row.id, row.title, row.label):  # the common case, kept cheap
        return row
    return attrs.evolve(row, id=shown[0], title=shown[1], label=shown[2])


def _shown(report: Report) -> Report:
    """The report with its texts as a terminal may show them."""
    return attrs.evolve(
        report,
        plan_id=terminal(report.plan_id),
        plan_title=terminal(report.plan_title),
        rows=tuple(_shown_row(row) for row in report.rows),
        total=_shown_row(report.total),
    )


#: The mark before a sub-theme's title in Markdown, and the indent of each level below the first.
_BRANCH = "\u2514 "  # └
_IDEOGRAPHIC_SPACE = "\u3000"


def _markdown_indent(depth: int) -> str:
    """What stands before the title of a row `depth` levels down in a Markdown table.

    A sub-theme starts with `└ `, after one ideographic space (U+3000) for each
    level below the first: `└ 能源`, `　└ 电网`. Renderers strip a cell's
    leading spaces (ASCII ones, and some all Unicode spaces), which is how
    indentation by spaces was lost; the mark is not a space, so the hierarchy
    stays visible whatever a renderer strips, and Python-Markdown and GitHub
    keep the ideographic spaces before it.
    """
    if depth <= 0:
        return ""
    return _IDEOGRAPHIC_SPACE * (depth - 1) + _BRANCH


def render_markdown(report: Report, *, ids: bool = False) -> str:
    """The report as a GitHub Markdown table, with the plan's total in bold.

    Sub-themes are marked by their depth, as `_markdown_indent` writes it.
    """
    words = REPORT_WORDS[report.lang]
    head = [words[report.by], words["completion"], words["expected"], words["status"]]
    head.append(words["coverage"])
    align = [":--", "--:", "--:", ":--", "--:"]
    if report.compared is not None:
        head.append(HISTORY_WORDS[report.lang]["change"])
        align.append(":--")
    if ids:
        head.insert(0, words["id"])
        align.insert(0, ":--")

    def cells(row: Row, title: str) -> list[str]:
        out = [title, percent(row.completion), percent(row.expected), markdown(row.label)]
        out.append(percent(row.coverage))
        if report.compared is not None:
            out.append(change_text(row))
        if ids:
            out.insert(0, markdown_code(row.id))
        return out

    lines = [f"**{markdown(report.plan_title.strip())}**", ""]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("| " + " | ".join(align) + " |")
    for row in report.rows:
        title = _markdown_indent(row.depth) + markdown(row.title.strip())
        lines.append("| " + " | ".join(cells(row, title)) + " |")
    total = [f"**{text}**" for text in cells(report.total, words["total"])]
    lines.append("| " + " | ".join(total) + " |")
    for text in _footer(report, legend=False):
        lines += ["", text]
    return "\n".join(lines) + "\n"


def _row_object(row: Row, *, compared: bool = False) -> dict[str, Any]:
    found = {
        "id": row.id,
        "kind": row.kind,
        "title": row.title,
        "depth": row.depth,
        "completion": row.completion,
        "expected": row.expected,
        "spi": row.spi,
        "status": row.status.value,
        "label": row.label,
        "colour": row.colour,
        "coverage": row.coverage,
        "weight": row.weight,
        "due": None if row.due is None else row.due.isoformat(),
    }
    if compared:
        found["change"], found["transition"] = row.change, row.transition
    return found


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    return csv_cell(terminal(value)) if isinstance(value, str) else value


def render_csv(report: Report) -> str:
    """The report as CSV: a header, the rows, then the plan's total (kind `plan`).

    The columns are the keys of a JSON row, headed in the report's language (the
    keys themselves in English); an unknown figure is an empty cell.
    Texts are shown as on a terminal, and a text that a spreadsheet would
    evaluate as a formula starts with an apostrophe; numbers stay numbers.
    """
    compared = report.compared is not None
    objects = [_row_object(row, compared=compared) for row in (*report.rows, report.total)]
    heads = REPORT_COLUMNS[report.lang]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_csv_value(heads[key]) for key in objects[0])
    writer.writerows([_csv_value(value) for value in obj.values()] for obj in objects)
    return buffer.getvalue()


def render_json(report: Report) -> str:
    """The report as indented JSON with stable keys, Chinese unescaped.

    The object holds `plan` (id and title), `as_of`, `by` (and `role` by unit), `lang`,
    `rules` (`missing` and `rollup`), `rows`, `total`,
    `encoded` (a list of `{kind, encoded, declared}`, empty when the
    plan declares nothing) and `columns` (the word for each key of a row in
    the report's language). Control and bidirectional characters are written
    as `\\u` escapes, so the text is safe on a terminal and reads back the same.
    """
    compared = report.compared is not None
    document: dict[str, Any] = {
        "plan": {"id": report.plan_id, "title": report.plan_title},
        "as_of": report.as_of.isoformat(),
        "by": report.by,
        **({} if report.role is None else {"role": report.role}),
        "lang": report.lang,
        "rules": dict(report.rules),
        "rows": [_row_object(row, compared=compared) for row in report.rows],
        "total": _row_object(report.total, compared=compared),
        "encoded": [
            {"kind": count.kind, "encoded": count.encoded, "declared": count.declared}
            for count in report.encoded
        ],
    }
    heads = REPORT_COLUMNS[report.lang]
    document["columns"] = {key: heads[key] for key in document["total"]}
    if report.compared is not None:
        document["compared"] = report.compared.isoformat()
    return json_text(json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"


def render(
    report: Report,
    format: str,  # noqa: A002 (the name of the command's option)
    *,
    width: int = 80,
    colour: bool = False,
    ids: bool = False,
) -> str:
    """The report in `format`: `"table"`, `"json"`, `"csv"` or `"markdown"`.

    Only the table uses `width` and `colour`; only the table and Markdown use `ids`.
    """
    if format == "table":
        return render_table(report, width=width, colour=colour, ids=ids)
    if format == "markdown":
        return render_markdown(report, ids=ids)
    if format == "csv":
        return render_csv(report)
    return render_json(report)


def file_bytes(text: str, format: str) -> bytes:  # noqa: A002 (the name of the command's option)
    """What a file of the report in `format` holds: `text` in UTF-8, after a byte order mark
    for the formats of `BOM_FORMATS` (CSV, so that Excel reads it as UTF-8)."""
    mark = "\ufeff" if format in BOM_FORMATS else ""
    return (mark + text).encode("utf-8")
