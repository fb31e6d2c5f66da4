"""Text made safe for where it is shown: a terminal, Markdown, a CSV cell.

Every text output of the library passes its texts (titles, notes, ids, file
names, sources) through one of these functions, so that a plan or a sheet cannot
act on the program that shows it:

- [`terminal`][beijing_plan._safe.terminal]: control characters (C0, DEL, C1),
  bidirectional controls (Trojan Source), line and paragraph separators and lone
  surrogates are shown escaped, as `\\x1b` or `\\u202e`; every printable
  character, Chinese included, is kept. Optionally newlines are kept.
- [`markdown`][beijing_plan._safe.markdown]: the terminal rule, then HTML's
  `&`, `<` and `>` as entities and Markdown's marks (`|`, `*`, `[`, a backtick
  ...) behind a backslash, so that a title can neither inject HTML nor open a
  link. [`markdown_link`][beijing_plan._safe.markdown_link] writes a link only
  for `http`, `https` and `mailto` addresses;
  [`markdown_code`][beijing_plan._safe.markdown_code] writes an id as code when
  nothing in it can end the code early.
- [`html_text`][beijing_plan._safe.html_text]: the terminal rule, then `&`,
  `<`, `>` and both quotes as entities, for the text of an element or a quoted
  attribute. [`html_link`][beijing_plan._safe.html_link] writes a link only for
  `http` and `https` addresses, with `rel="noopener noreferrer"`.
- [`json_text`][beijing_plan._safe.json_text]: the terminal rule for a JSON
  document, written as JSON's own `\\u` escapes so that the document reads
  back unchanged.
- [`csv_cell`][beijing_plan._safe.csv_cell]: a cell that a spreadsheet would
  evaluate (one starting with `=`, `+`, `-`, `@`, a tab or a carriage return,
  or their full-width forms) gets a leading apostrophe, as OWASP advises; plain
  numbers such as `-5` or `+3.5%` are left alone. The library's own readers undo
  it with [`csv_value`][beijing_plan._safe.csv_value], so every text reads back
  unchanged. A text that already starts with apostrophes before such a character
  gets one more, which keeps the rule reversible.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = [
    "csv_cell",
    "csv_value",
    "html_link",
    "html_text",
    "json_text",
    "markdown",
    "markdown_code",
    "markdown_link",
    "terminal",
]

#: Bidirectional controls: marks, embeddings, overrides and isolates.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: Characters that end a line in some programs but are not control characters.
_SEPARATORS = frozenset("\u2028\u2029")

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")  # and their full-width forms
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")

#: Addresses that may become links in Markdown.
_LINK_SCHEMES = ("http://", "https://", "mailto:")
#: Addresses that may become links in HTML.
_WEB_SCHEMES = ("http://", "https://")
#: Characters of an address that are percent-encoded in a link.
_URL_QUOTED = frozenset("()<> \"'`\\")
#: Markdown's marks that are escaped with a backslash.
_MARKDOWN_MARKS = frozenset("\\`*_[]|~")
#: Marks that only start a block (a heading, a list) and are escaped at the start.
_MARKDOWN_STARTS = frozenset("#+-=")
_MARKDOWN_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: What `json_text` escapes: the characters of `_unsafe` but the newline.
_JSON_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029" + "".join(sorted(BIDI_CONTROLS)) + "]"
)
#: Characters that end a code span or the table cell it stands in.
_CODE_ENDS = frozenset("`|")


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _unsafe(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Cc", "Cs") or char in BIDI_CONTROLS or char in _SEPARATORS


def terminal(text: str, *, newlines: bool = False) -> str:
    """`text` with every character that could act on a terminal shown escaped.

    Args:
        text: any text, such as a title from a plan file.
        newlines: keep `\\n` as a line break (for multi-line explanations);
            otherwise it is shown as `\\x0a`, so that one value stays on one line.

    Returns:
        The text, unchanged where it holds only printable characters.
    """
    if text.isprintable():
        return text
    return "".join(
        _escaped(char) if _unsafe(char) and not (newlines and char == "\n") else char
        for char in text
    )


def json_text(document: str) -> str:
    """A JSON document with every character that [`terminal`][beijing_plan._safe.terminal]
    would escape written as a JSON `\\u` escape.

    Such characters can stand only inside the document's strings, where the
    escape means the same character, so the document reads back unchanged;
    the newlines between its lines are kept.
    """
    if document.isascii() and "\x7f" not in document:  # JSON escapes the other controls
        return document
    return _JSON_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", document)


def markdown(text: str) -> str:
    """`text` for Markdown, a table cell included: shown as written, never as markup."""
    parts: list[str] = []
    safe = terminal(text)
    if safe[:1] in _MARKDOWN_STARTS:
        parts.append("\\")
    for char in safe:
        if char in _MARKDOWN_ENTITIES:
            parts.append(_MARKDOWN_ENTITIES[char])
        elif char in _MARKDOWN_MARKS:
            parts.append("\\" + char)
        else:
            parts.append(char)
    return "".join(parts)


def markdown_code(text: str) -> str:
    """`text` as Markdown code (an id in a table cell), or as escaped text.

    A text holding a backtick or a pipe cannot be code that keeps to its table
    cell, so it is written as [`markdown`][beijing_plan._safe.markdown]
    writes it.
    """
    safe = terminal(text)
    if not safe or set(safe) & _CODE_ENDS:
        return markdown(text)
    return f"`{safe}`"


def markdown_link(title: str, url: str | None) -> str:
    """A Markdown link to `url` named `title`, or the escaped title alone.

    Only `http`, `https` and `mailto` addresses become links, so that a source
    cannot carry a `javascript:` or `data:` link; characters that would end the
    address early are percent-encoded.
    """
    shown = markdown(title)
    if url is None or not url.lower().startswith(_LINK_SCHEMES):
        return shown if url is None else f"{shown} ({markdown(url)})"
    return f"[{shown}]({_quoted(url)})"


def _quoted(url: str) -> str:
    """`url` with the characters that could end it early, or act on a reader, percent-encoded.

    Each is written as the percent-encoded bytes of its UTF-8 form (`%E2%80%AE`
    for U+202E), as an address holds them.
    """
    return "".join(
        "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
        if char in _URL_QUOTED or _unsafe(char)
        else char
        for char in url
    )


def html_text(text: str, *, newlines: bool = False) -> str:
    """`text` for HTML, in an element or a quoted attribute: shown as written, never as markup.

    Args:
        text: any text, such as a title from a plan file.
        newlines: keep `\\n` (for a `<pre>` block), as
            [`terminal`][beijing_plan._safe.terminal] does.
    """
    return html.escape(terminal(text, newlines=newlines), quote=True)


def html_link(title: str, url: str | None) -> str:
    """An HTML link to `url` named `title`, or the escaped title with the address as text.

    Only `http` and `https` addresses become links, with `rel="noopener
    noreferrer"`, so that a source can carry neither a `javascript:` nor a
    `data:` link, nor tell the page it came from.
    """
    shown = html_text(title)
    if url is None:
        return shown
    if not url.lower().startswith(_WEB_SCHEMES):
        return f"{shown} ({html_text(url)})"
    return (
        f'<a href="{html.escape(_quoted(url), quote=True)}" rel="noopener noreferrer">{shown}</a>'
    )


def _formula_like(text: str) -> bool:
    bare = text.lstrip("'")
    return bool(bare) and bare[0] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(bare)


def csv_cell(text: str) -> str:
    """`text` as a CSV cell that no spreadsheet evaluates.

    [`csv_value`][beijing_plan._safe.csv_value] undoes it.
    """
    return "'" + text if _formula_like(text) else text


def csv_value(cell: str) -> str:
    """The text that [`csv_cell`][beijing_plan._safe.csv_cell] wrote as `cell`."""
    return cell[1:] if cell.startswith("'") and _formula_like(cell) else cell
