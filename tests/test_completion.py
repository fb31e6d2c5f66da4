"""Tests of target attainment, aggregation and the seven leaf rules (DESIGN section 4)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beijing_plan._engine.completion import (
    CANCELLED,
    DONE,
    IN_PROGRESS,
    MISSING,
    NOT_STARTED,
    PARTS,
    PERCENT,
    Part,
    aggregate,
    as_part,
    counted_points,
    current_value,
    in_force,
    leaf_completion,
    milestone_completion,
    part_alone,
    target_attainment,
)
from beijing_plan.ledger import Observation, StatusChange
from beijing_plan.model import Baseline, Target
from beijing_plan.rules import Rules
from beijing_plan.units import Quantity
from helpers import count

START = "2025-01-01"


def target(
    comparator: str = "at_least",
    value: float | int = 60,
    *,
    upper: float | int | None = None,
    baseline: float | int | None = None,
    baseline_on: str = "2024-12-31",
    aggregation: str = "last",
) -> Target:
    return Target(
        "g",
        "Goal",
        comparator,
        count(value),
        upper=None if upper is None else count(upper),
        baseline=None if baseline is None else Baseline(count(baseline), baseline_on),
        aggregation=aggregation,
    )


def observe(*pairs: tuple[str, float | int]) -> list[Observation]:
    return [Observation("g", on, count(value)) for on, value in pairs]


def attain(goal: Target, current: float | int) -> tuple[float, float]:
    found = target_attainment(goal, count(current))
    assert found is not None
    return found


def now(goal: Target, observations: list[Observation], as_of: str = "2025-12-31") -> Decimal | None:
    value = current_value(goal, observations, as_of=as_of, plan_start=START)
    return None if value is None else value.value


# -- attainment --------------------------------------------------------------------------


def test_at_least_with_baseline_counts_from_the_baseline() -> None:
    """at_least with T > b gives (c - b) / (T - b): (35 - 10) / (60 - 10) = 0.5."""
    assert attain(target(baseline=10), 35) == (0.5, 0.5)


def test_at_least_keeps_over_achievement_in_the_raw_ratio() -> None:
    """c = 85 against b = 10, T = 60 is a raw 1.5, clamped to 1."""
    assert attain(target(baseline=10), 85) == (1.0, 1.5)


def test_at_least_below_the_baseline_has_a_negative_ratio() -> None:
    """c = 0 against b = 10, T = 60 moves away from the target: raw -0.2, clamped to 0."""
    assert attain(target(baseline=10), 0) == pytest.approx((0.0, -0.2))


def test_at_least_without_baseline_is_c_over_t() -> None:
    """Without a baseline at_least is c / T: 45 / 60 = 0.75."""
    assert attain(target(), 45) == (0.75, 0.75)


def test_target_equal_to_baseline_falls_back_to_c_over_t() -> None:
    """With T == b the baseline formula would divide by 0, so c / T applies: 45 / 60."""
    assert attain(target(baseline=60), 45) == (0.75, 0.75)


def test_baseline_above_an_at_least_target_uses_c_over_t() -> None:
    """With b = 80 above T = 60, c / T applies: 30 / 60 = 0.5 and 70 / 60 is over 1."""
    assert attain(target(baseline=80), 30) == (0.5, 0.5)
    assert attain(target(baseline=80), 70) == pytest.approx((1.0, 70 / 60))


def test_at_least_a_target_of_zero_or_less_is_met_or_not() -> None:
    """Where T <= 0, at_least is 1 if c >= T else 0."""
    assert attain(target(value=0), 5) == (1.0, 1.0)
    assert attain(target(value=-5), -10) == (0.0, 0.0)
    assert attain(target(value=-5), -5) == (1.0, 1.0)


def test_at_most_with_baseline_counts_the_reduction() -> None:
    """at_most with b = 100 > T = 60: (100 - 80) / (100 - 60) = 0.5; c = 110 is -0.25 raw."""
    assert attain(target("at_most", baseline=100), 80) == (0.5, 0.5)
    assert attain(target("at_most", baseline=100), 110) == (0.0, -0.25)
    assert attain(target("at_most", baseline=100), 40) == (1.0, 1.5)


def test_at_most_without_baseline_is_met_or_not() -> None:
    """at_most without a baseline is 1 if c <= T else 0."""
    assert attain(target("at_most"), 60) == (1.0, 1.0)
    assert attain(target("at_most"), 61) == (0.0, 0.0)


def test_at_most_with_baseline_below_the_target_is_met_or_not() -> None:
    """With b <= T the reduction formula does not apply: 1 if c <= T else 0."""
    assert attain(target("at_most", baseline=50), 55) == (1.0, 1.0)
    assert attain(target("at_most", baseline=50), 65) == (0.0, 0.0)


def test_exactly_is_one_only_at_the_value() -> None:
    """exactly is 1 when c equals T, in any unit of the dimension, else 0."""
    goal = target("exactly")
    assert attain(goal, 60) == (1.0, 1.0)
    assert attain(goal, 59) == (0.0, 0.0)
    assert target_attainment(goal, Quantity("60.0", "count")) == (1.0, 1.0)


def test_between_includes_both_bounds() -> None:
    """between is 1 for T <= c <= upper, else 0."""
    goal = target("between", 50, upper=70)
    assert [attain(goal, c)[0] for c in (49, 50, 60, 70, 71)] == [0.0, 1.0, 1.0, 1.0, 0.0]


def test_attainment_converts_units() -> None:
    """300000 万元 is 30 亿元: half of a 60 亿元 target."""
    goal = Target("g", "Money", "at_least", Quantity(60, "yi_yuan"))
    assert target_attainment(goal, Quantity(300_000, "wan_yuan")) == (0.5, 0.5)


def test_no_value_has_no_attainment() -> None:
    """Without a current value the attainment is None."""
    assert target_attainment(target(), None) is None


# -- current value -----------------------------------------------------------------------


def test_last_takes_the_latest_date_not_the_latest_record() -> None:
    """last reads the observation with the latest date, whatever the ledger order."""
    observations = observe(("2025-03-01", 20), ("2025-05-01", 35), ("2025-04-01", 30))
    assert now(target(), observations) == 35


def test_observations_after_as_of_are_ignored() -> None:
    """An assessment on 2025-04-15 sees the 2025-04-01 value, not the 2025-05-01 one."""
    observations = observe(("2025-03-01", 20), ("2025-05-01", 35), ("2025-04-01", 30))
    assert now(target(), observations, as_of="2025-04-15") == 30
    assert now(target(), observations, as_of="2025-02-01") is None


def test_same_date_the_later_record_wins() -> None:
    """Two observations on one day: the later in the ledger is a correction and wins."""
    observations = observe(("2025-05-01", 35), ("2025-05-01", 40))
    assert now(target(), observations) == 40


def test_same_date_correction_applies_to_every_aggregation() -> None:
    """With max, a same-day correction replaces the higher earlier value (50 -> 10)."""
    observations = observe(("2025-03-01", 20), ("2025-05-01", 50), ("2025-05-01", 10))
    assert now(target(aggregation="max"), observations) == 20


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        ("last", Decimal(35)),
        ("max", Decimal(35)),
        ("min", Decimal(20)),
        ("mean", Decimal(85) / 3),
    ],
)
def test_level_aggregations(aggregation: str, expected: Decimal) -> None:
    """Levels 20, 30, 35 give last 35, max 35, min 20 and mean 85 / 3."""
    observations = observe(("2025-03-01", 20), ("2025-05-01", 35), ("2025-04-01", 30))
    assert now(target(aggregation=aggregation), observations) == expected


def test_levels_before_the_plan_start_count() -> None:
    """A level observed before the plan starts is still the level (min of 5 and 20 is 5)."""
    observations = observe(("2024-11-01", 5), ("2025-03-01", 20))
    assert now(target(aggregation="min"), observations) == 5


def test_sum_with_baseline_adds_increments_after_the_baseline_date() -> None:
    """Baseline 10 on 2024-12-31 plus increments 3 and 4 after it: 17; earlier ones are in b."""
    observations = observe(
        ("2024-12-15", 5), ("2024-12-31", 7), ("2025-02-01", 3), ("2025-03-01", 4)
    )
    assert now(target(baseline=10, aggregation="sum"), observations) == 17


def test_sum_without_baseline_adds_increments_since_the_plan_start() -> None:
    """Without a baseline, increments from the plan's start on add up from 0: 2 + 3 = 5."""
    observations = observe(("2024-12-31", 5), ("2025-01-01", 2), ("2025-02-01", 3))
    assert now(target(aggregation="sum"), observations) == 5


def test_sum_with_only_earlier_increments_has_no_observation() -> None:
    """A sum target whose increments all predate its baseline has no current value."""
    observations = observe(("2024-12-01", 5))
    assert now(target(baseline=10, aggregation="sum"), observations) is None


def test_sums_and_means_keep_every_digit() -> None:
    """Beyond Python's 28 default digits: 0.5 + 1e40 + 0.25 and a mean of one level are exact.

    A level of 57 significant digits on the upper bound of a ``between`` target
    meets it; rounded to 28 digits (1101000000.000...) it would lie above it.
    """
    level = "1100999999.999999999999999999999999999999999999890578817"
    big = [
        Observation("g", "2025-02-01", count("1e40")),
        Observation("g", "2025-03-01", count("0.25")),
    ]
    total = current_value(
        target(baseline=0.5, aggregation="sum"), big, as_of="2025-12-31", plan_start=START
    )
    assert total == count("10000000000000000000000000000000000000000.75")
    goal = Target("g", "Goal", "between", count(-1), upper=count(level), aggregation="mean")
    mean = current_value(
        goal, [Observation("g", "2025-02-01", count(level))], as_of="2025-12-31", plan_start=START
    )
    assert mean == count(level)
    assert target_attainment(goal, mean) == (1.0, 1.0)


def test_a_mean_that_does_not_end_keeps_28_digits() -> None:
    """(1 + 2 + 2) / 3 is written with 28 significant digits, as Python writes it."""
    mean = now(
        target(aggregation="mean"), observe(("2025-02-01", 1), ("2025-03-01", 2), ("2025-04-01", 2))
    )
    assert mean == Decimal("1.666666666666666666666666667")


def test_sum_attainment_from_the_baseline() -> None:
    """Baseline 10 plus 15 and 10 is 35: (35 - 10) / (60 - 10) = 0.5."""
    goal = target(baseline=10, aggregation="sum")
    value = current_value(
        goal,
        observe(("2025-02-01", 15), ("2025-03-01", 10)),
        as_of="2025-12-31",
        plan_start=START,
    )
    assert value == count(35)
    assert target_attainment(goal, value) == (0.5, 0.5)


def test_counted_points_are_in_the_target_unit() -> None:
    """Observations in 万元 become points in the target's 亿元."""
    goal = Target("g", "Money", "at_least", Quantity(60, "yi_yuan"))
    observations = [Observation("g", "2025-02-01", Quantity(50_000, "wan_yuan"))]
    points = counted_points(goal, observations, as_of=10**6, plan_start=0)
    assert points == [(observations[0].on.toordinal(), Decimal(5))]


def test_aggregate_of_no_points_is_none() -> None:
    """No counted point, no value."""
    assert aggregate(target(), []) is None


# -- status records ----------------------------------------------------------------------


def test_in_force_picks_the_latest_up_to_the_day() -> None:
    """The status in force is the latest on or before the day; same day, the later record."""
    records = [
        StatusChange("t", "2025-01-10", "in_progress", percent=10),
        StatusChange("t", "2025-02-10", "in_progress", percent=30),
        StatusChange("t", "2025-02-10", "in_progress", percent=20),
        StatusChange("t", "2025-03-10", "done"),
    ]
    found = in_force(records, records[1].on.toordinal())
    assert found is not None
    assert found.percent == 20
    assert in_force(records, records[0].on.toordinal() - 1) is None


def _reference_mean(parts: list[Part], zero: bool) -> float | None:
    """Rule 3 as DESIGN states it: the weighted mean of the parts with a value
    (`zero`: those without count 0), `None` when no part is recorded or no weight."""
    if not any(recorded for _, _, recorded in parts):
        return None
    counted = [(w, v) for w, v, _ in parts if v is not None or zero]
    total = math.fsum(w for w, _ in counted)
    if total <= 0.0:
        return None
    return min(1.0, max(0.0, math.fsum(w * v for w, v in counted if v is not None) / total))


_WEIGHTS = st.sampled_from([0.0, 0.1, 0.3, 1.0, 3.0, 7.0, 1e-300, 1e300])
_VALUES = st.one_of(st.none(), st.floats(0.0, 1.0))


@given(weight=_WEIGHTS, value=_VALUES, recorded=st.booleans(), zero=st.booleans())
def test_one_part_gives_the_mean_of_the_general_rule_to_the_last_bit(
    weight: float, value: float | None, recorded: bool, zero: bool
) -> None:
    """A task of one part takes a shortcut; its figure is the general mean's, bit for bit."""
    parts: list[Part] = [(weight, value, recorded)]
    rules = Rules(missing="zero" if zero else "exclude")
    expected = _reference_mean(parts, zero)
    found, rule = leaf_completion(None, parts, rules)
    if expected is None:
        assert rule != PARTS
    else:
        assert (found, rule) == (expected, PARTS)
        assert found is not None
        assert math.copysign(1.0, found) == math.copysign(1.0, expected)


@given(
    weight=_WEIGHTS,
    value=_VALUES,
    target=st.booleans(),
    recorded=st.booleans(),
    zero=st.booleans(),
)
def test_part_alone_is_rule_3_of_the_one_part_as_part_makes(
    weight: float, value: float | None, target: bool, recorded: bool, zero: bool
) -> None:
    """The history's shortcut for a task of one part and no status of its own gives
    the figure `leaf_completion` gives that task by rule 3, or `None` where rule 3
    does not decide it."""
    part = as_part(weight, value, target=target, recorded=recorded, cancelled=False)
    assert part is not None
    rules = Rules(missing="zero" if zero else "exclude")
    found, rule = leaf_completion(None, [part], rules)
    alone = part_alone(weight, value, target=target, recorded=recorded, zero=zero)
    if rule == PARTS:
        assert alone is not None
        assert found is not None
        assert (alone, math.copysign(1.0, alone)) == (found, math.copysign(1.0, found))
    else:
        assert alone is None


def test_one_part_of_weight_three_keeps_the_rounding_of_the_mean() -> None:
    """3 x 0.1 / 3 is 0.10000000000000002 in floats, as the general mean gives it."""
    parts: list[Part] = [(3.0, 0.1, True)]
    assert leaf_completion(None, parts, ZERO) == (3.0 * 0.1 / 3.0, PARTS)
    assert leaf_completion(None, parts, ZERO)[0] == _reference_mean(parts, zero=True)


def test_milestone_completion() -> None:
    """A milestone is 1 done, 0 under another status, None unknown or cancelled."""
    assert milestone_completion(StatusChange("m", START, "done")) == 1.0
    assert milestone_completion(StatusChange("m", START, "in_progress")) == 0.0
    assert milestone_completion(StatusChange("m", START, "cancelled")) is None
    assert milestone_completion(None) is None


# -- the seven leaf rules ----------------------------------------------------------------


def status(code: str, percent: float | None = None) -> StatusChange:
    return StatusChange("t", "2025-03-01", code, percent=percent)


ZERO = Rules()
EXCLUDE = Rules(missing="exclude")


def test_rule_1_cancelled_is_left_out() -> None:
    """Rule 1: a cancelled leaf has no completion, whatever else is recorded."""
    parts: list[Part] = [(1.0, 1.0, True)]
    assert leaf_completion(status("cancelled", 50), parts, ZERO) == (None, CANCELLED)


def test_rule_2_done_is_one() -> None:
    """Rule 2: done is 1 even when its targets say less."""
    parts: list[Part] = [(1.0, 0.2, True)]
    assert leaf_completion(status("done", 30), parts, ZERO) == (1.0, DONE)


def test_rule_3_weighted_mean_of_parts_with_missing_zero() -> None:
    """Rule 3: (2 x 0.5 + 1 x 1 + 1 x 0) / (2 + 1 + 1) = 0.5; the unobserved target counts 0."""
    parts: list[Part] = [(2.0, 0.5, True), (1.0, 1.0, True), (1.0, None, False)]
    assert leaf_completion(status("in_progress", 90), parts, ZERO) == (0.5, PARTS)


def test_rule_3_with_missing_exclude_leaves_unobserved_targets_out() -> None:
    """Rule 3 with exclude: (2 x 0.5 + 1 x 1) / (2 + 1) = 2 / 3."""
    parts: list[Part] = [(2.0, 0.5, True), (1.0, 1.0, True), (1.0, None, False)]
    completion, rule = leaf_completion(None, parts, EXCLUDE)
    assert rule == PARTS
    assert completion == pytest.approx(2 / 3)


def test_rule_3_milestone_without_record_counts_zero_even_when_excluding() -> None:
    """A milestone with no record is 0 in rule 3 under either missing rule: (1 + 0) / 2."""
    parts: list[Part] = [(1.0, 1.0, True), (1.0, 0.0, False)]
    assert leaf_completion(None, parts, EXCLUDE) == (0.5, PARTS)


def test_rule_3_needs_an_observation_or_a_milestone_record() -> None:
    """Parts with no record at all leave the decision to the next rule (here rule 4)."""
    parts: list[Part] = [(1.0, None, False), (1.0, 0.0, False)]
    assert leaf_completion(status("in_progress", 40), parts, ZERO) == (0.4, PERCENT)


def test_rule_3_with_zero_weights_falls_through() -> None:
    """Parts that weigh 0 together cannot make a mean, so rule 4 decides."""
    parts: list[Part] = [(0.0, 1.0, True)]
    assert leaf_completion(status("in_progress", 40), parts, ZERO) == (0.4, PERCENT)


def test_rule_4_reported_percent() -> None:
    """Rule 4: a reported 40% is 0.4."""
    assert leaf_completion(status("in_progress", 40), [], ZERO) == (0.4, PERCENT)


def test_rule_4_comes_before_rule_5() -> None:
    """A percent reported with not_started still counts (rule 4 before rule 5)."""
    assert leaf_completion(status("not_started", 30), [], ZERO) == (0.3, PERCENT)


def test_rule_5_not_started_is_zero() -> None:
    """Rule 5: not_started without a percent is 0, even with missing exclude."""
    assert leaf_completion(status("not_started"), [], EXCLUDE) == (0.0, NOT_STARTED)


def test_rule_6_in_progress_credit() -> None:
    """Rule 6: in progress without a percent takes in_progress_credit."""
    rules = Rules(in_progress_credit=0.25)
    assert leaf_completion(status("in_progress"), [], rules) == (0.25, IN_PROGRESS)


def test_rule_6_without_credit_is_rule_7() -> None:
    """Rule 6 without a credit acts as rule 7: 0 with zero, None with exclude."""
    assert leaf_completion(status("in_progress"), [], ZERO) == (0.0, MISSING)
    assert leaf_completion(status("in_progress"), [], EXCLUDE) == (None, MISSING)


def test_rule_7_nothing_recorded() -> None:
    """Rule 7: nothing recorded is 0 with missing zero, None with exclude."""
    assert leaf_completion(None, [], ZERO) == (0.0, MISSING)
    assert leaf_completion(None, [], EXCLUDE) == (None, MISSING)


# -- properties --------------------------------------------------------------------------

numbers = st.integers(min_value=-1000, max_value=1000)
comparators = st.sampled_from(["at_least", "at_most", "exactly", "between"])


@settings(max_examples=200)
@given(comparator=comparators, value=numbers, spread=numbers, base=st.none() | numbers, c=numbers)
def test_attainment_is_the_clamped_ratio(
    comparator: str, value: int, spread: int, base: int | None, c: int
) -> None:
    """Attainment always lies in [0, 1] and is the raw ratio clamped."""
    upper = value + abs(spread) if comparator == "between" else None
    goal = target(comparator, value, upper=upper, baseline=base)
    attainment, ratio = attain(goal, c)
    assert 0.0 <= attainment <= 1.0
    assert attainment == min(1.0, max(0.0, ratio))
    assert math.isfinite(ratio)


parts_strategy = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=100),
        st.none() | st.floats(min_value=0, max_value=1),
        st.booleans(),
    ),
    max_size=5,
)
statuses = st.none() | st.builds(
    StatusChange,
    st.just("t"),
    st.just("2025-03-01"),
    st.sampled_from(["not_started", "in_progress", "done", "cancelled"]),
    percent=st.none() | st.floats(min_value=0, max_value=100),
)
rules_strategy = st.builds(
    Rules,
    missing=st.sampled_from(["zero", "exclude"]),
    in_progress_credit=st.none() | st.floats(min_value=0, max_value=1),
)


@settings(max_examples=200)
@given(record=statuses, parts=parts_strategy, rules=rules_strategy)
def test_leaf_completion_lies_in_the_unit_interval(
    record: StatusChange | None, parts: list[Part], rules: Rules
) -> None:
    """Every leaf completion is None or a fraction in [0, 1]."""
    completion, rule = leaf_completion(record, parts, rules)
    assert completion is None or 0.0 <= completion <= 1.0
    assert (completion is None) <= (rule in {CANCELLED, MISSING})
