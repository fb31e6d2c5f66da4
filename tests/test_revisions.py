"""Revisions of the plan (DESIGN section 12): hand-computed figures at a date."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from beijing_plan import (
    Ledger,
    Observation,
    PlanValidationError,
    Progress,
    Quantity,
    Revision,
    Rules,
    StatusChange,
    Target,
    Task,
    Withdrawal,
    assess,
    loads,
    save,
)
from beijing_plan.ledger import Record
from beijing_plan.model import Milestone, Plan
from helpers import count, one_measure_plan

# Task "a" runs from 2025-01-01 to 2025-06-30: 180 days.
A = Task("a", "A", start="2025-01-01", due="2025-06-30")
HALF = StatusChange("a", "2025-03-01", "in_progress", percent=50)
EXTENDED = Revision(
    "a",
    "2025-05-20",
    due="2025-12-31",
    reason="site handed over late",
    approved_by=("Municipal Office",),
)


def plan_of(*tasks: Task, targets: tuple[Target, ...] = ()) -> Plan:
    return one_measure_plan(*tasks, targets=targets)


def test_a_revision_after_as_of_does_not_apply_yet() -> None:
    """Before its day a revision changes nothing: 138 of 180 days gone, SPI 0.5 / 0.7667."""
    result = assess(plan_of(A), [HALF, EXTENDED], as_of="2025-05-19")["a"]
    assert str(result.due) == "2025-06-30"
    assert result.expected == pytest.approx(138 / 180)
    assert result.spi == pytest.approx(0.5 / (138 / 180))
    assert result.status is Progress.AT_RISK


def test_a_revision_before_as_of_moves_the_due_date() -> None:
    """From its day the extension holds: 211 of 364 days gone, at risk rather than overdue."""
    result = assess(plan_of(A), [HALF, EXTENDED], as_of="2025-07-31")["a"]
    assert str(result.due) == "2025-12-31"
    assert str(result.original_due) == "2025-06-30"
    assert result.expected == pytest.approx(211 / 364)
    assert result.spi == pytest.approx(0.5 * 364 / 211)
    assert result.status is Progress.AT_RISK
    assert result.late_against_original is True


def test_basis_original_ignores_revisions() -> None:
    """With `basis="original"` the task is overdue against its first due date."""
    rules = Rules(basis="original")
    result = assess(plan_of(A), [HALF, EXTENDED], as_of="2025-07-31", rules=rules)["a"]
    assert str(result.due) == "2025-06-30"
    assert str(result.original_due) == "2025-06-30"
    assert result.expected == 1.0
    assert result.status is Progress.OVERDUE


def test_a_wrong_basis_is_refused() -> None:
    """`basis` takes only "revised" or "original", like the other rule options."""
    with pytest.raises(PlanValidationError) as caught:
        Rules(basis="latest")
    assert caught.value.problems == [("basis", "'latest' is not one of 'revised', 'original'")]


def test_two_revisions_of_different_fields_both_hold() -> None:
    """A later start and a later due date together: 92 of 213 days from 2025-03-01."""
    ledger: list[Record] = [
        HALF,
        Revision("a", "2025-02-15", start="2025-03-01"),
        Revision("a", "2025-04-01", due="2025-09-30"),
    ]
    result = assess(plan_of(A), ledger, as_of="2025-06-01")["a"]
    assert str(result.due) == "2025-09-30"
    assert result.expected == pytest.approx(92 / 213)


def test_the_later_revision_of_a_field_wins() -> None:
    """Of two revisions of one field, the later date wins; on one day, the later record."""
    ledger: list[Record] = [
        Revision("a", "2025-04-01", due="2025-10-31"),
        Revision("a", "2025-04-01", due="2025-11-30"),
        Revision("a", "2025-03-01", due="2025-12-31"),
    ]
    assert str(assess(plan_of(A), ledger, as_of="2025-05-01")["a"].due) == "2025-11-30"
    assert str(assess(plan_of(A), ledger, as_of="2025-03-15")["a"].due) == "2025-12-31"


def test_a_revised_target_value_changes_attainment() -> None:
    """45 of a target lowered from 60 to 50 attains 0.9 instead of 0.75."""
    target = Target("t", "Firms", "at_least", count(60))
    ledger: list[Record] = [
        Observation("t", "2025-04-15", count(45)),
        Revision("t", "2025-05-01", value=count(50)),
    ]
    plan = plan_of(targets=(target,))
    assert assess(plan, ledger, as_of="2025-07-01")["t"].completion == pytest.approx(0.9)
    assert assess(plan, ledger, as_of="2025-04-30")["t"].completion == pytest.approx(0.75)
    original = assess(plan, ledger, as_of="2025-07-01", rules=Rules(basis="original"))
    assert original["t"].completion == pytest.approx(0.75)


def test_a_revised_between_target_widens_its_band() -> None:
    """25 is outside [10, 20] (0) and inside [10, 30] once the upper bound is raised (1)."""
    target = Target("t", "Share", "between", count(10), upper=count(20))
    ledger: list[Record] = [
        Observation("t", "2025-06-30", count(25)),
        Revision("t", "2025-07-15", upper=count(30), reason="new capacity"),
    ]
    plan = plan_of(targets=(target,))
    assert assess(plan, ledger, as_of="2025-07-14")["t"].completion == 0.0
    revised = assess(plan, ledger, as_of="2025-07-15")["t"]
    assert revised.completion == 1.0
    assert revised.ratio == 1.0
    assert "1 if T <= c <= U else 0, c = 25, T = 10, U = 30" in revised.explain()


def test_a_revised_value_in_another_unit_counts_in_the_target_unit() -> None:
    """A goal lowered to 5 亿元 from 60000 万元 is 50000 万元: 40000 attains 0.8."""
    target = Target("t", "Funds", "at_least", Quantity(60000, "wan_yuan"))
    ledger: list[Record] = [
        Observation("t", "2025-06-30", Quantity(40000, "wan_yuan")),
        Revision("t", "2025-05-01", value=Quantity(5, "yi_yuan")),
    ]
    result = assess(plan_of(targets=(target,)), ledger, as_of="2025-07-01")["t"]
    assert result.completion == pytest.approx(0.8)
    assert result.current == Quantity(40000, "wan_yuan")


def test_a_task_done_after_its_original_date_was_late_against_it() -> None:
    """Done on 2025-08-15 under a due date extended to 2025-12-31: done, but late against 06-30."""
    ledger: list[Record] = [EXTENDED, StatusChange("a", "2025-08-15", "done")]
    result = assess(plan_of(A), ledger, as_of="2025-09-01")["a"]
    assert result.status is Progress.DONE
    assert result.late_against_original is True
    on_time: list[Record] = [EXTENDED, StatusChange("a", "2025-06-15", "done")]
    assert assess(plan_of(A), on_time, as_of="2025-09-01")["a"].late_against_original is False


def test_late_against_original_waits_for_the_original_date() -> None:
    """On its original due day nothing is late yet; the day after, an unfinished task is."""
    ledger: list[Record] = [HALF, EXTENDED]
    assert assess(plan_of(A), ledger, as_of="2025-06-30")["a"].late_against_original is False
    assert assess(plan_of(A), ledger, as_of="2025-07-01")["a"].late_against_original is True


def test_late_against_original_without_a_revision_is_done_late() -> None:
    """With no revision the flag says a task was finished after its due date."""
    ledger: list[Record] = [StatusChange("a", "2025-07-10", "done")]
    result = assess(plan_of(A), ledger, as_of="2025-08-01")["a"]
    assert result.status is Progress.DONE
    assert result.late_against_original is True


def test_late_against_original_reads_the_parts_on_the_original_day() -> None:
    """A task whose only milestone was done on 06-20 was done by 06-30; one done 07-05 was not."""
    task = Task("a", "A", due="2025-06-30", milestones=[Milestone("ms", "Step")])
    early: list[Record] = [StatusChange("ms", "2025-06-20", "done")]
    late: list[Record] = [StatusChange("ms", "2025-07-05", "done")]
    plan = plan_of(task)
    assert assess(plan, early, as_of="2025-08-01")["a"].late_against_original is False
    assert assess(plan, late, as_of="2025-08-01")["a"].late_against_original is True
    assert assess(plan, late, as_of="2025-08-01")["ms"].late_against_original is True


def test_groups_carry_due_dates_but_no_late_flag() -> None:
    """A measure's due date in force is its leaves' latest, its original due the planned one."""
    b = Task("b", "B", due="2025-03-31")
    assessment = assess(plan_of(A, b), [EXTENDED], as_of="2025-07-01")
    measure = assessment["m"]
    assert str(measure.due) == "2025-12-31"
    assert str(measure.original_due) == "2025-06-30"
    assert measure.late_against_original is None
    assert assessment.overall.late_against_original is None


def test_a_cancelled_task_is_never_late() -> None:
    """Cancellation takes a task out of every roll-up, and out of lateness."""
    ledger: list[Record] = [StatusChange("a", "2025-05-01", "cancelled")]
    assert assess(plan_of(A), ledger, as_of="2025-08-01")["a"].late_against_original is False


def test_a_weight_revision_changes_the_roll_up() -> None:
    """b's weight raised to 3: (1 x 1 + 3 x 0) / 4 = 0.25 instead of 0.5."""
    b = Task("b", "B")
    ledger: list[Record] = [
        StatusChange("a", "2025-02-01", "done"),
        StatusChange("b", "2025-02-01", "not_started"),
        Revision("b", "2025-03-01", weight=3),
    ]
    before = assess(plan_of(A, b), ledger, as_of="2025-02-15")
    after = assess(plan_of(A, b), ledger, as_of="2025-03-01")
    assert before.overall.completion == pytest.approx(0.5)
    assert after.overall.completion == pytest.approx(0.25)
    assert after["b"].weight == 3.0
    assert after.overall.weight == 4.0


def test_a_revision_superseded_by_a_correction_does_not_count() -> None:
    """A correction of an extension (section 10) replaces it, once it is known."""
    first = Revision("a", "2025-05-20", due="2025-12-31", id="ext")
    fixed = Revision(
        "a",
        "2025-05-20",
        due="2025-09-30",
        recorded="2025-06-10",
        supersedes="ext",
        reason="approved for three months only",
    )
    ledger = Ledger([first, fixed])
    assert str(assess(plan_of(A), ledger, as_of="2025-07-31")["a"].due) == "2025-09-30"
    then = assess(plan_of(A), ledger, as_of="2025-07-31", known_at="2025-06-01")
    assert str(then["a"].due) == "2025-12-31"


def test_a_revision_recorded_after_known_at_does_not_count() -> None:
    """Entered on 06-10, an extension dated 05-20 is unknown to the report of 06-01."""
    late = Revision("a", "2025-05-20", due="2025-12-31", recorded="2025-06-10")
    then = assess(plan_of(A), [HALF, late], as_of="2025-07-31", known_at="2025-06-01")["a"]
    assert str(then.due) == "2025-06-30"
    assert then.status is Progress.OVERDUE
    now = assess(plan_of(A), [HALF, late], as_of="2025-07-31", known_at="2025-06-10")["a"]
    assert str(now.due) == "2025-12-31"


def test_a_revised_target_deadline_moves_its_window() -> None:
    """A target's `due` (its deadline) extended to 2025-12-31: 30 of 60 is at risk, not overdue."""
    target = Target("t", "Firms", "at_least", count(60), deadline="2025-06-30")
    ledger: list[Record] = [
        Observation("t", "2025-06-30", count(30)),
        Revision("t", "2025-06-01", due="2025-12-31"),
    ]
    result = assess(plan_of(targets=(target,)), ledger, as_of="2025-07-31")["t"]
    assert str(result.due) == "2025-12-31"
    assert result.expected == pytest.approx(211 / 364)
    assert result.spi == pytest.approx(0.5 * 364 / 211)
    assert result.status is Progress.AT_RISK


def test_the_explanation_names_each_revision_in_force() -> None:
    """In English and Chinese: the new date, the old one, the day, the reason and who approved."""
    result = assess(plan_of(A), [HALF, EXTENDED], as_of="2025-07-31")["a"]
    assert (
        "Revised: due 2025-12-31, extended from 2025-06-30 on 2025-05-20: "
        "site handed over late; approved by Municipal Office"
    ) in result.explain().splitlines()
    assert (
        "调整：截止日期由 2025-06-30 延期至 2025-12-31，2025-05-20 起生效："  # noqa: RUF001
        "site handed over late；批准：Municipal Office"  # noqa: RUF001
    ) in result.explain("zh").splitlines()
    assert "Expected: linear from 2025-01-01 to 2025-12-31: 211 / 364 days = 0.5797" in (
        result.explain()
    )


def test_the_explanation_lists_chained_revisions_from_their_own_old_values() -> None:
    """A second revision is shown against the first's value, not the plan's."""
    ledger: list[Record] = [
        Revision("a", "2025-05-20", due="2025-09-30", weight=2),
        Revision("a", "2025-09-01", due="2025-08-31", approved_by=("X", "Y")),
    ]
    lines = assess(plan_of(A), ledger, as_of="2025-09-15")["a"].explain().splitlines()
    assert (
        "Revised: due 2025-09-30, extended from 2025-06-30 and weight 2, changed from 1 "
        "on 2025-05-20"
    ) in lines
    assert (
        "Revised: due 2025-08-31, brought forward from 2025-09-30 on 2025-09-01; approved by X, Y"
        in (lines)
    )


def test_the_explanation_under_basis_original_says_revisions_are_ignored() -> None:
    """With `basis="original"` the explanation counts the revisions it ignored."""
    rules = Rules(basis="original")
    text = assess(plan_of(A), [EXTENDED], as_of="2025-07-31", rules=rules)["a"].explain()
    assert "Revisions: 1 up to the date, ignored (basis='original')" in text.splitlines()


# -- bad input ------------------------------------------------------------------------------


def problems_of(plan: Plan, *records: Record) -> list[tuple[str, str]]:
    with pytest.raises(PlanValidationError) as caught:
        assess(plan, list(records), as_of="2025-07-01")
    return caught.value.problems


def test_a_value_on_a_task_is_refused_with_its_path() -> None:
    """A task has no value to revise."""
    assert problems_of(plan_of(A), Revision("a", "2025-05-01", value=count(5))) == [
        ("records[0].value", "a task has no value to revise")
    ]


def test_a_unit_of_another_dimension_is_refused() -> None:
    """A count target cannot be revised to an amount of money."""
    target = Target("t", "Firms", "at_least", count(60))
    revision = Revision("t", "2025-05-01", value=Quantity(5, "yuan"))
    assert problems_of(plan_of(targets=(target,)), revision) == [
        ("records[0].value", "unit 'yuan' does not measure count like the target's unit 'count'")
    ]


def test_upper_below_value_is_refused() -> None:
    """Raising a band's lower bound above its upper one is refused on the value."""
    target = Target("t", "Share", "between", count(10), upper=count(20))
    revision = Revision("t", "2025-05-01", value=count(25))
    assert problems_of(plan_of(targets=(target,)), revision) == [
        ("records[0].value", "upper 20 would be below value 25")
    ]


def test_start_after_due_is_refused() -> None:
    """A start moved past the due date in force is refused on the start."""
    assert problems_of(plan_of(A), Revision("a", "2025-05-01", start="2025-08-01")) == [
        ("records[0].start", "start 2025-08-01 would be after due 2025-06-30")
    ]


def test_upper_on_a_target_that_is_not_between_is_refused() -> None:
    """Only a between target has an upper bound to revise."""
    target = Target("t", "Firms", "at_least", count(60))
    revision = Revision("t", "2025-05-01", upper=count(70))
    assert problems_of(plan_of(targets=(target,)), revision) == [
        ("records[0].upper", "target 't' is at_least; only a between target has an upper bound")
    ]


def test_a_revision_of_a_measure_is_refused() -> None:
    """Measures and themes are not revised; their leaves are."""
    assert problems_of(plan_of(A), Revision("m", "2025-05-01", weight=2)) == [
        (
            "records[0].item",
            "'m' is a Measure; revisions are for tasks, policies, milestones and targets",
        )
    ]


def test_what_counts_is_checked_even_where_the_whole_ledger_fits() -> None:
    """Once the extension is withdrawn, the later start no longer fits: refused with its path."""
    ledger: list[Record] = [
        Revision("a", "2025-04-01", due="2025-12-31", id="ext"),
        Revision("a", "2025-05-01", start="2025-08-01"),
        Withdrawal("ext", "2025-05-15", reason="not approved"),
    ]
    assert problems_of(plan_of(A), *ledger) == [
        ("records[1].start", "start 2025-08-01 would be after due 2025-06-30")
    ]


# -- bad input in files ---------------------------------------------------------------------

BAD_RECORDS = [
    {"kind": "revision", "item": "a", "on": "2025-05-01", "value": {"value": "5", "unit": "count"}},
    {"kind": "revision", "item": "t", "on": "2025-05-01", "value": {"value": "5", "unit": "yuan"}},
    {
        "kind": "revision",
        "item": "b",
        "on": "2025-05-01",
        "value": {"value": "25", "unit": "count"},
    },
    {"kind": "revision", "item": "a", "on": "2025-05-02", "start": "2025-08-01"},
    {"kind": "revision", "item": "t", "on": "2025-05-03", "upper": {"value": "9", "unit": "count"}},
    {"kind": "revision", "item": "m", "on": "2025-05-01", "weight": 2},
]
# Reference problems first, then the misfits of each item in turn.
BAD_LINES = [
    "records[5].item: 'm' is a Measure; revisions are for tasks, policies, milestones and targets",
    "records[0].value: a task has no value to revise",
    "records[3].start: start 2025-08-01 would be after due 2025-06-30",
    "records[1].value: unit 'yuan' does not measure count like the target's unit 'count'",
    "records[4].upper: target 't' is at_least; only a between target has an upper bound",
    "records[2].value: upper 20 would be below value 25",
]
FILE_PLAN = plan_of(
    A,
    targets=(
        Target("t", "Firms", "at_least", count(60)),
        Target("b", "Band", "between", count(10), upper=count(20)),
    ),
)


def test_loads_with_a_plan_refuses_revisions_that_do_not_fit() -> None:
    """`loads(..., plan=)` lists each misfit revision with its path."""
    text = json.dumps({"schema": "beijing-plan/1", "records": BAD_RECORDS})
    with pytest.raises(PlanValidationError) as caught:
        loads(text, Ledger, plan=FILE_PLAN)
    assert [f"{path}: {message}" for path, message in caught.value.problems] == BAD_LINES


def test_validate_with_a_plan_refuses_revisions_in_a_fresh_process(tmp_path: Path) -> None:
    """`validate LEDGER --plan PLAN` in a fresh process prints each misfit, with no traceback."""
    save(FILE_PLAN, tmp_path / "plan.json")
    text = json.dumps({"schema": "beijing-plan/1", "records": BAD_RECORDS})
    (tmp_path / "ledger.json").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "beijing_plan", "validate", "ledger.json", "--plan", "plan.json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == ["plan.json: ok", *(f"ledger.json: {x}" for x in BAD_LINES)]
    assert "Traceback" not in done.stderr


def test_a_target_is_late_against_its_original_deadline_by_what_it_attained_then() -> None:
    """45 of 60 by 06-30 was not met (late); with the goal lowered to 45 before then, it was."""
    target = Target("t", "Firms", "at_least", count(60), deadline="2025-06-30")
    observed = Observation("t", "2025-06-15", count(45))
    extended = Revision("t", "2025-06-01", due="2025-12-31")
    plan = plan_of(targets=(target,))
    late = assess(plan, [observed, extended], as_of="2025-08-01")["t"]
    assert late.late_against_original is True
    assert late.expected == pytest.approx(212 / 364)  # on track: 0.75 / 0.5824 = 1.29
    assert late.status is Progress.ON_TRACK
    lowered = Revision("t", "2025-06-01", value=count(45))
    met = assess(plan, [observed, lowered], as_of="2025-08-01")["t"]
    assert met.late_against_original is False
    assert met.status is Progress.DONE
