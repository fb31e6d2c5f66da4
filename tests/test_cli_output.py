"""Tests of the report's output: --width down to its minimum, --output files, Markdown and CSV."""

from __future__ import annotations

import re

import pytest

from beijing_plan import cli
from beijing_plan._render import MIN_WIDTH, Report, build_report, display_width, render_markdown
from beijing_plan.assessment import assess
from beijing_plan.model import Measure, Plan, Task, Text, Theme

AS_OF = "2026-11-29"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command in this process; its exit code, output and error output."""
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- --width ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("by", ["theme", "measure", "leaf"])
@pytest.mark.parametrize("width", [50, 55, 60])
def test_width_is_honoured_down_to_the_minimum(
    capsys: pytest.CaptureFixture[str], lang: str, by: str, width: int
) -> None:
    """A table asked to be 50 to 60 cells wide is no wider, in either language."""
    argv = ["report", "--as-of", AS_OF, "--lang", lang, "--by", by, "--width", str(width)]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert max(display_width(line) for line in out.splitlines()) <= width


def test_the_narrowest_table_drops_the_bars_and_keeps_the_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """At 50 cells the English leaf table has no bars but every figure and status."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--by", "leaf", "--width", "50")
    lines = out.splitlines()
    header = lines[2]
    assert header.split() == ["Item", "Completion", "Expected", "Status", "Coverage"]
    rows = lines[4 : lines.index("", 4) - 2]
    assert not any("\u2591" in line or "\u2588" in line for line in rows)
    assert all(line.split()[-3:-1][0].endswith("%") for line in rows)
    assert display_width(lines[3]) == display_width(header)


def test_a_width_below_the_minimum_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--width 49 exits 2 naming the narrowest table."""
    assert MIN_WIDTH == 50
    code, out, err = run(capsys, "report", "--width", "49")
    assert (code, out) == (2, "")
    assert "argument --width: '49' is narrower than the narrowest table, 50 cells" in err


def test_a_narrow_terminal_gets_the_narrowest_table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A terminal of 30 columns gets the table of 50 cells, the narrowest there is."""
    monkeypatch.setenv("COLUMNS", "30")
    code, out, _ = run(capsys, "report", "--as-of", AS_OF, "--by", "leaf")
    assert code == 0
    assert out == run(capsys, "report", "--as-of", AS_OF, "--by", "leaf", "--width", "50")[1]
    assert 40 < max(display_width(line) for line in out.splitlines()) <= 50


def test_width_is_stated_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    """The help of report says how narrow the table can be."""
    code, out, _ = run(capsys, "report", "--help")
    assert code == 0
    assert "at least 50" in " ".join(out.split())


# -- Markdown ---------------------------------------------------------------------------------


def three_level_report() -> Report:
    """The report by theme of a plan whose themes go three levels deep."""
    plan = Plan(
        "p",
        Text(zh="计划", en="Plan"),
        start="2025-01-01",
        end="2025-12-31",
        themes=[
            Theme("econ", Text(zh="经济", en="Economy")),
            Theme("energy", Text(zh="能源", en="Energy"), parent="econ"),
            Theme("grid", Text(zh="电网", en="Grid"), parent="energy"),
        ],
        measures=[Measure("m", 1, "M", themes={"grid"}, tasks=[Task("t", "T")])],
    )
    return build_report(assess(plan, as_of="2025-07-02"), by="theme", lang="zh")


def test_markdown_marks_each_level_of_the_theme_tree() -> None:
    """Sub-themes start with └, after an ideographic space for each level below the first."""
    lines = render_markdown(three_level_report()).splitlines()
    assert lines[4].startswith("| 经济 | ")
    assert lines[5].startswith("| \u2514 能源 | ")
    assert lines[6].startswith("| \u3000\u2514 电网 | ")


def test_markdown_indentation_survives_python_markdown() -> None:
    """Rendered by Python-Markdown, the cells keep their marks and ideographic spaces."""
    markdown = pytest.importorskip("markdown")
    html = markdown.markdown(render_markdown(three_level_report()), extensions=["tables"])
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert "经济" in cells
    assert "\u2514 能源" in cells
    assert "\u3000\u2514 电网" in cells


def test_report_markdown_marks_the_bundled_sub_themes(capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled plan's sub-themes are marked in its Markdown report."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "markdown")
    assert "| \u2514 Western Beijing | " in out
    assert "\u00a0" not in out
