"""The example scripts run as a reader would run them and print the right figures.

Each script runs in a process of its own, from an empty working folder, with
warnings as errors and its temporary files in a folder of the test's own, which
must be empty again when the script ends: the scripts write nothing that they do
not clean up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(name: str, folder: Path) -> str:
    """Run ``examples/<name>`` in ``folder``; its standard output (it must succeed)."""
    work, scratch = folder / "work", folder / "scratch"
    work.mkdir()
    scratch.mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(scratch),
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    completed = subprocess.run(
        [sys.executable, "-W", "error", str(EXAMPLES / name)],
        cwd=work,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stderr == ""
    assert list(work.iterdir()) == [], "the script wrote into its working folder"
    assert list(scratch.iterdir()) == [], "the script left temporary files behind"
    return completed.stdout


def test_model_your_plan_builds_checks_and_saves_a_plan(tmp_path: Path) -> None:
    """The modelling script reports the plan's mistakes, reloads both files and summarises."""
    output = run_example("model_your_plan.py", tmp_path)
    lines = output.splitlines()
    assert "A plan with mistakes is refused:" in lines
    assert (
        "  measures[0].tasks[1].id: 't1' is used again (first at measures[0].tasks[0].id)" in lines
    )
    assert "  policies[0].measures[0]: 'm9' is not a measure of the plan" in lines
    assert any(line.startswith("Saved and reloaded riverside-2025.yaml") for line in lines)
    assert any(line.startswith("Saved and reloaded riverside-2025.json") for line in lines)
    assert "schema: beijing-plan/1" in lines
    assert "Encoded: 2 of 5 measures, 3 of 20 tasks, 1 of 3 policies" in lines
    assert "  target renewal-investment: at_least 12亿元" in lines
    assert "    target green-share: at_least 49.5%" in lines
    assert "Policy lift-subsidy: Rules for lift subsidies, serving m1" in lines


def _row(output: str, start: str) -> list[str]:
    """The words of the first line of ``output`` that starts with ``start``."""
    for line in output.splitlines():
        if line.startswith(start):
            return line.split()
    pytest.fail(f"no line starts with {start!r}")


def test_record_and_report_prints_hand_computed_figures(tmp_path: Path) -> None:
    """The reporting script's quarterly figures and its report match the arithmetic by hand."""
    output = run_example("record_and_report.py", tmp_path)
    assert "The ledger holds 17 records" in output
    # 31 March: investment 2.5/12, lifts 25/120 (weight 2), heating and greenway 0, the
    # subsidy 50%: (0.2083 + 2 x 0.2083 + 0 + 0 + 0.5) / 6 = 1.125 / 6.
    assert _row(output, "2025-03-31 ")[1:3] == ["0.1875", "25.3%"]
    # 30 June: 6/12, lifts 93/120 (the correction counts 18, not 15), heating 1 of 4
    # milestone weight, green cover (49.1 - 48.7) / (49.5 - 48.7), subsidy done:
    # (0.5 + 2 x 0.775 + 0.25 + 0.5 + 1) / 6 = 3.8 / 6.
    assert _row(output, "2025-06-30 ")[1] == "0.6333"
    # 30 September: (0.75 + 2 x 110/120 + 1 + 1 + 1) / 6 = 5.5833 / 6; with the year over
    # and nothing new, the same completion is at risk against an expected 1.
    assert _row(output, "2025-09-30 ")[1:] == ["0.9306", "84.2%", "100.0%", "on_track"]
    assert _row(output, "2025-12-31 ")[1:] == ["0.9306", "100.0%", "100.0%", "at_risk"]
    # Measure m1 on 30 September: (0.75 + 2 x 0.9167 + 1 + 1) / 5 = 0.9167.
    assert _row(output, "  measure  Renew old neighbourhoods")[4:] == [
        "91.7%",
        "进度正常",
        "/",
        "on",
        "track",
        "(green)",
    ]
    assert _row(output, "  lifts ")[1:] == ["91.7%", "rule", "parts"]
    assert _row(output, "  renewal-investment")[1:] == ["75.0%", "rule", "attainment"]
    assert "Lifts installed so far: 110;" in output
    assert (
        "Completion = sum(w \u00d7 c) / sum(w) over 5 counted of 5 leaves = 5.5833 / 6 = 0.9306"
        in output
    )
