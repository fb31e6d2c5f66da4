"""Tests of quantity arithmetic: ordering, addition, subtraction, float and equivalence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beijing_plan import Quantity, UnitError

CNY = ["yuan", "wan_yuan", "yi_yuan"]

amounts = st.decimals(
    allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12
)
cny = st.builds(Quantity, amounts, st.sampled_from(CNY))


def test_one_yi_yuan_is_equivalent_to_ten_thousand_wan_yuan() -> None:
    """`1 亿元` and `10000 万元` are equivalent amounts, yet different quantities."""
    yi, wan = Quantity(1, "亿元"), Quantity(10000, "万元")
    assert yi.equivalent(wan)
    assert wan.equivalent(yi)
    assert yi != wan
    assert not yi < wan
    assert not yi > wan
    assert yi <= wan
    assert yi >= wan


def test_equality_is_structural_and_hash_follows_it() -> None:
    """`==` holds for the same unit and numerically equal value, and equal quantities hash alike."""
    assert Quantity("1.0", "yuan") == Quantity(1, "元")
    assert hash(Quantity("1.0", "yuan")) == hash(Quantity(1, "元"))
    assert len({Quantity(1, "亿元"), Quantity(10000, "万元"), Quantity("1.00", "yi_yuan")}) == 2


def test_ordering_converts_within_a_dimension() -> None:
    """Quantities of one dimension order by amount, whatever their units."""
    assert Quantity(9999, "万元") < Quantity(1, "亿元")
    assert Quantity("1.5", "亿元") > Quantity(10000, "万元")
    assert sorted([Quantity(2, "yuan"), Quantity("0.001", "wan_yuan"), Quantity(1, "yuan")]) == [
        Quantity(1, "yuan"),
        Quantity(2, "yuan"),
        Quantity("0.001", "wan_yuan"),
    ]
    assert max(Quantity(1, "万平方米"), Quantity(9000, "m2")) == Quantity(1, "wan_m2")


def test_addition_and_subtraction_keep_the_left_unit_exactly() -> None:
    """`+` and `-` convert the right operand to the left one's unit, exactly."""
    total = Quantity(1, "亿元") + Quantity(1, "yuan")
    assert total == Quantity(Decimal("1.00000001"), "yi_yuan")
    assert total.unit == "yi_yuan"
    assert Quantity(1, "yuan") + Quantity(1, "亿元") == Quantity(100000001, "yuan")
    assert Quantity(1, "万元") - Quantity("0.0001", "亿元") == Quantity(0, "wan_yuan")
    assert Quantity("0.1", "count") + Quantity("0.2", "count") == Quantity("0.3", "count")


def test_arithmetic_leaves_the_input_range_like_conversion() -> None:
    """A sum or difference, like a conversion, may lie beyond the range accepted on input."""
    tiny = Quantity(Decimal("1E-60"), "yi_yuan") - Quantity(Decimal("1E-60"), "yuan")
    assert tiny.value == Decimal("9.9999999E-61")


def test_float_gives_the_value_in_its_own_unit() -> None:
    """`float()` of a quantity is its value as a float, in its own unit."""
    assert float(Quantity("60", "亿元")) == 60.0
    assert float(Quantity("5.4", "%")) == 5.4


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (Quantity(1, "yuan"), Quantity(1, "usd")),
        (Quantity(1, "count"), Quantity(1, "m2")),
    ],
)
def test_different_dimensions_raise_the_unit_error(left: Quantity, right: Quantity) -> None:
    """Ordering, adding or subtracting across dimensions raises `UnitError` naming both units."""
    message = f"cannot compare or combine {left.unit!r} ({left.dimension}) with "
    message += f"{right.unit!r} ({right.dimension})"
    for operation in (
        lambda: left < right,
        lambda: left <= right,
        lambda: left > right,
        lambda: left >= right,
        lambda: left + right,
        lambda: left - right,
    ):
        with pytest.raises(UnitError) as caught:
            operation()
        assert caught.value.problems == [("unit", message)]
    assert not left.equivalent(right)
    assert left != right


def test_a_number_is_not_a_quantity() -> None:
    """Arithmetic, ordering and equivalence with a plain number raise `TypeError`, as misuse."""
    quantity = Quantity(1, "yuan")
    with pytest.raises(TypeError):
        quantity + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        quantity < 2  # type: ignore[operator]  # noqa: B015 (the comparison is the test)
    with pytest.raises(TypeError, match="other must be a Quantity, not int"):
        quantity.equivalent(1)  # type: ignore[arg-type]
    number: object = 1
    assert quantity != number


@given(cny, cny)
def test_ordering_is_total_within_a_dimension(a: Quantity, b: Quantity) -> None:
    """Of two amounts of one dimension exactly one is less, greater or equivalent."""
    assert [a < b, a > b, a.equivalent(b)].count(True) == 1
    assert (a <= b) == (a < b or a.equivalent(b))
    assert (a >= b) == (b <= a)


@given(cny, cny, cny)
def test_ordering_is_transitive(a: Quantity, b: Quantity, c: Quantity) -> None:
    """`a <= b <= c` implies `a <= c`."""
    if a <= b <= c:
        assert a <= c


@given(cny, cny)
def test_adding_then_subtracting_gives_the_same_quantity_back(a: Quantity, b: Quantity) -> None:
    """`a + b - b` is `a` again: same unit, same value."""
    assert (a + b - b).equivalent(a)
    assert a + b - b == a
    assert (a + b).equivalent(b + a)


@given(cny, st.sampled_from(CNY))
def test_conversion_round_trip_is_equivalent(a: Quantity, unit: str) -> None:
    """A quantity converted to another unit is equivalent to it and converts back to it."""
    there = a.to(unit)
    assert there.equivalent(a)
    assert there.to(a.unit) == a
