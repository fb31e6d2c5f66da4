"""The fast paths of loading and saving agree with the collecting converter and with cattrs.

`_fastload` builds objects from documents and gives up on anything it does not
read; `_fastdump` writes them. Here thousands of documents, valid ones drawn from
the public strategies, every kind of fault, and random mutations of valid ones,
are built by both paths: the fast path never accepts what the collecting path
refuses, builds the same object when it accepts, and the error raised is always
the collecting path's. The documents written are byte for byte the ones the
library's cattrs converter makes.
"""

from __future__ import annotations

import copy
import math
import random
import sys
import types
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import orjson
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import beijing_plan as bp
from beijing_plan import PlanValidationError
from beijing_plan import strategies as bps
from beijing_plan._fastload import (
    _CHECKED_READERS,
    FAILED,
    INLINE_CHECKS,
    SAME_TYPE_CONVERTERS,
    build,
    inline_check,
    loading,
)
from beijing_plan.convert import make_converter, structure, unstructure
from beijing_plan.files import document
from beijing_plan.ledger import Record
from beijing_plan.strategies import FAULTS, InvalidDocument, invalid_documents
from helpers import run_in_threads

_COLLECTING = make_converter(detailed=True)
_CATTRS = make_converter()
_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _collect(body: object, cls: Any) -> tuple[object, list[tuple[str, str]] | None]:
    """What the collecting converter makes of `body`: the object, or its problems."""
    try:
        return _COLLECTING.structure(body, cls), None
    except PlanValidationError as error:
        return None, error.problems
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None, []  # `structure` turns these into one problem at the root


def _agree(body: object, cls: Any) -> bool:
    """Check that both paths agree on `body`; whether the fast path built it."""
    fast = build(copy.deepcopy(body), cls)
    built, problems = _collect(body, cls)
    if problems is not None:
        assert fast is FAILED, f"the fast path accepted what the collecting path refuses: {body!r}"
        with pytest.raises(PlanValidationError) as raised:
            structure(body, cls)
        if problems:
            assert raised.value.problems == problems
        return False
    if fast is FAILED:
        return False
    assert type(fast) is type(built)
    assert fast == built
    assert _classes(fast) == _classes(built)  # none is still of the class it was built as
    if isinstance(fast, bp.Plan):
        assert isinstance(built, bp.Plan)
        assert fast.ids == built.ids
        assert all(fast.parent_of(i) == built.parent_of(i) for i in fast.ids)
    if isinstance(fast, bp.Ledger):
        assert [type(r) for r in fast] == [type(r) for r in built]  # type: ignore[attr-defined]
    return True


def _classes(obj: object) -> set[type]:
    """The classes of `obj` and of every attrs object it holds, at any depth."""
    found: set[type] = set()
    todo = [obj]
    while todo:
        item = todo.pop()
        if isinstance(item, tuple | list | frozenset):
            todo.extend(item)
        elif attrs.has(type(item)):
            found.add(type(item))
            todo.extend(getattr(item, f.name) for f in attrs.fields(type(item)))  # type: ignore[arg-type]
    return found


def _body(obj: object) -> dict[str, Any]:
    """The document of `obj` as JSON reads it, without its schema."""
    data: dict[str, Any] = orjson.loads(orjson.dumps(document(obj)))
    del data["schema"]
    return data


# -- valid documents ------------------------------------------------------------------


@given(bps.plans_and_ledgers(max_measures=3))
@_SETTINGS
def test_valid_documents_are_built_by_the_fast_path_as_by_the_collecting_one(
    pair: tuple[bp.Plan, bp.Ledger],
) -> None:
    """A valid plan, ledger and record is built by the fast path, equal to the collecting path's."""
    plan, ledger = pair
    assert _agree(_body(plan), bp.Plan)
    assert _agree(_body(ledger), bp.Ledger)
    for record in ledger:
        assert _agree(unstructure(record), Record)
        assert _agree(unstructure(record), type(record))


@given(bps.plans_and_ledgers(max_measures=3))
@_SETTINGS
def test_loads_and_ledger_files_read_back_what_was_written(
    pair: tuple[bp.Plan, bp.Ledger],
) -> None:
    """`loads` of `dumps` and a ledger file's read give back the objects written."""
    plan, ledger = pair
    assert bp.loads(bp.dumps(plan)) == plan
    assert bp.loads(bp.dumps(ledger), bp.Ledger) == ledger
    assert bp.loads(bp.dumps(ledger), bp.Ledger, plan=plan) == ledger


@given(bps.plans_and_ledgers(max_measures=3))
@_SETTINGS
def test_a_ledger_built_fast_knows_whether_its_records_are_linked(
    pair: tuple[bp.Plan, bp.Ledger],
) -> None:
    """The quick test of links says what the full pass over the records says."""
    _, ledger = pair
    loaded = bp.loads(bp.dumps(ledger), bp.Ledger)
    assert loaded._linked == ledger._linked
    assert loaded.records == ledger.records


# -- documents with a fault -----------------------------------------------------------


@pytest.mark.parametrize("fault", sorted(FAULTS))
@given(data=st.data())
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_every_fault_is_refused_by_the_fast_path(fault: str, data: st.DataObject) -> None:
    """A document with any known fault is refused by the fast path and reported as collected."""
    bad: InvalidDocument = data.draw(invalid_documents(faults=(fault,)))
    body = {k: v for k, v in bad.document.items() if k != "schema"}
    assert not _agree(body, bad.cls)


# -- random mutations -----------------------------------------------------------------

_ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2**60,
    0.5,
    -0.0,
    1e308,
    "",
    " ",
    "x",
    "2025-02-30",
    "2025-01-01",
    "20250101",
    "at_least",
    "between",
    "done",
    "亿元",
    "count",
    "\u200b",
    "a b",
    "e\u0301",
    "\ud800",
    "NaN",
    "1e999999",
    "60",
    [],
    [1],
    ["x", "x"],
    {},
    {"zh": "目标"},
    {"zh": None, "en": None},
    {"value": "1", "unit": "count"},
    {"value": "1", "unit": "km"},
    {"value": True, "unit": "count"},
    {"kind": "status"},
]


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every dict and list in `value`."""
    found = [path]
    children = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in children:
        if isinstance(child, dict | list):
            found.extend(_containers(child, (*path, key)))
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def _mutate(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """`body` with one to three random changes: a value replaced, a key dropped or added,
    an item of a list repeated or dropped, or a value moved to another place."""
    body = copy.deepcopy(body)
    for _ in range(rng.randint(1, 3)):
        node = _at(body, rng.choice(_containers(body)))
        how = rng.randrange(5)
        if isinstance(node, dict):
            keys = list(node)
            if how == 0 or not keys:
                node[rng.choice(["id", "kind", "extra", "target", "item", "weight"])] = rng.choice(
                    _ODD_VALUES
                )
            elif how == 1:
                del node[rng.choice(keys)]
            else:
                node[rng.choice(keys)] = copy.deepcopy(rng.choice(_ODD_VALUES))
        elif node:
            index = rng.randrange(len(node))
            if how == 0:
                node.append(copy.deepcopy(node[index]))
            elif how == 1:
                del node[index]
            else:
                node[index] = copy.deepcopy(rng.choice(_ODD_VALUES))
    return body


@given(bps.plans_and_ledgers(max_measures=2), st.randoms(use_true_random=False))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_mutated_documents_are_judged_alike(
    pair: tuple[bp.Plan, bp.Ledger], rng: random.Random
) -> None:
    """Randomly changed documents: the fast path accepts only what the collecting path builds."""
    plan, ledger = pair
    for obj, cls in ((plan, bp.Plan), (ledger, bp.Ledger)):
        body = _body(obj)
        for _ in range(15):
            _agree(_mutate(body, rng), cls)


# -- dumps ----------------------------------------------------------------------------


@given(bps.plans_and_ledgers(max_measures=3))
@_SETTINGS
def test_documents_are_written_byte_for_byte_as_cattrs_writes_them(
    pair: tuple[bp.Plan, bp.Ledger],
) -> None:
    """The generated writers make the very document of the library's cattrs converter."""
    plan, ledger = pair
    for obj in (plan, ledger, *ledger):
        assert orjson.dumps(unstructure(obj)) == orjson.dumps(_CATTRS.unstructure(obj))


def test_an_empty_ledger_is_written_with_its_records() -> None:
    """An empty ledger is written as an empty list of records, as before."""
    assert unstructure(bp.Ledger()) == {"records": []}


# -- the inline forms of the validators -----------------------------------------------

_FIELD = types.SimpleNamespace(name="field")
_STRINGS: list[object] = [
    "x",
    "m1-t1",
    "北京",
    "",
    " ",
    "\t\n",
    "a b",
    "a\x00",
    "a\x85",
    "x" * 200,
    "x" * 201,
    "e\u0301",
    "\u00e9",
    "a\u200bb",
    "\ufeffx",
    "a\ud800",
    "北\udfff京",
    "北京\n",
    "北京\n\ud800",
    "Beijing Daily",
    " padded ",
]
_FLOATS: list[object] = [
    0.0,
    -0.0,
    0.5,
    1.0,
    1.5,
    100.0,
    100.5,
    -1.0,
    math.inf,
    -math.inf,
    math.nan,
    sys.float_info.max,
    5e-324,
]
_INTS: list[object] = [0, 1, 2, -1, 2**53 - 1, 2**53, 10**30]
_TUPLES: list[object] = [
    (),
    ("a",),
    ("a", "b"),
    ("a", ""),
    ("a b",),
    ("x", "\ud800"),
    frozenset(),
    frozenset({"a", "b"}),
    frozenset({"a", " "}),
]


def _point(day: str) -> bp.TrajectoryPoint:
    return bp.TrajectoryPoint(day, 0.5)


#: Sample values of the type each validator's field is read as.
_SAMPLES: dict[str, list[object]] = {
    "valid_id": _STRINGS,
    "_valid_ref": _STRINGS,
    "valid_optional_id": [None, *_STRINGS],
    "_valid_optional_ref": [None, *_STRINGS],
    "valid_ids": _TUPLES,
    "valid_text": _STRINGS,
    "valid_optional_text": [None, *_STRINGS],
    "valid_strings": _TUPLES,
    "_valid_note": [None, *_STRINGS],
    "valid_weight": _FLOATS,
    "_valid_optional_weight": [None, *_FLOATS],
    "valid_fraction": _FLOATS,
    "_valid_percent": [None, *_FLOATS],
    "valid_number": _INTS,
    "valid_count": [None, *_INTS],
    "valid_trajectory": [
        (),
        (_point("2025-01-01"),),
        (_point("2025-01-01"), _point("2025-02-01")),
        (_point("2025-02-01"), _point("2025-01-01")),
        (_point("2025-01-01"), _point("2025-01-01")),
    ],
    "_valid_source": [None, bp.Source("t")],
    "_valid_quantity": [bp.Quantity(1, "count")],
    "_valid_optional_quantity": [None, bp.Quantity(1, "count")],
}
#: Values of other types: the inline forms may refuse them, but never accept one refused.
_OTHERS: list[object] = [
    None,
    True,
    1,
    1.0,
    Decimal("1"),
    Decimal("NaN"),
    "x",
    b"x",
    ("x",),
    ["x"],
    {"x": 1},
    pendulum.Date(2025, 1, 1),
    bp.Text("x"),
]


def _accepts(check: Callable[[object], bool], value: object) -> bool:
    """What an inline check says; one that raises refuses (the builders then give up)."""
    try:
        return check(value)
    except Exception:  # any failure is a refusal
        return False


def _passes(validator: Callable[..., Any], value: object) -> bool:
    try:
        validator(None, _FIELD, value)
    except (PlanValidationError, TypeError, AttributeError, ValueError):
        return False
    return True


@pytest.mark.parametrize("validator", list(INLINE_CHECKS), ids=lambda v: v.__name__)
def test_each_inline_check_agrees_with_the_validator_it_mirrors(
    validator: Callable[..., Any],
) -> None:
    """On values of its field's type an inline check says what its validator says, and on
    any other value it never accepts what the validator refuses."""
    check = inline_check(validator)
    samples = _SAMPLES[validator.__name__]
    verdicts = [(value, _accepts(check, value), _passes(validator, value)) for value in samples]
    assert [(v, inline) for v, inline, _ in verdicts] == [(v, ok) for v, _, ok in verdicts]
    assert any(ok for _, _, ok in verdicts)
    assert not all(ok for _, _, ok in verdicts) or validator.__name__ in {
        "_valid_source",
        "_valid_quantity",
        "_valid_optional_quantity",
    }
    for value in _OTHERS:
        assert not _accepts(check, value) or _passes(validator, value), value


@pytest.mark.parametrize("validator", list(_CHECKED_READERS), ids=lambda v: v.__name__)
def test_a_reader_that_checks_agrees_with_the_reader_and_the_check_it_joins(
    validator: Callable[..., Any],
) -> None:
    """A reader standing for a field's reader and its validator's check reads what the
    reader reads, and refuses exactly what either of them refuses."""
    reader, joined = _CHECKED_READERS[validator]
    check = inline_check(validator)
    values: list[object] = [list(v) for v in _TUPLES if isinstance(v, tuple | frozenset)]
    values += [["a", 1], ["a", None], [["a"]], *_OTHERS]
    for value in values:
        try:
            expected: object = reader(value)
        except Exception:  # any failure is a refusal
            expected = FAILED
        if expected is not FAILED and not _accepts(check, expected):
            expected = FAILED
        try:
            got: object = joined(value)
        except Exception:  # any failure is a refusal
            got = FAILED
        assert got == expected, value
        assert got is FAILED or type(got) is type(expected)


def test_every_validator_of_the_model_is_either_mirrored_or_called() -> None:
    """The mirrored validators are the model's own: each is used by some field."""
    used = {
        field.validator
        for cls in (
            bp.Plan,
            bp.Theme,
            bp.Measure,
            bp.Task,
            bp.Target,
            bp.Milestone,
            bp.Policy,
            bp.Source,
            bp.Text,
            bp.TrajectoryPoint,
            bp.Declared,
            bp.Observation,
            bp.StatusChange,
            bp.Withdrawal,
            bp.Revision,
        )
        for field in attrs.fields(cls)
    }
    assert set(INLINE_CHECKS) <= used


_CONVERTER_SAMPLES: list[object] = [
    None,
    bp.Text("x"),
    ("a", "b"),
    frozenset({"a"}),
    pendulum.Date(2025, 1, 1),
    0.5,
    bp.Comparator.BETWEEN,
    bp.Aggregation.SUM,
    bp.Status.DONE,
    (_point("2025-01-01"),),
    bp.Declared(measures=1),
]


def _name(function: object) -> str:
    return str(getattr(function, "__name__", function))


@pytest.mark.parametrize("converter", sorted(SAME_TYPE_CONVERTERS, key=_name), ids=_name)
def test_converters_skipped_return_what_they_are_given(converter: Callable[..., Any]) -> None:
    """Each converter the builders skip returns an equal value of the same type."""
    kept = 0
    for value in _CONVERTER_SAMPLES:
        try:
            result = converter(value)
        except (PlanValidationError, TypeError, ValueError):
            continue
        if type(result) is type(value):
            assert result == value
            kept += 1
    assert kept


def test_loading_restores_the_collector_only_when_it_was_on() -> None:
    """`loading` pauses the garbage collector and turns it on again only if it was on."""
    import gc  # noqa: PLC0415 (the state is put back at the end)

    was = gc.isenabled()
    try:
        gc.enable()
        with loading():
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        with loading():
            pass
        assert not gc.isenabled()
        gc.enable()
        with pytest.raises(PlanValidationError), loading():
            bp.loads("{")
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_a_pause_leaves_no_collection_due(monkeypatch: pytest.MonkeyPatch) -> None:
    """The objects built while the collector is paused do not start a collection at once."""
    import gc  # noqa: PLC0415 (the state is put back at the end)

    from beijing_plan import _collector  # noqa: PLC0415

    if gc.get_freeze_count():
        pytest.skip("this process freezes objects itself")
    monkeypatch.setattr(_collector, "_others_freeze", False)
    was = gc.isenabled()
    try:
        gc.enable()
        with _collector.paused():
            built = [[i] for i in range(10 * gc.get_threshold()[0])]
        assert gc.isenabled()
        assert gc.get_count()[0] <= gc.get_threshold()[0]
        assert gc.get_freeze_count() == 0
        assert len(built) == 10 * gc.get_threshold()[0]
    finally:
        (gc.enable if was else gc.disable)()


def test_a_text_seen_before_is_shared_only_for_the_same_mapping() -> None:
    """A text kept from an earlier mapping serves only a mapping of the same entries."""
    good = {"id": "t1", "title": {"zh": "北京", "en": "Beijing"}}
    with loading():
        first = build(good, bp.Theme)
        assert first is not FAILED
        again = build({"id": "t2", "title": {"zh": "北京", "en": "Beijing"}}, bp.Theme)
        assert again.title is first.title
        for title in (
            {"zh": "北京", "en": "Beijing", "fr": "Pékin"},
            {"zh": "北京", "en": None},
            ("北京", "Beijing", 2),
        ):
            assert build({"id": "t3", "title": title}, bp.Theme) is FAILED


def test_a_list_of_texts_seen_before_is_still_read_item_by_item() -> None:
    """A department checked once in a load is not checked again; a bad one still fails."""
    task = {"id": "t1", "title": "任务", "lead": ["市科委"], "partners": ["市科委", " "]}
    with loading():
        assert build({**task, "partners": ["市科委"]}, bp.Task) is not FAILED
        assert build(task, bp.Task) is FAILED
        assert build({**task, "partners": ["市科委", 1]}, bp.Task) is FAILED


def test_a_pause_leaves_objects_frozen_by_others_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a process that freezes objects, the pause thaws none of them."""
    import gc  # noqa: PLC0415 (the state is put back at the end)

    from beijing_plan import _collector  # noqa: PLC0415

    monkeypatch.setattr(_collector, "_others_freeze", False)
    was = gc.isenabled()
    gc.enable()
    kept: list[int] = []  # a container the collector tracks, frozen with the rest
    gc.freeze()
    try:
        assert gc.get_freeze_count()
        with _collector.paused():
            built = [[i] for i in range(10 * gc.get_threshold()[0])]
        # Frozen objects are in no generation the collector lists. (Their count is no
        # test: another thread of the process may free one of them meanwhile.)
        assert all(found is not kept for found in gc.get_objects())
        assert _collector._others_freeze
        assert built
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize(
    ("field", "value"),
    [("item", 5), ("item", None), ("item", ["a"]), ("note", 5), ("id", 7), ("reason", True)],
)
def test_a_value_of_another_type_is_refused_where_its_check_tests_the_type(
    field: str, value: object
) -> None:
    """A field whose inline check tests the exact type first still refuses another type."""
    record = {"kind": "status", "item": "t1", "on": "2025-01-02", "status": "done"}
    assert build(record, bp.StatusChange) is not FAILED
    assert build({**record, field: value}, bp.StatusChange) is FAILED


@pytest.mark.parametrize(
    "names",
    [
        {"item": "g1"},
        {"target": "g1"},
        {"item": "g1", "target": "g1"},
        {"item": None, "target": "g1"},
    ],
)
def test_an_observation_names_its_target_under_one_key(names: dict[str, object]) -> None:
    """`item` or `target` alone is read; both, or an `item` of `null`, go to the
    collecting path, as it refuses them."""
    record = {"kind": "observation", **names, "on": "2025-01-02"}
    record["value"] = {"value": "1", "unit": "count"}
    built = build(record, bp.Observation)
    if len(names) == 1:
        assert built == bp.Observation("g1", "2025-01-02", bp.Quantity("1", "count"))
    else:
        assert built is FAILED
        with pytest.raises(PlanValidationError):
            structure(record, bp.Observation)


@pytest.mark.parametrize(("first", "second"), [("th", "th"), ("\u00e9", "e\u0301")])
def test_ids_equal_in_nfc_are_duplicates_on_the_fast_path_too(first: str, second: str) -> None:
    """Two ids equal once in NFC make the plan fall back, and the collecting path refuses it."""
    document = {
        "id": "p",
        "title": "计划",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "themes": [{"id": first, "title": "一"}, {"id": second, "title": "二"}],
    }
    assert build({**document, "themes": document["themes"][:1]}, bp.Plan) is not FAILED
    assert build(document, bp.Plan) is FAILED
    with pytest.raises(PlanValidationError):
        structure(document, bp.Plan)


def test_an_object_built_fast_is_of_its_class_and_stays_frozen() -> None:
    """A built object has its own class, is refused a new value, and pickles as its class."""
    import pickle  # noqa: PLC0415

    from beijing_plan.datasets import action_plan_2025  # noqa: PLC0415

    plan = bp.loads(bp.dumps(action_plan_2025()))
    for cls in _classes(plan):
        assert cls.__module__ != "beijing_plan._fastload", cls
        subclasses: list[type] = cls.__subclasses__()
        private = [c for c in subclasses if c.__module__ == "beijing_plan._fastload"]
        assert len(private) <= 1, private  # one for each class, however often it is built
    target = next(iter(plan.targets()))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        target.weight = 2.0  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del target.weight
    assert pickle.loads(pickle.dumps(target)) == target  # noqa: S301 (our own bytes)


def test_a_source_seen_before_is_shared_only_for_the_same_mapping() -> None:
    """A source kept from an earlier mapping serves only a mapping of the same entries."""
    cited = {"title": "Beijing Daily", "url": "https://example.org/a", "published": "2025-04-08"}
    task = {"id": "t1", "title": "任务", "sources": [cited]}
    with loading():
        first = build(task, bp.Task)
        again = build({**task, "id": "t2", "sources": [dict(cited)]}, bp.Task)
        assert again.sources[0] is first.sources[0]
        other = build({**task, "sources": [{**cited, "note": "a mirror"}]}, bp.Task)
        assert other.sources[0] == bp.Source(**cited, note="a mirror")
        for source in (
            {**cited, "published": None},
            {**cited, "extra": 1},
            {**cited, "published": "2025-04-31"},
            [cited["title"], cited["url"], cited["published"], None, 3],
        ):
            assert build({**task, "sources": [source]}, bp.Task) is FAILED, source
        assert build(task, bp.Task).sources[0] is first.sources[0]


_OBSERVED = {
    "kind": "observation",
    "item": "g1",
    "on": "2025-03-01",
    "value": {"value": "5", "unit": "count"},
}


@pytest.mark.parametrize(
    "linked",
    [
        {**_OBSERVED, "id": "o1"},
        {**_OBSERVED, "supersedes": "o0"},
        {"kind": "status", "item": "t1", "on": "2025-03-01", "status": "done", "id": "s1"},
        {"kind": "withdrawal", "record": "o0", "on": "2025-03-02"},
    ],
)
def test_a_linked_record_anywhere_makes_the_ledger_check_its_links(linked: dict[str, Any]) -> None:
    """One linked record among plain ones is found, and a broken link is refused."""
    plain = [{**_OBSERVED, "on": f"2025-01-{day:02d}"} for day in range(1, 20)]
    first = {**_OBSERVED, "on": "2025-01-01", "id": "o0"}
    for records in ([first, *plain, linked], [first, linked, *plain]):
        built = build({"records": records}, bp.Ledger)
        assert built is not FAILED
        assert built._linked
    # Without the record it names, a correction or withdrawal is refused by both paths.
    names_another = "supersedes" in linked or linked["kind"] == "withdrawal"
    assert _agree({"records": [*plain, linked]}, bp.Ledger) is not names_another
    assert build({"records": plain}, bp.Ledger)._linked is False


def test_ledgers_read_in_threads_at_once_keep_their_links_checked() -> None:
    """Loads in many threads, some of ledgers with a broken link, never let one through."""
    plain = [{**_OBSERVED, "on": f"2025-01-{1 + day % 28:02d}"} for day in range(100)]
    broken = [*plain[:50], {**_OBSERVED, "supersedes": "nowhere"}, *plain[50:]]
    texts = {
        "plain": orjson.dumps({"schema": "beijing-plan/1", "records": plain}),
        "broken": orjson.dumps({"schema": "beijing-plan/1", "records": broken}),
    }
    wrong: list[str] = []

    def run(name: str) -> None:
        for _ in range(10):
            try:
                ledger = bp.loads(texts[name], bp.Ledger)
            except PlanValidationError:
                if name == "plain":
                    wrong.append("a plain ledger refused")
            else:
                if name == "broken" or ledger._linked:
                    wrong.append(f"{name} read as linked={ledger._linked}")

    run_in_threads(run, ["plain", "broken"] * 4, switch=1e-5)
    assert wrong == []
