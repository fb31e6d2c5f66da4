"""Time `loads`/`dumps` against `orjson.loads`/`orjson.dumps` of the same text.

Run: `python benchmarks/bench_files.py`. It prints, for a plan of 27 measures
x 6 tasks x 2 targets and for a ledger of 100,000 records, the best of several
runs of each, and the ratios to the orjson floor measured in the same process.
It also times `import beijing_plan` against `import attrs, cattrs, pendulum`
in fresh interpreters and checks that no heavy library is imported.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal

import orjson

import beijing_plan as bp


def make_plan(measures: int = 27, tasks: int = 6, targets: int = 2) -> bp.Plan:
    """A synthetic plan shaped like the Beijing work points."""
    themes = [bp.Theme(f"th{i}", bp.Text(zh=f"主题{i}", en=f"Theme {i}")) for i in range(10)]
    return bp.Plan(
        "bench",
        bp.Text(zh="基准计划", en="Benchmark plan"),
        start="2025-01-01",
        end="2025-12-31",
        themes=themes,
        measures=[
            bp.Measure(
                f"m{m}",
                m + 1,
                bp.Text(zh=f"重大举措{m}", en=f"Measure {m}"),
                themes={f"th{m % 10}"},
                tasks=[
                    bp.Task(
                        f"m{m}-t{t}",
                        bp.Text(zh=f"重点任务{m}-{t}", en=f"Task {m}-{t}"),
                        lead=("市发展改革委",),
                        partners=("市财政局", "市科委"),
                        due="2025-12-31",
                        targets=[
                            bp.Target(
                                f"m{m}-t{t}-g{g}",
                                bp.Text(zh="目标", en="Target"),
                                "at_least",
                                bp.Quantity(60 + g, "count"),
                                baseline=bp.Baseline(bp.Quantity(10, "count"), "2024-12-31"),
                            )
                            for g in range(targets)
                        ],
                        sources=(bp.Source("Beijing Daily", "https://example.org/a"),),
                    )
                    for t in range(tasks)
                ],
            )
            for m in range(measures)
        ],
        declared={"measures": 27, "policies": 25},
    )


def make_ledger(plan: bp.Plan, size: int = 100_000) -> bp.Ledger:
    """`size` records spread over the plan's targets and tasks through 2025."""
    targets = [t.id for t in plan.targets()]
    tasks = [t.id for t in plan.tasks()]
    records: list[bp.Record] = []
    for i in range(size):
        day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
        if i % 2:
            records.append(
                bp.Observation(
                    targets[i % len(targets)], day, bp.Quantity(Decimal(i % 97) / 4, "count")
                )
            )
        else:
            records.append(
                bp.StatusChange(tasks[i % len(tasks)], day, "in_progress", percent=i % 101)
            )
    return bp.Ledger(records)


def best(func: Callable[[], object], repeat: int) -> float:
    """The best wall time of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def import_time(statement: str, repeat: int = 7) -> float:
    """Best time of running `statement` in a fresh interpreter, minus the bare start."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = min(run("pass") for _ in range(repeat))
    return min(run(statement) for _ in range(repeat)) - bare


def measure_files(name: str, obj: bp.Plan | bp.Ledger, cls: type, repeat: int) -> None:
    """Print our loads/dumps of `obj` next to orjson's on the same text."""
    text = bp.dumps(obj)
    data = orjson.loads(text)
    assert bp.loads(text, cls) == obj
    t_loads = best(lambda: bp.loads(text, cls), repeat)
    t_floor_loads = best(lambda: orjson.loads(text), repeat)
    t_dumps = best(lambda: bp.dumps(obj), repeat)
    t_floor_dumps = best(lambda: orjson.dumps(data, option=orjson.OPT_INDENT_2), repeat)
    print(f"{name}: {len(text) / 1e6:.1f} MB of JSON")
    print(
        f"  loads {t_loads * 1e3:8.1f} ms   orjson.loads {t_floor_loads * 1e3:7.1f} ms"
        f"   ratio {t_loads / t_floor_loads:5.2f}  (goal <= 4)"
    )
    print(
        f"  dumps {t_dumps * 1e3:8.1f} ms   orjson.dumps {t_floor_dumps * 1e3:7.1f} ms"
        f"   ratio {t_dumps / t_floor_dumps:5.2f}  (goal <= 3)"
    )


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    plan = make_plan()
    ledger = make_ledger(plan, args.records)
    measure_files("plan", plan, bp.Plan, args.repeat)
    measure_files("ledger", ledger, bp.Ledger, args.repeat)

    ours = import_time("import beijing_plan")
    floor = import_time("import attrs, cattrs, pendulum")
    print(
        f"import beijing_plan {ours * 1e3:.1f} ms   import attrs, cattrs, pendulum "
        f"{floor * 1e3:.1f} ms   ratio {ours / floor:.2f}  (goal <= 1.3)"
    )
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, beijing_plan; "
            "print(sorted(m for m in ('pandas', 'numpy', 'polars', 'yaml') if m in sys.modules))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"heavy modules imported by `import beijing_plan`: {heavy}")


if __name__ == "__main__":
    main()
