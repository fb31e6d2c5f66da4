"""Tests of beijing_plan.frames: assessments, ledgers and plans as pandas and polars frames."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from typing import Any

import pandas as pd
import pendulum
import polars as pl
import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from beijing_plan import frames
from beijing_plan import strategies as bps
from beijing_plan.assessment import Assessment, assess
from beijing_plan.exceptions import PlanValidationError
from beijing_plan.ledger import Ledger, Observation, StatusChange
from beijing_plan.model import (
    Baseline,
    Measure,
    Milestone,
    Plan,
    Policy,
    Source,
    Target,
    Task,
    Text,
    Theme,
)
from beijing_plan.rules import Progress
from beijing_plan.units import Quantity

AS_OF = "2025-07-02"  # day 182 of the 364 from 2025-01-01 to 2025-12-31: expected 0.5


def demo_plan() -> Plan:
    return Plan(
        "p",
        Text(zh="示范计划", en="Demo plan"),
        start="2025-01-01",
        end="2025-12-31",
        themes=[
            Theme("econ", Text(zh="经济", en="Economy")),
            Theme("energy", Text(zh="能源", en="Energy"), parent="econ"),
            Theme("social", Text(zh="社会", en="Social")),
        ],
        measures=[
            Measure(
                "m1",
                1,
                Text(zh="发展经济", en="Grow the economy"),
                themes={"econ"},
                targets=[Target("g", Text(zh="企业数量"), "at_least", Quantity(60, "count"))],
                tasks=[
                    Task("a", Text(zh="任务甲", en="Task A"), themes={"energy"}, lead=["发改委"]),
                    Task("b", Text(en="Task B"), due="2025-09-30"),
                ],
            ),
            Measure("m2", 2, Text(zh="改善民生"), themes={"social"}, tasks=[Task("c", "任务丙")]),
        ],
        policies=[
            Policy("p1", Text(zh="政策一", en="Policy one"), themes={"social"}, measures=["m1"]),
        ],
    )


def demo_ledger() -> Ledger:
    source = Source("Report", url="https://example.org/report")
    return Ledger(
        [
            StatusChange("a", "2025-03-01", "done", source=source),
            StatusChange("b", "2025-03-01", "in_progress", percent=60, note="on schedule"),
            Observation("g", "2025-06-01", Quantity(30, "count")),
        ]
    )


def demo_assessment() -> Assessment:
    return assess(demo_plan(), demo_ledger(), as_of=AS_OF)


def row(frame: pd.DataFrame, item_id: str) -> dict[str, Any]:
    found = frame[frame["id"] == item_id]
    assert len(found) == 1
    return {str(key): value for key, value in found.iloc[0].to_dict().items()}


def missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# -- assessments -----------------------------------------------------------------------


def test_assessment_frame_has_one_row_per_result_in_results_order() -> None:
    """An assessment frame lists every result once, in the order of results()."""
    assessment = demo_assessment()
    frame = frames.assessment_frame(assessment)
    assert tuple(frame.columns) == frames.ASSESSMENT_COLUMNS
    assert frame["id"].tolist() == [result.id for result in assessment.results()]
    assert frame["kind"].tolist()[:3] == ["plan", "measure", "measure"]


def test_assessment_frame_holds_hand_computed_figures() -> None:
    """Completions, expected values and statuses match the figures computed by hand."""
    frame = frames.assessment_frame(demo_assessment())
    plan = row(frame, "p")
    # Leaves: g 0.5 (30 of 60), a 1 (done), b 0.6 (60%), c 0 and p1 0 (nothing recorded).
    assert plan["completion"] == pytest.approx((0.5 + 1 + 0.6 + 0 + 0) / 5)
    # Expected: 0.5 for every leaf due at the end of the year, 182/272 for b, due 09-30.
    expected = (4 * 0.5 + 182 / 272) / 5
    assert plan["expected"] == pytest.approx(expected)
    assert plan["spi"] == pytest.approx(0.42 / expected)
    assert plan["status"] == "at_risk"
    assert plan["coverage"] == pytest.approx(3 / 5)
    assert plan["weight"] == 5.0
    m1 = row(frame, "m1")  # g, a, b and the policy p1 that serves m1
    assert m1["completion"] == pytest.approx((0.5 + 1 + 0.6 + 0) / 4)
    assert m1["expected"] == pytest.approx((3 * 0.5 + 182 / 272) / 4)
    assert m1["status"] == "on_track"  # spi 0.525 / 0.5423 = 0.968, at least 0.95
    econ = row(frame, "econ")  # g, a and b through m1's theme; a through its sub-theme too
    assert econ["completion"] == pytest.approx((0.5 + 1 + 0.6) / 3)
    assert row(frame, "energy")["status"] == "done"
    assert row(frame, "social")["status"] == "off_track"
    assert row(frame, "b")["due"] == pd.Timestamp("2025-09-30")


def test_assessment_frame_keeps_each_language_in_its_own_column() -> None:
    """A title missing in one language is missing there, not copied from the other."""
    frame = frames.assessment_frame(demo_assessment())
    a, b, g = row(frame, "a"), row(frame, "b"), row(frame, "g")
    assert (a["title_zh"], a["title_en"]) == ("任务甲", "Task A")
    assert missing(b["title_zh"])
    assert b["title_en"] == "Task B"
    assert g["title_zh"] == "企业数量"
    assert missing(g["title_en"])


def test_assessment_frame_themes_include_measure_themes_and_ancestors() -> None:
    """A row's themes are its own, its measure's and their ancestors, in plan order."""
    frame = frames.assessment_frame(demo_assessment())
    assert row(frame, "a")["themes"] == ["econ", "energy"]
    assert row(frame, "b")["themes"] == ["econ"]
    assert row(frame, "g")["themes"] == ["econ"]
    assert row(frame, "p1")["themes"] == ["social"]
    assert row(frame, "energy")["themes"] == ["econ", "energy"]
    assert row(frame, "p")["themes"] == []


def test_assessment_frame_pandas_types() -> None:
    """pandas columns are float64, datetime64[s], object lists and an ordered categorical."""
    frame = frames.assessment_frame(demo_assessment())
    assert frame["completion"].dtype == "float64"
    assert frame["due"].dtype == "datetime64[s]"
    assert frame["themes"].dtype == object
    status = frame["status"].dtype
    assert isinstance(status, pd.CategoricalDtype)
    assert list(status.categories) == [progress.value for progress in Progress]
    assert status.ordered


def test_assessment_frame_polars_matches_pandas() -> None:
    """The polars frame holds the same rows as the pandas one, with polars types."""
    assessment = demo_assessment()
    left = frames.assessment_frame(assessment, backend="polars")
    right = frames.assessment_frame(assessment)
    assert left.columns == list(frames.ASSESSMENT_COLUMNS)
    assert left.schema["status"] == pl.Enum([progress.value for progress in Progress])
    assert left.schema["themes"] == pl.List(pl.String)
    assert left.schema["due"] == pl.Date
    assert left["id"].to_list() == right["id"].tolist()
    assert left["themes"].to_list() == right["themes"].tolist()
    assert left["status"].to_list() == right["status"].astype(str).tolist()
    assert left["due"].to_list() == [value.date() for value in right["due"]]
    for name in ("completion", "expected", "spi", "coverage", "weight"):
        for mine, theirs in zip(left[name].to_list(), right[name].tolist(), strict=True):
            assert (mine is None and math.isnan(theirs)) or mine == theirs


def test_unknown_figures_are_nan_in_pandas_and_null_in_polars() -> None:
    """A figure that is unknown (no spi before the start) is NaN in pandas, null in polars."""
    assessment = assess(demo_plan(), Ledger(), as_of="2024-12-01")
    assert assessment["g"].spi is None
    assert missing(row(frames.assessment_frame(assessment), "g")["spi"])
    polars_frame = frames.assessment_frame(assessment, backend="polars")
    assert polars_frame.filter(pl.col("id") == "g")["spi"].to_list() == [None]


def test_sorting_by_status_follows_the_status_order() -> None:
    """Sorting a frame by status puts done before on track, at risk and off track."""
    frame = frames.assessment_frame(demo_assessment()).sort_values("status", kind="stable")
    order = [Progress(value) for value in frame["status"].astype(str)]
    ranks = [list(Progress).index(progress) for progress in order]
    assert ranks == sorted(ranks)


def nested_plan() -> Plan:
    """A plan with a target and a milestone inside a task, and a sub-theme."""
    investment = Target(
        "inv",
        Text(zh="投资", en="Investment"),
        "at_least",
        Quantity(100, "yi_yuan"),
        baseline=Baseline(Quantity(500000, "wan_yuan"), "2024-12-31"),
        deadline="2025-06-30",
    )
    return Plan(
        "p",
        "Plan",
        start="2025-01-01",
        end="2025-12-31",
        themes=[Theme("top", "Top"), Theme("sub", "Sub", parent="top")],
        measures=[
            Measure(
                "m",
                1,
                "Measure",
                themes={"sub"},
                targets=[
                    Target(
                        "g", "Firms", "between", Quantity(60, "count"), upper=Quantity(80, "count")
                    )
                ],
                tasks=[
                    Task(
                        "t", "Task", targets=[investment], milestones=[Milestone("ms", "Milestone")]
                    )
                ],
            )
        ],
    )


def nested_assessment() -> Assessment:
    ledger = Ledger(
        [
            Observation("inv", "2025-02-01", Quantity(60, "yi_yuan")),
            Observation("inv", "2025-04-01", Quantity(700000, "wan_yuan")),
        ]
    )
    return assess(nested_plan(), ledger, as_of="2025-05-01")


def test_assessment_frame_holds_every_figure_of_a_target() -> None:
    """A target's row holds its current value, ratio, goal, unit, parent, due and forecast."""
    frame = frames.assessment_frame(nested_assessment())
    inv = row(frame, "inv")
    assert inv["current"] == 70.0  # 700000 万元, in the target's unit
    assert inv["unit"] == "yi_yuan"
    assert inv["goal"] == 100.0
    assert inv["comparator"] == "at_least"
    assert missing(inv["upper"])
    assert inv["ratio"] == pytest.approx((70 - 50) / (100 - 50))
    assert (inv["parent"], inv["parent_kind"]) == ("t", "task")
    assert inv["due"] == pd.Timestamp("2025-06-30")
    # Least squares through days 0, 32, 91 (from 2024-12-31) at 50, 60, 70, to day 181.
    slope = 910 / 4262
    assert inv["forecast_slope"] == pytest.approx(slope)
    assert inv["forecast"] == pytest.approx(60 + slope * (181 - 41))
    assert inv["forecast_on"] == pd.Timestamp("2025-06-30")
    assert bool(inv["forecast_meets"]) is False
    assert inv["forecast_points"] == 3
    assert missing(inv["rule"])
    g = row(frame, "g")
    assert (g["comparator"], g["goal"], g["upper"], g["unit"]) == ("between", 60.0, 80.0, "count")
    assert (g["parent"], g["parent_kind"]) == ("m", "measure")
    assert g["rule"] == "missing"
    assert missing(g["current"])
    assert missing(g["forecast_points"])
    ms = row(frame, "ms")
    assert (ms["parent"], ms["parent_kind"]) == ("t", "task")
    assert missing(ms["goal"])
    assert (row(frame, "sub")["parent"], row(frame, "sub")["parent_kind"]) == ("top", "theme")
    assert missing(row(frame, "top")["parent"])
    assert missing(row(frame, "p")["parent"])


def test_assessment_frame_new_columns_have_stable_nullable_types() -> None:
    """Whole numbers and yes/no figures are nullable Int64 and boolean; the same in polars."""
    assessment = nested_assessment()
    frame = frames.assessment_frame(assessment)
    assert frame["forecast_points"].dtype == "Int64"
    assert frame["forecast_meets"].dtype == "boolean"
    assert frame["current"].dtype == "float64"
    assert frame["forecast_on"].dtype == "datetime64[s]"
    polars_frame = frames.assessment_frame(assessment, backend="polars")
    assert polars_frame.schema["forecast_points"] == pl.Int64
    assert polars_frame.schema["forecast_meets"] == pl.Boolean
    assert polars_frame.schema["parent"] == pl.String
    assert polars_frame.filter(pl.col("id") == "inv")["forecast_points"].to_list() == [3]


def test_targets_frame_lists_every_target_with_its_parent() -> None:
    """The targets frame has a row for each target, a task's too, with what a file says of it."""
    plan = nested_plan()
    frame = frames.targets_frame(plan)
    assert tuple(frame.columns) == frames.TARGETS_COLUMNS
    assert frame["id"].tolist() == ["g", "inv"]
    inv = row(frame, "inv")
    assert (inv["parent"], inv["parent_kind"], inv["measure"]) == ("t", "task", "m")
    assert (inv["comparator"], inv["goal"], inv["unit"]) == ("at_least", 100.0, "yi_yuan")
    assert inv["baseline"] == 50.0  # 500000 万元 in the target's unit
    assert inv["baseline_on"] == pd.Timestamp("2024-12-31")
    assert inv["deadline"] == pd.Timestamp("2025-06-30")
    assert inv["aggregation"] == "last"
    assert inv["themes"] == ["top", "sub"]
    g = row(frame, "g")
    assert (g["parent"], g["parent_kind"], g["upper"]) == ("m", "measure", 80.0)
    assert missing(g["baseline"])
    assert pd.isna(g["deadline"])
    assert g["due"] == pd.Timestamp("2025-12-31")
    assert frame["deadline"].dtype == "datetime64[s]"


def test_plan_methods_give_the_targets_frame_by_kind() -> None:
    """Plan.to_pandas and to_polars give the targets frame with kind="targets"."""
    plan = nested_plan()
    assert plan.to_pandas(kind="targets").equals(frames.targets_frame(plan))
    assert plan.to_polars(kind="targets").equals(frames.targets_frame(plan, backend="polars"))
    assert plan.to_pandas().equals(frames.plan_frame(plan))
    with pytest.raises(PlanValidationError) as raised:
        plan.to_pandas(kind="tasks")  # type: ignore[arg-type]
    assert raised.value.problems == [("kind", "'tasks' is not one of 'leaves', 'targets'")]


# -- ledgers ---------------------------------------------------------------------------


def test_ledger_frame_has_one_row_per_record_in_ledger_order() -> None:
    """A ledger frame lists each record with its kind, item, day, value or status."""
    frame = frames.ledger_frame(demo_ledger())
    assert tuple(frame.columns) == frames.LEDGER_COLUMNS
    assert frame["kind"].tolist() == ["status", "status", "observation"]
    assert frame["item"].tolist() == ["a", "b", "g"]
    assert frame["on"].tolist() == [
        pd.Timestamp(d) for d in ("2025-03-01", "2025-03-01", "2025-06-01")
    ]
    assert frame["status"].astype(object).tolist()[:2] == ["done", "in_progress"]
    assert missing(frame["status"].tolist()[2])
    assert frame["percent"].tolist()[1] == 60.0
    assert frame["value"].tolist()[2] == 30.0
    assert frame["unit"].tolist()[2] == "count"
    assert frame["source"].tolist()[0] == "Report"
    assert frame["url"].tolist()[0] == "https://example.org/report"
    assert frame["note"].tolist()[1] == "on schedule"


def test_ledger_frame_converts_decimal_values_to_float() -> None:
    """An observed Decimal such as 60 亿元 becomes the float 60.0 with its unit."""
    ledger = Ledger([Observation("t", "2025-05-01", Quantity("60.5", "亿元"))])
    frame = frames.ledger_frame(ledger, backend="polars")
    assert frame.row(0, named=True)["value"] == 60.5
    assert frame.row(0, named=True)["unit"] == "yi_yuan"
    assert frame.row(0, named=True)["on"] == dt.date(2025, 5, 1)
    assert frame.schema["status"] == pl.Enum(["not_started", "in_progress", "done", "cancelled"])


def test_empty_ledger_gives_an_empty_frame_with_every_column() -> None:
    """An empty ledger is a frame with no rows and all the columns, in both backends."""
    assert tuple(frames.ledger_frame(Ledger()).columns) == frames.LEDGER_COLUMNS
    empty = frames.ledger_frame(Ledger(), backend="polars")
    assert empty.height == 0
    assert empty.columns == list(frames.LEDGER_COLUMNS)


# -- plans -----------------------------------------------------------------------------


def test_plan_frame_lists_the_leaves_in_plan_order() -> None:
    """A plan frame lists each measure's own targets, then its tasks, then the policies."""
    frame = frames.plan_frame(demo_plan())
    assert tuple(frame.columns) == frames.PLAN_COLUMNS
    assert frame["id"].tolist() == ["g", "a", "b", "c", "p1"]
    assert frame["kind"].tolist() == ["target", "task", "task", "task", "policy"]
    assert frame["measures"].tolist() == [["m1"], ["m1"], ["m1"], ["m2"], ["m1"]]


def test_plan_frame_resolves_schedules_and_describes_targets() -> None:
    """Dates default to the plan's; targets carry comparator, value and unit; tasks their lead."""
    frame = frames.plan_frame(demo_plan(), backend="polars")
    g, a, b = (frame.row(i, named=True) for i in range(3))
    assert (g["comparator"], g["value"], g["unit"], g["upper"]) == ("at_least", 60.0, "count", None)
    assert (a["start"], a["due"]) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert b["due"] == dt.date(2025, 9, 30)
    assert a["lead"] == ["发改委"]
    assert a["comparator"] is None
    assert a["themes"] == ["econ", "energy"]


# -- dispatch and errors ---------------------------------------------------------------


def test_to_pandas_and_to_polars_take_any_of_the_three_objects() -> None:
    """to_pandas and to_polars build the frame that fits the object given."""
    assessment = demo_assessment()
    assert len(frames.to_pandas(assessment)) == len(assessment)
    assert frames.to_polars(demo_ledger()).height == 3
    assert frames.to_polars(demo_plan())["id"].to_list() == ["g", "a", "b", "c", "p1"]
    assert isinstance(frames.to_pandas(demo_plan()), pd.DataFrame)


def test_other_objects_are_misuse() -> None:
    """Something that is not an assessment, ledger or plan raises TypeError naming the argument."""
    with pytest.raises(
        TypeError, match=r"^value must be an Assessment, a Ledger or a Plan, not int$"
    ):
        frames.to_pandas(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^ledger must be a Ledger, not str$"):
        frames.ledger_frame("x")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"^plan must be a Plan, not Ledger$"):
        frames.plan_frame(demo_ledger())  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"^assessment must be an Assessment, not Plan$"):
        frames.assessment_frame(demo_plan())  # type: ignore[call-overload]


def test_unknown_backend_is_refused() -> None:
    """A backend other than pandas or polars is refused, naming both."""
    with pytest.raises(
        PlanValidationError, match=r"backend: 'arrow' is not one of 'pandas', 'polars'"
    ):
        frames.plan_frame(demo_plan(), backend="arrow")  # type: ignore[call-overload]


@pytest.mark.parametrize(("backend", "extra"), [("pandas", "pandas"), ("polars", "polars")])
def test_missing_backend_names_its_extra(
    monkeypatch: pytest.MonkeyPatch, backend: str, extra: str
) -> None:
    """Without the backend installed, the error says which extra installs it."""
    monkeypatch.setitem(sys.modules, backend, None)  # makes "import <backend>" fail
    with pytest.raises(ImportError, match=rf'pip install "beijing-plan\[{extra}\]"') as caught:
        frames.plan_frame(demo_plan(), backend=backend)  # type: ignore[call-overload]
    assert caught.value.name == backend


def test_importing_the_package_imports_no_frame_library() -> None:
    """Importing the package, its frames, display and charts imports no optional library."""
    code = (
        "import sys, beijing_plan, beijing_plan.frames, beijing_plan.display, "
        "beijing_plan.charts; "
        "print(sorted(m for m in ('pandas', 'polars', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def assessed(plan: Plan, ledger: Ledger, as_of: pendulum.Date) -> Assessment:
    """The assessment, or a rejected example when the engine refuses the drawn values.

    The engine raises for a value that leaves the supported range once converted to
    its target's unit (a baseline of 1E-53 yuan is 1E-61 亿元); what is under test
    here is the presentation of assessments, not that limit.
    """
    try:
        return assess(plan, ledger, as_of=as_of)
    except PlanValidationError:
        reject()


# -- properties ------------------------------------------------------------------------


@given(bps.plans_and_ledgers(max_measures=3, max_records=12), st.sampled_from(["pandas", "polars"]))
def test_frame_rows_match_results(
    plan_and_ledger: tuple[Plan, Ledger], backend: frames.Backend
) -> None:
    """Every row of an assessment frame holds its result's figures, whatever the plan."""
    plan, ledger = plan_and_ledger
    assessment = assessed(plan, ledger, as_of=plan.start.add(days=100))
    frame = frames.assessment_frame(assessment, backend=backend)
    if isinstance(frame, pl.DataFrame):
        rows = frame.to_dicts()
    else:
        rows = [{str(key): value for key, value in r.items()} for r in frame.to_dict("records")]
    results = list(assessment.results())
    assert len(rows) == len(results)
    for record, result in zip(rows, results, strict=True):
        assert record["id"] == result.id
        assert record["status"] == result.status.value
        for name in ("completion", "expected", "spi", "coverage"):
            value = getattr(result, name)
            assert missing(record[name]) if value is None else record[name] == value


@given(bps.plans_and_ledgers(max_measures=3, max_records=8))
def test_theme_rows_select_what_the_theme_rolls_up(plan_and_ledger: tuple[Plan, Ledger]) -> None:
    """The leaves whose themes hold a theme are the leaves that theme's roll-up counts."""
    plan, ledger = plan_and_ledger
    assessment = assessed(plan, ledger, as_of=plan.end)
    leaves = frames.plan_frame(plan, backend="polars")
    for theme_id, result in assessment.by_theme().items():
        tagged = {leaf["id"] for leaf in leaves.iter_rows(named=True) if theme_id in leaf["themes"]}
        assert tagged == {part.id for part in result.contributions}


@pytest.mark.skipif(not hasattr(Assessment, "to_pandas"), reason="methods not wired yet")
def test_methods_give_the_same_frames() -> None:
    """Assessment, Ledger and Plan methods give the frames the functions give."""
    objects: list[Any] = [demo_assessment(), demo_ledger(), demo_plan()]
    for value in objects:
        assert value.to_pandas().equals(frames.to_pandas(value))
        assert value.to_polars().equals(frames.to_polars(value))
