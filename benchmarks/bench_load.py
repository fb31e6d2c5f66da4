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

#: The least time spent on each measurement, in seconds.
MIN_SECONDS = 1.0


def best(func: Callable[[], object], repeat: int) -> float:
    """The least CPU time of `repeat` calls, in seconds.

    CPU time of this process, not wall time: on a busy machine the time spent
    waiting for a core would count against the longer operations only. Short
    operations are repeated for at least `MIN_SECONDS` in all.
    """
    times: list[float] = []
    while len(times) < repeat or sum(times) < MIN_SECONDS:
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return min(times)


def _pydantic() -> Any:
    """The pydantic models module, or `None` (with a message) when pydantic is missing."""
    try:
        import pydantic_models  # noqa: PLC0415 (pydantic is optional here)
    except ImportError as error:
        print(f"pydantic column skipped: {error} (pip install pydantic to compare)")
        return None
    return pydantic_models


def _row(name: str, ours: float, floor: float, theirs: float | None) -> None:
    ratio = ours / floor
    goal = GOALS[name]
    mark = "ok" if ratio <= goal else "over"
    other = "" if theirs is None else f"   pydantic {theirs / floor:6.2f}x"
    print(
        f"  {name:<16} {ours * 1e3:8.1f} ms   orjson {floor * 1e3:7.1f} ms   "
        f"ours {ratio:6.2f}x (goal <= {goal}, {mark}){other}"
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

    def theirs(func: Callable[[], object] | None) -> float | None:
        return None if func is None else best(func, repeat)

    print("loads")
    _row(
        "plan loads",
        best(lambda: bp.loads(plan_text), repeat),
        best(lambda: orjson.loads(plan_text), repeat),
        theirs(models and (lambda: models.PlanModel.model_validate_json(plan_text))),
    )
    _row(
        "ledger loads",
        best(lambda: bp.loads(ledger_text, bp.Ledger), repeat),
        best(lambda: orjson.loads(ledger_text), repeat),
        theirs(models and (lambda: models.LedgerModel.model_validate_json(ledger_text))),
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
            best(bp.LedgerFile(path).read, repeat),
            best(floor_read, repeat),
            theirs(models and pydantic_read),
        )
        os.remove(path)

    print("dumps")
    _row(
        "plan dumps",
        best(lambda: bp.dumps(plan), repeat),
        best(lambda: orjson.dumps(plan_data, option=orjson.OPT_INDENT_2), repeat),
        theirs(p_plan and (lambda: models.plan_dump(p_plan))),
    )
    _row(
        "ledger dumps",
        best(lambda: bp.dumps(ledger), repeat),
        best(lambda: orjson.dumps(ledger_data, option=orjson.OPT_INDENT_2), repeat),
        theirs(p_ledger and (lambda: models.ledger_dump(p_ledger))),
    )


if __name__ == "__main__":
    main()
