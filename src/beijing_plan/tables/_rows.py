"""Rows of task and progress sheets, read into the model with every problem collected.

Each reader takes the data rows of a sheet and its `Layout`,
and appends a `(path, message)` problem for every bad cell (path
`row 7, column 完成时限`), so that the caller can report them all at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import pendulum

from .._corrections import link_faults
from .._validators import id_problem
from .._words import has_cjk
from ..exceptions import PlanValidationError, UnitError
from ..ledger import Observation, Record, Status, StatusChange
from ..model import Aggregation, Cadence, Milestone, Plan, Policy, Source, Target, Task, Text
from ..units import Quantity, get_unit
from ._cadence import CadenceError, cadence_of_text
from ._cells import (
    SEPARATORS,
    CellError,
    number_and_unit,
    percent_of,
    source_cell,
    source_of,
    split_list,
    status_of,
    text_of,
)
from ._columns import Layout
from ._deadlines import DeadlineError, deadline_of
from ._revisions import read_revision
from ._sheets import Cell, Format, Row, text_problem

__all__ = [
    "VALUE_FIELDS",
    "Reading",
    "cell_problems",
    "joined",
    "link_problems_of",
    "progress_records",
    "record_problems",
    "tasks_of",
    "title_problems",
]

Problems = list[tuple[str, str]]

_LANGUAGES = {"zh": "Chinese", "en": "English"}
_A_TITLE = {"zh": "a Chinese title", "en": "an English title"}


class _RowReader:
    """Reads the cells of one data row, collecting the problems of each."""

    def __init__(
        self, number: int, cells: Sequence[Cell], layout: Layout, problems: Problems
    ) -> None:
        self.number = number
        self.cells = cells
        self.layout = layout
        self.problems = problems
        self.ok = True

    def cell(self, field: str) -> Cell:
        return self.layout.cell(self.cells, field)

    def path(self, field: str | None) -> str:
        if field is None or field not in self.layout.columns:
            return f"row {self.number}"
        return self.layout.path(self.number, field)

    def problem(self, field: str | None, message: str) -> None:
        self.problems.append((self.path(field), message))
        self.ok = False

    def text(self, field: str) -> str | None:
        return text_of(self.cell(field))

    def id(self, field: str, what: str) -> str | None:
        value = self.text(field)
        if value is None:
            self.problem(field, f"{what} is missing")
            return None
        problem = id_problem(value)
        if problem is not None:
            self.problem(field, problem)
            return None
        return value

    def date(self, field: str, plan_year: int | None) -> pendulum.Date | None:
        try:
            return deadline_of(self.cell(field), plan_year)
        except DeadlineError as error:
            self.problem(field, str(error))
            return None


def _title(reader: _RowReader, lang: str | None) -> Text | None:
    main = reader.text("title")
    zh, en = reader.text("title_zh"), reader.text("title_en")
    if main is not None:
        as_zh = lang == "zh" or (lang is None and has_cjk(main))
        if as_zh:
            zh = zh or main
        else:
            en = en or main
    if zh is None and en is None:
        field = next(
            (f for f in ("title", "title_zh", "title_en") if f in reader.layout.columns), None
        )
        reader.problem(field, "the task is missing")
        return None
    return Text(zh=zh, en=en)


def _entries(reader: _RowReader, field: str, *, ids: bool) -> tuple[str, ...]:
    entries = split_list(reader.cell(field))
    if ids:
        for entry in entries:
            problem = id_problem(entry)
            if problem is not None:
                reader.problem(field, problem)
    return entries


def _cadence(reader: _RowReader) -> Cadence | None:
    text = reader.text("reporting")
    if text is None:
        return None
    try:
        return cadence_of_text(text)
    except CadenceError as error:
        reader.problem("reporting", str(error))
        return None


def tasks_of(
    rows: Sequence[Row],
    layout: Layout,
    problems: Problems,
    *,
    plan_year: int | None,
    lang: str | None,
) -> list[Task]:
    """The task of each row; the problems of bad rows go to `problems`."""
    tasks: list[Task] = []
    first_row: dict[str, int] = {}
    for number, cells in rows:
        reader = _RowReader(number, cells, layout, problems)
        task_id = reader.id("id", "the task id")
        if task_id is not None:
            if task_id in first_row:
                reader.problem(
                    "id", f"{task_id!r} is used again (first in row {first_row[task_id]})"
                )
            else:
                first_row[task_id] = number
        title = _title(reader, lang)
        lead = _entries(reader, "lead", ids=False)
        partners = _entries(reader, "partners", ids=False)
        themes = _entries(reader, "themes", ids=True)
        due = reader.date("due", plan_year)
        reporting = _cadence(reader)
        if reader.ok and task_id is not None and title is not None:
            tasks.append(
                Task(
                    task_id,
                    title,
                    themes=themes,
                    lead=lead,
                    partners=partners,
                    due=due,
                    reporting=reporting,
                )
            )
    return tasks


#: The columns that hold a target's value: a level (or the ledger's increment), an
#: increment of a sum target, a running total of one.
VALUE_FIELDS = ("value", "increment", "total")


def _value_field(reader: _RowReader) -> str | None:
    """The value column this row fills, `None` for none; a problem if it fills several."""
    filled = [f for f in VALUE_FIELDS if reader.text(f) is not None]
    if len(filled) > 1:
        shown = ", ".join(reader.layout.columns[f][1] for f in filled)
        reader.problem(None, f"a row takes one of {shown}, not several")
        return None
    return filled[0] if filled else "value"


def _quantity(reader: _RowReader, target: Target | None, field: str) -> Quantity | None:
    try:
        found = number_and_unit(reader.cell(field))
    except CellError as error:
        reader.problem(field, str(error))
        return None
    unit_text = reader.text("unit")
    if found is None:
        if unit_text is not None and reader.text("new_value") is None:
            reader.problem("unit", f"{unit_text!r} is a unit without a value")
        return None
    value, inline_unit = found
    unit_field = "unit" if unit_text is not None else field
    unit = unit_text or inline_unit
    if unit_text is not None and inline_unit is not None:
        try:
            differ = get_unit(unit_text).name != get_unit(inline_unit).name
        except UnitError:
            differ = True
        if differ:
            reader.problem(field, f"the value's unit {inline_unit!r} is not {unit_text!r}")
            return None
    if unit is None:
        if target is None:
            where = "unit" if "unit" in reader.layout.columns else field
            reader.problem(where, "a value needs a unit")
            return None
        unit = target.value.unit
    try:
        quantity = Quantity(value, unit)
    except PlanValidationError as error:
        reader.problem(unit_field, error.problems[0][1])
        return None
    if target is not None and quantity.dimension != target.value.dimension:
        reader.problem(
            unit_field,
            f"unit {unit!r} does not measure {target.value.dimension} "
            f"like the target's unit {target.value.unit!r}",
        )
        return None
    return quantity


def _status_and_percent(reader: _RowReader) -> tuple[Status | None, float | None]:
    status = percent = None
    try:
        status = status_of(reader.cell("status"))
    except CellError as error:
        reader.problem("status", str(error))
    try:
        percent = percent_of(reader.cell("percent"))
    except CellError as error:
        reader.problem("percent", str(error))
    if status is None and percent is not None:
        # A bare percent says how far along the item is.
        if percent == 0:
            status = Status.NOT_STARTED
        elif percent == 100:
            status = Status.DONE
        else:
            status = Status.IN_PROGRESS
    return status, percent


def _record_date(
    reader: _RowReader, plan_year: int | None, default: pendulum.Date | None
) -> pendulum.Date | None:
    try:
        on = deadline_of(reader.cell("date"), plan_year)
    except DeadlineError as error:
        reader.problem("date", str(error))
        return None
    if on is None and reader.text("date") is None and default is not None:
        return default
    if on is None:
        shown = reader.text("date")
        reader.problem(
            "date", "the date is missing" if shown is None else f"{shown!r} is not a date"
        )
    return on


def _node(reader: _RowReader, item: str | None, plan: Plan | None) -> object:
    """The plan's item a row is about (`None` without a plan), with a problem if unfit."""
    node = None if item is None or plan is None else plan.get(item)
    if item is not None and plan is not None:
        if node is None:
            reader.problem("item", f"{item!r} is not an id of the plan")
        elif not isinstance(node, Target | Task | Policy | Milestone):
            reader.problem(
                "item",
                f"{item!r} is a {type(node).__name__}; "
                "progress is recorded for targets, tasks, policies and milestones",
            )
    return node


@attrs.frozen
class _Total:
    """A running total read from a row, to be turned into an increment."""

    index: int  # of its observation among the records read
    row: int
    shown: str


@attrs.frozen
class Reading:
    """How a progress sheet is read: its plan, its year and its default date."""

    plan: Plan | None
    plan_year: int | None
    on: pendulum.Date | None


def _progress_row(
    reader: _RowReader, reading: Reading, records: list[Record], totals: list[_Total]
) -> None:
    plan = reading.plan
    item = reader.id("item", "the item id")
    node = _node(reader, item, plan)
    on = _record_date(reader, reading.plan_year, reading.on)
    target = node if isinstance(node, Target) else None
    known = len(reader.problems)
    field = _value_field(reader)
    quantity = None if field is None else _quantity(reader, target, field)
    status, percent = _status_and_percent(reader)
    summed = target is None or target.aggregation is Aggregation.SUM
    if field in {"increment", "total"} and quantity is not None and not summed:
        reader.problem(
            field,
            f"{item!r} is not a sum target: its value is a level, so put it in the value column",
        )
    revision = read_revision(reader, node, item, on, reading.plan_year)
    if len(reader.problems) == known:
        if isinstance(node, Target) and status is not None:
            field = "status" if reader.text("status") is not None else "percent"
            reader.problem(field, f"{item!r} is a target: it takes a value, not a status")
        elif isinstance(node, Task | Policy | Milestone) and quantity is not None:
            reader.problem(
                "value", f"{item!r} is a {type(node).__name__}; only targets take values"
            )
        elif quantity is None and status is None and revision is None:
            reader.problem(None, "nothing to record: no status, percent or value")
    links = _links(reader, on, reading.plan_year)
    kinds = sum(found is not None for found in (quantity, status, revision))
    if kinds > 1 and (links["id"] or links["supersedes"]):
        reader.problem(
            "id" if links["id"] else "supersedes",
            "a row with a record id or a correction holds one record: a value, a status "
            "or a revision, not two of them",
        )
    if not reader.ok or item is None or on is None:
        return
    note, source = reader.text("note"), source_of(reader.text("source"))
    if quantity is not None:
        if field == "total":
            totals.append(_Total(len(records), reader.number, reader.text("total") or ""))
        records.append(Observation(item, on, quantity, source=source, note=note, **links))
    if status is not None:
        records.append(
            StatusChange(item, on, status, percent=percent, source=source, note=note, **links)
        )
    if revision is not None:
        records.append(
            attrs.evolve(
                revision,
                source=source,
                note=note,
                recorded=links["recorded"],
                id=links["id"],
                supersedes=links["supersedes"],
            )
        )


def _increments(
    records: list[Record], totals: Sequence[_Total], layout: Layout, problems: Problems
) -> None:
    """Turn running totals into increments, per item in date order (sheet order on a day)."""
    by_item: dict[str, list[_Total]] = {}
    for total in totals:
        counted = records[total.index]
        assert isinstance(counted, Observation)
        by_item.setdefault(counted.target, []).append(total)
    for item, group in by_item.items():
        group.sort(key=lambda t: (records[t.index].on, t.row))
        before: tuple[Quantity, _Total] | None = None
        for total in group:
            observation = records[total.index]
            assert isinstance(observation, Observation)
            level = observation.value
            if before is None:
                increment = level
            else:
                try:
                    previous = before[0].to(level.unit)
                except PlanValidationError:
                    problems.append(
                        (
                            layout.path(total.row, "total"),
                            f"{total.shown!r} is not in a unit of the running total of "
                            f"{item!r} before it ({before[1].shown!r} in row {before[1].row})",
                        )
                    )
                    break
                if level.value < previous.value:
                    problems.append(
                        (
                            layout.path(total.row, "total"),
                            f"{total.shown!r} is less than the running total of {item!r} "
                            f"before it ({before[1].shown!r} in row {before[1].row}); "
                            "a running total cannot go down",
                        )
                    )
                    break
                try:
                    increment = Quantity(level.value - previous.value, level.unit)
                except PlanValidationError as error:
                    problems.append((layout.path(total.row, "total"), error.problems[0][1]))
                    break
            records[total.index] = attrs.evolve(observation, value=increment)
            before = (level, total)


def _links(reader: _RowReader, on: pendulum.Date | None, plan_year: int | None) -> dict[str, Any]:
    """The row's recorded day, record id, the id it corrects and the reason, by field name."""
    recorded = reader.date("recorded", plan_year)
    if recorded is not None and on is not None and recorded < on:
        reader.problem("recorded", f"recorded {recorded} is before the date {on}")
    links: dict[str, Any] = {"recorded": recorded, "reason": reader.text("reason")}
    for field in ("id", "supersedes"):
        value = reader.text(field)
        problem = None if value is None else id_problem(value)
        if problem is not None:
            reader.problem(field, problem)
        links[field] = value
    return links


def progress_records(
    rows: Sequence[Row],
    layout: Layout,
    problems: Problems,
    reading: Reading,
    *,
    numbers: list[int] | None = None,
) -> list[Record]:
    """The records of each row, in order; the problems of bad rows go to `problems`, and
    the row number of each record to `numbers` when given.

    A running total (累计) becomes an increment: the first of an item, in date
    order, is taken whole, each later one less the total before it.
    """
    records: list[Record] = []
    totals: list[_Total] = []
    for number, cells in rows:
        before = len(records)
        _progress_row(_RowReader(number, cells, layout, problems), reading, records, totals)
        if numbers is not None:
            numbers.extend([number] * (len(records) - before))
    _increments(records, totals, layout, problems)
    return records


def link_problems_of(records: Sequence[Record], numbers: Sequence[int], layout: Layout) -> Problems:
    """The problems of the ids and corrections of a sheet's records (see
    [`Ledger`][beijing_plan.ledger.Ledger]), at the cells of their rows."""

    def name(index: int) -> str:
        return f"row {numbers[index]}"

    def path(index: int, field: str) -> str:
        if field in layout.columns:
            return layout.path(numbers[index], field)
        return name(index)

    faults = link_faults(records, name=name, where="the sheet")
    return [(path(i, field), message) for i, field, message in faults]


# -- writing ---------------------------------------------------------------------------


def cell_problems(
    rows: Sequence[Sequence[Cell]],
    paths: Sequence[str],
    fields: Sequence[str],
    chosen: Format,
) -> Problems:
    """Problems of text that the file could not hold, by object path."""
    problems: Problems = []
    for row, path in zip(rows, paths, strict=True):
        for cell, field in zip(row, fields, strict=True):
            if not isinstance(cell, str):
                continue
            try:
                cell.encode("utf-8")
            except UnicodeEncodeError:
                problems.append((f"{path}.{field}", f"{cell!r} is not valid Unicode text"))
                continue
            problem = text_problem(cell, chosen)
            if problem is not None:
                problems.append((f"{path}.{field}", problem))
    return problems


def joined(values: Iterable[str], path: str, problems: Problems, joiner: str) -> str | None:
    """Entries joined into one cell, with a problem for each that would not split back."""
    entries = list(values)
    for i, value in enumerate(entries):
        if value != value.strip() or any(sep in value for sep in SEPARATORS):
            problems.append(
                (
                    f"{path}[{i}]",
                    f"{value!r} would not read back as one entry "
                    "(it holds a separator or surrounding white space)",
                )
            )
    return joiner.join(entries) or None


def _stripped(text: str, path: str, problems: Problems) -> None:
    """A problem for text that reading would strip of surrounding white space."""
    if text != text.strip():
        problems.append(
            (
                path,
                f"{text!r} would read back as {text.strip()!r} "
                "(reading removes surrounding white space)",
            )
        )


def title_problems(title: Text, path: str, lang: str, *, both: bool) -> Problems:
    """Problems of a title that would not read back the same from a sheet written in `lang`.

    The task column holds the title in `lang`, or in the other language when
    the title has only that, and reading tells its language by its script: a
    Chinese character makes it Chinese. With `both`, the column of the other
    language holds the other half of a title that has both; reading takes that
    column's language as written.
    """
    problems: Problems = []
    other = "en" if lang == "zh" else "zh"
    main = title.get(lang)
    _stripped(main, f"{path}.title", problems)
    if both and title.zh is not None and title.en is not None:
        _stripped(title.get(other), f"{path}.title_{other}", problems)
    marked = lang if (title.zh if lang == "zh" else title.en) is not None else other
    if has_cjk(main) != (marked == "zh"):
        problems.append((f"{path}.title", _misread(main, marked, title)))
    return problems


def _misread(text: str, marked: str, title: Text) -> str:
    """Why a title half in the task column would read back in the other language, and the cure."""
    read_as = "en" if marked == "zh" else "zh"
    script = "has no Chinese character" if marked == "zh" else "has a Chinese character"
    why = (
        f"{text!r} is marked {_LANGUAGES[marked]} but {script}, so it would read back as "
        f"{_LANGUAGES[read_as]} (unless read with lang={marked!r})"
    )
    partner = title.zh if read_as == "zh" else title.en
    if partner is not None and has_cjk(partner) == (read_as == "zh"):
        column = f"the {_LANGUAGES[marked]} title column"
        return f"{why}; write with lang={read_as!r}, which puts it in {column}"
    return (
        f"{why}; make it {_A_TITLE[read_as]} (Text({read_as}={text!r})), "
        f"or add {_A_TITLE[read_as]} and write with lang={read_as!r}"
    )


def record_problems(
    note: str | None, source: Source | None, path: str, *, reason: str | None = None
) -> Problems:
    """Problems of a record's note, source and reason that would not read back the same."""
    problems: Problems = []
    if note is not None:
        _stripped(note, f"{path}.note", problems)
    if reason is not None:
        _stripped(reason, f"{path}.reason", problems)
    if source is not None:
        cell = source_cell(source)
        back = source_of(text_of(cell))
        if back is not None and back != Source(source.title, url=source.url):
            url = "no URL" if back.url is None else f"the URL {back.url!r}"
            problems.append(
                (
                    f"{path}.source",
                    f"{cell!r} would read back as the title {back.title!r} with {url}",
                )
            )
    return problems
