"""Explanations: plain text that lets a reader recompute a result by hand.

[`explain`][beijing_plan.explain.explain] writes, in English or Chinese, how each figure of a result
was reached: the formula with the actual numbers, one line per contribution, how
coverage and the expected value were computed, and the status rule that applied.
It is what [`beijing_plan.assessment.Result.explain`][beijing_plan.assessment.Result.explain]
returns.

Titles, notes, sources and ids are quoted with every control or bidirectional
character (a newline included) shown escaped, as `\\x1b` or `\\u202e`, so
each line of the text stays one line and cannot act on the terminal that
shows it.

Fractions are written with four decimals and weights with up to fifteen
significant digits; quantities (observations, current values, goals, forecasts)
are rounded for their unit as every view rounds them ([How numbers are
shown][how-numbers-are-shown]: counts whole, money to 2 decimals, percentages to
1), while the result keeps the exact values. Sums are exact sums of the terms
listed (`math.fsum`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import pendulum

from ._engine.rollup import Contribution
from ._engine.schedule import Forecast
from ._explain_figures import FigureWriter, _w
from ._numbers import quantity_text
from ._safe import terminal
from ._words import EXPLAIN_WORDS, RECORD_STATUS_TEXT
from .exceptions import PlanValidationError
from .ledger import (
    REVISED_FIELDS,
    Ledger,
    Observation,
    Record,
    Revision,
    StatusChange,
    Withdrawal,
)
from .model import Milestone, Plan, Policy, Target, Task, Text
from .rules import Progress, Rules
from .units import Quantity

__all__ = ["Explainable", "explain"]


class Explainable(Protocol):
    """What [`explain`][beijing_plan.explain.explain] reads from a result."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> Text: ...
    @property
    def completion(self) -> float | None: ...
    @property
    def expected(self) -> float | None: ...
    @property
    def spi(self) -> float | None: ...
    @property
    def status(self) -> Progress: ...
    @property
    def coverage(self) -> float | None: ...
    @property
    def weight(self) -> float: ...
    @property
    def due(self) -> pendulum.Date | None: ...
    @property
    def ratio(self) -> float | None: ...
    @property
    def current(self) -> Quantity | None: ...
    @property
    def forecast(self) -> Forecast | None: ...
    @property
    def rule(self) -> str | None: ...
    @property
    def contributions(self) -> tuple[Contribution, ...]: ...


class _Writer(FigureWriter):
    """The writer of an explanation: the figures, and the records behind them."""

    def revisions(self, item: Task | Policy | Milestone | Target) -> None:
        """One line for each revision of `item` up to the date: what it changed, from
        what, when, why and who approved it."""
        found = self.revisions_of(item.id)
        if not found:
            return
        if self.rules.basis == "original":
            self.say("rev_ignored", n=len(found))
            return
        words = self.words
        before: dict[str, object] = {
            name: getattr(
                item, "deadline" if name == "due" and isinstance(item, Target) else name, None
            )
            for name in REVISED_FIELDS
        }
        for revision in found:
            parts = []
            for name, new in revision.changes().items():
                old = before[name]
                key = "rev_changed"
                if name == "due" and isinstance(old, pendulum.Date):
                    key = "rev_extended" if new > old else "rev_forward"  # type: ignore[operator]
                shown_old = words["none"] if old is None else _shown(old)
                parts.append(
                    words[key].format(field=words["rev_" + name], new=_shown(new), old=shown_old)
                )
                before[name] = new
            why = words["rev_why"].format(reason=revision.reason) if revision.reason else ""
            who = ""
            if revision.approved_by:
                who = words["rev_who"].format(who=words["rev_sep"].join(revision.approved_by))
            self.say(
                "rev_line", parts=words["rev_and"].join(parts), on=revision.on, why=why, who=who
            )

    def notes(self, item_id: str) -> None:
        """The notes and sources of the item's records up to the date, for the reader to weigh."""
        limit = self.as_of.toordinal()
        for record in self.records(item_id):
            if record.on.toordinal() > limit or (record.note is None and record.source is None):
                continue
            parts = [record.note] if record.note else []
            if record.source is not None:
                parts.append(self.words["source"].format(source=record.source.title))
            self.say("note", on=record.on, note=" ".join(parts))

    # -- knowledge time and corrections --------------------------------------------------

    def knowledge(self) -> None:
        """Whose knowledge the figures use, when it is not everything entered."""
        if self.known_at is not None:
            self.say("known_at", known_at=self.known_at)

    def corrections(self, item_id: str) -> None:
        """What the item's records up to the date correct, and its records withdrawn."""
        limit = self.as_of.toordinal()
        linked = [
            r
            for r in self.records(item_id)
            if r.on.toordinal() <= limit and getattr(r, "supersedes", None) is not None
        ]
        withdrawals = [r for r in self.entered if type(r) is Withdrawal]
        if not linked and not withdrawals:
            return
        by_id = self.entered.by_id()
        words = self.words
        for record in linked:
            text, current = words["corrects"], record
            parts: list[str] = []
            while (named := getattr(current, "supersedes", None)) is not None:
                old = by_id.get(named)
                if old is None:  # a part of a ledger, without the record corrected
                    break
                parts.append(
                    text.format(
                        on=record.on,
                        value=_described(record, self.lang),
                        old=_described(old, self.lang),
                        of="" if old.on == current.on else words["of_day"].format(on=old.on),
                        recorded=old.recorded or old.on,  # type: ignore[union-attr]
                        why=self.because(current),
                    )
                )
                text, current = words["corrected_before"], old
            if parts:
                self.lines.append(terminal("".join(parts)))
        self.withdrawn(item_id, withdrawals, by_id)

    def withdrawn(
        self, item_id: str, withdrawals: Sequence[Withdrawal], by_id: Mapping[str, Record]
    ) -> None:
        """The withdrawals in force of the item's records that would otherwise count."""
        limit = self.as_of.toordinal()
        known = None if self.known_at is None else self.known_at.toordinal()
        for withdrawal in withdrawals:
            taken = by_id.get(withdrawal.record)
            if (
                taken is None
                or getattr(taken, "item", None) != item_id
                or taken.on.toordinal() > limit
            ):
                continue
            entered = taken.recorded or taken.on  # type: ignore[union-attr]
            if known is not None and max(withdrawal.on, entered).toordinal() > known:
                continue
            self.say(
                "withdrawn",
                on=withdrawal.on,
                day=taken.on,
                value=_described(taken, self.lang),
                recorded=entered,
                why=self.because(withdrawal),
            )

    def because(self, record: Record) -> str:
        """The reason a record gives, as the words attach it, or nothing."""
        reason = getattr(record, "reason", None)
        return "" if reason is None else self.words["because"].format(reason=reason)


def _described(record: Record, lang: str) -> str:
    """What a record says, briefly: a value, a status and percent, or a revision's changes."""
    if type(record) is Observation:
        return quantity_text(record.value)
    if type(record) is StatusChange:
        percent = "" if record.percent is None else f" {record.percent:g}%"
        status = record.status.value
        return f"{RECORD_STATUS_TEXT['zh'][status] if lang == 'zh' else status}{percent}"
    if type(record) is Revision:
        return ", ".join(f"{name} {value}" for name, value in record.changes().items())
    return type(record).__name__


def _shown(value: object) -> str:
    """A revised field's value as an explanation shows it: a quantity rounded for its unit."""
    if isinstance(value, Quantity):
        return quantity_text(value)
    return _w(value) if isinstance(value, float) else str(value)


def explain(
    result: Explainable,
    *,
    plan: Plan,
    ledger: Ledger,
    as_of: pendulum.Date,
    rules: Rules,
    covered: float | None = None,
    lang: str = "en",
    entered: Ledger | None = None,
    known_at: pendulum.Date | None = None,
) -> str:
    """Explain `result` in `lang` (`"en"` or `"zh"`).

    A figure that counts because it corrects an earlier record names that record,
    the day it was entered and the reason (and so on down a chain of corrections);
    a record withdrawn says when and why; with `known_at`, the text says which
    day's knowledge it uses.

    Args:
        result: A result of an assessment of `plan`.
        plan: The plan assessed.
        ledger: The records that count (known at `known_at`, corrections applied).
        as_of: The date of the assessment.
        rules: The rules applied.
        covered: For a group, the weight of its leaves with a record.
        lang: The language of the text.
        entered: Everything entered in the ledger, where corrected and withdrawn
            records are found; `ledger` by default.
        known_at: The day whose knowledge the assessment used, if not everything.

    Raises:
        PlanValidationError: for a language other than `"en"` and `"zh"`.
    """
    if lang not in EXPLAIN_WORDS:
        raise PlanValidationError([("lang", f"{lang!r} is not one of 'en', 'zh'")])
    writer = _Writer(
        result,
        plan=plan,
        ledger=ledger,
        as_of=as_of,
        rules=rules,
        lang=lang,
        entered=ledger if entered is None else entered,
        known_at=known_at,
    )
    words = writer.words
    writer.say(
        "header", kind=words[result.kind], id=result.id, title=result.title.get(lang), as_of=as_of
    )
    writer.knowledge()
    item = plan.get(result.id) if result.kind not in {"plan", "unit"} else None
    if isinstance(item, Task | Policy | Milestone | Target):
        writer.revisions(item)
    if result.kind in {"plan", "measure", "theme", "unit"}:
        writer.group(covered)
    elif isinstance(item, Target):
        current = writer.in_force(item)
        writer.target(current)
        writer.schedule(current)
        writer.outlook()
    elif isinstance(item, Milestone):
        writer.milestone()
        writer.schedule(writer.in_force(item))
    elif isinstance(item, Task | Policy):
        writer.leaf()
        writer.schedule(writer.in_force(item))
    writer.spi()
    writer.status()
    if item is not None:
        writer.corrections(item.id)
        writer.notes(item.id)
    return "\n".join(writer.lines)
