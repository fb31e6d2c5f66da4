"""The bundled datasets: Beijing's 2025 plans and what the sources report of 2025.

Two plans, each with a ledger of reported outcomes, ship as JSON documents in the
library's own file format beside this module and load through
[`beijing_plan.load`][beijing_plan.load]:

- [`action_plan_2025`][beijing_plan.datasets.action_plan_2025] and
  [`action_plan_2025_ledger`][beijing_plan.datasets.action_plan_2025_ledger]: the 2025 work
  points of Beijing's action plan for further promoting the capital's
  high-quality development (进一步推动首都高质量发展取得新突破行动方案2025年工作要点).
- [`work_report_2025`][beijing_plan.datasets.work_report_2025] and
  [`work_report_2025_ledger`][beijing_plan.datasets.work_report_2025_ledger]: the main targets
  and a few quantified tasks of the Beijing Government Work Report 2025, with the
  2025 results reported in January 2026.

Every task, policy, target and ledger record carries the
[`Source`][beijing_plan.Source] it comes from, and nothing is added that a cited
public source does not say. Where a source is an aggregator or a reprint, or
counts something broader than the target, the source's or the record's note says
so. Outcomes are dated by the source that reports them, not by the day they
happened, so an assessment as of an earlier day does not see them; and each record
is `recorded` on the day its source was published (where the source gives no date,
`recorded` is left out), so that `known_at` shows what was knowable when.

Each function reads its file once and returns the same immutable object on
every call.

>>> plan = action_plan_2025()
>>> plan.declared
Declared(measures=27, tasks=157, policies=25)
>>> plan["xiongan-companies"].value
Quantity(value=Decimal('60'), unit='count')
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TypeVar

from ..files import load
from ..ledger import Ledger
from ..model import Plan

__all__ = [
    "action_plan_2025",
    "action_plan_2025_ledger",
    "work_report_2025",
    "work_report_2025_ledger",
]

_T = TypeVar("_T", Plan, Ledger)


def _read(name: str, cls: type[_T]) -> _T:
    """Load the package data file `name` as `cls`."""
    with resources.as_file(resources.files(__name__).joinpath(name)) as path:
        return load(path, cls)


@cache
def action_plan_2025() -> Plan:
    """The 2025 work points of Beijing's action plan for high-quality development.

    The work points declare 27 major measures, broken down into 157 key tasks and
    25 policies to be introduced, but the official list is not public. The plan
    encodes only the items that public reports name and says how much it leaves
    out through `declared`, so roll-ups cover the named items only:

    - Ten themes, in the order of the China.org.cn report of 2025-04-08, with
      western Beijing and the southern Central Axis under the key areas.
    - Ten measures, one per theme. The grouping and the numbers follow that
      report, not the official numbering, and each measure's source says so.
    - The tasks, policies and quantitative targets the reports name, such as at
      least 60 high-growth companies for the Zhongguancun Science Park in
      Xiong'an and at least 60 billion yuan of relending and rediscounting funds.
      No target has a baseline: no source gives one.

    The plan runs over calendar 2025. Its date of publication is left out: the
    reports say only that it was released before 2025-04-08. The English title
    is not official, nor are the Chinese titles of items known only from the
    English report: they translate its wording.

    Returns:
        The plan, `bj-hqd-2025`.
    """
    return _read("action_plan_2025.json", Plan)


@cache
def action_plan_2025_ledger() -> Ledger:
    """The outcomes of the 2025 work points that public sources report.

    Only a few items have a reported outcome, so most of the plan has no record
    and counts as missing in an assessment. The records:

    - 132 companies newly entered the Zhongguancun Science Park in Xiong'an in
      2025. The count covers every new company, not only high-growth ones, so it
      is broader than the target of at least 60 (the record's note says so).
    - The second group of municipal state-owned enterprises began moving into the
      sub-center; the work point was to initiate the relocation, so it is done.
    - The trade in services fair is held at Shougang Park for good from 2025,
      reported by an aggregator; the western Beijing task is in progress.
    - An implementing opinion on the development and use of public data was
      issued in 2025; it is not confirmed to be the guideline the work points
      meant, and the record's note says so.

    Returns:
        The ledger; `action_plan_2025_ledger().check(action_plan_2025())` passes.
    """
    return _read("action_plan_2025_ledger.json", Ledger)


@cache
def work_report_2025() -> Plan:
    """The main targets and some quantified tasks of the Beijing Government Work Report 2025.

    The report, delivered on 2025-01-14, holds far more than is encoded here: the
    main expected targets (GDP growth of about 5%, revenue growth of about 4%,
    surveyed urban unemployment within 5%, a CPI rise of about 2%, incomes
    growing in step with the economy), the general manufacturing firms to move
    out or upgrade (100) and the illegal construction to deal with (20 million
    m²), the sub-center station hub and the relocation of the second group of
    municipal state-owned enterprises. The report declares no counts, so the plan
    has no `declared`.

    "About" targets of growth are modelled as `at_least` and the CPI target as
    a ceiling (`at_most`); the sources' notes say so. Income growth "in step
    with the economy" is not a number, so it is a task without a target. The
    three measures group the items for this dataset; they are not the report's
    own sections.

    Returns:
        The plan, `bj-gwr-2025`.
    """
    return _read("work_report_2025.json", Plan)


@cache
def work_report_2025_ledger() -> Ledger:
    """The 2025 results of the Work Report's targets, as reported in January 2026.

    Growth rates and counts are observations of the targets (GDP growth 5.4%,
    revenue growth 4.8%, unemployment 4.1%, CPI -0.1%, 104 firms, 20.49 million
    m² of illegal construction); the station hub and the relocation are status
    changes. The disposable income figures are kept in the note of the income
    task's status record, since its goal is not a number. The GDP level has no target
    and is only mentioned in a note.

    Returns:
        The ledger; `work_report_2025_ledger().check(work_report_2025())` passes.
    """
    return _read("work_report_2025_ledger.json", Ledger)
