# ruff: noqa: RUF001 (Chinese text is written with full-width punctuation, as it should be)
"""Explanations: plain text that lets a reader recompute a result by hand.

:func:`explain` writes, in English or Chinese, how each figure of a result was
reached: the formula with the actual numbers, one line per contribution, how
coverage and the expected value were computed, and the status rule that applied.
It is what :meth:`beijing_plan.assessment.Result.explain` returns.

Titles, notes, sources and ids are quoted with every control or bidirectional
character (a newline included) shown escaped, as ``\\x1b`` or ``\\u202e``, so
each line of the text stays one line and cannot act on the terminal that
shows it.

Fractions are written with four decimals, weights with up to fifteen significant
digits and quantities exactly; sums are exact sums of the terms listed
(``math.fsum``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import pendulum

from ._engine.completion import counted_points, in_force
from ._engine.rollup import Contribution
from ._engine.schedule import Forecast, planned_points, window
from ._safe import terminal
from .exceptions import PlanValidationError
from .ledger import Ledger, Observation, Record, Status
from .model import Aggregation, Comparator, Milestone, Plan, Policy, Target, Task, Text
from .rules import Progress, Rules
from .units import Quantity, computed

__all__ = ["Explainable", "explain"]


class Explainable(Protocol):
    """What :func:`explain` reads from a result."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> Text: ...
    @property
    def completion(self) -> float | None: ...
    @property
    def expected(self) -> float | None: ...
    @property
    def spi(self) -> float | None: ...
    @property
    def status(self) -> Progress: ...
    @property
    def coverage(self) -> float | None: ...
    @property
    def weight(self) -> float: ...
    @property
    def due(self) -> pendulum.Date | None: ...
    @property
    def ratio(self) -> float | None: ...
    @property
    def current(self) -> Quantity | None: ...
    @property
    def forecast(self) -> Forecast | None: ...
    @property
    def rule(self) -> str | None: ...
    @property
    def contributions(self) -> tuple[Contribution, ...]: ...


_EN = {
    "plan": "Plan",
    "measure": "Measure",
    "theme": "Theme",
    "task": "Task",
    "policy": "Policy",
    "target": "Target",
    "milestone": "Milestone",
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
    " percent and no in_progress_credit, so as nothing recorded (missing={missing!r})",
    "missing": "Completion = {value} by rule 7: nothing recorded (missing={missing!r})",
    "observations": "Observations counted up to {as_of}: {points}",
    "note": "Record of {on}: {note}",
    "source": "(source: {source})",
    "no_observations": "No observation counts up to {as_of}",
    "aggregate": "Current value ({aggregation}) = {formula} = {value}",
    "target_none": "Completion (attainment): none (no observation)",
    "attainment": "Attainment ({comparator}) = {formula} = {ratio}; clamped to [0, 1]: {value}",
    "missing_leaf": "As a leaf of its measure it counts {value} (missing={missing!r})",
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
}

_ZH = {
    "plan": "计划",
    "measure": "重大举措",
    "theme": "主题",
    "task": "重点任务",
    "policy": "政策",
    "target": "目标",
    "milestone": "里程碑",
    "header": "{kind} {id}\u201c{title}\u201d，截至 {as_of}",
    "none": "无",
    "flat": "完成度 = sum(w \u00d7 c) / sum(w)，计入 {total} 项中的 {n} 项"
    " = {num} / {den} = {value}",
    "flat_none": "完成度：无（没有计入的项，或其权重之和为 0）",
    "nested": "完成度 = {total} 个下级中计入的 {n} 个的简单平均 = {num} / {n} = {value}",
    "nested_none": "完成度：无（没有下级有完成度）",
    "line": "  - {kind} {id}\u201c{title}\u201d：w = {w}，c = {c}，e = {e}，占比 {share}，"
    "贡献 {adds} [{reason}]",
    "line_out": "  - {kind} {id}\u201c{title}\u201d：w = {w}，不计入 [{reason}]",
    "flat_expected": "预期 = sum(w \u00d7 e) / sum(w)，同样的项 = {num} / {den} = {value}",
    "nested_expected": "预期 = 同样下级的简单平均 = {num} / {n} = {value}",
    "expected_none": "预期：无（没有计入的项）",
    "coverage": "覆盖率 = 有记录的权重 / 总权重 = {num} / {den} = {value}",
    "coverage_none": "覆盖率：无（权重之和为 0）",
    "coverage_leaf": "覆盖率：{value}（{why}）",
    "coverage_weight_zero": "覆盖率：无（其权重为 0）",
    "has_record": "截至该日有记录",
    "no_record": "截至该日无记录",
    "spi": "进度绩效指数 SPI = 完成度 / 预期 = {c} / {e} = {value}",
    "spi_none": "进度绩效指数 SPI：无（{why}）",
    "spi_zero": "尚无预期进度",
    "spi_unknown": "完成度或预期未知",
    "linear": "预期：自 {start} 至 {due} 线性，{k} / {n} 天 = {value}",
    "before": "预期：0（在开始日 {start} 或之前）",
    "after": "预期：1（在截止日 {due} 或之后）",
    "trajectory": "预期：按计划轨迹 {points} 分段线性 = {value}",
    "cancelled": "完成度：无，规则 1：{on} 已取消，不计入任何汇总",
    "done": "完成度 = 1，规则 2：{on} 已完成",
    "parts": "完成度，规则 3 = 其目标和里程碑的 sum(w \u00d7 c) / sum(w) = {num} / {den} = {value}",
    "percent": "完成度，规则 4：{on} 报告完成 {percent}%：{percent} / 100 = {value}",
    "not_started": "完成度 = 0，规则 5：{on} 未开始",
    "in_progress": "完成度 = {value}，规则 6：自 {on} 进行中，未报告百分比：in_progress_credit",
    "missing_in_progress": "完成度 = {value}，规则 6 转规则 7：自 {on} 进行中，未报告百分比，"
    "也未设 in_progress_credit，按无记录处理（missing={missing!r}）",
    "missing": "完成度 = {value}，规则 7：无记录（missing={missing!r}）",
    "observations": "截至 {as_of} 计入的观测值：{points}",
    "note": "{on} 的记录：{note}",
    "source": "（来源：{source}）",
    "no_observations": "截至 {as_of} 没有计入的观测值",
    "aggregate": "当前值（{aggregation}）= {formula} = {value}",
    "target_none": "完成度（达成度）：无（没有观测值）",
    "attainment": "达成度（{comparator}）= {formula} = {ratio}；限定在 [0, 1]：{value}",
    "missing_leaf": "作为所属举措的一项，计为 {value}（missing={missing!r}）",
    "ms_status": "完成度 = {value}：{on} 状态为 {status}",
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
    "st_on_track": "状态：{label}（{colour}）：SPI {spi} \u2265 on_track {on_track}",
    "st_at_risk": "状态：{label}（{colour}）：on_track {on_track} > SPI {spi}"
    " \u2265 at_risk {at_risk}",
    "st_off_track": "状态：{label}（{colour}）：SPI {spi} < at_risk {at_risk}",
}

_LANGS = {"en": _EN, "zh": _ZH}


_ZH_COLOURS = {"green": "绿", "amber": "琥珀", "red": "红", "grey": "灰", "blue": "蓝"}


def _f(value: float | None, words: dict[str, str]) -> str:
    return words["none"] if value is None else f"{value:.4f}"


def _w(value: float) -> str:
    return f"{value:.15g}"


class _Writer:
    def __init__(
        self,
        result: Explainable,
        *,
        plan: Plan,
        ledger: Ledger,
        as_of: pendulum.Date,
        rules: Rules,
        lang: str,
    ) -> None:
        self.result = result
        self.plan = plan
        self.ledger = ledger
        self.as_of = as_of
        self.rules = rules
        self.lang = lang
        self.words = _LANGS[lang]
        self.lines: list[str] = []

    def say(self, key: str, **values: object) -> None:
        """Add a line; what it quotes from the plan or the ledger is shown escaped."""
        self.lines.append(terminal(self.words[key].format(**values)))

    def colour_name(self, colour: str) -> str:
        """The default colours by their Chinese names in Chinese text; others as given."""
        return _ZH_COLOURS.get(colour, colour) if self.lang == "zh" else colour

    def num(self, value: float | None) -> str:
        return _f(value, self.words)

    def records(self, item_id: str) -> tuple[Record, ...]:
        return self.ledger.by_item().get(item_id, ())

    def notes(self, item_id: str) -> None:
        """The notes and sources of the item's records up to the date, for the reader to weigh."""
        limit = self.as_of.toordinal()
        for record in self.records(item_id):
            if record.on.toordinal() > limit or (record.note is None and record.source is None):
                continue
            parts = [record.note] if record.note else []
            if record.source is not None:
                parts.append(self.words["source"].format(source=record.source.title))
            self.say("note", on=record.on, note=" ".join(parts))

    # -- groups ---------------------------------------------------------------------------

    def group(self, covered: float | None) -> None:
        result = self.result
        rows = result.contributions
        counted = [row for row in rows if row.counted]
        nested = self.rules.rollup == "nested"
        if not counted or result.completion is None:
            self.say("nested_none" if nested else "flat_none")
        elif nested:
            total = math.fsum(row.completion or 0.0 for row in counted)
            self.say(
                "nested",
                n=len(counted),
                total=len(rows),
                num=self.num(total),
                value=self.num(result.completion),
            )
        else:
            num = math.fsum(row.weight * (row.completion or 0.0) for row in counted)
            den = math.fsum(row.weight for row in counted)
            self.say(
                "flat",
                n=len(counted),
                total=len(rows),
                num=self.num(num),
                den=_w(den),
                value=self.num(result.completion),
            )
        self.rows(rows)
        if counted and result.expected is not None:
            if nested:
                total = math.fsum(row.expected or 0.0 for row in counted)
                self.say(
                    "nested_expected",
                    n=len(counted),
                    num=self.num(total),
                    value=self.num(result.expected),
                )
            else:
                num = math.fsum(row.weight * (row.expected or 0.0) for row in counted)
                den = math.fsum(row.weight for row in counted)
                self.say(
                    "flat_expected", num=self.num(num), den=_w(den), value=self.num(result.expected)
                )
        else:
            self.say("expected_none")
        if result.coverage is None or covered is None:
            self.say("coverage_none")
        else:
            self.say(
                "coverage", num=_w(covered), den=_w(result.weight), value=self.num(result.coverage)
            )

    def rows(self, rows: Sequence[Contribution]) -> None:
        for row in rows:
            kind = self.words.get(row.kind, row.kind)
            title = row.title.get(self.lang)
            if row.counted:
                self.say(
                    "line",
                    kind=kind,
                    id=row.id,
                    title=title,
                    w=_w(row.weight),
                    c=self.num(row.completion),
                    e=self.num(row.expected),
                    share=self.num(row.share),
                    adds=self.num(row.adds),
                    reason=row.reason,
                )
            else:
                self.say(
                    "line_out",
                    kind=kind,
                    id=row.id,
                    title=title,
                    w=_w(row.weight),
                    reason=row.reason,
                )

    # -- leaves ---------------------------------------------------------------------------

    def leaf(self) -> None:
        result = self.result
        status = in_force(self.records(result.id), self.as_of.toordinal())
        on = status.on if status is not None else self.words["none"]
        rule = result.rule
        value = self.num(result.completion)
        if rule == "parts":
            rows = result.contributions
            counted = [row for row in rows if row.counted]
            num = math.fsum(row.weight * (row.completion or 0.0) for row in counted)
            den = math.fsum(row.weight for row in counted)
            self.say("parts", num=self.num(num), den=_w(den), value=value)
            self.rows(rows)
        elif rule == "percent":
            assert status is not None
            self.say("percent", percent=f"{status.percent:g}", on=on, value=value)
        elif rule == "missing" and status is not None:
            self.say("missing_in_progress", on=on, value=value, missing=self.rules.missing)
        elif rule == "missing":
            self.say("missing", value=value, missing=self.rules.missing)
        else:
            self.say(str(rule), on=on, value=value)
        self.coverage_leaf()

    def coverage_leaf(self) -> None:
        coverage = self.result.coverage
        if coverage is None:
            self.say("coverage_weight_zero")
            return
        why = self.words["has_record" if coverage else "no_record"]
        self.say("coverage_leaf", value=self.num(coverage), why=why)

    def target(self, target: Target) -> None:
        result = self.result
        observations = [r for r in self.records(target.id) if isinstance(r, Observation)]
        points = counted_points(
            target,
            observations,
            as_of=self.as_of.toordinal(),
            plan_start=self.plan.start.toordinal(),
        )
        unit = target.value.unit
        if not points or result.current is None:
            self.say("no_observations", as_of=self.as_of)
            self.say("target_none")
            if result.rule == "missing":
                self.say(
                    "missing_leaf", value=self.num(result.completion), missing=self.rules.missing
                )
        else:
            listed = ", ".join(
                f"{pendulum.Date.fromordinal(d)}: {computed(v, unit)}" for d, v in points
            )
            self.say("observations", as_of=self.as_of, points=listed)
            self.say(
                "aggregate",
                aggregation=target.aggregation.value,
                formula=_aggregate_formula(target, [v for _, v in points]),
                value=result.current,
            )
            self.say(
                "attainment",
                comparator=target.comparator.value,
                formula=_attainment_formula(target, result.current),
                ratio=self.num(result.ratio),
                value=self.num(result.completion),
            )
        self.coverage_leaf()

    def outlook(self) -> None:
        outlook = self.result.forecast
        if outlook is None:
            self.say("forecast_none")
        else:
            self.say(
                "forecast",
                n=outlook.points,
                slope=f"{outlook.slope:.6g}",
                value=outlook.value,
                on=outlook.on,
                verdict=self.words["meets" if outlook.would_meet else "misses"],
            )

    def milestone(self) -> None:
        status = in_force(self.records(self.result.id), self.as_of.toordinal())
        if status is None:
            self.say("milestone_none")
        elif status.status is Status.CANCELLED:
            self.say("ms_cancelled", on=status.on)
        else:
            self.say(
                "ms_status",
                value=self.num(self.result.completion),
                status=status.status.value,
                on=status.on,
            )
        self.coverage_leaf()

    def schedule(self, item: Task | Policy | Target | Milestone) -> None:
        parent = self.plan.parent_of(item.id)
        owner = self.plan[parent] if parent is not None else None
        task = owner if isinstance(owner, Task) else None
        start, due, points = window(
            item,
            plan_start=self.plan.start.toordinal(),
            plan_end=self.plan.end.toordinal(),
            task=task,
        )
        day = self.as_of.toordinal()
        value = self.num(self.result.expected)
        start = min(start, due)
        if day > due or (day == due and not points):
            self.say("after", due=pendulum.Date.fromordinal(due))
        elif day < start or (day == start and not points):
            self.say("before", start=pendulum.Date.fromordinal(start))
        elif points:
            listed = ", ".join(
                f"({pendulum.Date.fromordinal(d)}, {f:g})"
                for d, f in planned_points(start, due, points)
            )
            self.say("trajectory", points=listed, value=value)
        else:
            self.say(
                "linear",
                start=pendulum.Date.fromordinal(start),
                due=pendulum.Date.fromordinal(due),
                k=day - start,
                n=due - start,
                value=value,
            )

    # -- common ---------------------------------------------------------------------------

    def spi(self) -> None:
        result = self.result
        if result.spi is not None:
            self.say(
                "spi",
                c=self.num(result.completion),
                e=self.num(result.expected),
                value=self.num(result.spi),
            )
        else:
            zero = result.expected is not None and result.expected <= 0.0
            self.say("spi_none", why=self.words["spi_zero" if zero else "spi_unknown"])

    def status(self) -> None:
        result, rules = self.result, self.rules
        status = result.status
        key = "st_" + status.value
        if status is Progress.ON_TRACK and result.spi is None:
            key = "st_on_zero"
        self.say(
            key,
            label=rules.label(status, self.lang),
            colour=self.colour_name(rules.colour(status)),
            c=self.num(result.completion),
            as_of=self.as_of,
            due=result.due,
            spi=self.num(result.spi),
            on_track=_w(rules.on_track),
            at_risk=_w(rules.at_risk),
        )


def _aggregate_formula(target: Target, values: list[object]) -> str:
    shown = [str(v) for v in values]
    aggregation = target.aggregation
    if aggregation is Aggregation.LAST:
        return f"last({', '.join(shown)})"
    if aggregation is Aggregation.MAX:
        return f"max({', '.join(shown)})"
    if aggregation is Aggregation.MIN:
        return f"min({', '.join(shown)})"
    if aggregation is Aggregation.MEAN:
        return f"({' + '.join(shown)}) / {len(shown)}"
    start = "0"
    if target.baseline is not None:
        start = str(target.baseline.value.to(target.value.unit).value)
    return f"{start} + {' + '.join(shown)}"


def _attainment_formula(target: Target, current: Quantity) -> str:
    unit = target.value.unit
    c, t = current.to(unit).value, target.value.value
    b = None if target.baseline is None else target.baseline.value.to(unit).value
    comparator = target.comparator
    if comparator is Comparator.AT_LEAST:
        if b is not None and t > b:
            return f"(c - b) / (T - b) = ({c} - {b}) / ({t} - {b})"
        if t > 0:
            return f"c / T = {c} / {t}"
        return f"T = {t} <= 0: 1 if c >= T else 0, c = {c}"
    if comparator is Comparator.AT_MOST:
        if b is not None and b > t:
            return f"(b - c) / (b - T) = ({b} - {c}) / ({b} - {t})"
        return f"1 if c <= T else 0, c = {c}, T = {t}"
    if comparator is Comparator.EXACTLY:
        return f"1 if c = T else 0, c = {c}, T = {t}"
    assert target.upper is not None
    upper = target.upper.to(unit).value
    return f"1 if T <= c <= U else 0, c = {c}, T = {t}, U = {upper}"


def explain(
    result: Explainable,
    *,
    plan: Plan,
    ledger: Ledger,
    as_of: pendulum.Date,
    rules: Rules,
    covered: float | None = None,
    lang: str = "en",
) -> str:
    """Explain ``result`` in ``lang`` (``"en"`` or ``"zh"``).

    Args:
        result: A result of an assessment of ``plan``.
        plan: The plan assessed.
        ledger: The ledger it was assessed against.
        as_of: The date of the assessment.
        rules: The rules applied.
        covered: For a group, the weight of its leaves with a record.
        lang: The language of the text.

    Raises:
        PlanValidationError: for a language other than ``"en"`` and ``"zh"``.
    """
    if lang not in _LANGS:
        raise PlanValidationError([("lang", f"{lang!r} is not one of 'en', 'zh'")])
    writer = _Writer(result, plan=plan, ledger=ledger, as_of=as_of, rules=rules, lang=lang)
    words = writer.words
    writer.say(
        "header", kind=words[result.kind], id=result.id, title=result.title.get(lang), as_of=as_of
    )
    item = plan.get(result.id) if result.kind != "plan" else None
    if result.kind in {"plan", "measure", "theme"}:
        writer.group(covered)
    elif isinstance(item, Target):
        writer.target(item)
        writer.schedule(item)
        writer.outlook()
    elif isinstance(item, Milestone):
        writer.milestone()
        writer.schedule(item)
    elif isinstance(item, Task | Policy):
        writer.leaf()
        writer.schedule(item)
    writer.spi()
    writer.status()
    if item is not None:
        writer.notes(item.id)
    return "\n".join(writer.lines)
