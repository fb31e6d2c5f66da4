"""Tests of the hints in loading errors: did-you-mean for fields and units, the schema line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from beijing_plan import Ledger, Plan, PlanValidationError, Quantity, Task, Text, UnitError, loads
from beijing_plan import load as load_file
from beijing_plan.units import get_unit

START = {"schema": "beijing-plan/1"}
# The units registered by the library, first in the list; tests elsewhere may add more after.
KNOWN = (
    "known, with their aliases: count (个, 家, 项, 件, 处, 座, 人, 名), "
    "percent (%, ％, 百分比), yuan (元, CNY, RMB, 人民币), wan_yuan (万元), "  # noqa: RUF001 (the full-width sign is a real alias)
    "yi_yuan (亿元), usd (USD, 美元), m2 (平方米, ㎡, m²), wan_m2 (万平方米, 万㎡)"
)


def problems_of(text: str, cls: type[Any], fmt: str = "json") -> list[tuple[str, str]]:
    """The problems of loading `text` as `cls`."""
    with pytest.raises(PlanValidationError) as caught:
        loads(text, cls, fmt)
    return caught.value.problems


def plan_document(**task: Any) -> dict[str, Any]:
    """A plan document whose one task `t` has the given extra fields."""
    return {
        **START,
        "id": "p",
        "title": "P",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "measures": [
            {"id": "m", "number": 1, "title": "M", "tasks": [{"id": "t", "title": "T", **task}]}
        ],
    }


def test_a_misspelt_field_gets_the_close_field() -> None:
    """`leads` on a task is refused with `did you mean 'lead'?`."""
    problems = problems_of(json.dumps(plan_document(leads=["市发展改革委"])), Plan)
    assert problems == [
        ("measures[0].tasks[0].leads", "is not a field of Task; did you mean 'lead'?")
    ]


def test_a_field_far_from_every_field_gets_no_guess() -> None:
    """A key like no field is refused without a guess."""
    problems = problems_of(json.dumps(plan_document(colour="red")), Plan)
    assert problems == [("measures[0].tasks[0].colour", "is not a field of Task")]


def test_a_non_string_key_gets_no_guess() -> None:
    """A YAML key that is not a string (a number) is refused without a guess."""
    text = "schema: beijing-plan/1\nid: p\ntitle: P\nstart: 2025-01-01\nend: 2025-12-31\n1: x\n"
    assert problems_of(text, Plan, "yaml") == [("1", "is not a field of Plan")]


@pytest.mark.parametrize(
    ("cls", "document", "problem"),
    [
        (
            Quantity,
            {"valeu": "5", "unit": "count"},
            [
                ("valeu", "is not a field of Quantity (value, unit); did you mean 'value'?"),
                ("value", "is required"),
            ],
        ),
        (
            Text,
            {"zh": "文", "eng": "x"},
            [("eng", "is not a field of Text (zh, en); did you mean 'en'?")],
        ),
        (
            Ledger,
            {"record": []},
            [("record", "is not a field of Ledger (records); did you mean 'records'?")],
        ),
    ],
)
def test_the_hand_written_readers_guess_too(
    cls: type[Any], document: dict[str, Any], problem: list[tuple[str, str]]
) -> None:
    """Quantities, texts and ledgers name the close field as the model classes do."""
    assert problems_of(json.dumps({**START, **document}), cls) == problem


def test_an_unknown_unit_gets_the_close_alias_and_every_alias() -> None:
    """`万圆` is refused with `did you mean '万元'?` and the list of units with their aliases."""
    with pytest.raises(UnitError) as caught:
        Quantity(1, "万圆")
    assert caught.value.problems == [
        ("unit", f"'万圆' is not a known unit; did you mean '万元'? ({KNOWN})")
    ]


def test_an_unknown_unit_matches_names_whatever_their_case() -> None:
    """`Yuan` and `rmb` are refused with the unit or alias written as it is registered."""
    with pytest.raises(
        UnitError, match=r"^unit: 'Yuan' is not a known unit; did you mean 'yuan'\? \("
    ):
        get_unit("Yuan")
    with pytest.raises(
        UnitError, match=r"^unit: 'rmb' is not a known unit; did you mean 'RMB'\? \("
    ):
        get_unit("rmb")


def test_a_unit_far_from_every_unit_gets_no_guess() -> None:
    """`furlong` is refused with the list of units and aliases only."""
    with pytest.raises(UnitError) as caught:
        Quantity(1, "furlong")
    [(path, message)] = caught.value.problems
    assert path == "unit"
    assert message.startswith(f"'furlong' is not a known unit ({KNOWN}")


def test_an_unknown_unit_in_a_document_has_its_path() -> None:
    """A misspelt unit in a document is reported at its path with the guess."""
    document = {
        **START,
        "id": "g",
        "title": "G",
        "comparator": "at_least",
        "value": {"value": "1", "unit": "亿圆"},
    }
    from beijing_plan import Target  # noqa: PLC0415 (only this test builds a target)

    problems = problems_of(json.dumps(document), Target)
    assert problems == [
        ("value.unit", f"'亿圆' is not a known unit; did you mean '亿元'? ({KNOWN})")
    ]


SCHEMA_LINES = {
    "json": '"schema": "beijing-plan/1"',
    "yaml": "schema: beijing-plan/1",
    "toml": 'schema = "beijing-plan/1"',
}
NO_SCHEMA = {"json": '{"zh": "文"}', "yaml": "zh: 文\n", "toml": 'zh = "文"\n'}


@pytest.mark.parametrize("fmt", SCHEMA_LINES)
def test_the_missing_schema_is_shown_in_the_documents_format(fmt: str) -> None:
    """A document without its schema is told the line to add, written in its own format."""
    line = SCHEMA_LINES[fmt]
    assert problems_of(NO_SCHEMA[fmt], Text, fmt) == [
        ("schema", f"is missing; a {fmt.upper()} document starts with {line}")
    ]


@pytest.mark.parametrize(
    ("suffix", "fmt"), [(".json", "json"), (".yml", "yaml"), (".toml", "toml")]
)
def test_a_file_without_its_schema_is_told_in_its_format(
    tmp_path: Path, suffix: str, fmt: str
) -> None:
    """`load` of a file without its schema shows the line in the file's format."""
    path = tmp_path / f"text{suffix}"
    path.write_text(NO_SCHEMA[fmt], encoding="utf-8")
    with pytest.raises(PlanValidationError) as caught:
        load_file(path, Text)
    assert caught.value.problems == [
        ("schema", f"is missing; a {fmt.upper()} document starts with {SCHEMA_LINES[fmt]}")
    ]


def test_the_model_class_still_refuses_a_misspelt_keyword() -> None:
    """The guesses are for documents; a Python keyword error stays Python's own."""
    with pytest.raises(TypeError, match="leads"):
        Task("t", "T", leads=["x"])  # type: ignore[call-arg]


# In a fresh interpreter: each loading error path, first thing in its process.
FRESH = """
import json, sys
import beijing_plan as bp
try:
    bp.loads(sys.argv[2], getattr(bp, sys.argv[1]), sys.argv[3])
except bp.PlanValidationError as error:
    print(json.dumps(error.problems, ensure_ascii=False))
except BaseException as error:
    print("raised " + type(error).__name__ + ": " + str(error))
"""


@pytest.mark.parametrize(
    ("cls", "text", "fmt", "problem"),
    [
        (
            "Plan",
            json.dumps(plan_document(leads=[])),
            "json",
            ["measures[0].tasks[0].leads", "is not a field of Task; did you mean 'lead'?"],
        ),
        (
            "Quantity",
            '{"schema": "beijing-plan/1", "value": "1", "unit": "万圆"}',
            "json",
            ["unit", f"'万圆' is not a known unit; did you mean '万元'? ({KNOWN})"],
        ),
        (
            "Text",
            "zh: 文\n",
            "yaml",
            ["schema", "is missing; a YAML document starts with schema: beijing-plan/1"],
        ),
        (
            "Text",
            'zh = "文"\n',
            "toml",
            ["schema", 'is missing; a TOML document starts with schema = "beijing-plan/1"'],
        ),
    ],
)
def test_each_hint_in_a_fresh_interpreter(
    cls: str, text: str, fmt: str, problem: list[str]
) -> None:
    """The hints come the same in a process that has loaded nothing before."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run(
        [sys.executable, "-c", FRESH, cls, text, fmt],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [problem]


def test_validate_shows_the_schema_line_of_a_yaml_file(tmp_path: Path) -> None:
    """`validate` of a YAML plan without its schema names the YAML line to add, no traceback."""
    (tmp_path / "plan.yaml").write_text(
        "id: p\ntitle: P\nstart: 2025-01-01\nend: 2025-12-31\n", encoding="utf-8"
    )
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run(
        [sys.executable, "-m", "beijing_plan", "validate", "plan.yaml"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=environment,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == (
        "plan.yaml: schema: is missing; a YAML document starts with schema: beijing-plan/1\n"
    )
    assert "Traceback" not in done.stderr


def test_the_guesses_load_nothing_on_import() -> None:
    """`import beijing_plan` does not import difflib; only a refusal that guesses does."""
    code = (
        "import sys, beijing_plan\n"
        "print('difflib' in sys.modules)\n"
        "try:\n"
        "    beijing_plan.Quantity(1, 'yaun')\n"
        "except beijing_plan.UnitError as error:\n"
        "    print(\"did you mean 'yuan'?\" in str(error), 'difflib' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "False\nTrue True\n"
