"""Recorded dates, corrections and withdrawals added to the records of a drawn ledger.

What is drawn is valid by construction: every id is unique (`r3` for the fourth
record drawn, `r3-c1` and `r3-c2` for its corrections, `r3-w` for its withdrawal), a
correction names a record of its own kind and item, no record is corrected or
withdrawn twice, a chain of corrections is at most two long, and every record is
entered (`recorded`) on or after its day and no earlier than the record it corrects.
All days stay in the window the records are drawn in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import attrs
from hypothesis import strategies as st

from ..ledger import Observation, Record, Status, StatusChange, Withdrawal
from ..model import Target
from ..units import Quantity
from . import _generators as gen

__all__ = ["with_links"]

#: How many days after what it follows a record is entered: mostly the same day.
_LATER = st.sampled_from((0, 0, 1, 7)) | st.integers(0, 90)
#: Whether a record carries a `recorded` date at all.
_RECORDED = st.none() | _LATER
#: What happens to a record: a correction, a chain of two, or a withdrawal.
_ACTIONS = st.sampled_from(("correct", "correct", "chain", "withdraw"))
#: The link operations of one ledger: which record (by position, wrapping round) and what.
_OPERATIONS = st.lists(st.tuples(st.integers(0, 2**16), _ACTIONS), max_size=3)
_COST = {"correct": 1, "chain": 2, "withdraw": 1}
_MAYBE_REASONS = st.none() | gen.names
_PERCENTS = st.none() | st.floats(0.0, 100.0)
_STATUSES = st.sampled_from(Status)


def _entered(record: Record) -> int:
    """The day a record was entered, as an ordinal."""
    recorded = getattr(record, "recorded", None)
    return (recorded or record.on).toordinal()


def with_links(
    draw: st.DrawFn,
    records: Sequence[Observation | StatusChange],
    *,
    most: int,
    window: tuple[int, int],
    observed: Callable[[st.DrawFn, Target], Quantity],
    targets: Mapping[str, Target],
) -> list[Record]:
    """`records` (at most `most` in all) with drawn recorded dates and links.

    Args:
        draw: Hypothesis's draw.
        records: The observations and status changes drawn, in ledger order.
        most: The most records the result may hold; base records are cut to make room.
        window: The first and last day (ordinals) any date may fall on.
        observed: Draws a value for an observation of a target.
        targets: The plan's targets by id, for the values of corrected observations.
    """
    operations = draw(_OPERATIONS)
    room = max(0, most - 1)
    chosen: list[tuple[int, str]] = []
    for which, action in operations:
        if sum(_COST[a] for _, a in chosen) + _COST[action] <= room:
            chosen.append((which, action))
    kept = records[: most - sum(_COST[a] for _, a in chosen)]
    base = [_recorded(draw, record, window) for record in kept]
    if not base:
        return []
    taken: dict[int, str] = {}
    for which, action in chosen:
        index = which % len(base)
        if index not in taken:
            taken[index] = action
    out: list[Record] = list(base)
    for index, action in sorted(taken.items()):
        original = base[index]
        named = attrs.evolve(original, id=f"r{index}")
        out[_position(out, original)] = named
        if action == "withdraw":
            on = min(window[1], _entered(named) + draw(_LATER))
            withdrawal = Withdrawal(
                named.id,  # type: ignore[arg-type]
                gen.day(on),
                reason=draw(_MAYBE_REASONS),
                id=draw(st.none() | st.just(f"r{index}-w")),
            )
            _insert(draw, out, named, withdrawal)
            continue
        previous = named
        for step in range(2 if action == "chain" else 1):
            correction = _correction(
                draw,
                previous,
                own_id=f"r{index}-c{step + 1}",
                window=window,
                observed=observed,
                targets=targets,
            )
            _insert(draw, out, previous, correction)
            previous = correction
    return out


def _recorded(
    draw: st.DrawFn, record: Observation | StatusChange, window: tuple[int, int]
) -> Observation | StatusChange:
    """`record`, sometimes with a `recorded` day on or after its own (within the window)."""
    later = draw(_RECORDED)
    if later is None:
        return record
    day = min(max(window[1], record.on.toordinal()), record.on.toordinal() + later)
    return attrs.evolve(record, recorded=gen.day(day))


def _correction(
    draw: st.DrawFn,
    record: Observation | StatusChange,
    *,
    own_id: str,
    window: tuple[int, int],
    observed: Callable[[st.DrawFn, Target], Quantity],
    targets: Mapping[str, Target],
) -> Observation | StatusChange:
    """A record that corrects `record`: the same kind and item, on the same day or another,
    with a new value or status, entered on or after `record` was."""
    lo, hi = window
    on = record.on.toordinal()
    position = draw(gen.maybe_positions)
    if position is not None:
        on = gen.place(position, lo, hi)
    entered = min(hi, _entered(record) + draw(_LATER))
    recorded = gen.day(max(on, entered))
    reason = draw(_MAYBE_REASONS)
    if isinstance(record, Observation):
        value = observed(draw, targets[record.target])
        return Observation(
            record.target,
            gen.day(on),
            value,
            recorded=recorded,
            id=own_id,
            supersedes=record.id,
            reason=reason,
        )
    assert isinstance(record, StatusChange)
    return StatusChange(
        record.item,
        gen.day(on),
        draw(_STATUSES),
        percent=draw(_PERCENTS),
        recorded=recorded,
        id=own_id,
        supersedes=record.id,
        reason=reason,
    )


def _position(records: Sequence[Record], record: Record) -> int:
    """Where `record` itself (not an equal one) is in `records`."""
    return next(i for i, other in enumerate(records) if other is record)


def _insert(draw: st.DrawFn, records: list[Record], after: Record, record: Record) -> None:
    """Put `record` somewhere after `after` in `records`."""
    start = _position(records, after) + 1
    records.insert(draw(st.integers(start, len(records))), record)
