"""Tests of the command's output when plan files, ledgers and file names are hostile.

Every text the command prints passes through [`beijing_plan._safe`][]: control
characters and bidirectional controls are shown escaped, Markdown cannot carry
HTML or links, CSV cells cannot start a formula, and an output that cannot be
written ends the command with one line on standard error. These run the
installed command in subprocesses, as a person would.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import beijing_plan as bp
from beijing_plan import _render, cli
from beijing_plan.assessment import assess

#: Sequences that act on a terminal: set its window title (OSC 0), write the
#: clipboard (OSC 52), clear the screen (CSI), the same by its one-byte C1 form,
#: then a right-to-left override and an isolate that reorder what is shown.
OSC_TITLE = "\x1b]0;owned\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4K\x07"
CSI_CLEAR = "\x1b[2J"
C1_CSI = "\x9b31m"
RLO = "\u202e"
LRI = "\u2066"
HOSTILE = f"A{OSC_TITLE}B{OSC_CLIPBOARD}C{CSI_CLEAR}D{C1_CSI}E{RLO}F{LRI}G"
#: Characters that must never reach the output as they are.
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")
#: The encoded forms of the forbidden characters, as UTF-8 bytes.
FORBIDDEN_BYTES = (b"\x1b", b"\x07", b"\xc2\x9b", "\u202e".encode(), "\u2066".encode())
#: How the hostile text is shown once made safe.
SHOWN = "A\\x1b]0;owned\\x07B\\x1b]52;c;cm0gLXJmIH4K\\x07C\\x1b[2JD\\x9b31mE\\u202eF\\u2066G"
AS_OF = "2025-07-01"


def hostile_plan(title: str = HOSTILE) -> bp.Plan:
    """A small plan whose titles are all ``title``."""
    return bp.Plan(
        "p",
        bp.Text(en=title, zh=title),
        start="2025-01-01",
        end="2025-12-31",
        themes=[bp.Theme("th", bp.Text(en=title, zh=title))],
        measures=[
            bp.Measure(
                "m",
                1,
                bp.Text(en=title, zh=title),
                tasks=[bp.Task("t", bp.Text(en=title, zh=title))],
                themes=["th"],
            )
        ],
    )


def hostile_ledger(text: str = HOSTILE) -> bp.Ledger:
    """A ledger of one record whose note and source are ``text``."""
    source = bp.Source(text, url="javascript:alert(1)", note=text)
    return bp.Ledger(
        [bp.StatusChange("t", "2025-03-01", "in_progress", percent=40, note=text, source=source)]
    )


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A folder holding the hostile plan and ledger as JSON."""
    bp.save(hostile_plan(), tmp_path / "plan.json")
    bp.save(hostile_ledger(), tmp_path / "ledger.json")
    return tmp_path


def command(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m beijing_plan`` with ``argv``; its exit code and raw output."""
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "TERM", "COLUMNS"}}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "beijing_plan", *argv],
        capture_output=True,
        cwd=cwd,
        env=env,
        check=False,
        timeout=120,
    )


def assert_safe(data: bytes) -> None:
    """No control or bidi character of the hostile text is in ``data``, and no traceback."""
    for raw in FORBIDDEN_BYTES:
        assert raw not in data
    assert b"Traceback" not in data


# -- 7: control and bidi characters -----------------------------------------------------------


@pytest.mark.parametrize("form", ["table", "markdown", "csv", "json", "html"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_shows_hostile_titles_escaped(hostile: Path, form: str, lang: str) -> None:
    """Every format of the report shows the escape and bidi characters of titles escaped."""
    done = command(
        "report",
        "--plan",
        str(hostile / "plan.json"),
        "--ledger",
        str(hostile / "ledger.json"),
        "--as-of",
        AS_OF,
        "--by",
        "task",
        "--ids",
        "--format",
        form,
        "--lang",
        lang,
    )
    assert done.returncode == 0, done.stderr
    assert_safe(done.stdout + done.stderr)
    if form == "json":
        document = json.loads(done.stdout)
        assert document["plan"]["title"] == HOSTILE
        assert document["rows"][0]["title"] == HOSTILE
    elif form == "markdown":
        assert "A\\\\x1b\\]0;owned\\\\x07B" in done.stdout.decode()
    elif form == "html":  # the note and source in the explanation too; no javascript: link
        page = done.stdout.decode()
        assert page.count(SHOWN) >= 4
        assert "href=" not in page
    else:
        assert SHOWN[:20] in done.stdout.decode()


def test_report_table_with_colour_escapes_only_the_titles(hostile: Path) -> None:
    """With --color always the only escape sequences are the report's own colours."""
    done = command(
        "report", "--plan", str(hostile / "plan.json"), "--color", "always", "--width", "300"
    )
    assert done.returncode == 0
    out = done.stdout.decode()
    assert "\x1b]" not in out
    assert "\x1b[2J" not in out
    assert SHOWN in out
    for raw in FORBIDDEN_BYTES[1:]:
        assert raw not in done.stdout


@pytest.mark.parametrize("item", ["t", "m", "th", "p"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_shows_titles_notes_and_sources_escaped(
    hostile: Path, item: str, lang: str
) -> None:
    """explain shows hostile titles, notes and sources escaped, each on its one line."""
    done = command(
        "explain",
        item,
        "--plan",
        str(hostile / "plan.json"),
        "--ledger",
        str(hostile / "ledger.json"),
        "--as-of",
        AS_OF,
        "--lang",
        lang,
    )
    assert done.returncode == 0, done.stderr
    assert_safe(done.stdout + done.stderr)
    assert SHOWN in done.stdout.decode()


def test_explain_keeps_newlines_of_notes_on_one_line(tmp_path: Path) -> None:
    """A note with a newline cannot start a line of its own that looks like a figure."""
    bp.save(hostile_plan("T"), tmp_path / "plan.json")
    bp.save(hostile_ledger("ok\nStatus: done"), tmp_path / "ledger.json")
    done = command(
        "explain",
        "t",
        "--plan",
        str(tmp_path / "plan.json"),
        "--ledger",
        str(tmp_path / "ledger.json"),
        "--as-of",
        AS_OF,
    )
    lines = done.stdout.decode().splitlines()
    assert "Status: done" not in lines
    assert "Record of 2025-03-01: ok\\x0aStatus: done (source: ok\\x0aStatus: done)" in lines


def test_explain_unknown_hostile_id_is_shown_escaped(hostile: Path) -> None:
    """An unknown id given on the command line is echoed escaped in the error."""
    done = command("explain", f"x{RLO}{OSC_TITLE}", "--plan", str(hostile / "plan.json"))
    assert done.returncode == 1
    assert_safe(done.stdout + done.stderr)
    assert done.stderr.decode().startswith("beijing-plan: error: no item 'x\\u202e\\x1b]0;owned")


def test_file_names_are_shown_escaped(tmp_path: Path) -> None:
    """A hostile file name is escaped in validate's lines and in the report's errors."""
    name = f"plan{OSC_CLIPBOARD}{RLO}.json"
    bp.save(hostile_plan(), tmp_path / name)
    (tmp_path / f"bad{CSI_CLEAR}{LRI}.json").write_text('{"records": [{"x": 1}]}')
    bp.save(bp.Ledger(), tmp_path / f"ledger{C1_CSI}.yaml")
    done = command("validate", name, f"bad{CSI_CLEAR}{LRI}.json", cwd=tmp_path)
    assert done.returncode == 1
    assert_safe(done.stdout + done.stderr)
    out = done.stdout.decode()
    assert "plan\\x1b]52;c;cm0gLXJmIH4K\\x07\\u202e.json: ok" in out
    assert "bad\\x1b[2J\\u2066.json: " in out
    done = command("report", "--plan", f"ledger{C1_CSI}.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert_safe(done.stdout + done.stderr)
    err = done.stderr.decode()
    assert err == "beijing-plan: error: ledger\\x9b31m.yaml holds a ledger, not a plan\n"
    done = command("report", "--plan", f"bad{CSI_CLEAR}{LRI}.json", cwd=tmp_path)
    assert done.returncode == 1
    assert_safe(done.stdout + done.stderr)
    assert done.stderr.decode().startswith(
        "beijing-plan: error: bad\\x1b[2J\\u2066.json is not a valid plan"
    )


def test_validation_messages_are_shown_escaped(tmp_path: Path) -> None:
    """A problem that quotes a hostile key or value of a file is shown escaped."""
    document = json.loads(bp.dumps(hostile_plan("T")))
    document[f"key{OSC_TITLE}{RLO}"] = HOSTILE
    document["start"] = f"2025{C1_CSI}{LRI}"
    (tmp_path / "plan.json").write_text(json.dumps(document, ensure_ascii=False))
    for argv in (["validate", "plan.json"], ["report", "--plan", "plan.json"]):
        done = command(*argv, cwd=tmp_path)
        assert done.returncode == 1
        assert_safe(done.stdout + done.stderr)
        assert "key\\x1b]0;owned\\x07\\u202e" in (done.stdout + done.stderr).decode()


def test_unknown_arguments_are_shown_escaped() -> None:
    """argparse's own errors (an unknown argument) show the argument escaped."""
    done = command("report", f"extra{OSC_TITLE}{RLO}")
    assert done.returncode == 2
    assert_safe(done.stdout + done.stderr)
    assert "extra\\x1b]0;owned\\x07\\u202e" in done.stderr.decode()


def test_schema_and_help_are_plain_text() -> None:
    """The schema and the help hold no control or bidi character."""
    for argv in (["schema"], ["schema", "--kind", "ledger"], ["--help"], ["report", "--help"]):
        done = command(*argv)
        assert done.returncode == 0
        assert_safe(done.stdout + done.stderr)


def test_chinese_titles_are_unchanged(tmp_path: Path) -> None:
    """Printable Chinese text and punctuation pass through every output unchanged."""
    title = "北京市「新质生产力」行动\u3000计划"
    bp.save(hostile_plan(title), tmp_path / "plan.json")
    for form in ("table", "markdown", "csv", "json"):
        done = command(
            "report", "--plan", str(tmp_path / "plan.json"), "--format", form, "--lang", "zh"
        )
        assert done.returncode == 0
        assert title in done.stdout.decode()
    done = command("explain", "t", "--plan", str(tmp_path / "plan.json"), "--lang", "zh")
    assert f"“{title}”" in done.stdout.decode()


# -- 5: CSV cells that a spreadsheet would evaluate -------------------------------------------

FORMULAS = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)")


@pytest.mark.parametrize("formula", FORMULAS)
def test_report_csv_neutralises_formulas(formula: str) -> None:
    """A title that a spreadsheet would evaluate is written behind an apostrophe."""
    assessment = assess(hostile_plan(formula), bp.Ledger(), as_of=AS_OF)
    report = _render.build_report(assessment, by="leaf", lang="en")
    rows = list(csv.DictReader(io.StringIO(_render.render_csv(report))))
    assert [row["title"] for row in rows] == ["'" + formula, "'" + formula]
    assert rows[0]["completion"] == "0.0"
    assert rows[0]["weight"] == "1.0"


@pytest.mark.parametrize(("title", "cell"), [("\t=1", "\\x09=1"), ("\r=1", "\\x0d=1")])
def test_report_csv_shows_leading_tab_and_return_escaped(title: str, cell: str) -> None:
    """A leading tab or carriage return is shown escaped, which no spreadsheet evaluates."""
    assessment = assess(hostile_plan(title), bp.Ledger(), as_of=AS_OF)
    report = _render.build_report(assessment, by="leaf", lang="en")
    rows = list(csv.DictReader(io.StringIO(_render.render_csv(report))))
    assert [row["title"] for row in rows] == [cell, cell]


def test_report_csv_neutralises_labels_and_ids() -> None:
    """Status labels and ids starting like a formula are written behind an apostrophe too."""
    plan = bp.Plan(
        "-p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        measures=[bp.Measure("@m", 1, "M", tasks=[bp.Task("=t", "T")])],
    )
    rules = bp.Rules(labels={"en": {"off_track": "-1 behind", "on_track": "+fine"}})
    assessment = assess(plan, bp.Ledger(), as_of=AS_OF, rules=rules)
    report = _render.build_report(assessment, by="leaf", lang="en")
    rows = list(csv.reader(io.StringIO(_render.render_csv(report))))
    assert [row[0] for row in rows] == ["id", "'=t", "'-p"]
    assert rows[1][8] == "'-1 behind"


def test_report_csv_keeps_negative_numbers_numbers() -> None:
    """A plain signed number in a title is a number, not a formula, and stays as it is."""
    assessment = assess(hostile_plan("-5"), bp.Ledger(), as_of=AS_OF)
    report = _render.build_report(assessment, by="leaf", lang="en")
    rows = list(csv.reader(io.StringIO(_render.render_csv(report))))
    assert rows[1][2] == "-5"


# -- 11: Markdown -----------------------------------------------------------------------------


def test_report_markdown_shows_html_and_links_as_text(tmp_path: Path) -> None:
    """Raw HTML and links in titles become text in the Markdown report."""
    title = '<img src=x onerror="alert(1)"> [x](javascript:alert(1)) ![i](http://e/x.png)'
    bp.save(hostile_plan(title), tmp_path / "plan.json")
    done = command(
        "report", "--plan", str(tmp_path / "plan.json"), "--format", "markdown", "--by", "task"
    )
    out = done.stdout.decode()
    assert done.returncode == 0
    assert "<img" not in out
    assert "](" not in out.replace("\\](", "")
    assert '&lt;img src=x onerror="alert(1)"&gt; \\[x\\](javascript:alert(1))' in out
    assert "!\\[i\\](http://e/x.png)" in out


def test_report_markdown_ids_stay_code(tmp_path: Path) -> None:
    """An id with a backtick or a pipe is escaped text in its one cell, not code."""
    plan = bp.Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        measures=[bp.Measure("m`|<b>", 1, "M")],
    )
    assessment = assess(plan, bp.Ledger(), as_of=AS_OF)
    report = _render.build_report(assessment, by="measure", lang="en")
    out = _render.render_markdown(report, ids=True)
    assert "| m\\`\\|&lt;b&gt; | M |" in out


def test_report_markdown_escapes_labels(tmp_path: Path) -> None:
    """A status label from the rules is Markdown-escaped like a title."""
    plan = hostile_plan("T")
    rules = bp.Rules(labels={"en": {"no_data": "<b>late</b>", "overdue": "<b>late</b>"}})
    assessment = assess(plan, bp.Ledger(), as_of="2026-01-01", rules=rules)
    report = _render.build_report(assessment, by="leaf", lang="en")
    out = _render.render_markdown(report)
    assert "<b>" not in out
    assert "&lt;b&gt;late&lt;/b&gt;" in out


# -- 8: output that cannot be written ---------------------------------------------------------

COMMANDS = (
    ["--help"],
    ["--version"],
    ["report"],
    ["report", "--help"],
    ["report", "--format", "json"],
    ["explain", "xiongan-companies"],
    ["schema"],
)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_full_output_is_one_line_and_exit_74(argv: list[str]) -> None:
    """Writing to a full device ends with one line on standard error and exit code 74."""
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "beijing_plan", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            timeout=120,
        )
    assert done.returncode == 74
    assert done.stderr == b"beijing-plan: error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_closed_output_is_one_line_and_exit_74(argv: list[str]) -> None:
    """With standard output closed the command says so in one line and exits 74."""
    done = subprocess.run(
        ["/bin/sh", "-c", 'exec "$0" -m beijing_plan "$@" >&-', sys.executable, *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        timeout=120,
    )
    assert done.returncode == 74
    assert (
        done.stderr == b"beijing-plan: error: cannot write the output: standard output is closed\n"
    )


def test_a_closed_output_after_validate_with_the_plan_file(tmp_path: Path) -> None:
    """A file opened while standard output is closed does not take its place."""
    bp.save(hostile_plan("T"), tmp_path / "plan.json")
    done = subprocess.run(
        ["/bin/sh", "-c", 'exec "$0" -m beijing_plan validate plan.json >&-', sys.executable],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert done.returncode == 74
    assert json.loads((tmp_path / "plan.json").read_text())["id"] == "p"


def test_a_full_error_stream_does_not_hide_the_exit_code() -> None:
    """When standard error is full as well, the command still exits 74 without a traceback."""
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    done = subprocess.run(
        [
            "/bin/sh",
            "-c",
            'exec "$0" -m beijing_plan schema >/dev/full 2>/dev/full',
            sys.executable,
        ],
        check=False,
        timeout=120,
    )
    assert done.returncode == 74


def test_output_errors_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.main returns 74 and says why when standard output refuses to be written."""

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", Full())
    monkeypatch.setattr(sys, "stderr", err)
    code = cli.main(["schema"])
    monkeypatch.undo()
    assert code == 74
    assert (
        err.getvalue() == "beijing-plan: error: cannot write the output: No space left on device\n"
    )


# -- 7: the console's text of plans, ledgers and assessments ----------------------------------


def test_console_text_of_objects_shows_hostile_texts_escaped() -> None:
    """str() and repr() of a plan, ledger, assessment and result show controls escaped."""
    plan = hostile_plan()
    plan = bp.Plan(
        "p",
        plan.title,
        start="2025-01-01",
        end="2025-12-31",
        issuer=HOSTILE,
        themes=plan.themes,
        measures=plan.measures,
    )
    ledger = hostile_ledger()
    assessment = assess(plan, ledger, as_of=AS_OF)
    texts = [str(plan), repr(plan), str(ledger), repr(ledger), str(assessment), repr(assessment)]
    texts += [str(assessment[item]) for item in assessment]
    for text in texts:
        assert not set(text) & set(FORBIDDEN)
    assert f"Plan p: {SHOWN} ({SHOWN})" in str(plan).splitlines()
    assert f"  2025-01-01 to 2025-12-31; issued by {SHOWN}" in str(plan).splitlines()
    assert str(assessment["t"]).startswith(f"task t {SHOWN} ({SHOWN}): completion 40.0%,")


def test_a_closed_error_stream_keeps_usage_errors_off_the_output() -> None:
    """With standard error closed a usage error exits 2 and writes nothing to standard output."""
    done = subprocess.run(
        ["/bin/sh", "-c", 'exec "$0" -m beijing_plan report --bogus 2>&-', sys.executable],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (2, b"")
