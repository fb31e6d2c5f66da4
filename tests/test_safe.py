# ruff: noqa: RUF001 (full-width characters are the subject of some tests)
"""Tests of the safe-text rules shared by every text output."""

from __future__ import annotations

import json
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from beijing_plan._safe import (
    csv_cell,
    csv_value,
    json_text,
    markdown,
    markdown_code,
    markdown_link,
    terminal,
)


def test_terminal_escapes_controls_and_bidi() -> None:
    """Escape sequences, bidi overrides and separators are shown, not sent."""
    assert terminal("a\x1b]0;owned\x07b") == "a\\x1b]0;owned\\x07b"
    assert terminal("x\u202ey\u2066z") == "x\\u202ey\\u2066z"
    assert terminal("\x9b31m") == "\\x9b31m"
    assert terminal("one\u2028two") == "one\\u2028two"
    assert terminal("line\nnext") == "line\\x0anext"
    assert terminal("line\nnext", newlines=True) == "line\nnext"


def test_terminal_keeps_printable_text() -> None:
    """Chinese, accents and emoji pass unchanged."""
    text = "北京市 Zürich 👍 「引进」"
    assert terminal(text) == text


@given(st.text())
def test_terminal_output_has_no_controls(text: str) -> None:
    """Whatever the input, no control, bidi or separator character reaches the terminal."""
    shown = terminal(text)
    assert not any(unicodedata.category(char) in ("Cc", "Cs") for char in shown)
    assert not set(shown) & set(
        "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
    )


def test_terminal_keeps_ideographic_space() -> None:
    """The ideographic space used to indent Chinese text is printable text."""
    assert terminal("\u3000标题") == "\u3000标题"


def test_markdown_escapes_html_and_links() -> None:
    """Raw HTML and link syntax in a title are shown as text."""
    assert markdown("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert markdown("[click](javascript:alert(1))") == "\\[click\\](javascript:alert(1))"
    assert markdown("a | b") == "a \\| b"
    assert markdown("# heading") == "\\# heading"
    assert markdown("北京") == "北京"


def test_markdown_link_only_for_web_addresses() -> None:
    """Only http, https and mailto addresses become links."""
    assert markdown_link("Gov", "https://example.org/a b") == "[Gov](https://example.org/a%20b)"
    assert markdown_link("x", "javascript:alert(1)") == "x (javascript:alert(1))"
    assert markdown_link("x", None) == "x"
    assert markdown_link("x", "https://e.org/)](javascript:1)").startswith("[x](https://e.org/%29")


def test_link_addresses_percent_encode_utf8_bytes() -> None:
    """A control character in an address is percent-encoded as its UTF-8 bytes, as URLs are."""
    assert markdown_link("x", "https://e.org/\u202e\x1b") == "[x](https://e.org/%E2%80%AE%1B)"


def test_csv_cell_neutralises_formulas() -> None:
    """Cells a spreadsheet would evaluate get an apostrophe; numbers stay numbers."""
    assert csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("\tx") == "'\tx"
    assert csv_cell("＝1+1") == "'＝1+1"
    assert csv_cell("-5") == "-5"
    assert csv_cell("+3.5%") == "+3.5%"
    assert csv_cell("-") == "'-"
    assert csv_cell("'=x") == "''=x"
    assert csv_cell("plain") == "plain"
    assert csv_cell("'quoted") == "'quoted"


@given(st.text())
def test_csv_round_trip(text: str) -> None:
    """Reading back what was written gives the text unchanged."""
    assert csv_value(csv_cell(text)) == text


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


@given(st.text())
def test_csv_cell_never_starts_a_formula(text: str) -> None:
    """A written cell starts with a formula character only when it is a plain number."""
    cell = csv_cell(text)
    if cell[:1] in set("=+-@\t\r＝＋－＠"):
        assert _NUMBER.fullmatch(cell)


def test_markdown_code_only_for_plain_ids() -> None:
    """An id becomes code unless a backtick or a pipe could end the code or its cell early."""
    assert markdown_code("xiongan-companies") == "`xiongan-companies`"
    assert markdown_code("m`|<b>") == "m\\`\\|&lt;b&gt;"
    assert markdown_code("a\\b") == "`a\\b`"
    assert markdown_code("x\x1b[2J") == "`x\\x1b[2J`"


def test_json_text_escapes_as_json() -> None:
    """Unsafe characters become JSON escapes; newlines between lines stay."""
    document = json.dumps({"t": "a\x9b\u202e\x7f\ud800"}, ensure_ascii=False, indent=1)
    assert json_text(document) == '{\n "t": "a\\u009b\\u202e\\u007f\\ud800"\n}'


@given(st.text())
def test_json_text_reads_back_unchanged_and_is_safe(text: str) -> None:
    """The escaped document means the same and holds no unsafe character but newlines."""
    document = json.dumps({"k": text, text: [text]}, ensure_ascii=False, indent=2)
    safe = json_text(document)
    assert json.loads(safe) == json.loads(document)
    assert terminal(safe, newlines=True) == safe
