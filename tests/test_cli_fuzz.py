"""A fuzz test of the command line: any title, note or source, in every output format.

Each example writes a small plan and ledger whose texts are drawn by Hypothesis
(control, bidi and surrogate characters included) and runs ``report`` in every
format and ``explain`` in this process. The command must exit 0, or 1 with its
one-line error; it must never raise, and nothing it prints may hold a control
character other than a newline, a bidirectional control, a line or paragraph
separator or a lone surrogate.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import beijing_plan as bp
from beijing_plan import cli
from beijing_plan._safe import BIDI_CONTROLS

#: Characters that no output may hold, beyond the categories Cc and Cs.
FORBIDDEN = BIDI_CONTROLS | frozenset("\u2028\u2029")
ERROR = "beijing-plan: error: "


def _document(title: str, note: str, source: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A plan and a ledger as documents, with ``title``, ``note`` and ``source`` placed in."""
    plan = bp.Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        themes=[bp.Theme("th", "TH")],
        measures=[bp.Measure("m", 1, "M", tasks=[bp.Task("t", "T")], themes=["th"])],
    )
    ledger = bp.Ledger(
        [bp.StatusChange("t", "2025-03-01", "in_progress", percent=20, source=bp.Source("S"))]
    )
    plan_doc: dict[str, Any] = json.loads(bp.dumps(plan))
    ledger_doc: dict[str, Any] = json.loads(bp.dumps(ledger))
    plan_doc["title"] = {"en": title, "zh": title}
    plan_doc["measures"][0]["title"] = title
    plan_doc["measures"][0]["tasks"][0]["title"] = {"en": title}
    plan_doc["themes"][0]["title"] = title
    record = ledger_doc["records"][0]
    record["note"] = note
    record["source"]["title"] = source
    return plan_doc, ledger_doc


def _run(*argv: str) -> tuple[int, str, str]:
    """Run the command in this process; its exit code, output and error output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _unsafe(text: str) -> list[str]:
    return [
        char
        for char in text
        if (unicodedata.category(char) in ("Cc", "Cs") and char != "\n") or char in FORBIDDEN
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(max_size=40), note=st.text(max_size=40), source=st.text(max_size=20))
def test_any_text_gives_safe_output_or_our_error(title: str, note: str, source: str) -> None:
    """Whatever the texts, every format and explain exit 0 or 1 with safe, one-error output."""
    plan_doc, ledger_doc = _document(title, note, source)
    with tempfile.TemporaryDirectory() as folder:
        plan, ledger = Path(folder) / "plan.json", Path(folder) / "ledger.json"
        plan.write_text(json.dumps(plan_doc), encoding="ascii")
        ledger.write_text(json.dumps(ledger_doc), encoding="ascii")
        data = ["--plan", str(plan), "--ledger", str(ledger), "--as-of", "2025-07-01"]
        runs = [
            ("report", *data, "--by", by, "--format", form, "--ids", "--lang", lang)
            for form in ("table", "json", "csv", "markdown")
            for by, lang in (("theme", "en"), ("task", "zh"))
        ]
        runs += [("explain", item, *data) for item in ("t", "m", "th", "p")]
        codes = set()
        for argv in runs:
            code, out, err = _run(*argv)
            codes.add(code)
            assert code in (0, 1), (argv, code, err)
            assert not _unsafe(out), (argv, _unsafe(out))
            assert not _unsafe(err), (argv, _unsafe(err))
            if code == 1:
                assert err.startswith(ERROR)
                assert out == ""
            else:
                assert err == ""
                assert out.endswith("\n")
        assert len(codes) == 1  # every run reads the same files, so agrees
