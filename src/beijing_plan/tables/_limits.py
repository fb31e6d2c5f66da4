"""How far reading an XLSX workbook from untrusted hands may go.

Every limit of the reader is here, checked before the work it bounds is done:
the bytes decompressed (alone, together, and against the compressed size, for
zip bombs), the XML elements parsed, and the rows, columns, cells, shared
strings and characters of a sheet.
"""

from __future__ import annotations

__all__ = [
    "MAX_CELLS",
    "MAX_CELL_TEXT",
    "MAX_COLUMNS",
    "MAX_ELEMENTS_PER_BYTE",
    "MAX_EXPANSION",
    "MAX_PARTS_BYTES",
    "MAX_ROWS",
    "MAX_SHARED_STRINGS",
    "MIN_ELEMENTS",
    "SMALL_PART",
]

#: The last row a sheet may have a value in.
MAX_ROWS = 100_000
#: The last column a sheet may have a value in (200 is column GR).
MAX_COLUMNS = 200
#: The cells (`<c>` elements, blank or not) a sheet may hold.
MAX_CELLS = 2_000_000
#: The shared strings a workbook may hold (reading stops at the last one the sheet uses).
MAX_SHARED_STRINGS = 1_000_000
#: The characters of one cell's text, as in Excel.
MAX_CELL_TEXT = 32_767
#: The bytes of all the parts read, decompressed, together.
MAX_PARTS_BYTES = 256 * 2**20
#: How many times a part larger than `SMALL_PART` may expand when decompressed.
MAX_EXPANSION = 100
#: XML elements a sheet part may hold per byte of its compressed size (a real sheet
#: holds about one), and at least `MIN_ELEMENTS`: this bounds the time a small file
#: can take, whatever its elements are.
MAX_ELEMENTS_PER_BYTE = 2
#: The XML elements any sheet part may hold, however small it is compressed.
MIN_ELEMENTS = 200_000
#: Parts up to this size may expand any amount (a tiny part compresses very well).
SMALL_PART = 2**20
