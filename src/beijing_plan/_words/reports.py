# ruff: noqa: RUF001 (Chinese words are written with full-width punctuation, as they should be)
"""The words of reports: on the command line, on the report page, of history and
change, and of reporting compliance."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .labels import HTML_HEADERS, KIND_NAMES, LEAVES, SECTIONS

__all__ = [
    "HISTORY_WORDS",
    "PAGE_WORDS",
    "REPORTING_WORDS",
    "REPORT_COLUMNS",
    "REPORT_WORDS",
    "ROLE_NAMES",
    "TRANSITION_ARROWS",
]

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
