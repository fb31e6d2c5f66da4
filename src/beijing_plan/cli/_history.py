"""The command's time options: `--known-at`, `report --compare` and the `history` command.

Decisions:

- `--compare DATE` assesses the same plan, ledger, rules and knowledge day at DATE
  and adds a change column: the arrow of each row's transition and its change of
  completion. A DATE after the report's date (`--as-of`, or today) is a usage error.
- `history --every` lists the period ends over the plan's span, the last one cut at
  the plan's end (or at `--as-of`, when given, leaving out later periods);
  `--reported-after N` assesses each with what was known N days
  after it, and cannot be given with `--known-at`.
"""

from __future__ import annotations

import argparse
from typing import Any

from .._dates import TIMEZONE, as_date, today
from .._render import BY, FORMATS, Report
from .._timeline import with_changes
from ..assessment import Assessment, assess
from ..histories import PERIODS

__all__ = [
    "add_compare",
    "add_history",
    "add_known_at",
    "check_time_options",
    "compared",
]


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        msg = f"{text!r} is not a whole number of days (0 or more)"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_known_at(group: Any, date: Any) -> None:
    """Add `--known-at` to a group of data options; `date` reads a date argument."""
    group.add_argument(
        "--known-at",
        metavar="DATE",
        type=date,
        help="use only what was known on this day: records entered later, and their "
        "corrections, do not count (default: everything entered)",
    )


def add_compare(parser: argparse.ArgumentParser, date: Any) -> None:
    """Add `--compare` to the `report` command."""
    parser.add_argument(
        "--compare",
        metavar="DATE",
        type=date,
        help="add a change column: each row's change of completion and status since "
        "DATE (on or before the report's date)",
    )


def add_history(
    commands: Any, data: argparse.ArgumentParser, by: Any, width: Any, run: Any
) -> None:
    """Add the `history` command, run by `run`; `by` and `width` read those arguments."""
    command = commands.add_parser(
        "history",
        parents=[data],
        help="completion and status at the end of each month, quarter or year",
        description="Assess the plan at the end of each period over its span: one row "
        "per theme, measure or leaf, one column per period end. With --as-of, the "
        "periods up to that date, the last one cut there.",
    )
    command.add_argument(
        "--every",
        choices=tuple(PERIODS),
        default="month",
        help="the periods whose ends are the columns (default: month)",
    )
    command.add_argument(
        "--by",
        type=by,
        choices=tuple(name for name in BY if name != "unit"),
        help="one row per theme, measure, or leaf; default: theme, or measure for a plan "
        "without themes",
    )
    command.add_argument(
        "--reported-after",
        metavar="DAYS",
        type=_days,
        help="assess each period end with what was known this many days after it, so "
        "that later corrections show as restatements (not with --known-at)",
    )
    command.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    command.add_argument(
        "--color",
        "--colour",
        dest="color",
        metavar="WHEN",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the statuses: auto, always or never (default: auto)",
    )
    command.add_argument(
        "--width", metavar="CELLS", type=width, help="the table's width (default: the terminal's)"
    )
    command.set_defaults(handler=run, data_parser=command)


def check_time_options(args: argparse.Namespace) -> None:
    """Refuse `--compare` after the report's date and `--reported-after` with `--known-at`."""
    command: argparse.ArgumentParser | None = getattr(args, "data_parser", None)
    if command is None:
        return
    compare = getattr(args, "compare", None)
    if compare is not None:
        day = as_date(args.as_of) if args.as_of is not None else today()
        if as_date(compare) > day:
            where = f"--as-of {day}" if args.as_of is not None else f"today in {TIMEZONE}, {day}"
            command.error(f"argument --compare: {compare} is after the report's date ({where})")
    if getattr(args, "reported_after", None) is not None and args.known_at is not None:
        command.error("argument --reported-after: not allowed with argument --known-at")


def compared(args: argparse.Namespace, assessment: Assessment, report: Report) -> Report:
    """`report` with its change column when `--compare` is given."""
    if args.compare is None:
        return report
    earlier = assess(
        assessment.plan,
        assessment.ledger,
        as_of=args.compare,
        rules=assessment.rules,
        known_at=assessment.known_at,
    )
    return with_changes(report, assessment.compare(earlier), earlier.as_of)
