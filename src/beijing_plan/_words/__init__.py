"""The words of the library, in Chinese and English, each defined once.

Every label that a report, a chart, an explanation, an HTML view or a sheet
shows is here: the names of the kinds of item, the labels and default colours
of the statuses, the signs of the comparators and the sentences of an
explanation. The package imports nothing from the model or the engine, so any
layer may read it; enumerations are keyed by their values (`"on_track"`,
`"at_least"`).

Where two views name one thing in different words, both words are here under
names that say how they differ (a short and a long label), so that each view
keeps what it shows.

The words are kept by where they are shown: `labels` (Chinese text, statuses,
kinds, comparators, HTML views), `reports` (the command line, the report page,
history and reporting), `charts` and `explain`; everything reads them from here.

[`has_cjk`][beijing_plan._words.has_cjk] is the one test of whether a text is
Chinese: [`Text.of`][beijing_plan.model.Text.of] and the sheets both use it.
"""

from __future__ import annotations

from .charts import (
    CHART_WORDS,
    DATE_WORDS,
    UNIT_WORDS_EN,
)
from .explain import (
    EXPLAIN_TERMS,
    EXPLAIN_WORDS,
)
from .labels import (
    COLOUR_NAMES_ZH,
    COMPARATOR_SIGNS,
    HTML_FORECAST,
    HTML_HEADERS,
    HTML_KINDS,
    HTML_RECORD_KINDS,
    HTML_WORDS,
    KIND_NAMES,
    LEAVES,
    RECORD_STATUS_TEXT,
    SECTIONS,
    SHEET_CHOICES,
    STATUS_COLOURS,
    STATUS_LABELS,
    has_cjk,
    needs_cjk_font,
)
from .reports import (
    HISTORY_WORDS,
    PAGE_WORDS,
    REPORT_COLUMNS,
    REPORT_WORDS,
    REPORTING_WORDS,
    ROLE_NAMES,
    TRANSITION_ARROWS,
)

__all__ = [
    "CHART_WORDS",
    "COLOUR_NAMES_ZH",
    "COMPARATOR_SIGNS",
    "DATE_WORDS",
    "EXPLAIN_TERMS",
    "EXPLAIN_WORDS",
    "HISTORY_WORDS",
    "HTML_FORECAST",
    "HTML_HEADERS",
    "HTML_KINDS",
    "HTML_RECORD_KINDS",
    "HTML_WORDS",
    "KIND_NAMES",
    "LEAVES",
    "PAGE_WORDS",
    "RECORD_STATUS_TEXT",
    "REPORTING_WORDS",
    "REPORT_COLUMNS",
    "REPORT_WORDS",
    "ROLE_NAMES",
    "SECTIONS",
    "SHEET_CHOICES",
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "TRANSITION_ARROWS",
    "UNIT_WORDS_EN",
    "has_cjk",
    "needs_cjk_font",
]
