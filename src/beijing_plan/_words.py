# ruff: noqa: RUF001 (Chinese words are written with full-width punctuation, as they should be)
"""The words of the library, in Chinese and English, each defined once.

Every label that a report, a chart, an explanation, an HTML view or a sheet
shows is here: the names of the kinds of item, the labels and default colours
of the statuses, the signs of the comparators and the sentences of an
explanation. The module imports nothing from the model or the engine, so any
layer may read it; enumerations are keyed by their values (`"on_track"`,
`"at_least"`).

Where two views name one thing in different words, both words are here under
names that say how they differ (a short and a long label), so that each view
keeps what it shows.

[`has_cjk`][beijing_plan._words.has_cjk] is the one test of whether a text is
Chinese: [`Text.of`][beijing_plan.model.Text.of] and the sheets both use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

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

# -- Chinese text ----------------------------------------------------------------------

#: Han ideographs: CJK Unified Ideographs with extension A (U+3400 to U+9FFF),
#: the compatibility ideographs (U+F900 to U+FAFF), extensions B to F and I with
#: the compatibility supplement (U+20000 to U+2FA1F), and extensions G and H
#: (U+30000 to U+323AF).
_IDEOGRAPHS = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af"
_CJK = re.compile(f"[{_IDEOGRAPHS}]")
#: Ideographs, CJK symbols and punctuation (U+3000 to U+303F) and full-width forms
#: (U+FF00 to U+FFEF): what a chart needs a font with Chinese glyphs for.
_CJK_GLYPHS = re.compile(f"[\u3000-\u303f\uff00-\uffef{_IDEOGRAPHS}]")


def has_cjk(text: str) -> bool:
    """Whether `text` holds a Chinese (Han) character, so is to be read as Chinese."""
    return _CJK.search(text) is not None


def needs_cjk_font(text: str) -> bool:
    """Whether drawing `text` needs a font with Chinese glyphs.

    Wider than [`has_cjk`][beijing_plan._words.has_cjk]: full-width punctuation
    and forms need such a font too, although they alone do not make a text
    Chinese.
    """
    return _CJK_GLYPHS.search(text) is not None


# -- statuses --------------------------------------------------------------------------

#: The label of each status of an assessment, by language and the status's value.
STATUS_LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "zh": MappingProxyType(
            {
                "done": "完成",
                "on_track": "进度正常",
                "at_risk": "有风险",
                "off_track": "滞后",
                "overdue": "逾期",
                "no_data": "无数据",
                "cancelled": "已取消",
            }
        ),
        "en": MappingProxyType(
            {
                "done": "done",
                "on_track": "on track",
                "at_risk": "at risk",
                "off_track": "off track",
                "overdue": "overdue",
                "no_data": "no data",
                "cancelled": "cancelled",
            }
        ),
    }
)

#: The default RAG colour of each status of an assessment, by the status's value.
STATUS_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "done": "blue",
        "on_track": "green",
        "at_risk": "amber",
        "off_track": "red",
        "overdue": "maroon",
        "no_data": "grey",
        "cancelled": "grey",
    }
)

#: The Chinese names of the default colours (an explanation in Chinese uses them).
COLOUR_NAMES_ZH: Mapping[str, str] = MappingProxyType(
    {"green": "绿", "amber": "琥珀", "red": "红", "maroon": "深红", "grey": "灰", "blue": "蓝"}
)

#: How a recorded status is written in a sheet, by language and the status's value.
RECORD_STATUS_TEXT: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "zh": MappingProxyType(
            {
                "not_started": "未启动",
                "in_progress": "推进中",
                "done": "已完成",
                "cancelled": "已取消",
            }
        ),
        "en": MappingProxyType(
            {
                "not_started": "not started",
                "in_progress": "in progress",
                "done": "done",
                "cancelled": "cancelled",
            }
        ),
    }
)

# -- kinds and comparators -------------------------------------------------------------

#: The name of each kind of item, by language: the long names, as an explanation
#: and a report head them (a task is a 重点任务).
KIND_NAMES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "plan": "Plan",
                "measure": "Measure",
                "theme": "Theme",
                "task": "Task",
                "policy": "Policy",
                "target": "Target",
                "milestone": "Milestone",
                "unit": "Unit",
            }
        ),
        "zh": MappingProxyType(
            {
                "plan": "计划",
                "measure": "重大举措",
                "theme": "主题",
                "task": "重点任务",
                "policy": "政策",
                "target": "目标",
                "milestone": "里程碑",
                "unit": "责任单位",
            }
        ),
    }
)

#: The short English and Chinese name of each kind of leaf, as the HTML view of a
#: plan lists them: lower case, and a task as 任务 rather than 重点任务.
HTML_KINDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {"task": ("task", "任务"), "policy": ("policy", "政策"), "target": ("target", "目标")}
)

#: What the leaves (tasks, policies and targets) are called as one column: a
#: report's column head and a chart's axis.
LEAVES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType({"report": "Item", "chart": "Task, policy or target"}),
        "zh": MappingProxyType({"report": "事项", "chart": "任务、政策或目标"}),
    }
)

#: The English and Chinese name of each section of a plain-text or HTML view, by
#: what the section lists (the leaves in the plural, "and" rather than "or").
SECTIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "measure": ("By measure", "按重大举措"),
        "theme": ("By theme", "按主题"),
        "leaf": ("Tasks, policies and targets", "任务、政策和目标"),
        "unit": ("By responsible unit", "按责任单位"),
    }
)

#: The English and Chinese words of the notebook HTML that no other view uses.
HTML_WORDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "as_of": ("assessed as of", "截至"),
        "contributions": ("Contributions", "构成"),
        "policies": ("Policies to be introduced", "拟出台政策"),
        "ledger": ("Ledger", "进度台账"),
    }
)

#: How a plan's sheets write each comparator and aggregation, by language and value.
SHEET_CHOICES: Mapping[str, Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "comparator": MappingProxyType(
            {
                "zh": MappingProxyType(
                    {
                        "at_least": "不低于",
                        "at_most": "不高于",
                        "exactly": "等于",
                        "between": "介于",
                    }
                ),
                "en": MappingProxyType(
                    {
                        "at_least": "at least",
                        "at_most": "at most",
                        "exactly": "exactly",
                        "between": "between",
                    }
                ),
            }
        ),
        "aggregation": MappingProxyType(
            {
                "zh": MappingProxyType(
                    {
                        "last": "最新值",
                        "sum": "累加",
                        "max": "最大值",
                        "min": "最小值",
                        "mean": "平均值",
                    }
                ),
                "en": MappingProxyType(
                    {"last": "last", "sum": "sum", "max": "max", "min": "min", "mean": "mean"}
                ),
            }
        ),
    }
)

#: The sign of each comparator but `between`, by the comparator's value.
COMPARATOR_SIGNS: Mapping[str, str] = MappingProxyType(
    {"at_least": "≥", "at_most": "≤", "exactly": "="}
)

# -- HTML views ------------------------------------------------------------------------

#: The English and Chinese head of each column of the HTML tables, by the English.
HTML_HEADERS: Mapping[str, str] = MappingProxyType(
    {
        "id": "编号",
        "Kind": "类别",
        "Title": "名称",
        "Themes": "主题",
        "Due": "完成时限",
        "Goal": "目标",
        "Progress": "进度",
        "Completion": "完成度",
        "Expected": "预期",
        "Status": "状态",
        "Coverage": "数据覆盖",
        "SPI": "进度绩效指数",
        "Weight": "权重",
        "Share": "占比",
        "Adds": "贡献",
        "Why": "依据",
        "On": "日期",
        "Record": "记录",
        "Item": "事项",
        "Value or status": "数值或状态",
        "Source": "来源",
        "Note": "备注",
    }
)

#: The English and Chinese name of each kind of ledger record, as the HTML view of
#: a ledger lists them, by the record's `kind` in a document.
HTML_RECORD_KINDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {"observation": ("observation", "观测"), "status": ("status change", "状态变更")}
)

#: A forecast's verdict in an HTML view (an explanation says "would not meet").
HTML_FORECAST = ("would meet the target", "would miss the target")

# -- reports on the command line ------------------------------------------------------

_REPORT = {
    "en": {
        "theme": KIND_NAMES["en"]["theme"],
        "measure": KIND_NAMES["en"]["measure"],
        "leaf": LEAVES["en"]["report"],
        "unit": KIND_NAMES["en"]["unit"],
        "id": "ID",
        "title": "Title",
        "completion": "Completion",
        "expected": "Expected",
        "status": "Status",
        "coverage": "Coverage",
        "total": "Plan total",
        "as_of": "as of {date}  ({full} completion, {mark} expected)",
        "as_of_plain": "as of {date}",
        "rules": "rules: {rules}",
        "encoded": "encoded: {parts}",
        "part": "{have} of {declared} {noun}",
        "join": ", ",
        "measures": "measures",
        "measures_1": "measure",
        "tasks": "tasks",
        "tasks_1": "task",
        "policies": "policies",
        "policies_1": "policy",
        "no_rows_theme": "(the plan has no themes)",
        "no_rows_measure": "(the plan has no measures)",
        "no_rows_leaf": "(the plan has no tasks, policies or targets)",
        "no_rows_unit": "(no task, policy or measure names a unit in this role)",
    },
    "zh": {
        "theme": KIND_NAMES["zh"]["theme"],
        "measure": KIND_NAMES["zh"]["measure"],
        "leaf": LEAVES["zh"]["report"],
        "unit": KIND_NAMES["zh"]["unit"],
        "id": "ID",
        "title": "标题",
        "completion": "完成度",
        "expected": "预期",
        "status": "状态",
        "coverage": "覆盖率",
        "total": "计划总体",
        "as_of": "截至 {date}（{full} 完成度，{mark} 预期）",
        "as_of_plain": "截至 {date}",
        "rules": "规则：{rules}",
        "encoded": "已编码：{parts}",
        "part": "{noun} {have}/{declared} 项",
        "join": "，",
        "measures": "重大举措",
        "measures_1": "重大举措",
        "tasks": "重点任务",
        "tasks_1": "重点任务",
        "policies": "政策",
        "policies_1": "政策",
        "no_rows_theme": "（该计划没有主题）",
        "no_rows_measure": "（该计划没有重大举措）",
        "no_rows_leaf": "（该计划没有任务、政策或目标）",
        "no_rows_unit": "（没有任务、政策或举措列出此角色的单位）",
    },
}

#: The head of each column of a report's CSV file and each key of its JSON rows, by
#: language and key. English heads are the keys themselves, as programs read them.
REPORT_COLUMNS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                key: key
                for key in (
                    "id",
                    "kind",
                    "title",
                    "depth",
                    "completion",
                    "expected",
                    "spi",
                    "status",
                    "label",
                    "colour",
                    "coverage",
                    "weight",
                    "due",
                    "change",
                    "transition",
                )
            }
        ),
        "zh": MappingProxyType(
            {
                "id": "编号",
                "kind": "类别",
                "title": "标题",
                "depth": "层级",
                "completion": "完成度",
                "expected": "预期",
                "spi": "进度绩效指数",
                "status": "状态代码",
                "label": "状态",
                "colour": "颜色",
                "coverage": "覆盖率",
                "weight": "权重",
                "due": "完成时限",
                "change": "变化",
                "transition": "变化类别",
            }
        ),
    }
)

#: The words of a command-line report, by language.
REPORT_WORDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {lang: MappingProxyType(words) for lang, words in _REPORT.items()}
)

# -- the report page -------------------------------------------------------------------

_PAGE = {
    "en": {
        "title": "{plan}: progress as of {date}",
        "issuer": "issued by {issuer}",
        "period": "plan period {start} to {end}",
        "theme_section": SECTIONS["theme"][0],
        "measure_section": SECTIONS["measure"][0],
        "leaf_section": SECTIONS["leaf"][0],
        "bar": "Progress",
        "spi": "SPI",
        "weight": "weight {weight}",
        "due": "due {due}",
        "sources": "Sources",
        "bar_label": "completion {completion}, expected {expected}",
        "legend": "Each bar is filled to the completion; the dark mark stands at the"
        " completion expected by the date. Open an item to see how its figures were reached.",
        "made": "Made with beijing-plan.",
    },
    "zh": {
        "title": "{plan}：截至{date}进展",
        "issuer": "发布单位：{issuer}",
        "period": "计划期 {start} 至 {end}",
        "theme_section": SECTIONS["theme"][1],
        "measure_section": SECTIONS["measure"][1],
        "leaf_section": SECTIONS["leaf"][1],
        "bar": HTML_HEADERS["Progress"],
        "spi": HTML_HEADERS["SPI"],
        "weight": "权重 {weight}",
        "due": "完成时限 {due}",
        "sources": "来源",
        "bar_label": "完成度 {completion}，预期 {expected}",
        "legend": "条形的填充部分为完成度，深色标记为截至该日的预期完成度。"
        "展开各项可查看其数字的计算过程。",
        "made": "由 beijing-plan 生成。",
    },
}

#: The words of the report page that the command-line report does not use, by language.
PAGE_WORDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {lang: MappingProxyType(words) for lang, words in _PAGE.items()}
)


# -- history and change -----------------------------------------------------------------

#: The arrow a report shows for each transition (`beijing_plan.change.Transition` values).
TRANSITION_ARROWS: Mapping[str, str] = MappingProxyType(
    {
        "newly_done": "\u2191",  # ↑
        "improved": "\u2197",  # ↗
        "unchanged": "\u2192",  # →
        "worsened": "\u2198",  # ↘
        "newly_overdue": "\u2193",  # ↓
        "other": "\u00b7",  # ·
    }
)

_HISTORY = {
    "en": {
        "change": "Change",
        "compared": "change since {date}: {legend}",
        "transitions": "newly done, improved, unchanged, worsened, newly overdue, other",
        "dates": "completion and status at each date",
        "known_at": "as known on {date}",
        "reported_after": "each date as reported {days} days after it",
        "plan": "Plan",
        "html": "History \u00b7 {count} dates, {first} to {last}",
    },
    "zh": {
        "change": "变化",
        "compared": "较 {date} 的变化：{legend}",
        "transitions": "新完成、好转、不变、变差、新逾期、其他",
        "dates": "各日期的完成度与状态",
        "known_at": "按 {date} 已知的数据",
        "reported_after": "各日期按其后 {days} 天所报",
        "plan": "计划",
        "html": "历史 \u00b7 {count} 个日期，{first} 至 {last}",
    },
}

#: The words of history tables and change columns, by language.
HISTORY_WORDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {lang: MappingProxyType(words) for lang, words in _HISTORY.items()}
)


# -- reporting compliance on the command line -----------------------------------------

_REPORTING = {
    "en": {
        "unit": KIND_NAMES["en"]["unit"],
        "leaf": LEAVES["en"]["report"],
        "period": "Period",
        "expected": "Expected",
        "on_time": "On time",
        "late": "Late",
        "missing": "Missing",
        "rate": "On-time rate",
        "all": "all periods",
        "as_of": "Reporting as of {date}, {what}",
        "by_unit": "by {role} unit",
        "by_leaf": "by task, policy or target",
        "within": "periods within {period}",
        "silent": "Silent (last {n} reports missing): {ids}",
        "none_silent": "Silent (last {n} reports missing): none",
        "no_rows": "(no report was expected)",
        "join": ", ",
    },
    "zh": {
        "unit": KIND_NAMES["zh"]["unit"],
        "leaf": LEAVES["zh"]["report"],
        "period": "报送期",
        "expected": "应报",
        "on_time": "按时",
        "late": "逾期",
        "missing": "未报",
        "rate": "按时报送率",
        "all": "全部报送期",
        "as_of": "报送情况，截至 {date}，{what}",
        "by_unit": "按{role}单位",
        "by_leaf": "按任务、政策或目标",
        "within": "{period} 内的报送期",
        "silent": "连续 {n} 期未报送：{ids}",
        "none_silent": "连续 {n} 期未报送：无",
        "no_rows": "（没有应报送的报告）",
        "join": "，",
    },
}

#: The words of the command's reporting compliance, by language.
REPORTING_WORDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {lang: MappingProxyType(words) for lang, words in _REPORTING.items()}
)

#: Each role of a unit, by language.
ROLE_NAMES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType({"lead": "lead", "partner": "partner", "any": "lead or partner"}),
        "zh": MappingProxyType({"lead": "牵头", "partner": "配合", "any": "牵头或配合"}),
    }
)

# -- charts ----------------------------------------------------------------------------

_CHART = {
    "en": {
        "theme": KIND_NAMES["en"]["theme"],
        "measure": KIND_NAMES["en"]["measure"],
        "leaf": LEAVES["en"]["chart"],
        "unit": KIND_NAMES["en"]["unit"],
        "report_on_time": "on time",
        "report_late": "late",
        "report_missing": "missing",
        "completion": "Completion (bars) and expected by now (marks)",
        "expected": "expected by now",
        "no_data": "no data",
        "as_of": "as of {day}",
        "date": "Date",
        "value": "Value ({unit})",
        "value_plain": "Value",
        "target": "target {goal}",
        "baseline": "baseline",
        "planned": "planned path",
        "observed": "observed",
        "cumulative": "cumulative total",
        "meets": "forecast: meets the target",
        "misses": "forecast: misses the target",
        "deadline": "deadline",
        "to": "to",
        "font": "Chinese text needs a font with Chinese glyphs, and none is installed, so the "
        "chart is drawn in English. Install one (on Debian or Ubuntu: apt install "
        "fonts-noto-cjk; elsewhere Noto Sans CJK SC or Source Han Sans SC), then restart "
        "Python, or pass font= naming an installed one.",
        "over_time": "Completion (solid) and expected (dashed)",
        "expected_of": "{title}: expected",
    },
    "zh": {
        "theme": KIND_NAMES["zh"]["theme"],
        "measure": KIND_NAMES["zh"]["measure"],
        "leaf": LEAVES["zh"]["chart"],
        "unit": KIND_NAMES["zh"]["unit"],
        "report_on_time": "按时报送",
        "report_late": "逾期报送",
        "report_missing": "未报送",
        "completion": "完成度（条）与当前预期（标记）",
        "expected": "当前预期",
        "no_data": "无数据",
        "as_of": "截至{day}",
        "date": "日期",
        "value": "数值（{unit}）",
        "value_plain": "数值",
        "target": "目标 {goal}",
        "baseline": "基线",
        "planned": "计划进度",
        "observed": "观测值",
        "cumulative": "累计值",
        "meets": "预测：可达成",
        "misses": "预测：未达成",
        "deadline": "截止日期",
        "to": "至",
        "over_time": "完成度（实线）与预期（虚线）",
        "expected_of": "{title}：预期",
    },
}

#: The English words of the units whose symbols need a Chinese font, for a chart drawn
#: without one (with one, every chart shows the symbol, `万元`, in either language).
UNIT_WORDS_EN: Mapping[str, str] = MappingProxyType(
    {"yuan": "yuan", "wan_yuan": "10k yuan", "yi_yuan": "100M yuan", "wan_m2": "10k m²"}
)

#: How a time axis names months, quarters, years and days, by language; `month` and
#: `quarter` are the names of each, January and the first quarter first.
DATE_WORDS: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "month": (
                    "Jan",
                    "Feb",
                    "Mar",
                    "Apr",
                    "May",
                    "Jun",
                    "Jul",
                    "Aug",
                    "Sep",
                    "Oct",
                    "Nov",
                    "Dec",
                ),
                "quarter": ("Q1", "Q2", "Q3", "Q4"),
                "year": "{year}",
                "with_year": "{name} {year}",
                "day": "{month} {day}",
            }
        ),
        "zh": MappingProxyType(
            {
                "month": tuple(f"{number}月" for number in range(1, 13)),
                "quarter": ("一季度", "二季度", "三季度", "四季度"),
                "year": "{year}年",
                "with_year": "{year}年{name}",
                "day": "{month}{day}日",
            }
        ),
    }
)

#: The words of a chart, by language.
CHART_WORDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {lang: MappingProxyType(words) for lang, words in _CHART.items()}
)

# -- explanations ----------------------------------------------------------------------

_EXPLAIN_EN = {
    **KIND_NAMES["en"],
    "header": "{kind} {id} \u201c{title}\u201d, as of {as_of}",
    "none": "none",
    "flat": "Completion = sum(w \u00d7 c) / sum(w) over {n} counted of {total} leaves"
    " = {num} / {den} = {value}",
    "flat_none": "Completion: none (no leaf is counted, or their weights sum to 0)",
    "nested": "Completion = plain mean of {n} counted of {total} children = {num} / {n} = {value}",
    "nested_none": "Completion: none (no child has a completion)",
    "line": "  - {kind} {id} \u201c{title}\u201d: w = {w}, c = {c}, e = {e}, share = {share},"
    " adds {adds} [{reason}]",
    "line_out": "  - {kind} {id} \u201c{title}\u201d: w = {w}, not counted [{reason}]",
    "flat_expected": "Expected = sum(w \u00d7 e) / sum(w) over the same leaves"
    " = {num} / {den} = {value}",
    "nested_expected": "Expected = plain mean of the same children = {num} / {n} = {value}",
    "expected_none": "Expected: none (nothing is counted)",
    "coverage": "Coverage = weight with any record / total weight = {num} / {den} = {value}",
    "coverage_none": "Coverage: none (the weights sum to 0)",
    "coverage_leaf": "Coverage: {value} ({why})",
    "coverage_weight_zero": "Coverage: none (its weight is 0)",
    "has_record": "it has a record up to the date",
    "no_record": "nothing is recorded up to the date",
    "spi": "SPI = completion / expected = {c} / {e} = {value}",
    "spi_none": "SPI: none ({why})",
    "spi_zero": "nothing is expected yet",
    "spi_unknown": "completion or expected is unknown",
    "linear": "Expected: linear from {start} to {due}: {k} / {n} days = {value}",
    "before": "Expected: 0 (on or before the start, {start})",
    "after": "Expected: 1 (on or after the due date, {due})",
    "trajectory": "Expected: piecewise linear through {points} = {value}",
    "cancelled": "Completion: none by rule 1: cancelled on {on}; left out of every roll-up",
    "done": "Completion = 1 by rule 2: done on {on}",
    "parts": "Completion by rule 3 = sum(w \u00d7 c) / sum(w) over its targets and milestones"
    " = {num} / {den} = {value}",
    "percent": "Completion by rule 4: {percent}% reported on {on}: {percent} / 100 = {value}",
    "not_started": "Completion = 0 by rule 5: not started on {on}",
    "in_progress": "Completion = {value} by rule 6: in progress since {on} with no percent:"
    " in_progress_credit",
    "missing_in_progress": "Completion = {value} by rule 6 then 7: in progress since {on} with no"
    " percent and no in_progress_credit, so as nothing recorded ({missing})",
    "missing": "Completion = {value} by rule 7: nothing recorded ({missing})",
    "observations": "Observations counted up to {as_of}: {points}",
    "note": "Record of {on}: {note}",
    "source": "(source: {source})",
    "known_at": "Known at {known_at}: records entered after that day, corrections and withdrawals"
    " included, are left out",
    "corrects": "Record of {on}: {value}, corrects {old}{of} recorded {recorded}{why}",
    "corrected_before": "; that corrected {old}{of} recorded {recorded}{why}",
    "of_day": " of {on}",
    "because": ": {reason}",
    "withdrawn": "Withdrawn on {on}: the record of {day}, {value}, recorded {recorded}{why};"
    " it does not count",
    "no_observations": "No observation counts up to {as_of}",
    "aggregate": "Current value ({aggregation}) = {formula} = {value}",
    "target_none": "Completion (attainment): none (no observation)",
    "attainment": "Attainment ({comparator}) = {formula} = {ratio}; clamped to [0, 1]: {value}",
    "missing_leaf": "As a leaf of its measure it counts {value} ({missing})",
    "ms_status": "Completion = {value}: status {status} on {on}",
    "ms_cancelled": "Completion: none: cancelled on {on}; it drops out of its task",
    "milestone_none": "Completion: none (no status record)",
    "forecast": "Forecast: least-squares line through {n} points ({slope} per day) gives {value}"
    " on {on}: {verdict}",
    "forecast_none": "Forecast: none (fewer than two points on different days)",
    "meets": "would meet the target",
    "misses": "would not meet the target",
    "st_cancelled": "Status: {label} ({colour}): cancelled",
    "st_done": "Status: {label} ({colour}): completion {c} \u2265 1",
    "st_no_data": "Status: {label} ({colour}): completion is unknown",
    "st_overdue": "Status: {label} ({colour}): {as_of} is after the due date {due}"
    " and completion {c} < 1",
    "st_on_zero": "Status: {label} ({colour}): nothing is expected yet",
    "st_on_track": "Status: {label} ({colour}): SPI {spi} \u2265 on_track {on_track}",
    "st_at_risk": "Status: {label} ({colour}): on_track {on_track} > SPI {spi}"
    " \u2265 at_risk {at_risk}",
    "st_off_track": "Status: {label} ({colour}): SPI {spi} < at_risk {at_risk}",
    # Formulas of a target's current value and attainment (c current, T target,
    # b baseline, U upper bound).
    "f_last": "last({values})",
    "f_max": "max({values})",
    "f_min": "min({values})",
    "f_mean": "({terms}) / {n}",
    "f_sum": "{start} + {terms}",
    "f_join": ", ",
    "a_gain": "(c - b) / (T - b) = ({c} - {b}) / ({t} - {b})",
    "a_share": "c / T = {c} / {t}",
    "a_nonpositive": "T = {t} <= 0: 1 if c >= T else 0, c = {c}",
    "a_drop": "(b - c) / (b - T) = ({b} - {c}) / ({b} - {t})",
    "a_at_most": "1 if c <= T else 0, c = {c}, T = {t}",
    "a_exactly": "1 if c = T else 0, c = {c}, T = {t}",
    "a_between": "1 if T <= c <= U else 0, c = {c}, T = {t}, U = {upper}",
    "missing_zero": "missing='zero'",
    "missing_exclude": "missing='exclude'",
    "rev_line": "Revised: {parts} on {on}{why}{who}",
    "rev_extended": "{field} {new}, extended from {old}",
    "rev_forward": "{field} {new}, brought forward from {old}",
    "rev_changed": "{field} {new}, changed from {old}",
    "rev_and": " and ",
    "rev_sep": ", ",
    "rev_why": ": {reason}",
    "rev_who": "; approved by {who}",
    "rev_ignored": "Revisions: {n} up to the date, ignored (basis='original')",
    "rev_start": "start",
    "rev_due": "due",
    "rev_value": "value",
    "rev_upper": "upper",
    "rev_weight": "weight",
}

_EXPLAIN_ZH = {
    **KIND_NAMES["zh"],
    "header": "{kind} {id}\u201c{title}\u201d，截至 {as_of}",
    "none": "无",
    "flat": "完成度 = Σ(权重 \u00d7 完成度) / Σ权重，计入 {total} 项中的 {n} 项"
    " = {num} / {den} = {value}",
    "flat_none": "完成度：无（没有计入的项，或其权重之和为 0）",
    "nested": "完成度 = {total} 个下级中计入的 {n} 个的简单平均 = {num} / {n} = {value}",
    "nested_none": "完成度：无（没有下级有完成度）",
    "line": "  - {kind} {id}\u201c{title}\u201d：权重 {w}，完成度 {c}，预期 {e}，占比 {share}，"
    "贡献 {adds}［{reason}］",
    "line_out": "  - {kind} {id}\u201c{title}\u201d：权重 {w}，不计入［{reason}］",
    "flat_expected": "预期 = Σ(权重 \u00d7 预期) / Σ权重，同样的项 = {num} / {den} = {value}",
    "nested_expected": "预期 = 同样下级的简单平均 = {num} / {n} = {value}",
    "expected_none": "预期：无（没有计入的项）",
    "coverage": "覆盖率 = 有记录的权重 / 总权重 = {num} / {den} = {value}",
    "coverage_none": "覆盖率：无（权重之和为 0）",
    "coverage_leaf": "覆盖率：{value}（{why}）",
    "coverage_weight_zero": "覆盖率：无（其权重为 0）",
    "has_record": "截至该日有记录",
    "no_record": "截至该日无记录",
    "spi": "进度绩效指数 = 完成度 / 预期 = {c} / {e} = {value}",
    "spi_none": "进度绩效指数：无（{why}）",
    "spi_zero": "尚无预期进度",
    "spi_unknown": "完成度或预期未知",
    "linear": "预期：自 {start} 至 {due} 线性，{k} / {n} 天 = {value}",
    "before": "预期：0（在开始日 {start} 或之前）",
    "after": "预期：1（在截止日 {due} 或之后）",
    "trajectory": "预期：按计划轨迹 {points} 分段线性 = {value}",
    "cancelled": "完成度：无，规则 1：{on} 已取消，不计入任何汇总",
    "done": "完成度 = 1，规则 2：{on} 已完成",
    "parts": "完成度，规则 3 = 其目标和里程碑的 Σ(权重 \u00d7 完成度) / Σ权重"
    " = {num} / {den} = {value}",
    "percent": "完成度，规则 4：{on} 报告完成 {percent}%：{percent} / 100 = {value}",
    "not_started": "完成度 = 0，规则 5：{on} 未开始",
    "in_progress": "完成度 = {value}，规则 6：自 {on} 进行中，未报告百分比：按规则的进行中得分",
    "missing_in_progress": "完成度 = {value}，规则 6 转规则 7：自 {on} 进行中，未报告百分比，"
    "规则也未设进行中得分，按无记录处理（{missing}）",
    "missing": "完成度 = {value}，规则 7：无记录（{missing}）",
    "observations": "截至 {as_of} 计入的观测值：{points}",
    "note": "{on} 的记录：{note}",
    "source": "（来源：{source}）",
    "known_at": "按 {known_at} 已知的记录：其后录入的记录、更正和撤回都不计入",
    "corrects": "{on} 的记录：{value}，更正 {recorded} 录入的 {old}{of}{why}",
    "corrected_before": "；后者更正 {recorded} 录入的 {old}{of}{why}",
    "of_day": "（{on} 的数据）",
    "because": "：{reason}",
    "withdrawn": "{on} 撤回：{day} 的记录 {value}（{recorded} 录入）{why}，不计入",
    "no_observations": "截至 {as_of} 没有计入的观测值",
    "aggregate": "当前值（{aggregation}）= {formula} = {value}",
    "target_none": "完成度（达成度）：无（没有观测值）",
    "attainment": "达成度（{comparator}）= {formula} = {ratio}；限定在 [0, 1]：{value}",
    "missing_leaf": "作为所属举措的一项，计为 {value}（{missing}）",
    "ms_status": "完成度 = {value}：{on} 状态为{status}",
    "ms_cancelled": "完成度：无：{on} 已取消，不计入所属任务",
    "milestone_none": "完成度：无（没有状态记录）",
    "forecast": "预测：过 {n} 个点的最小二乘直线（每天 {slope}）在 {on} 达到 {value}：{verdict}",
    "forecast_none": "预测：无（不同日期的点少于两个）",
    "meets": "可以达成目标",
    "misses": "不能达成目标",
    "st_cancelled": "状态：{label}（{colour}）：已取消",
    "st_done": "状态：{label}（{colour}）：完成度 {c} \u2265 1",
    "st_no_data": "状态：{label}（{colour}）：完成度未知",
    "st_overdue": "状态：{label}（{colour}）：{as_of} 已过截止日 {due}，完成度 {c} < 1",
    "st_on_zero": "状态：{label}（{colour}）：尚无预期进度",
    "st_on_track": "状态：{label}（{colour}）：进度绩效指数 {spi} \u2265 正常阈值 {on_track}",
    "st_at_risk": "状态：{label}（{colour}）：正常阈值 {on_track} > 进度绩效指数 {spi}"
    " \u2265 风险阈值 {at_risk}",
    "st_off_track": "状态：{label}（{colour}）：进度绩效指数 {spi} < 风险阈值 {at_risk}",
    "f_last": "最新({values})",
    "f_max": "最大({values})",
    "f_min": "最小({values})",
    "f_mean": "({terms}) / {n}",
    "f_sum": "{start} + {terms}",
    "f_join": "，",
    "a_gain": "(当前 - 基线) / (目标 - 基线) = ({c} - {b}) / ({t} - {b})",
    "a_share": "当前 / 目标 = {c} / {t}",
    "a_nonpositive": "目标 = {t} \u2264 0：当前 \u2265 目标时为 1，否则为 0，当前 = {c}",
    "a_drop": "(基线 - 当前) / (基线 - 目标) = ({b} - {c}) / ({b} - {t})",
    "a_at_most": "当前 \u2264 目标时为 1，否则为 0，当前 = {c}，目标 = {t}",
    "a_exactly": "当前 = 目标时为 1，否则为 0，当前 = {c}，目标 = {t}",
    "a_between": "目标 \u2264 当前 \u2264 上限时为 1，否则为 0，"
    "当前 = {c}，目标 = {t}，上限 = {upper}",
    "missing_zero": "无数据计为 0",
    "missing_exclude": "无数据不计入",
    "rev_line": "调整：{parts}，{on} 起生效{why}{who}",
    "rev_extended": "{field}由 {old} 延期至 {new}",
    "rev_forward": "{field}由 {old} 提前至 {new}",
    "rev_changed": "{field}由 {old} 调整为 {new}",
    "rev_and": "，",
    "rev_sep": "、",
    "rev_why": "：{reason}",
    "rev_who": "；批准：{who}",
    "rev_ignored": "调整：截至该日 {n} 项，按原计划评估，不予采用（basis='original'）",
    "rev_start": "开始日期",
    "rev_due": "截止日期",
    "rev_value": "目标值",
    "rev_upper": "目标上限",
    "rev_weight": "权重",
}

#: How an explanation names a contribution's reason, a target's aggregation and
#: comparator, and a milestone's recorded status, by language; English shows the
#: values as they are written in files.
EXPLAIN_TERMS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType({}),
        "zh": MappingProxyType(
            {
                # reasons
                "cancelled": "已取消",
                "done": "已完成",
                "parts": "按目标和里程碑",
                "percent": "按报告的百分比",
                "not_started": "未开始",
                "in_progress": "进行中",
                "missing": "无记录",
                "attainment": "按达成度",
                "weight 0": "权重为 0",
                "nested": "下级平均",
                "not_done": "未完成",
                # aggregations
                "last": "取最新",
                "mean": "取平均",
                "sum": "累计",
                "max": "取最大",
                "min": "取最小",
                # comparators
                "at_least": "不低于",
                "at_most": "不高于",
                "exactly": "等于",
                "between": "介于",
            }
        ),
    }
)

#: The sentences of an explanation, by language.
EXPLAIN_WORDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"en": MappingProxyType(_EXPLAIN_EN), "zh": MappingProxyType(_EXPLAIN_ZH)}
)
