"""Tests of beijing_plan._numbers: the one rounding of quantities and figures in every view."""

from __future__ import annotations

from decimal import Decimal

import pytest

from beijing_plan import display
from beijing_plan._numbers import amount_text, fraction_text, quantity_text
from beijing_plan.assessment import assess
from beijing_plan.ledger import Ledger, Observation
from beijing_plan.model import Measure, Plan, Target, Task
from beijing_plan.units import Quantity


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("113.1243094", "yi_yuan", "113.12亿元"),  # money: 2 decimals of its unit
        ("45.20331492", "percent", "45.2%"),  # percent: 1 decimal
        ("65.37362637", "count", "65"),  # counts: whole numbers
        ("60", "yi_yuan", "60.00亿元"),
        ("0.125", "yuan", "0.13元"),  # halves away from zero, as a spreadsheet
        ("-0.125", "yuan", "-0.13元"),
        ("-0.001", "wan_yuan", "0.00万元"),  # no minus sign on a zero
        ("65.5", "count", "66"),
        ("5", "percent", "5.0%"),
        ("3.456", "usd", "3.46 US$"),
        ("1234.567", "m2", "1235m²"),  # 4 significant digits, the whole part kept
        ("123456.7", "m2", "123457m²"),
        ("0.012345", "m2", "0.01235m²"),
        ("1.5", "m2", "1.5m²"),  # no trailing zeros
        ("0", "m2", "0m²"),
    ],
)
def test_quantity_text_rounds_for_the_unit(value: str, unit: str, shown: str) -> None:
    """A quantity shows with the digits its unit calls for, and its symbol."""
    assert quantity_text(Quantity(value, unit)) == shown


def test_amount_text_takes_floats_and_keeps_the_object_exact() -> None:
    """A float amount rounds as its decimal does; the quantity keeps its exact value."""
    assert amount_text(113.1243094, "yi_yuan") == "113.12"
    assert amount_text(65.37362637, "count") == "65"
    assert amount_text(float("nan"), "count") == "—"
    quantity = Quantity("113.1243094", "yi_yuan")
    quantity_text(quantity)
    assert quantity.value == Decimal("113.1243094")
    assert str(quantity) == "113.1243094亿元"


def test_fraction_text_is_a_percentage_with_one_decimal() -> None:
    """A fraction shows as a percentage with 1 decimal, unknown as a dash."""
    assert fraction_text(0.4520331492) == "45.2%"
    assert fraction_text(0.00045) == "0.0%"
    assert fraction_text(-0.0001) == "0.0%"
    assert fraction_text(None) == "—"
    assert fraction_text(1.0, 0) == "100%"


def money_plan() -> tuple[Plan, Ledger]:
    investment = Target(
        "inv", "Investment", "at_least", Quantity(200, "yi_yuan"), aggregation="mean"
    )
    firms = Target("firms", "Firms", "at_least", Quantity(100, "count"), aggregation="mean")
    plan = Plan(
        "p",
        "Plan",
        start="2025-01-01",
        end="2025-12-31",
        measures=[Measure("m", 1, "M", tasks=[Task("t", "T", targets=[investment, firms])])],
    )
    ledger = Ledger(
        [
            Observation("inv", "2025-02-01", Quantity("113.1243094", "yi_yuan")),
            Observation("inv", "2025-03-01", Quantity("113.1243094", "yi_yuan")),
            Observation("firms", "2025-02-01", Quantity(65, "count")),
            Observation("firms", "2025-03-01", Quantity(66, "count")),
            Observation("firms", "2025-04-01", Quantity(65, "count")),
        ]
    )
    return plan, ledger


def test_explain_rounds_quantities_for_their_unit() -> None:
    """An explanation shows money to 2 decimals and counts whole, not every digit."""
    plan, ledger = money_plan()
    assessment = assess(plan, ledger, as_of="2025-05-01")
    text = assessment["inv"].explain()
    assert "Current value (mean) = (113.12 + 113.12) / 2 = 113.12亿元" in text
    assert "1243094" not in text
    firms = assessment["firms"]
    assert firms.current is not None
    assert firms.current.value > Decimal("65.33")  # 196 / 3, exact in the result
    text = firms.explain()
    assert "Current value (mean) = (65 + 66 + 65) / 3 = 65" in text
    assert "c / T = 65 / 100" in text
    assert "65.33" not in text


def test_html_and_text_views_round_quantities() -> None:
    """The HTML view of a target and the text of a ledger show rounded amounts."""
    plan, ledger = money_plan()
    assessment = assess(plan, ledger, as_of="2025-05-01")
    html = display.result_html(assessment["inv"])
    assert "current value 113.12亿元" in html
    assert "1243094" not in html
    assert "2025-02-01  inv = 113.12亿元" in display.ledger_str(ledger)
    goal = Target("g", "Goal", "at_least", Quantity("60.004", "yi_yuan"))
    alone = Plan(
        "q",
        "Q",
        start="2025-01-01",
        end="2025-12-31",
        measures=[Measure("m", 1, "M", targets=[goal])],
    )
    assert "≥ 60.00亿元" in display.plan_html(alone)
