"""Views of responsible units and reporting: frames, notebook HTML and charts."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import polars as pl
import pytest
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from beijing_plan import (
    Assessment,
    Cadence,
    Measure,
    Plan,
    PlanValidationError,
    Policy,
    StatusChange,
    Task,
    assess,
    charts,
    display,
    frames,
)

GREEN, AMBER, RED = "#2f855a", "#d69e2e", "#c53030"


def _assessment() -> Assessment:
    """发改委 leads a (done) and b (20%); 科委 leads the policy (nothing); monthly reports."""
    plan = Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        reporting=Cadence("month"),
        measures=[
            Measure(
                "m",
                1,
                "M",
                tasks=[
                    Task("a", "A", lead=["发改委"], partners=["科委"]),
                    Task("b", "B", lead=["发改委"], reporting=Cadence("quarter", due_days=5)),
                ],
            )
        ],
        policies=[Policy("pol", "Pol", lead=["科委"])],
    )
    ledger = [
        StatusChange("a", "2025-01-20", "in_progress", percent=40),
        StatusChange("a", "2025-02-25", "done", recorded="2025-03-03"),
        StatusChange("b", "2025-03-10", "in_progress", percent=20),
    ]
    return assess(plan, ledger, as_of="2025-04-10")


def test_the_units_frame_has_one_row_per_unit_with_its_on_time_rate() -> None:
    """发改委: (1 + 0.2) / 2 = 0.6, reports a Jan on time, a Feb late, b Q1 on time: 2 of 3."""
    frame = _assessment().units_frame()
    assert list(frame.columns) == list(frames.UNIT_COLUMNS)
    assert frame["unit"].tolist() == ["发改委", "科委"]
    assert frame["leaves"].tolist() == [["a", "b"], ["pol"]]
    assert frame["completion"].tolist() == pytest.approx([0.6, 0.0])
    assert frame["reports_expected"].tolist() == [3, 3]
    assert frame["reports_on_time"].tolist() == [2, 0]
    assert frame["on_time_rate"].tolist() == pytest.approx([2 / 3, 0.0])
    assert (
        str(frame["reports_expected"].dtype) == "Int64"
    )  # whole numbers are nullable Int64 in every frame


def test_the_units_frame_in_polars_and_by_partner() -> None:
    """The partner view holds 科委 for task a only, in polars."""
    frame = _assessment().units_frame("partner", backend="polars")
    assert isinstance(frame, pl.DataFrame)
    assert frame["unit"].to_list() == ["科委"]
    assert frame["leaves"].to_list() == [["a"]]
    assert frame["reports_expected"].dtype == pl.Int64


def test_the_reporting_frame_lists_units_by_period() -> None:
    """One row per unit and period with counts and the rate."""
    frame = _assessment().reporting().to_pandas()
    assert list(frame.columns) == list(frames.REPORTING_COLUMNS)
    rows = frame[["id", "period", "expected", "on_time", "late", "missing"]].values.tolist()
    assert rows == [
        ["发改委", "2025-01", 1, 1, 0, 0],
        ["发改委", "2025-02", 1, 0, 1, 0],
        ["发改委", "2025-Q1", 1, 1, 0, 0],
        ["科委", "2025-01", 1, 0, 0, 1],
        ["科委", "2025-02", 1, 0, 0, 1],
        ["科委", "2025-03", 1, 0, 0, 1],
    ]
    assert frame["start"].tolist()[0] == pd.Timestamp("2025-01-01")
    polars_frame = _assessment().reporting(by="leaf").to_polars()
    assert polars_frame["end"].to_list()[0] == dt.date(2025, 1, 31)


def test_the_reporting_frame_refuses_another_object() -> None:
    """A wrong argument is a TypeError naming it."""
    with pytest.raises(TypeError, match="reporting must be a Reporting, not int"):
        frames.reporting_frame(42)  # type: ignore[call-overload]


def test_the_units_html_lists_each_unit_escaped() -> None:
    """The notebook view heads the section and shows each unit's completion; a bad role is ours."""
    html = _assessment().units_html()
    assert "By responsible unit" in html
    assert "按责任单位" in html
    assert html.index("发改委") < html.index("科委")
    assert "60.0%" in html
    assert "By responsible unit" in display.assessment_html(_assessment(), by=("measure", "unit"))
    with pytest.raises(PlanValidationError):
        _assessment().units_html("chief")  # type: ignore[arg-type]


def test_the_plot_by_unit_ranks_units_best_first() -> None:
    """Bars go 发改委 (0.6) then 科委 (0.0), as long as their completions."""
    ax = _assessment().plot(by="unit", lang="en")
    heights = [patch.get_width() for patch in ax.patches if isinstance(patch, Rectangle)]
    assert heights == pytest.approx([0.6, 0.0])
    assert [r.id for r in charts.ranked_units(_assessment(), "any")] == ["发改委", "科委"]
    assert ax.get_ylabel() == "Unit"
    plt.close("all")


def test_the_reporting_chart_colours_each_cell_by_its_worst_state() -> None:
    """发改委: Jan green, Feb amber, Q1 green; 科委: three red months."""
    ax = _assessment().reporting().plot(lang="en")
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    colours = [p.get_facecolor() for p in cells]
    expected = [GREEN, AMBER, GREEN, RED, RED, RED]  # in the order of the rows
    assert colours == [to_rgba(colour) for colour in expected]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["2025-01", "2025-02", "2025-03", "2025-Q1"]
    assert [t.get_text() for t in ax.texts] == ["1/1", "0/1", "1/1", "0/1", "0/1", "0/1"]
    assert cells[2].get_x() == pytest.approx(3 - 0.45)  # b's quarter, in the last column
    plt.close("all")
