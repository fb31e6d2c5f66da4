"""Checks that two tables keep the layout's promises, before they are assessed.

The engine trusts the tables: it joins on `key`, adds up `measure_set` and
`theme_set` sums, and reads kinds, statuses and numbers as they are. A table
that breaks a promise of the layout (two items with one key, a record at the
same place as another, a weight of -1, a status of `"Done"`) would not make it
fail: it would give wrong figures. So
[`check_tables`][beijing_plan.columnar._checks.check_tables] reads both tables first and
refuses them with every broken promise named: the column (a path such as
`leaves.parts.weight`), the bad value, the row (its plan and id) and how many rows
share the problem.

Each check is a rule: an expression true on a bad row of one frame (the leaves,
their exploded parts, themes or trajectory points, the records, or a group-by
of one of these). All rules of a frame are counted in one aggregate query, and
only a rule that some row breaks is asked for an example. Other backends run
these queries one at a time. On polars every query runs in one of two rounds,
each collected at once, which polars runs side by side: the first counts the
rules of each row alone (leaves, parts, trajectory points, records) beside the
steps the other checks start from (the items records name, the sets hashed, the
records' order, the sums of weights); the second counts the rest. A step read by
several queries of a round (the parts exploded, the elements of a set's first
leaf) is cached, computed once; small tables are checked on polars's in-memory
engine, large ones on its streaming engine (see
[`STREAMED`][beijing_plan.columnar._checks.STREAMED]); and the rules and steps,
written once, are translated for polars once (see
[`Translation`][beijing_plan.columnar._checks_rules.Translation]), not at each
call. Every check is written against narwhals; polars gets shortcuts, each
named where it is taken, for the checks that would otherwise cost the most: the
lists of a set compared by their hashes (a list of themes hashed field by field)
and its plans by the runs of rows they are in, records already in order
recognised in one pass, each record's item found by its position where the keys
allow it (a join otherwise), and a few short strings compared one by one rather
than hashed.

The rules are grouped by what they read: the columns' types in `_checks_types`,
the leaves, their parts and trajectories in `_checks_leaves`, the sets and
themes in `_checks_sets`, the records in `_checks_records`; `_checks_rules`
holds what a rule and a probe are and how broken ones are counted and reported.
This module runs them all.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import PlanValidationError
from ._backends import checkpoints
from ._checks_leaves import (
    PART_FIELDS,
    at_most_half,
    exploded,
    leaf_probe,
    part_probe,
    trajectory_probes,
    weight_sum_probes,
    weight_sum_probes_beyond,
    weight_total,
)
from ._checks_records import (
    gathered_probe,
    in_order,
    matched_probe,
    record_items,
    record_probe,
    repeated_records,
    unique_keys,
)
from ._checks_rules import Frame, Probe, count_broken, count_query, on_polars, problem, wrap
from ._checks_sets import (
    SET_FIELDS,
    SETS,
    first_leaves,
    hashed_sets,
    in_two_runs,
    set_elements,
    set_probes,
    set_rules,
    theme_probes,
    twice_listed,
)
from ._deps import require

__all__ = ["STREAMED", "check_tables"]

#: Each probe, with how many rows break each of its rules.
Counted = list[tuple[Probe, list[int]]]


def check_tables(leaves: Frame, records: Frame, *, by_position: bool = True) -> None:
    """Raise if the tables break a promise of the layout, naming every broken one.

    The columns' types are to be checked first (see
    [`type_problems`][beijing_plan.columnar._checks_types.type_problems]), as
    these checks read the values. `by_position` lets polars find the item of each
    record by its position where keys allow it (see
    [`gathered_probe`][beijing_plan.columnar._checks_records.gathered_probe]); without
    it the records are joined to their items, as on other backends (the verdict is
    the same).

    Raises:
        PlanValidationError: with a problem per broken rule, its path the column.
    """
    if on_polars(leaves):
        counted = _on_polars(leaves, records, by_position=by_position)
    else:
        counted = _elsewhere(leaves, records)
    problems = [
        problem(probe, rule, count)
        for probe, counts in counted
        for rule, count in zip(probe.rules, counts, strict=True)
        if count
    ]
    if problems:
        raise PlanValidationError(problems)


def _elsewhere(leaves: Frame, records: Frame) -> Counted:
    """The probes of both tables and their counts, on a backend other than polars.

    Each query runs in turn (a DuckDB connection serves one thread at a time).
    """
    parts = exploded(leaves, "parts", PART_FIELDS)
    probes = [
        leaf_probe(leaves),
        part_probe(parts),
        *trajectory_probes(leaves),
        *weight_sum_probes(leaves, parts),
    ]
    for column, listed in SETS:
        made, elements = set_probes(leaves, column, listed)
        probes += made
        if listed == "themes":
            probes += theme_probes(elements)
    items = record_items(leaves, parts)
    probes += [record_probe(records), *_record_probes(items, records, ordered=False)]
    return list(zip(probes, count_broken(probes), strict=True))


def _on_polars(leaves: Frame, records: Frame, *, by_position: bool) -> Counted:
    """The probes of both tables and their counts on polars, in two rounds of queries.

    The first round counts the rules of each row alone (leaves, parts, trajectory
    points, records) beside the steps the other checks start from: the lists of
    each set hashed, the records' order, the sums of weights, the items records
    name. The second counts the rest. Polars runs the queries of a round side by
    side; a step several of them read (the parts exploded, the elements of each
    set's first leaf) is cached, computed once.
    """
    engine = _engine(leaves)
    # Cached, and read as it is: polars would otherwise pick the leaves of the
    # items' parts before exploding them, copying their lists, several times slower.
    parts = _cached(leaves, exploded(leaves, "parts", PART_FIELDS))
    alone = [
        leaf_probe(leaves),
        part_probe(parts),
        *trajectory_probes(leaves),
        record_probe(records),
    ]
    steps = [
        record_items(leaves, parts),
        in_order(records),
        weight_total(leaves),
        weight_total(parts),
        *(hashed_sets(leaves, column, listed) for column, listed in SETS),
    ]
    (items, order, leaf_total, part_total, *summaries), counts = _round(steps, alone, engine)
    later: list[Probe] = []
    if not (at_most_half(leaf_total.item()) and at_most_half(part_total.item())):
        later += weight_sum_probes_beyond(leaves, parts)
    firsts = leaves.select("plan", "leaf", "key", "measure_set", "measures", "theme_set", "themes")
    for summary, (column, listed) in zip(summaries, SETS, strict=True):
        named = _by_name(leaves, summary, column, listed)
        chosen = first_leaves(firsts, named)
        elements = _cached(leaves, set_elements(chosen, column, listed, SET_FIELDS[listed]))
        later += [
            Probe(_lazy(leaves, named), (), set_rules(column, listed), counted="sets"),
            twice_listed(elements, listed),
        ]
        if listed == "themes":
            later += theme_probes(elements)
    matched = _record_probes(
        _lazy(leaves, items),
        records,
        ordered=order.item() is not False,
        by_position=by_position,
    )
    _, after = _round([], [*later, *matched], engine)
    *leaf_alone, records_alone = zip(alone, counts, strict=True)
    found = list(zip([*later, *matched], after, strict=True))
    return [*leaf_alone, *found[: len(later)], records_alone, *found[len(later) :]]


#: From how many leaves polars's streaming engine runs the checks' queries.
STREAMED = 250_000


def _engine(leaves: Frame) -> str:
    """The polars engine for the checks of tables of as many leaves as `leaves`.

    The in-memory engine starts each query sooner, which counts for most on small
    tables (about a sixth of the rounds' time at 160,000 leaves); the streaming
    engine explodes, hashes and groups large tables faster (a third at 1.6
    million), so it takes tables of [`STREAMED`][beijing_plan.columnar._checks.STREAMED]
    leaves or more.
    """
    count = leaves.to_native().select(require("polars").len()).collect().item()
    return "streaming" if count >= STREAMED else "in-memory"


def _round(
    steps: list[Frame], probes: list[Probe], engine: str
) -> tuple[list[Any], list[list[int]]]:
    """On polars: `steps` collected and `probes` counted, in one round of queries.

    Probes that merge (see [`Probe`][beijing_plan.columnar._checks_rules.Probe]) are
    counted on the in-memory engine, after the others, which are counted on `engine`.
    """
    polars = require("polars")
    streamed = [probe for probe in probes if not probe.merge]
    queries = [*steps, *(count_query(probe) for probe in streamed)]
    frames = polars.collect_all([query.to_native() for query in queries], engine=engine)
    collected, rows = frames[: len(steps)], iter(frames[len(steps) :])
    merged = [count_query(probe).to_native() for probe in probes if probe.merge]
    merges = iter(polars.collect_all(merged, engine="in-memory") if merged else [])
    counts = [_row(next(merges) if probe.merge else next(rows)) for probe in probes]
    return collected, counts


def _row(frame: Any) -> list[int]:
    """The counts of a collected count query (see count_query)."""
    return [int(count or 0) for count in frame.row(0)]


def _lazy(like: Frame, frame: Any) -> Frame:
    """A polars frame as a lazy narwhals one, like `like`."""
    return wrap(like, frame.lazy())


def _cached(like: Frame, frame: Frame) -> Frame:
    """`frame`, computed once however many queries of a round read it."""
    return wrap(like, frame.to_native().cache())


def _by_name(leaves: Frame, summary: Any, column: str, listed: str) -> Any:
    """The sets of `summary`, their plans counted by names if some set is in two runs.

    `summary` is the collected polars frame of
    [`hashed_sets`][beijing_plan.columnar._checks_sets.hashed_sets] by runs: runs tell
    plans apart only where each plan's leaves come together, as to_tables writes them.
    """
    if not in_two_runs(summary):
        return summary
    return hashed_sets(leaves, column, listed, by_run=False).to_native().collect(engine="streaming")


def _record_probes(
    items: Frame, records: Frame, *, ordered: bool, by_position: bool = False
) -> list[Probe]:
    """The probes of the records matched to their items, and of repeated records.

    `ordered` tells that records are known to run in order (see in_order).

    Records are matched to items only by unique keys (see unique_keys); on polars
    by position where the keys allow it, else by a join on the items sorted by key.
    """
    repeated = repeated_records(records, ordered=ordered)
    gathered = gathered_probe(items, records) if by_position else None
    if gathered is not None:
        return [gathered, *repeated]
    (items,) = checkpoints((items, "key"))
    shared = unique_keys(items)
    if shared:
        return [*repeated, *shared]
    return [matched_probe(items, records), *repeated]
