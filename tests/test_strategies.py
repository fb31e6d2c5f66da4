"""Tests of the public Hypothesis strategies and their ``from_type`` registration."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import itertools
import math
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import hypothesis.entry_points
import pendulum
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from beijing_plan import strategies as bps
from beijing_plan._hypothesis_plugin import REGISTERED, _hypothesis_setup_hook
from beijing_plan._validators import id_problem
from beijing_plan.ledger import Ledger, Observation, StatusChange, Withdrawal
from beijing_plan.model import (
    Aggregation,
    Comparator,
    Measure,
    Milestone,
    Plan,
    Policy,
    Target,
    Task,
    Text,
    TrajectoryPoint,
)
from beijing_plan.units import MAX_EXPONENT, Quantity, as_decimal, get_unit, units

FIRST = pendulum.Date(2000, 1, 1)
LAST = pendulum.Date(2100, 12, 31)
HOOK = "beijing_plan._hypothesis_plugin:_hypothesis_setup_hook"
# Searches for an example with some feature stop at the first one found.
SEARCH = settings(database=None, max_examples=2000, phases=[Phase.generate])
# Searches for the simplest example shrink it.
SHRINK = settings(database=None, max_examples=200)


# -- independent checks of what a drawn object must satisfy ------------------------------


def plan_ids(plan: Plan) -> list[str]:
    """Every id of ``plan``, its own first, collected without the plan's index."""
    ids = [plan.id, *(theme.id for theme in plan.themes)]
    for measure in plan.measures:
        ids.append(measure.id)
        ids.extend(target.id for target in measure.targets)
        for task in measure.tasks:
            ids.append(task.id)
            ids.extend(target.id for target in task.targets)
            ids.extend(milestone.id for milestone in task.milestones)
    ids.extend(policy.id for policy in plan.policies)
    return ids


def check_weight(weight: float) -> None:
    """A weight is finite and zero or more."""
    assert math.isfinite(weight)
    assert weight >= 0


def check_date(value: pendulum.Date | None, lo: pendulum.Date, hi: pendulum.Date) -> None:
    """A date, when there is one, is a pendulum date between ``lo`` and ``hi``."""
    if value is not None:
        assert type(value) is pendulum.Date
        assert lo <= value <= hi


def check_trajectory(points: Iterable[TrajectoryPoint]) -> None:
    """Trajectory dates strictly increase; fractions lie in [0, 1]."""
    points = list(points)
    assert all(0.0 <= point.fraction <= 1.0 for point in points)
    assert all(a.on < b.on for a, b in itertools.pairwise(points))


def check_quantity(quantity: Quantity) -> None:
    """A value is in the supported range and survives a trip through its string."""
    assert quantity.unit in units()
    value = quantity.value
    assert value.is_finite()
    assert not value or -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT
    assert as_decimal(str(value)) == value


def check_target(target: Target) -> None:
    """Bounds, baseline, weight and trajectory of a target are coherent."""
    check_quantity(target.value)
    check_weight(target.weight)
    check_trajectory(target.trajectory)
    if target.comparator is Comparator.BETWEEN:
        assert target.upper is not None
        check_quantity(target.upper)
        assert target.upper.dimension == target.value.dimension
        assert target.upper.to(target.value.unit).value >= target.value.value
    else:
        assert target.upper is None
    if target.baseline is not None:
        check_quantity(target.baseline.value)
        assert target.baseline.value.dimension == target.value.dimension
    if target.deadline is not None and target.trajectory:
        assert target.trajectory[-1].on <= target.deadline


def check_task(task: Task, lo: pendulum.Date | None, hi: pendulum.Date | None) -> None:
    """A task's dates lie in ``[lo, hi]``, its parts within its own dates.

    ``lo`` and ``hi`` are ``None`` for a task drawn alone, whose window is unknown.
    """
    check_date(task.start, lo or FIRST, hi or LAST)
    check_date(task.due, lo or FIRST, hi or LAST)
    if task.start is not None and task.due is not None:
        assert task.start <= task.due
    first, last = task.start or lo or FIRST, task.due or hi or LAST
    check_weight(task.weight)
    check_trajectory(task.trajectory)
    for point in task.trajectory:
        check_date(point.on, first, last)
    for i, target in enumerate(task.targets, 1):
        assert target.id == f"{task.id}-g{i}"
        check_target(target)
        check_date(target.deadline, first, last)
        for point in target.trajectory:
            check_date(point.on, first, last)
        if target.baseline is not None:
            check_date(target.baseline.on, FIRST, task.start or lo or LAST)
    for i, milestone in enumerate(task.milestones, 1):
        assert milestone.id == f"{task.id}-ms{i}"
        check_date(milestone.due, first, last)
        check_weight(milestone.weight)


def check_plan(plan: Plan) -> None:
    """Every invariant the strategies promise for a whole plan."""
    ids = plan_ids(plan)
    assert len(ids) == len(set(ids))
    assert all(id_problem(item_id) is None for item_id in ids)
    assert FIRST <= plan.start <= plan.end <= LAST
    theme_ids = [theme.id for theme in plan.themes]
    for i, theme in enumerate(plan.themes):
        assert theme.parent is None or theme.parent in theme_ids[:i]
    measure_ids = {measure.id for measure in plan.measures}
    numbers = [measure.number for measure in plan.measures]
    assert numbers == sorted(set(numbers))
    for measure in plan.measures:
        assert measure.themes <= set(theme_ids)
        for target in measure.targets:
            check_target(target)
            check_date(target.deadline, plan.start, plan.end)
            check_date(target.baseline.on if target.baseline else None, FIRST, plan.start)
        for task in measure.tasks:
            assert task.themes <= set(theme_ids)
            check_task(task, plan.start, plan.end)
    for policy in plan.policies:
        assert policy.themes <= set(theme_ids)
        assert set(policy.measures) <= measure_ids
        assert len(set(policy.measures)) == len(policy.measures)
        check_date(policy.due, plan.start, plan.end)
        check_weight(policy.weight)
    if plan.declared is not None:
        encoded = {
            "measures": len(plan.measures),
            "tasks": sum(1 for _ in plan.tasks()),
            "policies": len(plan.policies),
        }
        for name, count in encoded.items():
            declared = getattr(plan.declared, name)
            assert declared is None or declared >= count
    check_date(plan.published, FIRST, plan.end)


def check_ledger(plan: Plan, ledger: Ledger) -> None:
    """Records name the right kind of item, in range, dated around the plan."""
    ledger.check(plan)
    targets = {target.id: target for target in plan.targets()}
    others = {task.id for task in plan.tasks()}
    others |= {policy.id for policy in plan.policies}
    others |= {milestone.id for milestone in plan.milestones()}
    around = (plan.start.subtract(days=31), plan.end.add(days=31))
    for record in ledger:
        check_date(record.on, *around)
        if isinstance(record, Observation):
            assert record.target in targets
            assert record.value.dimension == targets[record.target].value.dimension
            check_quantity(record.value)
        elif isinstance(record, Withdrawal):
            assert record.record in ledger.by_id()
        else:
            assert isinstance(record, StatusChange)
            assert record.item in others
            assert record.percent is None or 0.0 <= record.percent <= 100.0
        if record.source is not None:
            check_date(record.source.published, FIRST, record.on)


# -- values -------------------------------------------------------------------------------


@given(bps.ids())
def test_ids_are_valid(item_id: str) -> None:
    """Every drawn id passes the model's id rule."""
    assert id_problem(item_id) is None


def has_cjk(value: str) -> bool:
    """Whether ``value`` holds a CJK ideograph."""
    return any("CJK" in unicodedata.name(char, "") for char in value)


@given(bps.texts())
def test_texts_are_valid(text: Text) -> None:
    """A drawn text has a non-blank part in a language, a Chinese one holding an ideograph."""
    assert text.zh is not None or text.en is not None
    if text.zh is not None:
        assert text.zh.strip()
        assert has_cjk(text.zh)
    if text.en is not None:
        assert text.en.strip()


@pytest.mark.parametrize(
    ("zh", "en", "has_zh", "has_en"),
    [
        (True, False, True, False),
        (False, True, False, True),
        (True, True, True, True),
        (False, None, False, True),
        (None, False, True, False),
    ],
)
@given(data=st.data())
def test_texts_honour_pinned_languages(
    data: st.DataObject, zh: bool | None, en: bool | None, has_zh: bool, has_en: bool
) -> None:
    """Pinning a language makes it always or never present; the other follows."""
    text = data.draw(bps.texts(zh=zh, en=en))
    assert (text.zh is not None) is has_zh
    assert (text.en is not None) is has_en


def test_texts_refuse_no_language() -> None:
    """Asking for neither language is an invalid argument."""
    with pytest.raises(InvalidArgument, match="no text"):
        bps.texts(zh=False, en=False)


@pytest.mark.parametrize(
    "feature",
    [
        lambda t: t.zh is not None and t.en is not None,
        lambda t: any(ord(char) > 0xFFFF for char in str(t)),
        lambda t: any(unicodedata.combining(char) for char in str(t)),
        lambda t: any(char in "\u200b\u200d\u2060\ufeff" for char in str(t)),
        lambda t: "\n" in str(t) or "\u2028" in str(t),
        lambda t: t.en is not None and any(ord(char) > 0x7F for char in t.en),
    ],
    ids=["bilingual", "astral", "combining", "zero-width", "line-break", "non-ascii-english"],
)
def test_texts_reach_awkward_unicode(feature: Callable[[Text], bool]) -> None:
    """Bilingual texts and awkward but valid characters all turn up."""
    found = find(bps.texts(), feature, settings=SEARCH)
    assert isinstance(found, Text)


@given(bps.quantities())
def test_quantities_are_in_range(quantity: Quantity) -> None:
    """Drawn values are finite, within the supported range and storable as strings."""
    check_quantity(quantity)


@given(bps.quantities(unit="\u4ebf\u5143"))
def test_quantities_honour_a_pinned_unit_alias(quantity: Quantity) -> None:
    """A unit pinned by its Chinese alias gives quantities in the canonical unit."""
    assert quantity.unit == "yi_yuan"


@given(bps.quantities(dimension="cny"))
def test_quantities_honour_a_pinned_dimension(quantity: Quantity) -> None:
    """A pinned dimension draws only units of that dimension."""
    assert quantity.dimension == "cny"


def test_quantities_reach_wide_values() -> None:
    """Values as wide as the range allows (past ten digits) turn up."""
    found = find(bps.quantities(), lambda q: len(q.value.as_tuple().digits) > 40, settings=SEARCH)
    check_quantity(found)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"unit": "furlong"}, "not a known unit"),
        ({"dimension": "time"}, "dimension='time'"),
        ({"unit": "yuan", "dimension": "area"}, "measures 'cny'"),
    ],
)
def test_quantities_refuse_bad_options(options: dict[str, str], message: str) -> None:
    """Unknown units or dimensions and a unit of another dimension are invalid."""
    with pytest.raises(InvalidArgument, match=message):
        bps.quantities(**options)


# -- items --------------------------------------------------------------------------------


@given(bps.targets())
def test_targets_are_coherent(target: Target) -> None:
    """Bounds, baseline, weight and trajectory of a drawn target are coherent."""
    check_target(target)
    check_date(target.deadline, FIRST, LAST)
    if target.baseline is not None:
        check_date(target.baseline.on, FIRST, LAST)


@given(
    bps.targets(comparator="between", aggregation=Aggregation.SUM, dimension="area", baseline=True)
)
def test_targets_honour_pinned_options(target: Target) -> None:
    """Pinned comparator, aggregation, dimension and baseline are kept."""
    assert target.comparator is Comparator.BETWEEN
    assert target.aggregation is Aggregation.SUM
    assert target.value.dimension == "area"
    assert target.baseline is not None
    check_target(target)


@given(bps.targets(baseline=False, comparator=Comparator.AT_MOST))
def test_targets_without_baseline(target: Target) -> None:
    """``baseline=False`` never gives a baseline."""
    assert target.baseline is None
    assert target.comparator is Comparator.AT_MOST


def test_targets_reach_an_upper_bound_in_another_unit() -> None:
    """A between target's upper bound sometimes uses another unit of the dimension."""
    found = find(
        bps.targets(comparator="between"),
        lambda t: t.upper is not None and t.upper.unit != t.value.unit,
        settings=SEARCH,
    )
    check_target(found)


def test_weights_reach_zero() -> None:
    """A weight of zero turns up."""
    found = find(bps.milestones(), lambda m: m.weight == 0.0, settings=SEARCH)
    assert found.weight == 0.0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"comparator": "above"}, "comparator='above'"),
        ({"aggregation": "median"}, "aggregation='median'"),
        ({"baseline": 1}, "baseline=1"),
    ],
)
def test_targets_refuse_bad_options(options: dict[str, object], message: str) -> None:
    """An unknown comparator or aggregation, or a flag that is not a bool, is invalid."""
    with pytest.raises(InvalidArgument, match=message):
        bps.targets(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize("due", [True, False])
@given(data=st.data())
def test_milestones_honour_pinned_due(data: st.DataObject, due: bool) -> None:
    """``due=True`` always gives a due date, ``due=False`` never."""
    milestone = data.draw(bps.milestones(due=due))
    assert isinstance(milestone, Milestone)
    assert (milestone.due is not None) is due


@given(bps.tasks(themes=["green", "\u6570\u636e"]))
def test_tasks_are_coherent(task: Task) -> None:
    """Task dates are ordered, its parts fit within them and its themes come from the list."""
    check_task(task, None, None)
    assert task.themes <= {"green", "\u6570\u636e"}
    assert len(task.targets) <= 2
    assert len(task.milestones) <= 2


@given(bps.tasks(dated=True, max_targets=0, max_milestones=1))
def test_tasks_honour_pinned_options(task: Task) -> None:
    """``dated=True`` sets both dates; the maximum counts are kept."""
    assert task.start is not None
    assert task.due is not None
    assert task.start <= task.due
    assert task.targets == ()
    assert len(task.milestones) <= 1
    assert task.themes == frozenset()


@given(bps.tasks(dated=False))
def test_tasks_without_dates(task: Task) -> None:
    """``dated=False`` leaves both dates unset."""
    assert task.start is None
    assert task.due is None


@given(bps.measures(themes=["a"], min_tasks=1, max_tasks=2))
def test_measures_honour_task_bounds(measure: Measure) -> None:
    """Task counts stay within bounds and ids extend the measure's."""
    assert 1 <= len(measure.tasks) <= 2
    assert [task.id for task in measure.tasks] == [
        f"{measure.id}-t{i}" for i in range(1, len(measure.tasks) + 1)
    ]
    assert [target.id for target in measure.targets] == [
        f"{measure.id}-g{i}" for i in range(1, len(measure.targets) + 1)
    ]
    assert measure.themes <= {"a"}
    assert measure.number >= 1


def test_measures_refuse_crossed_bounds() -> None:
    """``min_tasks`` above ``max_tasks`` is invalid."""
    with pytest.raises(InvalidArgument, match="min_tasks=3 must not exceed max_tasks=1"):
        bps.measures(min_tasks=3, max_tasks=1)


@given(bps.policies(themes=["t1", "t2"], measures=["m1", "m2", "m3"]))
def test_policies_refer_to_given_ids(policy: Policy) -> None:
    """A policy names only themes and measures it was given, each once."""
    assert policy.themes <= {"t1", "t2"}
    assert set(policy.measures) <= {"m1", "m2", "m3"}
    assert len(set(policy.measures)) == len(policy.measures)
    check_weight(policy.weight)


@given(bps.policies())
def test_policies_alone_refer_to_nothing(policy: Policy) -> None:
    """Without ids to refer to, a policy names no theme and no measure."""
    assert policy.themes == frozenset()
    assert policy.measures == ()


def test_policies_refuse_a_bad_id() -> None:
    """A reference that is not a valid id is invalid."""
    with pytest.raises(InvalidArgument, match="spaces"):
        bps.policies(measures=["m 1"])


def test_tasks_refuse_a_string_as_themes() -> None:
    """Themes given as one string rather than a list are invalid."""
    with pytest.raises(InvalidArgument, match="sequence of ids"):
        bps.tasks(themes="green")


# -- plans --------------------------------------------------------------------------------


@given(bps.plans())
def test_plans_are_valid(plan: Plan) -> None:
    """Ids are unique, references resolve, themes form a tree and dates are coherent."""
    check_plan(plan)
    assert len(plan.measures) <= 4
    assert len(plan.policies) <= 3
    assert len(plan.themes) <= 4
    assert all(len(measure.tasks) <= 4 for measure in plan.measures)


@given(data=st.data())
def test_plans_honour_measure_bounds(data: st.DataObject) -> None:
    """``min_measures`` and ``max_measures`` bound the number of measures."""
    fewest = data.draw(st.integers(0, 3), label="min_measures")
    most = data.draw(st.integers(fewest, 5), label="max_measures")
    plan = data.draw(bps.plans(min_measures=fewest, max_measures=most, max_tasks=1))
    assert fewest <= len(plan.measures) <= most
    check_plan(plan)


@pytest.mark.parametrize("policies", [True, False])
@given(data=st.data())
def test_plans_honour_pinned_policies(data: st.DataObject, policies: bool) -> None:
    """``policies=True`` gives at least one policy, ``False`` none."""
    plan = data.draw(bps.plans(policies=policies, max_measures=1))
    assert bool(plan.policies) is policies


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2025-01-01", "2025-12-31"),
        (dt.date(2030, 6, 1), None),
        (None, pendulum.Date(2024, 2, 29)),
        ("2025-05-05", "2025-05-05"),
    ],
)
@given(data=st.data())
def test_plans_honour_a_pinned_period(
    data: st.DataObject, start: str | dt.date | None, end: str | dt.date | None
) -> None:
    """A pinned start or end is kept, and the other end is on the right side of it."""
    plan = data.draw(bps.plans(start=start, end=end, max_measures=2))
    if start is not None:
        assert plan.start == pendulum.Date.fromisoformat(str(start))
    if end is not None:
        assert plan.end == pendulum.Date.fromisoformat(str(end))
    assert plan.start <= plan.end
    for task in plan.tasks():
        check_task(task, plan.start, plan.end)


@given(bps.plans(declared=True, max_measures=2))
def test_plans_honour_pinned_declared(plan: Plan) -> None:
    """``declared=True`` always declares counts, never below the encoded ones."""
    assert plan.declared is not None
    check_plan(plan)


@given(bps.plans(declared=False, max_measures=1))
def test_plans_without_declared(plan: Plan) -> None:
    """``declared=False`` never declares counts."""
    assert plan.declared is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"start": "2025-02-01", "end": "2025-01-01"}, "is after end"),
        ({"policies": True, "max_policies": 0}, "allows none"),
        ({"max_measures": -1}, "max_measures=-1"),
        ({"min_measures": 2, "max_measures": 1}, "must not exceed"),
        ({"start": "2025-13-01"}, "not a date"),
        ({"max_themes": True}, "max_themes=True"),
    ],
)
def test_plans_refuse_bad_options(options: dict[str, object], message: str) -> None:
    """Contradictory or malformed options are invalid arguments."""
    with pytest.raises(InvalidArgument, match=message):
        bps.plans(**options)  # type: ignore[arg-type]


def test_plans_shrink_to_an_empty_plan() -> None:
    """The simplest plan, where every example shrinks toward, is empty and spans 2025."""
    plan = find(bps.plans(), lambda _: True, settings=SEARCH)  # the first try is the simplest
    assert plan.themes == ()
    assert plan.measures == ()
    assert plan.policies == ()
    assert (plan.start, plan.end) == (pendulum.Date(2025, 1, 1), pendulum.Date(2025, 12, 31))
    assert plan.declared is None
    assert len(str(plan.title)) == 1


def test_plans_shrink_toward_few_items() -> None:
    """A plan that needs a task target shrinks to a single target and little else."""
    plan = find(
        bps.plans(max_measures=1, max_tasks=2),
        lambda p: any(task.targets for task in p.tasks()),
        settings=SHRINK,
    )
    with_targets = [task for task in plan.tasks() if task.targets]
    assert len(with_targets) == 1
    assert len(with_targets[0].targets) == 1
    assert all(task.milestones == () for task in plan.tasks())
    assert plan.measures[0].targets == ()
    assert plan.policies == ()
    assert plan.themes == ()


def test_plans_reach_nested_themes_and_served_measures() -> None:
    """Themes with parents and policies serving measures both turn up."""
    plan = find(
        bps.plans(),
        lambda p: any(t.parent for t in p.themes) and any(q.measures for q in p.policies),
        settings=SEARCH,
    )
    check_plan(plan)


# -- ledgers ------------------------------------------------------------------------------


@given(bps.plans_and_ledgers())
def test_ledgers_fit_their_plan(plan_and_ledger: tuple[Plan, Ledger]) -> None:
    """Records name targets (observations) or tasks, policies, milestones (status changes)."""
    plan, ledger = plan_and_ledger
    check_plan(plan)
    check_ledger(plan, ledger)
    assert len(ledger) <= 20


@given(bps.plans_and_ledgers(min_measures=1, max_measures=1, policies=True, max_records=3))
def test_ledgers_honour_max_records(plan_and_ledger: tuple[Plan, Ledger]) -> None:
    """``max_records`` bounds the ledger; the plan options are passed on."""
    plan, ledger = plan_and_ledger
    assert len(ledger) <= 3
    assert len(plan.measures) == 1
    assert plan.policies
    check_ledger(plan, ledger)


@given(data=st.data())
def test_ledgers_for_a_given_plan(data: st.DataObject) -> None:
    """``ledgers(plan)`` draws records for that plan, and none with ``max_records=0``."""
    plan = data.draw(bps.plans(min_measures=1, max_measures=2))
    check_ledger(plan, data.draw(bps.ledgers(plan, max_records=5)))
    assert len(data.draw(bps.ledgers(plan, max_records=0))) == 0


@given(bps.ledgers(Plan("empty", "Empty plan", start="2025-01-01", end="2025-12-31")))
def test_ledgers_of_a_plan_without_items_are_empty(ledger: Ledger) -> None:
    """A plan with nothing to record gets an empty ledger."""
    assert ledger == Ledger()


def test_ledgers_reach_several_records_on_one_day() -> None:
    """An item sometimes has several records on the same day."""

    def repeated(pair: tuple[Plan, Ledger]) -> bool:
        counts = Counter(
            (record.item, record.on)
            for record in pair[1]
            if isinstance(record, Observation | StatusChange)
        )
        return any(count > 1 for count in counts.values())

    plan, ledger = find(bps.plans_and_ledgers(), repeated, settings=SEARCH)
    check_ledger(plan, ledger)


def test_ledgers_reach_observations_and_status_changes() -> None:
    """Both kinds of record, percents and observations at a bound all turn up."""

    def varied(pair: tuple[Plan, Ledger]) -> bool:
        plan, ledger = pair
        targets = {target.id: target for target in plan.targets()}
        at_bound = any(
            isinstance(r, Observation) and r.value == targets[r.target].value for r in ledger
        )
        percent = any(isinstance(r, StatusChange) and r.percent is not None for r in ledger)
        return at_bound and percent

    plan, ledger = find(bps.plans_and_ledgers(), varied, settings=SEARCH)
    check_ledger(plan, ledger)


def test_ledgers_refuse_a_non_plan() -> None:
    """``ledgers`` needs a Plan."""
    with pytest.raises(InvalidArgument, match="must be a Plan"):
        bps.ledgers("plan")  # type: ignore[arg-type]


# -- health, import and registration ------------------------------------------------------


def test_health_checks_pass() -> None:
    """Drawing plans and ledgers trips no health check (too slow, filtering, size)."""
    drawn: list[tuple[Plan, Ledger]] = []

    @settings(max_examples=30, suppress_health_check=(), deadline=None, database=None)
    @given(bps.plans_and_ledgers(max_measures=6))
    def draw_pairs(pair: tuple[Plan, Ledger]) -> None:
        drawn.append(pair)

    @settings(max_examples=30, suppress_health_check=(), deadline=None, database=None)
    @given(bps.ids(), bps.texts(), bps.quantities(), bps.targets())
    def draw_values(item_id: str, text: Text, quantity: Quantity, target: Target) -> None:
        assert id_problem(item_id) is None
        assert str(text).strip()
        check_quantity(quantity)
        check_target(target)

    draw_pairs()
    draw_values()
    assert len(drawn) >= 30


def test_import_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Hypothesis, importing the module says which extra to install."""
    for name in ("hypothesis", "hypothesis.strategies", "hypothesis.errors"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "beijing_plan.strategies")
    with pytest.raises(ImportError, match=r'pip install "beijing-plan\[strategies\]"'):
        importlib.import_module("beijing_plan.strategies")


def test_hook_registers_every_model_class() -> None:
    """After the hook runs, ``st.from_type`` draws valid instances of each class."""
    _hypothesis_setup_hook()
    assert set(REGISTERED) == {
        Text,
        Quantity,
        Target,
        Milestone,
        Task,
        Measure,
        Policy,
        Plan,
        Ledger,
    }
    drawn: list[object] = []

    @settings(max_examples=5, database=None)
    @given(data=st.data())
    def draw_each(data: st.DataObject) -> None:
        for cls in REGISTERED:
            value = data.draw(st.from_type(cls))
            assert isinstance(value, cls)
            drawn.append(value)

    draw_each()
    assert {type(value) for value in drawn} == set(REGISTERED)
    _hypothesis_setup_hook()  # a second registration changes nothing
    assert isinstance(find(st.from_type(Plan), lambda _: True, settings=SEARCH), Plan)


def test_hook_runs_through_the_hypothesis_entry_point_loader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hypothesis' own loader finds the hook from the entry point's value and runs it."""
    entry = importlib.metadata.EntryPoint(name="_", value=HOOK, group="hypothesis")
    monkeypatch.delenv("HYPOTHESIS_NO_PLUGINS", raising=False)
    monkeypatch.setattr(
        importlib.metadata,
        "entry_points",
        lambda group: [entry] if group == "hypothesis" else [],
    )
    registered: list[type] = []
    register = st.register_type_strategy

    def record(cls: type, strategy: Any) -> None:
        registered.append(cls)
        register(cls, strategy)

    monkeypatch.setattr(st, "register_type_strategy", record)
    hypothesis.entry_points.run()
    assert registered == list(REGISTERED)
    plan = find(st.from_type(Plan), lambda p: bool(p.measures), settings=SEARCH)
    check_plan(plan)


def _entry_point_installed() -> bool:
    return any(entry.value == HOOK for entry in importlib.metadata.entry_points(group="hypothesis"))


@pytest.mark.skipif(
    not _entry_point_installed(), reason="the hypothesis entry point is not installed"
)
@given(st.from_type(Plan), st.from_type(Ledger))
def test_from_type_works_through_the_installed_entry_point(plan: Plan, ledger: Ledger) -> None:
    """With the package installed, ``st.from_type`` draws plans and ledgers."""
    check_plan(plan)
    assert isinstance(ledger, Ledger)


@pytest.mark.skipif(
    not _entry_point_installed(), reason="the hypothesis entry point is not installed"
)
def test_importing_hypothesis_builds_no_strategy() -> None:
    """The installed hook registers lazily: importing Hypothesis loads no strategies module."""
    code = (
        "import sys, hypothesis\n"
        "print(sorted(m for m in sys.modules if m.startswith('beijing_plan.strategies')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_quantities_reach_values_with_cents() -> None:
    """Values with two decimal places (amounts in cents) turn up and keep their form."""
    cents = find(bps.quantities(), lambda q: q.value.as_tuple().exponent == -2, settings=SEARCH)
    assert cents.value.as_tuple().exponent == -2
    assert get_unit(cents.unit).name == cents.unit
    assert Decimal(str(cents.value)) == cents.value
