"""Chinese text, the statuses, the kinds of item and comparators, and the words of HTML views."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "COLOUR_NAMES_ZH",
    "COMPARATOR_SIGNS",
    "HTML_FORECAST",
    "HTML_HEADERS",
    "HTML_KINDS",
    "HTML_RECORD_KINDS",
    "HTML_WORDS",
    "KIND_NAMES",
    "LEAVES",
    "RECORD_STATUS_TEXT",
    "SECTIONS",
    "SHEET_CHOICES",
    "STATUS_COLOURS",
    "STATUS_LABELS",
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
