"""Documents with one known fault, for testing error handling.

`invalid_documents` (re-exported by `beijing_plan.strategies`) draws a
valid plan or ledger, turns it into its document, and breaks it in exactly one
way. Each fault is of a kind the loader must report, at a path it must name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import attrs
import orjson
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ..files import document
from ..ledger import Ledger
from ..model import Plan
from ._plans import plans_and_ledgers

__all__ = ["FAULTS", "InvalidDocument", "invalid_documents"]


@attrs.frozen
class InvalidDocument:
    """A document with one fault, and where the loader's error must point.

    Attributes:
        document: The broken document, plain data as `json.loads` gives it.
        cls: What it is meant to load as (`Plan` or `Ledger`).
        path: The path the error must name, such as `measures[0].tasks[1].due`.
        fault: The kind of fault (one of [`FAULTS`][beijing_plan.strategies.FAULTS]).
    """

    document: dict[str, Any]
    cls: type
    path: str
    fault: str


def _nodes(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping in a document with its path, in document order."""
    if isinstance(value, dict):
        yield path, value
        for key, child in value.items():
            yield from _nodes(child, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _nodes(child, f"{path}[{i}]")


def _fields(doc: dict[str, Any], *names: str) -> list[tuple[str, dict[str, Any], str]]:
    """Every `(path, mapping, key)` where the mapping holds one of `names`."""
    return [
        (f"{path}.{key}" if path else key, node, key)
        for path, node in _nodes(doc)
        for key in names
        if key in node and not (path == "" and key == "schema")
    ]


def _id_paths(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The id-carrying mappings of a plan document in the order duplicates are found."""
    out: list[tuple[str, dict[str, Any]]] = [("", doc)]
    out += [(f"themes[{i}]", t) for i, t in enumerate(doc.get("themes", []))]
    for m, measure in enumerate(doc.get("measures", [])):
        out.append((f"measures[{m}]", measure))
        for kind in ("tasks", "targets"):
            for i, item in enumerate(measure.get(kind, [])):
                base = f"measures[{m}].{kind}[{i}]"
                out.append((base, item))
                for sub in ("targets", "milestones"):
                    out += [(f"{base}.{sub}[{j}]", s) for j, s in enumerate(item.get(sub, []))]
    out += [(f"policies[{i}]", p) for i, p in enumerate(doc.get("policies", []))]
    return out


_T = TypeVar("_T")


def _pick(draw: st.DrawFn, options: list[_T]) -> _T:
    chosen: _T = draw(st.sampled_from(options))
    return chosen


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


Fault = Callable[[st.DrawFn, dict[str, Any]], str | None]


def _bad_date(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    spots = _fields(doc, "start", "end", "due", "on", "deadline", "published")
    spots = [s for s in spots if isinstance(s[1][s[2]], str)]
    if not spots:
        return None
    path, node, key = _pick(draw, spots)
    node[key] = draw(st.sampled_from(["2025-13-01", "2025-02-30", "yesterday", "20250101", ""]))
    return path


def _unknown_field(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    spots = [
        (path, node) for path, node in _nodes(doc) if "id" in node or "kind" in node or path == ""
    ]
    path, node = _pick(draw, spots)
    name = draw(st.sampled_from(["colour", "owner", "Id", "备注"]))
    node[name] = draw(st.sampled_from([1, "x", None, [1]]))
    return _join(path, name)


def _missing_field(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    # A plan's node loses its id; a record loses what it is about: its item or, for a
    # withdrawal, the record it withdraws.
    spots = [
        (path, node, key)
        for path, node in _nodes(doc)
        if path != "" and (key := _required_key(node)) is not None
    ]
    if not spots:
        return None
    path, node, key = _pick(draw, spots)
    del node[key]
    return _join(path, key)


def _required_key(node: dict[str, Any]) -> str | None:
    """The required key a record or a plan node names itself by, if it has one."""
    if "kind" not in node and "id" not in node:
        return None
    keys = ("item", "record") if "kind" in node else ("id",)
    return next((key for key in keys if key in node), None)


def _wrong_type(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    spots = _fields(doc, "weight", "percent", "number")
    if not spots:
        return None
    path, node, key = _pick(draw, spots)
    node[key] = draw(st.sampled_from(["heavy", [], {}, True]))
    return path


def _bad_enum(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    spots = _fields(doc, "comparator", "aggregation", "status")
    if not spots:
        return None
    path, node, key = _pick(draw, spots)
    node[key] = draw(st.sampled_from(["more", "DONE", "", "at least"]))
    return path


def _negative_weight(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    spots = _fields(doc, "weight")
    if not spots:
        return None
    path, node, key = _pick(draw, spots)
    node[key] = -draw(st.sampled_from([1, 0.5, 1e6]))
    return path


def _bad_unit(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    spots = _fields(doc, "unit")
    if not spots:
        return None
    path, node, key = _pick(draw, spots)
    node[key] = draw(st.sampled_from(["parsec", "", "Yuan"]))
    return path


def _bad_id(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    spots = [s for s in _fields(doc, "id") if s[0] != "id"]
    if not spots:
        return None
    path, node, key = _pick(draw, spots)
    node[key] = draw(st.sampled_from(["", "has space", "tab\there", 7]))
    return path


def _duplicate_id(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    if "records" in doc:
        return None
    holders = _id_paths(doc)
    if len(holders) < 2:
        return None
    first = draw(st.integers(0, len(holders) - 2))
    second = draw(st.integers(first + 1, len(holders) - 1))
    holders[second][1]["id"] = holders[first][1]["id"]
    path: str = _join(holders[second][0], "id")
    return path


def _dangling_reference(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    if "records" in doc:
        return None
    spots = [
        (path, node, key)
        for path, node, key in _fields(doc, "themes", "measures")
        if path not in {"themes", "measures"} and isinstance(node[key], list)
    ]
    if not spots:
        return None
    path, node, key = _pick(draw, spots)
    node[key] = [*node[key], "no-such-item"]
    index = len(node[key]) - 1
    return f"{path}[{index}]" if key == "measures" else path


# -- links between the records of a ledger ---------------------------------------------

#: The kinds of record that carry progress for an item, and so can be corrected.
_CORRECTABLE = ("observation", "status")


def _records(doc: dict[str, Any]) -> list[dict[str, Any]]:
    records = doc.get("records")
    return records if isinstance(records, list) else []


def _fresh_id(doc: dict[str, Any]) -> str:
    """An id no record of the ledger document has."""
    taken = {record.get("id") for record in _records(doc)}
    n = 0
    while (candidate := f"fault-id{n or ''}") in taken:
        n += 1
    return candidate


def _id_of(doc: dict[str, Any], record: dict[str, Any]) -> str:
    """The record's id, given a fresh one if it has none."""
    if not isinstance(record.get("id"), str):
        record["id"] = _fresh_id(doc)
    found: str = record["id"]
    return found


def _duplicate_record_id(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    records = _records(doc)
    if len(records) < 2:
        return None
    first = draw(st.integers(0, len(records) - 2))
    second = draw(st.integers(first + 1, len(records) - 1))
    records[second]["id"] = _id_of(doc, records[first])
    return f"records[{second}].id"


def _unknown_supersedes(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    records = _records(doc)
    if not records:
        return None
    i = draw(st.integers(0, len(records) - 1))
    key = "record" if records[i].get("kind") == "withdrawal" else "supersedes"
    records[i][key] = "no-such-record"
    return f"records[{i}].{key}"


def _correction_cycle(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    records = _records(doc)
    spots = [i for i, record in enumerate(records) if record.get("kind") in _CORRECTABLE]
    if not spots:
        return None
    first = _pick(draw, spots)
    partners = [
        j
        for j in spots
        if j != first
        and records[j].get("kind") == records[first].get("kind")
        and records[j].get("item") == records[first].get("item")
    ]
    second = draw(st.none() | st.sampled_from(partners)) if partners else None
    if second is None:  # a record that corrects itself
        records[first]["supersedes"] = _id_of(doc, records[first])
        return f"records[{first}].supersedes"
    records[first]["supersedes"] = _id_of(doc, records[second])
    records[second]["supersedes"] = _id_of(doc, records[first])
    return f"records[{min(first, second)}].supersedes"


def _double_correction(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    records = _records(doc)
    spots = [i for i, record in enumerate(records) if record.get("kind") in _CORRECTABLE]
    if not spots:
        return None
    corrected = records[_pick(draw, spots)]
    named = _id_of(doc, corrected)
    for _ in range(2):
        copy = {key: value for key, value in corrected.items() if key != "id"}
        copy["supersedes"] = named
        records.append(copy)
    return f"records[{len(records) - 1}].supersedes"


#: Revisions wrong in themselves, whatever their item: each record and the field at fault.
_BAD_REVISIONS: tuple[tuple[dict[str, Any], str], ...] = (
    ({"start": "2025-09-01", "due": "2025-06-30"}, "start"),
    (
        {"value": {"value": "5", "unit": "count"}, "upper": {"value": "4", "unit": "count"}},
        "upper",
    ),
    (
        {"value": {"value": "5", "unit": "count"}, "upper": {"value": "9", "unit": "yuan"}},
        "upper",
    ),
    ({}, ""),
)


def _bad_revision(draw: st.DrawFn, doc: dict[str, Any]) -> str | None:
    """A ledger gains a revision that cannot be right for any item."""
    records = doc.get("records")
    if not isinstance(records, list):
        return None
    fields, field = draw(st.sampled_from(_BAD_REVISIONS))
    items = [r["item"] for r in records if isinstance(r, dict) and isinstance(r.get("item"), str)]
    item = draw(st.sampled_from(items)) if items else "item"
    index = draw(st.integers(0, len(records)))
    records.insert(index, {"kind": "revision", "item": item, "on": "2025-05-01", **fields})
    return _join(f"records[{index}]", field) if field else f"records[{index}]"


FAULTS: dict[str, Fault] = {
    "bad_date": _bad_date,
    "unknown_field": _unknown_field,
    "missing_field": _missing_field,
    "wrong_type": _wrong_type,
    "bad_enum": _bad_enum,
    "negative_weight": _negative_weight,
    "bad_unit": _bad_unit,
    "bad_id": _bad_id,
    "duplicate_id": _duplicate_id,
    "dangling_reference": _dangling_reference,
    "duplicate_record_id": _duplicate_record_id,
    "unknown_supersedes": _unknown_supersedes,
    "correction_cycle": _correction_cycle,
    "double_correction": _double_correction,
    "bad_revision": _bad_revision,
}
"""Each kind of fault by name, with the function that puts it into a document.

The function returns the path the loader's error must name, or `None` when the
document has no place for that fault (an empty ledger has no date to break).
"""


def invalid_documents(
    valid: SearchStrategy[Plan | Ledger] | None = None, *, faults: tuple[str, ...] | None = None
) -> SearchStrategy[InvalidDocument]:
    """Documents with one known fault and the path the error must name.

    Args:
        valid: What to break; by default small plans and ledgers from
            [`plans_and_ledgers`][beijing_plan.strategies.plans_and_ledgers].
        faults: Which kinds of fault to draw from (names of
            [`FAULTS`][beijing_plan.strategies.FAULTS]); all by default.
    """
    chosen = tuple(FAULTS) if faults is None else faults
    unknown = [f for f in chosen if f not in FAULTS]
    if unknown or not chosen:
        msg = f"unknown faults {unknown!r}; choose from {sorted(FAULTS)}"
        raise ValueError(msg)
    if valid is None:
        valid = plans_and_ledgers(max_measures=2).flatmap(
            lambda pair: st.sampled_from([pair[0], pair[1]])
        )

    @st.composite
    def build(draw: st.DrawFn) -> InvalidDocument:
        obj = draw(valid)
        doc = orjson.loads(orjson.dumps(document(obj)))  # plain lists and dicts, a fresh copy
        for name in draw(st.permutations(chosen)):
            path = FAULTS[name](draw, doc)
            if path is not None:
                return InvalidDocument(doc, type(obj), path, name)
        # Nothing else applied (an empty ledger, say): an unknown field always does.
        path = _unknown_field(draw, doc)
        assert path is not None
        return InvalidDocument(doc, type(obj), path, "unknown_field")

    return build()
