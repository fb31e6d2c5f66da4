"""Tests of beijing_plan.charts: bars of completion, target histories, fonts and fallbacks."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text as Label

from beijing_plan import _fonts as fonts
from beijing_plan import charts
from beijing_plan.assessment import Assessment, Result, assess
from beijing_plan.exceptions import PlanValidationError
from beijing_plan.ledger import Ledger, Observation, StatusChange
from beijing_plan.model import Baseline, Measure, Plan, Policy, Target, Task, Text, Theme
from beijing_plan.rules import Rules
from beijing_plan.units import Quantity
from helpers import count

AS_OF = "2025-07-02"  # day 182 of the 364 from 2025-01-01 to 2025-12-31: expected 0.5
BLUE, GREEN, AMBER, RED, GREY = "#2b6cb0", "#2f855a", "#d69e2e", "#c53030", "#a0aec0"
PNG = b"\x89PNG\r\n\x1a\n"


def demo_plan() -> Plan:
    return Plan(
        "p",
        Text(zh="示范计划", en="Demo plan"),
        start="2025-01-01",
        end="2025-12-31",
        themes=[
            Theme("econ", Text(zh="经济", en="Economy")),
            Theme("social", Text(zh="社会", en="Social")),
            Theme("culture", Text(zh="文化")),
        ],
        measures=[
            Measure(
                "m1",
                1,
                Text(zh="发展经济", en="Grow the economy"),
                themes={"econ"},
                targets=[
                    Target(
                        "g",
                        Text(zh="企业数量"),
                        "at_least",
                        count(60),
                        baseline=Baseline(count(10), "2025-01-01"),
                    )
                ],
                tasks=[
                    Task("a", Text(zh="任务甲", en="Task A")),
                    Task("b", Text(en="Task B"), themes={"culture"}),
                ],
            ),
            Measure("m2", 2, Text(zh="改善民生"), themes={"social"}, tasks=[Task("c", "任务丙")]),
        ],
        policies=[Policy("p1", Text(zh="政策一", en="Policy one"), themes={"social"})],
    )


def demo_ledger() -> Ledger:
    return Ledger(
        [
            StatusChange("a", "2025-03-01", "done"),
            StatusChange("b", "2025-03-01", "in_progress", percent=30),
            Observation("g", "2025-03-01", count(20)),
            Observation("g", "2025-06-01", count(35)),
        ]
    )


def demo_assessment(rules: Rules | None = None) -> Assessment:
    return assess(demo_plan(), demo_ledger(), as_of=AS_OF, rules=rules)


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    """Every test starts and ends with no open figure."""
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts see no installed font with Chinese glyphs, as on a bare machine, not yet told so."""
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    monkeypatch.setattr(fonts, "_told", [])


def bars(ax: Axes) -> BarContainer:
    found = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(found) == 1
    return found[0]


def line(ax: Axes, gid: str) -> Line2D:
    found = [artist for artist in ax.get_lines() if artist.get_gid() == gid]
    assert len(found) == 1, f"no single line {gid!r}"
    return found[0]


def day(text: str) -> float:
    value = dt.date.fromisoformat(text)
    convert: Any = mdates.date2num  # matplotlib leaves it without annotations
    return float(convert(dt.datetime(value.year, value.month, value.day)))


def xs(artist: Line2D) -> list[float]:
    return [float(value) for value in np.asarray(artist.get_xdata(), dtype=float)]


def ys(artist: Line2D) -> list[float]:
    return [float(value) for value in np.asarray(artist.get_ydata(), dtype=float)]


def saved(ax: Axes, path: Path) -> bytes:
    figure = ax.get_figure()
    assert isinstance(figure, Figure)
    figure.savefig(path, format="png", dpi=60)
    return path.read_bytes()


# -- bars of completion ----------------------------------------------------------------


@pytest.mark.usefixtures("no_cjk_font")
def test_one_bar_per_theme_as_long_as_its_completion() -> None:
    """Each theme gets one bar whose length is its completion."""
    assessment = demo_assessment()
    ax = charts.plot_assessment(assessment, by="theme")
    patches = bars(ax).patches
    # econ: g ((35 - 10) / (60 - 10) = 0.5), a 1, b 0.3; social: c 0, p1 0; culture: b 0.3.
    assert len(patches) == 3
    widths = [patch.get_width() for patch in patches]
    assert widths == pytest.approx([(0.5 + 1 + 0.3) / 3, 0.0, 0.3])
    assert widths == pytest.approx([result.completion for result in assessment.by_theme().values()])


@pytest.mark.usefixtures("no_cjk_font")
def test_bar_colours_follow_the_statuses() -> None:
    """Bars take the RAG colour of their status: on track green, off track red, at risk amber."""
    ax = charts.plot_assessment(demo_assessment(), by="leaf")
    colours = [patch.get_facecolor() for patch in bars(ax).patches]
    # Leaves, each expecting 0.5 by now: g 0.5 on track, a done, b 0.3 (spi 0.6) at risk,
    # c and p1 0 off track.
    assert colours == [to_rgba(c) for c in (GREEN, BLUE, AMBER, RED, RED)]


@pytest.mark.usefixtures("no_cjk_font")
def test_expected_marks_stand_at_the_expected_completion() -> None:
    """A mark on each bar's row stands at the completion expected by the date."""
    ax = charts.plot_assessment(demo_assessment(), by="measure")
    marks = line(ax, "expected")
    assert xs(marks) == pytest.approx([0.5, 0.5])
    assert ys(marks) == [0, 1]


@pytest.mark.usefixtures("no_cjk_font")
def test_axis_labels_and_english_fallback_titles() -> None:
    """Without a Chinese font, labels are English and a Chinese-only title becomes its id."""
    with pytest.warns(charts.MissingFontWarning, match="fonts-noto-cjk"):
        ax = charts.plot_assessment(demo_assessment(), by="leaf", lang="zh")
    assert ax.get_xlabel() == "Completion (bars) and expected by now (marks)"
    assert ax.get_ylabel() == "Task, policy or target"
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert labels == ["g", "Task A", "Task B", "c", "Policy one"]
    assert ax.get_title(loc="left") == "Demo plan\nas of 2025-07-02"
    legend = ax.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == [
        "done",
        "on track",
        "at risk",
        "off track",
        "expected by now",
    ]


@pytest.mark.usefixtures("no_cjk_font")
def test_vertical_bars_have_heights_equal_to_completions() -> None:
    """With horizontal=False, bar heights are completions and marks sit at (row, expected)."""
    assessment = demo_assessment()
    ax = charts.plot_assessment(assessment, by="measure", horizontal=False)
    heights = [patch.get_height() for patch in bars(ax).patches]
    assert heights == pytest.approx([(0.5 + 1 + 0.3) / 3, 0.0])  # m1: g, a, b; m2: c
    marks = line(ax, "expected")
    assert xs(marks) == [0, 1]
    assert ys(marks) == pytest.approx([0.5, 0.5])
    assert [label.get_text() for label in ax.get_xticklabels()] == ["Grow the economy", "m2"]
    assert ax.get_xlabel() == "Measure"


@pytest.mark.usefixtures("no_cjk_font")
def test_a_result_with_no_data_gets_an_empty_labelled_bar() -> None:
    """A result with no completion keeps its bar, empty and grey, labelled "no data"."""
    assessment = demo_assessment(Rules(missing="exclude"))
    ax = charts.plot_assessment(assessment, by="theme")
    patches = bars(ax).patches
    assert len(patches) == 3
    assert patches[1].get_width() == 0.0
    assert patches[1].get_facecolor() == to_rgba(GREY)
    assert "no data" in [text.get_text() for text in ax.texts]


@pytest.mark.usefixtures("no_cjk_font")
def test_chinese_only_plan_saves_without_missing_glyph_warnings(tmp_path: Path) -> None:
    """Without a Chinese font, a plan titled only in Chinese still renders, warning-free."""
    plan = Plan(
        "cn",
        "中文计划",
        start="2025-01-01",
        end="2025-12-31",
        themes=[Theme("t1", "主题一")],
        measures=[Measure("m", 1, "举措", themes={"t1"}, tasks=[Task("x", "任务")])],
    )
    ax = charts.plot_assessment(assess(plan, Ledger(), as_of=AS_OF), by="theme")
    data = saved(ax, tmp_path / "plain.png")  # warnings are errors here
    assert data.startswith(PNG)
    assert ax.get_title(loc="left").startswith("cn\n")
    assert [label.get_text() for label in ax.get_yticklabels()] == ["t1"]


@pytest.mark.usefixtures("no_cjk_font")
def test_saved_png_is_a_real_image(tmp_path: Path) -> None:
    """The chart saves as a PNG of the figure's size."""
    ax = charts.plot_assessment(demo_assessment(), by="leaf")
    data = saved(ax, tmp_path / "leaves.png")
    assert data.startswith(PNG)
    assert len(data) > 5_000
    image = plt.imread(tmp_path / "leaves.png")
    figure = ax.get_figure()
    assert isinstance(figure, Figure)
    width, height = figure.get_size_inches()
    assert image.shape[:2] == (round(height * 60), round(width * 60))


def test_draws_into_given_axes() -> None:
    """Given axes, the chart draws there and returns them."""
    figure = Figure()
    axes = figure.add_subplot()
    assert charts.plot_assessment(demo_assessment(), by="measure", ax=axes, lang="en") is axes
    assert len(bars(axes).patches) == 2
    assert plt.get_fignums() == []  # pyplot made no figure


def test_bad_arguments_are_refused() -> None:
    """An unknown grouping, language or font is refused with its path."""
    assessment = demo_assessment()
    with pytest.raises(PlanValidationError, match=r"by: 'task' is not one of"):
        charts.plot_assessment(assessment, by="task")  # type: ignore[arg-type]
    with pytest.raises(PlanValidationError, match=r"lang: 'fr' is not one of 'zh', 'en'"):
        charts.plot_assessment(assessment, lang="fr")
    with pytest.raises(PlanValidationError, match=r"font: 'No Such Font' is not a font"):
        charts.plot_assessment(assessment, font="No Such Font")


# -- Chinese fonts ---------------------------------------------------------------------


def test_font_search_prefers_the_listed_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Among fonts that draw Chinese, the one listed first in CJK_FONTS wins."""
    found = {"WenQuanYi Zen Hei": "/w.ttf", "Noto Sans CJK SC": "/n.ttc", "Other": "/o.ttf"}
    monkeypatch.setattr(fonts, "_installed_fonts", lambda: found)
    monkeypatch.setattr(fonts, "_covers", lambda path: path != "/o.ttf")
    assert fonts.cjk_font.__wrapped__() == "Noto Sans CJK SC"


def test_font_search_skips_placeholder_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A font of placeholder boxes is not taken for a Chinese font, however much it covers."""
    found = {"Last Resort High-Efficiency": "/l.ttf", "DejaVu Sans": "/d.ttf"}
    monkeypatch.setattr(fonts, "_installed_fonts", lambda: found)
    monkeypatch.setattr(fonts, "_covers", lambda path: path == "/l.ttf")
    monkeypatch.setattr(fonts, "_add_system_fonts", lambda known: False)
    assert fonts.cjk_font.__wrapped__() is None


def test_the_found_font_draws_chinese() -> None:
    """cjk_font names an installed font with Chinese glyphs, or None when there is none."""
    name = charts.cjk_font()
    if name is None:
        pytest.skip("no font with Chinese glyphs is installed")
    path = font_manager.findfont(
        font_manager.FontProperties(family=name), fallback_to_default=False
    )
    assert fonts._covers(path)


needs_cjk = pytest.mark.skipif(charts.cjk_font() is None, reason="no font with Chinese glyphs")


@needs_cjk
def test_with_a_chinese_font_titles_are_chinese(tmp_path: Path) -> None:
    """With a Chinese font, labels and titles are Chinese and every text uses that font."""
    font = charts.cjk_font()
    ax = charts.plot_assessment(demo_assessment(), by="theme")
    assert [label.get_text() for label in ax.get_yticklabels()] == ["经济", "社会", "文化"]
    assert ax.get_ylabel() == "主题"
    assert ax.get_title(loc="left") == "示范计划\n截至2025-07-02"
    title = [text for text in ax.findobj(Label) if text.get_text() == "示范计划\n截至2025-07-02"]
    assert len(title) == 1
    for text in (*title, ax.yaxis.label, *ax.get_yticklabels()):
        assert text.get_fontfamily() == [font]
    assert saved(ax, tmp_path / "zh.png").startswith(PNG)


@needs_cjk
def test_english_can_be_chosen_with_a_chinese_font() -> None:
    """lang="en" gives English titles, and Chinese only where a title has no English."""
    ax = charts.plot_assessment(demo_assessment(), by="theme", lang="en")
    assert [label.get_text() for label in ax.get_yticklabels()] == ["Economy", "Social", "文化"]


# -- a target's history ----------------------------------------------------------------


@pytest.mark.usefixtures("no_cjk_font")
def test_history_plots_observations_target_plan_and_forecast() -> None:
    """The history shows observed levels, the target, the planned path and the forecast."""
    ax = charts.plot_history(demo_plan(), demo_ledger(), "g", as_of="2025-07-01")
    observed = line(ax, "observed")
    assert xs(observed) == [day("2025-03-01"), day("2025-06-01")]
    assert ys(observed) == [20.0, 35.0]
    target = line(ax, "target")
    assert ys(target) == [60.0, 60.0]
    planned = line(ax, "planned")  # from the baseline 10 at the start to 60 at the end
    assert xs(planned) == [day("2025-01-01"), day("2025-12-31")]
    assert ys(planned) == [10.0, 60.0]
    baseline = line(ax, "baseline")
    assert (xs(baseline), ys(baseline)) == ([day("2025-01-01")], [10.0])
    assert xs(line(ax, "as_of")) == [day("2025-07-01")] * 2
    assert xs(line(ax, "deadline")) == [day("2025-12-31")] * 2
    assert ax.get_ylabel() == "Value"  # a count has no symbol, and its name is not shown
    assert ax.get_title(loc="left") == "g\ng"


@pytest.mark.usefixtures("no_cjk_font")
def test_history_forecast_is_the_least_squares_line_to_the_deadline() -> None:
    """The forecast runs from the first fitted point to the deadline's projected value."""
    ax = charts.plot_history(demo_plan(), demo_ledger(), "g")
    forecast = line(ax, "forecast")
    # Points (day 0, 10), (day 59, 20), (day 151, 35): least squares by hand.
    days, values = [0.0, 59.0, 151.0], [10.0, 20.0, 35.0]
    mean_x, mean_y = sum(days) / 3, sum(values) / 3
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(days, values, strict=True)) / sum(
        (x - mean_x) ** 2 for x in days
    )
    projected = mean_y + slope * (364 - mean_x)
    assert xs(forecast) == [day("2025-01-01"), day("2025-12-31")]
    start, end = ys(forecast)
    assert end == pytest.approx(projected, rel=1e-9)
    assert start == pytest.approx(projected - slope * 364, rel=1e-9)
    meets = projected >= 60
    assert forecast.get_color() == (GREEN if meets else RED)
    legend = ax.get_legend()
    assert legend is not None
    wording = "forecast: meets the target" if meets else "forecast: misses the target"
    assert wording in [text.get_text() for text in legend.get_texts()]


@pytest.mark.usefixtures("no_cjk_font")
def test_history_of_a_sum_target_shows_the_running_total() -> None:
    """For a sum target the observed line is the running total of the increments."""
    plan = Plan(
        "s",
        "Sums",
        start="2025-01-01",
        end="2025-12-31",
        measures=[
            Measure(
                "m",
                1,
                "M",
                targets=[
                    Target("t", "Funds", "at_least", Quantity(600, "亿元"), aggregation="sum")
                ],
            )
        ],
    )
    ledger = Ledger(
        [
            Observation("t", "2025-02-01", Quantity(100, "亿元")),
            Observation("t", "2025-04-01", Quantity(150, "亿元")),
            Observation("t", "2025-06-01", Quantity(5_000_000_000, "yuan")),
        ]
    )
    ax = charts.plot_history(plan, ledger, "t")
    assert ys(line(ax, "observed")) == [100.0, 250.0, 300.0]
    assert ys(line(ax, "planned")) == [0.0, 600.0]
    assert ax.get_ylabel() == "Value (100M yuan)"  # the symbol 亿元 has no glyphs here
    legend = ax.get_legend()
    assert legend is not None
    assert "cumulative total" in [text.get_text() for text in legend.get_texts()]


@pytest.mark.usefixtures("no_cjk_font")
def test_history_of_a_between_target_shades_the_band(tmp_path: Path) -> None:
    """A between target is a shaded band, with no planned path and no forecast from one point."""
    plan = Plan(
        "b",
        "Band",
        start="2025-01-01",
        end="2025-12-31",
        measures=[
            Measure(
                "m",
                1,
                "M",
                targets=[Target("t", "Centres", "between", count(1), upper=count(2))],
            )
        ],
    )
    ledger = Ledger([Observation("t", "2025-05-01", count(1))])
    ax = charts.plot_history(plan, ledger, "t")
    bands = [patch for patch in ax.patches if patch.get_gid() == "target"]
    assert len(bands) == 1
    assert bands[0].get_window_extent().height > 0
    assert {artist.get_gid() for artist in ax.get_lines()} == {"observed", "deadline"}
    assert saved(ax, tmp_path / "band.png").startswith(PNG)


def test_history_needs_a_target_of_the_plan() -> None:
    """An unknown id, or an id of something else than a target, is refused."""
    with pytest.raises(PlanValidationError, match=r"target_id: 'zz' is not an id of the plan"):
        charts.plot_history(demo_plan(), demo_ledger(), "zz")
    with pytest.raises(PlanValidationError, match=r"target_id: 'a' is a Task, not a Target"):
        charts.plot_history(demo_plan(), demo_ledger(), "a")


# -- packaging -------------------------------------------------------------------------


def test_missing_matplotlib_names_the_plot_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib, a chart raises an ImportError naming the plot extra."""
    for name in [name for name in sys.modules if name.split(".")[0] == "matplotlib"]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r'pip install "beijing-plan\[plot\]"'):
        charts.plot_assessment(demo_assessment(), lang="en", font=None)


@pytest.mark.skipif(not hasattr(Assessment, "plot"), reason="methods not wired yet")
def test_assessment_plot_method_draws_the_same_chart() -> None:
    """assessment.plot(by=...) draws what plot_assessment draws."""
    assessment: Any = demo_assessment()
    ax = assessment.plot(by="measure", lang="en")
    widths = [patch.get_width() for patch in bars(ax).patches]
    assert widths == [
        patch.get_width()
        for patch in bars(charts.plot_assessment(assessment, by="measure", lang="en")).patches
    ]
    assert isinstance(assessment["m1"], Result)
