"""Plans and ledgers as two Arrow tables: one row per leaf, one row per record.

The layout, documented column by column on
[`beijing_plan.columnar.Tables`][beijing_plan.columnar.Tables], is the contract between
[`to_tables`][beijing_plan.columnar.to_tables] and
[`assess_tables`][beijing_plan.columnar.assess_tables]; anyone who writes the tables by
other means (from a database, in Spark) follows it.
[`build_tables`][beijing_plan.columnar._tables.build_tables] numbers leaves and their
parts in plan order, with one counter for the whole portfolio, so that every item has a
`key` of its own; gives the leaves of one plan that count in the same measures one
`measure_set` number, and those that count in the same themes one `theme_set`
number; and lists the records by key, day and `seq` (polars merges sorted keys instead
of hashing them).

Decimals become doubles once, after an exact conversion to the target's unit,
so a value converts the same way whatever unit it was recorded in.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import pendulum
import pyarrow as pa
import pyarrow.compute as pc

from ..exceptions import PlanValidationError
from ..ledger import Ledger, Observation, Revision, StatusChange
from ..model import Plan, Target, Task, TrajectoryPoint
from ..units import Quantity, get_unit

__all__ = [
    "LEAVES_SCHEMA",
    "RECORDS_SCHEMA",
    "SEQ_LIMIT",
    "build_tables",
    "in_unit",
    "pair_ledgers",
]

_THEME = pa.struct(
    [
        ("id", pa.string()),
        ("parent", pa.string()),
        ("depth", pa.int32()),
        ("direct", pa.bool_()),
    ]
)
_POINT = pa.struct([("on", pa.date32()), ("fraction", pa.float64())])
_PART = pa.struct(
    [
        ("id", pa.string()),
        ("key", pa.int64()),
        ("kind", pa.string()),
        ("weight", pa.float64()),
        ("comparator", pa.string()),
        ("aggregation", pa.string()),
        ("unit", pa.string()),
        ("value", pa.float64()),
        ("upper", pa.float64()),
        ("baseline", pa.float64()),
        ("baseline_on", pa.date32()),
    ]
)


def _field(name: str, kind: pa.DataType, *, nullable: bool = False) -> pa.Field[Any]:
    return pa.field(name, kind, nullable=nullable)


#: The schema of the leaves table.
LEAVES_SCHEMA = pa.schema(
    [
        _field("plan", pa.string()),
        _field("leaf", pa.string()),
        _field("kind", pa.string()),
        _field("key", pa.int64()),
        _field("measure_set", pa.int64()),
        _field("theme_set", pa.int64()),
        _field("measures", pa.list_(pa.string())),
        _field("themes", pa.list_(_THEME)),
        _field("weight", pa.float64()),
        _field("plan_start", pa.date32()),
        _field("plan_end", pa.date32()),
        _field("start", pa.date32()),
        _field("due", pa.date32()),
        _field("trajectory", pa.list_(_POINT)),
        _field("parts", pa.list_(_PART)),
    ]
)

#: Every record's `seq` is below this: `day * SEQ_LIMIT + seq` orders an item's records.
SEQ_LIMIT = 2**32

#: The schema of the records table.
RECORDS_SCHEMA = pa.schema(
    [
        _field("plan", pa.string()),
        _field("item", pa.string()),
        _field("key", pa.int64()),
        _field("on", pa.date32()),
        _field("seq", pa.int64()),
        _field("kind", pa.string()),
        _field("value", pa.float64(), nullable=True),
        _field("status", pa.string(), nullable=True),
        _field("percent", pa.float64(), nullable=True),
        _field("start", pa.date32(), nullable=True),
        _field("due", pa.date32(), nullable=True),
        _field("upper", pa.float64(), nullable=True),
        _field("weight", pa.float64(), nullable=True),
    ]
)

_WIDE = decimal.Context(prec=400, Emax=100_000, Emin=-100_000)


def in_unit(quantity: Quantity, unit: str) -> float:
    """`quantity` in `unit` as a double: converted exactly, then rounded once.

    Unlike [`Quantity.to`][beijing_plan.units.Quantity.to], this never builds a
    quantity, so a conversion whose exact result lies outside the range a quantity
    accepts still works.
    """
    if quantity.unit == unit:
        return float(quantity.value)
    source, target = get_unit(quantity.unit), get_unit(unit)
    return float(_WIDE.divide(_WIDE.multiply(quantity.value, source.factor), target.factor))


def _trajectory(points: Iterable[TrajectoryPoint]) -> list[dict[str, Any]]:
    return [{"on": point.on, "fraction": point.fraction} for point in points]


class _Themes:
    """The `themes` cell of each distinct set of tags of a plan, cached."""

    def __init__(self, plan: Plan) -> None:
        self.ancestors = {theme.id: plan.theme_ancestors(theme.id) for theme in plan.themes}
        self.parents = {theme.id: theme.parent for theme in plan.themes}
        self.cache: dict[frozenset[str], list[dict[str, Any]]] = {}

    def cell(self, tags: frozenset[str]) -> list[dict[str, Any]]:
        found = self.cache.get(tags)
        if found is None:
            above = {a for tag in tags for a in self.ancestors[tag]}
            found = self.cache[tags] = [
                {
                    "id": theme,
                    "parent": self.parents[theme],
                    "depth": len(self.ancestors[theme]),
                    "direct": theme in tags and theme not in above,
                }
                for theme in sorted(tags | above)
            ]
        return found


class _Builder:
    """The columns of both tables, filled plan by plan, with a running key."""

    def __init__(self) -> None:
        self.leaves: dict[str, list[Any]] = {name: [] for name in LEAVES_SCHEMA.names}
        self.records: dict[str, list[Any]] = {name: [] for name in RECORDS_SCHEMA.names}
        self.next_key = 0
        # The sets of leaves with the same measures, and the same themes, in the
        # plan at hand; numbered with one counter for the whole portfolio.
        self.next_set = 0
        self.measure_sets: dict[Any, int] = {}
        self.theme_sets: dict[Any, int] = {}

    def key(self) -> int:
        key = self.next_key
        self.next_key += 1
        return key

    def set_of(self, sets: dict[Any, int], members: Any) -> int:
        """The number of the set of leaves with `members` (measures or themes)."""
        found = sets.get(members)
        if found is None:
            found = sets[members] = self.next_set
            self.next_set += 1
        return found

    def leaf(self, plan: Plan, keys: dict[str, int], **row: Any) -> int:
        key = self.key()
        keys[row["leaf"]] = key
        row["plan"], row["key"] = plan.id, key
        row["measure_set"] = self.set_of(self.measure_sets, tuple(row["measures"]))
        # A plan's themes are fixed, so an id and a flag tell a theme's place.
        tags = tuple((theme["id"], theme["direct"]) for theme in row["themes"])
        row["theme_set"] = self.set_of(self.theme_sets, tags)
        row["plan_start"], row["plan_end"] = plan.start, plan.end
        for name, values in self.leaves.items():
            values.append(row[name])
        return key

    def target_part(self, target: Target, key: int) -> dict[str, Any]:
        unit = target.value.unit
        baseline = target.baseline
        return {
            "id": target.id,
            "key": key,
            "kind": "target",
            "weight": target.weight,
            "comparator": target.comparator.value,
            "aggregation": target.aggregation.value,
            "unit": unit,
            "value": float(target.value.value),
            "upper": None if target.upper is None else in_unit(target.upper, unit),
            "baseline": None if baseline is None else in_unit(baseline.value, unit),
            "baseline_on": None if baseline is None else baseline.on,
        }

    def task_parts(self, task: Task, keys: dict[str, int]) -> list[dict[str, Any]]:
        parts = []
        for target in task.targets:
            key = keys[target.id] = self.key()
            parts.append(self.target_part(target, key))
        for milestone in task.milestones:
            key = keys[milestone.id] = self.key()
            parts.append(
                {"id": milestone.id, "key": key, "kind": "milestone", "weight": milestone.weight}
            )
        return parts

    def plan(self, plan: Plan) -> dict[str, int]:
        """Add the leaves of `plan`; return the key of every id a record may name."""
        keys: dict[str, int] = {}
        self.measure_sets.clear()
        self.theme_sets.clear()
        themes = _Themes(plan)
        start, end = plan.start, plan.end
        for measure in plan.measures:
            measure_themes = themes.cell(measure.themes)
            for target in measure.targets:
                key = self.leaf(
                    plan,
                    keys,
                    leaf=target.id,
                    kind="target",
                    measures=[measure.id],
                    themes=measure_themes,
                    weight=target.weight,
                    start=start,
                    due=target.deadline or end,
                    trajectory=_trajectory(target.trajectory),
                    parts=[],
                )
                self.leaves["parts"][-1] = [self.target_part(target, key)]
            for task in measure.tasks:
                self.leaf(
                    plan,
                    keys,
                    leaf=task.id,
                    kind="task",
                    measures=[measure.id],
                    themes=themes.cell(task.themes | measure.themes),
                    weight=task.weight,
                    start=task.start or start,
                    due=task.due or end,
                    trajectory=_trajectory(task.trajectory),
                    parts=[],
                )
                self.leaves["parts"][-1] = self.task_parts(task, keys)
        for policy in plan.policies:
            self.leaf(
                plan,
                keys,
                leaf=policy.id,
                kind="policy",
                measures=sorted(set(policy.measures)),
                themes=themes.cell(policy.themes),
                weight=policy.weight,
                start=start,
                due=policy.due or end,
                trajectory=[],
                parts=[],
            )
        return keys

    def ledger(
        self, plan: Plan, ledger: Ledger, keys: dict[str, int], known_at: pendulum.Date | None
    ) -> None:
        """Add the records of `plan`'s ledger (checked against the plan first) that count as
        known at `known_at`: corrections and withdrawals applied, records entered later left
        out. Only observations and status changes are rows."""
        try:
            ledger.check(plan)
        except PlanValidationError as error:
            raise error.prefixed(f"ledgers[{plan.id!r}]") from None
        columns = self.records
        plan_col, item_col, key_col = columns["plan"], columns["item"], columns["key"]
        on_col, seq_col, kind_col = columns["on"], columns["seq"], columns["kind"]
        value_col, status_col = columns["value"], columns["status"]
        percent_col = columns["percent"]
        revised = (columns["start"], columns["due"], columns["upper"], columns["weight"])
        units: dict[str, str] = {}
        # The records that count, as known then: corrections applied, withdrawals gone.
        for seq, record in enumerate(ledger.known_at(known_at)):
            plan_col.append(plan.id)
            on_col.append(record.on)
            seq_col.append(seq)
            if type(record) is Revision:
                self.revision(plan, record, keys)
                continue
            for column in revised:
                column.append(None)
            if type(record) is Observation:
                item = record.target
                unit = units.get(item)
                if unit is None:
                    target = plan[item]
                    assert isinstance(target, Target)
                    unit = units[item] = target.value.unit
                kind_col.append("observation")
                value_col.append(in_unit(record.value, unit))
                status_col.append(None)
                percent_col.append(None)
            else:
                assert isinstance(record, StatusChange)  # withdrawals do not count
                item = record.item
                kind_col.append("status")
                value_col.append(None)
                status_col.append(record.status.value)
                percent_col.append(record.percent)
            item_col.append(item)
            key_col.append(keys[item])

    def revision(self, plan: Plan, record: Revision, keys: dict[str, int]) -> None:
        """Add the columns of a revision but its plan, day and `seq`: values in the unit of
        its target."""
        columns = self.records
        node = plan[record.item]
        unit = node.value.unit if isinstance(node, Target) else ""
        value, upper = record.value, record.upper
        columns["kind"].append("revision")
        columns["value"].append(None if value is None else in_unit(value, unit))
        columns["upper"].append(None if upper is None else in_unit(upper, unit))
        columns["start"].append(record.start)
        columns["due"].append(record.due)
        columns["weight"].append(record.weight)
        columns["status"].append(None)
        columns["percent"].append(None)
        columns["item"].append(record.item)
        columns["key"].append(keys[record.item])


def build_tables(
    pairs: Iterable[tuple[Plan, Ledger]], *, known_at: pendulum.Date | None = None
) -> tuple[pa.Table, pa.Table]:
    """The leaves and records tables of plans and their ledgers, the records those that
    count as known at `known_at` (everything entered when `None`).

    Raises:
        UnknownReferenceError: if a record names an id its plan does not have, or
            an item of the wrong kind, with paths under `ledgers[<plan id>]`.
    """
    builder = _Builder()
    for plan, ledger in pairs:
        builder.ledger(plan, ledger, builder.plan(plan), known_at)
    records = pa.Table.from_pydict(builder.records, schema=RECORDS_SCHEMA)
    order: list[tuple[str, Literal["ascending", "descending"]]] = [
        ("key", "ascending"),
        ("on", "ascending"),
        ("seq", "ascending"),
    ]
    return (
        pa.Table.from_pydict(builder.leaves, schema=LEAVES_SCHEMA),
        records.take(pc.sort_indices(records, sort_keys=order)),
    )


def pair_ledgers(
    plans: list[Plan], ledgers: Ledger | Mapping[str, Ledger] | Iterable[Ledger | None] | None
) -> list[tuple[Plan, Ledger]]:
    """Each plan with its ledger (an empty one where none is given).

    Raises:
        PlanValidationError: for a ledger keyed by an id that is no plan's, or a
            list of ledgers whose length differs from the number of plans.
    """
    if ledgers is None:
        return [(plan, Ledger()) for plan in plans]
    if isinstance(ledgers, Ledger):
        ledgers = [ledgers]
    if isinstance(ledgers, str | bytes) or not isinstance(ledgers, Iterable | Mapping):
        raise PlanValidationError(
            [("ledgers", f"{ledgers!r} is not a ledger, a list of ledgers or a mapping of them")]
        )
    chosen: list[Ledger | None]
    if isinstance(ledgers, Mapping):
        known = {plan.id for plan in plans}
        problems = [
            (f"ledgers[{key!r}]", f"{key!r} is not the id of a plan given")
            for key in ledgers
            if key not in known
        ]
        if problems:
            raise PlanValidationError(problems)
        given = [(f"ledgers[{key!r}]", ledger) for key, ledger in ledgers.items()]
        chosen = [ledgers.get(plan.id) for plan in plans]
    else:
        chosen = list(ledgers)
        if len(chosen) != len(plans):
            raise PlanValidationError(
                [("ledgers", f"{len(chosen)!r} ledgers given for {len(plans)!r} plans")]
            )
        given = [(f"ledgers[{i}]", ledger) for i, ledger in enumerate(chosen)]
    problems = [
        (path, f"{type(ledger).__name__!r} object is not a Ledger")
        for path, ledger in given
        if ledger is not None and not isinstance(ledger, Ledger)
    ]
    if problems:
        raise PlanValidationError(problems)
    return [(plan, ledger or Ledger()) for plan, ledger in zip(plans, chosen, strict=True)]
