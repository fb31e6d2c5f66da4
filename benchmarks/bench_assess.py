"""Benchmark: assess synthetic plans of 1k to 1M leaves, ten ledger records per leaf.

For each size it times [`beijing_plan.assessment.assess`][beijing_plan.assessment.assess] on a fresh
ledger (the ledger check included), then, in the same run, the construction of as many
[`Task`][beijing_plan.model.Task] objects, and prints the time per leaf, the
ratio of the two, and the growth from one size to the next. Times are CPU times
of this process (`time.process_time`), the least of several runs for the small
sizes, so that other work on a shared machine disturbs them less.

Goals: 10x the leaves costs at most 12x the time, and assessing a leaf costs at
most 3x constructing one.

Run with `python benchmarks/bench_assess.py` (`--max 100000` skips 1M).

The synthetic plan has one measure per 100 leaves and twelve themes (four with
two sub-themes each). Of every ten leaves, one is a measure's own target with
ten observations, one a policy with ten status changes, four are tasks with ten
status changes, and four are tasks whose one target (a sum) has ten observations.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from collections.abc import Callable
from functools import partial

import pendulum

from beijing_plan.assessment import assess
from beijing_plan.ledger import Ledger, Observation, Record, StatusChange
from beijing_plan.model import Measure, Plan, Policy, Target, Task, Theme
from beijing_plan.units import Quantity

SIZES = (1_000, 10_000, 100_000, 1_000_000)
AS_OF = "2025-07-01"
LEAVES_PER_MEASURE = 100
RECORDS_PER_LEAF = 10

_DAYS = [pendulum.Date(2025, 1, 1).add(days=i) for i in range(365)]
_COUNTS = [Quantity(i, "count") for i in range(101)]
_MONEY = [Quantity(i, "yi_yuan") for i in range(11)]
_PERCENTS = [float(i) for i in range(101)]
_THEMES = tuple(
    [Theme(f"th{i}", f"Theme {i}") for i in range(4)]
    + [Theme(f"th{i}-{j}", f"Theme {i}.{j}", parent=f"th{i}") for i in range(4) for j in range(2)]
)
_THEME_IDS = [theme.id for theme in _THEMES]


def _day(leaf: int, step: int) -> pendulum.Date:
    return _DAYS[(leaf * 7 + step * 36) % 365]


def synthetic(leaves: int) -> tuple[Plan, Ledger]:
    """A plan with `leaves` leaves and a ledger of ten records per leaf."""
    measures: list[Measure] = []
    policies: list[Policy] = []
    records: list[Record] = []
    for m in range(max(1, leaves // LEAVES_PER_MEASURE)):
        targets: list[Target] = []
        tasks: list[Task] = []
        for k in range(m * LEAVES_PER_MEASURE, min(leaves, (m + 1) * LEAVES_PER_MEASURE)):
            kind = k % 10
            if kind == 0:
                targets.append(Target(f"g{k}", "Firms", "at_least", _COUNTS[100]))
                records.extend(
                    Observation(f"g{k}", _day(k, s), _COUNTS[(k + s * 9) % 101])
                    for s in range(RECORDS_PER_LEAF)
                )
            elif kind == 1:
                policies.append(Policy(f"p{k}", "Policy", measures=(f"m{m}",)))
                records.extend(
                    StatusChange(f"p{k}", _day(k, s), "in_progress", percent=_PERCENTS[s * 10])
                    for s in range(RECORDS_PER_LEAF)
                )
            elif kind < 6:
                tasks.append(Task(f"t{k}", "Task", themes={_THEME_IDS[k % 12]}, weight=1 + k % 3))
                records.extend(
                    StatusChange(f"t{k}", _day(k, s), "in_progress", percent=_PERCENTS[s * 10])
                    for s in range(RECORDS_PER_LEAF)
                )
            else:
                target = Target(
                    f"tg{k}", "Money", "at_least", Quantity(60, "yi_yuan"), aggregation="sum"
                )
                tasks.append(Task(f"t{k}", "Task", targets=(target,), weight=1 + k % 3))
                records.extend(
                    Observation(f"tg{k}", _day(k, s), _MONEY[(k + s) % 11])
                    for s in range(RECORDS_PER_LEAF)
                )
        measures.append(
            Measure(
                f"m{m}",
                m + 1,
                "Measure",
                themes={_THEME_IDS[m % 4]},
                targets=targets,
                tasks=tasks,
            )
        )
    plan = Plan(
        "bench",
        "Benchmark plan",
        start="2025-01-01",
        end="2025-12-31",
        themes=_THEMES,
        measures=measures,
        policies=policies,
    )
    return plan, Ledger(records)


def _cpu(action: Callable[[], object]) -> float:
    gc.collect()
    start = time.process_time()
    action()
    return time.process_time() - start


def _assess_time(plan: Plan, ledger: Ledger, repeat: int) -> float:
    """The least CPU time of `repeat` assessments, each on a fresh copy of the ledger."""
    fresh = [ledger, *(Ledger(ledger.records) for _ in range(repeat - 1))]
    return min(_cpu(partial(assess, plan, copy, as_of=AS_OF)) for copy in fresh)


def _construct_tasks(count: int) -> None:
    made = [
        Task(f"x{i}", "Task", themes={_THEME_IDS[i % 12]}, weight=1 + i % 3) for i in range(count)
    ]
    del made


def _measure(size: int) -> tuple[int, float, float]:
    """Leaves, assessment time and Task construction time for one size."""
    repeat = max(1, 100_000 // size)
    plan, ledger = synthetic(size)
    leaves = (
        sum(1 for _ in plan.tasks())
        + len(plan.policies)
        + sum(len(measure.targets) for measure in plan.measures)
    )
    assessed = _assess_time(plan, ledger, repeat)
    del plan, ledger
    built = min(_cpu(partial(_construct_tasks, size)) for _ in range(repeat))
    return leaves, assessed, built


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; return 1 if a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=SIZES[-1], help="largest size to run")
    args = parser.parse_args(argv)
    sizes = [size for size in SIZES if size <= args.max]
    print(f"{'leaves':>9} {'assess s':>9} {'us/leaf':>8} {'Task us':>8} {'ratio':>6} {'growth':>7}")
    previous: float | None = None
    missed = False
    for size in sizes:
        leaves, assessed, built = _measure(size)
        ratio = assessed / built
        growth = "" if previous is None else f"{assessed / previous:6.2f}x"
        print(
            f"{leaves:>9} {assessed:>9.3f} {assessed / leaves * 1e6:>8.2f} "
            f"{built / size * 1e6:>8.2f} {ratio:>6.2f} {growth:>7}"
        )
        missed = missed or ratio > 3 or (previous is not None and assessed / previous > 12)
        previous = assessed
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")
    print("goals met" if not missed else "a goal was missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
