"""Loading and saving against orjson, and against pydantic v2, in one run.

Run: `python benchmarks/bench_load.py`. For the benchmark plan of
benchmarks/bench_files.py (27 measures x 6 tasks x 2 targets) and its ledger of
100,000 records, it prints the best of several runs of each, as a ratio to
`orjson.loads` / `orjson.dumps` of the same text measured in the same process:

- plan loads, ledger loads, `LedgerFile.read` (against orjson of the file's lines);
- plan dumps, ledger dumps;
- beside them, the same for pydantic v2 models of the plan and the ledger with
  the same checks (benchmarks/pydantic_models.py), when pydantic is installed
  (`pip install pydantic`; it is no dependency of the package).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from bench_files import make_ledger, make_plan

import beijing_plan as bp

#: The goals of issue 20, as ratios to orjson.
GOALS = {
    "plan loads": 5.0,
    "ledger loads": 2.5,
    "LedgerFile.read": 3.0,
    "plan dumps": 5.5,
    "ledger dumps": 5.0,
}

#: The least time spent on each function in each round, in seconds.
BATCH_SECONDS = 0.15


def best(funcs: list[Callable[[], object] | None], repeat: int) -> list[float | None]:
    """The least CPU time of one call of each of `funcs`, in seconds.

    The functions take turns in `repeat` rounds, so that a slow spell of a shared
    machine falls on all of them alike rather than on whichever ran then. In its
    turn a function is called again and again for at least `BATCH_SECONDS`, so
    that a short one runs with the caches warm from its own last call, as it
    would alone. CPU time of this process, not wall time: time spent waiting for a
    core would count against the longer operations only.
    """
    least: dict[int, float] = {}
    for _ in range(repeat):
        for func in funcs:
            if func is None:
                continue
            spent = 0.0
            while spent < BATCH_SECONDS:
                start = time.process_time()
                func()
                took = time.process_time() - start
                spent += took
                least[id(func)] = min(least.get(id(func), took), took)
    return [None if func is None else least[id(func)] for func in funcs]


def _pydantic() -> Any:
    """The pydantic models module, or `None` (with a message) when pydantic is missing."""
    try:
        import pydantic_models  # noqa: PLC0415 (pydantic is optional here)
    except ImportError as error:
        print(f"pydantic column skipped: {error} (pip install pydantic to compare)")
        return None
    return pydantic_models


def _row(
    name: str,
    ours: Callable[[], object],
    floor: Callable[[], object],
    theirs: Callable[[], object] | None,
    repeat: int,
) -> None:
    """Time `ours`, `floor` (orjson) and `theirs` (pydantic) in rounds; print the ratios."""
    mine, base, other = best([ours, floor, theirs], repeat)
    assert mine is not None
    assert base is not None
    ratio = mine / base
    goal = GOALS[name]
    mark = "ok" if ratio <= goal else "over"
    beside = "" if other is None else f"   pydantic {other / base:6.2f}x"
    print(
        f"  {name:<16} {mine * 1e3:8.1f} ms   orjson {base * 1e3:7.1f} ms   "
        f"ours {ratio:6.2f}x (goal <= {goal}, {mark}){beside}"
    )


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    repeat = args.repeat

    plan = make_plan()
    ledger = make_ledger(plan, args.records)
    models = _pydantic()

    plan_text = bp.dumps(plan)
    ledger_text = bp.dumps(ledger)
    assert bp.loads(plan_text) == plan
    assert bp.loads(ledger_text, bp.Ledger) == ledger
    plan_data = orjson.loads(plan_text)
    ledger_data = orjson.loads(ledger_text)
    print(
        f"plan {len(plan_text) / 1e6:.2f} MB, ledger of {len(ledger)} records "
        f"{len(ledger_text) / 1e6:.1f} MB; best of {repeat}"
    )

    p_plan = p_ledger = None
    if models is not None:
        p_plan = models.PlanModel.model_validate_json(plan_text)
        p_ledger = models.LedgerModel.model_validate_json(ledger_text)
        assert models.plan_dump(p_plan) == plan_text
        assert models.ledger_dump(p_ledger) == ledger_text

    print("loads")
    _row(
        "plan loads",
        lambda: bp.loads(plan_text),
        lambda: orjson.loads(plan_text),
        models and (lambda: models.PlanModel.model_validate_json(plan_text)),
        repeat,
    )
    _row(
        "ledger loads",
        lambda: bp.loads(ledger_text, bp.Ledger),
        lambda: orjson.loads(ledger_text),
        models and (lambda: models.LedgerModel.model_validate_json(ledger_text)),
        repeat,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "progress.jsonl"
        bp.LedgerFile(path).write(ledger)
        assert bp.LedgerFile(path).read() == ledger
        lines = path.read_bytes().split(b"\n")[1:-1]

        def floor_read() -> list[Any]:
            with open(path, "rb") as stream:
                data = stream.read()
            return [orjson.loads(line) for line in data.split(b"\n")[1:-1]]

        def pydantic_read() -> object:
            with open(path, "rb") as stream:
                data = stream.read()
            return models.read_lines(data.split(b"\n")[1:-1])

        assert len(floor_read()) == len(lines)
        _row(
            "LedgerFile.read",
            bp.LedgerFile(path).read,
            floor_read,
            models and pydantic_read,
            repeat,
        )
        os.remove(path)

    print("dumps")
    _row(
        "plan dumps",
        lambda: bp.dumps(plan),
        lambda: orjson.dumps(plan_data, option=orjson.OPT_INDENT_2),
        p_plan and (lambda: models.plan_dump(p_plan)),
        repeat,
    )
    _row(
        "ledger dumps",
        lambda: bp.dumps(ledger),
        lambda: orjson.dumps(ledger_data, option=orjson.OPT_INDENT_2),
        p_ledger and (lambda: models.ledger_dump(p_ledger)),
        repeat,
    )


if __name__ == "__main__":
    main()
