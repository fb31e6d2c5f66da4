"""The workbook archive: its parts opened within the byte budget, read as defused XML.

An XLSX file is a zip archive of XML parts. A part's declared size is checked
before it is decompressed, alone and with the parts read before it, and so is
how far it expands (a zip bomb expands thousands of times; a real sheet a few
dozen). Parts are parsed with `defusedxml`, which refuses DTDs, entity
declarations ("billion laughs") and external entities.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO
from xml.etree.ElementTree import Element

from ._limits import MAX_EXPANSION, MAX_PARTS_BYTES, SMALL_PART

__all__ = ["Book", "ReadError", "local", "relationships", "workbook_part"]

_MAIN = "xl/workbook.xml"
_OFFICE_DOCUMENT = "/officeDocument"


class ReadError(Exception):
    """A problem found while reading, with where it is (a part, a cell) if known."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]


class Book:
    """One workbook archive being read, with the budget of bytes left to decompress."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.budget = MAX_PARTS_BYTES
        self.part = ""  # the part being read, to name in a problem

    def info(self, part: str) -> zipfile.ZipInfo | None:
        try:
            return self.archive.getinfo(part)
        except KeyError:
            return None

    def open(self, part: str) -> IO[bytes]:
        info = self.info(part)
        if info is None:
            raise ReadError(f"its part {part!r} is missing")
        size = info.file_size
        if size > self.budget:
            raise ReadError(
                f"its parts expand to more than {MAX_PARTS_BYTES:,} bytes "
                f"({part!r} alone to {size:,})"
            )
        if size > SMALL_PART and size > MAX_EXPANSION * max(info.compress_size, 1):
            raise ReadError(
                f"its part {part!r} would expand from {info.compress_size:,} to {size:,} bytes; "
                f"a workbook's parts expand at most {MAX_EXPANSION} times"
            )
        self.budget -= size
        self.part = part
        return self.archive.open(info)

    def elements(
        self, part: str, events: tuple[str, ...] = ("end",)
    ) -> Iterator[tuple[str, Element]]:
        """The parse events of a part, as a stream."""
        from defusedxml.ElementTree import iterparse  # noqa: PLC0415 (an optional dependency)

        with self.open(part) as stream:
            yield from iterparse(stream, events=events)

    def tree(self, part: str) -> Element:
        """A whole (small) part."""
        root: Element | None = None
        for _, element in self.elements(part):
            root = element
        assert root is not None  # a parse without a root element raises ParseError
        return root


def relationships(book: Book, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of `part`: id to (type, target part)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if book.info(rels) is None:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for element in book.tree(rels):
        target = element.get("Target")
        if local(element.tag) != "Relationship" or target is None:
            continue
        if element.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found[element.get("Id", "")] = (element.get("Type", ""), posixpath.normpath(path))
    return found


def workbook_part(book: Book) -> str:
    for kind, target in relationships(book, "").values():
        if kind.endswith(_OFFICE_DOCUMENT):
            return target
    return _MAIN
