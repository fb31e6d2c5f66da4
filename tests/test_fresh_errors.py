"""Tests of error paths in a fresh interpreter, one that has loaded nothing before.

The converter builds its hooks lazily, and the fast converter resolves the
annotations of the classes it visits. An error path that only works once some
other document was loaded would pass in a long test session and fail for a
user's first file, so each case here runs in its own ``python -c``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BAD_DATE = "'2025-13-01' is not a date (YYYY-MM-DD)"
START = {"schema": "beijing-plan/1"}

# Loads one document into one class and prints the problems as JSON, or the
# name of whatever else was raised.
LOADER = """
import json, sys
import beijing_plan as bp
try:
    bp.loads(sys.argv[2], getattr(bp, sys.argv[1]), sys.argv[3])
except bp.PlanValidationError as error:
    print(json.dumps(error.problems))
except BaseException as error:
    print("raised " + type(error).__name__ + ": " + str(error))
else:
    print("loaded")
"""


def env() -> dict[str, str]:
    """This environment without colour settings."""
    return {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}


def fresh_problems(cls: str, document: dict[str, Any], fmt: str = "json") -> list[list[str]]:
    """The problems of loading ``document`` as ``cls`` in a fresh interpreter."""
    if fmt == "json":
        text = json.dumps(document)
    else:
        import yaml  # noqa: PLC0415 (only this helper writes YAML)

        text = yaml.safe_dump(document, allow_unicode=True)
    done = subprocess.run(
        [sys.executable, "-c", LOADER, cls, text, fmt],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env(),
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith("["), line
    problems: list[list[str]] = json.loads(line)
    return problems


def quantity(value: str = "5", unit: str = "count") -> dict[str, str]:
    """A quantity document."""
    return {"value": value, "unit": unit}


def target(**fields: Any) -> dict[str, Any]:
    """A target document, ``at_least 5 count`` unless ``fields`` say otherwise."""
    return {"id": "g", "title": "G", "comparator": "at_least", "value": quantity(), **fields}


def plan(**fields: Any) -> dict[str, Any]:
    """A plan document over 2025 whose task ``t1`` has a due date that is no date."""
    bad_task = {"id": "t1", "title": "T", "due": "2025-13-01"}
    return {
        **START,
        "id": "p",
        "title": "P",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "measures": [{"id": "m1", "number": 1, "title": "M", "tasks": [bad_task]}],
        **fields,
    }


BASELINE = {"value": quantity("1"), "on": "2024-12-31"}
TASK_DUE = "measures[0].tasks[0].due"

# (class, document, a problem it must report), each with optional fields given.
CASES: dict[str, tuple[str, dict[str, Any], tuple[str, str]]] = {
    "plan with declared counts": ("Plan", plan(declared={"measures": 27}), (TASK_DUE, BAD_DATE)),
    "plan with a baseline": (
        "Plan",
        {
            **plan(),
            "measures": [
                {
                    "id": "m1",
                    "number": 1,
                    "title": "M",
                    "targets": [target(baseline=BASELINE, upper=None)],
                    "tasks": [{"id": "t1", "title": "T", "due": "2025-13-01"}],
                }
            ],
        },
        (TASK_DUE, BAD_DATE),
    ),
    "plan with a bad declared count": (
        "Plan",
        {**plan(), "declared": {"tasks": "many", "measures": 27}},
        ("declared.tasks", "'many' is not a whole number"),
    ),
    "plan with a bad baseline": (
        "Plan",
        {
            **plan(),
            "measures": [
                {
                    "id": "m1",
                    "number": 1,
                    "title": "M",
                    "targets": [target(baseline={"value": quantity("1"), "on": "2024-02-30"})],
                }
            ],
        },
        ("measures[0].targets[0].baseline.on", "'2024-02-30' is not a date (YYYY-MM-DD)"),
    ),
    "plan with nested themes and sources": (
        "Plan",
        plan(
            themes=[{"id": "a", "title": "A"}, {"id": "b", "title": "B", "parent": "a"}],
            sources=[{"title": "S", "url": "https://example.org", "published": "2025-01-01"}],
            issuer="X",
            published="2025-01-01",
            policies=[{"id": "po", "title": "P", "issuer": "X", "due": "2025-05-01"}],
        ),
        (TASK_DUE, BAD_DATE),
    ),
    "declared": (
        "Declared",
        {**START, "measures": 1, "tasks": "many"},
        ("tasks", "'many' is not a whole number"),
    ),
    "baseline": ("Baseline", {**START, "value": quantity(), "on": "2025-13-01"}, ("on", BAD_DATE)),
    "target with a baseline": (
        "Target",
        {**START, **target(baseline=BASELINE, deadline="2025-13-01")},
        ("deadline", BAD_DATE),
    ),
    "target with a bad baseline": (
        "Target",
        {**START, **target(baseline={"value": quantity(), "on": "2025-13-01"})},
        ("baseline.on", BAD_DATE),
    ),
    "target between": (
        "Target",
        {**START, **target(comparator="between", upper=quantity("9"), weight="heavy")},
        ("weight", "'heavy' is not a number"),
    ),
    "theme": (
        "Theme",
        {**START, "id": "a", "title": "A", "parent": 5},
        ("parent", "5 is not a string"),
    ),
    "milestone": (
        "Milestone",
        {**START, "id": "ms", "title": "M", "due": "2025-13-01"},
        ("due", BAD_DATE),
    ),
    "task": (
        "Task",
        {**START, "id": "t", "title": "T", "start": "2025-01-01", "due": "2025-13-01"},
        ("due", BAD_DATE),
    ),
    "measure": (
        "Measure",
        {
            **START,
            "id": "m",
            "number": 1,
            "title": "M",
            "targets": [target(baseline=BASELINE, deadline=3)],
        },
        ("targets[0].deadline", "3 is not a date (YYYY-MM-DD)"),
    ),
    "policy": (
        "Policy",
        {**START, "id": "p", "title": "P", "issuer": "X", "due": "2025-13-01"},
        ("due", BAD_DATE),
    ),
    "source": (
        "Source",
        {**START, "title": "S", "url": "https://example.org", "published": "2025-13-01"},
        ("published", BAD_DATE),
    ),
    "trajectory point": (
        "TrajectoryPoint",
        {**START, "on": "2025-13-01", "fraction": 0.5},
        ("on", BAD_DATE),
    ),
    "observation": (
        "Observation",
        {
            **START,
            "kind": "observation",
            "target": "g",
            "on": "2025-13-01",
            "value": quantity(),
            "note": "n",
        },
        ("on", BAD_DATE),
    ),
    "status change": (
        "StatusChange",
        {
            **START,
            "kind": "status",
            "item": "t",
            "on": "2025-13-01",
            "status": "done",
            "percent": 5,
        },
        ("on", BAD_DATE),
    ),
    "ledger": (
        "Ledger",
        {
            **START,
            "records": [
                {
                    "kind": "status",
                    "item": "t",
                    "on": "2025-01-01",
                    "status": "done",
                    "percent": 5,
                    "source": {"title": "S", "url": "u", "published": "2025-01-01"},
                    "note": "n",
                },
                {"kind": "status", "item": "t", "on": "2025-13-01", "status": "done"},
            ],
        },
        ("records[1].on", BAD_DATE),
    ),
    "quantity": ("Quantity", {**START, "value": "5", "unit": 7}, ("unit", "7 is not a string")),
    "text": ("Text", {**START, "zh": 7}, ("zh", "7 is not a string")),
}


@pytest.mark.parametrize("case", CASES)
def test_first_document_reports_its_problems_with_paths(case: str) -> None:
    """A broken document loaded first in a fresh interpreter gives every problem with its path."""
    cls, document, problem = CASES[case]
    assert problem in [tuple(p) for p in fresh_problems(cls, document)]


@pytest.mark.parametrize("case", ["plan with declared counts", "plan with a baseline"])
def test_first_yaml_document_reports_its_problems_with_paths(case: str) -> None:
    """The same holds for a YAML document, read by another parser."""
    cls, document, problem = CASES[case]
    assert problem in [tuple(p) for p in fresh_problems(cls, document, "yaml")]


def run_command(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m beijing_plan`` in a fresh interpreter in ``tmp_path``."""
    return subprocess.run(
        [sys.executable, "-m", "beijing_plan", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=env(),
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("case", ["plan with declared counts", "plan with a baseline"])
def test_validate_names_the_problem_without_a_traceback(case: str, tmp_path: Path) -> None:
    """``validate`` of such a plan, first thing in its process, prints one line per problem."""
    (tmp_path / "plan.json").write_text(json.dumps(CASES[case][1]), encoding="utf-8")
    done = run_command(tmp_path, "validate", "plan.json")
    assert done.returncode == 1
    assert done.stdout == f"plan.json: {TASK_DUE}: {BAD_DATE}\n"
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("case", ["plan with declared counts", "plan with a baseline"])
def test_report_names_the_problem_without_a_traceback(case: str, tmp_path: Path) -> None:
    """``report --plan`` of such a plan fails with the problem and its path, no traceback."""
    (tmp_path / "plan.yaml").write_text(json.dumps(CASES[case][1]), encoding="utf-8")
    done = run_command(tmp_path, "report", "--plan", "plan.yaml", "--as-of", "2025-06-30")
    assert done.returncode == 1
    assert done.stderr == (
        "beijing-plan: error: plan.yaml is not a valid plan (1 problem)\n"
        f"  {TASK_DUE}: {BAD_DATE}\n"
    )


# Structures, with the collecting converter alone (nothing resolves annotations
# first), a document whose one field holds a wrong value, for every field of
# every model class; prints what went wrong, or nothing.
EVERY_FIELD = """
import attrs
import beijing_plan as bp
from beijing_plan.convert import make_converter

converter = make_converter(detailed=True)
for name in sorted(bp.__all__):
    cls = getattr(bp, name)
    if not isinstance(cls, type) or not attrs.has(cls) or name in ("Rules", "Unit"):
        continue
    if cls.__module__ not in (
        "beijing_plan.model",
        "beijing_plan._values",
        "beijing_plan.ledger",
        "beijing_plan.units",
    ):
        continue
    for field in attrs.fields(cls):
        if not field.init:
            continue
        document = {field.alias: {"\\u00a7": 1}}
        kinds = {
            bp.Observation: "observation",
            bp.StatusChange: "status",
            bp.Withdrawal: "withdrawal",
            bp.Revision: "revision",
        }
        if cls in kinds:
            document["kind"] = kinds[cls]
        try:
            converter.structure(document, cls)
        except bp.PlanValidationError as error:
            if not any(path.startswith(field.alias) for path, _ in error.problems):
                print(name, field.alias, error.problems)
        except BaseException as error:
            print(name, field.alias, "raised", type(error).__name__, error)
        else:
            print(name, field.alias, "loaded")
print("checked")
"""


def test_every_field_of_every_class_reports_a_wrong_value_at_its_path() -> None:
    """In a fresh interpreter, a wrong value in any field of any model is a problem at its path."""
    done = subprocess.run(
        [sys.executable, "-c", EVERY_FIELD],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env(),
        check=False,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "checked\n"


PLAN_YAML = """\
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
    due: {due}
"""
PLAN_TOML = """\
schema = "beijing-plan/1"
id = "p"
title = "P"
start = "2025-01-01"
end = "2025-12-31"

[[measures]]
id = "m1"
number = {number}
title = "M"
"""

# (file name, its text, the lines validate prints for it)
BROKEN_FILES: dict[str, tuple[str, str, list[str]]] = {
    "yaml tag": (
        "plan.yaml",
        PLAN_YAML.format(number="1", due="!!timestamp 2025-13-45"),
        [
            "plan.yaml: measures[0].tasks[0].due: "
            "'2025-13-45' is not a valid !!timestamp (line 13, column 10)"
        ],
    ),
    "long yaml integer": (
        "plan.yaml",
        PLAN_YAML.format(number="0x" + "f" * 5000, due="'2025-06-30'"),
        [
            "plan.yaml: measures[0].number: 0xffffffffffffffffff... is written with 5002 "
            "characters, larger than any field holds (line 8, column 11)"
        ],
    ),
    "long json integer": (
        "plan.json",
        json.dumps(plan()).replace('"number": 1', '"number": ' + "7" * 5000),
        [
            "plan.json: measures[0].number: 7.778e+4999 is more than 9007199254740991, "
            "the largest whole number every format holds exactly",
            f"plan.json: {TASK_DUE}: {BAD_DATE}",
        ],
    ),
    "long toml integer": (
        "plan.toml",
        PLAN_TOML.format(number="7" * 5000),
        [
            "plan.toml: not valid TOML: the integer of 5000 digits at line 9, column 10 "
            "is larger than any field holds"
        ],
    ),
    "id with a zero-width space": (
        "plan.json",
        json.dumps(plan()).replace('"id": "t1"', '"id": "t1\\u200b"').replace("13-01", "06-30"),
        [
            "plan.json: measures[0].tasks[0].id: 't1\\u200b' holds the format character "
            "U+200B ZERO WIDTH SPACE (at index 2), which is invisible or reorders text"
        ],
    ),
    "theme cycle": (
        "plan.json",
        json.dumps(
            plan(
                themes=[
                    {"id": "a", "title": "A", "parent": "b"},
                    {"id": "b", "title": "B", "parent": "a"},
                ]
            )
        ),
        [
            f"plan.json: {TASK_DUE}: {BAD_DATE}",
            "plan.json: themes[0].parent: theme 'a' is its own ancestor (a -> b -> a)",
        ],
    ),
}


@pytest.mark.parametrize("case", BROKEN_FILES)
def test_validate_of_a_hostile_file_prints_its_problems_without_a_traceback(
    case: str, tmp_path: Path
) -> None:
    """``validate``, first thing in its process, prints each problem of the file on one line."""
    name, text, lines = BROKEN_FILES[case]
    (tmp_path / name).write_text(text, encoding="utf-8")
    done = run_command(tmp_path, "validate", name)
    assert done.returncode == 1
    assert done.stdout.splitlines() == lines
    assert "Traceback" not in done.stderr + done.stdout


def test_validate_of_a_ledger_lists_every_problem_in_a_fresh_process(tmp_path: Path) -> None:
    """``validate LEDGER --plan PLAN`` lists structural and reference problems together."""
    good = plan()
    good["measures"][0]["tasks"][0]["due"] = "2025-06-30"
    (tmp_path / "plan.json").write_text(json.dumps(good), encoding="utf-8")
    records = [
        {"kind": "status", "item": "nope", "on": "2025-02-01", "status": "done"},
        {"kind": "status", "item": "t1", "on": "2025-02-01", "status": "done", "percent": 150},
    ]
    (tmp_path / "ledger.json").write_text(json.dumps({**START, "records": records}), "utf-8")
    done = run_command(tmp_path, "validate", "ledger.json", "--plan", "plan.json")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "plan.json: ok",
        "ledger.json: records[0].item: 'nope' is not an id of the plan",
        "ledger.json: records[1].percent: 150.0 is not between 0 and 100",
    ]
    assert "Traceback" not in done.stderr
