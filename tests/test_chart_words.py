"""Tests of what charts write: status colours, sub-themes, unit symbols, date ticks, fonts."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

from beijing_plan import _fonts as fonts
from beijing_plan import charts
from beijing_plan._words import STATUS_COLOURS
from beijing_plan.assessment import assess
from beijing_plan.exceptions import PlanValidationError
from beijing_plan.ledger import Ledger, Observation, StatusChange
from beijing_plan.model import Measure, Plan, Target, Task, Text, Theme
from beijing_plan.units import Quantity


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    """Every test starts and ends with no open figure."""
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts see no installed font with Chinese glyphs, and have not said so yet."""
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    monkeypatch.setattr(fonts, "_told", [])


def needs_cjk_font() -> str:
    font = charts.cjk_font()
    if font is None:
        pytest.skip("no font with Chinese glyphs is installed")
    return font


def legend_colours(ax: Axes) -> dict[str, str]:
    legend = ax.get_legend()
    assert legend is not None
    handles = legend.legend_handles
    texts = [text.get_text() for text in legend.get_texts()]
    return {
        text: to_hex(handle.get_facecolor())  # type: ignore[union-attr]
        for text, handle in zip(texts, handles, strict=True)
        if hasattr(handle, "get_facecolor")
    }


def test_off_track_and_overdue_have_different_colours() -> None:
    """Off track and overdue bars and legend swatches are two different colours."""
    assert STATUS_COLOURS["off_track"] != STATUS_COLOURS["overdue"]
    plan = Plan(
        "p",
        "Plan",
        start="2025-01-01",
        end="2025-12-31",
        measures=[
            Measure(
                "m", 1, "M", tasks=[Task("late", "Late", due="2025-03-31"), Task("slow", "Slow")]
            )
        ],
    )
    ledger = Ledger([StatusChange("slow", "2025-02-01", "in_progress", percent=10)])
    assessment = assess(plan, ledger, as_of="2025-07-02")
    assert (assessment["late"].status.value, assessment["slow"].status.value) == (
        "overdue",
        "off_track",
    )
    ax = charts.plot_assessment(assessment, by="leaf", lang="en")
    colours = legend_colours(ax)
    assert colours["off track"] == "#c53030"
    assert colours["overdue"] == "#702459"


def themed_plan() -> Plan:
    return Plan(
        "p",
        Text(zh="计划", en="Plan"),
        start="2025-01-01",
        end="2025-12-31",
        themes=[
            Theme("econ", Text(zh="经济", en="Economy")),
            Theme("social", Text(zh="社会", en="Social")),
            Theme("energy", Text(zh="能源", en="Energy"), parent="econ"),
            Theme("grid", Text(zh="电网", en="Grid"), parent="energy"),
        ],
        measures=[
            Measure("m", 1, "M", themes={"grid"}, tasks=[Task("t", "T")]),
            Measure("n", 2, "N", themes={"social"}, tasks=[Task("u", "U")]),
        ],
    )


def test_sub_themes_are_indented_under_their_parent() -> None:
    """A theme chart lists each sub-theme under its parent, marked a level deeper."""
    ax = charts.plot_assessment(assess(themed_plan(), as_of="2025-07-02"), lang="en")
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert labels == ["Economy", "\u2514 Energy", "\u2514\u2500 Grid", "Social"]


def history_plan(unit: str = "wan_yuan") -> tuple[Plan, Ledger]:
    target = Target("inv", Text(zh="投资", en="Investment"), "at_least", Quantity(100, unit))
    plan = Plan(
        "p",
        "Plan",
        start="2025-01-01",
        end="2025-12-31",
        measures=[Measure("m", 1, "M", targets=[target])],
    )
    ledger = Ledger(
        [
            Observation("inv", "2025-02-01", Quantity("20.123", unit)),
            Observation("inv", "2025-05-01", Quantity("45.5", unit)),
        ]
    )
    return plan, ledger


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_units_show_their_symbol_in_both_languages(lang: str) -> None:
    """With a font that draws it, a unit shows as its symbol, 万元, in English and Chinese."""
    needs_cjk_font()
    plan, ledger = history_plan()
    ax = charts.plot_history(plan, ledger, "inv", lang=lang)
    assert "万元" in ax.get_ylabel()
    assert "wan_yuan" not in ax.get_ylabel()
    legend = ax.get_legend()
    assert legend is not None
    texts = [text.get_text() for text in legend.get_texts()]
    assert texts[0].endswith("\u2265 100.00万元")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_unit_without_a_symbol_shows_no_name(lang: str) -> None:
    """A count, which has no symbol, labels the value axis without the name count."""
    needs_cjk_font()
    plan, ledger = history_plan("count")
    label = charts.plot_history(plan, ledger, "inv", lang=lang).get_ylabel()
    assert label == {"en": "Value", "zh": "数值"}[lang]


@pytest.mark.usefixtures("no_cjk_font")
def test_units_without_a_chinese_font_show_english_words() -> None:
    """Without a Chinese font, 万元 shows as 10k yuan, never as its internal name."""
    plan, ledger = history_plan()
    ax = charts.plot_history(plan, ledger, "inv", lang="en")
    assert ax.get_ylabel() == "Value (10k yuan)"
    legend = ax.get_legend()
    assert legend is not None
    assert legend.get_texts()[0].get_text() == "target \u2265 100.00 10k yuan"


def test_date_ticks_name_months_quarters_and_years() -> None:
    """Ticks are months, quarters or years as the span needs, named in each language."""
    year = ["2025-01-01", "2025-12-31"]
    assert [label for _, label in charts.date_ticks(year, "zh")] == [
        "2025年1月",
        *(f"{month}月" for month in range(2, 13)),
    ]
    assert [label for _, label in charts.date_ticks(year, "en")][:3] == ["Jan 2025", "Feb", "Mar"]
    two_years = charts.date_ticks(["2025-01-01", "2026-12-31"], "zh")
    assert [label for _, label in two_years] == [
        "2025年一季度",
        "二季度",
        "三季度",
        "四季度",
        "2026年一季度",
        "二季度",
        "三季度",
        "四季度",
    ]
    assert two_years[1][0] == dt.date(2025, 4, 1)
    assert [label for _, label in charts.date_ticks(["2020-06-01", "2024-06-01"], "en")] == [
        "2021",
        "2022",
        "2023",
        "2024",
    ]
    assert [label for _, label in charts.date_ticks(["2025-03-03", "2025-03-20"], "zh")] == [
        "2025年3月3日",
        "3月10日",
        "3月17日",
    ]
    assert charts.date_ticks([], "zh") == []
    with pytest.raises(PlanValidationError) as raised:
        charts.date_ticks(year, "fr")
    assert raised.value.problems == [("lang", "'fr' is not one of 'en', 'zh'")]


def test_chinese_history_charts_have_chinese_date_ticks() -> None:
    """A Chinese history chart labels its time axis 1月, 2月, ..., an English one Jan, Feb."""
    needs_cjk_font()
    plan, ledger = history_plan()
    zh = [
        label.get_text()
        for label in charts.plot_history(plan, ledger, "inv", lang="zh").get_xticklabels()
    ]
    assert zh
    assert all("月" in label or "季度" in label for label in zh)
    assert not any(label.isascii() for label in zh)
    plt.close("all")
    en = [
        label.get_text()
        for label in charts.plot_history(plan, ledger, "inv", lang="en").get_xticklabels()
    ]
    assert "Mar" in en


@pytest.mark.usefixtures("no_cjk_font")
def test_chinese_without_a_font_warns_naming_the_package() -> None:
    """Asking for Chinese with no font warns, naming Debian's fonts-noto-cjk."""
    plan, ledger = history_plan()
    with pytest.warns(charts.MissingFontWarning, match="fonts-noto-cjk") as caught:
        charts.plot_history(plan, ledger, "inv", lang="zh")
    assert len(caught) == 1


_ONCE = """
import warnings
import matplotlib
matplotlib.use("Agg")
from beijing_plan import _fonts, charts
from beijing_plan.assessment import assess
from beijing_plan.model import Measure, Plan, Task
_fonts.cjk_font = lambda: None
measures = [Measure("m", 1, "M", tasks=[Task("t", "T")])]
plan = Plan("p", "P", start="2025-01-01", end="2025-12-31", measures=measures)
assessment = assess(plan, as_of="2025-07-02")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    charts.plot_assessment(assessment, lang="en")
    charts.plot_assessment(assessment)
    for _ in range(3):
        charts.plot_assessment(assessment, lang="zh")
print(len(caught), [type(w.message).__name__ for w in caught])
print(caught[0].message)
"""


def test_the_missing_font_warning_is_given_once_a_process() -> None:
    """In a fresh process, three Chinese charts without a font give one warning, English none."""
    done = subprocess.run(
        [sys.executable, "-c", _ONCE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "1 ['MissingFontWarning']"
    assert "apt install fonts-noto-cjk" in lines[1]
