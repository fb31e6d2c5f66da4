"""The options the sheet functions share, checked: a language and a plan year."""

from __future__ import annotations

from typing import Literal

from ..exceptions import PlanValidationError

__all__ = ["JOINERS", "THEME_JOINERS", "Lang", "lang_of", "year_of"]

#: A language of headers and words.
Lang = Literal["zh", "en"]
#: What joins the units or approvers listed in one cell, by language.
JOINERS = {"zh": "、", "en": "; "}
#: What joins the themes listed in one cell, by language.
THEME_JOINERS = {"zh": "、", "en": ", "}


def year_of(year: object, path: str = "year") -> int | None:
    """`year` as a plan year (1 to 9999), or `None`."""
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise PlanValidationError([(path, f"{year!r} is not a year (1 to 9999)")])
    return year


def lang_of(lang: object, *, optional: bool) -> Lang | None:
    """`lang` as `"zh"` or `"en"` (`None` too when `optional`)."""
    if lang is None and optional:
        return None
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise PlanValidationError([("lang", f"{lang!r} is not 'zh' or 'en'")])
