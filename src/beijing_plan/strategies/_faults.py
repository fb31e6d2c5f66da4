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
    spots = [(path, node) for path, node in _nodes(doc) if "id" in node and path != ""]
    spots += [(path, node) for path, node in _nodes(doc) if "kind" in node]
    if not spots:
        return None
    path, node = _pick(draw, spots)
    key = "item" if "kind" in node else "id"
    del node[key]
    return _join(path, key)


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
