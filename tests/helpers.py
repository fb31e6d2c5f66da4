"""Small builders shared by several test files."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence

from beijing_plan import Source, Text
from beijing_plan.ledger import Ledger, StatusChange
from beijing_plan.model import Measure, Plan, Policy, Target, Task, Theme
from beijing_plan.units import Quantity


def count(value: float | int | str) -> Quantity:
    """A quantity of `value` in the unit `count`."""
    return Quantity(value, "count")


def year_plan(
    plan_id: str = "p",
    title: str = "P",
    *,
    measures: Sequence[Measure] = (),
    policies: Sequence[Policy] = (),
) -> Plan:
    """A plan running through 2025 that holds the given measures and policies."""
    return Plan(
        plan_id,
        title,
        start="2025-01-01",
        end="2025-12-31",
        measures=list(measures),
        policies=list(policies),
    )


def one_measure_plan(
    *tasks: Task,
    targets: Sequence[Target] = (),
    plan_id: str = "p",
    title: str = "P",
) -> Plan:
    """A plan running through 2025 whose one measure `m` holds the given tasks and targets."""
    measure = Measure("m", 1, "M", tasks=list(tasks), targets=list(targets))
    return year_plan(plan_id, title, measures=[measure])


def report_plan() -> tuple[Plan, Ledger]:
    """A small bilingual plan with nested themes, sources and a ledger, for report pages.

    As of 2025-07-02 (182 of 364 days, so everything expects 0.5): task `a` is
    done (1), task `b` reports 20% (0.2), policy `pol` has no record (0); the
    measure is 0.6, the theme `econ` 0.6, its sub-theme `digital` 1, the plan 0.4.
    """
    plan = Plan(
        "p",
        Text(zh="首都高质量发展行动计划", en="Action plan for high-quality development"),
        start="2025-01-01",
        end="2025-12-31",
        issuer="北京市人民政府",
        themes=[
            Theme("econ", Text(zh="经济", en="Economy")),
            Theme("digital", Text(zh="数字经济", en="Digital economy"), parent="econ"),
        ],
        measures=[
            Measure(
                "m",
                1,
                Text(zh="推动数据价值释放", en="Release the value of data"),
                themes=frozenset({"econ"}),
                tasks=[
                    Task(
                        "a",
                        Text(zh="建设数据基础设施", en="Build data infrastructure"),
                        themes=frozenset({"digital"}),
                        sources=[Source("Gov notice", "https://example.gov.cn/a?x=1&y=2")],
                    ),
                    Task("b", Text(zh="培育数据企业", en="Grow data companies")),
                ],
            )
        ],
        policies=[
            Policy(
                "pol",
                Text(zh="出台数据条例", en="Issue data regulations"),
                sources=[Source("Not a web page", "javascript:alert(1)")],
            )
        ],
        sources=[Source("Plan text", "http://example.org/plan", published="2025-04-08")],
    )
    ledger = Ledger(
        [
            StatusChange(
                "a",
                "2025-03-01",
                "done",
                source=Source("Daily report", "https://example.com/news/1"),
            ),
            StatusChange("b", "2025-03-01", "in_progress", percent=20),
        ]
    )
    return plan, ledger


def run_in_threads(
    target: Callable[..., object], arguments: Sequence[object], switch: float
) -> None:
    """Run `target(argument)` for each of `arguments`, each in a thread of its own,
    all at once, with the interpreter switching threads every `switch` seconds."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(switch)
    try:
        threads = [threading.Thread(target=target, args=(argument,)) for argument in arguments]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
