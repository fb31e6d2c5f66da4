"""The command's time options: `--known-at`, `report --compare` and `history`.

The plan runs through 2025 with two tasks: `a` at 20% from 1 February and done on
20 May; `b`, due 15 April, at 90% from 1 February but entered only on 10 March.
At 30 June `a` is done (was 20% at 31 March: newly done, +80%), `b` is overdue
(was on track: newly overdue, +0%) and the plan is (1 + 0.9) / 2 = 95% (was 55%).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from beijing_plan import cli

PLAN = """\
schema: beijing-plan/1
id: p
title: {en: Office plan}
start: 2025-01-01
end: 2025-12-31
measures:
  - id: m
    number: 1
    title: {en: Measure}
    tasks:
      - {id: a, title: {en: Task A}}
      - {id: b, title: {en: Task B}, due: 2025-04-15}
"""
LEDGER = """\
schema: beijing-plan/1
records:
  - {kind: status, item: a, on: 2025-02-01, status: in_progress, percent: 20}
  - {kind: status, item: a, on: 2025-05-20, status: done}
  - {kind: status, item: b, on: 2025-02-01, status: in_progress, percent: 90,
     recorded: 2025-03-10}
"""


@pytest.fixture
def data(tmp_path: Path) -> list[str]:
    plan, ledger = tmp_path / "plan.yaml", tmp_path / "ledger.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    ledger.write_text(LEDGER, encoding="utf-8")
    return ["--plan", str(plan), "--ledger", str(ledger)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


COMPARE = ["--by", "leaf", "--as-of", "2025-06-30", "--compare", "2025-03-31"]


def test_report_compare_adds_a_change_column_to_the_table(
    data: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each row ends with its transition's arrow and its change of completion."""
    code, out, _ = run(capsys, "report", *data, *COMPARE, "--width", "100", "--color", "never")
    assert code == 0
    lines = out.splitlines()
    assert lines[2].split()[-1] == "Change"
    assert lines[4].endswith("done          100%  \u2191 +80%")
    assert lines[5].endswith("overdue       100%  \u2193 0%")
    assert lines[7].endswith("on track      100%  \u2192 +40%")
    assert "change since 2025-03-31:" in out


def test_report_compare_in_markdown_csv_and_json(
    data: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Markdown gets a Change column; CSV and JSON the raw change and the transition."""
    _, out, _ = run(capsys, "report", *data, *COMPARE, "--format", "markdown")
    assert "| Task A | 100% | 49% | done | 100% | \u2191 +80% |" in out
    _, out, _ = run(capsys, "report", *data, *COMPARE, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["transition"]) for r in rows] == [
        ("a", "newly_done"),
        ("b", "newly_overdue"),
        ("p", "unchanged"),
    ]
    assert float(rows[0]["change"]) == pytest.approx(0.8)
    _, out, _ = run(capsys, "report", *data, *COMPARE, "--format", "json")
    document = json.loads(out)
    assert document["compared"] == "2025-03-31"
    assert document["total"]["change"] == pytest.approx(0.4)
    assert document["rows"][1]["transition"] == "newly_overdue"


def test_report_without_compare_is_unchanged(
    data: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --compare there is no change column nor change keys."""
    _, out, _ = run(capsys, "report", *data, "--as-of", "2025-06-30", "--format", "json")
    document = json.loads(out)
    assert "compared" not in document
    assert "change" not in document["total"]


def test_compare_after_the_report_date_is_a_usage_error(
    data: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """--compare later than --as-of exits 2 with one line saying why."""
    code, out, err = run(
        capsys, "report", *data, "--as-of", "2025-06-30", "--compare", "2025-07-01"
    )
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "beijing-plan report: error: argument --compare: 2025-07-01 is after "
        "the report's date (--as-of 2025-06-30)"
    )
    assert "Traceback" not in err


def test_known_at_on_report_and_explain(
    data: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """On 1 March, b's figure was not yet entered: b counts 0 and the plan 10%."""
    argv = ["--as-of", "2025-03-01", "--format", "json", "--by", "leaf"]
    _, out, _ = run(capsys, "report", *data, *argv, "--known-at", "2025-03-01")
    assert json.loads(out)["total"]["completion"] == pytest.approx(0.1)
    _, out, _ = run(capsys, "report", *data, *argv)
    assert json.loads(out)["total"]["completion"] == pytest.approx(0.55)
    code, out, _ = run(
        capsys, "explain", "b", *data, "--as-of", "2025-03-01", "--known-at", "2025-03-01"
    )
    assert code == 0
    assert "percent" not in out


def test_history_table_has_a_column_per_period_end(
    data: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Quarters: rows are the leaves and the total, cells completion and status."""
    code, out, _ = run(
        capsys, "history", *data, "--every", "quarter", "--by", "leaf", "--width", "100"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[3].split() == ["Item", "2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]
    assert (
        lines[5].split()
        == ["Task", "A", "20%", "at", "risk", "100%", "done"]
        + [
            "100%",
            "done",
        ]
        * 2
    )
    assert lines[-1].split()[:6] == ["Plan", "total", "55%", "on", "track", "95%"]


def test_history_reported_after_and_known_at(
    data: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """February as reported on its last day misses b (entered 10 March); later it shows."""
    argv = ["history", *data, "--by", "leaf", "--format", "json", "--as-of", "2025-03-31"]
    _, out, _ = run(capsys, *argv, "--reported-after", "0")
    document = json.loads(out)
    assert document["dates"] == ["2025-01-31", "2025-02-28", "2025-03-31"]
    assert [cell["completion"] for cell in document["rows"][1]["cells"]] == [0.0, 0.0, 0.9]
    assert document["note"] == "each date as reported 0 days after it"
    _, out, _ = run(capsys, *argv, "--reported-after", "10")
    assert [c["completion"] for c in json.loads(out)["rows"][1]["cells"]] == [0.0, 0.9, 0.9]
    _, out, _ = run(capsys, *argv, "--known-at", "2025-03-01")
    document = json.loads(out)
    assert [c["completion"] for c in document["rows"][1]["cells"]] == [0.0, 0.0, 0.0]
    assert document["note"] == "as known on 2025-03-01"


def test_history_markdown_and_csv(data: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Markdown has a column per date; CSV a completion and a status column per date."""
    argv = ["history", *data, "--every", "year", "--by", "leaf"]
    _, out, _ = run(capsys, *argv, "--format", "markdown")
    assert "| Item | 2025-12-31 |" in out
    assert "| Task B | 90% overdue |" in out
    _, out, _ = run(capsys, *argv, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["id", "kind", "title", "2025-12-31 completion", "2025-12-31 status"]
    assert rows[2] == ["b", "task", "Task B", "0.9", "overdue"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--known-at", "2025-01-01", "--reported-after", "3"],
            "argument --reported-after: not allowed with argument --known-at",
        ),
        (
            ["--reported-after", "-2"],
            "argument --reported-after: '-2' is not a whole number of days (0 or more)",
        ),
        (["--every", "week"], "argument --every: invalid choice: 'week'"),
        (["--known-at", "2025-02-30"], "argument --known-at: '2025-02-30' is not a date"),
    ],
)
def test_history_bad_options_exit_2(
    data: list[str], argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad options of history are usage errors with a one-line reason, no traceback."""
    code, out, err = run(capsys, "history", *data, *argv)
    assert (code, out) == (2, "")
    assert message in err.splitlines()[-1]
    assert "Traceback" not in err


def test_history_in_a_fresh_interpreter(data: list[str]) -> None:
    """`python -m beijing_plan history` runs on its own and writes the table."""
    done = subprocess.run(
        [sys.executable, "-m", "beijing_plan", "history", *data, "--every", "quarter"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"COLUMNS": "100", "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"},
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "2025-12-31" in done.stdout.splitlines()[3]
    assert done.stdout.splitlines()[-1].split()[:3] == ["Plan", "total", "55%"]
