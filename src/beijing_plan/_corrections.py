"""Corrections and knowledge time: which records of a ledger count, as known on a day.

A record may carry an `id`; a later record of the same item and kind may name it in
`supersedes`, and a [`Withdrawal`][beijing_plan.ledger.Withdrawal] may name it in
`record`. The ledger checks these links when it is built (`link_problems`), and
`known_records` applies them: the records entered by a day, less those that a
record entered by that day supersedes or withdraws.

The records here are duck-typed on purpose: this module sits below the ledger's
classes, which call it, and reads only the fields every record kind has.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["is_withdrawal", "known_records", "link_faults", "link_problems", "links_of"]

#: How many ids of a cycle an error names before it stops.
_CYCLE_SHOWN = 5


def is_withdrawal(record: Any) -> bool:
    """Whether `record` is a withdrawal (it names a record, not an item)."""
    return type(record).__name__ == "Withdrawal"


def links_of(record: Any) -> tuple[str | None, str | None]:
    """The record's own `id`, and the id it corrects or withdraws (or `None`)."""
    if is_withdrawal(record):
        return record.id, record.record
    return record.id, record.supersedes


def _subject(record: Any) -> tuple[str, str]:
    """What a record is about: its kind and its item, which a correction must share."""
    return type(record).__name__, record.item


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _index_name(index: int) -> str:
    return f"records[{index}]"


def link_problems(records: Sequence[Any]) -> list[tuple[str, str]]:
    """Every problem with the ids and corrections of `records`, as `(path, message)`.

    Ids must be unique; `supersedes` must name a record of the same kind and item;
    a withdrawal must name a record that is not itself a withdrawal; no record may be
    corrected or withdrawn twice; corrections may not form a cycle. The path of each
    problem is its record's index and field, `records[3].supersedes`.
    """
    return [(f"records[{i}].{field}", message) for i, field, message in link_faults(records)]


def link_faults(
    records: Sequence[Any],
    *,
    name: Callable[[int], str] = _index_name,
    where: str = "the ledger",
) -> list[tuple[int, str, str]]:
    """The problems of [`link_problems`][beijing_plan._corrections.link_problems] as
    `(index, field, message)`, the record at fault by its index.

    Messages name other records by `name(index)` (`records[2]` by default; a file
    names its lines instead) and say that an unknown id is not in `where`.
    """
    problems: list[tuple[int, str, str]] = []
    found: dict[str, int] = {}
    for i, record in enumerate(records):
        own = record.id
        if own is None:
            continue
        if own in found:
            problems.append((i, "id", f"{own!r} is also the id of {name(found[own])}"))
        else:
            found[own] = i
    taken: dict[int, int] = {}  # corrected or withdrawn record -> the record that does it
    for i, record in enumerate(records):
        _, named = links_of(record)
        if named is None:
            continue
        withdrawal = is_withdrawal(record)
        field = "record" if withdrawal else "supersedes"
        j = found.get(named)
        if j is None:
            problems.append((i, field, f"{named!r} is not the id of a record in {where}"))
            continue
        other = records[j]
        if withdrawal:
            if is_withdrawal(other):
                problems.append(
                    (i, field, f"{named!r} is {name(j)}, a withdrawal; it cannot be withdrawn")
                )
                continue
        elif _subject(other) != _subject(record):
            kind, item = _subject(other)
            problems.append(
                (
                    i,
                    field,
                    f"{named!r} is {name(j)}, {_article(kind)} {kind} of {item!r}; "
                    "a correction is about the same item",
                )
            )
            continue
        if j in taken:
            problems.append(
                (i, field, f"{named!r} is already corrected or withdrawn by {name(taken[j])}")
            )
            continue
        taken[j] = i
    problems.extend(_cycle_problems(records, found))
    return problems


def _cycle_problems(records: Sequence[Any], where: dict[str, int]) -> list[tuple[int, str, str]]:
    """A cycle of `supersedes` links, named once at the record of it that comes first."""
    problems: list[tuple[int, str, str]] = []
    done: set[int] = set()
    for start in range(len(records)):
        if start in done:
            continue
        path: list[int] = []
        seen: dict[int, int] = {}
        i: int | None = start
        while i is not None and i not in done and i not in seen:
            seen[i] = len(path)
            path.append(i)
            record = records[i]
            named = None if is_withdrawal(record) else record.supersedes
            i = None if named is None else where.get(named)
        if i is not None and i in seen:
            cycle = path[seen[i] :]
            first = min(cycle)
            ids = [records[k].id for k in cycle]
            turn = ids.index(records[first].id)
            ids = ids[turn:] + ids[:turn]
            shown = " -> ".join(repr(x) for x in ids[:_CYCLE_SHOWN])
            more = " -> ..." if len(ids) > _CYCLE_SHOWN else f" -> {ids[0]!r}"
            problems.append((first, "supersedes", f"corrections form a cycle: {shown}{more}"))
        done.update(path)
    return problems


def known_records(records: Sequence[Any], limit: int | None, *, linked: bool) -> tuple[Any, ...]:
    """The records that count as known on day `limit` (an ordinal; `None`: everything).

    Records entered after `limit` (by `recorded`, or `on` without one) and withdrawals
    dated after it are left out first; then every record that a remaining record
    corrects or withdraws; withdrawals themselves are never in the result. Ledger
    order is kept. `linked` says whether any record has an id or is a withdrawal;
    without, only the dates matter.
    """
    if not linked:
        if limit is None:
            return tuple(records)
        return tuple(r for r in records if (r.recorded or r.on).toordinal() <= limit)
    kept: list[Any] = []
    dropped: set[str] = set()
    for record in records:
        if is_withdrawal(record):
            if limit is None or record.on.toordinal() <= limit:
                dropped.add(record.record)
            continue
        if limit is not None and (record.recorded or record.on).toordinal() > limit:
            continue
        kept.append(record)
        if record.supersedes is not None:
            dropped.add(record.supersedes)
    if not dropped:
        return tuple(kept)
    return tuple(r for r in kept if r.id is None or r.id not in dropped)
