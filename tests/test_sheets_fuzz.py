"""Fuzz tests of the spreadsheet readers: whatever a sheet holds, it reads or raises our error.

Random bytes are read as XLSX and CSV; the XML parts of a valid workbook and the
text of a valid CSV file are mutated (bytes flipped, cut short, elements
duplicated or removed). Each read must succeed or raise only
`PlanValidationError`, with a path and a message, within a time bound.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable
from functools import cache

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beijing_plan.exceptions import PlanValidationError
from beijing_plan.ledger import Ledger, Observation, Status, StatusChange
from beijing_plan.model import Source, Task
from beijing_plan.tables import read_progress, read_tasks, write_progress, write_tasks
from beijing_plan.units import Quantity

#: Seconds after which one read counts as hung (the inputs are small; the machine may be busy).
TIME_BOUND = 10.0
#: The parts of a workbook the reader opens.
PARTS = (
    "xl/worksheets/sheet1.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "_rels/.rels",
)
_ELEMENT = re.compile(rb"<(?:c|row|v|is|t|sheet|Relationship|xf|numFmt)\b[^>]*?(?:/>|>.*?</[^>]+>)")

LEDGER = Ledger(
    [
        Observation("g", pendulum.Date(2025, 6, 30), Quantity(12345, "个"), note="按期推进"),
        StatusChange(
            "t",
            pendulum.Date(2025, 6, 30),
            Status.IN_PROGRESS,
            percent=40,
            source=Source("公报", url="https://www.gov.cn/x"),
        ),
    ]
)
TASKS = (Task("1", "=任务一", lead=("发改委", "财政局"), due=pendulum.Date(2025, 6, 30)),)


@cache
def workbook_parts() -> dict[str, bytes]:
    """The parts of a valid progress workbook the library writes."""
    buffer = io.BytesIO()
    write_progress(LEDGER, buffer, format="xlsx")
    with zipfile.ZipFile(buffer) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@cache
def csv_bytes() -> bytes:
    """A valid progress CSV file the library writes."""
    buffer = io.BytesIO()
    write_progress(LEDGER, buffer, format="csv")
    return buffer.getvalue()


def zipped(parts: dict[str, bytes]) -> bytes:
    """A zip archive of ``parts``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_within_bound(data: bytes, fmt: str) -> None:
    """Read ``data`` as tasks and as progress; succeed or raise only our error, quickly."""
    readers: list[Callable[[io.BytesIO], object]] = [
        lambda f: read_progress(f, format=fmt),
        lambda f: read_tasks(f, year=2025, format=fmt),
    ]
    for read in readers:
        start = time.perf_counter()
        problems: list[tuple[str, str]] = []
        try:
            read(io.BytesIO(data))
        except PlanValidationError as error:
            problems = error.problems
        assert time.perf_counter() - start < TIME_BOUND
        assert all(isinstance(p, str) and isinstance(m, str) and m for p, m in problems)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` changed a few times: bytes flipped or added, cut, elements doubled or dropped."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "insert", "cut", "double", "drop"]))
        if kind in ("double", "drop"):
            found = list(_ELEMENT.finditer(data))
            if found:
                match = draw(st.sampled_from(found))
                middle = match[0] * 2 if kind == "double" else b""
                data = data[: match.start()] + middle + data[match.end() :]
                continue
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif data:
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    return data


@given(data=st.binary(max_size=2000), fmt=st.sampled_from(["xlsx", "csv"]))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_random_bytes_read_or_are_refused(data: bytes, fmt: str) -> None:
    """Random bytes as XLSX or CSV give a result or our error, quickly."""
    read_within_bound(data, fmt)


@given(data=st.data(), name=st.sampled_from(PARTS))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_mutated_workbook_parts_read_or_are_refused(data: st.DataObject, name: str) -> None:
    """A valid workbook with one XML part mutated gives a result or our error, quickly."""
    parts = dict(workbook_parts())
    parts[name] = data.draw(mutated(parts[name]))
    read_within_bound(zipped(parts), "xlsx")


@given(data=st.data())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_mutated_workbook_archives_read_or_are_refused(data: st.DataObject) -> None:
    """A valid workbook with its archive bytes mutated gives a result or our error, quickly."""
    read_within_bound(data.draw(mutated(zipped(workbook_parts()))), "xlsx")


@given(data=st.data())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_mutated_csv_reads_or_is_refused(data: st.DataObject) -> None:
    """A valid CSV file mutated gives a result or our error, quickly."""
    read_within_bound(data.draw(mutated(csv_bytes())), "csv")


def test_the_unmutated_files_read_back() -> None:
    """The files the mutations start from are valid and read back as written."""
    assert read_progress(io.BytesIO(zipped(workbook_parts())), format="xlsx") == LEDGER
    assert read_progress(io.BytesIO(csv_bytes()), format="csv") == LEDGER
    buffer = io.BytesIO()
    write_tasks(TASKS, buffer, format="csv")
    assert read_tasks(io.BytesIO(buffer.getvalue()), year=None, format="csv") == TASKS
