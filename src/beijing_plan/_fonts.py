"""Fonts and words of the charts: finding a font that draws Chinese, and falling back.

[`cjk_font`][beijing_plan.charts.cjk_font] finds an installed font with Chinese glyphs; `Words`
holds the language, the font and the words of one chart, and never hands the
chart a text that its font cannot draw, so matplotlib has no missing glyph to
warn about. Every text a chart draws is drawn literally, as its
[`props`][beijing_plan._fonts.Words.props] say: neither as mathtext (a title
holding `$` signs) nor through TeX (a global `text.usetex`), so no title can
make drawing fail or draw something other than what it says.
"""

from __future__ import annotations

import functools
import textwrap
import warnings
from typing import TYPE_CHECKING, Any

from ._optional import require
from ._words import CHART_WORDS, UNIT_WORDS_EN, needs_cjk_font
from .exceptions import PlanValidationError

if TYPE_CHECKING:
    from .model import Text

__all__ = ["CJK_FONTS", "FEATURE", "LITERAL", "MissingFontWarning", "Words", "cjk_font"]

#: What needs matplotlib, for the message of a missing extra.
FEATURE = "beijing_plan.charts"

#: Text properties that draw a text as written: no mathtext, no TeX.
LITERAL: dict[str, Any] = {"parse_math": False, "usetex": False}

#: Fonts with Chinese glyphs, in order of preference (simplified Chinese first).
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Arial Unicode MS",
)

#: Characters a font must have to be taken for Chinese text.
_SAMPLE = "北京市计划进度完成率目标"
#: Fonts that map every character to a placeholder box: they "cover" Chinese
#: without drawing it (matplotlib ships one for missing glyphs).
_PLACEHOLDERS = ("Last Resort",)


def _covers(path: str) -> bool:
    ft2font: Any = require("matplotlib.ft2font", FEATURE)
    try:
        charmap = ft2font.FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(character) in charmap for character in _SAMPLE)


@functools.cache
def _installed_fonts() -> dict[str, str]:
    manager: Any = require("matplotlib.font_manager", FEATURE)
    fonts: dict[str, str] = {}
    for entry in manager.fontManager.ttflist:
        fonts.setdefault(entry.name, entry.fname)
    return fonts


@functools.cache
def cjk_font() -> str | None:
    """The name of an installed font that draws Chinese, or `None` when there is none.

    The fonts of `CJK_FONTS` are tried in order, then every other font
    matplotlib knows, by name; a font counts when it has glyphs for a sample of
    common Chinese characters (fonts of placeholder boxes, such as the "Last
    Resort" font matplotlib ships, do not). matplotlib lists the fonts it found
    when it built its font cache; when none of those will do, the system's font
    files the cache does not list (fonts installed since) are tried too, and
    those that draw Chinese are added to matplotlib's font list for the process.
    The answer is cached for the process.

    Raises:
        ImportError: if matplotlib is not installed (naming the `plot` extra).
    """
    found = _preferred(_installed_fonts())
    if found is None and _add_system_fonts(set(_installed_fonts().values())):
        found = _preferred(_installed_fonts())
    return found


def _preferred(fonts: dict[str, str]) -> str | None:
    """The first font of `CJK_FONTS` that draws Chinese, else any other that does."""
    for name in CJK_FONTS:
        path = fonts.get(name)
        if path is not None and _covers(path):
            return name
    for name in sorted(fonts):
        if name not in CJK_FONTS and not name.startswith(_PLACEHOLDERS) and _covers(fonts[name]):
            return name
    return None


def _add_system_fonts(known: set[str]) -> bool:
    """Add to matplotlib the system font files it does not list that draw Chinese.

    Returns:
        Whether any was added.
    """
    manager: Any = require("matplotlib.font_manager", FEATURE)
    added = False
    for path in sorted(manager.findSystemFonts()):
        if path in known or not _covers(path):
            continue
        try:
            manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue
        added = True
    if added:
        _installed_fonts.cache_clear()
    return added


class MissingFontWarning(UserWarning):
    """A chart asked for in Chinese is drawn in English: no installed font draws Chinese.

    Given once a process, by the first chart asked for with `lang="zh"` that
    has no such font; it names the font package to install (Debian's and
    Ubuntu's `fonts-noto-cjk`).
    """


#: Whether the process has been told that no font draws Chinese (it is told once).
_told: list[bool] = []


def _tell_missing_font() -> None:
    """Warn, once a process, that Chinese was asked for and no font can draw it."""
    if _told:
        return
    _told.append(True)
    warnings.warn(CHART_WORDS["en"]["font"], MissingFontWarning, stacklevel=4)


class Words:
    """The language, font and words of one chart."""

    def __init__(self, lang: str | None, font: str | None) -> None:
        if lang not in (None, "zh", "en"):
            raise PlanValidationError([("lang", f"{lang!r} is not one of 'zh', 'en'")])
        if font is None:
            font = cjk_font()
            chinese = font is not None
        else:
            fonts = _installed_fonts()
            if font not in fonts:
                msg = f"{font!r} is not a font matplotlib can find"
                raise PlanValidationError([("font", msg)])
            chinese = _covers(fonts[font])
        self.font, self.chinese = font, chinese
        if lang == "zh" and not chinese:
            _tell_missing_font()
        self.lang = "zh" if chinese and lang != "en" else "en"
        self.words = CHART_WORDS[self.lang]

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def text(self, text: str, fallback: str) -> str:
        """`text`, or `fallback` when `text` needs glyphs the font lacks."""
        return fallback if needs_cjk_font(text) and not self.chinese else text

    def unit(self, name: str, symbol: str) -> str:
        """How the chart names a unit: its symbol (`万元`), in either language, when the
        font draws it, else its English words (`10k yuan`), else its name."""
        if not symbol:
            return ""
        return self.text(symbol, UNIT_WORDS_EN.get(name, name))

    def title(self, title: Text, fallback: str, width: int | None = None) -> str:
        """A title in the chart's language, shortened to about `width` Latin letters.

        A Chinese character counts as about one and a half letters.
        """
        text = title.get(self.lang)
        if needs_cjk_font(text) and not self.chinese:
            text = title.en if title.en is not None else fallback
        if width is not None and needs_cjk_font(text):
            width = width * 2 // 3
        if width is not None and len(text) > width:
            text = text[: width - 1].rstrip() + "…"
        return text

    def wrap(self, text: str, width: int) -> str:
        """`text` broken into lines of about `width` characters."""
        if needs_cjk_font(text):
            width = max(1, width // 2)
            return "\n".join(text[i : i + width] for i in range(0, len(text), width))
        return "\n".join(textwrap.wrap(text, width)) or text

    @property
    def props(self) -> dict[str, Any]:
        """Keyword arguments that give a text the chart's font and draw it literally."""
        return LITERAL if self.font is None else {"fontfamily": self.font, **LITERAL}

    @property
    def legend(self) -> dict[str, Any]:
        """Font properties for a legend."""
        return {"size": 8} if self.font is None else {"size": 8, "family": self.font}
