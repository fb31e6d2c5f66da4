"""The `beijing-plan` command: report progress, validate files, explain a figure.

Subcommands:

- `beijing-plan report`: a table of completion by theme, measure, leaf or
  responsible unit (`--by unit --role lead|partner|any`), with
  bars, the expected completion, a status and the coverage of the data, then the
  plan's total and how much of the declared plan is encoded. With no arguments it
  reports the bundled action plan against its bundled ledger, as of today in
  Beijing, by theme. `--format` gives JSON, CSV or Markdown instead, or `html`:
  one self-contained page with every table and explanation. `--output FILE`
  writes to a file, replaced atomically, in the format its suffix asks for.
- `beijing-plan validate FILE...`: check plan and ledger files (JSON, YAML,
  TOML, or a JSON Lines ledger) and print every problem with its path.
- `beijing-plan reporting`: who reported on time: per responsible unit (or leaf)
  and period, the reports expected, on time, late and missing and the on-time
  rate, then the silent leaves; `--period 2025-Q2` keeps the periods within one.
- `beijing-plan explain ID`: how one figure was computed, step by step.
- `beijing-plan history`: completion and status at the end of each month,
  quarter or year, one column per period end (see `cli/_history.py`).
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
  long titles are cut with an ellipsis, then the bars go (the percentage stays)
  and the gaps narrow. The narrowest table is 50 cells: `--width` below 50 is
  a usage error (exit 2), and a terminal narrower than that gets a table 50
  cells wide. Ids (`--ids`) are never cut, so they widen the table by their
  width.
- `--output FILE` replaces the file atomically (the old file or the new one,
  never part of either, as every writer of the library does). Its suffix
  gives the format: `.txt` a table, `.json` JSON, `.csv` CSV, `.md` or
  `.markdown` Markdown, in any case. An explicit `--format` wins; one that the
  suffix contradicts (`--format json -o r.csv`) is a usage error, as is a
  suffix that says no format without `--format`. A table written to a file is
  80 cells wide unless `--width` says otherwise, and coloured only with
  `--color always`. A CSV file starts with a UTF-8 byte order mark, so that
  Excel shows Chinese text rather than guessing the system's code page; CSV on
  standard output has none. A file that cannot be written ends the command
  with 74, naming the file.
- Heads of the table, Markdown and CSV are in the language of `--lang`; JSON
  keeps its keys and names them in its `columns` object.
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
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .._dates import TIMEZONE, as_date
from .._engine.units import ROLES
from .._render import BY, FORMATS, MIN_WIDTH, OUTPUT_SUFFIXES
from .._safe import terminal
from ..exceptions import ROOT, PlanError, PlanValidationError
from ..reporting import period_days
from ._commands import (
    DATASETS,
    DEFAULT_DATASET,
    HTML,
    _CommandError,
    _explain,
    _history,
    _problem_count,
    _report,
    _reporting,
    _schema,
    _validate,
)
from ._commands import read_document as read_document
from ._commands import use_colour as use_colour
from ._history import add_compare, add_history, add_known_at, check_time_options
from ._output import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OUTPUT,
    EXIT_USAGE,
    PROG,
    _complain,
    _flush,
    _OutputError,
    _say,
    _write,
)

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["main"]

LANGS = ("en", "zh")


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
    if value < MIN_WIDTH:
        msg = f"{text!r} is narrower than the narrowest table, {MIN_WIDTH} cells"
        raise argparse.ArgumentTypeError(msg)
    return value


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
    add_known_at(data, _date)
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
        help="one row per theme, measure, leaf (every task, policy and target; "
        f"{_BY_ALIAS} is accepted as an alias of leaf) or responsible unit; "
        "default: theme, or measure for a plan without themes",
    )
    report.add_argument(
        "--format",
        choices=(*FORMATS, HTML),
        help="output format (default: the one the name of --output asks for, else table); "
        "html is a self-contained page of the plan's total, its themes and measures, and "
        "every leaf with its explanation (--by, --width, --ids and --color do not apply to it)",
    )
    suffixes = ", ".join(f"{suffix} {name}" for suffix, name in OUTPUT_SUFFIXES.items())
    report.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        type=Path,
        help="write to FILE instead of standard output, replacing it whole or not at all; "
        f"its suffix gives the format ({suffixes}); a CSV file starts with a UTF-8 "
        "byte order mark for Excel",
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
        help=f"the table's width in cells, at least {MIN_WIDTH} (default: the terminal's, "
        f"taken as {MIN_WIDTH} when narrower); bars shrink, then titles are cut, then bars "
        "go; ids are never cut",
    )
    report.add_argument(
        "--ids", action="store_true", help="add each row's id (for explain) to the table"
    )
    add_compare(report, _date)
    _unit_options(report)
    report.set_defaults(handler=_report, data_parser=report)
    _reporting_command(commands, data)

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
    add_history(commands, data, _by, _width, _history)

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


def _period(text: str) -> str:
    """A period for `--period`, checked as `Reporting.within` reads it."""
    try:
        period_days(text)
    except PlanValidationError:
        msg = f"{text!r} is not a period (YYYY, YYYY-Qn or YYYY-MM)"
        raise argparse.ArgumentTypeError(msg) from None
    return text


def _unit_options(command: argparse.ArgumentParser) -> None:
    """`--role`, which units `--by unit` lists."""
    command.add_argument(
        "--role",
        choices=ROLES,
        default="lead",
        help="with --by unit: the units that lead (牵头), are partners (配合), "
        "or either (default: lead)",
    )


def _reporting_command(commands: Any, data: argparse.ArgumentParser) -> None:
    """`reporting`: who reported on time, by unit or leaf and period."""
    command = commands.add_parser(
        "reporting",
        parents=[data],
        help="reports expected, on time, late and missing, by unit or leaf",
        description="Count the reports each unit (or leaf) owed by the date at its "
        "cadence: expected, on time, late, missing, and the on-time rate.",
    )
    command.add_argument(
        "--by",
        choices=("unit", "leaf"),
        default="unit",
        help="one row per unit or leaf and period (default: unit)",
    )
    command.add_argument(
        "--period",
        metavar="PERIOD",
        type=_period,
        help="only the periods within this one: YYYY, YYYY-Qn or YYYY-MM (e.g. 2025-Q2)",
    )
    command.add_argument(
        "--silent-after",
        metavar="N",
        type=_width,
        default=2,
        help="a leaf is silent when its last N reports are missing (default: 2)",
    )
    command.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    _unit_options(command)
    command.set_defaults(handler=_reporting, data_parser=command)


def _check_sources(args: argparse.Namespace) -> None:
    """Refuse a bundled dataset and a plan file together (a usage error)."""
    command: argparse.ArgumentParser | None = getattr(args, "data_parser", None)
    if command is not None and args.dataset is not None and args.plan is not None:
        command.error("argument --plan: not allowed with argument --dataset")


def _check_output(args: argparse.Namespace) -> None:
    """Settle the report's format: `--format`, else the suffix of `--output`, else a table.

    A format that the name of `--output` contradicts, or a name whose suffix
    says no format when `--format` is not given, is a usage error.
    """
    if not hasattr(args, "format"):
        return
    command: argparse.ArgumentParser = args.data_parser
    chosen: str | None = args.format
    output: Path | None = getattr(args, "output", None)
    if output is not None:
        implied = OUTPUT_SUFFIXES.get(output.suffix.lower())
        name = str(output)
        if chosen is None and implied is None:
            known = ", ".join(OUTPUT_SUFFIXES)
            command.error(
                f"argument --output: the name {name!r} does not say which format to write "
                f"(a name ending in {known} does); give --format"
            )
        if chosen is not None and implied is not None and chosen != implied:
            command.error(
                f"argument --format: {chosen!r} contradicts the name {name!r}, "
                f"which asks for {implied!r}"
            )
        chosen = chosen or implied
    args.format = chosen or "table"


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        _check_sources(args)
        _check_output(args)
        check_time_options(args)
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
