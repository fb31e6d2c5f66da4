"""Model a small plan of your own, check it, save it and read it back.

Run it with ``python examples/model_your_plan.py``. It builds a made-up district
plan with themes, two major measures (重大举措), key tasks (重点任务) with their
lead units (牵头单位), targets and milestones, and a policy; shows how a mistake
is reported; then saves the plan as YAML and JSON in a temporary folder, loads
both files back and prints a summary. Nothing is written outside that folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from beijing_plan import (
    Baseline,
    Measure,
    Milestone,
    Plan,
    PlanValidationError,
    Policy,
    Quantity,
    Source,
    Target,
    Task,
    Text,
    Theme,
    load,
    save,
)

SOURCE = Source(
    "Riverside District Government, 2025 action plan (an example, not a real plan)",
    url="https://example.org/riverside/plan-2025",
    published="2025-02-10",
)


def build_plan() -> Plan:
    """The example plan: two measures, three tasks, three targets and a policy."""
    # Targets: a goal with a comparator; "sum" adds up increments reported over time.
    lifts_installed = Target(
        "lifts-installed",
        Text(zh="加装电梯数量", en="Lifts installed"),
        "at_least",
        Quantity(120, "count"),
        aggregation="sum",
    )
    # A baseline makes attainment count the distance covered from where it started.
    green_share = Target(
        "green-share",
        Text(zh="建成区绿化覆盖率", en="Green cover of the built-up area"),
        "at_least",
        Quantity("49.5", "%"),
        baseline=Baseline(Quantity("48.7", "%"), "2024-12-31"),
    )
    # Chinese unit names are accepted and stored canonically (亿元 is yi_yuan).
    investment = Target(
        "renewal-investment",
        Text(zh="城市更新投资", en="Investment in urban renewal"),
        "at_least",
        Quantity(12, "亿元"),
    )
    renewal = Measure(
        "m1",
        1,
        Text(zh="老旧小区改造", en="Renew old neighbourhoods"),
        themes={"livelihood"},
        lead=["区住房城乡建设委"],
        targets=[investment],
        tasks=[
            Task(
                "lifts",
                Text(zh="老旧楼房加装电梯", en="Install lifts in old buildings"),
                lead=["区住房城乡建设委"],
                partners=["各街道办事处"],
                due="2025-11-30",
                weight=2,  # counts twice in roll-ups
                targets=[lifts_installed],
                sources=[SOURCE],
            ),
            Task(
                "heating",
                Text(zh="供热管网改造", en="Replace heating pipes"),
                lead=["区城市管理委"],
                start="2025-04-01",
                due="2025-10-15",
                milestones=[
                    Milestone("heating-design", "Design approved", due="2025-05-31"),
                    Milestone("heating-works", "Works finished", due="2025-10-15", weight=3),
                ],
                sources=[SOURCE],
            ),
        ],
        sources=[SOURCE],
    )
    greening = Measure(
        "m2",
        2,
        Text(zh="生态环境提升", en="Improve the environment"),
        themes={"ecology"},
        lead=["区园林绿化局"],
        tasks=[
            Task(
                "greenway",
                Text(zh="建设滨河绿道", en="Open the riverside greenway"),
                lead=["区园林绿化局"],
                themes={"livelihood"},  # a task may add themes to its measure's
                targets=[green_share],
                sources=[SOURCE],
            )
        ],
        sources=[SOURCE],
    )
    return Plan(
        "riverside-2025",
        Text(
            zh="滨河区2025年行动计划（示例）",  # noqa: RUF001 (Chinese text takes full-width brackets)
            en="Riverside District action plan 2025 (example)",
        ),
        start="2025-01-01",
        end="2025-12-31",
        issuer="滨河区人民政府",
        published="2025-02-10",
        themes=[
            Theme("livelihood", Text(zh="民生", en="People's livelihood")),
            Theme("ecology", Text(zh="生态", en="Ecology")),
        ],
        measures=[renewal, greening],
        policies=[
            Policy(
                "lift-subsidy",
                Text(zh="加装电梯补贴办法", en="Rules for lift subsidies"),
                themes={"livelihood"},
                measures=["m1"],  # it counts in the roll-up of measure m1
                issuer="区财政局",
                due="2025-06-30",
                sources=[SOURCE],
            )
        ],
        # The published plan is larger than what is encoded here.
        declared={"measures": 5, "tasks": 20, "policies": 3},
        sources=[SOURCE],
    )


def show_a_mistake() -> None:
    """Build a plan with two errors and print every problem the library finds."""
    try:
        Plan(
            "broken",
            "A plan with mistakes",
            start="2025-01-01",
            end="2025-12-31",
            measures=[Measure("m1", 1, "Measure", tasks=[Task("t1", "A"), Task("t1", "B")])],
            policies=[Policy("p1", "Policy", measures=["m9"])],
        )
    except PlanValidationError as error:
        print("A plan with mistakes is refused:")
        for path, message in error.problems:
            print(f"  {path}: {message}")


def summarise(plan: Plan) -> None:
    """Print the plan's measures, tasks and targets."""
    print(f"{plan.title.get('en')} ({plan.id}), {plan.start} to {plan.end}")
    declared = plan.declared
    if declared is not None:
        tasks = len(list(plan.tasks()))
        print(
            f"Encoded: {len(plan.measures)} of {declared.measures} measures, "
            f"{tasks} of {declared.tasks} tasks, "
            f"{len(plan.policies)} of {declared.policies} policies"
        )
    for measure in plan.measures:
        print(f"Measure {measure.number}: {measure.title.get('en')} ({measure.title.get('zh')})")
        for target in measure.targets:
            print(f"  target {target.id}: {target.comparator.value} {target.value}")
        for task in measure.tasks:
            due = task.due if task.due is not None else plan.end
            print(
                f"  task {task.id}: {task.title.get('en')}; lead {', '.join(task.lead)}; due {due}"
            )
            for target in task.targets:
                print(f"    target {target.id}: {target.comparator.value} {target.value}")
            for milestone in task.milestones:
                print(f"    milestone {milestone.id}: {milestone.title.get('en')}")
    for policy in plan.policies:
        print(f"Policy {policy.id}: {policy.title.get('en')}, serving {', '.join(policy.measures)}")


def main() -> None:
    """Build, check, save, reload and summarise the plan."""
    plan = build_plan()
    show_a_mistake()
    print()
    with tempfile.TemporaryDirectory() as folder:
        for name in ("riverside-2025.yaml", "riverside-2025.json"):
            path = Path(folder) / name
            save(plan, path)  # the format comes from the suffix; the write is atomic
            if load(path) != plan:
                raise SystemExit(f"{name} did not read back as the plan that was saved")
            print(f"Saved and reloaded {name} ({path.stat().st_size} bytes)")
        text = (Path(folder) / "riverside-2025.yaml").read_text(encoding="utf-8")
        print("Its YAML starts:")
        print("\n".join(text.splitlines()[:8]))
    print()
    summarise(plan)


if __name__ == "__main__":
    main()
