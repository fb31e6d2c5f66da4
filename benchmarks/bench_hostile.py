"""Time hostile inputs against honest inputs of the same size, in one process.

Run: `python benchmarks/bench_hostile.py`. Each row is a hostile input that
once took seconds or minutes (a chain of themes, a theme cycle, a sheet with a
cell in column XFD on every row, a sheet part packed with stray elements, a
zip bomb of shared strings, a source cell of many `http://`), its time (best
of several runs), the time of an honest input of about the same size, and the
ratio of the two. A ratio near 1 or below means the bad input costs no more
than a good one: it is refused by a bound checked before the work. The tests
only guard against a hang; this script is where the speed is measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import beijing_plan as bp
from beijing_plan.tables import read_progress, write_progress

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def best(run: Callable[[], object], repeat: int) -> float:
    """The best time of `repeat` runs of `run`; our error counts as a finished run."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.suppress(bp.PlanValidationError):
            run()
        times.append(time.perf_counter() - start)
    return min(times)


def plan_text(themes: list[dict[str, str]]) -> str:
    """A plan document holding `themes` and nothing else."""
    document: dict[str, object] = {"schema": "beijing-plan/1", "kind": "plan", "id": "p"}
    document |= {"title": "P", "start": "2025-01-01", "end": "2025-12-31", "themes": themes}
    return json.dumps(document)


def themes(count: int, parent: Callable[[int], str | None]) -> list[dict[str, str]]:
    """`count` themes, each with the parent `parent(i)` gives (none for `None`)."""
    made = []
    for i in range(count):
        theme = {"id": f"th{i}", "title": f"Theme {i}"}
        above = parent(i)
        if above is not None:
            theme["parent"] = above
        made.append(theme)
    return made


def workbook(folder: Path, name: str, parts: dict[str, bytes]) -> Path:
    """A progress workbook the library writes, with `parts` replaced."""
    path = folder / name
    write_progress(bp.Ledger([]), path)
    with zipfile.ZipFile(path) as archive:
        content = {part: archive.read(part) for part in archive.namelist()}
    content |= parts
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in content.items():
            archive.writestr(part, data)
    return path


def honest_workbook(folder: Path, size: int) -> Path:
    """A valid progress workbook of about `size` bytes."""
    records = [
        bp.StatusChange(f"t{i}", "2025-06-30", "in_progress", percent=i % 100, note=f"说明 {i}")
        for i in range(max(size // 25, 1))
    ]
    path = folder / "honest.xlsx"
    write_progress(bp.Ledger(records), path)
    return path


def sheet(data: str) -> dict[str, bytes]:
    """The first worksheet part holding `data` as its sheet data."""
    text = f'<worksheet xmlns="{MAIN}"><sheetData>{data}</sheetData></worksheet>'
    return {"xl/worksheets/sheet1.xml": text.encode()}


Case = tuple[str, Callable[[], object], int, Callable[[], object], int]


def cases(folder: Path) -> list[Case]:
    """Each hostile input with an honest one of about its size, each with its bytes."""
    chain = plan_text(themes(4000, lambda i: f"th{i - 1}" if i else None))
    cycle = plan_text(themes(1500, lambda i: f"th{(i + 1) % 1500}"))
    flat_chain = plan_text(themes(4000, lambda i: None))
    flat_cycle = plan_text(themes(1500, lambda i: None))

    wide_rows = "".join(
        f'<row r="{n}"><c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(1, 20_001)
    )
    wide = workbook(folder, "wide.xlsx", sheet(wide_rows))
    draw = random.Random(1)
    junk = "".join(
        "<x/>" if i % 200 else f"<y a='{draw.randrange(10**9)}'/>" for i in range(2_400_000)
    )
    packed = workbook(folder, "packed.xlsx", sheet(junk))
    strings = "<si><t/></si>" * 5_000_000
    bomb = workbook(
        folder,
        "bomb.xlsx",
        {"xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{strings}</sst>'.encode()},
    )
    honest = honest_workbook(folder, max(wide.stat().st_size, packed.stat().st_size))

    source = folder / "source.csv"
    source.write_text(
        "编号,日期,进展,来源\nt,2025-06-30,已完成," + "http://" * 18_000 + " x\n", encoding="utf-8"
    )
    plain = folder / "plain.csv"
    plain.write_text(
        "编号,日期,进展,来源\nt,2025-06-30,已完成," + "a" * 126_002 + "\n", encoding="utf-8"
    )

    def size(path: Path) -> int:
        return path.stat().st_size

    return [
        ("4,000 chained themes", lambda: bp.loads(chain), len(chain),
         lambda: bp.loads(flat_chain), len(flat_chain)),
        ("1,500-theme cycle", lambda: bp.loads(cycle), len(cycle),
         lambda: bp.loads(flat_cycle), len(flat_cycle)),
        ("XLSX: XFD on 20,000 rows", lambda: read_progress(wide), size(wide),
         lambda: read_progress(honest), size(honest)),
        ("XLSX: 2.4M stray elements", lambda: read_progress(packed), size(packed),
         lambda: read_progress(honest), size(honest)),
        ("XLSX: 5M shared strings", lambda: read_progress(bomb), size(bomb),
         lambda: read_progress(honest), size(honest)),
        ("CSV: 18,000 'http://'", lambda: read_progress(source), size(source),
         lambda: read_progress(plain), size(plain)),
    ]  # fmt: skip


def main() -> None:
    """Print one row per hostile input: its time, the honest input's, and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = cases(Path(folder))
        header = f"{'input':<27} {'bytes':>9} {'hostile s':>10} {'honest bytes':>13}"
        print(f"{header} {'honest s':>9} {'ratio':>6}")
        for label, hostile, bad_size, honest, good_size in rows:
            bad, good = best(hostile, args.repeat), best(honest, args.repeat)
            print(
                f"{label:<27} {bad_size:>9,} {bad:>10.3f} {good_size:>13,} {good:>9.3f} "
                f"{bad / good:>6.2f}"
            )


if __name__ == "__main__":
    main()
