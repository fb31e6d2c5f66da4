"""Record progress on a plan month by month, then report on it.

Run it with ``python examples/record_and_report.py``. It takes the example plan
of ``model_your_plan.py`` (beside this file), appends the progress reports of
2025 to a JSON Lines ledger file in a temporary folder as they would arrive,
corrects a figure, and then prints:

- the plan's completion, expected completion, coverage and status at the end of
  each quarter;
- a report by measure and by theme as of 30 September, in Chinese and English;
- every leaf (task, policy, measure's own target) with the rule that set its
  completion, and the forecast of the lift target;
- the explanation of the plan's figure, from which it can be recomputed by hand.

Nothing is written outside the temporary folder.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path

from beijing_plan import (
    Assessment,
    LedgerFile,
    Observation,
    Plan,
    Quantity,
    Record,
    Rules,
    Source,
    StatusChange,
    assess,
)

REPORT = Source("Riverside District monthly progress report (an example)")

#: The progress reports of 2025, in the order they arrive: (report date, records).
REPORTS: list[tuple[str, list[Record]]] = [
    (
        "2025-03-31",
        [
            # "sum" target: each observation is the number installed since the last report.
            Observation("lifts-installed", "2025-03-31", Quantity(25, "count"), source=REPORT),
            # A level: the investment made so far this year, in 亿元.
            Observation("renewal-investment", "2025-03-31", Quantity("2.5", "亿元")),
            StatusChange(
                "lift-subsidy",
                "2025-03-31",
                "in_progress",
                percent=50,
                note="draft out for comment",
            ),
        ],
    ),
    (
        "2025-04-30",
        [
            Observation("lifts-installed", "2025-04-30", Quantity(30, "count"), source=REPORT),
            StatusChange("heating-design", "2025-04-20", "done", source=REPORT),
        ],
    ),
    (
        "2025-05-31",
        [
            Observation("lifts-installed", "2025-05-31", Quantity(20, "count"), source=REPORT),
            StatusChange("lift-subsidy", "2025-05-15", "done", note="issued"),
            # A reported percent; the task's milestones have records, so they decide instead.
            StatusChange("heating", "2025-05-31", "in_progress", percent=30),
        ],
    ),
    (
        "2025-06-30",
        [
            Observation("lifts-installed", "2025-06-30", Quantity(15, "count"), source=REPORT),
            # Investment of 6亿元 reported in yuan: units of one dimension convert exactly.
            Observation("renewal-investment", "2025-06-30", Quantity(600_000_000, "yuan")),
            Observation("green-share", "2025-06-30", Quantity("49.1", "%")),
            StatusChange("heating-works", "2025-06-30", "in_progress"),
        ],
    ),
    (
        "2025-07-05",
        [
            # A correction: a later record for the same target and day replaces the first.
            Observation(
                "lifts-installed", "2025-06-30", Quantity(18, "count"), note="recount: 18, not 15"
            ),
        ],
    ),
    (
        "2025-09-30",
        [
            Observation("lifts-installed", "2025-08-31", Quantity(17, "count"), source=REPORT),
            StatusChange("heating-works", "2025-09-30", "done", source=REPORT),
            Observation("green-share", "2025-09-30", Quantity("49.6", "%")),
            Observation("renewal-investment", "2025-09-30", Quantity(9, "亿元")),
        ],
    ),
]

QUARTERS = ("2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31")


def build_plan() -> Plan:
    """The plan that ``model_your_plan.py``, beside this script, builds."""
    sys.dont_write_bytecode = True  # leave no __pycache__ in the examples folder
    module = importlib.import_module("model_your_plan")
    plan: Plan = module.build_plan()
    return plan


def percent(value: float | None) -> str:
    """A fraction as a percentage, or a dash when it is unknown."""
    return "-" if value is None else f"{value:.1%}"


def quarterly(plan_ledger: LedgerFile) -> None:
    """Print the plan's figures at the end of each quarter."""
    plan = build_plan()
    ledger = plan_ledger.read()
    print(f"{'as of':10}  {'completion':>10}  {'expected':>8}  {'coverage':>8}  status")
    for quarter in QUARTERS:
        overall = assess(plan, ledger, as_of=quarter).overall
        print(
            f"{quarter:10}  {overall.completion:10.4f}  {percent(overall.expected):>8}  "
            f"{percent(overall.coverage):>8}  {overall.status.value}"
        )


def report(assessment: Assessment) -> None:
    """Print measures and themes, with labels in Chinese and English."""
    rules = assessment.rules
    print(f"Report as of {assessment.as_of}")
    groups = {**assessment.by_measure(), **assessment.by_theme()}
    for result in groups.values():
        status = result.status
        print(
            f"  {result.kind:8} {result.title.get('en')[:32]:32} {percent(result.completion):>6}"
            f"  {rules.label(status, 'zh')} / {rules.label(status, 'en')} ({rules.colour(status)})"
        )


def leaves(assessment: Assessment) -> None:
    """Print each leaf with the rule that decided its completion."""
    print("Leaves:")
    for result in assessment.leaves():
        print(f"  {result.id:20} {percent(result.completion):>6}  rule {result.rule}")
    lifts = assessment["lifts-installed"]
    outlook = lifts.forecast
    if lifts.current is not None and outlook is not None:
        verdict = "would meet" if outlook.would_meet else "would miss"
        print(
            f"Lifts installed so far: {lifts.current.value}; the trend reaches "
            f"{outlook.value.value:.0f} by {outlook.on}, which {verdict} the target"
        )


def main() -> None:
    """Record the year's reports in a ledger file, then report on the plan."""
    plan = build_plan()
    with tempfile.TemporaryDirectory() as folder:
        log = LedgerFile(Path(folder) / "progress.jsonl")
        for arrived, records in REPORTS:
            log.append(*records)  # one write per report, safe for concurrent writers
            print(f"{arrived}: appended {len(records)} record(s)")
        ledger = log.read()
        ledger.check(plan)  # every record names an item of the plan, of the right kind
        print(f"The ledger holds {len(ledger)} records\n")

        quarterly(log)
        print()
        assessment = assess(plan, ledger, as_of="2025-09-30", rules=Rules())
        report(assessment)
        print()
        leaves(assessment)
        print()
        print(assessment.overall.explain())


if __name__ == "__main__":
    main()
