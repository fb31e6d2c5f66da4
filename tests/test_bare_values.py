"""Tests of observations whose value is a bare number, read against the plan."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from beijing_plan import (
    Ledger,
    LedgerFile,
    PlanValidationError,
    Quantity,
    Target,
    Task,
    UnknownReferenceError,
    cli,
    dumps,
    load,
    loads,
)
from helpers import one_measure_plan

PLAN = one_measure_plan(
    Task("t", "T", targets=[Target("companies", "C", "at_least", Quantity(60, "家"))]),
    targets=[Target("fund", "F", "at_least", Quantity(600, "亿元"))],
)

LEDGER_YAML = textwrap.dedent(
    """\
    schema: beijing-plan/1
    records:
      - kind: observation
        target: companies
        on: 2025-03-31
        value: 3
      - kind: observation
        target: fund
        on: 2025-03-31
        value: "12.5"
      - kind: observation
        target: fund
        on: 2025-04-30
        value: {value: 130000, unit: 万元}
    """
)

HINT = (
    "is a number without a unit: a bare number takes its target's unit only when the "
    "ledger is read with its plan (plan= in Python, --plan on the command line)"
)


def test_bare_numbers_take_the_targets_unit() -> None:
    """Read with its plan, `value: 3` is 3 in the target's unit; a whole quantity stays as is."""
    ledger = loads(LEDGER_YAML, Ledger, "yaml", plan=PLAN)
    values = [record.value for record in ledger]  # type: ignore[union-attr]
    assert values == [
        Quantity(3, "count"),
        Quantity(Decimal("12.5"), "yi_yuan"),
        Quantity(130000, "wan_yuan"),
    ]


def test_bare_numbers_in_json_and_toml() -> None:
    """JSON and TOML documents take bare numbers against the plan as YAML ones do."""
    expected = loads(LEDGER_YAML, Ledger, "yaml", plan=PLAN)
    data = {
        "schema": "beijing-plan/1",
        "records": [
            {"kind": "observation", "target": "companies", "on": "2025-03-31", "value": 3},
            {"kind": "observation", "target": "fund", "on": "2025-03-31", "value": 12.5},
            {
                "kind": "observation",
                "target": "fund",
                "on": "2025-04-30",
                "value": {"value": "130000", "unit": "wan_yuan"},
            },
        ],
    }
    assert loads(json.dumps(data), Ledger, plan=PLAN) == expected
    toml = textwrap.dedent(
        """\
        schema = "beijing-plan/1"
        [[records]]
        kind = "observation"
        target = "companies"
        on = 2025-03-31
        value = 3
        [[records]]
        kind = "observation"
        target = "fund"
        on = 2025-03-31
        value = "12.5"
        [[records]]
        kind = "observation"
        target = "fund"
        on = 2025-04-30
        value = {value = "130000", unit = "万元"}
        """
    )
    assert loads(toml, Ledger, "toml", plan=PLAN) == expected


def test_load_takes_bare_numbers_against_the_plan(tmp_path: Path) -> None:
    """`load(path, Ledger, plan=)` reads a file with bare numbers, and writes them back whole."""
    path = tmp_path / "ledger.yaml"
    path.write_text(LEDGER_YAML, encoding="utf-8")
    ledger = load(path, Ledger, plan=PLAN)
    assert ledger.records[0].value == Quantity(3, "count")  # type: ignore[union-attr]
    assert '"value": {"value": "3", "unit": "count"}' in json.dumps(json.loads(dumps(ledger)))


def test_without_the_plan_a_bare_number_is_refused_with_the_option() -> None:
    """Without a plan the error names the field, the value and the plan option."""
    with pytest.raises(PlanValidationError) as caught:
        loads(LEDGER_YAML, Ledger, "yaml")
    assert caught.value.problems == [
        ("records[0].value", f"3 {HINT}"),
        ("records[1].value", f"'12.5' {HINT}"),
    ]


def test_a_bare_number_of_an_unknown_target_is_refused() -> None:
    """A bare number for an id the plan lacks is not given a unit; the id is reported as well."""
    text = LEDGER_YAML.replace("target: companies", "target: nowhere")
    with pytest.raises(PlanValidationError) as caught:
        loads(text, Ledger, "yaml", plan=PLAN)
    paths = [path for path, _ in caught.value.problems]
    assert paths == ["records[0].value", "records[0].target"]
    assert "nowhere" in caught.value.problems[1][1]


def test_a_bare_number_for_a_task_is_refused() -> None:
    """An observation of a task (which has no unit) with a bare number is not given one."""
    text = LEDGER_YAML.replace("target: companies", "target: t")
    with pytest.raises(PlanValidationError) as caught:
        loads(text, Ledger, "yaml", plan=PLAN)
    assert caught.value.problems[0] == ("records[0].value", f"3 {HINT}")


def test_a_bare_bool_or_text_is_not_a_number() -> None:
    """`value: true` and `value: lots` stay refused as not quantities, plan or not."""
    for bad, shown in (("true", "True"), ("lots", "'lots'")):
        text = LEDGER_YAML.replace("value: 3", f"value: {bad}")
        with pytest.raises(PlanValidationError) as caught:
            loads(text, Ledger, "yaml", plan=PLAN)
        assert caught.value.problems == [
            ("records[0].value", f"{shown} is not a quantity ({{value, unit}})")
        ]


def test_cli_validate_and_report_take_bare_numbers_with_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`validate LEDGER --plan` and `report --ledger` accept bare numbers; without --plan, not."""
    plan_path, ledger_path = tmp_path / "plan.json", tmp_path / "ledger.yaml"
    plan_path.write_text(dumps(PLAN), encoding="utf-8")
    ledger_path.write_text(LEDGER_YAML, encoding="utf-8")
    assert cli.main(["validate", str(ledger_path), "--plan", str(plan_path)]) == 0
    argv = ["report", "--plan", str(plan_path), "--ledger", str(ledger_path)]
    assert cli.main([*argv, "--as-of", "2025-06-30"]) == 0
    capsys.readouterr()
    assert cli.main(["validate", str(ledger_path)]) == 1
    out = capsys.readouterr().out
    assert f"records[0].value: 3 {HINT}" in out


def test_bare_number_errors_in_a_fresh_interpreter(tmp_path: Path) -> None:
    """In a fresh interpreter, loading without a plan raises our error with the hint."""
    path = tmp_path / "ledger.yaml"
    path.write_text(LEDGER_YAML, encoding="utf-8")
    script = (
        "import sys\n"
        "from beijing_plan import Ledger, PlanValidationError, load\n"
        "try:\n"
        "    load(sys.argv[1], Ledger)\n"
        "except PlanValidationError as error:\n"
        "    print(error.problems[0][1])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout == f"3 {HINT}\n"
    assert done.stderr == ""


def test_unknown_reference_error_is_kept_with_bare_numbers() -> None:
    """A ledger whose only fault is an unknown id still raises UnknownReferenceError."""
    text = LEDGER_YAML.replace(
        "target: fund\n    on: 2025-04-30", "target: gone\n    on: 2025-04-30"
    )
    with pytest.raises(UnknownReferenceError):
        loads(text, Ledger, "yaml", plan=PLAN)


def jsonl_ledger(tmp_path: Path) -> Path:
    """A ledger file whose second record has a bare number for its value."""
    path = tmp_path / "progress.jsonl"
    lines = [
        {"schema": "beijing-plan/1", "kind": "ledger"},
        {"kind": "observation", "target": "fund", "on": "2025-03-31", "value": "12.5"},
        {"kind": "observation", "target": "companies", "on": "2025-03-31", "value": 3},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_ledger_file_read_with_the_plan_takes_bare_numbers(tmp_path: Path) -> None:
    """`LedgerFile.read(plan=)` gives a bare number its target's unit; without the plan, not."""
    log = LedgerFile(jsonl_ledger(tmp_path))
    ledger = log.read(plan=PLAN)
    assert [record.value for record in ledger] == [  # type: ignore[union-attr]
        Quantity("12.5", "亿元"),
        Quantity(3, "count"),
    ]
    with pytest.raises(PlanValidationError) as caught:
        log.read()
    assert caught.value.problems == [
        ("line 2: value", f"'12.5' {HINT}"),
        ("line 3: value", f"3 {HINT}"),
    ]


def test_cli_validates_a_ledger_file_with_bare_numbers_against_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`validate progress.jsonl --plan` takes its bare numbers in the targets' units."""
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(dumps(PLAN), encoding="utf-8")
    path = jsonl_ledger(tmp_path)
    assert cli.main(["validate", str(path), "--plan", str(plan_path)]) == 0
    assert cli.main(["validate", str(path)]) == 1
    assert f"line 3: value: 3 {HINT}" in capsys.readouterr().out
