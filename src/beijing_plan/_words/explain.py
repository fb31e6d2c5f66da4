# ruff: noqa: RUF001 (Chinese words are written with full-width punctuation, as they should be)
"""The words of explanations: the sentences and terms that let a reader recompute a figure."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .labels import KIND_NAMES

__all__ = [
    "EXPLAIN_TERMS",
    "EXPLAIN_WORDS",
]

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
