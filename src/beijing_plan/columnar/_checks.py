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
only a rule that some row breaks is asked for an example. The rules of each
row alone (leaves, trajectory points, records) are counted in the same round
of queries as the first steps (the parts exploded, the sets hashed), which
polars runs side by side. Every check is written against narwhals; polars
gets shortcuts, each named where it is taken, for the checks that would
otherwise cost the most: the lists of a set compared by their hashes (a list
of themes hashed field by field) and its plans by the runs of rows they are in,
records already in order recognised in one pass, each record's item found by its
position where the keys allow it (a join otherwise), and a few short strings
compared one by one rather than hashed.

The rules are grouped by what they read: the columns' types in `_checks_types`,
the leaves, their parts and trajectories in `_checks_leaves`, the sets and
themes in `_checks_sets`, the records in `_checks_records`; `_checks_rules`
holds what a rule and a probe are and how broken ones are counted and reported.
This module runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import attrs
import narwhals as nw

from ..exceptions import PlanValidationError
from ._backends import checkpoints
from ._checks_leaves import (
    PART_FIELDS,
    exploded,
    leaf_probe,
    part_probe,
    trajectory_probes,
    weight_sum_probes,
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
from ._checks_rules import Frame, Probe, count_broken, count_query, problem
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

__all__ = ["check_tables"]


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
    polars = leaves.implementation is nw.Implementation.POLARS
    # The probes of each row alone are counted beside the first steps, on polars side
    # by side with them: both cores stay busy while the sets are hashed.
    alone = [leaf_probe(leaves), *trajectory_probes(leaves), record_probe(records)]
    steps = [(exploded(leaves, "parts", PART_FIELDS), None)]
    if polars:
        steps += [(hashed_sets(leaves, column, listed), None) for column, listed in SETS]
    steps += [(count_query(probe), None) for probe in alone]
    if polars:
        steps.append((in_order(records), None))
    # Frames read by several checks are computed once (on polars; see checkpoints).
    parts, *computed = checkpoints(*steps, engine="streaming")
    ordered = False
    if polars:
        *computed, order = computed
        ordered = order.collect().item() is not False
    hashed, counts = computed[: len(computed) - len(alone)], computed[-len(alone) :]
    if polars:
        hashed = [
            _by_name(leaves, summary, column, listed)
            for summary, (column, listed) in zip(hashed, SETS, strict=True)
        ]
    leaf_alone, *trajectory, records_alone = (
        attrs.evolve(probe, counts=counted) for probe, counted in zip(alone, counts, strict=True)
    )
    items_step = (record_items(leaves, parts), None)
    if polars:
        # The list of each set's first leaf, for the checks of its elements.
        firsts = leaves.select(
            "plan", "leaf", "key", "measure_set", "measures", "theme_set", "themes"
        )
        element_steps = [
            (
                set_elements(
                    first_leaves(firsts, summary),
                    column,
                    listed,
                    SET_FIELDS[listed],
                ),
                None,
            )
            for summary, (column, listed) in zip(hashed, SETS, strict=True)
        ]
        items, *listed_elements = checkpoints(items_step, *element_steps, engine="streaming")
    else:
        (items,) = checkpoints(items_step)
    probes = [leaf_alone, part_probe(parts), *trajectory, *weight_sum_probes(leaves, parts)]
    for index, (column, listed) in enumerate(SETS):
        if polars:
            elements = listed_elements[index]
            probes += [
                Probe(hashed[index], (), set_rules(column, listed), counted="sets"),
                twice_listed(elements, listed),
            ]
        else:
            made, elements = set_probes(leaves, column, listed)
            probes += made
        if listed == "themes":
            probes += theme_probes(elements)
    by_position = by_position and polars
    counted, matched = _count_while_matching(
        probes,
        lambda: [records_alone, *_record_probes(items, records, ordered, by_position=by_position)],
        side_by_side=polars,
    )
    probes += matched
    problems = [
        problem(probe, rule, count)
        for probe, counts in zip(probes, counted, strict=True)
        for rule, count in zip(probe.rules, counts, strict=True)
        if count
    ]
    if problems:
        raise PlanValidationError(problems)


def _count_while_matching(
    probes: list[Probe], matching: Callable[[], list[Probe]], *, side_by_side: bool
) -> tuple[list[list[int]], list[Probe]]:
    """The counts of `probes` and of the probes `matching` makes, and these probes.

    On polars (`side_by_side`), `probes` are counted in a thread of their own while
    `matching` runs: it matches records to their items with eager steps that keep
    one core busy, and polars's queries take the other. Other backends run one query
    at a time (a DuckDB connection serves one thread at a time).
    """
    if not side_by_side:
        matched = matching()
        return count_broken(probes) + count_broken(matched), matched
    with ThreadPoolExecutor(1) as pool:
        counting = pool.submit(count_broken, probes)
        matched = matching()
        counted = count_broken(matched)
        return counting.result() + counted, matched


def _by_name(leaves: Frame, summary: Frame, column: str, listed: str) -> Frame:
    """The sets of `summary`, their plans counted by names if some set is in two runs.

    See [`hashed_sets`][beijing_plan.columnar._checks_sets.hashed_sets]: runs tell
    plans apart only where each plan's leaves come together, as to_tables writes them.
    """
    if not in_two_runs(summary):
        return summary
    (named,) = checkpoints(
        (hashed_sets(leaves, column, listed, by_run=False), None), engine="streaming"
    )
    return named


def _record_probes(
    items: Frame, records: Frame, ordered: bool, *, by_position: bool
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
