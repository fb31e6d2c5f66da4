# ruff: noqa: RUF001 (expected Chinese output is written with full-width punctuation)
"""The command line's responsible units: `report --by unit` and the `reporting` command."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from beijing_plan import Cadence, Measure, Plan, Task, assess, cli
from beijing_plan._render_reporting import render_reporting

PLAN = {
    "schema": "beijing-plan/1",
    "id": "p",
    "title": "P",
    "start": "2025-01-01",
    "end": "2025-12-31",
    "reporting": {"every": "month", "due_days": 5},
    "measures": [
        {
            "id": "m",
            "number": 1,
            "title": "M",
            "tasks": [
                {"id": "a", "title": "A", "lead": ["发改委"], "partners": ["财政局"]},
                {
                    "id": "b",
                    "title": "B",
                    "lead": ["发改委"],
                    "reporting": {"every": "quarter", "due_days": 10},
                },
            ],
        }
    ],
    "policies": [{"id": "pol", "title": "Pol", "lead": ["科委"]}],
}
LEDGER = {
    "schema": "beijing-plan/1",
    "records": [
        {"kind": "status", "item": "a", "on": "2025-01-20", "status": "in_progress", "percent": 40},
        {
            "kind": "status",
            "item": "a",
            "on": "2025-02-25",
            "status": "in_progress",
            "percent": 60,
            "recorded": "2025-03-08",
        },
        {"kind": "status", "item": "b", "on": "2025-03-10", "status": "done"},
    ],
}


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    """The options that name the plan and ledger files, and the date."""
    plan, ledger = tmp_path / "plan.json", tmp_path / "ledger.json"
    plan.write_text(json.dumps(PLAN, ensure_ascii=False), encoding="utf-8")
    ledger.write_text(json.dumps(LEDGER, ensure_ascii=False), encoding="utf-8")
    return ["--plan", str(plan), "--ledger", str(ledger), "--as-of", "2025-04-15"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_report_by_unit_lists_the_lead_units(
    capsys: pytest.CaptureFixture[str], files: list[str]
) -> None:
    """发改委 leads a (60%) and b (done): 80%; 科委 leads the policy: 0%."""
    code, out, _ = run(capsys, "report", *files, "--by", "unit", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert (document["by"], document["role"]) == ("unit", "lead")
    rows = [(row["id"], row["kind"], row["completion"]) for row in document["rows"]]
    assert rows == [("发改委", "unit", pytest.approx(0.8)), ("科委", "unit", 0.0)]


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_report_by_partner_unit_in_every_format(
    capsys: pytest.CaptureFixture[str], files: list[str], fmt: str
) -> None:
    """As partner only 财政局 (task a, 60%) is listed, whatever the format."""
    code, out, _ = run(
        capsys, "report", *files, "--by", "unit", "--role", "partner", "--format", fmt
    )
    assert code == 0
    assert "财政局" in out
    assert "发改委" not in out
    assert ("0.6," if fmt == "csv" else '"completion": 0.6,' if fmt == "json" else "60%") in out


def test_report_by_unit_with_no_unit_says_so(
    capsys: pytest.CaptureFixture[str], files: list[str], tmp_path: Path
) -> None:
    """A plan naming no partner prints the empty-role line."""
    plan = dict(PLAN, measures=[{"id": "m", "number": 1, "title": "M"}], policies=[])
    path = tmp_path / "bare.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    code, out, _ = run(capsys, "report", "--plan", str(path), "--by", "unit", "--color", "never")
    assert code == 0
    assert "(no task, policy or measure names a unit in this role)" in out


def test_reporting_table_counts_each_unit_and_period(
    capsys: pytest.CaptureFixture[str], files: list[str]
) -> None:
    """a: Jan on time, Feb late (entered 8 March, due 5 March), Mar missing; b's Q1 on time."""
    code, out, _ = run(capsys, "reporting", *files)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Reporting as of 2025-04-15, by lead unit"
    rows = [line.split() for line in lines[4:11]]
    assert rows == [
        ["发改委", "2025-01", "1", "1", "0", "0", "100%"],
        ["发改委", "2025-02", "1", "0", "1", "0", "0%"],
        ["发改委", "2025-03", "1", "0", "0", "1", "0%"],
        ["发改委", "2025-Q1", "1", "1", "0", "0", "100%"],
        ["科委", "2025-01", "1", "0", "0", "1", "0%"],
        ["科委", "2025-02", "1", "0", "0", "1", "0%"],
        ["科委", "2025-03", "1", "0", "0", "1", "0%"],
    ]
    assert lines[12].split() == ["发改委", "all", "periods", "4", "2", "1", "1", "50%"]
    assert lines[-1] == "Silent (last 2 reports missing): pol"


def test_reporting_json_within_a_period_by_leaf(
    capsys: pytest.CaptureFixture[str], files: list[str]
) -> None:
    """`--period 2025-02 --by leaf` keeps February's rows: a late, pol missing."""
    code, out, _ = run(
        capsys, "reporting", *files, "--by", "leaf", "--period", "2025-02", "--format", "json"
    )
    assert code == 0
    document = json.loads(out)
    assert document["period"] == "2025-02"
    assert [(r["id"], r["late"], r["missing"]) for r in document["rows"]] == [
        ("a", 1, 0),
        ("pol", 0, 1),
    ]
    assert document["silent"] == ["pol"]


def test_reporting_csv_and_markdown_in_chinese(
    capsys: pytest.CaptureFixture[str], files: list[str]
) -> None:
    """CSV has one row per unit and period; Markdown heads its columns in Chinese."""
    code, out, _ = run(capsys, "reporting", *files, "--format", "csv", "--role", "any")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["period"]) for r in rows][-1] == ("科委", "2025-03")
    assert {r["id"] for r in rows} == {"发改委", "财政局", "科委"}
    code, out, _ = run(capsys, "reporting", *files, "--format", "markdown", "--lang", "zh")
    assert code == 0
    assert "| 责任单位 | 报送期 | 应报 | 按时 | 逾期 | 未报 | 按时报送率 |" in out
    assert out.splitlines()[-1] == "连续 2 期未报送：pol"


@pytest.mark.parametrize("period", ["2025-Q5", "2025-13", "Q2", "25"])
def test_a_bad_period_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], files: list[str], period: str
) -> None:
    """Exit 2, the reason on one line of standard error, no traceback."""
    code, out, err = run(capsys, "reporting", *files, "--period", period)
    assert code == 2
    assert out == ""
    message = f"error: argument --period: {period!r} is not a period (YYYY, YYYY-Qn or YYYY-MM)"
    assert err.splitlines()[-1].endswith(message)
    assert "Traceback" not in err


def test_a_bad_role_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """`--role` takes lead, partner or any."""
    code, _, err = run(capsys, "reporting", "--role", "boss")
    assert code == 2
    assert "invalid choice: 'boss' (choose from 'lead', 'partner', 'any')" in err


def test_a_bad_cadence_in_a_plan_file_is_named_with_its_path(
    tmp_path: Path,
) -> None:
    """In a fresh process, the command names the cadence's path and exits 1."""
    plan = json.loads(json.dumps(PLAN))
    plan["measures"][0]["tasks"][1]["reporting"] = {"every": "week", "due_days": -1}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "beijing_plan", "reporting", "--plan", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "measures[0].tasks[1].reporting.every: 'week' is not one of 'month', 'quarter'" in (
        done.stderr
    )
    assert "measures[0].tasks[1].reporting.due_days: -1 is not between 0 and 366" in done.stderr
    assert "Traceback" not in done.stderr


def test_hostile_unit_names_are_escaped_in_every_format() -> None:
    """A unit named with an escape sequence and a formula reaches no output raw."""
    task = Task("a", "A", lead=["\x1b[31mevil\u202e", "=cmd()"])
    plan = Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        reporting=Cadence("month"),
        measures=[Measure("m", 1, "M", tasks=[task])],
    )
    reporting = assess(plan, [], as_of="2025-02-15").reporting()
    for fmt in ("table", "csv", "markdown", "json"):
        text = render_reporting(reporting, fmt)
        assert "\x1b" not in text, fmt
        assert "\u202e" not in text, fmt
    assert "\n'=cmd()," in render_reporting(reporting, "csv")
    assert "\\x1b[31mevil\\u202e  2025-01" in render_reporting(reporting, "table")
