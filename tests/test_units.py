"""Tests of the unit registry and quantities."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beijing_plan import (
    Baseline,
    PlanValidationError,
    Quantity,
    Target,
    UnitError,
    get_unit,
    units,
)
from beijing_plan.units import MAX_EXPONENT, as_decimal


def test_sixty_yi_yuan_is_six_billion_yuan() -> None:
    """60 亿元 converts exactly to 6,000,000,000 yuan and back."""
    yuan = Quantity("60", "亿元").to("yuan")
    assert yuan == Quantity(Decimal("6000000000"), "yuan")
    assert yuan.to("yi_yuan").value == Decimal("60")


def test_wan_units_convert_exactly() -> None:
    """万元 and 万平方米 are ten thousand of their base unit."""
    assert Quantity("1.5", "万元").to("yuan").value == Decimal("15000")
    assert Quantity("2049", "万平方米").to("m2").value == Decimal("20490000")
    assert Quantity("0.01", "wan_yuan").to("yi_yuan").value == Decimal("0.000001")


def test_chinese_aliases_become_canonical_names() -> None:
    """Chinese unit names are accepted on input and held by their canonical name."""
    assert Quantity(5, "家").unit == "count"
    assert Quantity(5, "%").unit == "percent"
    assert Quantity(5, "平方米").unit == "m2"
    assert Quantity(5, "美元").unit == "usd"


def test_registry_has_the_designed_units() -> None:
    """The registry holds at least the eight units the design names."""
    assert {"count", "percent", "yuan", "wan_yuan", "yi_yuan", "usd", "m2", "wan_m2"} <= set(
        units()
    )
    assert get_unit("亿元").factor == Decimal(100_000_000)


def test_conversion_across_dimensions_raises() -> None:
    """Yuan never convert to dollars or square metres."""
    with pytest.raises(UnitError, match="cannot convert 'yuan'"):
        Quantity(1, "yuan").to("usd")
    with pytest.raises(UnitError):
        Quantity(1, "count").to("m2")


def test_unknown_unit_is_refused_with_the_known_ones() -> None:
    """An unknown unit raises the library's error listing the known units and their aliases."""
    with pytest.raises(
        UnitError, match=r"'furlong' is not a known unit \(known, with their aliases: count \(个,"
    ):
        Quantity(1, "furlong")


@pytest.mark.parametrize(
    "bad", ["nan", "Infinity", float("nan"), float("inf"), True, "abc", None, "1e999", [1]]
)
def test_bad_numbers_are_refused(bad: object) -> None:
    """NaN, infinities, booleans, non-numbers and absurd exponents are refused."""
    with pytest.raises(PlanValidationError):
        Quantity(bad, "count")  # type: ignore[arg-type]


def test_exponent_bound_is_sixty() -> None:
    """Values up to 1e60 in magnitude are accepted, beyond are refused."""
    assert as_decimal(f"1e{MAX_EXPONENT}") == Decimal(f"1e{MAX_EXPONENT}")
    with pytest.raises(PlanValidationError, match="out of the supported range"):
        as_decimal(f"1e{MAX_EXPONENT + 1}")


def test_float_converts_through_its_repr() -> None:
    """A float becomes the decimal of its shortest repr, not its binary expansion."""
    assert Quantity(0.1, "count").value == Decimal("0.1")


def test_str_shows_symbols() -> None:
    """Quantities print with their unit symbol."""
    assert str(Quantity("60", "yi_yuan")) == "60亿元"
    assert str(Quantity("5.4", "percent")) == "5.4%"
    assert str(Quantity("132", "count")) == "132"


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12
    )
)
def test_round_trip_through_another_unit_is_exact(value: Decimal) -> None:
    """Converting yuan to 亿元 and back loses nothing."""
    there = Quantity(value, "yuan").to("yi_yuan")
    assert there.to("yuan").value == value


def test_conversion_may_leave_the_input_range() -> None:
    """A value at the edge of the input range still converts, exactly."""
    tiny = Quantity(Decimal("1E-53"), "yuan").to("yi_yuan")
    assert tiny.value == Decimal("1E-61")
    assert tiny.unit == "yi_yuan"
    assert tiny.to("yuan") == Quantity(Decimal("1E-53"), "yuan")


def test_target_with_a_tiny_baseline_in_another_unit_is_assessed() -> None:
    """A baseline far below the target's unit converts without error when assessed."""
    target = Target(
        "g",
        "G",
        "at_least",
        Quantity(1, "yi_yuan"),
        baseline=Baseline(Quantity(Decimal("1E-53"), "yuan"), "2024-01-01"),
    )
    assert target.attainment(Quantity(50_000_000, "yuan")) == pytest.approx(0.5)
