"""Tests of the words module: one test of Chinese text, words that cover every status."""

from __future__ import annotations

import io

import pytest

from beijing_plan import _optional, _words
from beijing_plan.ledger import Status
from beijing_plan.model import Comparator, Text
from beijing_plan.rules import DEFAULT_COLOURS, DEFAULT_LABELS, Progress
from beijing_plan.tables import read_tasks

#: One ideograph from each range that makes a text Chinese.
IDEOGRAPHS = {
    "CJK Unified Ideographs": "\u4e2d",
    "extension A": "\u3400",
    "compatibility ideographs": "\uf900",
    "extension B": "\U00020000",
    "extension C": "\U0002a700",
    "extension D": "\U0002b740",
    "extension E": "\U0002b820",
    "extension F": "\U0002ceb0",
    "extension I": "\U0002ebf0",
    "compatibility supplement": "\U0002f800",
    "extension G": "\U00030000",
    "extension H": "\U00031350",
}
#: Characters that do not make a text Chinese: CJK punctuation, a full-width letter,
#: katakana, Hangul, and the first code points after extension H.
NOT_IDEOGRAPHS = ("\u3001", "\uff08", "\uff21", "\u30a2", "\uac00", "\U000323b0", "A")


def sheet_title(title: str) -> Text:
    """The title of a one-row task sheet whose task column holds ``title``."""
    (task,) = read_tasks(io.StringIO(f"序号,任务\n1,{title}\n"), year=None, format="csv")
    return task.title


@pytest.mark.parametrize("char", IDEOGRAPHS.values(), ids=IDEOGRAPHS.keys())
def test_an_ideograph_of_every_range_is_chinese_to_text_and_to_sheets(char: str) -> None:
    """A title holding an ideograph of any range is Chinese to Text.of and to the sheets alike."""
    title = f"plan {char}"
    assert _words.has_cjk(title)
    assert Text.of(title) == Text(zh=title)
    assert sheet_title(title) == Text(zh=title)


@pytest.mark.parametrize("char", NOT_IDEOGRAPHS)
def test_other_characters_are_not_chinese_to_text_or_to_sheets(char: str) -> None:
    """A title without an ideograph is English to Text.of and to the sheets alike."""
    title = f"plan {char}"
    assert not _words.has_cjk(title)
    assert Text.of(title) == Text(en=title)
    assert sheet_title(title) == Text(en=title)


def test_a_chart_needs_chinese_glyphs_for_punctuation_too() -> None:
    """Full-width punctuation needs a Chinese font although it does not make a text Chinese."""
    bracketed = "\uff081\uff09"  # (1) in full-width brackets
    assert _words.needs_cjk_font(bracketed)
    assert not _words.has_cjk(bracketed)
    assert _words.needs_cjk_font("\U00031350")
    assert not _words.needs_cjk_font("plan (1)")


def test_every_status_has_its_words_and_colour() -> None:
    """Every status of an assessment has a label in both languages and a colour, in order."""
    values = [progress.value for progress in Progress]
    for lang in ("zh", "en"):
        assert list(_words.STATUS_LABELS[lang]) == values
        assert list(DEFAULT_LABELS[lang]) == list(Progress)
    assert list(_words.STATUS_COLOURS) == values
    assert DEFAULT_COLOURS[Progress.AT_RISK] == "amber"
    assert DEFAULT_LABELS["zh"][Progress.OFF_TRACK] == "滞后"
    assert set(_words.COLOUR_NAMES_ZH) == set(_words.STATUS_COLOURS.values())


def test_every_recorded_status_and_comparator_has_its_words() -> None:
    """Every recorded status has its sheet text and every comparator but between its sign."""
    for lang in ("zh", "en"):
        assert list(_words.RECORD_STATUS_TEXT[lang]) == [status.value for status in Status]
    signs = [c.value for c in Comparator if c is not Comparator.BETWEEN]
    assert list(_words.COMPARATOR_SIGNS) == signs


def test_a_missing_package_gives_one_message() -> None:
    """A missing optional package names the feature, the package and the extra, in one form."""
    error = _optional.missing("matplotlib.ticker", "beijing_plan.charts")
    assert str(error) == (
        'beijing_plan.charts needs the `matplotlib` package: pip install "beijing-plan[plot]"'
    )
    assert error.name == "matplotlib"
    columnar = _optional.missing("polars", "beijing_plan.columnar", extra="columnar")
    assert str(columnar).endswith('pip install "beijing-plan[columnar]"')
