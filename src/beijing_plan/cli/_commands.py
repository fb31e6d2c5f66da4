"""The command's subcommands: `report`, `reporting`, `explain`, `history`, `schema` and
`validate`.

Each takes the parsed arguments, writes its output and returns its exit code; bad
data is raised as a `_CommandError` for the caller to report.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO, TypeVar

import pendulum

from .. import _formats, datasets
from .._dates import as_date
from .._formats import parse
from .._reading import UnreadableFileError, read_bytes
from .._render import build_report, file_bytes, render
from .._render_reporting import render_reporting
from .._safe import terminal
from .._timeline import build_timeline, render_timeline
from ..assessment import Assessment, assess
from ..exceptions import PlanValidationError, UnknownReferenceError
from ..files import format_of, from_document
from ..histories import history, period_ends
from ..ledger import Ledger
from ..ledgerfile import LedgerFile
from ..model import Plan
from ..rules import Rules
from ..schema import json_schema
from ._history import compared
from ._output import EXIT_INVALID, EXIT_OK, PROG, _write, _write_file

#: The `--format` of the report page, which is made from the assessment, not a `Report`.
HTML = "html"

#: The bundled datasets: a plan and its ledger, by name.
DATASETS: Mapping[str, tuple[Callable[[], Plan], Callable[[], Ledger]]] = {
    "action-plan-2025": (datasets.action_plan_2025, datasets.action_plan_2025_ledger),
    "work-report-2025": (datasets.work_report_2025, datasets.work_report_2025_ledger),
}
DEFAULT_DATASET = "action-plan-2025"
#: The width of a table written to a file, which has no terminal to fit.
_FILE_WIDTH = 80

_Document = TypeVar("_Document", Plan, Ledger)


class _CommandError(Exception):
    """Bad data found while running a command: a message, and the problems behind it."""

    def __init__(self, message: str, problems: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)


def read_document(path: Path, plan: Plan | None = None) -> Plan | Ledger:
    """The plan or the ledger a file holds, whichever it is.

    A ledger is checked against `plan` when one is given, and every problem it
    has, of structure or of reference, is raised together.

    Raises:
        UnreadableFileError: for a folder, a named pipe, a device, or a file
            larger than the limit (nothing is read from it).
        PlanValidationError: for a file that is not a valid document, or a
            ledger that does not fit `plan`.
        OSError: for a file that cannot be opened.
    """
    if path.suffix.lower() == ".jsonl":
        ledger = LedgerFile(path).read(plan=plan)
        if plan is not None:
            ledger.check(plan)
        return ledger
    fmt = format_of(path)
    document = parse(read_bytes(path, limit=_formats.MAX_BYTES, what="document"), fmt)
    if isinstance(document, Mapping) and "records" in document:
        return from_document(document, Ledger, plan=plan, format=fmt)
    return from_document(document, Plan, format=fmt)


def _reason(error: UnreadableFileError) -> str:
    """Why a file was not read, without its path (the caller names it)."""
    return "; ".join(message for _, message in error.problems)


def _kind(value: Plan | Ledger) -> str:
    return "ledger" if isinstance(value, Ledger) else "plan"


def _problem_count(problems: Sequence[object]) -> str:
    return "1 problem" if len(problems) == 1 else f"{len(problems)} problems"


def _read_as(path: Path, cls: type[_Document], plan: Plan | None = None) -> _Document:
    """Read `path`, which must hold a `cls` (a ledger checked against `plan`)."""
    wanted = "ledger" if cls is Ledger else "plan"
    try:
        value = read_document(path, plan)
    except OSError as error:
        raise _CommandError(f"cannot read {str(path)!r}: {error.strerror or error}") from None
    except UnreadableFileError as error:
        raise _CommandError(f"cannot read {str(path)!r}: {_reason(error)}") from None
    except UnknownReferenceError as error:
        message = f"the ledger does not match the plan ({_problem_count(error.problems)})"
        raise _CommandError(message, error.problems) from None
    except PlanValidationError as error:
        message = f"{path} is not a valid {wanted} ({_problem_count(error.problems)})"
        raise _CommandError(message, error.problems) from None
    if not isinstance(value, cls):
        raise _CommandError(f"{path} holds a {_kind(value)}, not a {wanted}")
    return value


def _inputs(args: argparse.Namespace) -> tuple[Plan, Ledger, Rules]:
    """The plan, the ledger and the rules the data options ask for."""
    if args.plan is not None:
        plan = _read_as(args.plan, Plan)
        ledger = Ledger()
    else:
        load_plan, load_ledger = DATASETS[args.dataset or DEFAULT_DATASET]
        plan, ledger = load_plan(), load_ledger()
    if args.ledger is not None:
        ledger = _read_as(args.ledger, Ledger, plan)
    return plan, ledger, Rules(missing=args.missing, rollup=args.rollup)


def _assessment(args: argparse.Namespace) -> Assessment:
    """The assessment the data options ask for."""
    plan, ledger, rules = _inputs(args)
    try:
        return assess(plan, ledger, as_of=args.as_of, rules=rules, known_at=args.known_at)
    except UnknownReferenceError as error:
        message = f"the ledger does not match the plan ({_problem_count(error.problems)})"
        raise _CommandError(message, error.problems) from None


def use_colour(mode: str, stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Whether to colour the output: `mode` is `"always"`, `"never"` or `"auto"`."""
    if mode != "auto":
        return mode == "always"
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def _report(args: argparse.Namespace) -> int:
    assessment = _assessment(args)
    output: Path | None = args.output
    if args.format == HTML:
        text = assessment.to_html(lang=args.lang)
    else:
        by = args.by or ("theme" if assessment.plan.themes else "measure")
        report = compared(
            args, assessment, build_report(assessment, by=by, lang=args.lang, role=args.role)
        )
        if output is None:
            width = args.width or shutil.get_terminal_size().columns
            colour = use_colour(args.color, sys.stdout, os.environ)
        else:
            width, colour = args.width or _FILE_WIDTH, args.color == "always"
        text = render(
            report, args.format, width=width, colour=args.format == "table" and colour, ids=args.ids
        )
    if output is None:
        _write(text)
    else:
        _write_file(output, file_bytes(text, args.format))
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    plan, ledger, rules = _inputs(args)
    at: str | list[pendulum.Date] = args.every
    if args.as_of is not None:  # the periods up to the date, the last one cut there
        at = period_ends(plan.start, min(plan.end, as_date(args.as_of)), args.every)
    try:
        found = history(
            plan,
            ledger,
            at=at,
            rules=rules,
            known_at=args.known_at,
            reported_after=args.reported_after,
        )
    except UnknownReferenceError as error:
        message = f"the ledger does not match the plan ({_problem_count(error.problems)})"
        raise _CommandError(message, error.problems) from None
    by = args.by or ("theme" if plan.themes else "measure")
    timeline = build_timeline(found, by=by, lang=args.lang)
    width = args.width or shutil.get_terminal_size().columns
    colour = args.format == "table" and use_colour(args.color, sys.stdout, os.environ)
    _write(render_timeline(timeline, args.format, width=width, colour=colour))
    return EXIT_OK


def _reporting(args: argparse.Namespace) -> int:
    reporting = _assessment(args).reporting(
        by=args.by, role=args.role, silent_after=args.silent_after
    )
    if args.period is not None:
        reporting = reporting.within(args.period)
    _write(render_reporting(reporting, args.format, lang=args.lang, period=args.period))
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    assessment = _assessment(args)
    result = assessment.get(args.id)
    if result is None:
        message = f"no item {args.id!r} in the plan"
        close = difflib.get_close_matches(args.id, list(assessment), n=3, cutoff=0.6)
        names = [repr(name) for name in close]
        if not names:
            hint = f"`{PROG} report --by leaf --ids` lists the ids of the leaves"
        elif len(names) == 1:
            hint = f"did you mean {names[0]}?"
        else:
            hint = f"did you mean {', '.join(names[:-1])} or {names[-1]}?"
        raise _CommandError(message, [("", hint)])
    _write(result.explain(lang=args.lang) + "\n")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    schema = json_schema(Ledger if args.kind == "ledger" else Plan)
    _write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _check_file(path: Path, plan: Plan | None) -> tuple[Plan | Ledger | None, list[str]]:
    """What `path` holds (`None` when invalid) and the problem lines to print."""
    try:
        value = read_document(path, plan)
    except OSError as error:
        return None, [f"{path}: cannot read: {error.strerror or error}"]
    except UnreadableFileError as error:
        return None, [f"{path}: cannot read: {_reason(error)}"]
    except PlanValidationError as error:
        return None, [_problem_line(path, p, m) for p, m in error.problems]
    return value, []


def _problem_line(path: Path, where: str, message: str) -> str:
    return f"{path}: {where}: {message}" if where else f"{path}: {message}"


def _validate(args: argparse.Namespace) -> int:
    plan_path: Path | None = args.plan
    files: list[Path] = list(dict.fromkeys(args.files))
    plan: Plan | None = None
    if plan_path is not None:
        files = [plan_path, *(path for path in files if path != plan_path)]
    failed = False
    for path in files:
        value, problems = _check_file(path, plan)
        if path == plan_path:
            if isinstance(value, Plan):
                plan = value
            elif isinstance(value, Ledger):
                problems = [f"{path}: holds a ledger, not a plan"]
        elif isinstance(value, Ledger) and plan_path is not None and plan is None:
            problems = [f"{path}: not checked against {plan_path} (the plan did not load)"]
        failed = failed or bool(problems)
        _write("".join(terminal(line) + "\n" for line in problems or [f"{path}: ok"]))
    return EXIT_INVALID if failed else EXIT_OK
