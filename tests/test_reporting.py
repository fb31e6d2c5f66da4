"""Reporting cadence (DESIGN 13): expected, on-time, late and missing reports, and silence."""

from __future__ import annotations

import pytest

from beijing_plan import (
    Cadence,
    Ledger,
    Measure,
    Milestone,
    Observation,
    Plan,
    PlanValidationError,
    Policy,
    Quantity,
    Record,
    Reporting,
    Revision,
    StatusChange,
    Target,
    Task,
    Withdrawal,
    assess,
)


def _plan(*tasks: Task, cadence: Cadence | None = None, policies: tuple[Policy, ...] = ()) -> Plan:
    return Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        reporting=cadence,
        measures=[Measure("m", 1, "M", lead=["市政府"], tasks=list(tasks))],
        policies=list(policies),
    )


def _count(value: int) -> Quantity:
    return Quantity(value, "count")


def _report(plan: Plan, records: list[Record], as_of: str, **options: object) -> Reporting:
    return assess(plan, Ledger(records), as_of=as_of).reporting(**options)  # type: ignore[arg-type]


def _states(reporting: Reporting) -> list[tuple[str, str, str]]:
    return [(r.leaf, r.period, r.state) for r in reporting.reports]


TASK = Task(
    "a",
    "A",
    lead=["发改委"],
    partners=["财政局"],
    targets=[Target("ta", "TA", "at_least", _count(10))],
    milestones=[Milestone("ma", "MA")],
)


def test_a_month_expects_a_report_once_its_end_is_past() -> None:
    """As of 15 April with monthly cadence: January to March are owed, April not yet."""
    reporting = _report(_plan(TASK, cadence=Cadence("month")), [], "2025-04-15")
    assert [row.period for row in reporting.rows] == ["2025-01", "2025-02", "2025-03"]
    assert [(row.expected, row.missing, row.rate) for row in reporting.rows] == [(1, 1, 0.0)] * 3


def test_a_report_on_the_last_allowed_day_is_on_time_and_a_day_later_late() -> None:
    """Q1 with due_days 10 is due 10 April: entered that day on time, on 11 April late."""
    plan = _plan(TASK, cadence=Cadence("quarter", due_days=10))
    on_time = StatusChange("a", "2025-03-20", "in_progress", recorded="2025-04-10")
    late = StatusChange("a", "2025-03-20", "in_progress", recorded="2025-04-11")
    first = _report(plan, [on_time], "2025-07-10")
    assert _states(first) == [("a", "2025-Q1", "on_time"), ("a", "2025-Q2", "missing")]
    assert str(first.reports[0].deadline) == "2025-04-10"
    assert str(first.reports[0].received) == "2025-04-10"
    second = _report(plan, [late], "2025-07-10")
    assert _states(second)[0] == ("a", "2025-Q1", "late")
    assert (second.rows[0].on_time, second.rows[0].late, second.rows[0].rate) == (0, 1, 0.0)


def test_the_last_quarter_is_not_owed_before_its_due_days_are_over() -> None:
    """Q2 ends 30 June; with due_days 10 it is owed from 10 July, not on 9 July."""
    plan = _plan(TASK, cadence=Cadence("quarter", due_days=10))
    assert [r.period for r in _report(plan, [], "2025-07-09").reports] == ["2025-Q1"]
    assert [r.period for r in _report(plan, [], "2025-07-10").reports] == ["2025-Q1", "2025-Q2"]


def test_a_target_or_milestone_record_is_the_tasks_report_and_the_earliest_counts() -> None:
    """February's report is an observation of the task's target; March's a milestone status."""
    records: list[Record] = [
        Observation("ta", "2025-02-03", _count(2), recorded="2025-03-05"),
        Observation("ta", "2025-02-20", _count(3), recorded="2025-02-27"),
        StatusChange("ma", "2025-03-31", "done"),
    ]
    reporting = _report(_plan(TASK, cadence=Cadence("month")), records, "2025-04-01")
    assert _states(reporting) == [
        ("a", "2025-01", "missing"),
        ("a", "2025-02", "on_time"),
        ("a", "2025-03", "on_time"),
    ]
    assert str(reporting.reports[1].received) == "2025-02-27"


def test_a_leaf_done_before_a_period_owes_no_report_for_it() -> None:
    """Done on 10 February: February is owed (and reported), March and later are not."""
    records: list[Record] = [StatusChange("a", "2025-02-10", "done")]
    reporting = _report(_plan(TASK, cadence=Cadence("month")), records, "2025-06-01")
    assert _states(reporting) == [("a", "2025-01", "missing"), ("a", "2025-02", "on_time")]


def test_a_leaf_cancelled_before_a_period_owes_no_report_for_it() -> None:
    """Cancelled on 31 January: only January is owed."""
    records: list[Record] = [StatusChange("a", "2025-01-31", "cancelled")]
    reporting = _report(_plan(TASK, cadence=Cadence("month")), records, "2025-06-01")
    assert _states(reporting) == [("a", "2025-01", "on_time")]


def test_only_the_periods_that_overlap_the_leafs_schedule_are_owed() -> None:
    """A task from 15 March to 10 May owes March, April and May."""
    task = Task("b", "B", lead=["发改委"], start="2025-03-15", due="2025-05-10")
    reporting = _report(_plan(task, cadence=Cadence("month")), [], "2025-12-31")
    assert [r.period for r in reporting.reports] == ["2025-03", "2025-04", "2025-05"]


def test_the_plans_cadence_is_inherited_and_a_leafs_own_overrides_it() -> None:
    """Task a reports monthly (the plan's), task q quarterly (its own), the policy monthly."""
    quarterly = Task("q", "Q", lead=["发改委"], reporting=Cadence("quarter", due_days=5))
    policy = Policy("pol", "Pol", lead=["科委"])
    plan = _plan(TASK, quarterly, cadence=Cadence("month"), policies=(policy,))
    reporting = _report(plan, [], "2025-04-05", by="leaf")
    assert [(row.id, row.period) for row in reporting.rows] == [
        ("a", "2025-01"),
        ("a", "2025-02"),
        ("a", "2025-03"),
        ("q", "2025-Q1"),
        ("pol", "2025-01"),
        ("pol", "2025-02"),
        ("pol", "2025-03"),
    ]
    assert [row.kind for row in reporting.rows] == ["task"] * 4 + ["policy"] * 3


def test_without_any_cadence_nothing_is_owed() -> None:
    """A plan and leaves without `reporting` expect no report."""
    reporting = _report(_plan(TASK), [], "2025-12-31")
    assert reporting.rows == ()
    assert reporting.silent == ()


def test_a_measures_own_target_reports_at_the_plans_cadence_for_the_measures_lead() -> None:
    """The measure's target owes January and February, counted for 市政府."""
    plan = Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        reporting=Cadence("month"),
        measures=[
            Measure(
                "m", 1, "M", lead=["市政府"], targets=[Target("mt", "MT", "at_least", _count(5))]
            )
        ],
    )
    records: list[Record] = [Observation("mt", "2025-01-15", _count(1))]
    reporting = _report(plan, records, "2025-03-01")
    assert [(r.id, r.period, r.on_time, r.missing) for r in reporting.rows] == [
        ("市政府", "2025-01", 1, 0),
        ("市政府", "2025-02", 0, 1),
    ]


def test_a_unit_adds_up_the_reports_of_its_leaves_in_each_role() -> None:
    """发改委 leads a and b: January 2 expected, 1 on time, 1 missing; 财政局 is a's partner."""
    b = Task("b", "B", lead=["发改委"])
    records: list[Record] = [StatusChange("b", "2025-01-05", "in_progress")]
    plan = _plan(TASK, b, cadence=Cadence("month"))
    lead = _report(plan, records, "2025-02-01")
    assert [(r.id, r.expected, r.on_time, r.missing, r.rate) for r in lead.rows] == [
        ("发改委", 2, 1, 1, 0.5)
    ]
    partner = _report(plan, records, "2025-02-01", role="partner")
    assert [(r.id, r.expected, r.missing) for r in partner.rows] == [("财政局", 1, 1)]
    every = _report(plan, records, "2025-02-01", role="any")
    assert [(r.id, r.expected) for r in every.rows] == [("发改委", 2), ("财政局", 1)]


def test_totals_add_up_every_period_of_a_unit() -> None:
    """Three months owed, one on time, one late, one missing: rate 1/3."""
    records: list[Record] = [
        StatusChange("a", "2025-01-10", "in_progress", recorded="2025-01-31"),
        StatusChange("a", "2025-02-10", "in_progress", recorded="2025-03-01"),
    ]
    reporting = _report(_plan(TASK, cadence=Cadence("month")), records, "2025-04-15")
    total = reporting.totals()["发改委"]
    assert (total.period, total.expected, total.on_time, total.late, total.missing) == (
        None,
        3,
        1,
        1,
        1,
    )
    assert total.rate == pytest.approx(1 / 3)


def test_a_leaf_is_silent_when_its_last_n_reports_are_missing() -> None:
    """January reported, February and March not: silent after 2, not after 3."""
    records: list[Record] = [StatusChange("a", "2025-01-10", "in_progress")]
    plan = _plan(TASK, Task("b", "B"), cadence=Cadence("month"))
    reporting = _report(plan, records, "2025-04-15")
    assert reporting.silent == ("a", "b")
    assert _report(plan, records, "2025-04-15", silent_after=3).silent == ("b",)
    assert _report(plan, records, "2025-04-15", silent_after=4).silent == ()


def test_revisions_and_withdrawals_are_no_reports() -> None:
    """A revision dated in January and a withdrawn status leave January missing."""
    records: list[Record] = [
        Revision("a", "2025-01-10", due="2025-11-30"),
        StatusChange("a", "2025-01-12", "in_progress", id="s1"),
        Withdrawal("s1", "2025-01-20"),
    ]
    reporting = _report(_plan(TASK, cadence=Cadence("month")), records, "2025-02-01")
    assert _states(reporting) == [("a", "2025-01", "missing")]


def test_a_correction_counts_with_its_own_entry_day() -> None:
    """A January status corrected on 5 February: the correction is the report, late."""
    records: list[Record] = [
        StatusChange("a", "2025-01-12", "in_progress", id="s1"),
        StatusChange(
            "a", "2025-01-12", "in_progress", percent=10, supersedes="s1", recorded="2025-02-05"
        ),
    ]
    reporting = _report(_plan(TASK, cadence=Cadence("month")), records, "2025-03-01")
    assert _states(reporting)[0] == ("a", "2025-01", "late")
    known_early = assess(
        _plan(TASK, cadence=Cadence("month")), records, as_of="2025-03-01", known_at="2025-01-31"
    ).reporting()
    assert _states(known_early)[0] == ("a", "2025-01", "on_time")


def test_within_keeps_the_periods_inside_a_quarter() -> None:
    """Within 2025-Q1 keeps January to March of a monthly cadence."""
    reporting = _report(_plan(TASK, cadence=Cadence("month")), [], "2025-06-01")
    assert [row.period for row in reporting.within("2025-Q1").rows] == [
        "2025-01",
        "2025-02",
        "2025-03",
    ]
    assert [row.period for row in reporting.within("2025-04").rows] == ["2025-04"]
    assert len(reporting.within("2025").rows) == 5


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2025-Q5", "'2025-Q5' is not a period (YYYY, YYYY-Qn or YYYY-MM)"),
        ("2025-13", "'2025-13' is not a period (YYYY, YYYY-Qn or YYYY-MM)"),
        ("Q2", "'Q2' is not a period (YYYY, YYYY-Qn or YYYY-MM)"),
        ("0000", "'0000' is not a period (YYYY, YYYY-Qn or YYYY-MM)"),
    ],
)
def test_a_bad_period_is_refused_with_its_path(period: str, message: str) -> None:
    """`within` names the period and the bad value."""
    reporting = _report(_plan(TASK, cadence=Cadence("month")), [], "2025-06-01")
    with pytest.raises(PlanValidationError) as caught:
        reporting.within(period)
    assert caught.value.problems == [("period", message)]


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"by": "theme"}, ("by", "'theme' is not one of 'unit', 'leaf'")),
        ({"role": "boss"}, ("role", "'boss' is not one of 'lead', 'partner', 'any'")),
        ({"silent_after": 0}, ("silent_after", "0 is not a whole number of at least 1")),
        ({"silent_after": True}, ("silent_after", "True is not a whole number of at least 1")),
    ],
)
def test_bad_arguments_are_refused_with_their_path(
    options: dict[str, object], problem: tuple[str, str]
) -> None:
    """`by`, `role` and `silent_after` are checked."""
    with pytest.raises(PlanValidationError) as caught:
        _report(_plan(TASK, cadence=Cadence("month")), [], "2025-06-01", **options)
    assert caught.value.problems == [problem]


def test_a_plan_ending_in_year_9999_reports_its_last_quarter() -> None:
    """The last quarter of the calendar is named and bounded without overflow."""
    plan = Plan(
        "p",
        "P",
        start="9999-10-01",
        end="9999-12-31",
        reporting=Cadence("quarter"),
        measures=[Measure("m", 1, "M", tasks=[Task("a", "A", lead=["u"])])],
    )
    reporting = _report(plan, [], "9999-12-31")
    assert [(r.period, str(r.end)) for r in reporting.rows] == [("9999-Q4", "9999-12-31")]
