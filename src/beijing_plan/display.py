"""Readable text and notebook HTML for plans, ledgers, assessments and results.

Notebooks show an object's `_repr_html_`; consoles its `repr` and `str`.
This module writes all of them as plain functions:

- [`plan_html`][beijing_plan.display.plan_html],
  [`assessment_html`][beijing_plan.display.assessment_html] and
  [`result_html`][beijing_plan.display.result_html]: compact
  HTML tables with a progress bar per row (the expected completion marked on
  it), a status chip in the status's RAG colour, and titles in Chinese and
  English. The HTML is self-contained (inline styles, no scripts, no external
  style sheets) and every text is escaped, so a title holding `<` or `&`
  shows as written.
- [`plan_str`][beijing_plan.display.plan_str], [`ledger_str`][beijing_plan.display.ledger_str],
  [`assessment_str`][beijing_plan.display.assessment_str] and
  [`result_str`][beijing_plan.display.result_str]: a few lines of plain text each, with every
  control or bidirectional character of a title, id or note shown escaped (`\\x1b`,
  `\\u202e`), so that printing an object cannot act on the console.
- [`plan_repr`][beijing_plan.display.plan_repr], [`ledger_repr`][beijing_plan.display.ledger_repr]
  and [`assessment_repr`][beijing_plan.display.assessment_repr]: one line
  that names the object without printing every item and record it holds.

Long tables stop after `max_rows` rows with a line saying how many were left
out; the frames of [`beijing_plan.frames`][beijing_plan.frames] hold every row.

>>> from beijing_plan import Measure, Plan, Task
>>> plan = Plan("p", "计划", start="2025-01-01", end="2025-12-31",
...             measures=[Measure("m", 1, "Measure", tasks=[Task("a", "A & B")])])
>>> plan_repr(plan)
"<Plan 'p' '计划': 1 measure, 1 task, 0 policies>"
>>> "A &amp; B" in plan_html(plan)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._html import (
    BOX,
    CONTRIBUTION_HEADER,
    LEDGER_COLUMNS,
    LEDGER_HEADER,
    MUTED,
    PLAN_HEADER,
    RESULT_COLUMNS,
    RESULT_HEADER,
    TABLE,
    check_max_rows,
    contribution_row,
    escape,
    heading,
    leaf_row,
    limited,
    measure_row,
    more_row,
    record_kind,
    record_row,
    result_row,
    section_row,
    target_line,
)
from ._numbers import quantity_text
from ._present import fraction_text, is_observation, item_themes, number_text, plural
from ._safe import terminal
from ._words import HTML_RECORD_KINDS, HTML_WORDS, SECTIONS
from .exceptions import PlanValidationError
from .rules import Rules

if TYPE_CHECKING:
    from .assessment import Assessment, Result
    from .ledger import Ledger, Record
    from .model import Measure, Plan, Policy, Target, Task, Text

__all__ = [
    "assessment_html",
    "assessment_repr",
    "assessment_str",
    "ledger_html",
    "ledger_repr",
    "ledger_str",
    "plan_html",
    "plan_repr",
    "plan_str",
    "result_html",
    "result_str",
    "units_html",
]

# -- text ------------------------------------------------------------------------------


def _lines(lines: Sequence[str]) -> str:
    """The lines as one text, each shown as a console may show it."""
    return "\n".join(terminal(line) for line in lines)


def _both(title: Text) -> str:
    """The title in Chinese with the English in brackets, or whichever it has."""
    if title.zh is not None and title.en is not None:
        return f"{title.zh} ({title.en})"
    return title.get()


def plan_repr(plan: Plan) -> str:
    """One line naming a plan and counting its measures, tasks and policies."""
    tasks = sum(len(measure.tasks) for measure in plan.measures)
    counts = ", ".join(
        (
            plural(len(plan.measures), "measure"),
            plural(tasks, "task"),
            plural(len(plan.policies), "policy", "policies"),
        )
    )
    return f"<Plan {plan.id!r} {plan.title.get()!r}: {counts}>"


def ledger_repr(ledger: Ledger) -> str:
    """One line counting a ledger's records and the days they span."""
    if not len(ledger):
        return "<Ledger: no records>"
    days = [record.on for record in ledger]
    return f"<Ledger: {plural(len(ledger), 'record')}, {min(days)} to {max(days)}>"


def assessment_repr(assessment: Assessment) -> str:
    """One line naming an assessment's plan and date, with the plan's completion."""
    overall = assessment.overall
    completion = "no data" if overall.completion is None else f"{overall.completion:.4f}"
    return (
        f"<Assessment of {assessment.plan.id!r} as of {assessment.as_of}: "
        f"completion {completion}, {overall.status.value}>"
    )


def result_str(result: Result, *, rules: Rules | None = None) -> str:
    """One line with every figure of a result.

    Args:
        result: The result.
        rules: The rules whose status labels to use (the defaults when omitted).
    """
    label = (rules or Rules()).label(result.status)
    due = "" if result.due is None else f", due {result.due}"
    return terminal(
        f"{result.kind} {result.id} {_both(result.title)}: "
        f"completion {fraction_text(result.completion)}, "
        f"expected {fraction_text(result.expected)}, spi {number_text(result.spi)}, "
        f"{label}, coverage {fraction_text(result.coverage)}, weight {result.weight:g}{due}"
    )


def _result_lines(results: Sequence[Result], rules: Rules) -> list[str]:
    width = max((len(result.id) for result in results), default=0)
    return [
        f"  {result.id:<{width}}  {fraction_text(result.completion):>6} of "
        f"{fraction_text(result.expected):>6}  {rules.label(result.status):<9}  "
        f"{_both(result.title)}"
        for result in results
    ]


def assessment_str(assessment: Assessment) -> str:
    """The plan's figures, then one line per measure and per theme."""
    rules, overall = assessment.rules, assessment.overall
    lines = [
        f"Assessment of {assessment.plan.id} {_both(assessment.plan.title)} "
        f"as of {assessment.as_of}",
        f"  overall: {fraction_text(overall.completion)} complete, "
        f"{fraction_text(overall.expected)} expected, {rules.label(overall.status)}, "
        f"coverage {fraction_text(overall.coverage)}",
    ]
    for name, results in (
        ("By measure:", list(assessment.by_measure().values())),
        ("By theme:", list(assessment.by_theme().values())),
    ):
        if results:
            lines.append(name)
            lines.extend(_result_lines(results, rules))
    return _lines(lines)


def _sizes(plan: Plan) -> list[str]:
    """How many measures, tasks, policies, targets, milestones and themes a plan holds.

    The first three say how many the plan declares, when it declares them.
    """
    declared = plan.declared
    counts = (
        (len(plan.measures), "measure", None, None if declared is None else declared.measures),
        (
            sum(len(measure.tasks) for measure in plan.measures),
            "task",
            None,
            None if declared is None else declared.tasks,
        ),
        (len(plan.policies), "policy", "policies", None if declared is None else declared.policies),
    )
    sizes = [
        plural(count, word, many) + ("" if of is None else f" of {of} declared")
        for count, word, many, of in counts
    ]
    sizes.append(plural(sum(1 for _ in plan.targets()), "target"))
    sizes.append(plural(sum(1 for _ in plan.milestones()), "milestone"))
    sizes.append(plural(len(plan.themes), "theme"))
    return sizes


def plan_str(plan: Plan) -> str:
    """The plan's title, period and size, then one line per measure."""
    period = f"{plan.start} to {plan.end}"
    if plan.issuer is not None:
        period += f"; issued by {plan.issuer}"
    if plan.published is not None:
        period += f"; published {plan.published}"
    sizes = ", ".join(_sizes(plan))
    lines = [f"Plan {plan.id}: {_both(plan.title)}", f"  {period}", f"  {sizes}"]
    lines.extend(
        f"  {measure.number}. {measure.id}: {_both(measure.title)} "
        f"({plural(len(measure.tasks), 'task')}, {plural(_target_count(measure), 'target')})"
        for measure in plan.measures
    )
    return _lines(lines)


def _target_count(measure: Measure) -> int:
    """How many targets a measure holds: its own and its tasks'."""
    return len(measure.targets) + sum(len(task.targets) for task in measure.tasks)


def _record_line(record: Record) -> str:
    kind = type(record).__name__
    if is_observation(record):
        line = f"  {record.on}  {record.target} = {quantity_text(record.value)}"
    elif kind == "Withdrawal":
        return f"  {record.on}  withdraws {record.record}"  # type: ignore[union-attr]
    elif kind == "Revision":
        changes = ", ".join(
            f"{name} {value}"
            for name, value in record.changes().items()  # type: ignore[union-attr]
        )
        line = f"  {record.on}  {record.item}: revised {changes}"  # type: ignore[union-attr]
    else:
        percent = "" if record.percent is None else f" ({record.percent:g}%)"  # type: ignore[union-attr]
        line = f"  {record.on}  {record.item}: {record.status.value}{percent}"  # type: ignore[union-attr]
    if record.supersedes is not None:  # type: ignore[union-attr]
        line += f" (corrects {record.supersedes})"  # type: ignore[union-attr]
    return line


#: The kinds of record, in the order a ledger's summary counts them.
_KIND_WORDS = (
    ("Observation", "observation"),
    ("StatusChange", "status change"),
    ("Revision", "revision"),
    ("Withdrawal", "withdrawal"),
)


def ledger_str(ledger: Ledger, *, limit: int = 20) -> str:
    """How many records of each kind, and the first `limit` records, one a line."""
    if not len(ledger):
        return "Ledger with no records"
    counts: dict[str, int] = {}
    for record in ledger:
        name = type(record).__name__
        counts[name] = counts.get(name, 0) + 1
    kinds = ", ".join(
        plural(counts.get(name, 0), word)
        for name, word in _KIND_WORDS
        if counts.get(name) or name in ("Observation", "StatusChange")
    )
    days = [record.on for record in ledger]
    lines = [f"Ledger of {plural(len(ledger), 'record')} from {min(days)} to {max(days)}: {kinds}"]
    lines.extend(_record_line(record) for record in ledger.records[:limit])
    if len(ledger) > limit:
        lines.append(f"  ... and {len(ledger) - limit} more")
    return _lines(lines)


# -- HTML pieces -----------------------------------------------------------------------


# -- HTML documents --------------------------------------------------------------------


def _as_sections(by: str | Sequence[str]) -> tuple[str, ...]:
    chosen = (by,) if isinstance(by, str) else tuple(by)
    for i, name in enumerate(chosen):
        if name not in SECTIONS:
            valid = ", ".join(repr(key) for key in SECTIONS)
            path = "by" if isinstance(by, str) else f"by[{i}]"
            raise PlanValidationError([(path, f"{name!r} is not one of {valid}")])
    return chosen


def assessment_html(
    assessment: Assessment,
    *,
    by: str | Sequence[str] = ("measure", "theme"),
    max_rows: int = 100,
) -> str:
    """An assessment as an HTML table: the plan's figures, then a section per grouping.

    Args:
        assessment: The assessment.
        by: Which sections to show, in order: `"measure"`, `"theme"`,
            `"leaf"` (the tasks, policies and measures' own targets) and `"unit"`
            (the lead units; [`units_html`][beijing_plan.display.units_html] takes a role).
        max_rows: The most rows a section shows.

    Raises:
        PlanValidationError: for an unknown section or a `max_rows` below 1.
    """
    sections = _as_sections(by)
    limit = check_max_rows(max_rows)
    rules, plan = assessment.rules, assessment.plan
    results: dict[str, list[Result]] = {
        "measure": list(assessment.by_measure().values()),
        "theme": list(assessment.by_theme().values()),
        "leaf": list(assessment.leaves()),
    }
    body = [result_row(assessment.overall, rules)]
    for name in sections:
        english, chinese = SECTIONS[name]
        body.append(section_row(english, chinese, RESULT_COLUMNS))
        found = list(assessment.by_unit().values()) if name == "unit" else results[name]
        rows = [result_row(result, rules) for result in found]
        body.extend(limited(rows, limit, RESULT_COLUMNS))
    as_of_en, as_of_zh = HTML_WORDS["as_of"]
    line = (
        f"{escape(plan.id)} · {as_of_en} {assessment.as_of} ({as_of_zh} {assessment.as_of}) · "
        f"{escape(rules.rollup)} roll-up, missing data counted as {escape(rules.missing)}"
    )
    return (
        f'<div style="{BOX}">{heading(plan.title, line)}'
        f'<table style="{TABLE}">{RESULT_HEADER}<tbody>{"".join(body)}</tbody></table></div>'
    )


def result_html(result: Result, *, rules: Rules | None = None, max_rows: int = 100) -> str:
    """A result as HTML: its figures, then what each leaf or part contributes.

    Args:
        result: The result.
        rules: The rules whose colours and labels to use (the defaults when omitted).
        max_rows: The most contributions shown.

    Raises:
        PlanValidationError: for a `max_rows` below 1.
    """
    limit = check_max_rows(max_rows)
    chosen = rules or Rules()
    line = f"{escape(result.kind)} {escape(result.id)}"
    if result.due is not None:
        line += f" · due {result.due}"
    line += f" · weight {result.weight:g}"
    table = (
        f'<table style="{TABLE}">{RESULT_HEADER}<tbody>{result_row(result, chosen)}</tbody></table>'
    )
    parts = result.contributions
    contributions = ""
    if parts:
        rows = limited([contribution_row(part) for part in parts], limit, 8)
        english, chinese = HTML_WORDS["contributions"]
        contributions = (
            f'<div style="font-weight:600;margin-top:8px">{english} '
            f'<span lang="zh" style="{MUTED}">{chinese}</span></div>'
            f'<table style="{TABLE}">{CONTRIBUTION_HEADER}<tbody>{"".join(rows)}'
            "</tbody></table>"
        )
    return (
        f'<div style="{BOX}">{heading(result.title, line)}{target_line(result)}'
        f"{table}{contributions}</div>"
    )


def plan_html(plan: Plan, *, max_rows: int = 200) -> str:
    """A plan as HTML: its title, period and size, then its leaves measure by measure.

    Args:
        plan: The plan.
        max_rows: The most leaves shown.

    Raises:
        PlanValidationError: for a `max_rows` below 1.
    """
    limit = check_max_rows(max_rows)
    themes = item_themes(plan)
    body: list[str] = []
    shown = total = 0

    def add(leaf: Task | Policy | Target, due: object) -> None:
        nonlocal shown, total
        total += 1
        if shown < limit:
            body.append(leaf_row(leaf, themes[leaf.id], due))
            shown += 1

    for measure in plan.measures:
        if shown < limit:
            body.append(measure_row(measure))
        for target in measure.targets:
            add(target, target.deadline or plan.end)
        for task in measure.tasks:
            add(task, task.due or plan.end)
    if plan.policies and shown < limit:
        body.append(section_row(*HTML_WORDS["policies"], 6))
    for policy in plan.policies:
        add(policy, policy.due or plan.end)
    if total > shown:
        body.append(more_row(total - shown, 6))
    sizes = _sizes(plan)[:4]
    line = f"{escape(plan.id)} · {plan.start} to {plan.end}"
    if plan.issuer is not None:
        line += f" · {escape(plan.issuer)}"
    line += " · " + escape(", ".join(sizes))
    return (
        f'<div style="{BOX}">{heading(plan.title, line)}'
        f'<table style="{TABLE}">{PLAN_HEADER}<tbody>{"".join(body)}</tbody></table></div>'
    )


def ledger_html(ledger: Ledger, *, max_rows: int = 200) -> str:
    """A ledger as HTML: how many records of each kind and the days they span, then
    one row per record, in the ledger's order.

    Args:
        ledger: The ledger.
        max_rows: The most records shown.

    Raises:
        PlanValidationError: for a `max_rows` below 1.
    """
    limit = check_max_rows(max_rows)
    english, chinese = HTML_WORDS["ledger"]
    title = (
        f'<div style="font-weight:600">{escape(english)} '
        f'<span lang="zh" style="{MUTED}">{escape(chinese)}</span></div>'
    )
    if not len(ledger):
        return f'<div style="{BOX}">{title}<div style="{MUTED}">no records</div></div>'
    kinds = dict.fromkeys((english for english, _ in HTML_RECORD_KINDS.values()), 0)
    for record in ledger:
        name = record_kind(record)[0]
        kinds[name] = kinds.get(name, 0) + 1
    days = [record.on for record in ledger]
    line = f"{plural(len(ledger), 'record')}, {min(days)} to {max(days)} · " + ", ".join(
        plural(count, name) for name, count in kinds.items()
    )
    rows = [record_row(record) for record in ledger.records[:limit]]
    if len(ledger) > limit:
        rows.append(more_row(len(ledger) - limit, LEDGER_COLUMNS))
    return (
        f'<div style="{BOX}">{title}<div style="{MUTED}">{escape(line)}</div>'
        f'<table style="{TABLE}">{LEDGER_HEADER}<tbody>{"".join(rows)}</tbody></table></div>'
    )


def units_html(assessment: Assessment, role: str = "lead", *, max_rows: int = 100) -> str:
    """The responsible units of an assessment in `role` as an HTML table, in plan order.

    Each row is a unit's roll-up over the leaves it answers for, as
    [`by_unit`][beijing_plan.assessment.Assessment.by_unit] gives it.

    Raises:
        PlanValidationError: for an unknown role or a `max_rows` below 1.
    """
    limit = check_max_rows(max_rows)
    rules, plan = assessment.rules, assessment.plan
    units = assessment.by_unit(role)  # type: ignore[arg-type]
    english, chinese = SECTIONS["unit"]
    body = [section_row(english, chinese, RESULT_COLUMNS)]
    body.extend(
        limited([result_row(result, rules) for result in units.values()], limit, RESULT_COLUMNS)
    )
    as_of_en, as_of_zh = HTML_WORDS["as_of"]
    line = (
        f"{escape(plan.id)} · {as_of_en} {assessment.as_of} ({as_of_zh} {assessment.as_of}) · "
        f"{escape(role)} units, flat roll-up"
    )
    return (
        f'<div style="{BOX}">{heading(plan.title, line)}'
        f'<table style="{TABLE}">{RESULT_HEADER}<tbody>{"".join(body)}</tbody></table></div>'
    )
