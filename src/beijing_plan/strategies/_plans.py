"""The public strategies for whole plans, ledgers for a plan, and the two together.

A plan is built from the item factories of `_factories` by
`_factories.plan_values`, which numbers every id from its position; a ledger is
drawn for one plan, naming only that plan's items.
"""

from __future__ import annotations

import itertools
from functools import partial

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .._dates import DateLike
from ..ledger import Ledger, Observation, Record, StatusChange
from ..model import Milestone, Plan, Policy, Target, Task
from . import _arguments as arg
from . import _factories as fac
from . import _generators as gen
from ._links import with_links

__all__ = ["ledgers", "plans", "plans_and_ledgers"]

_DEFAULT_RECORDS = 20
_MAX_REVISIONS = 4


def plans(
    *,
    min_measures: int = 0,
    max_measures: int = 4,
    policies: bool | None = None,
    max_policies: int = 3,
    max_themes: int = 4,
    max_tasks: int = 4,
    start: DateLike | None = None,
    end: DateLike | None = None,
    declared: bool | None = None,
) -> SearchStrategy[Plan]:
    """Whole plans: themes, measures with tasks and targets, policies.

    Each task gets up to two targets and two milestones, each measure up to one
    target of its own; measure numbers increase, sometimes skipping a number.
    Shrinking removes items first: the simplest plan is empty and spans the
    calendar year 2025.

    Args:
        min_measures: Fewest measures a plan gets.
        max_measures: Most measures a plan gets.
        policies: `True` for at least one policy, `False` for none; `None`
            draws from none to `max_policies`.
        max_policies: Most policies a plan gets.
        max_themes: Most themes a plan gets.
        max_tasks: Most tasks a measure gets.
        start: Pins the first day of the plan period.
        end: Pins the last day of the plan period.
        declared: `True` to always declare counts, `False` never.

    Raises:
        InvalidArgument: for negative sizes, `min_measures > max_measures`,
            `policies=True` with `max_policies=0`, dates that are not dates, or
            `start` after `end`.
    """
    fewest, most = arg.bounds("min_measures", min_measures, "max_measures", max_measures)
    wanted, most_policies = arg.flag("policies", policies), arg.size("max_policies", max_policies)
    if wanted and most_policies == 0:
        msg = "policies=True asks for a policy, but max_policies=0 allows none"
        raise InvalidArgument(msg)
    first, last = arg.day("start", start), arg.day("end", end)
    if first is not None and last is not None and first > last:
        msg = f"start={start!r} is after end={end!r}"
        raise InvalidArgument(msg)
    measure_factories = fac.measure_factories(max_tasks=arg.size("max_tasks", max_tasks))
    parts = fac.PlanParts(
        period=gen.periods(first, last),
        themes=st.lists(
            st.tuples(fac.PARENTS, gen.TEXTS), max_size=arg.size("max_themes", max_themes)
        ),
        measures=st.lists(st.tuples(fac.GAPS, measure_factories), min_size=fewest, max_size=most),
        policies=st.lists(
            fac.policy_factories,
            min_size=1 if wanted else 0,
            max_size=0 if wanted is False else most_policies,
        ),
        declared=arg.flag("declared", declared),
    )
    return fac.plan_values(parts)


# -- ledgers ------------------------------------------------------------------------------


def ledgers(
    plan: Plan,
    *,
    max_records: int = _DEFAULT_RECORDS,
    corrections: bool = True,
    revisions: bool = False,
) -> SearchStrategy[Ledger]:
    """Ledgers of records that fit `plan`, so that `ledger.check(plan)` passes.

    Observations name the plan's targets, in a unit of the target's dimension
    (sometimes exactly a bound or the baseline of the target); status changes
    name its tasks, policies and milestones, with a percent in [0, 100] or none.
    Records fall from a month before the plan period to a month after it, not
    in date order, and an item sometimes has several records on one day. Some
    are entered (`recorded`) days after their day.

    With `corrections`, a ledger sometimes holds up to three corrections or
    withdrawals: a record with an `id` corrected by a later record of its item
    (which may move its day), a correction corrected in turn (a chain of two), or a
    [`Withdrawal`][beijing_plan.ledger.Withdrawal]; each is entered no earlier than
    the record it corrects or withdraws, and comes after it in the ledger.

    With `revisions=True` a ledger sometimes also holds
    [`Revision`][beijing_plan.ledger.Revision]s of tasks, policies, milestones and
    targets, each of fields its item has and fitting it after the revisions before it
    (as a ledger checked against its plan requires), with
    new dates in the same span and new goals in the target's unit (sometimes one of
    its bounds).

    Args:
        plan: The plan the records are about.
        max_records: Most records a ledger gets, corrections and withdrawals included.
        corrections: `False` for ledgers without ids, corrections or withdrawals.
        revisions: Whether the ledger may hold revisions of the plan.

    Raises:
        InvalidArgument: if `plan` is not a [`Plan`][beijing_plan.model.Plan],
            `max_records` is not a whole number of 0 or more, or `corrections` is
            not `True`, `False` or `None` (the default).
    """
    if not isinstance(plan, Plan):
        msg = f"plan={plan!r} must be a Plan"
        raise InvalidArgument(msg)
    most = arg.size("max_records", max_records)
    linked = arg.flag("corrections", corrections) is not False
    revise = arg.flag("revisions", revisions)
    items: list[tuple[str, Target | None]] = [(target.id, target) for target in plan.targets()]
    items.extend((task.id, None) for task in plan.tasks())
    items.extend((policy.id, None) for policy in plan.policies)
    items.extend((milestone.id, None) for milestone in plan.milestones())
    if not items or most == 0:
        return st.just(Ledger())
    period = (plan.start.toordinal(), plan.end.toordinal())
    groups = st.lists(fac.record_groups(st.sampled_from(items), period), max_size=most)
    if linked:
        targets = {target.id: target for target in plan.targets()}
        drawn = _linked_ledgers(groups, most, period, targets)
    else:
        drawn = groups.map(partial(fac.ledger_of, most))
    if not revise:
        return drawn
    revisable = st.sampled_from(
        [
            item
            for item_id, _ in items
            if isinstance(item := plan[item_id], Task | Policy | Milestone | Target)
        ]
    )
    changes = st.lists(fac.revision_values(revisable, period), max_size=_MAX_REVISIONS)
    return st.builds(partial(fac.with_revisions, plan), drawn, changes, st.just(most))


@st.composite
def _linked_ledgers(
    draw: st.DrawFn,
    groups: SearchStrategy[list[list[Record]]],
    most: int,
    period: tuple[int, int],
    targets: dict[str, Target],
) -> Ledger:
    records = [
        record
        for record in itertools.chain.from_iterable(draw(groups))
        if isinstance(record, Observation | StatusChange)  # what record_groups draws
    ]
    window = gen.widened(*period, before=fac.RECORD_MARGIN, after=fac.RECORD_MARGIN)
    linked = with_links(
        draw, records, most=most, window=window, observed=fac.observed, targets=targets
    )
    return Ledger(tuple(linked))


@st.composite
def _pairs(
    draw: st.DrawFn,
    plan_strategy: SearchStrategy[Plan],
    most: int,
    corrections: bool,
    revisions: bool,
) -> tuple[Plan, Ledger]:
    plan = draw(plan_strategy)
    return plan, draw(ledgers(plan, max_records=most, corrections=corrections, revisions=revisions))


def plans_and_ledgers(
    *,
    min_measures: int = 0,
    max_measures: int = 4,
    policies: bool | None = None,
    max_records: int = _DEFAULT_RECORDS,
    corrections: bool = True,
    revisions: bool = False,
) -> SearchStrategy[tuple[Plan, Ledger]]:
    """A plan from [`plans`][beijing_plan.strategies.plans], then a ledger for it.

    The ledger is drawn by [`ledgers`][beijing_plan.strategies.ledgers] for that plan.

    Args:
        min_measures: Fewest measures the plan gets.
        max_measures: Most measures the plan gets.
        policies: As for [`plans`][beijing_plan.strategies.plans].
        max_records: Most records the ledger gets.
        corrections: As for [`ledgers`][beijing_plan.strategies.ledgers].
        revisions: Whether the ledger may hold revisions, as for
            [`ledgers`][beijing_plan.strategies.ledgers].
    """
    plan_strategy = plans(min_measures=min_measures, max_measures=max_measures, policies=policies)
    most = arg.size("max_records", max_records)
    return _pairs(
        plan_strategy,
        most,
        arg.flag("corrections", corrections) is not False,
        bool(arg.flag("revisions", revisions)),
    )
