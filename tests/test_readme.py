"""Tests that README.md's commands and example are the ones CI runs, and work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    """The shell commands README.md shows, in order."""
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", README, re.S)]


def test_readme_opens_with_the_two_fresh_machine_commands() -> None:
    """The first two commands install and report, then install and test."""
    report, tests = shell_blocks()[:2]
    assert report.endswith("beijing-plan report")
    assert "pip install -e ." in report
    assert '".[test]"' in tests
    assert "pytest" in tests
    assert "mypy" in tests
    assert "ruff check" in tests
    assert README.index(report) < README.index("## In Python")


def test_ci_runs_both_commands_exactly_as_written() -> None:
    """.ci/run contains each README command verbatim, on a line of its own."""
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in shell_blocks()[:2]:
        assert command in ci_lines


def test_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The Python example runs and prints what the text around it says."""
    code = re.search(r"```python\n(.*?)```", README, re.S)
    assert code is not None
    exec(compile(code.group(1), "README.md", "exec"), {})  # noqa: S102 (the README's own example)
    out = capsys.readouterr().out
    assert "missing=zero: 21% done, coverage 29%" in out
    assert "missing=exclude: 100% done, coverage 29%" in out
    assert "132 / 60" in out
