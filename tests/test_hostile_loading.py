"""Tests of hostile documents: each is refused quickly, with its path, by our error only.

Deep and cyclic theme chains, integers beyond what every format holds, YAML
explicit tags, ids that look alike, dates outside the plan and ledgers with
problems of several kinds.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

import beijing_plan as bp
from beijing_plan import PlanValidationError
from beijing_plan._integrity import MAX_THEME_DEPTH

START = {"schema": "beijing-plan/1"}


def plan_document(**fields: Any) -> dict[str, Any]:
    """A valid plan document over 2025, with ``fields`` added or replaced."""
    return {
        **START,
        "id": "p",
        "title": "P",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "measures": [
            {"id": "m1", "number": 1, "title": "M", "tasks": [{"id": "t1", "title": "T"}]}
        ],
        **fields,
    }


def problems_of_text(
    text: str, fmt: str = "json", cls: type[Any] = bp.Plan
) -> list[tuple[str, str]]:
    """The problems of loading ``text`` as ``cls``."""
    with pytest.raises(PlanValidationError) as caught:
        bp.loads(text, cls, fmt)
    return caught.value.problems


def problems_of(document: dict[str, Any], cls: type[Any] = bp.Plan) -> list[tuple[str, str]]:
    """The problems of loading ``document`` (as JSON) as ``cls``."""
    return problems_of_text(json.dumps(document, ensure_ascii=False), "json", cls)


# -- theme chains -------------------------------------------------------------------------


def chained_themes(count: int) -> list[dict[str, str]]:
    """Themes ``th0`` to ``th{count-1}``, each the parent of the next."""
    themes = [{"id": f"th{i}", "title": f"Theme {i}", "parent": f"th{i - 1}"} for i in range(count)]
    del themes[0]["parent"]
    return themes


def cycle_of_themes(count: int) -> list[dict[str, str]]:
    """Themes ``th0`` to ``th{count-1}`` in a cycle: each is the child of the next."""
    return [
        {"id": f"th{i}", "title": f"Theme {i}", "parent": f"th{(i + 1) % count}"}
        for i in range(count)
    ]


def test_long_theme_chain_is_refused_quickly_at_the_first_theme_too_deep() -> None:
    """4,000 chained themes are checked in seconds, not minutes; the 65th level is refused."""
    text = json.dumps(plan_document(themes=chained_themes(4000)))
    began = time.perf_counter()
    problems = problems_of_text(text)
    elapsed = time.perf_counter() - began
    assert elapsed < 20  # was 90 s; the speed itself: benchmarks/bench_hostile.py
    assert problems == [
        (
            f"themes[{MAX_THEME_DEPTH}].parent",
            f"theme 'th{MAX_THEME_DEPTH}' would be {MAX_THEME_DEPTH + 1} levels deep; "
            f"themes nest at most {MAX_THEME_DEPTH} levels",
        )
    ]


def test_theme_chain_at_the_limit_is_accepted_and_reported() -> None:
    """64 chained themes load, roll up and display, each level under its parent."""
    document = plan_document(themes=chained_themes(MAX_THEME_DEPTH))
    document["measures"][0]["tasks"][0]["themes"] = [f"th{MAX_THEME_DEPTH - 1}"]
    plan = bp.loads(json.dumps(document))
    assert plan.theme_ancestors("th63") == tuple(f"th{i}" for i in range(62, -1, -1))
    ledger = bp.Ledger([bp.StatusChange("t1", "2025-03-01", "done")])
    by_theme = bp.assess(plan, ledger, as_of="2025-06-30").by_theme()
    assert [by_theme[f"th{i}"].completion for i in range(MAX_THEME_DEPTH)] == [1.0] * 64
    assert "th63" in str(plan) + plan._repr_html_()


def test_long_theme_cycle_is_named_once_in_a_short_message() -> None:
    """A 1,500-theme cycle gives one problem of a few hundred bytes, at its first theme."""
    problems = problems_of(plan_document(themes=cycle_of_themes(1500)))
    assert problems == [
        (
            "themes[0].parent",
            "theme 'th0' is its own ancestor "
            "(th0 -> th1 -> th2 -> th3 -> th4 -> ... 1495 more -> th0)",
        )
    ]


def test_short_theme_cycle_is_written_out_once() -> None:
    """A cycle of three themes is shown whole, at the theme that comes first in the plan."""
    themes = [
        {"id": "root", "title": "R"},
        {"id": "b", "title": "B", "parent": "c"},
        {"id": "a", "title": "A", "parent": "b"},
        {"id": "c", "title": "C", "parent": "a"},
        {"id": "d", "title": "D", "parent": "a"},
    ]
    assert problems_of(plan_document(themes=themes)) == [
        ("themes[1].parent", "theme 'b' is its own ancestor (b -> c -> a -> b)")
    ]


def test_drawn_themes_keep_within_the_depth_limit() -> None:
    """Drawn themes each under the one before start a new tree at the 65th level."""
    from beijing_plan.strategies._factories import _themes  # noqa: PLC0415 (what the strategies build with)

    plan = bp.Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        themes=_themes("", [(0, bp.Text(en="T"))] * 100),
    )
    assert [len(plan.theme_ancestors(f"th{i}")) for i in (1, 64, 65, 100)] == [0, 63, 0, 35]


# -- ids that look alike ------------------------------------------------------------------


def test_id_with_a_zero_width_space_is_refused_beside_its_twin() -> None:
    """``task-1`` and ``task-1`` + U+200B cannot sit side by side: the second is refused."""
    document = plan_document()
    tasks = [{"id": "task-1", "title": "T"}, {"id": "task-1\u200b", "title": "T"}]
    document["measures"][0]["tasks"] = tasks
    assert problems_of(document) == [
        (
            "measures[0].tasks[1].id",
            "'task-1\\u200b' holds the format character U+200B ZERO WIDTH SPACE (at index 6), "
            "which is invisible or reorders text",
        )
    ]


def test_id_with_a_direction_override_is_refused() -> None:
    """An id holding U+202E RIGHT-TO-LEFT OVERRIDE is refused when built, with its field."""
    with pytest.raises(PlanValidationError) as caught:
        bp.Task("abc\u202edef", "T")
    assert caught.value.problems == [
        (
            "id",
            "'abc\\u202edef' holds the format character U+202E RIGHT-TO-LEFT OVERRIDE "
            "(at index 3), which is invisible or reorders text",
        )
    ]


def test_id_not_in_nfc_is_refused_and_counted_as_a_duplicate() -> None:
    """The NFD form of an id is refused with its NFC form, and as a repeat of that id."""
    nfc, nfd = "caf\u00e9", "cafe\u0301"
    document = plan_document()
    document["measures"][0]["tasks"] = [{"id": nfc, "title": "T"}, {"id": nfd, "title": "T"}]
    assert problems_of(document) == [
        (
            "measures[0].tasks[1].id",
            f"{nfd!r} is not in Unicode normal form NFC; write it as {nfc!r} "
            "(4 characters, not 5): ids are compared exactly, so they are refused, not changed",
        ),
        ("measures[0].tasks[1].id", f"{nfd!r} is used again (first at measures[0].tasks[0].id)"),
    ]


def test_references_follow_the_same_rule_as_ids() -> None:
    """Theme parents, themes, a policy's measures and ledger items refuse format characters."""
    document = plan_document(
        themes=[{"id": "a", "title": "A"}, {"id": "b", "title": "B", "parent": "a\u200b"}],
        policies=[{"id": "po", "title": "P", "measures": ["m1\u2066"]}],
    )
    document["measures"][0]["tasks"][0]["themes"] = ["a\ufeff"]
    paths = [path for path, message in problems_of(document) if "format character" in message]
    assert paths == ["themes[1].parent", "measures[0].tasks[0].themes", "policies[0].measures[0]"]
    with pytest.raises(PlanValidationError) as caught:
        bp.StatusChange("t1\u200e", "2025-01-01", "done")
    assert [path for path, _ in caught.value.problems] == ["item"]


# -- integers -----------------------------------------------------------------------------

MAX_WHOLE = 2**53 - 1
TOO_BIG = f"is more than {MAX_WHOLE}, the largest whole number every format holds exactly"


def with_number(number: str) -> str:
    """A plan document in JSON whose measure number is written as ``number``."""
    text = json.dumps(plan_document())
    return text.replace('"number": 1', f'"number": {number}')


def test_measure_number_beyond_two_to_the_53_is_refused_at_load() -> None:
    """A measure number of 2**64, which orjson cannot write, is refused with its path."""
    assert problems_of_text(with_number(str(2**64))) == [
        ("measures[0].number", f"{2**64} {TOO_BIG}")
    ]


def test_declared_count_beyond_two_to_the_53_is_refused_at_load() -> None:
    """A declared count of 2**64 is refused with its path."""
    assert problems_of(plan_document(declared={"tasks": 2**64})) == [
        ("declared.tasks", f"{2**64} {TOO_BIG}")
    ]


def test_integers_beyond_two_to_the_53_are_refused_when_built() -> None:
    """The validators refuse the same integers when a model is built in Python."""
    with pytest.raises(PlanValidationError) as caught:
        bp.Measure("m", 2**53, "M")
    assert caught.value.problems == [("number", f"{2**53} {TOO_BIG}")]
    with pytest.raises(PlanValidationError) as caught:
        bp.Declared(policies=2**64)
    assert caught.value.problems == [("policies", f"{2**64} {TOO_BIG}")]


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_largest_whole_number_round_trips_in_every_format(fmt: str) -> None:
    """2**53 - 1 as a measure number and a declared count is written and read back unchanged."""
    built = bp.Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        measures=[bp.Measure("m", MAX_WHOLE, "M")],
        declared=bp.Declared(tasks=MAX_WHOLE),
    )
    text = bp.dumps(built, fmt)
    assert str(MAX_WHOLE) in text
    assert bp.loads(text, bp.Plan, fmt) == built


def test_integer_of_5000_digits_in_json_is_refused_with_its_path() -> None:
    """Python cannot read 5,000 digits as an int; the number is refused at its field, briefly."""
    problems = problems_of_text(with_number("7" * 5000))
    assert problems == [("measures[0].number", f"7.778e+4999 {TOO_BIG}")]


def test_long_integer_weight_and_value_in_json_are_refused_briefly() -> None:
    """A weight and a target value of 5,000 digits are refused at their paths in short messages."""
    document = plan_document()
    document["measures"][0]["tasks"][0]["weight"] = "W"
    document["measures"][0]["targets"] = [
        {
            "id": "g",
            "title": "G",
            "comparator": "at_least",
            "value": {"value": "V", "unit": "count"},
        }
    ]
    text = json.dumps(document).replace('"W"', "8" * 5000).replace('"V"', "9" * 5000)
    problems = problems_of_text(text)
    assert [path for path, _ in problems] == [
        "measures[0].tasks[0].weight",
        "measures[0].targets[0].value.value",
    ]
    assert all(len(message) < 200 for _, message in problems)


HEX = "0x" + "f" * 18 + "..."


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0x" + "f" * 16, f"{2**64 - 1} {TOO_BIG}"),
        ("7" * 5000, f"7.778e+4999 {TOO_BIG}"),
        (
            "0x" + "f" * 4000,
            f"{HEX} is a whole number of 16000 bits, larger than any field holds "
            "(line 9, column 11)",
        ),
        (
            "0x" + "f" * 5000,
            f"{HEX} is written with 5002 characters, larger than any field holds "
            "(line 9, column 11)",
        ),
        (
            "0" + "7" * 6000,
            f"{'0' + '7' * 19}... is written with 6001 characters, larger than any field holds "
            "(line 9, column 11)",
        ),
    ],
)
def test_long_integer_in_yaml_is_refused_with_its_path(number: str, message: str) -> None:
    """Long YAML integers, hexadecimal and octal ones too, are refused at their path."""
    text = bp.dumps(bp.loads(json.dumps(plan_document())), "yaml").replace(
        "number: 1", f"number: {number}"
    )
    assert problems_of_text(text, "yaml") == [("measures[0].number", message)]


def test_long_integer_in_toml_is_refused_with_its_line() -> None:
    """TOML's reader gives no path, so an integer of 5,000 digits is refused with its line."""
    text = bp.dumps(bp.loads(json.dumps(plan_document())), "toml")
    text = text.replace("number = 1", "number = " + "7" * 5000)
    line = text.splitlines().index("number = " + "7" * 5000) + 1
    problems = problems_of_text(text, "toml")
    assert problems == [
        (
            "",
            f"not valid TOML: the integer of 5000 digits at line {line}, column 10 "
            "is larger than any field holds",
        )
    ]


# -- YAML explicit tags -------------------------------------------------------------------

YAML_PLAN = """\
schema: beijing-plan/1
id: p
title: P
start: '2025-01-01'
end: '2025-12-31'
measures:
- id: m1
  number: {number}
  title: M
  tasks:
  - id: t1
    title: T
    weight: {weight}
    due: {due}
"""


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (
            {"due": "!!timestamp 2025-13-45"},
            (
                "measures[0].tasks[0].due",
                "'2025-13-45' is not a valid !!timestamp (line 14, column 10)",
            ),
        ),
        (
            {"number": "!!int abc"},
            ("measures[0].number", "'abc' is not a valid !!int (line 8, column 11)"),
        ),
        (
            {"weight": "!!float abc"},
            ("measures[0].tasks[0].weight", "'abc' is not a valid !!float (line 13, column 13)"),
        ),
        (
            {"weight": "!!int ''"},
            ("measures[0].tasks[0].weight", "'' is not a valid !!int (line 13, column 13)"),
        ),
    ],
)
def test_yaml_tag_that_cannot_be_constructed_is_refused_with_its_path(
    fields: dict[str, str], problem: tuple[str, str]
) -> None:
    """A tagged YAML value that is not what its tag says is refused at its path and line."""
    text = YAML_PLAN.format(**{"number": "1", "weight": "1", "due": "'2025-06-30'", **fields})
    assert problems_of_text(text, "yaml") == [problem]


def test_yaml_timestamp_tag_that_is_valid_loads_as_a_date() -> None:
    """A valid ``!!timestamp`` date is read as that date."""
    text = YAML_PLAN.format(number="1", weight="1", due="!!timestamp 2025-06-30")
    assert str(bp.loads(text, bp.Plan, "yaml")["t1"].due) == "2025-06-30"  # type: ignore[union-attr]


# -- dates outside the plan ---------------------------------------------------------------


def dated_plan(**task: Any) -> dict[str, Any]:
    """A plan document over 2025 whose task ``t1`` has ``task``'s fields added."""
    document = plan_document()
    document["measures"][0]["tasks"][0].update(task)
    return document


def test_task_due_before_the_plan_starts_is_refused() -> None:
    """A task due before the plan starts would start (with the plan) after its due date."""
    assert problems_of(dated_plan(due="2024-12-01")) == [
        (
            "measures[0].tasks[0].due",
            "due 2024-12-01 is before the task's start, 2025-01-01 (the plan's start)",
        )
    ]


def test_task_starting_after_the_plan_ends_is_refused() -> None:
    """A task starting after the plan ends, with no due date, would start after it is due."""
    assert problems_of(dated_plan(start="2026-02-01")) == [
        (
            "measures[0].tasks[0].start",
            "start 2026-02-01 is after the task's due date, 2025-12-31 (the plan's end)",
        )
    ]


def test_task_dates_outside_the_plan_are_refused_when_built() -> None:
    """Building the plan in Python refuses the same task, with its path."""
    with pytest.raises(PlanValidationError) as caught:
        bp.Plan(
            "p",
            "P",
            start="2025-01-01",
            end="2025-12-31",
            measures=[bp.Measure("m1", 1, "M", tasks=[bp.Task("t1", "T", due="2024-12-01")])],
        )
    assert [path for path, _ in caught.value.problems] == ["measures[0].tasks[0].due"]


def test_policy_milestone_and_target_due_before_they_start_are_refused() -> None:
    """A policy, milestone or target due before it starts (as the engine counts) is refused."""
    document = dated_plan(
        start="2025-03-01",
        milestones=[{"id": "ms", "title": "MS", "due": "2025-02-01"}],
        targets=[
            {
                "id": "g",
                "title": "G",
                "comparator": "at_least",
                "value": {"value": "5", "unit": "count"},
                "deadline": "2025-02-15",
            }
        ],
    )
    document["policies"] = [{"id": "po", "title": "P", "due": "2024-06-30"}]
    document["measures"][0]["targets"] = [
        {
            "id": "mg",
            "title": "G",
            "comparator": "at_least",
            "value": {"value": "5", "unit": "count"},
            "deadline": "2024-12-31",
        }
    ]
    assert problems_of(document) == [
        (
            "measures[0].tasks[0].targets[0].deadline",
            "deadline 2025-02-15 is before the target's start, 2025-03-01 (its task's start)",
        ),
        (
            "measures[0].tasks[0].milestones[0].due",
            "due 2025-02-01 is before the milestone's start, 2025-03-01 (its task's start)",
        ),
        (
            "measures[0].targets[0].deadline",
            "deadline 2024-12-31 is before the target's start, 2025-01-01 (the plan's start)",
        ),
        (
            "policies[0].due",
            "due 2024-06-30 is before the policy's start, 2025-01-01 (the plan's start)",
        ),
    ]


def test_dates_outside_the_plan_are_reported_with_other_problems() -> None:
    """A task due before the plan starts is listed beside an unrelated broken field."""
    document = dated_plan(due="2024-12-01")
    document["measures"][0]["number"] = "one"
    assert problems_of(document) == [
        ("measures[0].number", "'one' is not a whole number"),
        (
            "measures[0].tasks[0].due",
            "due 2024-12-01 is before the task's start, 2025-01-01 (the plan's start)",
        ),
    ]


# -- ledgers checked against a plan -------------------------------------------------------

TARGET = {
    "id": "g",
    "title": "G",
    "comparator": "at_least",
    "value": {"value": "5", "unit": "count"},
}
LEDGER = {
    **START,
    "records": [
        {"kind": "status", "item": "nope", "on": "2025-02-01", "status": "done"},
        {
            "kind": "observation",
            "target": "g",
            "on": "2025-02-01",
            "value": {"value": "5", "unit": "yuan"},
        },
        {
            "kind": "status",
            "item": "t1",
            "on": "2025-02-01",
            "status": "in_progress",
            "percent": 150,
        },
        {"kind": "status", "item": "ghost", "on": "2025-02-30", "status": "done"},
    ],
}
LEDGER_PROBLEMS = [
    ("records[0].item", "'nope' is not an id of the plan"),
    ("records[1].value", "unit 'yuan' does not measure count like the target's unit 'count'"),
    ("records[2].percent", "150.0 is not between 0 and 100"),
    ("records[3].on", "'2025-02-30' is not a date (YYYY-MM-DD)"),
    ("records[3].item", "'ghost' is not an id of the plan"),
]


def ledger_plan() -> bp.Plan:
    """The plan the ledger above is checked against: task ``t1`` and target ``g``."""
    document = plan_document()
    document["measures"][0]["targets"] = [TARGET]
    return bp.loads(json.dumps(document))


def test_loads_with_a_plan_lists_every_problem_of_a_ledger() -> None:
    """Structure, references, units and ranges of a ledger are all reported in one error."""
    with pytest.raises(PlanValidationError) as caught:
        bp.loads(json.dumps(LEDGER), bp.Ledger, plan=ledger_plan())
    assert caught.value.problems == LEDGER_PROBLEMS


def test_loads_with_a_plan_raises_unknown_reference_for_references_alone() -> None:
    """A ledger whose records are well formed but name unknown ids gives UnknownReferenceError."""
    records = [LEDGER["records"][0], LEDGER["records"][1]]
    with pytest.raises(bp.UnknownReferenceError) as caught:
        bp.loads(json.dumps({**START, "records": records}), bp.Ledger, plan=ledger_plan())
    assert caught.value.problems == LEDGER_PROBLEMS[:2]


def test_load_with_a_plan_lists_every_problem_of_a_ledger_file(tmp_path: Any) -> None:
    """load(path, Ledger, plan=...) reports the same problems as loads."""
    path = tmp_path / "progress.yaml"
    path.write_text(json.dumps(LEDGER), encoding="utf-8")
    with pytest.raises(PlanValidationError) as caught:
        bp.load(path, bp.Ledger, plan=ledger_plan())
    assert caught.value.problems == LEDGER_PROBLEMS


def test_validate_lists_every_problem_of_a_ledger_at_once(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """``validate LEDGER --plan PLAN`` prints every problem of the ledger in one pass."""
    from beijing_plan.cli import main  # noqa: PLC0415 (only these tests run the command)

    document = plan_document()
    document["measures"][0]["targets"] = [TARGET]
    (tmp_path / "plan.json").write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "ledger.json").write_text(json.dumps(LEDGER), encoding="utf-8")
    plan_path, ledger_path = tmp_path / "plan.json", tmp_path / "ledger.json"
    assert main(["validate", str(ledger_path), "--plan", str(plan_path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"{plan_path}: ok",
        *(f"{ledger_path}: {path}: {message}" for path, message in LEDGER_PROBLEMS),
    ]


def test_report_lists_every_problem_of_a_ledger_at_once(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """``report --plan PLAN --ledger LEDGER`` names every problem of the ledger in one error."""
    from beijing_plan.cli import main  # noqa: PLC0415 (only these tests run the command)

    document = plan_document()
    document["measures"][0]["targets"] = [TARGET]
    (tmp_path / "plan.json").write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "ledger.json").write_text(json.dumps(LEDGER), encoding="utf-8")
    argv = [
        "report",
        "--plan",
        str(tmp_path / "plan.json"),
        "--ledger",
        str(tmp_path / "ledger.json"),
    ]
    assert main([*argv, "--as-of", "2025-06-30"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"beijing-plan: error: {tmp_path / 'ledger.json'} is not a valid ledger (5 problems)",
        *(f"  {path}: {message}" for path, message in LEDGER_PROBLEMS),
    ]
