"""Building blocks of the notebook HTML of [`beijing_plan.display`][beijing_plan.display].

Inline styles only (no scripts, no style sheets), every text escaped. A bar is
a grey track with a fill as wide as the completion and a thin dark mark at the
expected completion; a chip is a rounded label in the status's RAG colour.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ._numbers import quantity_text
from ._present import (
    fraction_text,
    is_observation,
    is_target,
    is_task,
    number_text,
    plural,
    status_colour,
    text_colour,
)
from ._words import (
    COMPARATOR_SIGNS,
    HTML_FORECAST,
    HTML_HEADERS,
    HTML_KINDS,
    HTML_RECORD_KINDS,
    RECORD_STATUS_TEXT,
)
from .exceptions import PlanValidationError
from .rules import Progress, Rules

if TYPE_CHECKING:
    from ._engine.rollup import Contribution
    from .assessment import Result
    from .ledger import Record
    from .model import Measure, Policy, Target, Task, Text

__all__ = [
    "BOX",
    "CONTRIBUTION_HEADER",
    "FONT",
    "ID",
    "LEDGER_COLUMNS",
    "LEDGER_HEADER",
    "MUTED",
    "NEUTRAL",
    "NUM",
    "PLAN_HEADER",
    "RESULT_COLUMNS",
    "RESULT_HEADER",
    "SECTION",
    "TABLE",
    "TD",
    "TH",
    "bar_html",
    "check_max_rows",
    "chip_html",
    "contribution_row",
    "escape",
    "goal",
    "header",
    "heading",
    "leaf_row",
    "limited",
    "measure_row",
    "more_row",
    "record_kind",
    "record_row",
    "result_row",
    "section_row",
    "target_line",
    "title_html",
    "width",
]

FONT = "font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','PingFang SC',sans-serif"
BOX = f"{FONT};font-size:12px;line-height:1.35;max-width:980px"
TABLE = f"{FONT};font-size:12px;border-collapse:collapse;margin-top:6px;width:100%"
TH = (
    "text-align:left;padding:3px 6px;border-bottom:1px solid #a0aec0;"
    "font-weight:600;white-space:nowrap"
)
TD = "text-align:left;padding:3px 6px;border-bottom:1px solid #e2e8f0;vertical-align:top"
NUM = f"{TD};text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums"
ID = f"{TD};font-family:ui-monospace,monospace;font-size:11px;color:#4a5568"
SECTION = "text-align:left;padding:6px 6px 2px;font-weight:600;border-bottom:1px solid #a0aec0"
MUTED = "color:#718096;font-size:11px"
NEUTRAL = "#718096"


def escape(text: object) -> str:
    """Text made safe inside an element or a quoted attribute."""
    return html.escape(str(text), quote=True)


def title_html(title: Text) -> str:
    """A title: the Chinese, then the English in a muted line, each marked with its language."""
    parts = []
    if title.zh is not None:
        parts.append(f'<div lang="zh">{escape(title.zh)}</div>')
    if title.en is not None:
        style = MUTED if title.zh is not None else ""
        parts.append(f'<div lang="en" style="{style}">{escape(title.en)}</div>')
    return "".join(parts)


def width(value: float | None) -> str:
    """A fraction as a CSS width, clamped to [0%, 100%]."""
    fraction = 0.0 if value is None else min(1.0, max(0.0, value))
    return f"{fraction * 100:.1f}%"


def bar_html(completion: float | None, expected: float | None, colour: str) -> str:
    """A bar: its fill is the completion; a thin dark mark stands at the expected value."""
    fill = ""
    if completion is not None:
        fill = (
            f'<div style="width:{width(completion)};height:100%;background:{colour};'
            'border-radius:2px"></div>'
        )
    mark = ""
    if expected is not None:
        mark = (
            f'<div title="expected {fraction_text(expected)}" style="position:absolute;'
            f"top:-2px;left:{width(expected)};width:2px;height:14px;margin-left:-1px;"
            'background:#1a202c"></div>'
        )
    return (
        '<div style="position:relative;width:120px;height:10px;margin-top:3px;'
        f'background:#e2e8f0;border-radius:2px">{fill}{mark}</div>'
    )


def chip_html(status: Progress, rules: Rules) -> str:
    colour = status_colour(rules, status)
    english, chinese = rules.label(status, "en"), rules.label(status, "zh")
    return (
        f'<span title="{escape(status.value)}" style="display:inline-block;padding:1px 7px;'
        f"border-radius:9px;white-space:nowrap;font-size:11px;background:{colour};"
        f'color:{text_colour(colour)}">{escape(chinese)} · {escape(english)}</span>'
    )


def header(cells: Iterable[tuple[str, bool]]) -> str:
    """A header row from `(English, numeric)` cells, each with its Chinese as a tooltip."""
    row = "".join(
        f'<th title="{escape(HTML_HEADERS[english])}"'
        f' style="{TH}{";text-align:right" if numeric else ""}">'
        f"{escape(english)}</th>"
        for english, numeric in cells
    )
    return f"<thead><tr>{row}</tr></thead>"


RESULT_HEADER = header(
    (
        ("id", False),
        ("Title", False),
        ("Progress", False),
        ("Completion", True),
        ("Expected", True),
        ("SPI", True),
        ("Status", False),
        ("Coverage", True),
    )
)
RESULT_COLUMNS = 8


def result_row(result: Result, rules: Rules) -> str:
    """A table row with a result's id, title, bar, figures and status chip."""
    colour = status_colour(rules, result.status)
    return (
        f'<tr><td style="{ID}">{escape(result.id)}</td>'
        f'<td style="{TD}">{title_html(result.title)}</td>'
        f'<td style="{TD}">{bar_html(result.completion, result.expected, colour)}</td>'
        f'<td style="{NUM}">{fraction_text(result.completion)}</td>'
        f'<td style="{NUM}">{fraction_text(result.expected)}</td>'
        f'<td style="{NUM}">{number_text(result.spi)}</td>'
        f'<td style="{TD}">{chip_html(result.status, rules)}</td>'
        f'<td style="{NUM}">{fraction_text(result.coverage)}</td></tr>'
    )


def section_row(english: str, chinese: str, columns: int) -> str:
    """A row that heads a section, in English and Chinese."""
    return (
        f'<tr><td colspan="{columns}" style="{SECTION}">{escape(english)} '
        f'<span lang="zh" style="{MUTED}">{escape(chinese)}</span></td></tr>'
    )


def more_row(count: int, columns: int) -> str:
    """A row that says how many rows were left out."""
    return (
        f'<tr><td colspan="{columns}" style="{TD};{MUTED}">... and {count} more '
        f"(the frames in beijing_plan.frames hold every row)</td></tr>"
    )


def limited(items: Sequence[str], max_rows: int, columns: int) -> list[str]:
    """The first `max_rows` rows, and a row counting the rest if any were left out."""
    if len(items) <= max_rows:
        return list(items)
    return [*items[:max_rows], more_row(len(items) - max_rows, columns)]


def heading(title: Text, line: str) -> str:
    """The heading of a document: a title in both languages and a muted line."""
    zh = (
        ""
        if title.zh is None
        else f'<div lang="zh" style="font-size:14px">{escape(title.zh)}</div>'
    )
    en = "" if title.en is None else f'<div lang="en" style="{MUTED}">{escape(title.en)}</div>'
    return f'<div style="font-weight:600">{zh}{en}</div><div style="{MUTED}">{line}</div>'


def check_max_rows(max_rows: object) -> int:
    """`max_rows` if it is a whole number of 1 or more."""
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise PlanValidationError(
            [("max_rows", f"{max_rows!r} is not a whole number of 1 or more")]
        )
    return max_rows


CONTRIBUTION_HEADER = header(
    (
        ("id", False),
        ("Title", False),
        ("Progress", False),
        ("Completion", True),
        ("Weight", True),
        ("Share", True),
        ("Adds", True),
        ("Why", False),
    )
)


def contribution_row(part: Contribution) -> str:
    """A table row with what one leaf or part adds to a result."""
    adds = "—" if part.adds is None else f"{part.adds:.4f}"
    return (
        f'<tr><td style="{ID}">{escape(part.id)}</td>'
        f'<td style="{TD}">{title_html(part.title)}</td>'
        f'<td style="{TD}">{bar_html(part.completion, part.expected, NEUTRAL)}</td>'
        f'<td style="{NUM}">{fraction_text(part.completion)}</td>'
        f'<td style="{NUM}">{part.weight:g}</td>'
        f'<td style="{NUM}">{fraction_text(part.share)}</td>'
        f'<td style="{NUM}">{adds}</td>'
        f'<td style="{TD};{MUTED}">{escape(part.reason)}</td></tr>'
    )


def target_line(result: Result) -> str:
    """A target's current value, ratio and forecast, or nothing for other results."""
    parts = []
    if result.current is not None:
        parts.append(f"current value {escape(quantity_text(result.current))}")
    if result.ratio is not None:
        parts.append(f"ratio to target {result.ratio:.4f}")
    outlook = result.forecast
    if outlook is not None:
        verdict = HTML_FORECAST[0] if outlook.would_meet else HTML_FORECAST[1]
        parts.append(f"forecast {escape(quantity_text(outlook.value))} by {outlook.on}, {verdict}")
    if not parts:
        return ""
    return f'<div style="{MUTED};margin-top:4px">{" · ".join(parts)}</div>'


PLAN_HEADER = header(
    (
        ("id", False),
        ("Kind", False),
        ("Title", False),
        ("Themes", False),
        ("Due", False),
        ("Goal", False),
    )
)


def goal(leaf: Task | Policy | Target) -> str:
    """What a leaf aims at: a target's comparator and value, a task's parts."""
    if is_target(leaf):
        if leaf.comparator.value == "between" and leaf.upper is not None:
            return f"{quantity_text(leaf.value)} to {quantity_text(leaf.upper)}"
        return f"{COMPARATOR_SIGNS[leaf.comparator.value]} {quantity_text(leaf.value)}"
    if not is_task(leaf):
        return ""
    counts = ((len(leaf.targets), "target"), (len(leaf.milestones), "milestone"))
    return ", ".join(plural(count, word) for count, word in counts if count)


def leaf_row(leaf: Task | Policy | Target, themes: Sequence[str], due: object) -> str:
    """A table row with a leaf's id, kind, title, themes, due date and goal."""
    english, chinese = HTML_KINDS[
        "target" if is_target(leaf) else "task" if is_task(leaf) else "policy"
    ]
    return (
        f'<tr><td style="{ID}">{escape(leaf.id)}</td>'
        f'<td style="{TD}" title="{escape(chinese)}">{escape(english)}</td>'
        f'<td style="{TD}">{title_html(leaf.title)}</td>'
        f'<td style="{TD};{MUTED}">{escape(", ".join(themes))}</td>'
        f'<td style="{TD};white-space:nowrap">{"" if due is None else escape(due)}</td>'
        f'<td style="{TD};white-space:nowrap">{escape(goal(leaf))}</td></tr>'
    )


def measure_row(measure: Measure) -> str:
    """A row that heads a measure's leaves with its number and title."""
    title = measure.title
    en = "" if title.en is None or title.zh is None else title.en
    return (
        f'<tr><td colspan="6" style="{SECTION}">{measure.number}. '
        f'<span lang="zh">{escape(title.get())}</span> '
        f'<span lang="en" style="{MUTED}">{escape(en)}</span></td></tr>'
    )


LEDGER_HEADER = header(
    (
        ("On", False),
        ("Record", False),
        ("Item", False),
        ("Value or status", False),
        ("Source", False),
        ("Note", False),
    )
)
LEDGER_COLUMNS = 6


def record_kind(record: Record) -> tuple[str, str]:
    """The English and Chinese name of a record's kind; another kind by its class's name."""
    if is_observation(record):
        return HTML_RECORD_KINDS["observation"]
    if hasattr(record, "status"):
        return HTML_RECORD_KINDS["status"]
    name = type(record).__name__.lower()
    return name, name


def _record_item(record: Record) -> str:
    """The id a record is about: its target, its item, or the record it takes back."""
    for name in ("target", "item", "record"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    return ""


def _record_value(record: Record) -> str:
    """An observation's value, or a status with its percent."""
    if is_observation(record):
        return str(record.value)
    status = getattr(record, "status", None)
    if status is None:
        return ""
    text = RECORD_STATUS_TEXT["en"].get(status.value, status.value)
    percent = getattr(record, "percent", None)
    return text if percent is None else f"{text} ({percent:g}%)"


def record_row(record: Record) -> str:
    """A table row with a record's day, kind, id, value or status, source and note."""
    english, chinese = record_kind(record)
    source = getattr(record, "source", None)
    note = getattr(record, "note", None)
    return (
        f'<tr><td style="{TD};white-space:nowrap">{escape(record.on)}</td>'
        f'<td style="{TD}" title="{escape(chinese)}">{escape(english)}</td>'
        f'<td style="{ID}">{escape(_record_item(record))}</td>'
        f'<td style="{TD};white-space:nowrap">{escape(_record_value(record))}</td>'
        f'<td style="{TD}">{"" if source is None else escape(source.title)}</td>'
        f'<td style="{TD};{MUTED}">{"" if note is None else escape(note)}</td></tr>'
    )
