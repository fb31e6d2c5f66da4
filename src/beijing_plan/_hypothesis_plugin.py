"""Registration of the library's strategies with Hypothesis' `st.from_type`.

Hypothesis calls `_hypothesis_setup_hook` through the `hypothesis` entry point
when it is imported. The hook registers, for each model class, a function that
imports [`beijing_plan.strategies`][beijing_plan.strategies] and returns its
strategy only when `st.from_type` first asks for that class, so importing
Hypothesis stays cheap and no strategy is built while Hypothesis itself is
being set up.

This module sits beside the `strategies` package rather than inside it on
purpose: loading a module inside the package runs the package's `__init__`,
which builds every strategy (and imports the file readers) on each import of
Hypothesis, wherever this library is installed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .ledger import Ledger
from .model import Measure, Milestone, Plan, Policy, Target, Task, Text
from .units import Quantity

__all__ = ["_hypothesis_setup_hook"]

#: Each registered class and the function of `beijing_plan.strategies` that draws it.
REGISTERED: dict[type[Any], str] = {
    Text: "texts",
    Quantity: "quantities",
    Target: "targets",
    Milestone: "milestones",
    Task: "tasks",
    Measure: "measures",
    Policy: "policies",
    Plan: "plans",
    Ledger: "plans_and_ledgers",
}


def _resolver(name: str) -> Callable[[type[Any]], SearchStrategy[Any]]:
    """A function from a class to the strategy that `name` returns, made when called."""

    def resolve(_: type[Any]) -> SearchStrategy[Any]:
        strategies = importlib.import_module("beijing_plan.strategies")
        strategy: SearchStrategy[Any] = getattr(strategies, name)()
        if name == "plans_and_ledgers":  # a ledger needs a plan to refer to
            return strategy.map(itemgetter(1))
        return strategy

    return resolve


def _hypothesis_setup_hook() -> None:
    """Make `st.from_type` draw each model class from `beijing_plan.strategies`.

    Calling it again registers the same functions again, which changes nothing.
    """
    for cls, name in REGISTERED.items():
        st.register_type_strategy(cls, _resolver(name))
