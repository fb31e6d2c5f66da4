"""Benchmark: the columnar engine on portfolios of 16k to 16M leaves.

For each size it times, in one process and on the same portfolio:

- `object`: [`beijing_plan.assess`][beijing_plan.assess] plan by plan, reading the overall and
  by-theme results (only up to `--object-max`, as it holds Python objects);
- `columnar`: [`beijing_plan.columnar.assess_tables`][beijing_plan.columnar.assess_tables] on polars
  frames of the two tables, to the plan and theme results (`by=("plan", "theme")`),
  without the checks of the tables (`check=False`); `checks` is
  [`check_tables`][beijing_plan.columnar.check_tables] alone, and `checked` the
  default call, which makes the checks and then assesses;
- `floor`: a hand-written polars group-by of the same flat roll-up (completion,
  expected, spi, coverage, weight, status per plan and per theme) from leaf
  completions computed beforehand, outside the timing.

It prints the best of `--repeat` runs of each, the peak memory each one adds
(the resident high-water mark, reset before each run through
`/proc/self/clear_refs` where Linux allows it; memory freed by an earlier run
and kept by the allocator is not counted again, so the engine's first run at a
size is the roll-up, whose figure is the one to read), and the ratios
`columnar / floor`, `object / columnar` and `object / checked`; `leaf s`
is the columnar engine asked for the leaves only (`by="leaf"`), which is most
of its work: what is left is the roll-up the floor does. Goals: within 2x of
the floor from 1.6M leaves up, and at least 20x faster than the object engine.
They are judged on `columnar`: the object engine checks, as it reads a
ledger, that each record names an item that takes it, but its plans and
records were validated when they were built, outside its timing, which is what
most of the checks of the tables do.

A portfolio is made of plans of 1,600 leaves: 40 measures, each with one target
of its own and 37 tasks, and 80 policies, under twelve themes (three with three
sub-themes each). Half the tasks have a target (with one to three observations),
a quarter a milestone, a tenth a trajectory; most leaves have a status record.
Ten distinct plans are drawn from a fixed seed and repeated under new ids; the
16M portfolio tiles the 1.6M tables under new plan ids, keys and set numbers, as
its objects would not fit in memory (the object engine does not run on it). Its
run takes a few minutes and about 12 GiB, so `--max` stops at 1.6M by default.

Run: `python benchmarks/bench_columnar.py` (`--max 160000` for a quick run,
`--min 16000000 --max 16000000` for the largest alone).
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import re
import resource
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from beijing_plan.assessment import assess
from beijing_plan.columnar import Tables, assess_tables, check_tables, to_tables
from beijing_plan.ledger import Ledger, Observation, Record, StatusChange
from beijing_plan.model import Measure, Milestone, Plan, Policy, Target, Task, Theme
from beijing_plan.rules import Rules
from beijing_plan.units import Quantity

SIZES = (16_000, 160_000, 1_600_000, 16_000_000)
LEAVES_PER_PLAN = 1_600
DISTINCT_PLANS = 10
#: Portfolios larger than this are made by tiling its tables.
TILED_FROM = 1_600_000
AS_OF = "2025-07-01"
_STATUS = Path("/proc/self/status")
_CLEAR = Path("/proc/self/clear_refs")

_THEMES = tuple(
    [Theme(f"th{i}", f"Theme {i}") for i in range(3)]
    + [Theme(f"th{i}-{j}", f"Theme {i}.{j}", parent=f"th{i}") for i in range(3) for j in range(3)]
)
_THEME_IDS = [theme.id for theme in _THEMES]
_COMPARATORS = ("at_least", "at_least", "at_most", "between", "exactly")
_AGGREGATIONS = ("last", "last", "sum", "max", "mean")


def _day(rng: random.Random, low: int = 0, high: int = 364) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime((20089 + rng.randint(low, high)) * 86400))


def _target(rng: random.Random, target_id: str, records: list[Record]) -> Target:
    comparator = rng.choice(_COMPARATORS)
    value = rng.randint(10, 100)
    target = Target(
        target_id,
        "Target",
        comparator,
        Quantity(value, "count"),
        upper=Quantity(value + 20, "count") if comparator == "between" else None,
        aggregation=rng.choice(_AGGREGATIONS),
        weight=rng.choice((1, 1, 2)),
    )
    records.extend(
        Observation(target_id, _day(rng), Quantity(rng.randint(0, 120), "count"))
        for _ in range(rng.randint(1, 3))
    )
    return target


def _status(rng: random.Random, item: str, records: list[Record]) -> None:
    roll = rng.random()
    if roll < 0.03:
        records.append(StatusChange(item, _day(rng), "cancelled"))
    elif roll < 0.25:
        records.append(StatusChange(item, _day(rng), "done"))
    elif roll < 0.7:
        records.append(
            StatusChange(item, _day(rng), "in_progress", percent=float(rng.randint(0, 100)))
        )
    elif roll < 0.8:
        records.append(StatusChange(item, _day(rng), "not_started"))


def make_plan(plan_id: str, seed: int) -> tuple[Plan, Ledger]:
    """One plan of 1,600 leaves and its ledger, drawn from `seed`."""
    rng = random.Random(seed)
    records: list[Record] = []
    measures = []
    for m in range(40):
        tasks = []
        for t in range(37):
            task_id = f"m{m}-t{t}"
            targets = [_target(rng, f"{task_id}-g", records)] if rng.random() < 0.5 else []
            milestones = []
            if rng.random() < 0.25:
                milestones.append(Milestone(f"{task_id}-ms", "Milestone"))
                if rng.random() < 0.5:
                    records.append(StatusChange(f"{task_id}-ms", _day(rng), "done"))
            start = _day(rng, 0, 120)
            trajectory = [(_day(rng, 150, 200), 0.4)] if rng.random() < 0.1 else []
            tasks.append(
                Task(
                    task_id,
                    "Task",
                    themes={rng.choice(_THEME_IDS)},
                    start=start,
                    due=_day(rng, 240, 364),
                    weight=rng.choice((1, 1, 2, 3)),
                    targets=targets,
                    milestones=milestones,
                    trajectory=trajectory,
                )
            )
            _status(rng, task_id, records)
        measures.append(
            Measure(
                f"m{m}",
                m + 1,
                "Measure",
                themes={_THEME_IDS[m % 3]},
                targets=[_target(rng, f"m{m}-g", records)],
                tasks=tasks,
            )
        )
    policies = []
    for p in range(80):
        policy_id = f"p{p}"
        policies.append(
            Policy(policy_id, "Policy", measures=(f"m{p % 40}",) if p % 4 else (), due=_day(rng))
        )
        _status(rng, policy_id, records)
    rng.shuffle(records)
    plan = Plan(
        plan_id,
        "Plan",
        start="2025-01-01",
        end="2025-12-31",
        themes=_THEMES,
        measures=measures,
        policies=policies,
    )
    return plan, Ledger(records)


def portfolio(leaves: int) -> list[tuple[Plan, Ledger]]:
    """Plans and ledgers adding up to `leaves` leaves (distinct ones repeated)."""
    base = [make_plan(f"plan{i}", seed=i) for i in range(DISTINCT_PLANS)]
    count = leaves // LEAVES_PER_PLAN
    return [
        (attrs.evolve(base[i % DISTINCT_PLANS][0], id=f"plan{i}"), base[i % DISTINCT_PLANS][1])
        for i in range(count)
    ]


def tiled(tables: Tables, times: int) -> Tables:
    """`times` copies of a portfolio's tables, each copy's plans, keys and sets renamed.

    Every copy moves its keys (the leaves', the records' and those of the parts
    listed in `parts`) and its set numbers past the previous copy's, so that
    they stay unique in the whole portfolio as [`to_tables`][beijing_plan.columnar.to_tables] makes
    them.
    """
    join: Any = pc.binary_join_element_wise  # its stubs refuse a column with a scalar
    keys = (
        max(
            pc.max(tables.leaves.column("key")).as_py(),
            pc.max(tables.records.column("key")).as_py(),
        )
        + 1
    )
    sets = {
        name: pc.max(tables.leaves.column(name)).as_py() + 1
        for name in ("measure_set", "theme_set")
    }

    def moved(table: pa.Table, column: str, by: int) -> pa.Table:
        index = table.schema.get_field_index(column)
        return table.set_column(index, column, pc.add(table.column(column), by))

    def moved_parts(table: pa.Table, by: int) -> pa.Table:
        parts: Any = table.column("parts").combine_chunks()
        values = parts.values
        fields = [values.field(i) for i in range(values.type.num_fields)]
        at = values.type.get_field_index("key")
        fields[at] = pc.add(fields[at], by)
        struct = pa.StructArray.from_arrays(fields, fields=list(values.type))
        lists = pa.ListArray.from_arrays(parts.offsets, struct, mask=parts.is_null())
        return table.set_column(table.schema.get_field_index("parts"), "parts", lists)

    def copy(table: pa.Table, number: int, *, leaves: bool) -> pa.Table:
        table = table.set_column(0, "plan", join(table.column("plan"), f"x{number}", "-"))
        table = moved(table, "key", number * keys)
        if leaves:
            for name, count in sets.items():
                table = moved(table, name, number * count)
            table = moved_parts(table, number * keys)
        return table

    leaves = pa.concat_tables(copy(tables.leaves, n, leaves=True) for n in range(times))
    records = pa.concat_tables(copy(tables.records, n, leaves=False) for n in range(times))
    return Tables(leaves, records)


def _kib(field: str) -> int:
    if not _STATUS.exists():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = re.search(rf"{field}:\s+(\d+)", _STATUS.read_text())
    return int(found.group(1)) if found else 0


def measured(action: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Best time in seconds, peak added memory in MiB, and the last result."""
    best, peak, result = float("inf"), 0.0, None
    for _ in range(repeat):
        result = None
        gc.collect()
        if _CLEAR.exists():
            _CLEAR.write_text("5")  # reset the high-water mark to the current size
        before = _kib("VmRSS")
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
        peak = max(peak, (_kib("VmHWM") - before) / 1024)
    return best, peak, result


def object_engine(pairs: list[tuple[Plan, Ledger]]) -> int:
    """Assess every plan with the object engine; return the number of results read."""
    rules = Rules()
    count = 0
    for plan, ledger in pairs:
        assessment = assess(plan, ledger, as_of=AS_OF, rules=rules)
        count += 1 + len(assessment.by_theme()) + (assessment.overall.completion is not None)
    return count


def polars_frames(tables: Tables) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The tables as polars frames (made once, outside the timings, like the floor's input)."""
    leaves, records = pl.from_arrow(tables.leaves), pl.from_arrow(tables.records)
    assert isinstance(leaves, pl.DataFrame)
    assert isinstance(records, pl.DataFrame)
    return leaves, records


def columnar(
    frames: tuple[pl.DataFrame, pl.DataFrame],
    by: str | tuple[str, ...] = ("plan", "theme"),
    *,
    check: bool = False,
) -> pl.DataFrame:
    """Results of the columnar engine on polars (without the checks of the tables, unless asked)."""
    leaves, records = frames
    return assess_tables(leaves, records, as_of=AS_OF, by=by, check=check)


def checks(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    """The checks of the tables alone."""
    check_tables(*frames)


def leaf_inputs(frames: tuple[pl.DataFrame, pl.DataFrame]) -> pl.DataFrame:
    """Each leaf's completion and what a roll-up needs, computed before the floor runs."""
    leaves, records = frames
    results = assess_tables(leaves, records, as_of=AS_OF, by="leaf")
    return (
        results.select(
            "plan",
            pl.col("id").alias("leaf"),
            "completion",
            "expected",
            (pl.col("coverage") > 0).alias("recorded"),
            (pl.col("status") == "cancelled").alias("cancelled"),
            "due",
        )
        .join(
            leaves.select(
                "plan",
                "leaf",
                "weight",
                "plan_end",
                pl.col("themes").list.eval(pl.element().struct.field("id")).alias("themes"),
            ),
            on=["plan", "leaf"],
        )
        .rechunk()
    )


def floor(leaves: pl.DataFrame) -> pl.DataFrame:
    """The flat roll-up per plan and per theme, written by hand in polars."""
    rules = Rules()
    active = ~pl.col("cancelled")
    known = active & pl.col("completion").is_not_null()
    weight = pl.col("weight")
    sums = [
        pl.when(active).then(weight).otherwise(0.0).sum().alias("weight"),
        pl.when(active & pl.col("recorded")).then(weight).otherwise(0.0).sum().alias("covered"),
        pl.when(known).then(weight).otherwise(0.0).sum().alias("counted"),
        pl.when(known).then(weight * pl.col("completion")).otherwise(0.0).sum().alias("done"),
        pl.when(known).then(weight * pl.col("expected")).otherwise(0.0).sum().alias("due_by"),
        pl.when(active).then(pl.col("due")).max().alias("due"),
        pl.col("plan_end").max(),
        active.sum().alias("active"),
    ]
    completion = pl.when(pl.col("counted") > 0).then(pl.col("done") / pl.col("counted"))
    expected = pl.when(pl.col("counted") > 0).then(pl.col("due_by") / pl.col("counted"))
    index = pl.col("completion") / pl.col("expected")
    status = (
        pl.when(pl.col("active") == 0)
        .then(pl.lit("cancelled"))
        .when(pl.col("completion").is_null())
        .then(pl.lit("no_data"))
        .when(pl.col("completion") >= 1)
        .then(pl.lit("done"))
        .when(pl.col("due").fill_null(pl.col("plan_end")) < pl.lit(AS_OF).str.to_date())
        .then(pl.lit("overdue"))
        .when(pl.col("expected") <= 0)
        .then(pl.lit("on_track"))
        .when(index >= rules.on_track)
        .then(pl.lit("on_track"))
        .when(index >= rules.at_risk)
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("off_track"))
    )
    lazy = leaves.lazy()
    by_plan = lazy.group_by("plan").agg(sums).with_columns(id=pl.col("plan"))
    by_theme = (
        lazy.explode("themes").drop_nulls("themes").group_by("plan", "themes").agg(sums)
    ).rename({"themes": "id"})
    frames = [
        frame.with_columns(
            completion=pl.min_horizontal(completion, 1.0),
            expected=pl.min_horizontal(expected, 1.0),
            coverage=pl.when(pl.col("weight") > 0).then(pl.col("covered") / pl.col("weight")),
        )
        .with_columns(spi=pl.col("completion") / pl.col("expected"), status=status)
        .select("plan", "id", "completion", "expected", "spi", "coverage", "weight", "status")
        for frame in (by_plan, by_theme)
    ]
    return pl.concat(frames).collect()


def _same(columnar_result: pl.DataFrame, floor_result: pl.DataFrame) -> bool:
    """Whether the engine and the floor agree on every completion and status."""
    left = columnar_result.select("plan", "id", "completion", "status").sort("plan", "id")
    right = floor_result.select("plan", "id", "completion", "status").sort("plan", "id")
    if left.height != right.height or left["status"].to_list() != right["status"].to_list():
        return False
    difference = (left["completion"].fill_null(-1) - right["completion"].fill_null(-1)).abs()
    return bool(difference.max() <= 1e-9)  # type: ignore[operator]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; return 1 if a goal is missed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--max", type=int, default=1_600_000, help="largest portfolio, in leaves")
    parser.add_argument("--min", type=int, default=0, help="smallest portfolio, in leaves")
    parser.add_argument(
        "--object-max", type=int, default=1_600_000, help="largest portfolio for the object engine"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the best counts")
    args = parser.parse_args(argv)
    sizes = [size for size in SIZES if args.min <= size <= args.max]
    header = (
        f"{'leaves':>10} {'records':>10} {'tables s':>9} {'object s':>9} {'leaf s':>8} "
        f"{'columnar s':>10} {'checks s':>8} {'checked s':>9} {'floor s':>8} {'col MiB':>8} "
        f"{'floor MiB':>9} {'col/floor':>9} {'obj/col':>8} {'obj/checked':>11}"
    )
    print(header)
    missed = False
    base: Tables | None = None
    for size in sizes:
        object_s = float("nan")
        if size <= TILED_FROM:
            pairs = portfolio(size)
            plans, ledgers = zip(*pairs, strict=True)
            made, _, tables = measured(partial(to_tables, plans, ledgers), 1)
            if size <= args.object_max:
                object_s, _, _ = measured(partial(object_engine, pairs), 1)
            del pairs, plans, ledgers
            base = tables if size == TILED_FROM else base
        else:
            if base is None:
                base = to_tables(*zip(*portfolio(TILED_FROM), strict=True))
            made, _, tables = measured(partial(tiled, base, size // TILED_FROM), 1)
            base = None  # the largest size comes last: free what is not needed
        counts = tables.leaves.num_rows, tables.records.num_rows
        frames = polars_frames(tables)
        del tables
        # The roll-up runs first: an allocator keeps what a run freed, so the
        # memory a later run adds says little.
        col_s, col_mib, result = measured(partial(columnar, frames), args.repeat)
        leaf_s, _, _ = measured(partial(columnar, frames, "leaf"), args.repeat)
        check_s, _, _ = measured(partial(checks, frames), args.repeat)
        checked_s, _, _ = measured(partial(columnar, frames, check=True), args.repeat)
        inputs = leaf_inputs(frames)
        floor_s, floor_mib, reference = measured(partial(floor, inputs), args.repeat)
        if not _same(result, reference):
            print(f"the engine and the floor disagree at {size} leaves")
            missed = True
        del inputs, result, reference, frames
        ratio, speedup = col_s / floor_s, object_s / col_s
        print(
            f"{counts[0]:>10} {counts[1]:>10} {made:>9.2f} "
            f"{object_s:>9.2f} {leaf_s:>8.3f} {col_s:>10.3f} {check_s:>8.3f} {checked_s:>9.3f} "
            f"{floor_s:>8.3f} {col_mib:>8.0f} {floor_mib:>9.0f} {ratio:>9.2f} {speedup:>8.1f} "
            f"{object_s / checked_s:>11.1f}",
            flush=True,
        )
        missed = missed or (size >= 1_600_000 and ratio > 2)
        missed = missed or (not math.isnan(speedup) and speedup < 20)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the run: {peak:.0f} MiB")
    print("goals met" if not missed else "a goal was missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
