"""Benchmark: the columnar engine against a hand-written polars pipeline, and its checks.

For each size, on the portfolio of bench_columnar.py, in one process, it times
in rounds (each run of a round once, the best of `--repeat` rounds counting):

- `engine`: [`assess_tables`][beijing_plan.columnar.assess_tables] on polars frames of
  the two tables at all four levels (`by=("plan", "measure", "theme", "leaf")`),
  without the checks (`check=False`);
- `reference`: [`reference`][columnar_reference.reference], the same figures written by
  hand as one lazy polars query (see columnar_reference.py); the two results are
  compared, every completion, expected value and coverage within 1e-9 and every
  leaf's status the same;
- `assess`: the engine's default call unchecked (`by=("plan", "theme")`), and
  `checks`: [`check_tables`][beijing_plan.columnar.check_tables] alone, the checks
  that guard it.

It prints the times and the ratios `engine / reference` (goal: at most 1.5 at
1.6M leaves) and `checks / assess` (goal: at most 0.5). The tables can be kept
as Parquet in a folder (`--tables`), as building the 1.6M portfolio's takes
minutes.

Run: `python benchmarks/bench_reference.py` (`--max 160000` for a quick run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from bench_columnar import polars_frames, portfolio
from columnar_reference import reference

from beijing_plan.columnar import Tables, assess_tables, check_tables, to_tables
from beijing_plan.rules import Rules

SIZES = (16_000, 160_000, 1_600_000)
AS_OF = dt.date(2025, 7, 1)
ALL_LEVELS = ("plan", "measure", "theme", "leaf")
_ORDER = ("level", "plan", "id")


def tables_of(size: int, folder: Path | None) -> Tables:
    """The portfolio's tables, read from `folder/<size>` if kept there, else made (and kept)."""
    kept = None if folder is None else folder / str(size)
    if kept is not None and (kept / "leaves.parquet").exists():
        return Tables.read_parquet(kept)
    tables = to_tables(*zip(*portfolio(size), strict=True))
    if kept is not None:
        tables.write_parquet(kept)
    return tables


def rounds(actions: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """The best time of each action over `repeat` rounds, each round running every action once."""
    best = dict.fromkeys(actions, float("inf"))
    for _ in range(repeat):
        for name, action in actions.items():
            gc.collect()
            start = time.perf_counter()
            action()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def disagreements(engine: pl.DataFrame, hand: pl.DataFrame) -> list[str]:
    """What differs between the engine's results and the reference's (nothing, if they agree)."""
    columns = [*_ORDER, "completion", "expected", "coverage", "status"]
    left = engine.select(columns)
    right = hand.select(columns)
    if left.height != right.height:
        return [f"{left.height} rows against {right.height}"]
    both = left.join(right, on=list(_ORDER), how="full", suffix="_hand", nulls_equal=True)
    found = []
    for name in ("completion", "expected", "coverage"):
        mine, theirs = pl.col(name), pl.col(f"{name}_hand")
        apart = ((mine - theirs).abs() > 1e-9).fill_null(value=False)
        count = both.filter((mine.is_null() != theirs.is_null()) | apart).height
        if count:
            found.append(f"{count} values of {name}")
    leaf = pl.col("level") == "leaf"
    statuses = both.filter(leaf & pl.col("status").ne_missing(pl.col("status_hand"))).height
    if statuses:
        found.append(f"{statuses} statuses of leaves")
    return found


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; return 1 if a goal is missed or the results differ."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--max", type=int, default=1_600_000, help="largest portfolio, in leaves")
    parser.add_argument("--min", type=int, default=0, help="smallest portfolio, in leaves")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, the best counts")
    parser.add_argument("--tables", type=Path, help="a folder to keep the tables in")
    args = parser.parse_args(argv)
    rules = Rules()
    print(
        f"{'leaves':>10} {'records':>10} {'engine s':>9} {'reference s':>11} "
        f"{'eng/ref':>8} {'assess s':>9} {'checks s':>9} {'checks/assess':>13}"
    )
    missed = False
    for size in (size for size in SIZES if args.min <= size <= args.max):
        tables = tables_of(size, args.tables)
        counts = tables.leaves.num_rows, tables.records.num_rows
        leaves, records = polars_frames(tables)
        del tables
        found = disagreements(
            assess_tables(leaves, records, as_of=AS_OF, by=ALL_LEVELS, check=False),
            reference(leaves, records, as_of=AS_OF, rules=rules),
        )
        if found:
            print(f"the engine and the reference disagree at {size} leaves: {', '.join(found)}")
            missed = True
        best = rounds(
            {
                "engine": partial(
                    assess_tables, leaves, records, as_of=AS_OF, by=ALL_LEVELS, check=False
                ),
                "reference": partial(reference, leaves, records, as_of=AS_OF, rules=rules),
                "assess": partial(assess_tables, leaves, records, as_of=AS_OF, check=False),
                "checks": partial(check_tables, leaves, records),
            },
            args.repeat,
        )
        ratio = best["engine"] / best["reference"]
        share = best["checks"] / best["assess"]
        print(
            f"{counts[0]:>10} {counts[1]:>10} {best['engine']:>9.3f} {best['reference']:>11.3f} "
            f"{ratio:>8.2f} {best['assess']:>9.3f} {best['checks']:>9.3f} {share:>13.2f}",
            flush=True,
        )
        missed = missed or (size >= 1_600_000 and ratio > 1.5) or share > 0.5
    print("goals met" if not missed else "a goal was missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
