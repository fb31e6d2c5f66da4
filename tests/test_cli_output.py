"""Tests of the report's output: --width down to its minimum, --output files, Markdown and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

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


# -- --output and the heads of CSV and JSON -----------------------------------------------


def test_csv_file_has_a_bom_and_chinese_heads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format csv --lang zh --output r.csv writes UTF-8 with a BOM and Chinese heads."""
    path = tmp_path / "r.csv"
    argv = ["report", "--as-of", AS_OF, "--format", "csv", "--lang", "zh", "--output", str(path)]
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (0, "", "")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "编号,类别,标题,层级,完成度,预期,进度绩效指数,状态代码,状态,颜色,覆盖率,权重,完成时限"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["标题"] == "京津冀协同发展"
    assert rows[-1]["类别"] == "plan"
    assert rows[-1]["状态"] == "逾期"


def test_csv_on_standard_output_has_no_bom(capsys: pytest.CaptureFixture[str]) -> None:
    """CSV written to standard output has no BOM; its heads follow --lang."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "csv", "--lang", "zh")
    assert out.startswith("编号,类别,标题,")
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "csv")
    assert out.startswith("id,kind,title,depth,completion,")


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("r.csv", "\ufeffid,kind,title,"),
        ("R.CSV", "\ufeffid,kind,title,"),
        ("r.md", "**Action plan"),
        ("r.markdown", "**Action plan"),
        ("r.json", "{\n"),
        ("r.txt", "Action plan"),
    ],
)
def test_output_format_comes_from_the_suffix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, start: str
) -> None:
    """Without --format, the suffix of --output gives the format, in any case."""
    path = tmp_path / name
    code, out, _ = run(capsys, "report", "--as-of", AS_OF, "-o", str(path))
    assert (code, out) == (0, "")
    assert path.read_text(encoding="utf-8").startswith(start)


def test_a_table_file_is_80_cells_wide_and_plain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table written to a file fits 80 cells and has no colour unless asked."""
    path = tmp_path / "r.txt"
    run(capsys, "report", "--as-of", AS_OF, "--by", "leaf", "--output", str(path))
    text = path.read_text(encoding="utf-8")
    assert max(display_width(line) for line in text.splitlines()) <= 80
    assert "\x1b" not in text
    run(capsys, "report", "--as-of", AS_OF, "--color", "always", "--output", str(path))
    assert "\x1b[" in path.read_text(encoding="utf-8")


def test_explicit_format_wins_over_an_unknown_suffix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format decides for a name whose suffix says nothing."""
    path = tmp_path / "report.out"
    code, _, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "json", "-o", str(path))
    assert code == 0
    assert json.loads(path.read_text(encoding="utf-8"))["by"] == "theme"


def test_a_contradicting_format_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format json with a .csv file name exits 2 and writes nothing."""
    path = tmp_path / "r.csv"
    code, out, err = run(capsys, "report", "--format", "json", "--output", str(path))
    assert (code, out) == (2, "")
    assert (
        f"argument --format: 'json' contradicts the name {str(path)!r}, which asks for 'csv'" in err
    )
    assert not path.exists()


def test_an_unknown_suffix_without_format_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name whose suffix says no format, without --format, exits 2 saying what to give."""
    path = tmp_path / "report"
    code, _, err = run(capsys, "report", "--output", str(path))
    assert code == 2
    assert f"the name {str(path)!r} does not say which format to write" in err
    assert (
        "(a name ending in .txt, .json, .csv, .md, .markdown, .html, .htm does); give --format"
        in err
    )


def test_output_replaces_a_file_whole_and_keeps_it_on_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An existing file is replaced; a failed run (invalid data) leaves it as it was."""
    path = tmp_path / "r.md"
    path.write_text("old", encoding="utf-8")
    assert run(capsys, "report", "--as-of", AS_OF, "-o", str(path))[0] == 0
    assert path.read_text(encoding="utf-8").startswith("**")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    path.write_text("old", encoding="utf-8")
    code, _, _ = run(capsys, "report", "--plan", str(bad), "-o", str(path))
    assert code == 1
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "r.md"]


def test_an_unwritable_output_exits_74_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file in a folder that does not exist ends the command with 74, without a traceback."""
    path = tmp_path / "missing" / "r.csv"
    code, out, err = run(capsys, "report", "--as-of", AS_OF, "-o", str(path))
    assert (code, out) == (74, "")
    assert (
        err == f"beijing-plan: error: cannot write the output: {path}: No such file or directory\n"
    )


def test_json_names_its_columns_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON keeps its keys and gives each its word in the report's language."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "json", "--lang", "zh")
    document = json.loads(out)
    assert document["columns"]["completion"] == "完成度"
    assert set(document["columns"]) == set(document["total"])
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "json")
    assert json.loads(out)["columns"]["completion"] == "completion"


def test_an_output_error_shows_the_file_name_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file name with a control character is named escaped, so it cannot act on the terminal."""
    path = tmp_path / "no\x1b[31mpe" / "r.csv"
    code, _, err = run(capsys, "report", "--as-of", AS_OF, "-o", str(path))
    assert code == 74
    assert "\x1b" not in err
    assert "no\\x1b[31mpe" in err
