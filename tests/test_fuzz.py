"""Fuzz tests: whatever a loader is fed, it loads or raises PlanValidationError, quickly."""

from __future__ import annotations

import json
import time
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import beijing_plan as bp
from beijing_plan import PlanValidationError
from beijing_plan import strategies as bps
from beijing_plan._yaml import dump_yaml
from beijing_plan.files import document
from beijing_plan.strategies import FAULTS, InvalidDocument, invalid_documents

#: No single load in these tests may take longer than this, in seconds.
TIME_BOUND = 2.0


def load_within_bound(text: str | bytes, cls: type, fmt: str) -> None:
    """Load ``text``; succeed or raise only PlanValidationError, within the time bound."""
    start = time.perf_counter()
    problems: list[tuple[str, str]] = []
    try:
        bp.loads(text, cls, fmt)
    except PlanValidationError as error:
        problems = error.problems or [("", "")]
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_BOUND
    assert all(isinstance(p, str) and isinstance(m, str) and m for p, m in problems)


@given(bad=invalid_documents())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_every_known_fault_is_reported_at_its_path(bad: InvalidDocument) -> None:
    """A document with one known fault raises an error that names the fault's path."""
    with pytest.raises(PlanValidationError) as error:
        bp.loads(json.dumps(bad.document), bad.cls)
    paths = [path for path, _ in error.value.problems]
    assert bad.path in paths, (bad.fault, bad.path, error.value.problems)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_kind_can_be_drawn(fault: str) -> None:
    """Every kind of fault is produced and reported where it says."""
    seen: list[str] = []

    @given(bad=invalid_documents(bps.plans(min_measures=1), faults=(fault, "unknown_field")))
    @settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
    def check(bad: InvalidDocument) -> None:
        seen.append(bad.fault)
        with pytest.raises(PlanValidationError) as error:
            bp.loads(json.dumps(bad.document), bad.cls)
        assert bad.path in [p for p, _ in error.value.problems]

    check()
    assert seen


def _mutate(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:  # noqa: PLR0912 (one branch per mutation)
    """Return ``value`` with random damage: deletions, retypes, duplicates, corrupt scalars."""
    if isinstance(value, dict) and value:
        key = draw(st.sampled_from(sorted(value)))
        action = draw(st.sampled_from(["delete", "retype", "recurse", "duplicate", "rename"]))
        out = dict(value)
        if action == "delete":
            del out[key]
        elif action == "retype":
            out[key] = draw(_junk)
        elif action == "duplicate":
            out[f"{key}_copy"] = out[key]
        elif action == "rename":
            out[draw(st.text(max_size=5))] = out.pop(key)
        else:
            out[key] = _mutate(draw, out[key], depth + 1)
        return out
    if isinstance(value, list) and value:
        i = draw(st.integers(0, len(value) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "recurse", "retype"]))
        out_list = list(value)
        if action == "delete":
            del out_list[i]
        elif action == "duplicate":
            out_list.insert(i, out_list[i])
        elif action == "retype":
            out_list[i] = draw(_junk)
        else:
            out_list[i] = _mutate(draw, out_list[i], depth + 1)
        return out_list
    if isinstance(value, str):
        return draw(
            st.sampled_from([value[::-1], value + "\x00", "", "9" * 200, "1e999999999", "NaN"])
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        return draw(st.sampled_from([-value, value * 1e300, 2**70, -1, 0.5]))
    return draw(_junk)


_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@st.composite
def damaged_documents(draw: st.DrawFn) -> tuple[dict[str, Any], type]:
    """A valid plan or ledger document with several random mutations."""
    plan, ledger = draw(bps.plans_and_ledgers(max_measures=2))
    choices: list[bp.Plan | bp.Ledger] = [plan, ledger]
    obj = draw(st.sampled_from(choices))
    doc: Any = orjson.loads(orjson.dumps(document(obj)))
    for _ in range(draw(st.integers(1, 4))):
        doc = _mutate(draw, doc)
    return doc, type(obj)


@given(damaged_documents(), st.sampled_from(["json", "yaml"]))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_mutated_documents_load_or_raise_the_library_error(
    damaged: tuple[dict[str, Any], type], fmt: str
) -> None:
    """Deleting, retyping, duplicating and corrupting parts never escapes the library's error."""
    doc, cls = damaged
    text = json.dumps(doc) if fmt == "json" else dump_yaml(doc)
    load_within_bound(text, cls, fmt)


@given(st.text(max_size=300), st.sampled_from(["json", "yaml", "toml"]))
def test_raw_text_loads_or_raises_the_library_error(text: str, fmt: str) -> None:
    """Arbitrary text in any format raises only the library's error."""
    load_within_bound(text, bp.Plan, fmt)
    load_within_bound(text, bp.Ledger, fmt)


@given(st.binary(max_size=300), st.sampled_from(["json", "yaml", "toml"]))
def test_raw_bytes_load_or_raise_the_library_error(data: bytes, fmt: str) -> None:
    """Arbitrary bytes, UTF-8 or not, raise only the library's error."""
    load_within_bound(data, bp.Plan, fmt)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
        ),
        max_leaves=30,
    )
)
def test_arbitrary_json_values_under_the_schema_key(value: Any) -> None:
    """Any JSON value placed in a well-headed document raises only the library's error."""
    body = value if isinstance(value, dict) else {"measures": value}
    load_within_bound(json.dumps({"schema": "beijing-plan/1", **body}), bp.Plan, "json")
    load_within_bound(
        json.dumps({"schema": "beijing-plan/1", "records": [value]}), bp.Ledger, "json"
    )
