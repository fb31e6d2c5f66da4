"""The checks of the records table: each record alone, and matched to the item it names."""

from __future__ import annotations

import functools

import narwhals as nw

from ._checks_rules import (
    Frame,
    Probe,
    Rule,
    Translation,
    among,
    missing_values,
    on_polars,
    one_of,
    out_of_range,
    wrap,
)
from ._deps import require
from ._tables import SEQ_LIMIT

__all__ = [
    "gathered_probe",
    "in_order",
    "matched_probe",
    "record_items",
    "record_probe",
    "repeated_records",
    "unique_keys",
]

_RECORD_KINDS = ("observation", "status")
_KINDS = (*_RECORD_KINDS, "revision")
_REVISED = ("start", "due", "value", "upper", "weight")
_STATUSES = ("not_started", "in_progress", "done", "cancelled")
#: The columns that name a record in a problem.
_WHERE = ("plan", "item", "on")


#: The columns a probe of the records adds, each true where the record is of a kind.
_FLAGS = {"observation": "_observation", "status": "_status_change", "revision": "_revision"}


def _flag(kind: str) -> nw.Expr:
    """Whether the record is of `kind`, as a column computed once for the rules that ask."""
    return nw.col(_FLAGS[kind])


def _flagged(records: Frame) -> Frame:
    """`records` with a column per kind, true where the record is of that kind."""
    return _FLAGGING.with_columns(records)


_FLAGGING = Translation(
    tuple((nw.col("kind") == kind).alias(flag) for kind, flag in _FLAGS.items())
)


def _of_kinds(kinds: tuple[str, ...], *, polars: bool) -> nw.Expr:
    """Whether the record is of one of `kinds`: on polars by its flags (see `among`)."""
    if not polars:
        return among("kind", kinds, polars=polars)
    first, *others = (_flag(kind) for kind in kinds)
    for other in others:
        first |= other
    return first


def record_probe(records: Frame) -> Probe:
    """The rules of each record alone.

    The kind of each record is compared once, into columns the rules read
    (polars's streaming engine would compare it again for each rule).
    """
    return Probe(_flagged(records), _WHERE, _record_rules(polars=on_polars(records)))


@functools.cache
def _record_rules(*, polars: bool) -> tuple[Rule, ...]:
    status = nw.col("status")
    value, percent = nw.col("value"), nw.col("percent")
    observation, change = _flag("observation"), _flag("status")
    seq = nw.col("seq")
    rules = [
        *missing_values("records", ("plan", "item", "key", "on", "seq", "kind")),
        *out_of_range("records", ("on", "start", "due"), polars=polars),
        Rule(
            "records.kind",
            ~_of_kinds(_KINDS, polars=polars),
            f"is not {one_of(_KINDS)}",
            "kind",
        ),
        Rule("records.seq", (seq < 0) | (seq >= SEQ_LIMIT), "is not from 0 to 2**32 - 1", "seq"),
        Rule("records.value", observation & value.is_null(), "an observation needs one"),
        Rule("records.value", observation & ~value.is_finite(), "is not a number", "value"),
        Rule("records.value", change & ~value.is_null(), "a status change has none", "value"),
        Rule(
            "records.status",
            observation & ~status.is_null(),
            "an observation has none",
            "status",
        ),
        Rule("records.status", change & status.is_null(), "a status change needs one"),
        Rule(
            "records.status",
            change & ~among("status", _STATUSES, polars=polars),
            f"is not {one_of(_STATUSES)}",
            "status",
        ),
        Rule(
            "records.percent",
            observation & ~percent.is_null(),
            "an observation has none",
            "percent",
        ),
        Rule(
            "records.percent",
            change & (~percent.is_finite() | (percent < 0) | (percent > 100)),
            "is not between 0 and 100",
            "percent",
        ),
        *_revision_rules(),
    ]
    return tuple(rules)


def _revision_rules() -> list[Rule]:
    """A revision sets at least one of its columns, each fitting; other records set none."""
    revision = _flag("revision")
    start, due, value, upper, weight = (nw.col(name) for name in _REVISED)
    nothing = start.is_null() & due.is_null() & value.is_null() & upper.is_null()
    rules = [
        Rule(
            f"records.{name}",
            ~revision & ~nw.col(name).is_null(),
            "only a revision has one",
            name,
        )
        for name in ("start", "due", "upper", "weight")
    ]
    return [
        *rules,
        Rule(
            "records.kind",
            revision & nothing & weight.is_null(),
            "a revision sets at least one of start, due, value, upper, weight",
            "kind",
        ),
        Rule(
            "records.status",
            revision & (~nw.col("status").is_null() | ~nw.col("percent").is_null()),
            "a revision has no status or percent",
            "status",
        ),
        Rule("records.value", revision & ~value.is_finite(), "is not a number", "value"),
        Rule("records.upper", revision & ~upper.is_finite(), "is not a number", "upper"),
        Rule("records.upper", revision & (upper < value), "is below the value", "upper"),
        Rule(
            "records.weight",
            revision & (~weight.is_finite() | (weight < 0)),
            "is not a finite number of 0 or more",
            "weight",
        ),
        Rule("records.start", revision & (start > due), "is after the due date", "start"),
    ]


def in_order(records: Frame) -> Frame:
    """On polars: whether records run by key, day and `seq` without a repeat, as one row.

    The row holds `false` where they do not, else `true`. See
    [`repeated_records`][beijing_plan.columnar._checks_records.repeated_records].
    Each record is compared with the one before it; the first, which has none, is
    left out by `all`, which passes over nulls (cutting it off first would cost a
    copy of the columns, and polars's in-memory engine cannot run that query).
    """
    polars = require("polars")
    key = polars.col("key")
    rank = polars.col("on").cast(polars.Int64) * SEQ_LIMIT + polars.col("seq")
    step = polars.when(key.diff() != 0).then(key.diff() > 0).otherwise(rank.diff() > 0)
    return wrap(records, records.to_native().select(step.all()))


def repeated_records(records: Frame, *, ordered: bool = False) -> list[Probe]:
    """No two records of one item on one day with one `seq`: which wins would be a guess.

    `ordered` tells that the records are sorted by key, day and `seq` without a
    repeat (as [`to_tables`][beijing_plan.columnar.to_tables] writes them): on polars,
    [`in_order`][beijing_plan.columnar._checks_records.in_order] recognises them in one
    pass over the columns, and no probe is needed. Others are grouped.
    """
    if ordered:
        return []
    grouped = _REPEATS.agg(records, "key", "on", "seq")
    return [Probe(grouped, ("plan", "item", "on"), _repeated_rules(), counted="repeats")]


_REPEATS = Translation((nw.col("plan").min(), nw.col("item").min(), nw.len().alias("n")))


@functools.cache
def _repeated_rules() -> tuple[Rule, ...]:
    return (
        Rule("records.seq", nw.col("n") > 1, "is given to two records of the item that day", "seq"),
    )


def _observed(kind: str) -> nw.Expr:
    """Whether an item of `kind` takes observations (a target), or status changes."""
    return (nw.col(kind) == "target").fill_null(value=False).alias("observed")


def record_items(leaves: Frame, parts: Frame) -> Frame:
    """Every item a record may name: `key, owner, id, observed` (whether it takes observations).

    A measure's own target is its leaf; the other parts are items of their own.
    """
    named = _NAMED.select(leaves)
    inner = _INNER.select(_OWN_PARTS.filter(parts))
    return nw.concat([named, inner], how="vertical")


_NAMED = Translation(
    (nw.col("key"), nw.col("plan").alias("owner"), nw.col("leaf").alias("id"), _observed("kind"))
)
_OWN_PARTS = Translation((nw.col("leaf_kind") != "target",))
_INNER = Translation(
    (nw.col("key"), nw.col("plan").alias("owner"), nw.col("id"), _observed("kind"))
)


def unique_keys(items: Frame) -> list[Probe]:
    """A probe of the keys given to more than one item, if any are; else none.

    It is known at once (on polars, where `items` is sorted by key, in one
    pass), as the records are matched to their items only when keys are unique:
    otherwise each record of a shared key would be reported too.
    """
    if items.implementation is nw.Implementation.POLARS:
        key = require("polars").col("key")
        if items.to_native().select(key.diff().slice(1).min()).collect().item() != 0:
            return []
    shared = (
        items.group_by("key")
        .agg(nw.len().alias("n"), nw.col("owner").min().alias("plan"), nw.col("id").min())
        .filter(nw.col("n") > 1)
    )
    if not shared.select(nw.len()).collect().item():
        return []
    return [Probe(shared, ("plan", "id"), _shared_rules(), counted="keys")]


@functools.cache
def _shared_rules() -> tuple[Rule, ...]:
    return (Rule("leaves.key", nw.col("n") > 1, "is given to more than one item", "key"),)


@functools.cache
def _matched_rules(*, polars: bool) -> tuple[Rule, ...]:
    """The rules of a record joined to its item (`id` null where no item has its key)."""
    found, observed = ~nw.col("id").is_null(), nw.col("observed")
    return (
        Rule("records.key", ~found, "is the key of no leaf or part", "key"),
        Rule(
            "records.key",
            found & ((nw.col("owner") != nw.col("plan")) | (nw.col("id") != nw.col("item"))),
            "is the key of another item",
            "key",
        ),
        Rule(
            "records.kind",
            found & _of_kinds(_RECORD_KINDS, polars=polars) & (observed != _flag("observation")),
            "is not the kind of record its item takes (targets are observed; "
            "tasks, policies and milestones change status)",
            "kind",
        ),
        Rule(
            "records.value",
            found
            & _flag("revision")
            & ~observed
            & (~nw.col("value").is_null() | ~nw.col("upper").is_null()),
            "a revision of a value or an upper bound is for targets",
            "value",
        ),
    )


def matched_probe(items: Frame, records: Frame) -> Probe:
    """The rules of each record's key: its item's, of a kind that takes it.

    The records are joined to their items (by merging, on polars, as both are
    sorted by key). The rules of each record alone are those of `record_probe`,
    which reads the records without the join; this probe follows it, so that the
    problems come in the same order as from one probe of both.
    """
    named = _flagged(records.join(items, on="key", how="left"))
    return Probe(named, _WHERE, _matched_rules(polars=on_polars(named)), merge=True)


def gathered_probe(items: Frame, records: Frame) -> Probe | None:
    """On polars, the probe of `matched_probe` with each record's item found by position.

    `None` where that cannot be done (see below), for
    [`matched_probe`][beijing_plan.columnar._checks_records.matched_probe] to be taken.

    [`to_tables`][beijing_plan.columnar.to_tables] numbers the `n` items from 0 to
    `n - 1`. Where the keys run so, each once, a record's key is the position of its
    item in the items listed by key, and its item is gathered from there, several times
    faster than a join. Keys that do not (a gap, a key given twice, a null) are left to
    the join, after the check that keys are unique.
    """
    if items.implementation is not nw.Implementation.POLARS:
        return None
    polars = require("polars")
    listed = items.to_native().collect().rechunk()
    count, keys = listed.height, listed.get_column("key")
    if not count or keys.null_count() or keys.min() != 0 or keys.max() != count - 1:
        return None
    # The row of the item of each key; a slot left at `count` would mean a key given twice.
    index = polars.get_index_type()
    rows = polars.repeat(count, count, dtype=index, eager=True).scatter(
        keys, polars.int_range(0, count, dtype=index, eager=True)
    )
    if rows.max() == count:
        return None
    key, row = polars.col("key"), polars.col("_row")
    # The row is looked up once, into a column each field is gathered by.
    named = (
        records.to_native()
        .with_columns(
            polars.lit(rows).gather(polars.when((key >= 0) & (key < count)).then(key)).alias("_row")
        )
        .with_columns(
            polars.lit(listed.get_column(name)).gather(row).alias(name)
            for name in ("owner", "id", "observed")
        )
    )
    frame = _flagged(wrap(records, named))
    return Probe(frame, _WHERE, _matched_rules(polars=True))
