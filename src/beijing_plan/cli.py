"""The `beijing-plan` command: report progress, validate files, explain a figure.

Subcommands:

- `beijing-plan report`: a table of completion by theme, measure or leaf, with
  bars, the expected completion, a status and the coverage of the data, then the
  plan's total and how much of the declared plan is encoded. With no arguments it
  reports the bundled action plan against its bundled ledger, as of today in
  Beijing, by theme. `--format` gives JSON, CSV or Markdown instead.
- `beijing-plan validate FILE...`: check plan and ledger files (JSON, YAML,
  TOML, or a JSON Lines ledger) and print every problem with its path.
- `beijing-plan explain ID`: how one figure was computed, step by step.
- `beijing-plan schema`: the JSON Schema of plan or ledger documents.

Exit codes: 0 when all is well, 1 for invalid data (a file that does not load, a
ledger that does not match its plan, an unknown id), 2 for wrong usage (an
unknown option, a date that is not `YYYY-MM-DD`, `--plan` with
`--dataset`), 74 when the output cannot be written (a full disk, a closed
standard output; as `EX_IOERR` of `sysexits.h`), 130 when interrupted, 141
when the reader of the output goes away (as in `beijing-plan report | head -1`),
as for a process ended by `SIGPIPE`. None of them prints a traceback: 1, 2 and
74 print one line saying why on standard error (1 adds the problems, one a line),
130 and 141 print nothing.

Decisions:

- Titles and labels are in English unless `--lang zh` is given: English is
  what every terminal can show and every reader of the help can read; the
  Chinese titles of the bundled plans are one option away.
- Colour (statuses and bars, by their RAG colour) is used when standard output
  is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`;
  `--color always` and `--color never` decide it outright.
- The table fits the terminal's width (`COLUMNS` or the terminal's own, 80
  when neither is known; `--width` overrides both): bars shrink first, then
  long titles are cut with an ellipsis.
- A plan without themes is reported by measure unless `--by` says otherwise.
- `--plan` without `--ledger` means an empty ledger; `--ledger` without
  `--plan` is checked against the bundled plan of `--dataset`.
- A document is a ledger when it has a top-level `records` key (or the file
  ends in `.jsonl`), otherwise a plan.
- `validate --plan` reports a ledger ok only once it is checked against the
  plan: when the plan does not load, each ledger says it was not checked. A
  ledger document's problems of structure, ranges, references and units are
  listed together, in record order (a JSON Lines ledger whose lines do not
  read is checked against the plan once they do).
- Whatever the command prints that comes from outside it (titles, notes, ids,
  file names, the arguments echoed in a usage error) is shown with its control
  and bidirectional characters escaped (`\\x1b`, `\\u202e`), so a file
  cannot act on the terminal; printable text, Chinese included, is unchanged.
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
from typing import TYPE_CHECKING, NoReturn, TextIO, TypeVar

from . import _formats, datasets
from ._dates import TIMEZONE, as_date
from ._formats import parse
from ._reading import UnreadableFileError, read_bytes
from ._render import BY, FORMATS, build_report, render
from ._safe import terminal
from .assessment import Assessment, assess
from .exceptions import ROOT, PlanError, PlanValidationError, UnknownReferenceError
from .files import format_of, from_document
from .ledger import Ledger
from .ledgerfile import LedgerFile
from .model import Plan
from .rules import Rules
from .schema import json_schema

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["main"]

PROG = "beijing-plan"
EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_OUTPUT = 74
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

#: The bundled datasets: a plan and its ledger, by name.
DATASETS: Mapping[str, tuple[Callable[[], Plan], Callable[[], Ledger]]] = {
    "action-plan-2025": (datasets.action_plan_2025, datasets.action_plan_2025_ledger),
    "work-report-2025": (datasets.work_report_2025, datasets.work_report_2025_ledger),
}
DEFAULT_DATASET = "action-plan-2025"
LANGS = ("en", "zh")

_Document = TypeVar("_Document", Plan, Ledger)
_CLOSED = "standard output is closed"


class _CommandError(Exception):
    """Bad data found while running a command: a message, and the problems behind it."""

    def __init__(self, message: str, problems: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)


class _OutputError(Exception):
    """Standard output cannot take the output: a full disk, a closed descriptor."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- reading files ----------------------------------------------------------------------------


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
        ledger = LedgerFile(path).read()
        if plan is not None:
            ledger.check(plan)
        return ledger
    fmt = format_of(path)
    document = parse(read_bytes(path, limit=_formats.MAX_BYTES, what="document"), fmt)
    if isinstance(document, Mapping) and "records" in document:
        return from_document(document, Ledger, plan=plan)
    return from_document(document, Plan)


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


# -- argument types ---------------------------------------------------------------------------


def _date(text: str) -> str:
    try:
        return as_date(text).isoformat()
    except PlanValidationError:
        msg = f"{text!r} is not a date (YYYY-MM-DD)"
        raise argparse.ArgumentTypeError(msg) from None


def _width(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"{text!r} is not a positive whole number"
        raise argparse.ArgumentTypeError(msg)
    return value


# -- commands ---------------------------------------------------------------------------------


def _write(text: str) -> None:
    """Write `text` to standard output, replacing what its encoding cannot show.

    Raises:
        _OutputError: when standard output is closed or refuses the text.
        BrokenPipeError: when the reader of the output has gone away.
    """
    out = sys.stdout
    if out is None:  # Python's standard output when its descriptor is closed
        raise _OutputError(_CLOSED)
    try:
        try:
            out.write(text)
        except UnicodeEncodeError:
            encoding = out.encoding or "ascii"
            out.write(text.encode(encoding, "replace").decode(encoding))
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _OutputError(error.strerror or str(error)) from None
    except ValueError:  # a closed stream
        raise _OutputError(_CLOSED) from None


def _flush() -> None:
    """Flush standard output, which is when a full disk is found."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _OutputError(error.strerror or str(error)) from None
    except ValueError:
        raise _OutputError(_CLOSED) from None


def _assessment(args: argparse.Namespace) -> Assessment:
    """The assessment the data options ask for."""
    if args.plan is not None:
        plan = _read_as(args.plan, Plan)
        ledger = Ledger()
    else:
        load_plan, load_ledger = DATASETS[args.dataset or DEFAULT_DATASET]
        plan, ledger = load_plan(), load_ledger()
    if args.ledger is not None:
        ledger = _read_as(args.ledger, Ledger, plan)
    rules = Rules(missing=args.missing, rollup=args.rollup)
    try:
        return assess(plan, ledger, as_of=args.as_of, rules=rules)
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
    by = args.by or ("theme" if assessment.plan.themes else "measure")
    report = build_report(assessment, by=by, lang=args.lang)
    width = args.width or shutil.get_terminal_size().columns
    colour = args.format == "table" and use_colour(args.color, sys.stdout, os.environ)
    _write(render(report, args.format, width=width, colour=colour, ids=args.ids))
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


# -- the parser -------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """A parser whose help and errors are written as the command's other output is."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if not message:
            return
        if file is None or file is sys.stdout:  # None: standard output is closed
            _write(terminal(message, newlines=True))
        else:
            _say(terminal(message, newlines=True), file)

    def error(self, message: str) -> NoReturn:
        """Say what is wrong with the arguments on standard error, and exit 2."""
        text = f"{self.format_usage()}{self.prog}: error: {message}\n"
        _say(terminal(text, newlines=True), sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _data_options() -> _Parser:
    """The options that choose the data and the rules, shared by `report` and `explain`."""
    parent = _Parser(add_help=False)
    data = parent.add_argument_group("data")
    # Not a mutually exclusive group: argparse would list it outside this group in --help.
    data.add_argument(
        "--dataset",
        choices=DATASETS,
        help=f"a bundled plan with its ledger (default: {DEFAULT_DATASET})",
    )
    data.add_argument(
        "--plan",
        metavar="FILE",
        type=Path,
        help="a plan file (.json, .yaml, .yml, .toml) instead of a dataset; "
        "without --ledger, nothing is recorded",
    )
    data.add_argument(
        "--ledger",
        metavar="FILE",
        type=Path,
        help="a ledger file (.json, .yaml, .yml, .toml, .jsonl)",
    )
    data.add_argument(
        "--as-of",
        metavar="DATE",
        type=_date,
        help=f"the date of the assessment, YYYY-MM-DD (default: today in {TIMEZONE})",
    )
    rules = parent.add_argument_group("rules")
    rules.add_argument(
        "--missing",
        choices=("zero", "exclude"),
        default="zero",
        help="an item with no data counts as 0, or is left out of the mean (default: zero)",
    )
    rules.add_argument(
        "--rollup",
        choices=("flat", "nested"),
        default="flat",
        help="weighted mean over the leaves, or plain mean of the children (default: flat)",
    )
    parent.add_argument(
        "--lang", choices=LANGS, default="en", help="language of titles and labels (default: en)"
    )
    return parent


class _Version(argparse.Action):
    """`--version`: looks the version up only when asked, as the lookup is slow."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from importlib import metadata  # noqa: PLC0415 (a slow import, needed only here)

        try:
            version = metadata.version("beijing-plan")
        except metadata.PackageNotFoundError:  # pragma: no cover - a source tree, not installed
            version = "(not installed)"
        _write(f"{parser.prog} {version}\n")
        parser.exit()


#: The old name of `--by leaf`, still accepted.
_BY_ALIAS = "task"


def _by(value: str) -> str:
    """The `--by` choice, with its alias `task` read as `leaf`."""
    return "leaf" if value == _BY_ALIAS else value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Track a government action plan: completion, schedule and data coverage.",
        epilog=(
            "examples:\n"
            f"  {PROG} report                       the bundled action plan, by theme\n"
            f"  {PROG} report --by leaf --ids       every task, policy and target\n"
            f"  {PROG} explain xiongan-companies    how one figure was computed\n"
            f"  {PROG} validate plan.yaml progress.json --plan plan.yaml\n"
            "\n"
            "exit codes: 0 ok, 1 invalid data, 2 wrong usage, 74 output not written"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    data = _data_options()

    report = commands.add_parser(
        "report",
        parents=[data],
        help="completion by theme, measure or leaf",
        description="Report completion, expected completion, status and coverage.",
    )
    report.add_argument(
        "--by",
        type=_by,
        choices=BY,
        help="one row per theme, measure, or leaf (every task, policy and target; "
        f"{_BY_ALIAS} is accepted as an alias of leaf); "
        "default: theme, or measure for a plan without themes",
    )
    report.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    report.add_argument(
        "--color",
        "--colour",
        dest="color",
        metavar="WHEN",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour statuses and bars: auto, always or never (default: auto, which "
        "colours on a terminal unless NO_COLOR is set or TERM is dumb)",
    )
    report.add_argument(
        "--width",
        metavar="CELLS",
        type=_width,
        help="the table's width (default: the terminal's)",
    )
    report.add_argument(
        "--ids", action="store_true", help="add each row's id (for explain) to the table"
    )
    report.set_defaults(handler=_report, data_parser=report)

    validate = commands.add_parser(
        "validate",
        help="check plan and ledger files",
        description="Check plan and ledger files and print every problem with its path.",
    )
    validate.add_argument("files", metavar="FILE", nargs="+", type=Path, help="a file to check")
    validate.add_argument(
        "--plan", metavar="FILE", type=Path, help="also check that the ledgers match this plan"
    )
    validate.set_defaults(handler=_validate)

    explain = commands.add_parser(
        "explain",
        parents=[data],
        help="how one figure was computed",
        description="Explain how the figures of one item (or of the plan, by its id) "
        "were computed.",
    )
    explain.add_argument("id", metavar="ID", help="the id of a task, measure, theme, ...")
    explain.set_defaults(handler=_explain, data_parser=explain)

    schema = commands.add_parser(
        "schema",
        help="the JSON Schema of the file format",
        description="Print the JSON Schema of plan or ledger documents.",
    )
    schema.add_argument(
        "--kind", choices=("plan", "ledger"), default="plan", help="which document (default: plan)"
    )
    schema.set_defaults(handler=_schema)
    return parser


# -- running ----------------------------------------------------------------------------------


def _say(text: str, stream: SupportsWrite[str] | None) -> None:
    """Write `text` to standard error as well as it can: nothing is left to tell a failure."""
    try:
        if stream is not None:
            stream.write(text)
            flush = getattr(stream, "flush", None)
            if flush is not None:
                flush()
    except (OSError, ValueError):
        pass


def _complain(message: str, problems: Sequence[tuple[str, str]] = ()) -> None:
    """Say what went wrong on standard error, with what comes from outside shown escaped."""
    lines = [f"{PROG}: error: {terminal(message)}"]
    lines += [
        f"  {terminal(where)}: {terminal(text)}" if where else f"  {terminal(text)}"
        for where, text in problems
    ]
    _say("".join(line + "\n" for line in lines), sys.stderr)


def _check_sources(args: argparse.Namespace) -> None:
    """Refuse a bundled dataset and a plan file together (a usage error)."""
    command: argparse.ArgumentParser | None = getattr(args, "data_parser", None)
    if command is not None and args.dataset is not None and args.plan is not None:
        command.error("argument --plan: not allowed with argument --dataset")


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        _check_sources(args)
    except SystemExit as stop:  # usage errors, --help, --version
        code = stop.code if isinstance(stop.code, int) else EXIT_USAGE
    else:
        code = _command(args)
    _flush()
    return code


def _command(args: argparse.Namespace) -> int:
    try:
        code: int = args.handler(args)
    except _CommandError as failure:
        _complain(failure.message, failure.problems)
        code = EXIT_INVALID
    except PlanValidationError as error:
        problems = [(where or ROOT, text) for where, text in error.problems]
        _complain(f"invalid data ({_problem_count(problems)})", problems)
        code = EXIT_INVALID
    except PlanError as error:
        _complain(str(error))
        code = EXIT_INVALID
    return code


def _silence_stdout() -> None:
    """Point standard output at the null device, so that flushing at exit cannot fail.

    What could not be written is then dropped at exit without a word, instead
    of Python's "Exception ignored" message.
    """
    if sys.stdout is None:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # a stream with no descriptor, as under a test's capture
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (the process's arguments by default).

    Returns:
        The exit code: 0 ok, 1 invalid data, 2 wrong usage, 74 when the output
        cannot be written, 130 interrupted, 141 when the output's reader went away.
    """
    try:
        return _run(argv)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except _OutputError as failure:
        _silence_stdout()
        _complain(f"cannot write the output: {failure.reason}")
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
