"""Progress reports for the command line: a terminal table, Markdown, CSV and JSON.

`build_report` turns an [`Assessment`][beijing_plan.assessment.Assessment] into a
`Report`: one `Row` per theme, measure or leaf, the plan's total,
and how much of the declared plan is encoded. The `render_*` functions write
a report out; only `render_table` knows about terminals.

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
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from ._safe import csv_cell, json_text, markdown, markdown_code, terminal
from ._words import REPORT_WORDS
from .rules import Progress, Rules

if TYPE_CHECKING:
    from .assessment import Assessment, Result
    from .model import Plan, Theme

__all__ = [
    "BY",
    "FORMATS",
    "Report",
    "Row",
    "bar",
    "build_report",
    "display_width",
    "fit",
    "percent",
    "render",
    "render_table",
]

#: What a report can list, one row each.
BY = ("theme", "measure", "leaf", "unit")
#: The output formats.
FORMATS = ("table", "json", "csv", "markdown")

#: Cells of a full bar, and the fewest a bar shrinks to on a narrow terminal.
BAR_CELLS = 20
MIN_BAR_CELLS = 10
#: The fewest cells the title column shrinks to.
MIN_TITLE_CELLS = 12
_GAP = "  "
_FULL = "\u2588"  # █
_PARTS = ("", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589")  # ▏ to ▉
_EMPTY = "\u2591"  # ░
_MARK = "\u2502"  # │
_RULE = "\u2500"  # ─
_ELLIPSIS = "\u2026"  # …
_MISSING = "-"

#: ANSI SGR codes of the RAG colours; a colour not listed is left plain.
_SGR = {"blue": "34", "green": "32", "amber": "33", "red": "31", "grey": "90"}
_BOLD = "1"


#: The rules a report holds; its footer names those that differ from these defaults.
_DEFAULT_RULES = {"missing": "zero", "rollup": "flat"}


@attrs.frozen
class Row:
    """One line of a report: the figures of a theme, measure, leaf or the plan.

    Attributes:
        id: The node's id.
        kind: `"plan"`, `"theme"`, `"measure"`, `"task"`, `"policy"` or `"target"`.
        title: Its title in the report's language.
        depth: How deep it sits (a sub-theme is 1 below its parent).
        completion: A fraction in [0, 1], or `None`.
        expected: The fraction its schedule expects by the date, or `None`.
        spi: `completion / expected`, or `None`.
        status: Where it stands.
        label: The status in the report's language.
        colour: The status's RAG colour.
        coverage: The share of its weight with any record, or `None`.
        weight: Its weight.
        due: Its due date, or `None`.
    """

    id: str
    kind: str
    title: str
    depth: int
    completion: float | None
    expected: float | None
    spi: float | None
    status: Progress
    label: str
    colour: str
    coverage: float | None
    weight: float
    due: pendulum.Date | None


@attrs.frozen
class Encoded:
    """How many items of one kind the plan encodes, of how many it declares."""

    kind: str
    encoded: int
    declared: int


@attrs.frozen
class Report:
    """What a report shows, in one language.

    Attributes:
        plan_id: The plan's id.
        plan_title: The plan's title in `lang`.
        as_of: The date of the assessment.
        by: What the rows are: `"theme"`, `"measure"`, `"leaf"` or `"unit"`.
        lang: `"en"` or `"zh"`.
        rules: The rules applied (`missing` and `rollup`), as `(name, value)` pairs.
        rows: The rows, in plan order (sub-themes under their parent).
        total: The plan's own row.
        encoded: Encoded against declared counts, for each kind the plan declares.
        role: For rows by unit, the units' role (`"lead"`, `"partner"` or `"any"`).
    """

    plan_id: str
    plan_title: str
    as_of: pendulum.Date
    by: str
    lang: str
    rules: tuple[tuple[str, str], ...]
    rows: tuple[Row, ...]
    total: Row
    encoded: tuple[Encoded, ...]
    role: str | None = None


# -- building ---------------------------------------------------------------------------------


def _row(result: Result, depth: int, rules: Rules, lang: str) -> Row:
    return Row(
        id=result.id,
        kind=result.kind,
        title=result.title.get(lang),
        depth=depth,
        completion=result.completion,
        expected=result.expected,
        spi=result.spi,
        status=result.status,
        label=rules.label(result.status, lang),
        colour=rules.colour(result.status),
        coverage=result.coverage,
        weight=result.weight,
        due=result.due,
    )


def theme_tree(themes: Sequence[Theme]) -> Iterator[tuple[Theme, int]]:
    """The themes with their depth, each parent followed by its sub-themes, in plan order."""
    known = {theme.id for theme in themes}
    children: dict[str | None, list[Theme]] = {}
    for theme in themes:
        parent = theme.parent if theme.parent in known else None
        children.setdefault(parent, []).append(theme)
    stack = [(theme, 0) for theme in reversed(children.get(None, []))]
    seen: set[str] = set()
    while stack:
        theme, depth = stack.pop()
        if theme.id in seen:  # pragma: no cover - a plan's themes form a tree
            continue
        seen.add(theme.id)
        yield theme, depth
        stack.extend((child, depth + 1) for child in reversed(children.get(theme.id, [])))


def _encoded(plan: Plan) -> tuple[Encoded, ...]:
    declared = plan.declared
    if declared is None:
        return ()
    counts = (
        ("measures", len(plan.measures), declared.measures),
        ("tasks", sum(1 for _ in plan.tasks()), declared.tasks),
        ("policies", len(plan.policies), declared.policies),
    )
    return tuple(Encoded(kind, have, want) for kind, have, want in counts if want is not None)


def build_report(assessment: Assessment, *, by: str, lang: str, role: str = "lead") -> Report:
    """The report of an assessment, one row per theme, measure or leaf.

    Args:
        assessment: The assessment to report.
        by: `"theme"`, `"measure"` or `"leaf"` (every leaf: tasks, policies
            and the measures' own targets).
        lang: `"en"` or `"zh"`, for titles and labels.
        role: For `by="unit"`, the units' role: `"lead"`, `"partner"` or `"any"`.
    """
    plan, rules = assessment.plan, assessment.rules
    if by == "theme":
        results = assessment.by_theme()
        found = [(results[theme.id], depth) for theme, depth in theme_tree(plan.themes)]
    elif by == "measure":
        found = [(result, 0) for result in assessment.by_measure().values()]
    elif by == "unit":
        found = [(result, 0) for result in assessment.by_unit(role).values()]  # type: ignore[arg-type]
    else:
        found = [(result, 0) for result in assessment.leaves()]
    return Report(
        plan_id=plan.id,
        plan_title=plan.title.get(lang),
        as_of=assessment.as_of,
        by=by,
        lang=lang,
        rules=tuple((name, str(getattr(rules, name))) for name in _DEFAULT_RULES),
        rows=tuple(_row(result, depth, rules, lang) for result, depth in found),
        total=_row(assessment.overall, 0, rules, lang),
        encoded=_encoded(plan),
        role=role if by == "unit" else None,
    )


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
    changed = [(name, value) for name, value in report.rules if _DEFAULT_RULES.get(name) != value]
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
        width: The terminal's width; long titles are cut to fit it, and bars
            shrink (down to 10 cells) before titles are cut.
        colour: Colour statuses and bars with ANSI escape sequences.
        ids: Add a column with each row's id.
        bar_cells: The cells of a full bar.
    """
    words = REPORT_WORDS[report.lang]
    report = _shown(report)
    rows = (*report.rows, report.total)
    titles = ["  " * row.depth + row.title for row in report.rows]
    titles.append(words["total"])
    heads = {key: words[key] for key in ("completion", "expected", "status", "coverage")}
    heads["title"] = words[report.by]
    id_cells = max(display_width(text) for text in (words["id"], *(row.id for row in rows)))
    expected_cells = max(display_width(heads["expected"]), 4)
    coverage_cells = max(display_width(heads["coverage"]), 4)
    status_cells = max(display_width(text) for text in (heads["status"], *(r.label for r in rows)))
    columns = 6 if ids else 5

    def others(cells: int) -> int:
        completion_cells = max(cells + 5, display_width(heads["completion"]))
        fixed = completion_cells + expected_cells + status_cells + coverage_cells
        return fixed + (id_cells if ids else 0) + len(_GAP) * (columns - 1)

    natural = max(display_width(text) for text in (heads["title"], *titles))
    cells = bar_cells
    if natural > width - others(cells):
        cells = max(min(bar_cells, MIN_BAR_CELLS), cells - (natural - (width - others(cells))))
    title_cells = max(min(natural, width - others(cells)), MIN_TITLE_CELLS)
    completion_cells = max(cells + 5, display_width(heads["completion"]))

    def line(*cells: str) -> str:
        """Join the cells of a line: the id first, dropped unless ids are shown."""
        return _GAP.join(cells if ids else cells[1:])

    def row_line(row: Row, title: str, *, bold: bool) -> str:
        filled, rest = bar(row.completion, row.expected, cells)
        code = _SGR.get(row.colour)
        done = _paint(filled, code, colour=colour) + rest + " "
        done += _pad(percent(row.completion), 4, right=True) + " " * (completion_cells - cells - 5)
        title = _pad(fit(title, title_cells), title_cells)
        return line(
            _pad(row.id, id_cells),
            _paint(title, _BOLD if bold else None, colour=colour),
            done,
            _pad(percent(row.expected), expected_cells, right=True),
            _paint(row.label, code, colour=colour)
            + " " * (status_cells - display_width(row.label)),
            _pad(percent(row.coverage), coverage_cells, right=True),
        )

    header = line(
        _pad(words["id"], id_cells),
        _pad(heads["title"], title_cells),
        _pad(heads["completion"], completion_cells),
        _pad(heads["expected"], expected_cells, right=True),
        _pad(heads["status"], status_cells),
        _pad(heads["coverage"], coverage_cells, right=True),
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


def render_markdown(report: Report, *, ids: bool = False) -> str:
    """The report as a GitHub Markdown table, with the plan's total in bold.

    Sub-themes are indented with no-break spaces, which Markdown keeps.
    """
    words = REPORT_WORDS[report.lang]
    head = [words[report.by], words["completion"], words["expected"], words["status"]]
    head.append(words["coverage"])
    align = [":--", "--:", "--:", ":--", "--:"]
    if ids:
        head.insert(0, words["id"])
        align.insert(0, ":--")

    def cells(row: Row, title: str) -> list[str]:
        out = [title, percent(row.completion), percent(row.expected), markdown(row.label)]
        out.append(percent(row.coverage))
        if ids:
            out.insert(0, markdown_code(row.id))
        return out

    lines = [f"**{markdown(report.plan_title.strip())}**", ""]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("| " + " | ".join(align) + " |")
    for row in report.rows:
        title = "\u00a0" * (4 * row.depth) + markdown(row.title.strip())
        lines.append("| " + " | ".join(cells(row, title)) + " |")
    total = [f"**{text}**" for text in cells(report.total, words["total"])]
    lines.append("| " + " | ".join(total) + " |")
    for text in _footer(report, legend=False):
        lines += ["", text]
    return "\n".join(lines) + "\n"


def _row_object(row: Row) -> dict[str, Any]:
    return {
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


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    return csv_cell(terminal(value)) if isinstance(value, str) else value


def render_csv(report: Report) -> str:
    """The report as CSV: a header, the rows, then the plan's total (kind `plan`).

    The columns are the keys of a JSON row; an unknown figure is an empty cell.
    Texts are shown as on a terminal, and a text that a spreadsheet would
    evaluate as a formula starts with an apostrophe; numbers stay numbers.
    """
    objects = [_row_object(row) for row in (*report.rows, report.total)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(objects[0])
    writer.writerows([_csv_value(value) for value in obj.values()] for obj in objects)
    return buffer.getvalue()


def render_json(report: Report) -> str:
    """The report as indented JSON with stable keys, Chinese unescaped.

    The object holds `plan` (id and title), `as_of`, `by` (and `role` by unit), `lang`,
    `rules` (`missing` and `rollup`), `rows`, `total`
    and `encoded` (a list of `{kind, encoded, declared}`, empty when the
    plan declares nothing). Control and bidirectional characters are written
    as `\\u` escapes, so the text is safe on a terminal and reads back the same.
    """
    document = {
        "plan": {"id": report.plan_id, "title": report.plan_title},
        "as_of": report.as_of.isoformat(),
        "by": report.by,
        **({} if report.role is None else {"role": report.role}),
        "lang": report.lang,
        "rules": dict(report.rules),
        "rows": [_row_object(row) for row in report.rows],
        "total": _row_object(report.total),
        "encoded": [
            {"kind": count.kind, "encoded": count.encoded, "declared": count.declared}
            for count in report.encoded
        ],
    }
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
