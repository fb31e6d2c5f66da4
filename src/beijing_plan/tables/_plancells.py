"""The cells of a plan's sheets: document values to cells and back.

A plan's sheets hold the values of the plan's document (the form `convert`
gives it): text, dates as ISO text, numbers, quantities as `{"value", "unit"}`,
lists. Each column has a `Codec` that writes a value as a cell an office can
read and edit (`60亿元`, `2025-06-30`, `市发展改革委、市财政局`) and reads such a
cell back. Where the friendly cell would not read back as the same value (a
title with surrounding spaces, a unit name holding `、`, a source with a date),
the cell holds the value as JSON instead (`"  标题 "`, `["a、b"]`), which
reading takes back exactly: a cell that starts with `"`, `[` or `{` and is
valid JSON is read as that JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from .._words import SHEET_CHOICES
from ..exceptions import PlanValidationError, UnitError
from ..units import as_decimal, get_unit
from ._cells import (
    CellError,
    number_and_unit,
    number_cell,
    source_cell,
    source_of,
    split_list,
    text_of,
    unit_text,
)
from ._columns import normalise_header
from ._deadlines import DeadlineError, deadline_of
from ._sheets import Cell, Format, text_problem

__all__ = ["Codec", "Context", "cell_value", "value_cell"]

_JOINERS = {"zh": "、", "en": "; "}
_JSON_STARTS = ('"', "[", "{")
_INTEGER = re.compile(r"[-+]?[0-9]+")


@attrs.frozen
class Context:
    """What cells are read and written with.

    Attributes:
        lang: The language of words and names written.
        format: The file format written.
        plan_year: The year deadline phrases without one refer to.
        theme_names: The name written for each theme id.
        theme_ids: The theme ids each name or id read stands for.
    """

    lang: str = "zh"
    format: Format = "csv"
    plan_year: int | None = None
    theme_names: Mapping[str, str] = attrs.field(factory=dict)
    theme_ids: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


@attrs.frozen
class Codec:
    """How one column's values are written and read.

    Attributes:
        write: The friendly cell of a document value.
        read: The document value of a friendly cell (not blank), or `CellError`.
        from_json: The document value of the cell's JSON.
        same: Whether two document values are the same value.
    """

    write: Callable[[Any, Context], Cell]
    read: Callable[[Cell, Context], Any]
    from_json: Callable[[Any, Context], Any] = lambda value, _: value
    same: Callable[[Any, Any], bool] = lambda a, b: bool(a == b)


def _json_of(cell: Cell) -> tuple[bool, Any]:
    if not isinstance(cell, str):
        return False, None
    text = cell.strip()
    if not text.startswith(_JSON_STARTS):
        return False, None
    try:
        return True, json.loads(text)
    except (ValueError, RecursionError):
        return False, None


def cell_value(codec: Codec, cell: Cell, context: Context) -> Any:
    """The document value of a cell, `None` when blank.

    Raises:
        CellError: for a cell that is not a value of the column.
    """
    if text_of(cell) is None:
        return None
    found, value = _json_of(cell)
    if found:
        return codec.from_json(value, context)
    return codec.read(cell, context)


def _as_read(cell: Cell, chosen: Format) -> Cell:
    """The cell as a file of `chosen` gives it back."""
    if chosen == "xlsx" or cell is None:
        return cell
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return cell if isinstance(cell, str) else str(cell)


def _json_cell(value: Any, chosen: Format) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if text_problem(text, chosen) is not None:
        return json.dumps(value, ensure_ascii=True)
    return text


def value_cell(codec: Codec, value: Any, context: Context) -> Cell:
    """The cell of a document value: the friendly one where it reads back the same, else JSON."""
    if value is None:
        return None
    try:
        cell = codec.write(value, context)
        back = cell_value(codec, _as_read(cell, context.format), context)
        fits = codec.same(back, value)
    except (CellError, PlanValidationError, UnitError, ValueError, TypeError, KeyError):
        fits = False
    if fits and isinstance(cell, str):
        # XML reads a carriage return as a line feed.
        carriage = context.format == "xlsx" and "\r" in cell
        fits = text_problem(cell, context.format) is None and not carriage
    return cell if fits else _json_cell(value, context.format)


# -- the codecs ---------------------------------------------------------------------------


def _text_write(value: Any, _: Context) -> Cell:
    return str(value)


def _text_read(cell: Cell, _: Context) -> Any:
    return text_of(cell)


def _json_of_kind(kind: type, what: str) -> Callable[[Any, Context], Any]:
    def check(value: Any, _: Context) -> Any:
        items = value if kind is list and isinstance(value, list) else None
        fits = isinstance(value, kind) and (
            items is None or all(isinstance(item, str) for item in items)
        )
        if not fits:
            raise CellError(f"{json.dumps(value, ensure_ascii=False)[:80]!r} is not {what}")
        return value

    return check


TEXT = Codec(_text_write, _text_read, _json_of_kind(str, "text"))


def _names_write(value: Any, context: Context) -> Cell:
    return _JOINERS.get(context.lang, "、").join(value)


def _names_read(cell: Cell, _: Context) -> Any:
    return list(split_list(cell))


NAMES = Codec(_names_write, _names_read, _json_of_kind(list, "a list of names"))


def _date_write(value: Any, context: Context) -> Cell:
    day = dt.date.fromisoformat(value)
    if context.format == "xlsx":
        return day
    return day.isoformat()


def _date_read(cell: Cell, context: Context) -> Any:
    try:
        day = deadline_of(cell, context.plan_year)
    except DeadlineError as error:
        raise CellError(str(error)) from None
    if day is None:
        raise CellError(f"{text_of(cell)!r} is not a date")
    return day.isoformat()


DATE = Codec(_date_write, _date_read, _json_of_kind(str, "a date"))


def _number_write(value: Any, context: Context) -> Cell:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if context.format == "xlsx" else str(value)
    return number_cell(float(value), context.format)


def _number_read(cell: Cell, _: Context) -> Any:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        number: int | float = cell
    else:
        text = unicodedata.normalize("NFKC", text_of(cell) or "")
        try:
            number = int(text) if _INTEGER.fullmatch(text) else float(text)
        except ValueError:
            raise CellError(f"{text_of(cell)!r} is not a number") from None
    if isinstance(number, float) and not math.isfinite(number):
        raise CellError(f"{text_of(cell)!r} is not a finite number")
    return number


def _same_number(a: Any, b: Any) -> bool:
    return (type(a) is type(b) and bool(a == b)) or (isinstance(b, float) and a == b)


NUMBER = Codec(_number_write, _number_read, same=_same_number)


def _quantity_write(value: Any, context: Context) -> Cell:
    number = number_cell(Decimal(value["value"]), "csv")
    unit = unit_text(value["unit"], context.lang)
    return f"{number}{unit}" if context.lang == "zh" else f"{number} {unit}"


def _quantity_read(cell: Cell, _: Context) -> Any:
    found = number_and_unit(cell)
    if found is None:
        raise CellError(f"{text_of(cell)!r} is not a quantity")
    number, unit = found
    if unit is None:
        raise CellError(f"{text_of(cell)!r} needs its unit, such as 60亿元 or 45个")
    try:
        name = get_unit(unit).name
    except UnitError as error:
        raise CellError(error.problems[0][1]) from None
    return {"value": str(number), "unit": name}


def _same_quantity(a: Any, b: Any) -> bool:
    try:
        return bool(
            as_decimal(a["value"]) == as_decimal(b["value"])
            and get_unit(a["unit"]).name == get_unit(b["unit"]).name
        )
    except (PlanValidationError, TypeError, KeyError):
        return False


QUANTITY = Codec(_quantity_write, _quantity_read, same=_same_quantity)


def _choices(kind: str) -> Codec:
    words = SHEET_CHOICES[kind]
    lookup = {
        normalise_header(word): value
        for by_value in words.values()
        for value, word in by_value.items()
    }
    lookup.update({normalise_header(value): value for value in words["en"]})

    def write(value: Any, context: Context) -> Cell:
        return words[context.lang][value]

    def read(cell: Cell, _: Context) -> Any:
        text = text_of(cell) or ""
        found = lookup.get(normalise_header(text))
        if found is None:
            shown = ", ".join(words["zh"].values())
            raise CellError(f"{text!r} is not one of {shown} ({', '.join(words['en'])})")
        return found

    return Codec(write, read)


COMPARATOR = _choices("comparator")
AGGREGATION = _choices("aggregation")


def _trajectory_write(value: Any, context: Context) -> Cell:
    joiner = _JOINERS.get(context.lang, "、")
    return joiner.join(f"{point['on']} {float(point['fraction'])!r}" for point in value)


def _trajectory_read(cell: Cell, _: Context) -> Any:
    points = []
    for entry in split_list(cell):
        on, _space, fraction = entry.partition(" ")
        try:
            day = dt.date.fromisoformat(on.strip())
            number = float(fraction.strip().removesuffix("%")) / (
                100 if fraction.strip().endswith("%") else 1
            )
        except ValueError:
            raise CellError(
                f"{entry!r} is not a date and a fraction of the work (2025-06-30 0.5)"
            ) from None
        points.append({"on": day.isoformat(), "fraction": number})
    return points


TRAJECTORY = Codec(_trajectory_write, _trajectory_read)


def _sources_write(value: Any, _: Context) -> Cell:
    if len(value) != 1 or set(value[0]) - {"title", "url"}:
        raise ValueError("not one plain source")
    return source_cell(source_of_document(value[0]))


def source_of_document(document: Mapping[str, Any]) -> Any:
    """A source from its document's title and URL."""
    return source_of(
        document["title"] if "url" not in document else f"{document['title']} {document['url']}"
    )


def _sources_read(cell: Cell, _: Context) -> Any:
    source = source_of(text_of(cell))
    if source is None:
        return None
    document = {"title": source.title}
    if source.url is not None:
        document["url"] = source.url
    return [document]


def _same_sources(a: Any, b: Any) -> bool:
    if isinstance(b, list) and len(b) == 1 and b[0].get("url") == b[0].get("title"):
        return False  # a URL alone would read back as a titled URL
    return bool(a == b)


SOURCES = Codec(_sources_write, _sources_read, same=_same_sources)


def _any_write(value: Any, _: Context) -> Cell:
    raise ValueError("written as JSON")


def _any_read(cell: Cell, _: Context) -> Any:
    raise CellError(f"{text_of(cell)!r} is not JSON")


#: A field the sheets know no friendly form of: always JSON.
ANY = Codec(_any_write, _any_read)


# -- themes by name -----------------------------------------------------------------------


def resolve_theme(entry: str, context: Context) -> str:
    """The id of the theme `entry` names: by its title, or else by its id.

    Raises:
        CellError: for a name of no theme, or of several.
    """
    found = context.theme_ids.get(entry, ())
    if len(found) == 1:
        return found[0]
    if found:
        shown = ", ".join(repr(theme) for theme in found)
        raise CellError(f"{entry!r} names several themes ({shown}); write the theme's id")
    raise CellError(f"{entry!r} is not the name or id of a theme of the plan")


def _themes_write(value: Any, context: Context) -> Cell:
    joiner = _JOINERS.get(context.lang, "、")
    return joiner.join(context.theme_names.get(theme, theme) for theme in value)


def _themes_read(cell: Cell, context: Context) -> Any:
    return [resolve_theme(entry, context) for entry in split_list(cell)]


def _themes_json(value: Any, context: Context) -> Any:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CellError(f"{json.dumps(value, ensure_ascii=False)!r} is not a list of themes")
    return [resolve_theme(entry, context) for entry in value]


def _same_set(a: Any, b: Any) -> bool:
    return isinstance(a, list) and sorted(a) == sorted(b) and len(set(a)) == len(a)


THEMES = Codec(_themes_write, _themes_read, _themes_json, same=_same_set)


def _theme_write(value: Any, context: Context) -> Cell:
    return context.theme_names.get(str(value), str(value))


def _theme_read(cell: Cell, context: Context) -> Any:
    return resolve_theme(text_of(cell) or "", context)


def _theme_json(value: Any, context: Context) -> Any:
    if not isinstance(value, str):
        raise CellError(f"{json.dumps(value, ensure_ascii=False)!r} is not a theme")
    return resolve_theme(value, context)


THEME = Codec(_theme_write, _theme_read, _theme_json)


def theme_context(
    themes: Sequence[tuple[str, str | None, str | None]], lang: str
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The names written for theme ids, and the ids each name read stands for.

    `themes` gives each theme's id and its Chinese and English titles. A theme
    is named by its title in `lang` (or its other title) when that names no
    other theme, else by its id; a name read stands for the themes of that
    title, or else for the theme of that id.
    """
    ids: dict[str, list[str]] = {}
    for theme_id, zh, en in themes:
        for title in dict.fromkeys((zh, en)):
            if title is not None:
                ids.setdefault(title, []).append(theme_id)
    for theme_id, _, _ in themes:
        ids.setdefault(theme_id, [theme_id])
    names: dict[str, str] = {}
    for theme_id, zh, en in themes:
        titles = (zh, en) if lang == "zh" else (en, zh)
        for title in titles:
            if title is not None and ids.get(title) == [theme_id]:
                names[theme_id] = title
                break
    return names, {name: tuple(found) for name, found in ids.items()}
