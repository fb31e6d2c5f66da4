"""The report page and the notebook HTML in a real browser: headless Chromium.

Each test writes a page, has Chromium (Debian's `chromium` package) take a
screenshot of it, and checks:

- the screenshot is not blank: many colours, and the status colours of the bars
  (the page's inline SVG, the notebook's styled boxes) are drawn;
- the browser's log holds no console message: no script error, and no resource
  refused by the page's Content-Security-Policy (the report page has its own; the
  notebook HTML is wrapped in a page with the same one), so nothing is fetched;
- the Chinese text is drawn with a font that has Chinese glyphs: the screenshot
  differs from the same page with every Chinese character replaced by a code
  point that no font has. Without such a font both are rows of the same empty
  boxes, and the screenshots are the same pixel for pixel.

The tests are skipped, saying which packages to install, when no Chromium is
found; CI (`.ci/run`) installs it with the `fonts-noto-cjk` fonts. Five browser
launches in all, each within a time limit.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import attrs
import pytest
from PIL import Image

from beijing_plan import assess
from beijing_plan._report_page import POLICY
from beijing_plan._words import needs_cjk_font
from helpers import report_plan

BROWSERS = ("chromium", "chromium-browser")
PACKAGES = "chromium fonts-noto-cjk"
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)

pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason=f"no Chromium found (looked for {', '.join(BROWSERS)}): install Debian's packages "
    f"{PACKAGES} (apt-get install --no-install-recommends {PACKAGES}), as .ci/run does",
)

#: Seconds one browser launch may take on a busy machine.
TIMEOUT = 90
WINDOW = (1200, 2000)
#: A code point that no font draws: it stands in for a Chinese character.
NO_GLYPH = "\U0010fffd"
#: The colours of the statuses in the pages, as RGB.
BLUE, GREEN, AMBER, RED = (
    (0x2B, 0x6C, 0xB0),
    (0x2F, 0x85, 0x5A),
    (0xD6, 0x9E, 0x2E),
    (0xC5, 0x30, 0x30),
)
AS_OF = "2025-07-02"


@attrs.frozen
class Shot:
    """A screenshot's pixels (RGB, row by row) and the browser's log."""

    pixels: bytes
    log: str

    def colours(self) -> dict[tuple[int, int, int], int]:
        """How many pixels have each colour."""
        counts: dict[tuple[int, int, int], int] = {}
        data = self.pixels
        for i in range(0, len(data), 3):
            key = (data[i], data[i + 1], data[i + 2])
            counts[key] = counts.get(key, 0) + 1
        return counts

    def console(self) -> list[str]:
        """The lines of the log that report a console message or an uncaught error."""
        return [line for line in self.log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]

    def differing(self, other: Shot) -> int:
        """How many pixels differ between two screenshots of the same size."""
        assert len(self.pixels) == len(other.pixels)
        mine, theirs = self.pixels, other.pixels
        return sum(1 for i in range(0, len(mine), 3) if mine[i : i + 3] != theirs[i : i + 3])


def shoot(page: str, folder: Path) -> Shot:
    """Show `page` in headless Chromium, with no network, and take a screenshot."""
    assert BROWSER is not None
    folder.mkdir()
    path = folder / "page.html"
    path.write_text(page, encoding="utf-8")
    png = folder / "shot.png"
    argv = [
        BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={folder / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        f"--screenshot={png}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        path.as_uri(),
    ]
    process = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        # The browser still runs, so its session is still its own: end it and its helpers.
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"Chromium did not show the page within {TIMEOUT} s")
    # Its helpers share its standard error: that it closed says they are gone too.
    assert process.returncode == 0, err[-3000:]
    with Image.open(png) as image:
        assert image.size == WINDOW
        pixels = image.convert("RGB").tobytes()
    return Shot(pixels, err + out)


def without_chinese(page: str) -> str:
    """`page` with every character that needs a Chinese font replaced by one no font has."""
    return "".join(NO_GLYPH if needs_cjk_font(char) else char for char in page)


def assert_drawn(shot: Shot, colours: tuple[tuple[int, int, int], ...]) -> None:
    """The screenshot is not blank, draws each of `colours`, and the log has no console line."""
    counts = shot.colours()
    white = counts.get((255, 255, 255), 0)
    total = WINDOW[0] * WINDOW[1]
    assert len(counts) >= 32, f"only {len(counts)} colours: the page looks blank"
    assert total - white >= total // 50, "fewer than 2% of the pixels are not white"
    for colour in colours:
        assert counts.get(colour, 0) >= 100, f"the colour {colour} is hardly drawn"
    assert shot.console() == []


def assert_chinese_font(shot: Shot, stripped: Shot) -> None:
    """Chinese is drawn with real glyphs: a font is installed and the pages differ."""
    fonts = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    assert fonts.stdout.strip(), (
        "no font with Chinese glyphs is installed: install Debian's fonts-noto-cjk"
    )
    assert shot.differing(stripped) >= 2000, "Chinese text is drawn as empty boxes"


def test_report_page_in_english_shows_in_chromium(tmp_path: Path) -> None:
    """The English report page draws its tables and coloured bars, with no console message."""
    plan, ledger = report_plan()
    page = assess(plan, ledger, as_of=AS_OF).to_html()
    assert_drawn(shoot(page, tmp_path / "en"), (BLUE, GREEN, AMBER, RED))


def test_report_page_in_chinese_uses_a_chinese_font(tmp_path: Path) -> None:
    """The Chinese report page draws its Chinese text with a font that has its glyphs."""
    plan, ledger = report_plan()
    page = assess(plan, ledger, as_of=AS_OF).to_html(lang="zh")
    shot = shoot(page, tmp_path / "zh")
    stripped = shoot(without_chinese(page), tmp_path / "stripped")
    assert_drawn(shot, (BLUE, GREEN, AMBER, RED))
    assert stripped.console() == []
    assert_chinese_font(shot, stripped)


def test_notebook_html_of_a_plan_and_an_assessment_shows_in_chromium(tmp_path: Path) -> None:
    """The notebook HTML of a plan and of an assessment draws, in a Chinese font, quietly."""
    plan, ledger = report_plan()
    assessment = assess(plan, ledger, as_of=AS_OF)
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        "<title>notebook</title></head><body>"
        f"{plan._repr_html_()}<hr>{assessment._repr_html_()}</body></html>\n"
    )
    shot = shoot(page, tmp_path / "notebook")
    stripped = shoot(without_chinese(page), tmp_path / "stripped")
    # The plan is at risk, the measure and the theme on track, the sub-theme done; the
    # off-track leaves are not in the assessment's default sections.
    assert_drawn(shot, (BLUE, GREEN, AMBER))
    assert stripped.console() == []
    assert_chinese_font(shot, stripped)
