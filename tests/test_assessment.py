"""Tests of assess(): results for every node, roll-ups, errors, explanations, invariants."""

from __future__ import annotations

import datetime as dt
import math
import random

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beijing_plan import assessment as assess_module
from beijing_plan.assessment import Assessment, Result, assess
from beijing_plan.exceptions import PlanValidationError, UnknownReferenceError
from beijing_plan.ledger import Ledger, Observation, Record, StatusChange
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
from beijing_plan.rules import Progress, Rules
from helpers import count, one_measure_plan

AS_OF = "2025-07-02"  # day 182 of the 364 from 2025-01-01 to 2025-12-31: expected 0.5


def scenario_plan() -> Plan:
    """Two measures, three themes (one nested), a measure target, five tasks, two policies."""
    return Plan(
        "plan",
        "示范计划",
        start="2025-01-01",
        end="2025-12-31",
        themes=[
            Theme("env", "Environment"),
            Theme("air", "Air", parent="env"),
            Theme("jobs", "Jobs"),
        ],
        measures=[
            Measure(
                "m1",
                1,
                "Measure one",
                themes={"env"},
                targets=[
                    Target(
                        "g1",
                        "Firms",
                        "at_least",
                        count(60),
                        baseline=Baseline(count(10), "2024-12-31"),
                    )
                ],
                tasks=[
                    Task("t1", "Task one", themes={"air"}, weight=2),
                    Task("t2", "Task two"),
                    Task(
                        "t3",
                        "Task three",
                        targets=[Target("g2", "Rooms", "at_least", count(100))],
                        milestones=[Milestone("ms1", "Step")],
                    ),
                ],
            ),
            Measure(
                "m2",
                2,
                "Measure two",
                themes={"jobs"},
                tasks=[Task("t4", "Task four"), Task("t5", "Task five", weight=3)],
            ),
        ],
        policies=[
            Policy("p1", "Policy one", measures=["m1", "m2"]),
            Policy("p2", "Policy two", due="2025-03-31"),
        ],
    )


def scenario_ledger() -> Ledger:
    """Records for every leaf of the scenario plan but t5, one of them after `AS_OF`."""
    return Ledger(
        [
            Observation("g1", "2025-06-01", count(35)),
            StatusChange("t1", "2025-03-01", "in_progress", percent=40),
            StatusChange("t2", "2025-05-01", "done"),
            Observation("g2", "2025-04-01", count(50)),
            StatusChange("ms1", "2025-05-15", "done"),
            StatusChange("t4", "2025-02-01", "cancelled"),
            StatusChange("p1", "2025-06-20", "done"),
            StatusChange("p2", "2025-01-10", "not_started"),
            StatusChange("t1", "2025-08-01", "done"),  # after as_of: ignored
        ]
    )


@pytest.fixture
def assessment() -> Assessment:
    return assess(scenario_plan(), scenario_ledger(), as_of=AS_OF)


# -- leaves ------------------------------------------------------------------------------


def test_leaf_completions_follow_the_rules(assessment: Assessment) -> None:
    """Each leaf's completion and rule, computed by hand."""
    found = {r.id: (r.completion, r.rule) for r in assessment.leaves()}
    assert found == {
        "g1": (0.5, "attainment"),  # (35 - 10) / (60 - 10)
        "t1": (0.4, "percent"),  # the 2025-08-01 done is after as_of
        "t2": (1.0, "done"),
        "t3": (0.75, "parts"),  # (0.5 + 1) / 2
        "t4": (None, "cancelled"),
        "t5": (0.0, "missing"),
        "p1": (1.0, "done"),
        "p2": (0.0, "not_started"),
    }


def test_leaf_statuses(assessment: Assessment) -> None:
    """Statuses: spi 0.8 at risk, 1.5 on track, 0 off track, past due overdue."""
    found = {r.id: r.status for r in assessment.leaves()}
    assert found == {
        "g1": Progress.ON_TRACK,
        "t1": Progress.AT_RISK,
        "t2": Progress.DONE,
        "t3": Progress.ON_TRACK,
        "t4": Progress.CANCELLED,
        "t5": Progress.OFF_TRACK,
        "p1": Progress.DONE,
        "p2": Progress.OVERDUE,
    }


def test_leaf_schedule(assessment: Assessment) -> None:
    """Default windows expect 0.5 on 2025-07-02; p2, due 2025-03-31, expects 1."""
    t1 = assessment["t1"]
    assert t1.expected == 0.5
    assert t1.spi == pytest.approx(0.8)
    assert t1.due == pendulum.Date(2025, 12, 31)
    assert assessment["p2"].expected == 1.0
    assert assessment["p2"].due == pendulum.Date(2025, 3, 31)


def test_targets_and_milestones_of_tasks_have_results(assessment: Assessment) -> None:
    """A task's target and milestone get results, with the target's value and ratio."""
    g2 = assessment["g2"]
    assert (g2.kind, g2.completion, g2.ratio, g2.current) == ("target", 0.5, 0.5, count(50))
    assert g2.rule is None
    ms1 = assessment["ms1"]
    assert (ms1.kind, ms1.completion, ms1.status) == ("milestone", 1.0, Progress.DONE)


def test_measure_target_result(assessment: Assessment) -> None:
    """A measure's own target reports its current value, raw ratio and forecast."""
    g1 = assessment["g1"]
    assert g1.current == count(35)
    assert g1.ratio == 0.5
    assert g1.forecast is not None  # baseline and one observation: two points
    assert g1.forecast.on == pendulum.Date(2025, 12, 31)


def test_leaf_coverage(assessment: Assessment) -> None:
    """A leaf with any record covers 1, one with none 0."""
    assert assessment["t1"].coverage == 1.0
    assert assessment["t5"].coverage == 0.0
    assert assessment["t3"].coverage == 1.0


# -- groups ------------------------------------------------------------------------------


def test_measure_roll_up(assessment: Assessment) -> None:
    """m1: (0.5 + 2 x 0.4 + 1 + 0.75 + 1) / 6 = 4.05 / 6 = 0.675, with policy p1 in it."""
    m1 = assessment.by_measure()["m1"]
    assert m1.completion == pytest.approx(0.675)
    assert m1.expected == 0.5
    assert m1.coverage == 1.0
    assert m1.weight == 6.0
    assert m1.status is Progress.ON_TRACK


def test_policy_serving_two_measures_counts_in_both(assessment: Assessment) -> None:
    """m2: t4 cancelled, t5 0 (weight 3), p1 1: (0 + 1) / 4 = 0.25; coverage 1 / 4."""
    m2 = assessment["m2"]
    assert m2.completion == 0.25
    assert m2.coverage == 0.25
    assert m2.weight == 4.0
    assert m2.status is Progress.OFF_TRACK
    assert [c.id for c in m2.contributions] == ["t4", "t5", "p1"]


def test_plan_roll_up(assessment: Assessment) -> None:
    """Plan: 4.05 / 10 = 0.405; expected (9 x 0.5 + 1) / 10 = 0.55; coverage 7 / 10."""
    overall = assessment.overall
    assert overall.kind == "plan"
    assert overall.id == "plan"
    assert overall.completion == pytest.approx(0.405)
    assert overall.expected == pytest.approx(0.55)
    assert overall.coverage == pytest.approx(0.7)
    assert overall.spi == pytest.approx(0.405 / 0.55)
    assert overall.status is Progress.AT_RISK
    assert assessment["plan"] is overall


def test_themes_with_sub_themes_and_inherited_tags(assessment: Assessment) -> None:
    """env holds g1, t1 (via air), t2 and t3 (via m1): 3.05 / 5; air holds t1; jobs t5."""
    themes = assessment.by_theme()
    assert list(themes) == ["env", "air", "jobs"]
    assert themes["env"].completion == pytest.approx(3.05 / 5)
    assert themes["air"].completion == 0.4
    assert themes["air"].status is Progress.AT_RISK
    assert themes["jobs"].completion == 0.0
    assert themes["jobs"].coverage == 0.0
    assert [c.id for c in themes["env"].contributions] == ["g1", "t1", "t2", "t3"]


def test_nested_roll_up() -> None:
    """Nested: m1 = 3.65 / 5, m2 = (0 + 1) / 2, plan = (0.73 + 0.5 + 0) / 3 with p2 on top."""
    found = assess(scenario_plan(), scenario_ledger(), as_of=AS_OF, rules=Rules(rollup="nested"))
    assert found["m1"].completion == pytest.approx(0.73)
    assert found["m2"].completion == 0.5
    assert found.overall.completion == pytest.approx((0.73 + 0.5) / 3)
    assert found.overall.expected == pytest.approx((0.5 + 0.5 + 1.0) / 3)
    assert [c.id for c in found.overall.contributions] == ["m1", "m2", "p2"]
    assert found.overall.coverage == pytest.approx(0.7)  # still weighted over the leaves
    # env: sub-theme air (0.4) and the leaves tagged env only: g1, t2, t3.
    assert found["env"].completion == pytest.approx((0.4 + 0.5 + 1.0 + 0.75) / 4)


def test_missing_exclude_leaves_unrecorded_leaves_out() -> None:
    """With exclude, t5 drops out: plan 4.05 / 7, coverage still 7 / 10, m2 only p1: done."""
    found = assess(scenario_plan(), scenario_ledger(), as_of=AS_OF, rules=Rules(missing="exclude"))
    assert found["t5"].completion is None
    assert found["t5"].status is Progress.NO_DATA
    assert found.overall.completion == pytest.approx(4.05 / 7)
    assert found.overall.coverage == pytest.approx(0.7)
    assert found["m2"].completion == 1.0
    assert found["m2"].status is Progress.DONE


def test_in_progress_credit_applies_end_to_end() -> None:
    """An in-progress task with no percent takes in_progress_credit 0.3."""
    plan = one_measure_plan(Task("t", "T"))
    ledger = [StatusChange("t", "2025-02-01", "in_progress")]
    assert assess(plan, ledger, as_of=AS_OF)["t"].completion == 0.0
    credited = assess(plan, ledger, as_of=AS_OF, rules=Rules(in_progress_credit=0.3))
    assert credited["t"].completion == 0.3
    assert credited["t"].rule == "in_progress"


def test_zero_weights_give_no_completion() -> None:
    """A measure whose leaves weigh 0 has completion None and no data."""
    plan = one_measure_plan(Task("t", "T", weight=0))
    found = assess(plan, [StatusChange("t", "2025-02-01", "done")], as_of=AS_OF)
    assert found["t"].completion == 1.0
    assert found["m"].completion is None
    assert found["m"].coverage is None
    assert found["m"].status is Progress.NO_DATA


def test_all_cancelled_group_is_cancelled() -> None:
    """A measure all of whose leaves are cancelled is cancelled."""
    plan = one_measure_plan(Task("t", "T"))
    found = assess(plan, [StatusChange("t", "2025-02-01", "cancelled")], as_of=AS_OF)
    assert found["m"].status is Progress.CANCELLED
    assert found["m"].contributions[0].counted is False


# -- dates and records -------------------------------------------------------------------


def test_as_of_accepts_every_date_form() -> None:
    """pendulum.Date, datetime.date and an ISO string give the same assessment."""
    plan, ledger = scenario_plan(), scenario_ledger()
    forms: list[pendulum.Date | dt.date | str] = [
        pendulum.Date(2025, 7, 2),
        dt.date(2025, 7, 2),
        AS_OF,
    ]
    found = [assess(plan, ledger, as_of=form) for form in forms]
    assert {a.as_of for a in found} == {pendulum.Date(2025, 7, 2)}
    assert len({a.overall.completion for a in found}) == 1


def test_as_of_defaults_to_today_in_beijing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without as_of the assessment is dated today in Asia/Shanghai."""
    monkeypatch.setattr(assess_module, "today", lambda: pendulum.Date(2025, 7, 2))
    assert assess(scenario_plan(), scenario_ledger()).as_of == pendulum.Date(2025, 7, 2)


def test_bad_as_of_is_an_error_with_its_path() -> None:
    """An as_of that is not a date is refused, naming as_of."""
    with pytest.raises(PlanValidationError) as caught:
        assess(scenario_plan(), as_of="2025-13-01")
    assert caught.value.problems == [("as_of", "'2025-13-01' is not a date (YYYY-MM-DD)")]


def test_unknown_ids_are_all_listed() -> None:
    """Every record naming an unknown id or the wrong kind is listed, even after as_of."""
    ledger = scenario_ledger().extend(
        [
            StatusChange("nope", "2025-02-01", "done"),
            Observation("t1", "2025-02-01", count(1)),
            StatusChange("ghost", "2026-02-01", "done"),
        ]
    )
    with pytest.raises(UnknownReferenceError) as caught:
        assess(scenario_plan(), ledger, as_of=AS_OF)
    assert [path for path, _ in caught.value.problems] == [
        "records[9].item",
        "records[10].target",
        "records[11].item",
    ]


def test_same_date_records_later_in_the_ledger_win() -> None:
    """Two status records for t2 on one day: the later (in progress, 20%) wins."""
    ledger = scenario_ledger().append(StatusChange("t2", "2025-05-01", "in_progress", percent=20))
    assert assess(scenario_plan(), ledger, as_of=AS_OF)["t2"].completion == 0.2


def test_as_of_before_the_plan_expects_nothing() -> None:
    """Before the plan starts nothing is expected and nothing is recorded yet."""
    found = assess(scenario_plan(), scenario_ledger(), as_of="2024-12-01")
    assert found.overall.completion == 0.0
    assert found.overall.expected == 0.0
    assert found.overall.coverage == 0.0
    assert found.overall.status is Progress.ON_TRACK


def test_leaf_due_before_the_plan_starts_is_refused() -> None:
    """A task due 2024-12-31 in a plan starting 2025-01-01 would start after it is due."""
    with pytest.raises(
        PlanValidationError, match=r"measures\[0\]\.tasks\[0\]\.due: due 2024-12-31"
    ):
        one_measure_plan(Task("t", "T", due="2024-12-31"))


def test_ledger_may_be_a_list_of_records() -> None:
    """A list of records works as a ledger."""
    records: list[Record] = list(scenario_ledger())
    assert assess(scenario_plan(), records, as_of=AS_OF).ledger == scenario_ledger()


# -- access ------------------------------------------------------------------------------


def test_every_node_has_one_result(assessment: Assessment) -> None:
    """results() yields the plan, measures, themes, leaves, then parts, each id once."""
    order = [r.id for r in assessment.results()]
    assert order == [
        "plan", "m1", "m2", "env", "air", "jobs",
        "g1", "t1", "t2", "t3", "t4", "t5", "p1", "p2", "g2", "ms1",
    ]  # fmt: skip
    assert list(assessment) == order
    assert len(assessment) == len(order)
    assert all(item in assessment for item in order)
    assert "nope" not in assessment
    assert assessment.get("nope") is None
    with pytest.raises(KeyError):
        assessment["nope"]


def test_kinds(assessment: Assessment) -> None:
    """Each result names its kind."""
    kinds = {r.id: r.kind for r in assessment.results()}
    assert (kinds["plan"], kinds["m1"], kinds["env"], kinds["t1"]) == (
        "plan", "measure", "theme", "task",
    )  # fmt: skip
    assert (kinds["p1"], kinds["g1"], kinds["ms1"]) == ("policy", "target", "milestone")


def test_results_are_built_once(assessment: Assessment) -> None:
    """Asking twice for a result gives the same object."""
    assert assessment["t1"] is assessment["t1"]


def test_group_figure_recomputes_from_its_contributions(assessment: Assessment) -> None:
    """Completion is the sum of what counted contributions add; expected the same way."""
    for result in (assessment.overall, *assessment.by_measure().values()):
        counted = [c for c in result.contributions if c.counted]
        assert result.completion == pytest.approx(math.fsum(c.adds or 0.0 for c in counted))
        weight = math.fsum(c.weight for c in counted)
        assert result.completion == pytest.approx(
            math.fsum(c.weight * (c.completion or 0.0) for c in counted) / weight
        )
        assert result.expected == pytest.approx(
            math.fsum((c.share or 0.0) * (c.expected or 0.0) for c in counted)
        )
        covered = math.fsum(
            c.weight for c in result.contributions if c.recorded and c.reason != "cancelled"
        )
        assert result.coverage == pytest.approx(covered / result.weight)


def test_task_contributions_are_its_parts(assessment: Assessment) -> None:
    """t3's contributions are g2 (0.5) and ms1 (1), each half of the weight."""
    rows = [(c.id, c.share, c.completion, c.adds, c.reason) for c in assessment["t3"].contributions]
    assert rows == [("g2", 0.5, 0.5, 0.25, "attainment"), ("ms1", 0.5, 1.0, 0.5, "done")]
    assert assessment["t1"].contributions == ()


# -- explanations ------------------------------------------------------------------------


def test_explain_a_group_shows_the_numbers(assessment: Assessment) -> None:
    """The plan's explanation shows the sums, each contribution, coverage and status."""
    text = assessment.overall.explain()
    assert "= 4.0500 / 10 = 0.4050" in text
    assert "Task t1 \u201cTask one\u201d: w = 2, c = 0.4000, e = 0.5000, share = 0.2000" in text
    assert "Task t4 \u201cTask four\u201d: w = 1, not counted [cancelled]" in text
    assert "Expected = sum(w \u00d7 e) / sum(w) over the same leaves = 5.5000 / 10 = 0.5500" in text
    assert "Coverage = weight with any record / total weight = 7 / 10 = 0.7000" in text
    assert "SPI = completion / expected = 0.4050 / 0.5500 = 0.7364" in text
    assert "Status: at risk (amber): on_track 0.95 > SPI 0.7364 \u2265 at_risk 0.6" in text


def test_explain_leaves_names_the_rule(assessment: Assessment) -> None:
    """A leaf's explanation names its rule and shows the schedule arithmetic."""
    text = assessment["t1"].explain()
    assert "rule 4: 40% reported on 2025-03-01: 40 / 100 = 0.4000" in text
    assert "linear from 2025-01-01 to 2025-12-31: 182 / 364 days = 0.5000" in text
    assert "Overdue" not in text
    p2 = assessment["p2"].explain()
    assert "2025-07-02 is after the due date 2025-03-31 and completion 0.0000 < 1" in p2


def test_explain_a_target_shows_the_attainment_formula(assessment: Assessment) -> None:
    """A target's explanation shows observations, aggregation and the formula."""
    text = assessment["g1"].explain()
    assert "2025-06-01: 35" in text
    assert "(c - b) / (T - b) = (35 - 10) / (60 - 10) = 0.5000" in text
    assert "Forecast: least-squares line through 2 points" in text


def test_explain_in_chinese(assessment: Assessment) -> None:
    """The Chinese explanation uses the Chinese labels and the same numbers."""
    text = assessment.overall.explain("zh")
    assert "计划 plan\u201c示范计划\u201d\uff0c截至 2025-07-02" in text
    assert "有风险" in text
    assert "4.0500 / 10 = 0.4050" in text


def test_explain_a_milestone_and_a_task_target(assessment: Assessment) -> None:
    """A milestone shows its status; a task's target its sum or level and its window."""
    text = assessment["ms1"].explain()
    assert "Completion = 1.0000: status done on 2025-05-15" in text
    assert "linear from 2025-01-01 to 2025-12-31: 182 / 364 days = 0.5000" in text
    g2 = assessment["g2"].explain()
    assert "Current value (last) = last(50) = 50" in g2
    assert "c / T = 50 / 100" in g2


def test_explain_a_nested_roll_up() -> None:
    """A nested roll-up explains the plain mean of its children."""
    found = assess(scenario_plan(), scenario_ledger(), as_of=AS_OF, rules=Rules(rollup="nested"))
    text = found.overall.explain()
    assert "Completion = plain mean of 3 counted of 3 children = 1.2300 / 3 = 0.4100" in text
    assert "Measure m1 \u201cMeasure one\u201d: w = 1, c = 0.7300" in text
    assert "Expected = plain mean of the same children = 2.0000 / 3 = 0.6667" in text


def test_explain_a_trajectory_and_a_cancelled_milestone() -> None:
    """A trajectory is listed with its implied end point; a cancelled milestone says so."""
    task = Task(
        "t",
        "T",
        trajectory=[("2025-04-01", 0.2)],
        milestones=[Milestone("ms", "MS")],
    )
    found = assess(
        one_measure_plan(task), [StatusChange("ms", "2025-02-01", "cancelled")], as_of=AS_OF
    )
    text = found["t"].explain()
    assert "piecewise linear through (2025-01-01, 0), (2025-04-01, 0.2), (2025-12-31, 1)" in text
    assert found["t"].expected == pytest.approx(0.2 + 0.8 * 92 / 274)
    assert "cancelled on 2025-02-01; it drops out of its task" in found["ms"].explain()
    assert found["ms"].status is Progress.CANCELLED


def test_explain_before_the_start_and_after_the_due_date() -> None:
    """Expected 0 before the start and 1 after the due date are both explained."""
    early = assess(scenario_plan(), as_of="2024-12-01")
    assert "Expected: 0 (on or before the start, 2025-01-01)" in early["t1"].explain()
    assert "SPI: none (nothing is expected yet)" in early["t1"].explain()
    assert "Status: on track (green): nothing is expected yet" in early["t1"].explain()
    late = assess(scenario_plan(), as_of="2026-01-05")
    assert "Expected: 1 (on or after the due date, 2025-12-31)" in late["t1"].explain()


def test_explain_missing_data_under_both_rules() -> None:
    """Rule 7 says which missing rule gave 0 or none."""
    zero = assess(scenario_plan(), scenario_ledger(), as_of=AS_OF)
    assert "by rule 7: nothing recorded (missing='zero')" in zero["t5"].explain()
    excluded = assess(scenario_plan(), as_of=AS_OF, rules=Rules(missing="exclude"))
    text = excluded["g1"].explain()
    assert "No observation counts up to 2025-07-02" in text
    assert "As a leaf of its measure it counts none (missing='exclude')" in text


def test_explain_refuses_an_unknown_language(assessment: Assessment) -> None:
    """Only English and Chinese explanations exist."""
    with pytest.raises(PlanValidationError):
        assessment.overall.explain("fr")


def test_a_bare_result_cannot_explain() -> None:
    """A Result built by hand has no assessment to explain it from."""
    bare = Result("x", "task", assessment_title(), 0.5, 0.5, 1.0, Progress.ON_TRACK, 1.0, 1.0, None)
    assert bare.contributions == ()
    with pytest.raises(PlanValidationError):
        bare.explain()


def assessment_title() -> Text:
    return scenario_plan().title


# -- properties --------------------------------------------------------------------------

DAYS = [pendulum.Date(2024, 12, 1).add(days=i) for i in range(0, 420, 7)]


@st.composite
def drawn_plans_and_ledgers(draw: st.DrawFn) -> tuple[Plan, list[Record]]:
    """A small random plan and a ledger whose records for one item have distinct dates."""
    weights = st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0])
    aggregations = st.sampled_from(["last", "sum", "max", "min", "mean"])
    theme_count = draw(st.integers(0, 3))
    themes = [
        Theme(
            f"th{i}",
            f"Theme {i}",
            parent=draw(st.none() | st.sampled_from([f"th{j}" for j in range(i)])) if i else None,
        )
        for i in range(theme_count)
    ]
    theme_ids = [theme.id for theme in themes]
    tags = (
        st.frozensets(st.sampled_from(theme_ids), max_size=2) if theme_ids else st.just(frozenset())
    )
    measures = []
    for m in range(draw(st.integers(1, 3))):
        tasks = []
        for t in range(draw(st.integers(0, 3))):
            targets = []
            if draw(st.booleans()):
                targets.append(
                    Target(
                        f"g{m}-{t}",
                        "G",
                        "at_least",
                        count(10),
                        weight=draw(weights),
                        aggregation=draw(aggregations),
                    )
                )
            milestones = []
            if draw(st.booleans()):
                milestones.append(Milestone(f"ms{m}-{t}", "MS", weight=draw(weights)))
            tasks.append(
                Task(
                    f"t{m}-{t}",
                    "T",
                    themes=draw(tags),
                    weight=draw(weights),
                    targets=targets,
                    milestones=milestones,
                )
            )
        own = []
        if draw(st.booleans()):
            own.append(
                Target(
                    f"mg{m}",
                    "MG",
                    "at_most",
                    count(5),
                    baseline=Baseline(count(20), "2024-12-01"),
                    weight=draw(weights),
                )
            )
        measures.append(Measure(f"m{m}", m + 1, "M", themes=draw(tags), tasks=tasks, targets=own))
    measure_ids = [measure.id for measure in measures]
    policies = [
        Policy(
            f"p{i}",
            "P",
            themes=draw(tags),
            weight=draw(weights),
            measures=draw(st.lists(st.sampled_from(measure_ids), unique=True, max_size=2)),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    plan = Plan(
        "plan",
        "Plan",
        start="2025-01-01",
        end="2025-12-31",
        themes=themes,
        measures=measures,
        policies=policies,
    )
    records: list[Record] = []
    status_items = (
        [t.id for t in plan.tasks()] + [p.id for p in policies] + [m.id for m in plan.milestones()]
    )
    codes = st.sampled_from(["not_started", "in_progress", "done", "cancelled"])
    percents = st.none() | st.sampled_from([0, 25, 50, 100])
    for item in status_items:
        dates = draw(st.lists(st.sampled_from(DAYS), unique=True, max_size=3))
        records.extend(StatusChange(item, on, draw(codes), percent=draw(percents)) for on in dates)
    for target in plan.targets():
        dates = draw(st.lists(st.sampled_from(DAYS), unique=True, max_size=3))
        records.extend(Observation(target.id, on, count(draw(st.integers(0, 30)))) for on in dates)
    return plan, records


rules_strategy = st.builds(
    Rules,
    missing=st.sampled_from(["zero", "exclude"]),
    rollup=st.sampled_from(["flat", "nested"]),
    in_progress_credit=st.none() | st.just(0.5),
)
as_of_strategy = st.sampled_from(["2024-11-01", "2025-03-15", "2025-07-02", "2026-02-01"])


def figures(found: Assessment) -> dict[str, tuple[object, ...]]:
    return {
        r.id: (r.completion, r.expected, r.coverage, r.status, r.weight, r.due)
        for r in found.results()
    }


@settings(max_examples=60, deadline=None)
@given(data=drawn_plans_and_ledgers(), rules=rules_strategy, as_of=as_of_strategy)
def test_every_figure_lies_in_the_unit_interval(
    data: tuple[Plan, list[Record]], rules: Rules, as_of: str
) -> None:
    """Every completion, expected and coverage is None or in [0, 1]."""
    plan, records = data
    for result in assess(plan, records, as_of=as_of, rules=rules).results():
        for value in (result.completion, result.expected, result.coverage):
            assert value is None or 0.0 <= value <= 1.0


@settings(max_examples=60, deadline=None)
@given(
    data=drawn_plans_and_ledgers(),
    rules=rules_strategy,
    as_of=as_of_strategy,
    seed=st.integers(0, 2**32),
)
def test_results_do_not_depend_on_order(
    data: tuple[Plan, list[Record]], rules: Rules, as_of: str, seed: int
) -> None:
    """Shuffling measures, tasks and records (distinct dates per item) changes no figure."""
    plan, records = data
    shuffle = random.Random(seed).shuffle
    measures = [
        attrs.evolve(m, tasks=random.Random(seed).sample(m.tasks, len(m.tasks)))
        for m in plan.measures
    ]
    shuffle(measures)
    shuffled = attrs.evolve(plan, measures=measures)
    reordered = list(records)
    shuffle(reordered)
    assert figures(assess(plan, records, as_of=as_of, rules=rules)) == figures(
        assess(shuffled, reordered, as_of=as_of, rules=rules)
    )


def scaled(plan: Plan, k: float) -> Plan:
    def target(g: Target) -> Target:
        return attrs.evolve(g, weight=g.weight * k)

    measures = [
        attrs.evolve(
            m,
            targets=[target(g) for g in m.targets],
            tasks=[
                attrs.evolve(
                    t,
                    weight=t.weight * k,
                    targets=[target(g) for g in t.targets],
                    milestones=[attrs.evolve(s, weight=s.weight * k) for s in t.milestones],
                )
                for t in m.tasks
            ],
        )
        for m in plan.measures
    ]
    policies = [attrs.evolve(p, weight=p.weight * k) for p in plan.policies]
    return attrs.evolve(plan, measures=measures, policies=policies)


@settings(max_examples=60, deadline=None)
@given(data=drawn_plans_and_ledgers(), rules=rules_strategy, k=st.sampled_from([0.25, 3.0, 10.0]))
def test_scaling_every_weight_changes_nothing(
    data: tuple[Plan, list[Record]], rules: Rules, k: float
) -> None:
    """Multiplying every weight by k > 0 leaves completion, expected, coverage, status alone."""
    plan, records = data
    before = assess(plan, records, as_of=AS_OF, rules=rules)
    after = assess(scaled(plan, k), records, as_of=AS_OF, rules=rules)
    for a, b in zip(before.results(), after.results(), strict=True):
        for x, y in (
            (a.completion, b.completion),
            (a.expected, b.expected),
            (a.coverage, b.coverage),
        ):
            if x is None or y is None:
                assert x is y
            else:
                assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    data=drawn_plans_and_ledgers(), as_of=as_of_strategy, weight=st.sampled_from([0.0, 1.0, 5.0])
)
def test_adding_a_done_leaf_never_lowers_a_flat_roll_up(
    data: tuple[Plan, list[Record]], as_of: str, weight: float
) -> None:
    """A new done task cannot lower the plan's or its measure's flat completion."""
    plan, records = data
    first = plan.measures[0]
    grown = attrs.evolve(
        plan,
        measures=[
            attrs.evolve(first, tasks=[*first.tasks, Task("extra", "X", weight=weight)]),
            *plan.measures[1:],
        ],
    )
    more = [*records, StatusChange("extra", "2024-11-01", "done")]
    before = assess(plan, records, as_of=as_of)
    after = assess(grown, more, as_of=as_of)
    for item in ("plan", first.id):
        old, new = before[item].completion, after[item].completion
        if old is not None:
            assert new is not None
            assert new >= old - 1e-12


@settings(max_examples=60, deadline=None)
@given(
    data=drawn_plans_and_ledgers(), as_of=as_of_strategy, rollup=st.sampled_from(["flat", "nested"])
)
def test_exclude_never_reports_lower_coverage_than_it_uses(
    data: tuple[Plan, list[Record]], as_of: str, rollup: str
) -> None:
    """With missing='exclude', the weight a group's mean uses never exceeds its coverage."""
    plan, records = data
    found = assess(plan, records, as_of=as_of, rules=Rules(missing="exclude", rollup=rollup))
    for result in found.results():
        if result.kind not in {"plan", "measure", "theme"} or not result.weight:
            continue
        used = math.fsum(
            found[leaf].weight
            for leaf in _leaf_ids(found, result)
            if found[leaf].completion is not None
        )
        assert result.coverage is not None
        assert used / result.weight <= result.coverage + 1e-12


def _leaf_ids(found: Assessment, group: Result) -> list[str]:
    """The leaves under a group, through nested children too."""
    out: list[str] = []
    for row in group.contributions:
        if row.kind in {"measure", "theme"}:
            out.extend(_leaf_ids(found, found[row.id]))
        elif row.reason != "cancelled":
            out.append(row.id)
    return list(dict.fromkeys(out))


def test_explain_ends_with_the_notes_and_sources_of_the_records() -> None:
    """An explanation lists each counted record's note and source, and no later ones."""
    plan = one_measure_plan(Task("t", "T"), title="Plan")
    ledger = Ledger(
        [
            StatusChange(
                "t",
                "2025-03-01",
                "in_progress",
                percent=40,
                note="half the sites",
                source=Source("Daily"),
            ),
            StatusChange("t", "2025-09-01", "done", note="finished"),
        ]
    )
    lines = assess(plan, ledger, as_of="2025-06-30")["t"].explain().splitlines()
    assert lines[-1] == "Record of 2025-03-01: half the sites (source: Daily)"
    assert not any("finished" in line for line in lines)


def test_chinese_explanation_names_default_colours_in_chinese() -> None:
    """In Chinese the default RAG colours read in Chinese; a custom colour is kept as given."""
    plan = one_measure_plan(Task("t", "T"), title="Plan")
    ledger = Ledger([StatusChange("t", "2025-03-01", "done")])
    text = assess(plan, ledger, as_of="2025-06-30")["t"].explain("zh")
    assert "状态：完成（蓝）" in text  # noqa: RUF001 (Chinese text uses full-width punctuation)
    custom = assess(plan, ledger, as_of="2025-06-30", rules=Rules(colours={"done": "#1f77b4"}))
    assert "（#1f77b4）" in custom["t"].explain("zh")  # noqa: RUF001 (full-width, as in the text)
    assert "(blue)" in assess(plan, ledger, as_of="2025-06-30")["t"].explain("en")
