"""Hypothesis strategies for plans, ledgers and their parts.

This module needs Hypothesis: `pip install "beijing-plan[strategies]"`.

Each strategy is a function with keyword-only options that returns a
`SearchStrategy`; an option left at `None` is drawn, a value pins it. What
they draw is valid by construction, so a property test spends no time on
rejected examples:

- ids are unique across a plan: each is derived from its position under a
  prefix drawn once per plan (`m2` is the second measure, `m2-t1` its first
  task, `m2-t1-g1` and `m2-t1-ms1` that task's first target and milestone,
  `th1` a theme, `p1` a policy);
- a theme's parent is an earlier theme, so themes form a tree, and every theme a
  measure, task or policy names and every measure a policy serves exists;
- task `start <= due`, both within the plan period; a task's targets,
  milestones and trajectory lie within its own dates; trajectories have strictly
  increasing dates and non-decreasing fractions in [0, 1];
- a `between` target's upper bound is not below its value; upper bounds and
  baselines are in units of the value's dimension; a baseline is dated in the
  year up to the start of what holds the target (its task, else the plan);
- weights are finite and zero or more (often 1, sometimes 0, at most 1e6);
- quantities stay within the supported range (`units.MAX_EXPONENT` and
  `units.MAX_DIGITS`) and read back unchanged from their string form, from
  small whole numbers to fifty-digit values;
- texts are Chinese, English or both, plain or with awkward but valid Unicode
  (combining marks, zero-width and direction marks, astral characters, line
  breaks, quotes and backslashes);
- dates fall between 2000 and 2100, unless a pinned plan period says otherwise;
- declared counts, when drawn, are not below what the plan encodes;
- ledgers sometimes hold records entered days after their day, corrections
  (some moving the day, some corrected in turn) and withdrawals, each entered
  no earlier than the record it replaces and after it in the ledger, with ids
  unique in the ledger (`corrections=False` draws none).

Examples shrink toward small plans: no themes, measures or policies, over the
calendar year 2025, with one-character titles.

Installing the package registers these strategies with Hypothesis, so that
`st.from_type(beijing_plan.Plan)` (and `Text`, `Quantity`, `Target`,
`Milestone`, `Task`, `Measure`, `Policy`, `Ledger`) draws from them.

Example:
    ```python
    from hypothesis import given
    from beijing_plan import strategies as bps

    @given(bps.plans_and_ledgers(max_measures=2))
    def test_every_record_names_an_item(plan_and_ledger):
        plan, ledger = plan_and_ledger
        ledger.check(plan)
    ```
"""

from __future__ import annotations

from .._optional import require

# Before the modules that import Hypothesis, so that its absence names the extra
# to install (the imports below come after it on purpose: E402).
require("hypothesis", "beijing_plan.strategies")

from ._faults import FAULTS, InvalidDocument, invalid_documents  # noqa: E402
from ._parts import (  # noqa: E402
    ids,
    measures,
    milestones,
    policies,
    quantities,
    targets,
    tasks,
    texts,
)
from ._plans import ledgers, plans, plans_and_ledgers  # noqa: E402

__all__ = [
    "FAULTS",
    "InvalidDocument",
    "ids",
    "invalid_documents",
    "ledgers",
    "measures",
    "milestones",
    "plans",
    "plans_and_ledgers",
    "policies",
    "quantities",
    "targets",
    "tasks",
    "texts",
]
