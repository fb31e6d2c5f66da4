"""A whole plan as sheets: the plan's document written row by row, and read back.

Writing takes the plan's document (as `convert` makes it) apart into the rows
of the sheets of `_layout`, each value in the cell its column's codec writes.
Reading puts the rows back together into a document, a task under the measure
its 重大举措 cell names, a target under its task or measure, and builds the
plan with the library's converter; every problem, of a cell or of the plan
(an id used twice, a start after a due date), is reported at its sheet, row
and column.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, cast

import attrs

from ..convert import structure, unstructure
from ..exceptions import PlanValidationError
from ..model import Plan
from . import _plancells as pc
from ._cells import CellError, text_of
from ._columns import Field, Layout, is_blank, locate, normalise_header
from ._layout import (
    MEASURE_SHEET,
    MILESTONE_SHEET,
    PLAN_SHEET,
    POLICY_SHEET,
    SHEETS,
    TARGET_SHEET,
    TASK_SHEET,
    THEME_SHEET,
    SheetSpec,
    fields_of,
)
from ._sheets import (
    Cell,
    Format,
    Row,
    SheetSource,
    SheetTarget,
    book_bytes,
    read_book_sheet,
    read_rows,
    source_bytes,
    text_problem,
    write_atomic,
    write_rows,
)

__all__ = [
    "Place",
    "Places",
    "PlanBook",
    "assemble",
    "attach",
    "book_sheets",
    "build",
    "index_of",
    "link",
    "paths_of",
    "plan_context",
    "plan_format",
    "read_book",
    "sheet_items",
    "value_at",
    "where_is",
    "write_book",
]

Problems = list[tuple[str, str]]
_KEY_HEADERS = {"zh": ("项目", "内容"), "en": ("Field", "Value")}


@attrs.frozen
class Place:
    """Where an item of the document was read: its sheet, and the row of each key.

    Attributes:
        sheet: The sheet's name as read.
        row: The row of the item.
        cells: For each key read, its row and the header of its column.
    """

    sheet: str
    row: int
    cells: Mapping[str, tuple[int, str]]

    def where(self, key: str | None) -> str:
        """The cell path of `key` (or of the row, for `None`)."""
        if key is not None and key in self.cells:
            row, shown = self.cells[key]
            return f"sheet {self.sheet}, row {row}, column {shown}"
        return f"sheet {self.sheet}, row {self.row}"


#: Where each item of a document was read, by its path in the document.
Places = dict[str, Place]


def plan_format(target: object, format: str | None) -> Format:  # noqa: A002 (the public keyword)
    """The format of a plan's sheets: XLSX for a `.xlsx` name, else a folder of CSV files."""
    if format is not None:
        wanted = format.lower().lstrip(".")
        if wanted not in {"csv", "xlsx"}:
            raise PlanValidationError([("format", f"{format!r} is not 'csv' or 'xlsx'")])
        chosen: Format = "csv" if wanted == "csv" else "xlsx"
    elif isinstance(target, str | os.PathLike):
        chosen = "xlsx" if Path(target).suffix.lower() == ".xlsx" else "csv"
    else:
        name = getattr(target, "name", None)
        chosen = "xlsx" if isinstance(name, str) and name.lower().endswith(".xlsx") else "csv"
    if chosen == "csv" and not isinstance(target, str | os.PathLike):
        raise PlanValidationError(
            [("format", "a plan in CSV is a folder of files: give the folder's path")]
        )
    return chosen


# -- reading ------------------------------------------------------------------------------


@attrs.frozen
class PlanBook:
    """The sheets of a plan as read: for each kind, the sheet's name and its rows."""

    sheets: Mapping[str, tuple[str, list[Row]]]


def read_book(source: SheetSource, chosen: Format, encoding: str) -> PlanBook:
    """The plan's sheets that the workbook or folder has; the plan sheet must be there.

    Raises:
        PlanValidationError: for a file that cannot be read, or no plan sheet.
    """
    sheets: dict[str, tuple[str, list[Row]]] = {}
    if chosen == "xlsx":
        data = source_bytes(source, "workbook")
        name = os.fspath(source) if isinstance(source, str | os.PathLike) else "the workbook"
        for spec in SHEETS:
            for title in (spec.zh, spec.en):
                rows = read_book_sheet(data, (title,), name)
                if rows is not None:
                    sheets[spec.name] = (title, rows)
                    break
    else:
        assert isinstance(source, str | os.PathLike)
        folder = Path(source)
        for spec in SHEETS:
            for stem in (spec.zh, spec.en):
                path = folder / f"{stem}.csv"
                if path.is_file():
                    rows = read_rows(path, format="csv", sheet=None, encoding=encoding)
                    sheets[spec.name] = (f"{stem}.csv", rows)
                    break
    if PLAN_SHEET.name not in sheets:
        where = "the workbook" if chosen == "xlsx" else "the folder"
        raise PlanValidationError(
            [("", f"{where} has no sheet {PLAN_SHEET.zh!r} (or {PLAN_SHEET.en!r}) for the plan")]
        )
    return PlanBook(sheets)


def _put(document: dict[str, Any], key: str, value: Any) -> None:
    """Set the dotted `key`; a part that is not a mapping (a group given as JSON) is
    replaced, and the structuring of the plan then reports what it lacks."""
    *heads, last = key.split(".")
    for head in heads:
        inner = document.get(head)
        if not isinstance(inner, dict):
            inner = document[head] = {}
        document = inner
    document[last] = value


def value_at(document: Mapping[str, Any], key: str) -> Any:
    """The value at the dotted `key`, `None` where there is none."""
    value: Any = document
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def sheet_items(
    spec: SheetSpec,
    sheet: tuple[str, list[Row]],
    context: pc.Context,
    problems: Problems,
    skip: frozenset[str] = frozenset(),
) -> tuple[list[tuple[dict[str, Any], Place]], Layout]:
    """The document of each data row of a sheet, and where it was read.

    Cells of the keys in `skip` are not read.
    """
    label, rows = sheet
    fields, codecs = fields_of(spec)
    layout, found = locate(rows, fields, [("id",)], strict=False)
    problems.extend((f"sheet {label}, {path}", message) for path, message in found)
    items: list[tuple[dict[str, Any], Place]] = []
    for number, cells in rows:
        if number <= layout.header_row or is_blank(cells):
            continue
        document: dict[str, Any] = {}
        for key, (_, shown) in layout.columns.items():
            if key in skip:
                continue
            try:
                value = pc.cell_value(codecs[key], layout.cell(cells, key), context)
            except CellError as error:
                problems.append((f"sheet {label}, row {number}, column {shown}", str(error)))
                continue
            if value is not None:
                _put(document, key, value)
        columns = {key: (number, shown) for key, (_, shown) in layout.columns.items()}
        items.append((document, Place(label, number, columns)))
    return items, layout


def _plan_items(
    sheet: tuple[str, list[Row]], context: pc.Context, problems: Problems
) -> tuple[dict[str, Any], Place]:
    """The plan's own fields, from its sheet of fields (first column) and values (second)."""
    label, rows = sheet
    fields, codecs = fields_of(PLAN_SHEET)
    lookup = {normalise_header(word): field for field in fields for word in field.synonyms}
    document: dict[str, Any] = {}
    cells: dict[str, tuple[int, str]] = {}
    data = [(n, c) for n, c in rows if not is_blank(c)]
    header_row = data[0][0] if data else 1
    value_header = _KEY_HEADERS["zh"][1]
    if data and len(data[0][1]) > 1:
        value_header = text_of(data[0][1][1]) or value_header
    for number, row in data[1:]:
        key_text = text_of(row[0]) if row else None
        field: Field | None = None if key_text is None else lookup.get(normalise_header(key_text))
        if field is None:
            message = (
                "the name of the field is missing"
                if key_text is None
                else f"{key_text!r} is not a field of the plan"
            )
            problems.append((f"sheet {label}, row {number}", message))
            continue
        if field.name in cells:
            problems.append(
                (
                    f"sheet {label}, row {number}",
                    f"{key_text!r} is given again (first in row {cells[field.name][0]})",
                )
            )
            continue
        cells[field.name] = (number, value_header)
        try:
            value = pc.cell_value(codecs[field.name], row[1] if len(row) > 1 else None, context)
        except CellError as error:
            problems.append((f"sheet {label}, row {number}, column {value_header}", str(error)))
            continue
        if value is not None:
            _put(document, field.name, value)
    return document, Place(label, header_row, cells)


def plan_context(
    document: Mapping[str, Any], themes: Sequence[Mapping[str, Any]], lang: str
) -> pc.Context:
    """The context of a plan's cells: its year, if one, and its themes' names."""
    start, end = str(value_at(document, "start") or ""), str(value_at(document, "end") or "")
    same = start[:4].isdigit() and start[:4] == end[:4] and start[:4] != "0000"
    year = int(start[:4]) if same else None
    names, ids = pc.theme_context(
        [
            (str(theme.get("id")), value_at(theme, "title.zh"), value_at(theme, "title.en"))
            for theme in themes
        ],
        lang,
    )
    return pc.Context(lang=lang, plan_year=year, theme_names=names, theme_ids=ids)


def link(
    item: tuple[dict[str, Any], Place],
    key: str,
    parents: Mapping[str, list[dict[str, Any]]],
    what: str,
    problems: Problems,
) -> dict[str, Any] | None:
    """The parent the item's link cell `key` names (taking the link out of the item), or
    `None` with a problem of the cell."""
    document, place = item
    name = document.pop(key, None)
    if name is None:
        problems.append((place.where(key if key in place.cells else None), f"{what} is missing"))
        return None
    found = parents.get(str(name), [])
    if len(found) != 1:
        reason = "names several" if found else "is not the id or title of any"
        problems.append((place.where(key), f"{name!r} {reason} {what.removeprefix('the ')}"))
        return None
    return found[0]


def index_of(documents: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Items by id, and by title where no id is so named."""
    found: dict[str, list[dict[str, Any]]] = {}
    for document in documents:
        found.setdefault(str(document.get("id")), []).append(document)
    by_title: dict[str, list[dict[str, Any]]] = {}
    for document in documents:
        for title in dict.fromkeys(
            (value_at(document, "title.zh"), value_at(document, "title.en"))
        ):
            if title is not None and title not in found:
                by_title.setdefault(title, []).append(document)
    return {**by_title, **found}


def assemble(book: PlanBook, problems: Problems) -> tuple[dict[str, Any], Places]:
    """The plan's document from its sheets, with where each item was read."""
    sheets = book.sheets
    first, _ = _plan_items(sheets[PLAN_SHEET.name], pc.Context(), [])
    themes: list[tuple[dict[str, Any], Place]] = []
    if THEME_SHEET.name in sheets:
        themes, _ = sheet_items(
            THEME_SHEET, sheets[THEME_SHEET.name], pc.Context(), [], skip=frozenset({"parent"})
        )
    context = plan_context(first, [theme for theme, _ in themes], "zh")
    plan, plan_place = _plan_items(sheets[PLAN_SHEET.name], context, problems)
    items: dict[str, list[tuple[dict[str, Any], Place]]] = {}
    for spec in SHEETS[1:]:
        found = sheets.get(spec.name)
        items[spec.name] = [] if found is None else sheet_items(spec, found, context, problems)[0]
    where: dict[int, Place] = {id(plan): plan_place}
    for key in ("themes", "measures", "policies"):
        if items[key]:
            plan[key] = [document for document, _ in items[key]]
    for spec_items in items.values():
        where.update((id(document), place) for document, place in spec_items)
    measures = plan.get("measures", [])
    tasks = attach(
        items[TASK_SHEET.name],
        key="^measure",
        parents=measures,
        children="tasks",
        what="the measure",
        problems=problems,
    )
    attach(
        items[TARGET_SHEET.name],
        key="^owner",
        parents=[*tasks, *measures],
        children="targets",
        what="the task or measure",
        problems=problems,
    )
    attach(
        items[MILESTONE_SHEET.name],
        key="^task",
        parents=tasks,
        children="milestones",
        what="the task",
        problems=problems,
    )
    return plan, paths_of(plan, where)


def attach(
    items: Sequence[tuple[dict[str, Any], Place]],
    *,
    key: str,
    parents: Sequence[dict[str, Any]],
    children: str,
    what: str,
    problems: Problems,
) -> list[dict[str, Any]]:
    """Put each item under the parent its `key` cell names; the items' documents.

    An item whose parent is not found is still returned, so that its own
    children are not refused for its sake.
    """
    index = index_of(parents)
    for item in items:
        parent = link(item, key, index, what, problems)
        if parent is not None:
            parent.setdefault(children, []).append(item[0])
    return [document for document, _ in items]


def paths_of(plan: Mapping[str, Any], where: Mapping[int, Place]) -> Places:
    """Where each item of the plan's document was read, by its path in the document."""
    places: Places = {}

    def walk(document: Any, path: str) -> None:
        if not isinstance(document, Mapping):
            return
        if id(document) in where:
            places[path] = where[id(document)]
        for key in ("themes", "measures", "tasks", "targets", "milestones", "policies"):
            children = document.get(key)
            if isinstance(children, list):
                for i, child in enumerate(children):
                    walk(child, f"{path}.{key}[{i}]" if path else f"{key}[{i}]")

    walk(plan, "")
    return places


def where_is(path: str, places: Places) -> str:
    """The cell path of a problem's path in the document, as near as it is known."""
    best = ""
    for known in places:
        if len(known) > len(best) and (
            path == known or path.startswith((known + ".", known + "["))
        ):
            best = known
    place = places.get(best)
    if place is None:
        return path
    rest = path[len(best) :].lstrip(".")
    keys = sorted(place.cells, key=len, reverse=True)
    for key in keys:
        if (
            rest == key
            or rest.startswith((key + ".", key + "["))
            or (key.startswith(rest + ".") and rest)
        ):
            return place.where(key)
    return place.where(None)


def build(document: dict[str, Any], places: Places, problems: Problems) -> Plan:
    """The plan of a document read from sheets, or every problem at its cell.

    Raises:
        PlanValidationError: listing the problems of the cells and of the plan.
    """
    if problems:
        raise PlanValidationError(problems)
    try:
        return structure(document, Plan)
    except PlanValidationError as error:
        found = [(where_is(path, places), message) for path, message in error.problems]
        raise PlanValidationError(found) from None


# -- writing ------------------------------------------------------------------------------


def _rows_of(
    spec: SheetSpec,
    items: Sequence[tuple[Mapping[str, Any], Mapping[str, str]]],
    context: pc.Context,
    problems: Problems,
) -> list[list[Cell]]:
    """A sheet's rows: the header, then one row per item (its document and links)."""
    _, codecs = fields_of(spec)
    extra = [key for key in spec.extra_keys() if any(key in doc for doc, _ in items)]
    columns = [(c.key, c.header(context.lang), c.codec) for c in spec.columns]
    columns.extend((key, key, codecs[key]) for key in extra)
    rows: list[list[Cell]] = [[header for _, header, _ in columns]]
    for i, (document, links) in enumerate(items):
        row: list[Cell] = []
        for key, _, codec in columns:
            value = links.get(key) if key.startswith("^") else value_at(document, key)
            cell = pc.value_cell(codec, value, context)
            if isinstance(cell, str):
                problem = text_problem(cell, context.format)
                if problem is not None:
                    problems.append((f"{spec.name}[{i}].{key.lstrip('^')}", problem))
            row.append(cell)
        rows.append(row)
    return rows


def _plan_rows(
    document: Mapping[str, Any], context: pc.Context, problems: Problems
) -> list[list[Cell]]:
    _, codecs = fields_of(PLAN_SHEET)
    rows: list[list[Cell]] = [list(_KEY_HEADERS[context.lang])]
    rows.extend(
        [
            column.header(context.lang),
            pc.value_cell(column.codec, value_at(document, column.key), context),
        ]
        for column in PLAN_SHEET.columns
    )
    rows.extend(
        [key, pc.value_cell(codecs.get(key, pc.ANY), document[key], context)]
        for key in PLAN_SHEET.extra_keys()
        if key in document
    )
    # A group whose fields are all blank (no declared count): its columns cannot say it is there.
    rows.extend(
        [key, pc.value_cell(codecs.get(key, pc.ANY), {}, context)]
        for key in PLAN_SHEET.groups()
        if document.get(key) == {}
    )
    for key, cell in rows[1:]:
        if isinstance(cell, str) and (problem := text_problem(cell, context.format)) is not None:
            problems.append((f"plan.{key}", problem))
    return rows


def _theme_problems(document: Mapping[str, Any], context: pc.Context) -> Problems:
    problems: Problems = []
    for i, theme in enumerate(document.get("themes", [])):
        name = context.theme_names.get(theme["id"], theme["id"])
        if context.theme_ids.get(name) != (theme["id"],):
            others = ", ".join(repr(t) for t in context.theme_ids.get(name, ()) if t != theme["id"])
            problems.append(
                (
                    f"themes[{i}].id",
                    f"{theme['id']!r} is also the title of theme {others}, and the theme's own "
                    "titles name other themes too: a sheet could not tell them apart",
                )
            )
    return problems


def book_sheets(plan: Plan, lang: str, chosen: Format) -> list[tuple[str, list[list[Cell]]]]:
    """The sheets of a plan: its name and rows, in order.

    Raises:
        PlanValidationError: listing every value a sheet could not hold.
    """
    document = unstructure(plan)
    context = attrs.evolve(plan_context(document, document.get("themes", []), lang), format=chosen)
    problems = _theme_problems(document, context)
    measures = document.get("measures", [])
    tasks = [(t, {"^measure": m["id"]}) for m in measures for t in m.get("tasks", [])]
    targets = [(g, {"^owner": m["id"]}) for m in measures for g in m.get("targets", [])]
    targets.extend((g, {"^owner": t["id"]}) for t, _ in tasks for g in t.get("targets", []))
    milestones = [(s, {"^task": t["id"]}) for t, _ in tasks for s in t.get("milestones", [])]
    items: dict[str, list[tuple[Mapping[str, Any], Mapping[str, str]]]] = {
        THEME_SHEET.name: [(t, {}) for t in document.get("themes", [])],
        MEASURE_SHEET.name: [(m, {}) for m in measures],
        TASK_SHEET.name: list(tasks),
        TARGET_SHEET.name: list(targets),
        MILESTONE_SHEET.name: list(milestones),
        POLICY_SHEET.name: [(p, {}) for p in document.get("policies", [])],
    }
    sheets = [(PLAN_SHEET.label(lang), _plan_rows(document, context, problems))]
    sheets.extend(
        (spec.label(lang), _rows_of(spec, items[spec.name], context, problems))
        for spec in SHEETS[1:]
    )
    if problems:
        raise PlanValidationError(problems)
    return sheets


def write_book(plan: Plan, target: SheetTarget, lang: str, chosen: Format) -> None:
    """Write a plan's sheets: one workbook, or a folder of CSV files (made if missing)."""
    sheets = book_sheets(plan, lang, chosen)
    if chosen == "xlsx":
        data = book_bytes(sheets)
        if isinstance(target, str | os.PathLike):
            write_atomic(Path(target), data)
        elif isinstance(target, io.TextIOBase):
            name = getattr(target, "name", None) or "the file"
            raise PlanValidationError(
                [("", f"{name!r} is opened as text; open an XLSX file with 'wb'")]
            )
        else:
            cast("IO[bytes]", target).write(data)
        return
    assert isinstance(target, str | os.PathLike)
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    for title, rows in sheets:
        write_rows(folder / f"{title}.csv", rows, format="csv", title=title)
