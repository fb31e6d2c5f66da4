"""Tests that an explanation in Chinese is Chinese throughout: no English tag, status or name."""

from __future__ import annotations

import re

import pytest

from beijing_plan.assessment import Assessment, assess
from beijing_plan.ledger import Ledger, Observation, StatusChange
from beijing_plan.model import Baseline, Measure, Milestone, Plan, Policy, Target, Task, Theme
from beijing_plan.rules import Rules
from beijing_plan.units import Quantity, units

# A date, or a number (with an exponent, as a slope may have one).
_NUMBER = re.compile(r"\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def chinese_plan() -> Plan:
    """A plan whose titles are Chinese, with every kind of item and target."""
    return Plan(
        "p",
        "示范计划",
        start="2025-01-01",
        end="2025-12-31",
        themes=[Theme("th", "经济"), Theme("sub", "能源", parent="th")],
        measures=[
            Measure(
                "m1",
                1,
                "发展经济",
                themes={"sub"},
                targets=[
                    Target("g1", "企业", "at_least", Quantity(60, "count"), aggregation="mean"),
                    Target("g2", "排放", "at_most", Quantity(10, "percent")),
                    Target(
                        "g3",
                        "投资",
                        "between",
                        Quantity(5, "yi_yuan"),
                        upper=Quantity(8, "yi_yuan"),
                        aggregation="max",
                    ),
                ],
                tasks=[
                    Task(
                        "t1",
                        "任务一",
                        targets=[
                            Target(
                                "g4",
                                "收入",
                                "at_least",
                                Quantity(100, "wan_yuan"),
                                baseline=Baseline(Quantity(40, "wan_yuan"), "2024-12-31"),
                                aggregation="sum",
                            ),
                            Target("g5", "面积", "exactly", Quantity(3, "m2"), aggregation="min"),
                            Target(
                                "g6",
                                "能耗",
                                "at_most",
                                Quantity(5, "percent"),
                                baseline=Baseline(Quantity(9, "percent"), "2024-12-31"),
                            ),
                        ],
                        milestones=[Milestone("ms1", "开工"), Milestone("ms2", "验收")],
                    ),
                    Task("t2", "任务二", due="2025-03-31"),
                    Task("t3", "任务三"),
                    Task("t4", "任务四"),
                    Task("t5", "任务五", weight=0),
                ],
            ),
            Measure("m2", 2, "改善民生", tasks=[Task("t6", "任务六"), Task("t7", "任务七")]),
        ],
        policies=[Policy("pol", "政策一", themes={"th"}, measures=["m1"])],
    )


def chinese_ledger() -> Ledger:
    return Ledger(
        [
            Observation("g1", "2025-02-01", Quantity(30, "count")),
            Observation("g1", "2025-04-01", Quantity(41, "count")),
            Observation("g2", "2025-03-01", Quantity(12, "percent")),
            Observation("g3", "2025-03-01", Quantity(6, "yi_yuan")),
            Observation("g4", "2025-02-01", Quantity(10, "wan_yuan")),
            Observation("g4", "2025-04-01", Quantity(15, "wan_yuan")),
            Observation("g5", "2025-03-01", Quantity(3, "m2")),
            Observation("g6", "2025-03-01", Quantity(7, "percent")),
            StatusChange("ms1", "2025-02-01", "done"),
            StatusChange("ms2", "2025-02-01", "in_progress"),
            StatusChange("t2", "2025-02-01", "in_progress", percent=20),
            StatusChange("t3", "2025-02-01", "cancelled"),
            StatusChange("t4", "2025-02-01", "in_progress"),
            StatusChange("t6", "2025-02-01", "done", note="已验收"),
            StatusChange("t7", "2025-02-01", "not_started"),
        ]
    )


def english_words(text: str, plan: Plan) -> list[str]:
    """The words of Latin letters in `text` that are not an id, a unit or a number."""
    names = sorted((*plan.ids, plan.id), key=len, reverse=True)
    symbols = {unit.symbol for unit in units().values()}
    for name in names:
        text = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", " ", text)
    for symbol in sorted(symbols, key=len, reverse=True):
        if symbol:
            text = text.replace(symbol, " ")
    return re.findall(r"[A-Za-z_]+", _NUMBER.sub(" ", text))


@pytest.mark.parametrize(
    "rules",
    [
        Rules(),
        Rules(missing="exclude", rollup="nested"),
        Rules(in_progress_credit=0.5),
    ],
)
@pytest.mark.parametrize("as_of", ["2025-01-01", "2025-05-01", "2026-02-01"])
def test_chinese_explanations_hold_no_english_word(rules: Rules, as_of: str) -> None:
    """Every explanation in Chinese is free of English tags, statuses and rule names."""
    plan = chinese_plan()
    assessment: Assessment = assess(plan, chinese_ledger(), as_of=as_of, rules=rules)
    for result in assessment.results():
        text = result.explain(lang="zh")
        assert english_words(text, plan) == [], (result.id, text)


def test_chinese_explanation_names_the_reason_and_thresholds_in_chinese() -> None:
    """The reason of a contribution, the thresholds and SPI are written in Chinese."""
    assessment = assess(chinese_plan(), chinese_ledger(), as_of="2025-05-01")
    text = assessment["t1"].explain(lang="zh")
    assert "［按达成度］" in text  # noqa: RUF001 (full-width brackets, as in the text)
    assert "[attainment]" not in text
    overall = assessment.overall.explain(lang="zh")
    assert "进度绩效指数 = 完成度 / 预期" in overall
    assert "SPI" not in overall
    g4 = assessment["g4"].explain(lang="zh")
    assert "当前值（累计）= 40.00 + 10.00 + 15.00 = 65.00万元" in g4  # noqa: RUF001
    assert "(当前 - 基线) / (目标 - 基线) = (65.00 - 40.00) / (100.00 - 40.00)" in g4
    assert "[missing]" not in assessment["t7"].explain(lang="zh")


def test_english_explanations_keep_their_words() -> None:
    """English explanations still name reasons, comparators and rules as files write them."""
    assessment = assess(chinese_plan(), chinese_ledger(), as_of="2025-05-01")
    assert "[attainment]" in assessment["t1"].explain()
    assert "Attainment (at_least) = (c - b) / (T - b)" in assessment["g4"].explain()
    assert "(missing='zero')" in assessment["t4"].explain()
