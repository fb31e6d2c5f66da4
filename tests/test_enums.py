"""Tests of the enums of the model and the engine as strings."""

from __future__ import annotations

import enum
import json
import subprocess
import sys

import pytest

import beijing_plan
from beijing_plan import (
    Aggregation,
    Comparator,
    Ledger,
    Plan,
    Progress,
    Quantity,
    Status,
    StatusChange,
    Target,
    Task,
    Transition,
    assess,
    dumps,
    json_schema,
    loads,
)
from beijing_plan.frames import to_pandas
from helpers import one_measure_plan

ENUMS: tuple[type[enum.Enum], ...] = (Aggregation, Comparator, Progress, Status, Transition)
MEMBERS = [member for cls in ENUMS for member in cls]


@pytest.mark.parametrize("cls", ENUMS, ids=lambda cls: cls.__name__)
def test_every_enum_is_a_str_enum(cls: type[enum.Enum]) -> None:
    """Each public enum of the model and the engine is an enum.StrEnum."""
    assert issubclass(cls, enum.StrEnum)


@pytest.mark.parametrize("member", MEMBERS, ids=str)
def test_a_member_equals_its_value(member: enum.Enum) -> None:
    """A member compares equal to its value, and hashes as it, so a dict keyed by text finds it."""
    assert member == member.value
    assert member.value == member
    assert hash(member) == hash(member.value)
    assert {member.value: 1}[member] == 1
    assert {member: 1}[member.value] == 1


def equal(left: object, right: object) -> bool:
    """`left == right`, typed loosely: mypy holds a member and a string literal apart."""
    return left == right


def test_status_equals_done() -> None:
    """`Status.DONE == "done"` and `Progress.OFF_TRACK != "off"` as plain strings do."""
    assert equal(Status.DONE, "done")
    assert equal(Progress.OFF_TRACK, "off_track")
    assert not equal(Progress.OFF_TRACK, "OFF_TRACK")
    assert not equal(Comparator.AT_LEAST, Aggregation.LAST)


def test_every_public_enum_is_listed() -> None:
    """The enums tested here are every enum among the package's public names."""
    public = {
        value
        for value in (getattr(beijing_plan, name) for name in beijing_plan.__all__)
        if isinstance(value, type) and issubclass(value, enum.Enum)
    }
    assert public == set(ENUMS)


def test_a_result_status_compares_with_a_string() -> None:
    """`result.status == "done"` is True for a done result."""
    plan = one_measure_plan(Task("t", "T"))
    ledger = Ledger([StatusChange("t", "2025-03-01", "done")])
    result = assess(plan, ledger, as_of="2025-06-01")["t"]
    assert equal(result.status, "done")
    assert result.status is Progress.DONE


@pytest.mark.parametrize("member", MEMBERS, ids=str)
def test_a_member_shows_its_value(member: enum.Enum) -> None:
    """str(), format() and f-strings of a member give its value; repr names the member."""
    assert str(member) == member.value
    assert f"{member}" == member.value
    assert format(member, ">12") == f"{member.value:>12}"
    assert repr(member) == f"<{type(member).__name__}.{member.name}: {member.value!r}>"


def test_print_shows_the_value() -> None:
    """print(Progress.OFF_TRACK) prints off_track, in a fresh interpreter."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from beijing_plan import Progress, Status\n"
            "print(Progress.OFF_TRACK, Status.IN_PROGRESS)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout == "off_track in_progress\n"


def test_documents_still_hold_the_values() -> None:
    """The converter writes a member as its value and reads it back as the member."""
    target = Target("g", "G", "at_least", Quantity(3, "count"), aggregation="sum")
    data = json.loads(dumps(target))
    assert data["comparator"] == "at_least"
    assert data["aggregation"] == "sum"
    assert type(data["comparator"]) is str
    back = loads(dumps(target), Target)
    assert back.comparator is Comparator.AT_LEAST
    assert back.aggregation is Aggregation.SUM


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_every_format_writes_plain_values(fmt: str) -> None:
    """Plans and ledgers written in each format hold the values, and read back equal."""
    target = Target("x", "X", "at_least", Quantity(5, "count"), aggregation="sum")
    plan = one_measure_plan(Task("t", "T", targets=[target]))
    ledger = Ledger([StatusChange("t", "2025-03-01", Status.IN_PROGRESS)])
    text = dumps(plan, fmt)
    assert "at_least" in text
    assert "Comparator" not in text
    assert "Aggregation" not in text
    assert loads(text, Plan, fmt) == plan
    ledger_text = dumps(ledger, fmt)
    assert "in_progress" in ledger_text
    assert "Status" not in ledger_text
    assert loads(ledger_text, Ledger, fmt) == ledger


def test_frames_and_schema_hold_the_values() -> None:
    """DataFrames and the JSON Schema show the values, as before."""
    pytest.importorskip("pandas")
    plan = one_measure_plan(Task("t", "T"))
    ledger = Ledger([StatusChange("t", "2025-03-01", "done")])
    frame = to_pandas(assess(plan, ledger, as_of="2025-06-01"))
    assert set(frame["status"].astype(str)) == {"done"}
    schema = json.dumps(json_schema(Plan))
    assert '"at_least"' in schema
    assert "Comparator." not in schema
