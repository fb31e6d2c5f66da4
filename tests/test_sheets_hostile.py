"""Hostile task and progress sheets: malformed or oversized workbooks, formulas, escaping.

Each hostile workbook is made from a valid one that the library writes, by
changing its XML parts with `zipfile`, so that everything but the one fault is
as a real workbook has it.
"""

from __future__ import annotations

import io
import random
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from beijing_plan._safe import _PLAIN_NUMBER, FORMULA_STARTS
from beijing_plan.exceptions import PlanValidationError
from beijing_plan.ledger import Ledger, Observation, Status, StatusChange
from beijing_plan.model import Source, Task
from beijing_plan.tables import read_progress, read_tasks, write_progress, write_tasks
from beijing_plan.tables._cells import source_of
from beijing_plan.tables._limits import MAX_CELL_TEXT, MAX_COLUMNS, MAX_ROWS
from beijing_plan.tables._sheets import read_rows, write_rows
from beijing_plan.units import Quantity

SHEET = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"
RELS = "xl/_rels/workbook.xml.rels"
STYLES = "xl/styles.xml"
STRINGS = "xl/sharedStrings.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"

LEDGER = Ledger(
    [
        Observation("g", pendulum.Date(2025, 6, 30), Quantity(12345, "个"), note="按期推进"),
        StatusChange("t", pendulum.Date(2025, 6, 30), Status.IN_PROGRESS, percent=40),
    ]
)


def valid_workbook(path: Path) -> Path:
    """A progress workbook as the library writes it: sheet 进展, inline strings, a date style."""
    write_progress(LEDGER, path)
    return path


def rewrite(path: Path, parts: dict[str, bytes | None]) -> Path:
    """Replace (or, with None, remove) parts of the workbook at ``path``, in place."""
    with zipfile.ZipFile(path) as archive:
        kept = {i.filename: archive.read(i) for i in archive.infolist()}
    for name, data in parts.items():
        if data is None:
            kept.pop(name, None)
        else:
            kept[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in kept.items():
            archive.writestr(name, data)
    return path


def part(path: Path, name: str) -> str:
    """One part of a workbook, as text."""
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode()


def edit(path: Path, name: str, change: Callable[[str], str]) -> Path:
    """Change one part of the workbook at ``path`` by ``change``, which must change it."""
    before = part(path, name)
    after = change(before)
    assert after != before
    return rewrite(path, {name: after.encode()})


def with_shared_strings(path: Path, strings: bytes) -> Path:
    """The workbook with cell A2 ('g') read from shared string 0 of the part ``strings``."""
    rels = part(path, RELS).replace(
        "</Relationships>",
        f'<Relationship Id="rIdS" Type="{STRINGS_TYPE}" Target="sharedStrings.xml"/>'
        "</Relationships>",
    )
    sheet = part(path, SHEET).replace(
        '<c r="A2" t="inlineStr"><is><t>g</t></is></c>', '<c r="A2" t="s"><v>0</v></c>'
    )
    return rewrite(path, {RELS: rels.encode(), SHEET: sheet.encode(), STRINGS: strings})


def sst(*items: str) -> bytes:
    """A shared strings part holding ``items``."""
    body = "".join(f"<si><t>{item}</t></si>" for item in items)
    return f'<sst xmlns="{MAIN}" count="{len(items)}">{body}</sst>'.encode()


def problems_of(path: Path) -> list[tuple[str, str]]:
    """The problems reading the progress sheet at ``path`` raises."""
    with pytest.raises(PlanValidationError) as caught:
        read_progress(path)
    return caught.value.problems


# -- 1. malformed workbooks ----------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def test_the_valid_workbook_reads(tmp_path: Path) -> None:
    """The workbook the hostile ones are made from reads back as written."""
    assert read_progress(valid_workbook(tmp_path / "progress.xlsx")) == LEDGER


#: Where the truncated sheet is cut: just after ``<sheetData>``, all ASCII before it.
CUT = 858

MALFORMED: dict[str, Callable[[Path], Path]] = {
    "truncated sheet": lambda p: rewrite(p, {SHEET: part(p, SHEET).encode()[:CUT]}),
    "billion laughs": lambda p: edit(
        p, SHEET, lambda s: LAUGHS + s.replace("<t>按期推进</t>", "<t>&lol3;</t>")
    ),
    "external entity": lambda p: with_shared_strings(
        p, (EXTERNAL + f'<sst xmlns="{MAIN}"><si><t>&xxe;</t></si></sst>').encode()
    ),
    "reference !!": lambda p: edit(p, SHEET, lambda s: s.replace('r="A2"', 'r="!!"')),
    "reference ZZZZZZ2": lambda p: edit(p, SHEET, lambda s: s.replace('r="A2"', 'r="ZZZZZZ2"')),
    "shared string out of range": lambda p: with_shared_strings(p, sst()),
    "style out of range": lambda p: edit(p, SHEET, lambda s: s.replace('s="2"', 's="99"', 1)),
    "no sheet": lambda p: edit(p, WORKBOOK, lambda s: re.sub("<sheet [^>]*/>", "", s)),
    "bad workbook part": lambda p: rewrite(p, {WORKBOOK: b"<workbook"}),
    "bad relationships": lambda p: rewrite(p, {RELS: b"\xff\xfe garbage"}),
    "bad styles": lambda p: edit(p, STYLES, lambda s: s.replace('numFmtId="164"', 'numFmtId="x"')),
    "missing sheet part": lambda p: rewrite(p, {SHEET: None}),
    "NaN number": lambda p: edit(p, SHEET, lambda s: s.replace("<v>12345</v>", "<v>NaN</v>")),
    "hex number": lambda p: edit(p, SHEET, lambda s: s.replace("<v>12345</v>", "<v>0x10</v>")),
    "infinite number": lambda p: edit(
        p, SHEET, lambda s: s.replace("<v>12345</v>", "<v>1e999</v>")
    ),
    "date beyond the calendar": lambda p: edit(
        p, SHEET, lambda s: s.replace("<v>45838</v>", "<v>1e300</v>", 1)
    ),
    "bad boolean": lambda p: edit(
        p, SHEET, lambda s: s.replace('t="n"><v>12345</v>', 't="b"><v>7</v>')
    ),
}

#: The place each fault is reported at, after the file name.
WHERE = {
    "reference !!": ", sheet 进展, row 2",
    "reference ZZZZZZ2": ", sheet 进展, row 2",
    "shared string out of range": ", sheet 进展, cell A2",
    "style out of range": ", sheet 进展, cell B2",
    "NaN number": ", sheet 进展, cell E2",
    "hex number": ", sheet 进展, cell E2",
    "infinite number": ", sheet 进展, cell E2",
    "date beyond the calendar": ", sheet 进展, cell B2",
    "bad boolean": ", sheet 进展, cell E2",
}


@pytest.mark.parametrize("fault", sorted(MALFORMED))
def test_a_malformed_workbook_is_refused_naming_where(tmp_path: Path, fault: str) -> None:
    """Each malformed workbook raises our error naming the file and, where known, sheet and cell."""
    path = MALFORMED[fault](valid_workbook(tmp_path / "progress.xlsx"))
    ((where, message),) = problems_of(path)
    if fault in WHERE:
        assert where == f"{path}{WHERE[fault]}"
    else:
        assert str(path) in where + message
    assert message


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("reference ZZZZZZ2", "'ZZZZZZ2' is not a cell reference"),
        ("reference !!", "'!!' is not a cell reference"),
        ("shared string out of range", "shared string 0 is not one of the workbook's 0"),
        ("style out of range", "style '99' is not one of the workbook's (3 styles)"),
        ("NaN number", "'NaN' is not a number"),
        ("hex number", "'0x10' is not a number"),
        ("infinite number", "'1e999' is beyond the numbers a spreadsheet holds"),
        ("no sheet", "the workbook has no worksheet"),
        ("billion laughs", "it declares a DTD or entities, which a workbook never needs"),
        ("external entity", "it declares a DTD or entities, which a workbook never needs"),
    ],
)
def test_the_messages_of_malformed_workbooks(tmp_path: Path, fault: str, message: str) -> None:
    """The faults a clerk can act on are told in plain words."""
    path = MALFORMED[fault](valid_workbook(tmp_path / "progress.xlsx"))
    ((_, said),) = problems_of(path)
    assert said.endswith(message)


def test_truncated_xml_names_the_part_and_position(tmp_path: Path) -> None:
    """XML cut short is reported with its part and where the parser stopped."""
    path = valid_workbook(tmp_path / "progress.xlsx")
    assert part(path, SHEET).index("<sheetData>") + len("<sheetData>") == CUT
    MALFORMED["truncated sheet"](path)
    assert problems_of(path) == [
        (
            str(path),
            "not a readable XLSX workbook (part 'xl/worksheets/sheet1.xml'): "
            f"it is not well-formed XML (line 1, column {CUT})",
        )
    ]


def test_shared_strings_are_read(tmp_path: Path) -> None:
    """A cell that refers to a shared string reads as that string (and rich text as its runs)."""
    path = with_shared_strings(
        valid_workbook(tmp_path / "progress.xlsx"),
        f'<sst xmlns="{MAIN}"><si><r><t>g</t></r><rPh><t>ji</t></rPh></si></sst>'.encode(),
    )
    assert read_progress(path) == LEDGER


# -- 2. limits -------------------------------------------------------------------------------

#: Seconds after which a read counts as hung: the old reader took minutes on these files.
#: Tracing memory slows a read several times, and the machine may be busy.
HANG = 60


def _bounded(read: Callable[[], object]) -> tuple[float, int]:
    """Seconds and peak bytes of memory that ``read`` takes (it must raise our error)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(PlanValidationError):
            read()
        return time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_wide_sheet_is_refused_at_its_first_cell_beyond_the_limit(tmp_path: Path) -> None:
    """20,000 rows with one cell in column XFD are refused fast, at the first such cell."""
    path = valid_workbook(tmp_path / "progress.xlsx")
    rows = "".join(
        f'<row r="{n}"><c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(1, 20_001)
    )
    rewrite(
        path,
        {SHEET: f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()},
    )
    assert path.stat().st_size < 200_000
    seconds, peak = _bounded(lambda: read_progress(path))
    assert seconds < HANG  # the speed itself: benchmarks/bench_hostile.py
    assert peak < 50 * 2**20
    assert problems_of(path) == [
        (f"{path}, sheet 进展, cell XFD1", "a sheet may have at most 200 columns (A to GR)")
    ]


def test_millions_of_shared_strings_are_refused_before_decompressing(tmp_path: Path) -> None:
    """5 million shared strings packed into a few hundred KB are refused as a zip bomb, fast."""
    path = with_shared_strings(valid_workbook(tmp_path / "progress.xlsx"), sst("g"))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(STRINGS + ".tmp", b"")  # the real part is replaced below
    with zipfile.ZipFile(path) as archive:
        kept = {i.filename: archive.read(i) for i in archive.infolist() if i.filename != STRINGS}
    kept.pop(STRINGS + ".tmp")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in kept.items():
            archive.writestr(name, data)
        with archive.open(STRINGS, "w", force_zip64=True) as stream:
            stream.write(f'<sst xmlns="{MAIN}"><si><t>g</t></si>'.encode())
            chunk = b"<si><t>a</t></si>" * 100_000
            for _ in range(50):
                stream.write(chunk)
            stream.write(b"</sst>")
    assert path.stat().st_size < 400_000
    seconds, peak = _bounded(lambda: read_progress(path))
    assert seconds < HANG  # the speed itself: benchmarks/bench_hostile.py
    assert peak < 50 * 2**20
    ((where, message),) = problems_of(path)
    assert where == str(path)
    assert message.startswith("its part 'xl/sharedStrings.xml' would expand from ")
    assert message.endswith("a workbook's parts expand at most 100 times")


def test_a_small_sheet_of_many_elements_is_refused_fast(tmp_path: Path) -> None:
    """A sheet part packing 2.4 million stray elements into about 100 KB is refused in seconds."""
    path = valid_workbook(tmp_path / "progress.xlsx")
    # One element in 200 differs, so that the part expands less than 100 times.
    draw = random.Random(1)
    junk = "".join(
        "<x/>" if i % 200 else f"<y a='{draw.randrange(10**9)}'/>" for i in range(2_400_000)
    )
    rewrite(
        path,
        {SHEET: f'<worksheet xmlns="{MAIN}"><sheetData>{junk}</sheetData></worksheet>'.encode()},
    )
    assert path.stat().st_size < 200_000
    seconds, _ = _bounded(lambda: read_progress(path))
    assert seconds < HANG  # the speed itself: benchmarks/bench_hostile.py
    ((where, message),) = problems_of(path)
    assert where == f"{path}, sheet 进展"
    assert message.startswith("its part 'xl/worksheets/sheet1.xml' holds more than 2 XML elements")


def test_shared_strings_are_read_only_as_far_as_the_sheet_uses_them(tmp_path: Path) -> None:
    """A long shared string table that compresses normally is read up to the last string used."""
    many = [f"s{n}" for n in range(1, 200_000)]
    path = with_shared_strings(valid_workbook(tmp_path / "progress.xlsx"), sst("g", *many))
    start = time.perf_counter()
    assert read_progress(path) == LEDGER
    assert time.perf_counter() - start < 2


def test_a_value_below_the_last_row_is_refused(tmp_path: Path) -> None:
    """A value in row 100,001 is refused; a blank formatted cell there is ignored."""
    path = valid_workbook(tmp_path / "progress.xlsx")
    far = MAX_ROWS + 1
    blank = f'<row r="{far}"><c r="A{far}" s="1"/></row>'
    edit(path, SHEET, lambda s: s.replace("</sheetData>", blank + "</sheetData>"))
    assert read_progress(path) == LEDGER
    value = f'<row r="{far + 1}"><c r="A{far + 1}" t="inlineStr"><is><t>x</t></is></c></row>'
    edit(path, SHEET, lambda s: s.replace("</sheetData>", value + "</sheetData>"))
    assert problems_of(path) == [
        (f"{path}, sheet 进展, cell A{far + 1}", "a sheet may have at most 100,000 rows")
    ]


def test_a_cell_text_beyond_excel_s_length_is_refused(tmp_path: Path) -> None:
    """Text longer than the 32,767 characters of an Excel cell is refused at its cell."""
    path = valid_workbook(tmp_path / "progress.xlsx")
    long = "长" * (MAX_CELL_TEXT + 1)
    edit(path, SHEET, lambda s: s.replace("<t>按期推进</t>", f"<t>{long}</t>"))
    assert problems_of(path) == [
        (
            f"{path}, sheet 进展, cell G2",
            "the text has 32,768 characters; a cell holds at most 32,767",
        )
    ]
    assert MAX_COLUMNS == 200


# -- 3. formulas without a computed value ------------------------------------------------------


def test_a_formula_without_a_computed_value_is_refused_at_its_cell(tmp_path: Path) -> None:
    """A formula a script wrote, never computed, is refused naming the cell, not read as blank."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "进展"
    sheet.append(["编号", "日期", "进展", "完成比例", "数值", "单位"])
    sheet.append(["t", "2025-06-30", "推进中", 40, None, None])
    sheet.append(["u", "2025-06-30", "推进中", 50, None, None])
    sheet.append(["v", "2025-06-30", "推进中", "=E4/F4", 1, 2])
    path = tmp_path / "progress.xlsx"
    book.save(path)
    assert problems_of(path) == [
        (
            f"{path}, sheet 进展, cell D4",
            "a formula without a computed value ('=E4/F4'); open and save the file in a "
            "spreadsheet program, or type the value",
        )
    ]


def test_a_formula_with_a_computed_value_reads_as_the_value(tmp_path: Path) -> None:
    """A formula that a spreadsheet program computed reads as its value."""
    path = valid_workbook(tmp_path / "progress.xlsx")
    edit(path, SHEET, lambda s: s.replace("<v>12345</v>", "<f>12000+345</f><v>12345</v>"))
    assert read_progress(path) == LEDGER


# -- 4. cells the writer must refuse -------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("任务\ufffe", "'任务\\ufffe' has a character an XLSX cell cannot hold ('\\ufffe')"),
        ("任务\uffff", "'任务\\uffff' has a character an XLSX cell cannot hold ('\\uffff')"),
        ("任务\x1b", "'任务\\x1b' has a control character an XLSX cell cannot hold"),
    ],
)
def test_characters_xml_cannot_hold_are_refused_before_writing(
    tmp_path: Path, title: str, message: str
) -> None:
    """U+FFFE, U+FFFF and control characters are refused with the path; no file is made."""
    with pytest.raises(PlanValidationError) as caught:
        write_tasks([Task("1", title)], tmp_path / "t.xlsx")
    assert caught.value.problems == [("tasks[0].title", message)]
    assert list(tmp_path.iterdir()) == []


def test_text_longer_than_a_cell_is_refused_before_writing(tmp_path: Path) -> None:
    """A text longer than 32,767 characters is refused in XLSX rather than cut."""
    title = "长" * (MAX_CELL_TEXT + 1)
    with pytest.raises(PlanValidationError) as caught:
        write_tasks([Task("1", title)], tmp_path / "t.xlsx")
    assert caught.value.problems == [
        ("tasks[0].title", "the text has 32,768 characters; an XLSX cell holds at most 32,767")
    ]
    assert list(tmp_path.iterdir()) == []
    write_tasks([Task("1", "长" * MAX_CELL_TEXT)], tmp_path / "t.xlsx")
    assert read_tasks(tmp_path / "t.xlsx", year=None) == (Task("1", "长" * MAX_CELL_TEXT),)


def test_a_csv_cell_the_reader_would_refuse_is_refused_before_writing(tmp_path: Path) -> None:
    """A CSV cell beyond the reader's 131,072 characters is refused with the path."""
    title = "长" * 131_073
    with pytest.raises(PlanValidationError) as caught:
        write_tasks([Task("1", title)], tmp_path / "t.csv")
    assert caught.value.problems == [
        ("tasks[0].title", "the text has 131,073 characters; a CSV cell holds at most 131,072")
    ]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("title", ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-A1"])
def test_xlsx_text_is_never_a_formula(tmp_path: Path, title: str) -> None:
    """Text that looks like a formula is a text cell in XLSX, and reads back unchanged."""
    write_tasks([Task("1", title)], tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert sheet is not None
    assert sheet["B2"].data_type == "s"
    assert "<f>" not in part(tmp_path / "t.xlsx", SHEET)
    assert read_tasks(tmp_path / "t.xlsx", year=None) == (Task("1", title),)


# -- 5. formula injection in CSV -------------------------------------------------------------


def test_csv_cells_a_spreadsheet_would_evaluate_are_escaped(tmp_path: Path) -> None:
    """A title starting with = is written behind an apostrophe and reads back unchanged."""
    tasks = (Task("1", '=HYPERLINK("http://evil.example","点击")'), Task("2", "-5"))
    write_tasks(tasks, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[1:] == [
        '1,"\'=HYPERLINK(""http://evil.example"",""点击"")",,,,',
        "2,-5,,,,",
    ]
    assert read_tasks(tmp_path / "t.csv", year=None) == tasks


def test_progress_csv_notes_and_sources_are_escaped(tmp_path: Path) -> None:
    """Notes and sources starting with @ or + are escaped in a progress CSV and read back."""
    ledger = Ledger(
        [
            StatusChange(
                "t",
                pendulum.Date(2025, 6, 30),
                Status.DONE,
                note="@cmd|' /C calc'!A0",
                source=Source("+报告"),
            )
        ]
    )
    write_progress(ledger, tmp_path / "p.csv")
    row = (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert "'@cmd" in row
    assert ",'+报告" in row
    assert read_progress(tmp_path / "p.csv") == ledger


@given(
    start=st.sampled_from([*sorted(FORMULA_STARTS), "'", "''="]),
    rest=st.text(st.characters(codec="utf-8"), max_size=20),
)
def test_csv_text_cells_read_back_unchanged(start: str, rest: str) -> None:
    """Any text starting with a formula character, or apostrophes, survives a CSV round trip;
    only a plain signed number (`+0`, `-1.5`), which a spreadsheet reads as that number, is
    written as it is."""
    text = start + rest
    buffer = io.BytesIO()
    write_rows(buffer, [["a"], [text]], format="csv", title="t")
    written = buffer.getvalue().decode("utf-8-sig")
    cell = written.split("\r\n", 1)[1].lstrip('"')
    if not _PLAIN_NUMBER.fullmatch(text):
        assert not cell.startswith(tuple(FORMULA_STARTS))
    buffer.seek(0)
    assert read_rows(buffer, format="csv", sheet=None, encoding="utf-8-sig") == [
        (1, ("a",)),
        (2, (text,)),
    ]


# -- 6. a source cell of many URLs -------------------------------------------------------


@pytest.mark.parametrize("repeats", [18_000, 72_000])
def test_a_source_of_many_url_starts_is_read_in_linear_time(repeats: int) -> None:
    """A source cell of thousands of 'http://' and no URL at the end is read fast, as a title."""
    text = "http://" * repeats + " x"
    start = time.perf_counter()
    assert source_of(text) == Source(text)
    assert time.perf_counter() - start < 0.5


def test_a_progress_sheet_with_a_huge_source_reads_fast(tmp_path: Path) -> None:
    """The same cell in a progress sheet is read in well under a second."""
    source = "http://" * 18_000 + " x"
    path = tmp_path / "p.csv"
    path.write_text(f"编号,日期,进展,来源\nt,2025-06-30,已完成,{source}\n", encoding="utf-8")
    start = time.perf_counter()
    (record,) = read_progress(path)
    assert record.source == Source(source)
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize(
    ("text", "title", "url"),
    [
        ("国务院公报 https://www.gov.cn/x", "国务院公报", "https://www.gov.cn/x"),
        ("https://www.gov.cn/x", "https://www.gov.cn/x", "https://www.gov.cn/x"),
        ("报告http://a.cn", "报告", "http://a.cn"),
        ("报告 ahttp://http://a", "报告 a", "http://http://a"),
        ("报告 http://", "报告 http://", None),
        ("报告 HTTP://a.cn", "报告 HTTP://a.cn", None),
        ("报告\thttps://a.cn/路", "报告", "https://a.cn/路"),
    ],
)
def test_a_url_at_the_end_of_a_source_is_split_off(text: str, title: str, url: str | None) -> None:
    """The URL is the last run without spaces from its first http:// or https://, as before."""
    assert source_of(text) == Source(title, url=url)
