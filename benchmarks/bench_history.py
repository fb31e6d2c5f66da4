"""Benchmark: a history over 12 month-ends against one assessment at the last of them.

The plan is the synthetic plan of `bench_assess.py` with 10,000 leaves and a ledger
of 100,000 records over 2025. In the same process it times one
[`assess`][beijing_plan.assessment.assess] at 2025-12-31 and
[`history`][beijing_plan.histories.history] at the twelve month-ends of 2025, each
on a fresh copy of the ledger, with everything known, then with
`reported_after=30`, and prints each history's time as a multiple of the
assessment's. A last line times the same twelve dates by twelve calls of `assess`,
the loop a history replaces. Times are the least CPU time of a few runs
(`time.process_time`).

Goal: the history costs at most 3x the one assessment.

Run with `python benchmarks/bench_history.py` (`--leaves 1000` for a quick run).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_assess import synthetic

from beijing_plan.assessment import assess
from beijing_plan.histories import history, period_ends
from beijing_plan.ledger import Ledger

GOAL = 3.0
REPEAT = 3


def _cpu(action: Callable[[], object]) -> float:
    """The least CPU time of `REPEAT` runs of `action`."""
    best = float("inf")
    for _ in range(REPEAT):
        gc.collect()
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the ratios; return 1 if the goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=10_000, help="leaves of the plan")
    args = parser.parse_args(argv)
    plan, ledger = synthetic(args.leaves)
    records = ledger.records
    dates = period_ends(plan.start, plan.end, "month")
    last = dates[-1]
    print(f"{args.leaves} leaves, {len(records)} records, {len(dates)} dates")
    one = _cpu(lambda: assess(plan, Ledger(records), as_of=last))
    print(f"{'assess at ' + str(last):<34} {one:>8.3f} s   1.00x")
    missed = False
    for name, options in (
        ("history, everything known", {}),
        ("history, reported_after=30", {"reported_after": 30}),
    ):
        took = _cpu(lambda options=options: history(plan, Ledger(records), at=dates, **options))  # type: ignore[misc]
        ratio = took / one
        missed = missed or ratio > GOAL
        print(f"{name:<34} {took:>8.3f} s {ratio:>6.2f}x")
    loop = _cpu(lambda: [assess(plan, Ledger(records), as_of=day) for day in dates])
    print(f"{'12 calls of assess':<34} {loop:>8.3f} s {loop / one:>6.2f}x")
    print(f"goal: at most {GOAL:.0f}x; " + ("a goal was missed" if missed else "goals met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
