"""Bad cadences, roles and periods are refused with their paths, in files and fresh processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

import beijing_plan as bp

PLAN = {
    "schema": "beijing-plan/1",
    "id": "p",
    "title": "P",
    "start": "2025-01-01",
    "end": "2025-12-31",
    "measures": [
        {
            "id": "m",
            "number": 1,
            "title": "M",
            "tasks": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}],
        }
    ],
    "policies": [{"id": "pol", "title": "Pol"}],
}


def _with(path: tuple[object, ...], cadence: object) -> str:
    document = json.loads(json.dumps(PLAN))
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = cadence
    return json.dumps(document)


@pytest.mark.parametrize(
    ("path", "cadence", "problems"),
    [
        (
            ("measures", 0, "tasks", 1, "reporting"),
            {"every": "week"},
            [("measures[0].tasks[1].reporting.every", "'week' is not one of 'month', 'quarter'")],
        ),
        (
            ("measures", 0, "tasks", 0, "reporting"),
            {"every": "quarter", "due_days": -1},
            [("measures[0].tasks[0].reporting.due_days", "-1 is not between 0 and 366")],
        ),
        (
            ("policies", 0, "reporting"),
            {"every": "month", "due_days": 2.5},
            [("policies[0].reporting.due_days", "2.5 is not a whole number")],
        ),
        (
            ("reporting",),
            {"every": "year", "due_days": 367},
            [
                ("reporting.every", "'year' is not one of 'month', 'quarter'"),
                ("reporting.due_days", "367 is not between 0 and 366"),
            ],
        ),
    ],
)
def test_a_bad_cadence_in_a_document_is_named_with_its_path(
    path: tuple[object, ...], cadence: object, problems: list[tuple[str, str]]
) -> None:
    """`loads` lists each bad field of a cadence at its full path."""
    with pytest.raises(bp.PlanValidationError) as caught:
        bp.loads(_with(path, cadence), bp.Plan)
    assert caught.value.problems == problems


def test_a_good_cadence_reads_and_writes_back() -> None:
    """A task's quarter cadence with due days survives a round trip."""
    text = _with(("measures", 0, "tasks", 1, "reporting"), {"every": "quarter", "due_days": 10})
    plan = bp.loads(text, bp.Plan)
    assert plan["b"].reporting == bp.Cadence("quarter", due_days=10)  # type: ignore[union-attr]
    assert bp.loads(bp.dumps(plan), bp.Plan) == plan


def test_bad_input_in_a_fresh_interpreter_raises_only_our_error() -> None:
    """A bad cadence, role and period each raise PlanValidationError with the path."""
    code = textwrap.dedent(
        f"""
        import json
        import beijing_plan as bp
        text = {_with(("measures", 0, "tasks", 1, "reporting"), {"every": "day"})!r}
        try:
            bp.loads(text, bp.Plan)
        except bp.PlanValidationError as error:
            print(error.problems)
        plan = bp.loads({json.dumps(PLAN)!r}, bp.Plan)
        assessment = bp.assess(plan, as_of="2025-06-30")
        for call in (
            lambda: assessment.by_unit(role="head"),
            lambda: assessment.reporting(role="head"),
            lambda: assessment.reporting().within("2025-Q0"),
        ):
            try:
                call()
            except bp.PlanValidationError as error:
                print(error.problems)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "[('measures[0].tasks[1].reporting.every', \"'day' is not one of 'month', 'quarter'\")]",
        "[('role', \"'head' is not one of 'lead', 'partner', 'any'\")]",
        "[('role', \"'head' is not one of 'lead', 'partner', 'any'\")]",
        "[('period', \"'2025-Q0' is not a period (YYYY, YYYY-Qn or YYYY-MM)\")]",
    ]
