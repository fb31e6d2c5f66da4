"""Portfolios in columns: many plans as Arrow tables, assessed by a dataframe engine.

The object engine ([`assess`][beijing_plan.assess]) is right for one plan. A ministry
that tracks hundreds of plans with millions of records needs columns:
[`to_tables`][beijing_plan.columnar.to_tables] turns plans and their ledgers into two
Arrow tables (leaves and records, see `LEAVES_SCHEMA` and `RECORDS_SCHEMA`), which
[`Tables.write_parquet`][beijing_plan.columnar.Tables.write_parquet] saves;
[`assess_tables`][beijing_plan.columnar.assess_tables] computes the same completions,
expected values, coverage and statuses as the object engine from those tables. It is
written once against narwhals, so the same call runs on polars (the default, used for
Arrow tables), DuckDB, pandas and PySpark: hand it frames of one backend and it returns
a frame of that backend. It first checks that the tables keep every promise of their
layout ([`check_tables`][beijing_plan.columnar.check_tables]), as tables that break one
would give wrong figures rather than an error.

This module needs the `columnar` extra (narwhals, polars, pyarrow); DuckDB and
PySpark come with the `duckdb` and `spark` extras. `import beijing_plan`
never imports any of them.

>>> from beijing_plan import Measure, Plan, StatusChange, Ledger, Task
>>> plan = Plan("p", "Plan", start="2025-01-01", end="2025-12-31",
...             measures=[Measure("m", 1, "Measure", tasks=[Task("a", "A"), Task("b", "B")])])
>>> ledger = Ledger([StatusChange("a", "2025-03-01", "done")])
>>> tables = to_tables([plan], [ledger])
>>> result = assess_tables(tables.leaves, tables.records, as_of="2025-07-02", by="plan")
>>> result.column("completion").to_pylist(), result.column("status").to_pylist()
([0.5], ['on_track'])

Decisions where the design is silent:

- A group's status uses the latest due date of its leaves that are not
  cancelled, as the object engine does.
- A theme, measure or plan with no leaves has no row: there is nothing in the
  tables to roll up (the object engine lists it with weight 0 and no data).
- Every leaf and part has a whole-number `key` that the engine joins on;
  [`to_tables`][beijing_plan.columnar.to_tables] numbers them, and tables made another
  way must give each item a number of its own and the same number to its records. Leaves
  are rolled up through their `measure_set` and `theme_set` numbers likewise.
- Numbers are float64 in the tables, converted exactly from the model's decimals
  and rounded once; the object engine computes current values in exact decimal
  arithmetic. The two agree to the last few bits wherever float64 represents the
  sums and means of observed values exactly (whole numbers up to `2**53` and the
  like); for other values a comparison that lands exactly on a bound (`exactly`,
  `between`, `at_most` without a baseline) may fall the other way.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pendulum

from .._atomic import replacing
from .._dates import DateLike, as_date
from .._errors import misuse
from .._reading import open_regular
from ..exceptions import PlanValidationError
from ..ledger import Ledger
from ..model import Plan
from ..rules import Rules
from ._deps import missing

try:
    import narwhals  # noqa: F401 (imported here so that its absence names the extra)
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError as error:  # pragma: no cover (depends on what is installed)
    raise missing(error.name or "narwhals") from None

from ._backends import check_columns, finish, lazy_frame, same_session, shared
from ._checks import check_tables as _check_tables
from ._checks_types import type_problems
from ._leaves import Frame, leaf_frame
from ._rollup import LEVELS, RESULT_COLUMNS, results
from ._tables import LEAVES_SCHEMA, RECORDS_SCHEMA, build_tables
from ._tables import pair_ledgers as _pair_ledgers
from ._units import (
    UNITS_SCHEMA,
    build_unit_table,
    plans_of,
    role_members,
    unit_problems,
    unit_results,
)

__all__ = [
    "LEAVES_SCHEMA",
    "LEVELS",
    "RECORDS_SCHEMA",
    "RESULT_COLUMNS",
    "UNITS_SCHEMA",
    "Tables",
    "assess_tables",
    "assess_units",
    "check_tables",
    "to_tables",
    "unit_table",
]

FrameT = TypeVar("FrameT")

_LEAVES_FILE = "leaves.parquet"
_RECORDS_FILE = "records.parquet"


def _write_atomically(table: pa.Table, path: Path) -> None:
    """Write `table` to a temporary file beside `path`, flush it to disk, rename it."""
    with replacing(path) as stream:
        pq.write_table(table, stream)


def _read_table(path: Path) -> pa.Table:
    """The table in the Parquet file at `path`, or our error naming the file.

    Only a regular file is read (see [`open_regular`][beijing_plan._reading.open_regular]);
    a file that pyarrow cannot read, or that has two columns of one name, is refused.
    """
    with open(open_regular(path), "rb") as stream:
        try:
            parquet = pq.ParquetFile(stream)
            names = parquet.schema_arrow.names
            repeated = sorted({name for name in names if names.count(name) > 1})
            table = None if repeated else parquet.read()
        except (pa.ArrowException, OSError, ValueError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            problem = (os.fspath(path), f"is not a Parquet file that can be read ({reason})")
            raise PlanValidationError([problem]) from None
    if table is None:
        where = os.fspath(path)
        raise PlanValidationError(
            [(where, f"has {names.count(name)} columns named {name!r}") for name in repeated]
        )
    return table


@attrs.frozen
class Tables:
    """A portfolio as two Arrow tables, in `LEAVES_SCHEMA` and `RECORDS_SCHEMA`.

    `leaves` has one row per leaf (a task, a policy, or a measure's own target):

    - `plan`, `leaf` (strings): the plan's id and the leaf's; ids are unique
      within a plan only. `kind`: `"task"`, `"policy"` or `"target"`.
    - `key` (int64): a number unique to the leaf within the tables; the engine
      joins on keys, as whole numbers join far faster than pairs of strings.
    - `measure_set`, `theme_set` (int64): numbers shared by the leaves of
      one plan that count in the same measures, and in the same themes (with
      the same `direct` flags). A roll-up adds up each set's leaves first and
      only then spreads the sums over its measures or themes, so the fewer
      sets the faster; a number per leaf (its `key`, say) is always right,
      two leaves that differ in plan, measures or themes under one number
      never are.
    - `measures` (list of strings): the measures whose roll-ups it counts in
      (a task's or target's measure; the measures a policy serves), sorted.
    - `themes` (list of `{id, parent, depth, direct}`): every theme whose
      roll-up it counts in, sorted by id: the themes it is tagged with (a task
      with its own and its measure's, a measure target with its measure's, a
      policy with its own) and all their ancestors; each with its parent (null
      at the top), its number of ancestors, and whether the leaf is one of the
      theme's own children in a nested roll-up (tagged with it and with none of
      its sub-themes).
    - `weight` (double); `plan_start`, `plan_end`, `start`, `due`
      (dates): the plan's period and the leaf's schedule, the plan's start and
      end filling in what the leaf lacks (a policy starts with the plan; a
      measure target runs from the plan's start to its deadline).
    - `trajectory` (list of `{on: date, fraction: double}`): planned points.
    - `parts` (list of structs): what measures the leaf's progress, a task's
      targets and milestones, or the measure target itself. Fields: `id`;
      `key` (unique within the tables; a measure target's is its leaf's);
      `kind` (`"target"` or `"milestone"`); `weight`; and for targets
      `comparator`, `aggregation`, `unit`, `value`, `upper` and
      `baseline` (doubles in the target's unit) and `baseline_on` (date).

    `records` has one row per ledger record that counts (an observation or a
    status change not corrected or withdrawn, as known on the day `to_tables` was
    given):

    - `plan`, `item` (strings): the plan and the id the record names;
      `key` (int64): the key of that leaf or part.
    - `on` (date) and `seq` (int64, below `2**32`): the record's position among
      the records that count in its plan's ledger, so that of two records of one
      item on one day the one with the larger `seq` wins.
    - `kind`: `"observation"`, `"status"` or `"revision"`; `value` (double): an
      observation's value in its target's unit; `status` and `percent`
      (double): a status change's fields; `start`, `due` (dates), `value`,
      `upper` (doubles in the target's unit) and `weight` (double): what a
      revision sets, null elsewhere.

    [`to_tables`][beijing_plan.columnar.to_tables] lists the records by `key`, `on`
    and `seq`. Results do not depend on the order of either table, but polars merges
    keys it finds sorted instead of hashing them, so sorted tables assess faster there.

    Attributes:
        leaves: The leaves table.
        records: The records table.
    """

    leaves: pa.Table
    records: pa.Table

    def write_parquet(self, directory: str | os.PathLike[str]) -> tuple[Path, Path]:
        """Write `leaves.parquet` and `records.parquet` into `directory`.

        Each file is written under a temporary name and renamed, so a crash never
        leaves half a file. The directory is created if need be.

        Returns:
            The paths of the leaves file and the records file.
        """
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        leaves, records = folder / _LEAVES_FILE, folder / _RECORDS_FILE
        _write_atomically(self.leaves, leaves)
        _write_atomically(self.records, records)
        return leaves, records

    @classmethod
    def read_parquet(cls, directory: str | os.PathLike[str]) -> Tables:
        """Read the two files [`write_parquet`][beijing_plan.columnar.Tables.write_parquet] writes.

        Raises:
            PlanValidationError: if a file lacks a column of its schema, has two
                columns of one name, is not a Parquet file pyarrow can read
                (empty, cut short, of another format), or is not a regular file
                (a folder, a named pipe, a device); a problem about a whole file
                has the file's path as its path.
            FileNotFoundError: for a missing file, naming it; and the other
                `OSError` s of opening a file.
        """
        folder = Path(directory)
        leaves = _read_table(folder / _LEAVES_FILE)
        records = _read_table(folder / _RECORDS_FILE)
        check_columns("leaves", leaves.column_names, LEAVES_SCHEMA.names)
        check_columns("records", records.column_names, RECORDS_SCHEMA.names)
        return cls(leaves.select(LEAVES_SCHEMA.names), records.select(RECORDS_SCHEMA.names))


def to_tables(
    plans: Plan | Iterable[Plan],
    ledgers: Ledger | Mapping[str, Ledger] | Iterable[Ledger | None] | None = None,
    *,
    known_at: DateLike | None = None,
) -> Tables:
    """The leaves and records tables of a portfolio of plans.

    The records table holds the records that count, as
    [`Ledger.known_at`][beijing_plan.ledger.Ledger.known_at] gives them: corrected
    and withdrawn records are left out, and so, with `known_at`, is whatever was
    entered after that day; assessing the tables then gives the figures of
    [`assess`][beijing_plan.assess] with the same `known_at`.

    Args:
        plans: A plan or plans; their ids must differ, as they key every row.
        ledgers: Each plan's ledger: a mapping from plan id to ledger, or one
            ledger (or `None`) per plan in the same order, or one ledger for a
            single plan. A plan without one has an empty ledger.
        known_at: The day whose knowledge the records are taken with; `None` for
            everything entered.

    Raises:
        PlanValidationError: for two plans with one id, ledgers that do not
            match the plans, or a `known_at` that is not a date.
        UnknownReferenceError: for records that name ids their plan lacks (paths
            under `ledgers[<plan id>]`).
    """
    known = _known_day(known_at)
    if not isinstance(plans, Plan | Iterable) or isinstance(plans, str | bytes | Mapping):
        raise PlanValidationError([("plans", f"{plans!r} is not a plan or a list of plans")])
    listed = [plans] if isinstance(plans, Plan) else list(plans)
    problems = [
        (f"plans[{i}]", f"{plan!r} is not a Plan")
        for i, plan in enumerate(listed)
        if not isinstance(plan, Plan)
    ]
    seen: dict[str, int] = {}
    for i, plan in enumerate(listed):
        if isinstance(plan, Plan):
            if plan.id in seen:
                problems.append(
                    (
                        f"plans[{i}].id",
                        f"{plan.id!r} is used again (first at plans[{seen[plan.id]}])",
                    )
                )
            seen.setdefault(plan.id, i)
    if problems:
        raise PlanValidationError(problems)
    leaves, records = build_tables(_pair_ledgers(listed, ledgers), known_at=known)
    return Tables(leaves, records)


def _known_day(value: DateLike | None) -> pendulum.Date | None:
    if value is None:
        return None
    try:
        return as_date(value)
    except PlanValidationError as error:
        raise error.prefixed("known_at") from None


def _levels(by: str | Sequence[str]) -> tuple[str, ...]:
    known = ", ".join(map(repr, LEVELS))
    if isinstance(by, str):
        levels: tuple[object, ...] = (by,)
    elif isinstance(by, bytes | bytearray) or not isinstance(by, Iterable):
        raise PlanValidationError([("by", f"{by!r} is not a level or levels ({known})")])
    else:
        levels = tuple(by)
    problems = [
        (f"by[{i}]", f"{level!r} is not one of {known}")
        for i, level in enumerate(levels)
        if level not in LEVELS
    ]
    if not levels:
        problems.append(("by", "at least one level is needed"))
    seen: set[object] = set()
    for i, level in enumerate(levels):
        if level in seen:
            problems.append((f"by[{i}]", f"{level!r} is given twice"))
        seen.add(level)
    if problems:
        raise PlanValidationError(problems)
    return tuple(str(level) for level in levels)


def _plain_date(value: DateLike) -> dt.date:
    try:
        day = as_date(value)
    except PlanValidationError as error:
        raise error.prefixed("as_of") from None
    return dt.date(day.year, day.month, day.day)


def _inputs(leaves: Any, records: Any) -> tuple[Frame, Frame, str]:
    """Both tables as lazy narwhals frames of one backend, their columns there and typed."""
    leaf_table, kind = lazy_frame(leaves, "leaves", LEAVES_SCHEMA)
    record_table, _ = lazy_frame(records, "records", RECORDS_SCHEMA)
    if leaf_table.implementation is not record_table.implementation:
        raise PlanValidationError(
            [
                (
                    "records",
                    f"a {record_table.implementation.name.lower()!r} frame, but leaves is "
                    f"a {leaf_table.implementation.name.lower()!r} frame",
                )
            ]
        )
    check_columns("leaves", leaf_table.collect_schema().names(), LEAVES_SCHEMA.names)
    check_columns("records", record_table.collect_schema().names(), RECORDS_SCHEMA.names)
    leaf_table, record_table = same_session(leaf_table, record_table)
    problems = type_problems(leaf_table, "leaves", LEAVES_SCHEMA)
    problems += type_problems(record_table, "records", RECORDS_SCHEMA)
    if problems:
        raise PlanValidationError(problems)
    return leaf_table, record_table, kind


def check_tables(leaves: Any, records: Any) -> None:
    """Check that two tables keep every promise of the layout.

    The layout is described on [`Tables`][beijing_plan.columnar.Tables].

    [`assess_tables`][beijing_plan.columnar.assess_tables] makes these checks itself
    unless told not to; call this once to check a portfolio that is then assessed at
    many dates with `check=False`. What is checked: every column is there with a type
    that holds its values; no value is missing where the layout has one; kinds,
    statuses, comparators and aggregations are among those the layout names; weights are
    numbers of 0 or more, fractions between 0 and 1, percents between 0 and 100, `seq`
    below `2**32`; parts fit their leaves (a measure's own target is its leaf's single
    part, a policy has none); no two items share a key; each record's key is that of the
    item the record names, in its plan, and of a kind that takes the record; no two
    records of an item share a day and a `seq`; the leaves of a `measure_set` or
    `theme_set` share their plan and their list, and no list names an item twice; a
    leaf lists the parent of every theme it lists and calls a theme `direct` exactly
    when it lists none of its sub-themes; each theme has one parent and depth in its
    plan, its parent one level up; no trajectory has two points on one day.

    Args:
        leaves: The leaves table, as for [`assess_tables`][beijing_plan.columnar.assess_tables].
        records: The records table, of the same kind.

    Raises:
        PlanValidationError: with one problem per broken promise: its path names
            the table and column (`leaves.parts.weight`), its message the bad
            value, the first row that has it and how many do.
    """
    leaf_table, record_table, _ = _inputs(leaves, records)
    _check_tables(leaf_table, record_table)


def assess_tables(
    leaves: FrameT,
    records: Any,
    *,
    as_of: DateLike,
    rules: Rules | None = None,
    by: str | Sequence[str] = ("plan", "theme"),
    check: bool = True,
) -> FrameT:
    """Assess a portfolio in columns, as [`assess`][beijing_plan.assess] does a plan.

    Args:
        leaves: The leaves table (`LEAVES_SCHEMA`): a pyarrow Table, a
            polars DataFrame or LazyFrame, a DuckDB relation, a pandas DataFrame
            or a PySpark DataFrame.
        records: The records table (`RECORDS_SCHEMA`), of the same kind.
        as_of: The date of the assessment; records dated after it are ignored.
        rules: The rules (missing data, roll-up, thresholds); the defaults if
            `None`.
        by: The levels to report, from `LEVELS` (`"plan"`,
            `"measure"`, `"theme"`, `"leaf"`), in the order wanted.
        check: Whether to make the checks of
            [`check_tables`][beijing_plan.columnar.check_tables] first. They read both
            tables once more, which takes less than half as long as the assessment
            on polars (a quarter to a third of it at 16,000 leaves, 0.33 to 0.49 at
            160,000 and 0.32 to 0.43 at 1.6 million, in most runs on a busy machine);
            `False` is for tables already checked, assessed again at another date or
            with other rules. Tables that break the layout give wrong figures without
            them.

    Returns:
        A frame of the same kind as the inputs with `RESULT_COLUMNS`: the
        plan, the `level` and `id` of each result, its `completion`,
        `expected`, `spi`, `coverage`, `weight`, `due` (date) and `status`
        (a [`Progress`][beijing_plan.rules.Progress] value). Lazy inputs (polars LazyFrame,
        DuckDB, PySpark) give a lazy result; with polars and DuckDB the leaves' figures
        are computed during the call, the roll-ups when the result is read (a DuckDB
        result belongs to a private in-memory connection). pyarrow Tables are assessed
        with polars and give a pyarrow Table. Rows are in no particular order.

    Raises:
        PlanValidationError: for a bad date or level, frames of different
            backends, a missing column, or (with `check`) tables that break
            the layout (see [`check_tables`][beijing_plan.columnar.check_tables]).
        TypeError: for `rules` that are not [`Rules`][beijing_plan.rules.Rules].
    """
    day = _plain_date(as_of)
    levels = _levels(by)
    chosen = Rules() if rules is None else rules
    if not isinstance(chosen, Rules):
        raise misuse("rules", "a Rules", chosen)
    if not isinstance(check, bool):
        raise PlanValidationError([("check", f"{check!r} is not True or False")])
    leaf_table, record_table, kind = _inputs(leaves, records)
    if check:
        _check_tables(leaf_table, record_table)
    frame, listed = shared(
        leaf_frame(leaf_table, record_table, as_of=day, rules=chosen),
        leaf_table.select("key", "plan", "leaf", "measure_set", "theme_set", "measures", "themes"),
    )
    result = results(frame, listed, by=levels, as_of=day, rules=chosen)
    return finish(result, kind)  # type: ignore[no-any-return]


# -- responsible units -------------------------------------------------------------------


def unit_table(plans: Plan | Iterable[Plan], leaves: pa.Table) -> pa.Table:
    """The units table (`UNITS_SCHEMA`) of plans whose leaves table is `leaves`.

    One row per leaf, unit and role: a task's `lead` units (role `"lead"`) and
    `partners` (`"partner"`), a measure's `lead` for each of its own targets, a
    policy's `lead`. `plan` and `key` are those of the leaf in `leaves` (as
    [`to_tables`][beijing_plan.columnar.to_tables] made it, from the same plans);
    `unit` is the unit's name as the plan writes it.

    Raises:
        PlanValidationError: for something that is not a plan, or a leaf the leaves
            table does not hold.
    """
    listed = plans_of(plans)
    if not isinstance(leaves, pa.Table):
        raise misuse("leaves", "a pyarrow Table", leaves)
    check_columns("leaves", leaves.column_names, ("plan", "leaf", "key"))
    return build_unit_table(listed, leaves)


def assess_units(
    leaves: FrameT,
    records: Any,
    units: Any,
    *,
    as_of: DateLike,
    rules: Rules | None = None,
    role: str = "lead",
    check: bool = True,
) -> FrameT:
    """Each responsible unit's figures in columns, as
    [`Assessment.by_unit`][beijing_plan.assessment.Assessment.by_unit] gives them.

    Args:
        leaves: The leaves table, as for [`assess_tables`][beijing_plan.columnar.assess_tables].
        records: The records table, of the same kind.
        units: The units table (`UNITS_SCHEMA`, from
            [`unit_table`][beijing_plan.columnar.unit_table]), of the same kind.
        as_of: The date of the assessment.
        rules: The rules; the defaults if `None`. A unit is a flat roll-up whatever
            `rollup` says.
        role: `"lead"`, `"partner"` or `"any"`.
        check: Whether to check the three tables first (see
            [`check_tables`][beijing_plan.columnar.check_tables]; the units table's
            roles, and that each of its keys is a leaf's of its plan).

    Returns:
        A frame with `RESULT_COLUMNS`, one row per plan and unit with at least one
        leaf: `level` is `"unit"` and `id` the unit's name.

    Raises:
        PlanValidationError: for a bad date or role, frames of different backends,
            a missing column, or (with `check`) tables that break the layout.
        TypeError: for `rules` that are not [`Rules`][beijing_plan.rules.Rules].
    """
    day = _plain_date(as_of)
    if role not in ("lead", "partner", "any"):
        raise PlanValidationError([("role", f"{role!r} is not one of 'lead', 'partner', 'any'")])
    chosen = Rules() if rules is None else rules
    if not isinstance(chosen, Rules):
        raise misuse("rules", "a Rules", chosen)
    if not isinstance(check, bool):
        raise PlanValidationError([("check", f"{check!r} is not True or False")])
    leaf_table, record_table, kind = _inputs(leaves, records)
    unit_frame, _ = lazy_frame(units, "units", UNITS_SCHEMA)
    if unit_frame.implementation is not leaf_table.implementation:
        found = unit_frame.implementation.name.lower()
        wanted = leaf_table.implementation.name.lower()
        raise PlanValidationError(
            [("units", f"a {found!r} frame, but leaves is a {wanted!r} frame")]
        )
    check_columns("units", unit_frame.collect_schema().names(), UNITS_SCHEMA.names)
    problems = type_problems(unit_frame, "units", UNITS_SCHEMA)
    if problems:
        raise PlanValidationError(problems)
    left, unit_frame = same_session(leaf_table.select("key", "plan"), unit_frame)
    if check:
        _check_tables(leaf_table, record_table)
        problems = unit_problems(unit_frame, left)
        if problems:
            raise PlanValidationError(problems)
    members = left.join(role_members(unit_frame, role), on="key", how="inner")
    frame, listed = shared(leaf_frame(leaf_table, record_table, as_of=day, rules=chosen), members)
    return finish(unit_results(frame, listed, as_of=day, rules=chosen), kind)  # type: ignore[no-any-return]
