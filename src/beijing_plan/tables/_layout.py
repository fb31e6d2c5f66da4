"""The layout of a plan's sheets: which sheets, which columns, and their words.

A plan is kept as seven sheets, one per kind of item: the plan itself (a sheet of
fields and values), themes, major measures (重大举措), key tasks (重点任务),
quantitative targets (量化指标), milestones (节点) and policies. Each column
holds one field of the items' documents (a dotted key such as `title.zh` or
`baseline.on`), or a link to the item's parent (`^measure`). A field of a model
class that no column names is still kept, in a column headed by the field's
name that holds its JSON.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .._words import has_cjk
from ..model import Measure, Milestone, Plan, Policy, Target, Task, Theme
from . import _plancells as pc
from ._columns import TASK_FIELDS, Field, normalise_header

__all__ = ["SHEETS", "Column", "SheetSpec", "fields_of"]


@attrs.frozen
class Column:
    """One column of a plan sheet.

    Attributes:
        key: The dotted key of the document value it holds, or `^name` for a link to
            the item's parent.
        zh, en: The header written in each language.
        codec: How its cells are written and read.
        synonyms: More headers accepted on input.
    """

    key: str
    zh: str
    en: str
    codec: pc.Codec
    synonyms: tuple[str, ...] = ()

    def header(self, lang: str) -> str:
        """The header written in `lang`."""
        return self.en if lang == "en" else self.zh


@attrs.frozen
class SheetSpec:
    """One sheet of a plan.

    Attributes:
        name: The kind of item it holds.
        zh, en: The sheet's name in each language (in CSV form, the file's stem).
        cls: The model class of its items.
        columns: Its columns, in the order written.
        children: The document keys of the items' children, kept in other sheets.
    """

    name: str
    zh: str
    en: str
    cls: type
    columns: tuple[Column, ...]
    children: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        """The sheet's name in `lang`."""
        return self.en if lang == "en" else self.zh

    def extra_keys(self) -> tuple[str, ...]:
        """The fields of its class that no column and no child sheet holds."""
        known = {column.key.split(".")[0] for column in self.columns} | set(self.children)
        return tuple(
            field.alias or field.name
            for field in attrs.fields(self.cls)
            if field.init and field.name not in known and not field.name.startswith("_")
        )

    def groups(self) -> tuple[str, ...]:
        """The fields its columns hold parts of (`baseline` of `baseline.on`)."""
        return tuple(dict.fromkeys(c.key.split(".")[0] for c in self.columns if "." in c.key))


def _task_words(name: str) -> tuple[str, ...]:
    return next(field.synonyms for field in TASK_FIELDS if field.name == name)


def _title(
    zh: str, en: str, zh_words: Sequence[str] = (), en_words: Sequence[str] = ()
) -> tuple[Column, Column]:
    return (
        Column("title.zh", zh, f"{en} (zh)", pc.TEXT, (f"{zh}(中文)", *zh_words)),
        Column("title.en", f"{zh}(英文)", en, pc.TEXT, (f"{en} (en)", *en_words)),
    )


_ID = Column("id", "编号", "ID", pc.TEXT, ("id",))
_LEAD = Column("lead", "牵头单位", "Lead units", pc.NAMES, _task_words("lead"))
_THEMES = Column("themes", "主题", "Themes", pc.THEMES, _task_words("themes"))
_WEIGHT = Column("weight", "权重", "Weight", pc.NUMBER, ("weights",))
_TRAJECTORY = Column("trajectory", "进度计划", "Trajectory", pc.TRAJECTORY, ("计划进度",))
_SOURCES = Column("sources", "来源", "Sources", pc.SOURCES, ("出处", "source"))
_DUE = Column("due", "完成时限", "Deadline", pc.DATE, _task_words("due"))

PLAN_SHEET = SheetSpec(
    "plan",
    "计划",
    "Plan",
    Plan,
    (
        Column("id", "编号", "ID", pc.TEXT),
        *_title("名称", "Title"),
        Column("start", "开始日期", "Start", pc.DATE, ("开始时间",)),
        Column("end", "结束日期", "End", pc.DATE, ("结束时间",)),
        Column("issuer", "发布单位", "Issuer", pc.TEXT, ("印发单位",)),
        Column("published", "发布日期", "Published", pc.DATE, ("印发日期",)),
        Column("declared.measures", "重大举措数", "Declared measures", pc.NUMBER),
        Column("declared.tasks", "重点任务数", "Declared tasks", pc.NUMBER),
        Column("declared.policies", "政策数", "Declared policies", pc.NUMBER),
        _SOURCES,
    ),
    children=("themes", "measures", "policies"),
)
THEME_SHEET = SheetSpec(
    "themes",
    "主题",
    "Themes",
    Theme,
    (
        _ID,
        *_title("名称", "Title", ("主题",), ("theme",)),
        Column("parent", "上级主题", "Parent", pc.THEME, ("上级",)),
    ),
)
MEASURE_SHEET = SheetSpec(
    "measures",
    "重大举措",
    "Measures",
    Measure,
    (
        _ID,
        Column("number", "序号", "Number", pc.NUMBER, ("no",)),
        *_title("重大举措", "Measure", ("举措",)),
        _THEMES,
        _LEAD,
        _SOURCES,
    ),
    children=("tasks", "targets"),
)
TASK_SHEET = SheetSpec(
    "tasks",
    "重点任务",
    "Tasks",
    Task,
    (
        Column("id", "序号", "ID", pc.TEXT, _task_words("id")),
        Column("^measure", "重大举措", "Measure", pc.TEXT, ("举措", "所属举措", "measure id")),
        *_title(
            "任务",
            "Task",
            [word for word in _task_words("title") if has_cjk(word)],
            ("title", "task name", "key task"),
        ),
        _LEAD,
        Column("partners", "配合单位", "Partner units", pc.NAMES, _task_words("partners")),
        Column("start", "开始时间", "Start", pc.DATE, ("开始日期", "start date")),
        _DUE,
        _THEMES,
        _WEIGHT,
        _TRAJECTORY,
        _SOURCES,
    ),
    children=("targets", "milestones"),
)
TARGET_SHEET = SheetSpec(
    "targets",
    "量化指标",
    "Targets",
    Target,
    (
        _ID,
        Column("^owner", "所属", "Belongs to", pc.TEXT, ("所属任务", "所属事项", "owner")),
        *_title("指标", "Target", ("指标名称",)),
        Column("comparator", "要求", "Comparator", pc.COMPARATOR, ("比较",)),
        Column("value", "目标值", "Value", pc.QUANTITY, ("目标",)),
        Column("upper", "上限", "Upper", pc.QUANTITY, ("目标上限",)),
        Column("baseline.value", "基期值", "Baseline", pc.QUANTITY, ("基数",)),
        Column("baseline.on", "基期日期", "Baseline date", pc.DATE, ("基期",)),
        Column("deadline", "完成时限", "Deadline", pc.DATE, _task_words("due")),
        Column("aggregation", "汇总方式", "Aggregation", pc.AGGREGATION, ("汇总",)),
        _WEIGHT,
        _TRAJECTORY,
        _SOURCES,
    ),
)
MILESTONE_SHEET = SheetSpec(
    "milestones",
    "节点",
    "Milestones",
    Milestone,
    (
        _ID,
        Column("^task", "所属任务", "Task", pc.TEXT, ("任务编号", "task id")),
        *_title("节点", "Milestone", ("节点名称",)),
        _DUE,
        _WEIGHT,
    ),
)
POLICY_SHEET = SheetSpec(
    "policies",
    "政策",
    "Policies",
    Policy,
    (
        _ID,
        *_title("政策", "Policy", ("政策名称", "拟出台政策")),
        _THEMES,
        Column("measures", "重大举措", "Measures", pc.NAMES, ("所属举措",)),
        Column("issuer", "出台单位", "Issuer", pc.TEXT, ("发布单位",)),
        _DUE,
        _WEIGHT,
        _SOURCES,
    ),
)

#: The sheets, in the order written.
SHEETS = (
    PLAN_SHEET,
    THEME_SHEET,
    MEASURE_SHEET,
    TASK_SHEET,
    TARGET_SHEET,
    MILESTONE_SHEET,
    POLICY_SHEET,
)


def fields_of(spec: SheetSpec) -> tuple[tuple[Field, ...], dict[str, pc.Codec]]:
    """The header fields of a sheet, its extra fields' columns included, and their codecs."""
    fields = [
        Field(column.key, column.zh, column.en, column.zh, (column.zh, column.en, *column.synonyms))
        for column in spec.columns
    ]
    codecs = {column.key: column.codec for column in spec.columns}
    words = {normalise_header(word) for field in fields for word in field.synonyms}
    for key in (*spec.extra_keys(), *spec.groups()):
        if normalise_header(key) not in words:
            fields.append(Field(key, key, key, key, (key,)))
            codecs[key] = pc.ANY
    return tuple(fields), codecs
