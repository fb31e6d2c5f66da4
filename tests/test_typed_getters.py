"""Tests of the plan's typed getters: plan.task(id), plan.target(id) and the others."""

from __future__ import annotations

import pickle
import subprocess
import sys
from typing import assert_type

import pytest

from beijing_plan import (
    ItemNotFoundError,
    Measure,
    Milestone,
    Plan,
    PlanError,
    Policy,
    Quantity,
    Target,
    Task,
    Theme,
)
from helpers import count

PLAN = Plan(
    "p",
    "P",
    start="2025-01-01",
    end="2025-12-31",
    themes=[Theme("econ", "Economy")],
    measures=[
        Measure(
            "m",
            1,
            "M",
            targets=[Target("fund", "F", "at_least", Quantity(600, "亿元"))],
            tasks=[
                Task(
                    "xiongan",
                    "X",
                    targets=[Target("xiongan-companies", "C", "at_least", count(60))],
                    milestones=[Milestone("opened", "O")],
                )
            ],
        )
    ],
    policies=[Policy("subsidy", "S", measures=["m"])],
)


def test_each_getter_returns_its_kind() -> None:
    """Each getter returns the item of its kind, typed as that kind."""
    target = assert_type(PLAN.target("xiongan-companies"), Target)
    assert target.value == count(60)
    assert assert_type(PLAN.target("fund"), Target).value == Quantity(600, "亿元")
    assert assert_type(PLAN.task("xiongan"), Task).targets == (target,)
    assert assert_type(PLAN.measure("m"), Measure).number == 1
    assert assert_type(PLAN.policy("subsidy"), Policy).measures == ("m",)
    assert assert_type(PLAN.milestone("opened"), Milestone).id == "opened"
    assert assert_type(PLAN.theme("econ"), Theme).title.get() == "Economy"


def test_value_of_a_target_type_checks() -> None:
    """`plan.target(id).value` is a Quantity to the type checker, as it is at run time."""
    value = assert_type(PLAN.target("xiongan-companies").value, Quantity)
    assert value.value == 60


def test_an_item_of_another_kind_is_refused_with_its_kind() -> None:
    """Asking for a target by a task's id names the id, the kind asked for and its kind."""
    with pytest.raises(ItemNotFoundError) as caught:
        PLAN.target("xiongan")
    error = caught.value
    assert str(error) == "'xiongan' is a task, not a target"
    assert (error.id, error.kind, error.actual) == ("xiongan", "target", "task")
    assert isinstance(error, KeyError)
    assert isinstance(error, PlanError)


@pytest.mark.parametrize(
    ("getter", "item_id", "message"),
    [
        ("task", "fund", "'fund' is a target, not a task"),
        ("measure", "xiongan", "'xiongan' is a task, not a measure"),
        ("policy", "m", "'m' is a measure, not a policy"),
        ("milestone", "subsidy", "'subsidy' is a policy, not a milestone"),
        ("theme", "opened", "'opened' is a milestone, not a theme"),
        ("target", "econ", "'econ' is a theme, not a target"),
    ],
)
def test_every_getter_names_the_kind_found(getter: str, item_id: str, message: str) -> None:
    """Every getter refuses an id of another kind, saying what the id is."""
    with pytest.raises(ItemNotFoundError) as caught:
        getattr(PLAN, getter)(item_id)
    assert str(caught.value) == message


def test_an_unknown_id_is_refused() -> None:
    """An id the plan lacks is refused as a KeyError that says so."""
    with pytest.raises(KeyError) as caught:
        PLAN.task("nowhere")
    assert isinstance(caught.value, ItemNotFoundError)
    assert str(caught.value) == "'nowhere' is not an id of the plan 'p'"
    assert caught.value.actual is None


def test_a_plans_own_id_is_not_an_item() -> None:
    """The plan's own id is not an item that a getter finds."""
    with pytest.raises(ItemNotFoundError, match="is not an id of the plan"):
        PLAN.measure("p")


def test_a_non_string_id_is_misuse() -> None:
    """An id that is not a string raises TypeError naming the argument and its type."""
    with pytest.raises(TypeError, match=r"^item_id must be a str, not list$"):
        PLAN.task(["xiongan"])  # type: ignore[arg-type]


def test_the_error_pickles() -> None:
    """The error survives pickling with its message and attributes, as every PlanError does."""
    with pytest.raises(ItemNotFoundError) as caught:
        PLAN.target("xiongan")
    back = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 (our own bytes)
    assert (str(back), back.id, back.kind, back.actual) == (
        "'xiongan' is a task, not a target",
        "xiongan",
        "target",
        "task",
    )


def test_getters_in_a_fresh_interpreter() -> None:
    """In a fresh interpreter a bundled plan's getter finds its target and refuses a task."""
    script = (
        "from beijing_plan import ItemNotFoundError, datasets\n"
        "plan = datasets.action_plan_2025()\n"
        "target = next(plan.targets())\n"
        "print(plan.target(target.id).value == target.value)\n"
        "task = next(plan.tasks())\n"
        "try:\n"
        "    plan.target(task.id)\n"
        "except ItemNotFoundError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "True"
    assert lines[1].endswith("is a task, not a target")
