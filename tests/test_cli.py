# ruff: noqa: RUF001 (expected Chinese output is written with full-width punctuation)
"""Tests of the ``beijing-plan`` command and of its report renderers.

Most cases call [`beijing_plan.cli.main`][beijing_plan.cli.main] in the test process; a
representative few run the installed command in a subprocess (the console
script, ``python -m beijing_plan``, a terminal, a closed pipe, exit codes).

The figures of the bundled action plan as of 2026-11-29, by hand: it has 14
leaves of weight 1 (9 tasks, 3 measure targets, 2 policies); 3 are done
(``xiongan-companies``, ``soe-relocation``, ``public-data-guideline``), so the
plan is 3/14 = 21% complete; one more (``western-beijing-projects``) is in
progress with no percent, so 4/14 = 29% of the weight has a record. Everything
was due on 2025-12-31, so 100% is expected.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import beijing_plan as bp
from beijing_plan import _render, cli, datasets
from beijing_plan._dates import today
from beijing_plan._render import bar, display_width, fit, percent
from beijing_plan._words import REPORT_WORDS
from beijing_plan.assessment import assess
from beijing_plan.cli import _commands
from beijing_plan.schema import json_schema

AS_OF = "2026-11-29"
ESC = "\x1b"
SCRIPT = Path(sys.executable).with_name("beijing-plan")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command in this process; its exit code, output and error output."""
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def table_lines(output: str) -> list[str]:
    """The lines of a table from its header to its total row."""
    lines = output.splitlines()
    return lines[2 : lines.index("", 2)]


def subprocess_env(**changes: str) -> dict[str, str]:
    """The environment of a subprocess: this one without colour settings, plus ``changes``."""
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "TERM", "COLUMNS"}}
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(changes)
    return env


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A folder with the bundled action plan and its ledger saved as YAML and TOML."""
    bp.save(datasets.action_plan_2025(), tmp_path / "plan.yaml")
    bp.save(datasets.action_plan_2025_ledger(), tmp_path / "ledger.toml")
    return tmp_path


@pytest.fixture
def bad_plan(tmp_path: Path) -> Path:
    """A plan document with three problems."""
    path = tmp_path / "bad.json"
    document = {
        "schema": "beijing-plan/1",
        "id": "x y",
        "title": "T",
        "start": "2025-13-01",
        "end": "2025-12-31",
        "measures": [{"id": "m", "number": "one", "title": "M"}],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# -- report: the table ------------------------------------------------------------------------


def test_report_defaults_to_the_bundled_plan_today_by_theme(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no options, report shows the bundled action plan by theme as of today in Beijing."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(capsys, "report")
    assert (code, err) == (0, "")
    assert out.startswith("Action plan for further new breakthroughs")
    assert f"as of {today().isoformat()}" in out
    assert table_lines(out)[0].startswith("Theme ")
    assert "encoded: 10 of 27 measures, 9 of 157 tasks, 2 of 25 policies" in out
    assert ESC not in out


def test_report_table_figures_as_of_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    """The table shows each theme's and the plan's figures as computed by hand."""
    code, out, _ = run(capsys, "report", "--as-of", AS_OF, "--width", "120")
    assert code == 0
    lines = table_lines(out)
    rows = {line.strip().split("  ")[0]: line for line in lines[2:-2]}
    assert len(rows) == 12
    xiongan = rows["Xiong'an New Area"]
    assert "\u2588" * 20 + " 100%" in xiongan
    assert xiongan.split()[-3:] == ["100%", "done", "100%"]
    assert rows["Value of data"].split()[-4:] == ["33%", "100%", "overdue", "33%"]
    total = lines[-1]
    assert total.startswith("Plan total")
    assert total.split()[-4:] == ["21%", "100%", "overdue", "29%"]
    assert lines[1] == lines[-2] == "\u2500" * display_width(lines[0])
    assert out.rstrip().splitlines()[-2:] == [
        f"as of {AS_OF}  (\u2588 completion, \u2502 expected)",
        "encoded: 10 of 27 measures, 9 of 157 tasks, 2 of 25 policies",
    ]


def test_report_indents_sub_themes_under_their_parent(capsys: pytest.CaptureFixture[str]) -> None:
    """Sub-themes come right after their parent, indented by two spaces."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--width", "100")
    titles = [line.split("  ")[0] for line in table_lines(out)[2:-2]]
    at = titles.index("Key areas in the city")
    lines = table_lines(out)[2:-2]
    assert lines[at + 1].startswith("  Western Beijing")
    assert lines[at + 2].startswith("  Southern Central Axis area")
    assert lines[at + 3].startswith("Commercialisation")


def test_report_bars_mark_expected_completion(capsys: pytest.CaptureFixture[str]) -> None:
    """A bar of a theme with nothing done is empty with the expected mark in its last cell."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--width", "120")
    talent = next(line for line in table_lines(out) if line.startswith("Talent"))
    assert "\u2591" * 19 + "\u2502   0%" in talent


def test_report_at_mid_year_expects_half(capsys: pytest.CaptureFixture[str]) -> None:
    """On 2025-07-02 half the year is expected, nothing is done, and the plan is off track."""
    _, out, _ = run(capsys, "report", "--as-of", "2025-07-02", "--width", "120")
    total = table_lines(out)[-1]
    # 182 of 364 days; 1 of 14 leaves has a record (the western Beijing task, 2025-05-15).
    assert total.split()[-5:] == ["0%", "50%", "off", "track", "7%"]
    assert "\u2591" * 10 + "\u2502" + "\u2591" * 9 + "   0%" in total


def test_report_in_chinese_aligns_wide_characters(capsys: pytest.CaptureFixture[str]) -> None:
    """Chinese titles take two cells a character, and every table line has the same width."""
    code, out, _ = run(capsys, "report", "--as-of", AS_OF, "--lang", "zh", "--width", "100")
    assert code == 0
    assert out.startswith("进一步推动首都高质量发展取得新突破行动方案2025年工作要点\n")
    lines = table_lines(out)
    assert lines[0].split() == ["主题", "完成度", "预期", "状态", "覆盖率"]
    assert lines[2].startswith("京津冀协同发展  ")
    assert lines[-1].startswith("计划总体")
    assert lines[-1].split()[-4:] == ["21%", "100%", "逾期", "29%"]
    assert len({display_width(line) for line in lines}) == 1
    # The bar starts in the same cell on every row (after the title column and its gap).
    blocks = set("\u2588\u2589\u258a\u258b\u258c\u258d\u258e\u258f\u2591")
    starts = {
        display_width(line[: min(i for i, char in enumerate(line) if char in blocks)])
        for line in [*lines[2:-2], lines[-1]]
    }
    assert starts == {display_width("收入和社会保障  ")}
    assert (
        out.rstrip().splitlines()[-1]
        == "已编码：重大举措 10/27 项，重点任务 9/157 项，政策 2/25 项"
    )


def test_report_cuts_long_titles_to_the_width(capsys: pytest.CaptureFixture[str]) -> None:
    """On a narrow terminal bars shrink and long titles end in an ellipsis, within the width."""
    code, out, _ = run(capsys, "report", "--as-of", AS_OF, "--by", "leaf", "--width", "70")
    assert code == 0
    lines = out.splitlines()
    assert all(display_width(line) <= 70 for line in lines)
    rows = table_lines(out)[2:-2]
    assert len(rows) == 14
    assert sum(line.split("  ")[0].endswith("\u2026") for line in rows) >= 10
    assert "\u2588" * 10 + " 100%" in rows[1]  # a bar of 10 cells, the shortest


def test_report_width_comes_from_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --width the table fits the COLUMNS the terminal reports."""
    monkeypatch.setenv("COLUMNS", "64")
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--lang", "zh", "--by", "leaf")
    assert max(display_width(line) for line in out.splitlines()) <= 64


def test_report_by_measure_and_ids(capsys: pytest.CaptureFixture[str]) -> None:
    """--by measure lists the ten measures; --ids adds their ids and the plan's."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--by", "measure", "--ids")
    lines = table_lines(out)
    assert lines[0].split()[:2] == ["ID", "Measure"]
    rows = lines[2:-2]
    assert [row.split()[0] for row in rows][:3] == ["m1-jjj", "m2-xiongan", "m3-sub-center"]
    assert len(rows) == 10
    assert lines[-1].startswith("bj-hqd-2025 ")


def test_report_by_leaf_lists_every_leaf(capsys: pytest.CaptureFixture[str]) -> None:
    """--by leaf lists the tasks, the measures' own targets and the policies, in plan order."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--by", "leaf", "--ids", "--width", "200")
    ids = [line.split()[0] for line in table_lines(out)[2:-2]]
    plan = datasets.action_plan_2025()
    assert ids == [result.id for result in assess(plan, as_of=AS_OF).leaves()]
    assert ids[-2:] == ["venture-capital-policies", "public-data-guideline"]
    assert table_lines(out)[0].split()[:2] == ["ID", "Item"]


def test_report_colour_always_and_never(capsys: pytest.CaptureFixture[str]) -> None:
    """--color always paints statuses and bars by RAG colour; never and piping leave them plain."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--color", "always")
    assert "\x1b[34mdone\x1b[0m" in out
    assert "\x1b[35moverdue\x1b[0m" in out
    assert "\x1b[34m" + "\u2588" * 10 in out
    _, plain, _ = run(capsys, "report", "--as-of", AS_OF, "--colour", "never")
    assert ESC not in plain
    _, auto, _ = run(capsys, "report", "--as-of", AS_OF)
    assert ESC not in auto


class _Stream(io.StringIO):
    """A text stream that says whether it is a terminal."""

    def __init__(self, *, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        """Whether the stream claims to be a terminal."""
        return self.tty


@pytest.mark.parametrize(
    ("mode", "tty", "env", "wanted"),
    [
        ("auto", True, {}, True),
        ("auto", True, {"TERM": "xterm-256color"}, True),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),
        ("auto", True, {"TERM": "dumb"}, False),
        ("auto", False, {}, False),
        ("always", False, {"NO_COLOR": "1"}, True),
        ("never", True, {}, False),
    ],
)
def test_colour_follows_the_terminal_and_no_color(
    mode: str, tty: bool, env: dict[str, str], wanted: bool
) -> None:
    """Auto colour needs a terminal, NO_COLOR unset or empty and TERM not dumb."""
    assert cli.use_colour(mode, _Stream(tty=tty), env) is wanted


def test_report_control_characters_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Escape sequences and newlines in titles are shown escaped in the table and Markdown."""
    plan = bp.Plan(
        "p",
        bp.Text(en="Plan \x1b[2J"),
        start="2025-01-01",
        end="2025-12-31",
        measures=[bp.Measure("m", 1, "M\x1b]0;x\x07", tasks=[bp.Task("t", "T\nU")])],
    )
    bp.save(plan, tmp_path / "plan.json")
    for form in ("table", "markdown"):
        code, out, _ = run(
            capsys, "report", "--plan", str(tmp_path / "plan.json"), "--format", form
        )
        assert code == 0
        assert ESC not in out
        assert "\x07" not in out
    _, out, _ = run(capsys, "report", "--plan", str(tmp_path / "plan.json"), "--by", "leaf")
    assert "T\\x0aU" in out


# -- report: other formats --------------------------------------------------------------------


def test_report_json_has_stable_keys_and_raw_fractions(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json gives the rows, the total and the encoded counts, with raw fractions."""
    code, out, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == [
        "plan",
        "as_of",
        "by",
        "lang",
        "rules",
        "rows",
        "total",
        "encoded",
        "columns",
    ]
    assert document["plan"]["id"] == "bj-hqd-2025"
    assert (document["as_of"], document["by"], document["lang"]) == (AS_OF, "theme", "en")
    assert document["rules"] == {"missing": "zero", "rollup": "flat"}
    keys = ["id", "kind", "title", "depth", "completion", "expected", "spi", "status"]
    keys += ["label", "colour", "coverage", "weight", "due"]
    assert all(list(row) == keys for row in document["rows"])
    assert len(document["rows"]) == 12
    western = next(row for row in document["rows"] if row["id"] == "western-beijing")
    assert (western["depth"], western["kind"], western["coverage"]) == (1, "theme", 1.0)
    total = document["total"]
    assert total["completion"] == pytest.approx(3 / 14)
    assert total["coverage"] == pytest.approx(4 / 14)
    assert (total["status"], total["label"], total["colour"]) == ("overdue", "overdue", "maroon")
    assert (total["weight"], total["due"]) == (14.0, "2025-12-31")
    assert document["encoded"] == [
        {"kind": "measures", "encoded": 10, "declared": 27},
        {"kind": "tasks", "encoded": 9, "declared": 157},
        {"kind": "policies", "encoded": 2, "declared": 25},
    ]


def test_report_json_keeps_chinese_unescaped(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON in Chinese holds the titles and labels as they are, not as escapes."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "json", "--lang", "zh")
    assert '"title": "雄安新区"' in out
    assert '"label": "逾期"' in out


def test_report_csv_has_a_header_rows_and_the_total(capsys: pytest.CaptureFixture[str]) -> None:
    """--format csv writes a header, one line per row and the plan last, with no colour."""
    code, out, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "csv", "--color", "always")
    assert code == 0
    assert ESC not in out
    rows = list(csv.DictReader(io.StringIO(out)))
    _, as_json, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "json")
    assert list(rows[0]) == list(json.loads(as_json)["total"])
    assert len(rows) == 13
    assert rows[0]["id"] == "jjj"
    assert rows[4]["title"] == "Western Beijing"
    assert rows[4]["depth"] == "1"
    assert rows[-1]["kind"] == "plan"
    assert float(rows[-1]["completion"]) == pytest.approx(3 / 14)
    assert rows[-1]["status"] == "overdue"


def test_report_csv_leaves_unknown_figures_empty(capsys: pytest.CaptureFixture[str]) -> None:
    """With --missing exclude an item with no data has empty completion and spi cells."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "csv", "--missing", "exclude")
    talent = next(row for row in csv.DictReader(io.StringIO(out)) if row["id"] == "talent")
    assert (talent["completion"], talent["spi"], talent["status"]) == ("", "", "no_data")


def test_report_markdown_is_a_github_table(capsys: pytest.CaptureFixture[str]) -> None:
    """--format markdown writes a pipe table with aligned columns and the total in bold."""
    code, out, _ = run(capsys, "report", "--as-of", AS_OF, "--format", "markdown", "--ids")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("**Action plan")
    assert lines[2] == "| ID | Theme | Completion | Expected | Status | Coverage |"
    assert lines[3] == "| :-- | :-- | --: | --: | :-- | --: |"
    assert (
        lines[4]
        == "| `jjj` | Coordinated development of Beijing-Tianjin-Hebei | 0% | 100% | overdue | 0% |"
    )
    assert "| `western-beijing` | \u2514 Western Beijing |" in out
    assert lines[16] == (
        "| **`bj-hqd-2025`** | **Plan total** | **21%** | **100%** | **overdue** | **29%** |"
    )
    assert f"as of {AS_OF}" in lines
    assert ESC not in out


def test_report_markdown_escapes_pipes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A pipe in a title is escaped so that it does not split the Markdown cell."""
    plan = bp.Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        measures=[bp.Measure("m", 1, "a | b")],
    )
    bp.save(plan, tmp_path / "plan.json")
    _, out, _ = run(capsys, "report", "--plan", str(tmp_path / "plan.json"), "--format", "markdown")
    assert "| a \\| b |" in out


# -- report: data and rules options -----------------------------------------------------------


def test_report_plan_file_without_ledger_records_nothing(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--plan without --ledger assesses against an empty ledger: nothing done, nothing covered."""
    code, out, _ = run(capsys, "report", "--plan", str(files / "plan.yaml"), "--as-of", AS_OF)
    assert code == 0
    assert table_lines(out)[-1].split()[-4:] == ["0%", "100%", "overdue", "0%"]


def test_report_plan_and_ledger_files(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A plan and a ledger read from YAML and TOML give the bundled figures."""
    argv = ["report", "--plan", str(files / "plan.yaml"), "--ledger", str(files / "ledger.toml")]
    code, out, _ = run(capsys, *argv, "--as-of", AS_OF)
    assert code == 0
    assert table_lines(out)[-1].split()[-4:] == ["21%", "100%", "overdue", "29%"]


def test_report_ledger_file_against_the_bundled_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--ledger alone is read against the bundled plan; a JSON Lines ledger file works too."""
    log = bp.LedgerFile(tmp_path / "progress.jsonl")
    log.append(bp.StatusChange("cluster-support", "2025-06-01", "done"))
    code, out, _ = run(capsys, "report", "--ledger", str(log.path), "--as-of", AS_OF)
    assert code == 0
    assert table_lines(out)[-1].split()[-4:] == ["7%", "100%", "overdue", "7%"]


def test_report_work_report_dataset_is_by_measure(capsys: pytest.CaptureFixture[str]) -> None:
    """The work report has no themes, so it is reported by measure, and it declares no counts."""
    code, out, _ = run(capsys, "report", "--dataset", "work-report-2025", "--as-of", AS_OF)
    assert code == 0
    assert table_lines(out)[0].startswith("Measure ")
    assert len(table_lines(out)) == 3 + 2 + 2
    assert "encoded" not in out


def test_report_by_theme_of_a_plan_without_themes(capsys: pytest.CaptureFixture[str]) -> None:
    """Asking for themes of a plan that has none says so instead of showing an empty table."""
    argv = ["report", "--dataset", "work-report-2025", "--by", "theme", "--as-of", AS_OF]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "(the plan has no themes)" in out


def test_report_missing_exclude_leaves_out_items_without_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With --missing exclude only the 3 done leaves count, so the plan is 100% done."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--missing", "exclude")
    assert table_lines(out)[-1].split()[-4:] == ["100%", "100%", "done", "29%"]
    assert "rules: missing=exclude" in out


def test_report_nested_rollup_averages_measures(capsys: pytest.CaptureFixture[str]) -> None:
    """With --rollup nested the plan is the mean of its 10 measures: (1 + 1 + 1/3) / 10 = 23%."""
    _, out, _ = run(capsys, "report", "--as-of", AS_OF, "--rollup", "nested", "--format", "json")
    document = json.loads(out)
    assert document["total"]["completion"] == pytest.approx(7 / 30)
    assert document["rules"] == {"missing": "zero", "rollup": "nested"}


# -- report: errors ---------------------------------------------------------------------------


def test_report_dataset_and_plan_conflict(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--dataset with --plan is a usage error (exit 2)."""
    argv = ["report", "--dataset", "action-plan-2025", "--plan", str(files / "plan.yaml")]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert "not allowed with argument" in err


@pytest.mark.parametrize("value", ["2025-13-01", "tomorrow", "20251201"])
def test_report_bad_date_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An --as-of that is not YYYY-MM-DD is a usage error that shows the value."""
    code, _, err = run(capsys, "report", "--as-of", value)
    assert code == 2
    assert f"argument --as-of: {value!r} is not a date (YYYY-MM-DD)" in err


def test_by_task_is_an_alias_of_by_leaf(capsys: pytest.CaptureFixture[str]) -> None:
    """--by task gives exactly the report of --by leaf, JSON's "by" included."""
    argv = ["report", "--as-of", AS_OF, "--format", "json"]
    _, by_leaf, _ = run(capsys, *argv, "--by", "leaf")
    _, by_task, _ = run(capsys, *argv, "--by", "task")
    assert by_task == by_leaf
    assert json.loads(by_leaf)["by"] == "leaf"


def test_by_names_leaf_in_its_help_and_its_error(capsys: pytest.CaptureFixture[str]) -> None:
    """The help of --by says leaf and names task as its alias; a wrong choice lists leaf."""
    code, _, err = run(capsys, "report", "--by", "year")
    assert code == 2
    assert "invalid choice: 'year' (choose from 'theme', 'measure', 'leaf', 'unit')" in err
    code, out, _ = run(capsys, "report", "--help")
    assert code == 0
    out = " ".join(out.split())
    assert "--by {theme,measure,leaf,unit}" in out
    assert "task is accepted as an alias of leaf" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--by", "year"],
        ["report", "--format", "pdf"],
        ["report", "--lang", "fr"],
        ["report", "--width", "0"],
        ["report", "--width", "wide"],
        ["report", "--dataset", "nope"],
        ["report", "--missing", "ignore"],
        ["frobnicate"],
        [],
    ],
)
def test_wrong_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown commands, choices and values exit 2 with a usage message."""
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "usage: beijing-plan" in err


def test_report_invalid_plan_file_lists_every_problem(
    bad_plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An invalid --plan exits 1 and lists each problem with its path, without a traceback."""
    code, out, err = run(capsys, "report", "--plan", str(bad_plan))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"beijing-plan: error: {bad_plan} is not a valid plan (3 problems)",
        "  id: 'x y' must not contain spaces or control characters",
        "  start: '2025-13-01' is not a date (YYYY-MM-DD)",
        "  measures[0].number: 'one' is not a whole number",
    ]


def test_report_missing_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A --plan that does not exist exits 1 with a message naming it."""
    path = tmp_path / "nope.yaml"
    code, _, err = run(capsys, "report", "--plan", str(path))
    assert code == 1
    assert err == f"beijing-plan: error: cannot read {str(path)!r}: No such file or directory\n"


def test_report_unknown_suffix_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file whose suffix names no format exits 1 and names the suffixes known."""
    path = tmp_path / "plan.txt"
    path.write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "report", "--plan", str(path))
    assert code == 1
    assert "the suffix '.txt' names no format (.json, .yaml, .yml, .toml)" in err


def test_report_files_of_the_wrong_kind(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ledger given as --plan, or a plan as --ledger, exits 1 and says what the file holds."""
    code, _, err = run(capsys, "report", "--plan", str(files / "ledger.toml"))
    assert code == 1
    assert err == f"beijing-plan: error: {files / 'ledger.toml'} holds a ledger, not a plan\n"
    code, _, err = run(capsys, "report", "--ledger", str(files / "plan.yaml"))
    assert code == 1
    assert err == f"beijing-plan: error: {files / 'plan.yaml'} holds a plan, not a ledger\n"


def test_report_ledger_that_does_not_match_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ledger naming ids the plan lacks exits 1 and lists each such record."""
    ledger = bp.Ledger(
        [
            bp.StatusChange("no-such-task", "2025-03-01", "done"),
            bp.StatusChange("m1-jjj", "2025-03-01", "done"),
        ]
    )
    bp.save(ledger, tmp_path / "ledger.json")
    code, _, err = run(capsys, "report", "--ledger", str(tmp_path / "ledger.json"))
    assert code == 1
    assert err.splitlines() == [
        "beijing-plan: error: the ledger does not match the plan (2 problems)",
        "  records[0].item: 'no-such-task' is not an id of the plan",
        "  records[1].item: 'm1-jjj' is a Measure; status changes are for tasks, policies and"
        " milestones",
    ]


def test_keyboard_interrupt_exits_130_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An interrupt while working exits 130 and prints nothing."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_commands, "assess", interrupted)
    assert run(capsys, "report") == (130, "", "")


class _ClosedPipe(io.StringIO):
    """Standard output whose reader has gone away."""

    def write(self, text: str) -> int:
        """Fail as a write to a closed pipe does."""
        raise BrokenPipeError(32, "Broken pipe")


def test_broken_pipe_exits_141_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """When the output's reader goes away the command stops with 141 and says nothing."""
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    code = cli.main(["report"])
    monkeypatch.undo()
    assert code == 141
    assert capsys.readouterr().err == ""


def test_output_an_encoding_cannot_show_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """On an ASCII-only output, Chinese becomes question marks instead of an error."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    code = cli.main(["report", "--as-of", AS_OF, "--lang", "zh", "--format", "csv"])
    stream.flush()
    monkeypatch.undo()
    assert code == 0
    text = raw.getvalue().decode("ascii")
    assert "jjj,theme,???????,0," in text


# -- validate ---------------------------------------------------------------------------------


def test_validate_good_files(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Valid plan and ledger files each print ok, and the command exits 0."""
    plan, ledger = files / "plan.yaml", files / "ledger.toml"
    code, out, err = run(capsys, "validate", str(plan), str(ledger))
    assert (code, err) == (0, "")
    assert out == f"{plan}: ok\n{ledger}: ok\n"


def test_validate_lists_every_problem_of_every_file(
    files: Path, bad_plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each problem prints as FILE: path: message; unreadable files say so; exit 1."""
    broken = tmp_path / "broken.json"
    broken.write_text("{bad", encoding="utf-8")
    missing = tmp_path / "missing.toml"
    good = files / "plan.yaml"
    code, out, err = run(capsys, "validate", str(bad_plan), str(broken), str(missing), str(good))
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{bad_plan}: id: 'x y' must not contain spaces or control characters",
        f"{bad_plan}: start: '2025-13-01' is not a date (YYYY-MM-DD)",
        f"{bad_plan}: measures[0].number: 'one' is not a whole number",
        f"{broken}: not valid JSON: Expecting property name enclosed in double quotes "
        "(line 1, column 2)",
        f"{missing}: cannot read: No such file or directory",
        f"{good}: ok",
    ]


def test_validate_detects_ledgers_by_their_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A document with a records key is checked as a ledger, and its problems have record paths."""
    path = tmp_path / "ledger.json"
    document = {
        "schema": "beijing-plan/1",
        "records": [{"kind": "status", "item": "t", "on": "2025-02-30", "status": "finished"}],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert f"{path}: records[0].on: '2025-02-30' is not a date (YYYY-MM-DD)" in out.splitlines()
    assert any(
        line.startswith(f"{path}: records[0].status: 'finished'") for line in out.splitlines()
    )


def test_validate_checks_ledgers_against_a_plan(
    files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --plan, ledgers must name the plan's ids; the plan itself is checked too."""
    plan = files / "plan.yaml"
    stray = tmp_path / "stray.json"
    bp.save(bp.Ledger([bp.StatusChange("no-such-task", "2025-03-01", "done")]), stray)
    good = files / "ledger.toml"
    code, out, _ = run(capsys, "validate", str(good), str(stray), "--plan", str(plan))
    assert code == 1
    assert out.splitlines() == [
        f"{plan}: ok",
        f"{good}: ok",
        f"{stray}: records[0].item: 'no-such-task' is not an id of the plan",
    ]
    code, out, _ = run(capsys, "validate", str(stray))
    assert (code, out) == (0, f"{stray}: ok\n")


def test_validate_plan_option_must_be_a_plan(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ledger given as --plan is reported as such and fails the check."""
    ledger = files / "ledger.toml"
    code, out, _ = run(capsys, "validate", str(ledger), "--plan", str(ledger))
    assert code == 1
    assert out == f"{ledger}: holds a ledger, not a plan\n"


def test_validate_reads_json_lines_ledgers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .jsonl ledger file is validated line by line."""
    path = tmp_path / "progress.jsonl"
    bp.LedgerFile(path).append(bp.StatusChange("t", "2025-03-01", "done"))
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"kind": "status"}\n')
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert out.startswith(f"{path}: line 3")


def test_validate_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    """validate with no file is a usage error."""
    code, _, err = run(capsys, "validate")
    assert code == 2
    assert "the following arguments are required: FILE" in err


# -- explain ----------------------------------------------------------------------------------


def test_explain_prints_the_explanation_of_one_result(capsys: pytest.CaptureFixture[str]) -> None:
    """explain ID prints how the figures of that target were reached."""
    code, out, _ = run(capsys, "explain", "xiongan-companies", "--as-of", AS_OF)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "Target xiongan-companies \u201cHigh-growth companies attracted to the Zhongguancun"
        f" Science Park in Xiong'an\u201d, as of {AS_OF}"
    )
    assert "Attainment (at_least) = c / T = 132 / 60 = 2.2000; clamped to [0, 1]: 1.0000" in lines
    assert "Status: done (blue): completion 1.0000 \u2265 1" in lines
    assert lines[-1].startswith("Record of 2025-12-31: 132 new companies entered the park")
    assert "counts all new entrants" in lines[-1]


def test_explain_a_group_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """explain of a measure in Chinese gives its roll-up: one of three leaves done."""
    code, out, _ = run(capsys, "explain", "m7-data-value", "--as-of", AS_OF, "--lang", "zh")
    assert code == 0
    assert out.startswith(f"重大举措 m7-data-value“数据价值”，截至 {AS_OF}\n")
    assert "完成度 = Σ(权重 × 完成度) / Σ权重，计入 3 项中的 3 项 = 1.0000 / 3 = 0.3333" in out


def test_explain_the_plan_with_options(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """explain takes the plan's own id and the same data options as report."""
    argv = ["explain", "bj-hqd-2025", "--plan", str(files / "plan.yaml"), "--as-of", AS_OF]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "over 14 counted of 14 leaves = 0.0000 / 14 = 0.0000" in out
    expected = assess(datasets.action_plan_2025(), as_of=AS_OF).overall.explain()
    assert out == expected + "\n"


def test_explain_unknown_id_suggests_close_ones(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown id exits 1 and suggests the ids that look like it."""
    code, out, err = run(capsys, "explain", "xiongan-company")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "beijing-plan: error: no item 'xiongan-company' in the plan",
        "  did you mean 'xiongan-companies' or 'xiongan'?",
    ]
    code, _, err = run(capsys, "explain", "qqqq")
    assert code == 1
    assert err.splitlines() == [
        "beijing-plan: error: no item 'qqqq' in the plan",
        "  `beijing-plan report --by leaf --ids` lists the ids of the leaves",
    ]


# -- schema and help --------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "cls"), [("plan", bp.Plan), ("ledger", bp.Ledger)])
def test_schema_prints_the_json_schema(
    kind: str, cls: type, capsys: pytest.CaptureFixture[str]
) -> None:
    """schema prints the JSON Schema of a plan or ledger document, indented."""
    code, out, _ = run(capsys, "schema", "--kind", kind)
    assert code == 0
    assert json.loads(out) == json_schema(cls)
    assert out.startswith('{\n  "$schema": ')


def test_schema_keeps_chinese_unescaped(capsys: pytest.CaptureFixture[str]) -> None:
    """The unit aliases in the schema are written in Chinese, not as escapes."""
    _, out, _ = run(capsys, "schema")
    assert '"万元"' in out
    assert re.search(r"\\u[4-9][0-9a-f]{3}", out) is None


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    """--help exits 0 and names every command and the exit codes."""
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for word in ("report", "validate", "explain", "schema", "exit codes: 0 ok"):
        assert word in out
    code, out, _ = run(capsys, "report", "--help")
    assert code == 0
    assert "--as-of DATE" in out


def test_version_names_the_installed_release(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the installed version and exits 0."""
    from importlib import metadata  # noqa: PLC0415 (only this test needs it)

    code, out, _ = run(capsys, "--version")
    assert (code, out) == (0, f"beijing-plan {metadata.version('beijing-plan')}\n")


# -- subprocesses -----------------------------------------------------------------------------


def test_console_script_runs_the_report() -> None:
    """The installed beijing-plan script reports the bundled plan, uncoloured into a pipe."""
    done = subprocess.run(
        [str(SCRIPT), "report", "--as-of", AS_OF],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=subprocess_env(),
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "encoded: 10 of 27 measures, 9 of 157 tasks, 2 of 25 policies" in done.stdout
    assert ESC not in done.stdout
    assert max(display_width(line) for line in done.stdout.splitlines()) <= 80


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["report", "--as-of", "2025-02-30"], 2, "is not a date (YYYY-MM-DD)"),
        (["report", "--plan", "missing.yaml"], 1, "cannot read 'missing.yaml'"),
        (["explain", "nothing-like-it"], 1, "no item 'nothing-like-it' in the plan"),
        (["validate", "missing.json"], 1, ""),
        (["schema", "--kind", "theme"], 2, "invalid choice"),
    ],
)
def test_module_exit_codes_without_tracebacks(
    argv: list[str], code: int, message: str, tmp_path: Path
) -> None:
    """python -m beijing_plan exits 1 for bad data and 2 for wrong usage, never with a traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "beijing_plan", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=subprocess_env(),
        check=False,
    )
    assert done.returncode == code
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def _read_all(fd: int) -> Iterator[bytes]:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal is gone once the child exits
            return
        if not chunk:
            return
        yield chunk


def _on_a_terminal(*argv: str, **env: str) -> str:
    """Run the command with its output on a pseudo-terminal; what it wrote there."""
    import pty  # noqa: PLC0415 (Unix only; the tests that need it are skipped elsewhere)

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "beijing_plan", *argv],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=subprocess_env(**env),
    )
    os.close(follower)
    output = b"".join(_read_all(leader))
    os.close(leader)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (0, b"")
    return output.decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are a Unix feature")
def test_colour_on_a_terminal_unless_no_color_or_dumb() -> None:
    """On a terminal statuses are coloured, unless NO_COLOR is set or TERM is dumb."""
    argv = ("report", "--as-of", AS_OF)
    assert "\x1b[35moverdue" in _on_a_terminal(*argv, TERM="xterm", COLUMNS="100")
    assert ESC not in _on_a_terminal(*argv, TERM="xterm", COLUMNS="100", NO_COLOR="1")
    assert ESC not in _on_a_terminal(*argv, TERM="dumb", COLUMNS="100")


def test_closed_pipe_exits_quietly() -> None:
    """When the reader closes the pipe before the output comes, the command exits 141 silently."""
    process = subprocess.Popen(
        [sys.executable, "-m", "beijing_plan", "schema"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
    )
    assert process.stdout is not None
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (141, b"")


# -- rendering helpers ------------------------------------------------------------------------


def test_display_width_counts_wide_characters_twice() -> None:
    """ASCII takes one cell, CJK two, a combining mark none."""
    assert display_width("abc") == 3
    assert display_width("北京") == 4
    assert display_width("e\u0301") == 1
    assert display_width("（１）") == 6


def test_fit_cuts_with_an_ellipsis() -> None:
    """fit keeps short text and cuts long text to the width, ellipsis included."""
    assert fit("short", 5) == "short"
    assert fit("abcdef", 4) == "abc\u2026"
    assert fit("北京市", 5) == "北京\u2026"
    assert fit("北京市", 4) == "北\u2026"
    assert fit("abc", 0) == ""


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [
        (None, "-"),
        (0.0, "0%"),
        (0.004, "1%"),
        (0.2142, "21%"),
        (0.5, "50%"),
        (0.996, "99%"),
        (1.0, "100%"),
    ],
)
def test_percent_never_rounds_to_none_or_all(fraction: float | None, shown: str) -> None:
    """Percentages are rounded but stay off 0% and 100% unless the fraction is exactly that."""
    assert percent(fraction) == shown


def test_bar_cells_by_hand() -> None:
    """Bars fill eighths of cells and mark the expected cell when it is not filled."""
    assert bar(0.5, 0.75, 20) == ("\u2588" * 10, "\u2591" * 5 + "\u2502" + "\u2591" * 4)
    assert bar(0.0, 1.0, 20) == ("", "\u2591" * 19 + "\u2502")
    assert bar(1.0, 1.0, 20) == ("\u2588" * 20, "")
    assert bar(0.53, None, 10) == ("\u2588" * 5 + "\u258e", "\u2591" * 4)  # 42 eighths
    assert bar(None, 0.5, 10) == ("", "\u2591" * 5 + "\u2502" + "\u2591" * 4)
    assert bar(0.8, 0.5, 10) == ("\u2588" * 8, "\u2591" * 2)  # ahead: the mark is covered
    assert bar(0.001, 0.0, 10) == ("\u258f", "\u2591" * 9)


fractions = st.none() | st.floats(min_value=0.0, max_value=1.0)


@given(completion=fractions, expected=fractions, cells=st.integers(1, 40))
def test_bar_always_fills_its_cells(
    completion: float | None, expected: float | None, cells: int
) -> None:
    """A bar is exactly its cells wide, full only when done and empty only when nothing is."""
    filled, rest = bar(completion, expected, cells)
    assert len(filled) + len(rest) == cells
    assert (filled == "\u2588" * cells) == (completion == 1.0)
    assert (filled == "") == (completion is None or completion == 0.0)
    assert rest.count("\u2502") <= 1


@given(text=st.text(), cells=st.integers(1, 60))
def test_fit_never_exceeds_the_width(text: str, cells: int) -> None:
    """fit's result is within the width, and is the text itself exactly when that fits."""
    cut = fit(text, cells)
    assert display_width(cut) <= cells
    assert (cut == text) == (display_width(text) <= cells)


@given(
    width=st.integers(60, 160), lang=st.sampled_from(["en", "zh"]), by=st.sampled_from(_render.BY)
)
def test_table_lines_share_one_width_within_the_terminal(width: int, lang: str, by: str) -> None:
    """Every line of a table has the same width, and none is wider than the terminal."""
    assessment = assess(
        datasets.action_plan_2025(), datasets.action_plan_2025_ledger(), as_of=AS_OF
    )
    report = _render.build_report(assessment, by=by, lang=lang)
    text = _render.render_table(report, width=width, ids=False)
    # The bundled plan names no unit: the line that says so stands in for the rows.
    empty = REPORT_WORDS[lang]["no_rows_" + by]
    lines = [line for line in table_lines(text) if line != empty]
    assert len({display_width(line) for line in lines}) == 1
    assert all(display_width(line) <= width for line in text.splitlines())
