"""Crash tests: a process killed with SIGKILL in the middle of writing loses nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import beijing_plan as bp
from beijing_plan.ledgerfile import LedgerFile, LedgerFileWarning

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

_SAVER = """
import os
import sys
import beijing_plan as bp
path, = sys.argv[1:]
plans = [
    bp.Plan("p", "计划", start="2025-01-01", end="2025-12-31",
            measures=[bp.Measure(f"m{i}", i + 1, f"举措{i}",
                                 tasks=[bp.Task(f"m{i}-t{j}", "任务" * 50) for j in range(30)])
                      for i in range(size)])
    for size in (3, 9)
]
# The first save of a process makes its writers: done beside the file, so that each
# kill lands among saves of the same cost however busy the machine is.
bp.save(plans[0], os.path.join(os.path.dirname(path), "first.json"))
print("ready", flush=True)
i = 0
while True:
    bp.save(plans[i % 2], path)
    i += 1
"""

_APPENDER = """
import sys
import beijing_plan as bp
from beijing_plan.ledgerfile import LedgerFile, LedgerFileWarning
path, = sys.argv[1:]
log = LedgerFile(path)
print("ready", flush=True)
i = 0
while True:
    log.append(*[bp.StatusChange(f"t{i}-{k}", "2025-03-01", "in_progress", percent=k)
                 for k in range(20)])
    i += 1
"""


def _run_and_kill(script: str, path: Path, rng: random.Random) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", script, os.fspath(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.005, 0.08))
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()


def test_sigkill_during_save_always_leaves_a_loadable_file(tmp_path: Path) -> None:
    """Killing a process that keeps saving never leaves a half-written plan."""
    rng = random.Random(20250408)
    path = tmp_path / "plan.json"
    sizes = set()
    for _ in range(25):
        _run_and_kill(_SAVER, path, rng)
        if path.exists():
            plan = bp.load(path)
            sizes.add(len(plan.measures))
            assert len(plan.measures) in (3, 9)
    assert sizes, "the saver never completed a save"


def test_sigkill_during_append_loses_at_most_the_torn_line(tmp_path: Path) -> None:
    """Killing an appender loses at most the line it was writing.

    A line torn by one kill stays where it is: the next append starts on a new
    line after it. So the file reads whole only until the first tear, and after
    that exactly one line per tear is skipped.
    """
    rng = random.Random(157)
    path = tmp_path / "ledger.jsonl"
    tears = 0
    for _ in range(15):
        _run_and_kill(_APPENDER, path, rng)
        if not path.exists():
            continue
        log = LedgerFile(path)
        if not path.read_bytes().endswith(b"\n"):
            tears += 1
        if tears == 0:
            ledger = log.read()  # every line whole: nothing may be wrong
            assert len(ledger) % 20 == 0  # and each append landed whole
        else:
            with pytest.warns(LedgerFileWarning, match=f"skipped {tears} bad line"):
                log.read(recover=True)
            assert len(log.skipped) == tears  # only the torn lines are lost
