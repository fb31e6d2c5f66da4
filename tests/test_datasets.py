"""Tests of the bundled datasets against the facts their sources report.

Every expected value below is written by hand from the project's list of facts
and their sources; none is read back from the datasets themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beijing_plan import (
    Comparator,
    Declared,
    Ledger,
    Measure,
    Observation,
    Plan,
    Policy,
    Record,
    Source,
    Status,
    StatusChange,
    Target,
    Task,
    assess,
    dumps,
    history,
    loads,
)
from beijing_plan.datasets import (
    action_plan_2025,
    action_plan_2025_ledger,
    work_report_2025,
    work_report_2025_ledger,
)

# -- the sources, by URL ---------------------------------------------------------------

S1 = "http://china.org.cn/business/2025-04/08/content_117812242.htm"
S2 = "http://m.hbcasj.com/socialgd/10000169/20250408/48184148_all.html"
S3 = "http://zqb.cyol.com/html/2023-08/28/nw.D110000zgqnb_20230828_3-03.htm"
S4_ONCC = "http://hk.on.cc/hk/bkn/cnt/finance/20250114/bkn-20250114182015100-0114_00842_001.html"
S4_71CN = "http://www.71.cn/2025/0217/1255570_2.shtml"
S5_0126 = "https://beijing.qianlong.com/2026/0126/8615684.shtml"
S5_0125 = "https://beijing.qianlong.com/2026/0125/8615040.shtml"
S6_UDN = "https://udn.com/news/story/7332/9287188"
S6_ETNET = "https://www.etnet.com.hk/www/tc/stocks/ah_news_detail.php?newsid=ETN360126442"
S7 = "https://japanese.beijing.gov.cn/beijinginfo/facts/economy/202601/t20260123_4458932.html"
S8 = "https://www.beijing.gov.cn/renwen/bjgk/rmsh/jmsr/202403/t20240322_3598187.html"
S9 = "https://zwfwj.beijing.gov.cn/zwgk/jyta/202510/t20251028_4241915.html"
S10_0515 = "https://reportify.ai/news/1120379621968318464"
S10_0212 = "https://reportify.ai/news/1219338107170721792"

FACTS_URLS = {
    S1, S2, S3, S4_ONCC, S4_71CN, S5_0126, S5_0125, S6_UDN, S6_ETNET, S7, S8, S9,
    S10_0515, S10_0212,
}  # fmt: skip
AGGREGATORS = {S10_0515, S10_0212}
REPRINTS = {S2}

#: The date each source was published, where the facts give one.
PUBLISHED = {
    S1: "2025-04-08",
    S2: "2025-04-08",
    S3: "2023-08-28",
    S4_ONCC: "2025-01-14",
    S4_71CN: None,
    S5_0125: "2026-01-25",
    S5_0126: "2026-01-26",
    S6_UDN: "2026-01-25",
    S7: "2026-01-23",
    S8: "2024-03-22",
    S9: "2025-10-28",
    S10_0515: "2025-05-15",
    S10_0212: "2026-02-12",
}

# -- what the facts say ----------------------------------------------------------------

AP_TITLE_ZH = "进一步推动首都高质量发展取得新突破行动方案2025年工作要点"

#: Theme id, English title and parent, in the order of the English report.
AP_THEMES = [
    ("jjj", "Coordinated development of Beijing-Tianjin-Hebei", None),
    ("xiongan", "Xiong'an New Area", None),
    ("sub-center", "Beijing's sub-center", None),
    ("key-areas", "Key areas in the city", None),
    ("western-beijing", "Western Beijing", "key-areas"),
    ("southern-central-axis", "Southern Central Axis area", "key-areas"),
    ("research-commercialisation", "Commercialisation of research results", None),
    ("talent", "Talent", None),
    ("data-value", "Value of data", None),
    ("consumption", "Consumption", None),
    ("incomes-social-security", "Incomes and social security", None),
    ("private-smes", "Private, micro and small enterprises", None),
]

#: Measure number, the theme it stands for, its tasks and its own targets.
AP_MEASURES = {
    1: ("jjj", {"cluster-support"}, set()),
    2: ("xiongan", set(), {"xiongan-companies"}),
    3: ("sub-center", {"soe-relocation"}, set()),
    4: ("key-areas", {"western-beijing-projects", "southern-axis-projects"}, set()),
    5: ("research-commercialisation", set(), {"relending-funds"}),
    6: ("talent", {"talent-bases-housing"}, set()),
    7: ("data-value", {"data-zones"}, {"ai-hubs"}),
    8: ("consumption", {"consumption-campaign"}, set()),
    9: ("incomes-social-security", {"incomes-pensions-insurance"}, set()),
    10: ("private-smes", {"sme-financing"}, set()),
}

AP_POLICIES = {
    "venture-capital-policies": "m5-research-commercialisation",
    "public-data-guideline": "m7-data-value",
}

#: Target id: comparator, lower value, upper value, unit they are compared in, source.
TargetFact = tuple[Comparator, Decimal, Decimal | None, str, str]

AP_TARGETS: dict[str, TargetFact] = {
    "nev-parts-makers": (Comparator.AT_LEAST, Decimal(5), None, "count", S2),
    "life-health-centres": (Comparator.BETWEEN, Decimal(1), Decimal(2), "count", S2),
    "xiongan-companies": (Comparator.AT_LEAST, Decimal(60), None, "count", S1),
    "relending-funds": (Comparator.AT_LEAST, Decimal(60_000_000_000), None, "yuan", S1),
    "data-zones-built": (Comparator.AT_LEAST, Decimal(5), None, "count", S1),
    "ai-hubs": (Comparator.AT_LEAST, Decimal(3), None, "count", S1),
}

WR_TARGETS: dict[str, TargetFact] = {
    "gdp-growth": (Comparator.AT_LEAST, Decimal(5), None, "percent", S4_ONCC),
    "revenue-growth": (Comparator.AT_LEAST, Decimal(4), None, "percent", S4_ONCC),
    "unemployment-rate": (Comparator.AT_MOST, Decimal(5), None, "percent", S4_ONCC),
    "cpi-rise": (Comparator.AT_MOST, Decimal(2), None, "percent", S4_ONCC),
    "manufacturing-firms": (Comparator.AT_LEAST, Decimal(100), None, "count", S4_71CN),
    "illegal-construction": (Comparator.AT_LEAST, Decimal(20_000_000), None, "m2", S4_71CN),
}

WR_TASKS = {"income-growth", "station-hub", "soe-relocation"}

#: A record as the facts give it: kind, item, date, status or (value, unit), source URL.
#: A figure or an outcome for the whole of 2025, published in January 2026, describes
#: 2025-12-31 (`on`) and was entered on its source's publication day (`recorded`).
RecordFact = tuple[str, str, str, Status | tuple[Decimal, str], str]

AP_RECORDS: list[RecordFact] = [
    ("status", "western-beijing-projects", "2025-05-15", Status.IN_PROGRESS, S10_0515),
    ("status", "public-data-guideline", "2025-10-28", Status.DONE, S9),
    ("status", "soe-relocation", "2025-12-31", Status.DONE, S5_0125),
    ("observation", "xiongan-companies", "2025-12-31", (Decimal(132), "count"), S5_0126),
]

WR_RECORDS: list[RecordFact] = [
    ("observation", "cpi-rise", "2025-12-31", (Decimal("-0.1"), "percent"), S7),
    ("status", "income-growth", "2025-12-31", Status.IN_PROGRESS, S7),
    ("observation", "gdp-growth", "2025-12-31", (Decimal("5.4"), "percent"), S6_UDN),
    ("observation", "revenue-growth", "2025-12-31", (Decimal("4.8"), "percent"), S6_UDN),
    ("observation", "unemployment-rate", "2025-12-31", (Decimal("4.1"), "percent"), S6_UDN),
    ("observation", "illegal-construction", "2025-12-31", (Decimal(20_490_000), "m2"), S5_0125),
    ("status", "station-hub", "2025-12-31", Status.DONE, S5_0125),
    ("status", "soe-relocation", "2025-12-31", Status.IN_PROGRESS, S5_0125),
    ("observation", "manufacturing-firms", "2025-12-31", (Decimal(104), "count"), S5_0126),
]

DATASETS = [
    ("action_plan_2025", action_plan_2025, action_plan_2025_ledger, AP_TARGETS, AP_RECORDS),
    ("work_report_2025", work_report_2025, work_report_2025_ledger, WR_TARGETS, WR_RECORDS),
]
DATASET_IDS = [name for name, *_ in DATASETS]

# -- helpers ---------------------------------------------------------------------------


def items_with_sources(plan: Plan) -> Iterator[Measure | Task | Target | Policy]:
    """Every measure, task, target and policy of ``plan``."""
    for measure in plan.measures:
        yield measure
        yield from measure.targets
        for task in measure.tasks:
            yield task
            yield from task.targets
    yield from plan.policies


def all_sources(plan: Plan, ledger: Ledger) -> Iterator[Source]:
    """Every source cited by ``plan``, its items and the records of ``ledger``."""
    yield from plan.sources
    for item in items_with_sources(plan):
        yield from item.sources
    for record in ledger:
        if record.source is not None:
            yield record.source


def record_fact(record: Record) -> RecordFact:
    """A record in the shape of `RecordFact`, values in the expected units."""
    assert isinstance(record, Observation | StatusChange)
    assert record.source is not None
    assert record.source.url is not None
    if isinstance(record, Observation):
        return (
            "observation",
            record.target,
            record.on.isoformat(),
            _level(record),
            record.source.url,
        )
    return ("status", record.item, record.on.isoformat(), record.status, record.source.url)


def _level(record: Observation) -> tuple[Decimal, str]:
    unit = "m2" if record.value.unit == "wan_m2" else record.value.unit
    return (record.value.to(unit).value, unit)


def target(plan: Plan, target_id: str) -> Target:
    """The target ``target_id`` of ``plan``."""
    item = plan[target_id]
    assert isinstance(item, Target)
    return item


def note_of(record: Record) -> str:
    """The record's note, which must be there."""
    note = record.note
    assert isinstance(note, str)
    return note


def record_for(ledger: Ledger, item_id: str) -> Observation | StatusChange:
    """The only record naming ``item_id``."""
    (record,) = ledger.for_item(item_id)
    assert isinstance(record, Observation | StatusChange)
    return record


# -- the action plan -------------------------------------------------------------------


def test_action_plan_declares_27_measures_157_tasks_25_policies() -> None:
    """The action plan declares the 27 measures, 157 tasks and 25 policies of the release."""
    assert action_plan_2025().declared == Declared(measures=27, tasks=157, policies=25)


def test_action_plan_header_matches_the_facts() -> None:
    """The plan's id, Chinese title, issuer and calendar-2025 period are those reported."""
    plan = action_plan_2025()
    assert plan.id == "bj-hqd-2025"
    assert plan.title.zh == AP_TITLE_ZH
    assert plan.issuer == "Beijing Municipality"
    assert plan.start.isoformat() == "2025-01-01"
    assert plan.end.isoformat() == "2025-12-31"


def test_action_plan_leaves_out_the_unknown_publication_date() -> None:
    """No publication date is invented; the plan's source note says it is before 2025-04-08."""
    plan = action_plan_2025()
    assert plan.published is None
    (report,) = (s for s in plan.sources if s.url == S1)
    assert report.note is not None
    assert "before 2025-04-08" in report.note
    assert "not official" in report.note


def test_action_plan_cites_the_parent_plan() -> None:
    """The parent 2023-2025 plan, with 5 areas and 50 tasks, is cited from China Youth Daily."""
    (parent,) = (s for s in action_plan_2025().sources if s.url == S3)
    assert parent.note is not None
    assert "5 areas and 50 tasks" in parent.note
    assert "（2023—2025年）" in parent.note  # noqa: RUF001 (the parent plan's own brackets)


def test_action_plan_themes_follow_the_report() -> None:
    """The ten reported themes appear in the report's order, with two sub-themes of key areas."""
    themes = action_plan_2025().themes
    assert [(t.id, t.title.en, t.parent) for t in themes] == AP_THEMES


def test_action_plan_measures_group_items_by_reported_section() -> None:
    """Each measure is one reported section, numbered in the report's order, holding its items."""
    plan = action_plan_2025()
    assert [m.number for m in plan.measures] == list(range(1, 11))
    for measure in plan.measures:
        theme, tasks, targets = AP_MEASURES[measure.number]
        assert measure.themes == {theme}
        assert {t.id for t in measure.tasks} == tasks
        assert {t.id for t in measure.targets} == targets


def test_action_plan_measures_say_their_numbering_is_not_official() -> None:
    """Every measure cites the English report with a note that its grouping is not official."""
    for measure in action_plan_2025().measures:
        notes = [s.note for s in measure.sources if s.url == S1]
        assert len(notes) == 1
        assert notes[0] is not None
        assert "not the official numbering" in notes[0]


def test_action_plan_policies_serve_their_measures() -> None:
    """The two named policies to be introduced serve the measures of their themes."""
    policies = action_plan_2025().policies
    assert {p.id: p.measures for p in policies} == {k: (v,) for k, v in AP_POLICIES.items()}


def test_key_area_tasks_carry_their_sub_themes() -> None:
    """The western Beijing and southern Central Axis tasks are tagged with their sub-themes."""
    plan = action_plan_2025()
    western, axis = plan["western-beijing-projects"], plan["southern-axis-projects"]
    assert isinstance(western, Task)
    assert isinstance(axis, Task)
    assert western.themes == {"western-beijing"}
    assert axis.themes == {"southern-central-axis"}


def test_cluster_count_is_context_not_a_baseline() -> None:
    """The 5 clusters recognised in 2024 are explained as context, and no target has a baseline."""
    plan = action_plan_2025()
    assert all(t.baseline is None for t in plan.targets())
    task = plan["cluster-support"]
    assert isinstance(task, Task)
    notes = [s.note or "" for s in task.sources if s.url == S1]
    assert any("not the baseline" in note for note in notes)


def test_relending_target_is_in_yuan_not_dollars() -> None:
    """The 60 billion yuan target is held in yuan; the report's dollar figure stays in a note."""
    relending = target(action_plan_2025(), "relending-funds")
    assert relending.value.dimension == "cny"
    (source,) = relending.sources
    assert source.note is not None
    assert "US$8.21 billion" in source.note


def test_consumption_context_figures_are_notes_not_targets() -> None:
    """Per-capita consumer spending of 2023, 2024 and 2025 is kept in the measure's source notes."""
    measure = action_plan_2025()["m8-consumption"]
    assert isinstance(measure, Measure)
    assert measure.targets == ()
    notes = {s.url: s.note or "" for s in measure.sources}
    assert "49,700 yuan in 2024" in notes[S1]
    assert "47,586 yuan in 2023" in notes[S8]
    assert "50,667 yuan in 2025" in notes[S10_0212]


# -- the work report -------------------------------------------------------------------


def test_work_report_header_matches_the_facts() -> None:
    """The work report was delivered on 2025-01-14 and covers calendar 2025."""
    plan = work_report_2025()
    assert plan.id == "bj-gwr-2025"
    assert plan.published is not None
    assert plan.published.isoformat() == "2025-01-14"
    assert (plan.start.isoformat(), plan.end.isoformat()) == ("2025-01-01", "2025-12-31")
    assert plan.declared is None


def test_work_report_tasks_are_the_reported_ones() -> None:
    """The work report encodes exactly the income, station hub and relocation tasks."""
    assert {t.id for t in work_report_2025().tasks()} == WR_TASKS


def test_income_in_step_with_the_economy_has_no_invented_target() -> None:
    """Income growing in step with the economy is a task without a numeric target."""
    task = work_report_2025()["income-growth"]
    assert isinstance(task, Task)
    assert task.targets == ()


def test_about_targets_say_how_they_are_modelled() -> None:
    """GDP's 'about 5%, strive for better' and the CPI ceiling are explained in source notes."""
    plan = work_report_2025()
    (gdp,) = target(plan, "gdp-growth").sources
    (cpi,) = target(plan, "cpi-rise").sources
    assert gdp.note is not None
    assert "About 5%" in gdp.note
    assert "strive for better" in gdp.note
    assert cpi.note is not None
    assert "ceiling" in cpi.note


# -- both plans: targets, sources, ids -------------------------------------------------


@pytest.mark.parametrize(
    ("load_plan", "expected"),
    [(plan, targets) for _, plan, _, targets, _ in DATASETS],
    ids=DATASET_IDS,
)
def test_targets_match_the_facts(
    load_plan: Callable[[], Plan], expected: dict[str, TargetFact]
) -> None:
    """Every target has the comparator, figure, unit and source the facts give, and no more."""
    plan = load_plan()
    assert {t.id for t in plan.targets()} == set(expected)
    for target_id, (comparator, value, upper, unit, url) in expected.items():
        found = target(plan, target_id)
        assert found.comparator is comparator, target_id
        assert found.value.to(unit).value == value, target_id
        assert (found.upper.to(unit).value if found.upper else None) == upper, target_id
        assert url in {s.url for s in found.sources}, target_id


@pytest.mark.parametrize("load_plan", [p for _, p, *_ in DATASETS], ids=DATASET_IDS)
def test_every_item_has_a_source(load_plan: Callable[[], Plan]) -> None:
    """Every measure, task, target and policy cites at least one source with a URL."""
    for item in items_with_sources(load_plan()):
        assert item.sources, item.id
        assert all(s.url for s in item.sources), item.id


@pytest.mark.parametrize(("load_plan", "load_ledger"), [d[1:3] for d in DATASETS], ids=DATASET_IDS)
def test_every_source_is_a_facts_source(
    load_plan: Callable[[], Plan], load_ledger: Callable[[], Ledger]
) -> None:
    """Every cited URL is one of the listed sources, with the publication date given for it."""
    for source in all_sources(load_plan(), load_ledger()):
        assert source.url in FACTS_URLS, source.url
        published = source.published.isoformat() if source.published else None
        assert published == PUBLISHED[source.url], source.url


@pytest.mark.parametrize(("load_plan", "load_ledger"), [d[1:3] for d in DATASETS], ids=DATASET_IDS)
def test_aggregators_and_reprints_are_marked(
    load_plan: Callable[[], Plan], load_ledger: Callable[[], Ledger]
) -> None:
    """A source that is an aggregator or a reprint says so, and so do records citing it."""
    for source in all_sources(load_plan(), load_ledger()):
        if source.url in AGGREGATORS:
            assert "aggregator" in (source.note or ""), source
        if source.url in REPRINTS:
            assert "reprint" in (source.note or ""), source
    for record in load_ledger():
        assert record.source is not None
        if record.source.url in AGGREGATORS:
            assert "aggregator" in note_of(record), record


@pytest.mark.parametrize("load_plan", [p for _, p, *_ in DATASETS], ids=DATASET_IDS)
def test_ids_are_unique(load_plan: Callable[[], Plan]) -> None:
    """No two themes, measures, tasks, targets or policies share an id."""
    plan = load_plan()
    ids = [t.id for t in plan.themes] + [p.id for p in plan.policies]
    for measure in plan.measures:
        ids += [measure.id, *(t.id for t in measure.targets)]
        for task in measure.tasks:
            ids += [task.id, *(t.id for t in task.targets), *(m.id for m in task.milestones)]
    assert len(ids) == len(set(ids))
    assert plan.id not in ids


# -- the ledgers -----------------------------------------------------------------------


@pytest.mark.parametrize(("load_plan", "load_ledger"), [d[1:3] for d in DATASETS], ids=DATASET_IDS)
def test_ledger_passes_check_against_its_plan(
    load_plan: Callable[[], Plan], load_ledger: Callable[[], Ledger]
) -> None:
    """Every record names a target or a task or policy of its own plan."""
    load_ledger().check(load_plan())


@pytest.mark.parametrize(
    ("load_ledger", "expected"), [(d[2], d[4]) for d in DATASETS], ids=DATASET_IDS
)
def test_ledger_records_match_the_facts(
    load_ledger: Callable[[], Ledger], expected: list[RecordFact]
) -> None:
    """The records are exactly the reported outcomes, with their dates, figures and sources."""
    assert [record_fact(r) for r in load_ledger()] == expected


@pytest.mark.parametrize("load_ledger", [d[2] for d in DATASETS], ids=DATASET_IDS)
def test_records_are_dated_by_their_source(load_ledger: Callable[[], Ledger]) -> None:
    """Each outcome is dated the day its source published it, or, for a figure or outcome of
    the whole of 2025 published in 2026, the last day of 2025; it is entered the day its
    source published it, so no outcome is known earlier."""
    for record in load_ledger():
        assert isinstance(record, Observation | StatusChange)
        assert record.source is not None
        published = record.source.published
        assert published is not None
        year_end = published.year == 2026 and str(record.on) == "2025-12-31"
        assert record.on == published or year_end, record
        assert (record.recorded or record.on) == published, record


@pytest.mark.parametrize("load_ledger", [d[2] for d in DATASETS], ids=DATASET_IDS)
def test_records_are_recorded_the_day_their_source_published_them(
    load_ledger: Callable[[], Ledger],
) -> None:
    """A record is entered the day the facts say its source was published (never before its
    own day); where the facts give no date, `recorded` is left out, not invented."""
    for record in load_ledger():
        assert isinstance(record, Observation | StatusChange)
        assert record.source is not None
        assert record.source.url is not None
        published = PUBLISHED[record.source.url]
        recorded = None if record.recorded is None else record.recorded.isoformat()
        assert recorded == published, record
        assert record.recorded is None or record.recorded >= record.on


def test_xiongan_record_says_the_count_is_broader() -> None:
    """The 132 companies are noted as all new entrants, broader than high-growth companies."""
    note = note_of(record_for(action_plan_2025_ledger(), "xiongan-companies"))
    assert "not only high-growth" in note
    assert "broader" in note


def test_public_data_record_is_not_confirmed_as_the_guideline() -> None:
    """The public-data opinion is recorded with a note that it may not be the guideline meant."""
    note = note_of(record_for(action_plan_2025_ledger(), "public-data-guideline"))
    assert "not confirmed" in note


def test_soe_relocation_records_explain_their_status() -> None:
    """The relocation is done as a work point to initiate, and in progress as a full relocation."""
    plan_note = note_of(record_for(action_plan_2025_ledger(), "soe-relocation"))
    report_note = note_of(record_for(work_report_2025_ledger(), "soe-relocation"))
    assert "initiate" in plan_note
    assert "首旅集团" in plan_note
    assert "not reported complete" in report_note


def test_work_report_notes_keep_figures_without_targets() -> None:
    """Disposable income and the GDP level are reported in notes, not as invented observations."""
    ledger = work_report_2025_ledger()
    income = note_of(record_for(ledger, "income-growth"))
    assert "89,090 yuan" in income
    assert "4.3%" in income
    assert "4.4%" in income
    assert "5,207.34 billion yuan" in note_of(record_for(ledger, "gdp-growth"))


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=dt.date(2024, 12, 1), max_value=dt.date(2026, 12, 31)))
def test_no_outcome_is_in_force_before_its_report(day: dt.date) -> None:
    """As of any day, an item has its reported outcome exactly when the report is out by then."""
    for load_ledger, facts in (
        (action_plan_2025_ledger, AP_RECORDS),
        (work_report_2025_ledger, WR_RECORDS),
    ):
        ledger = load_ledger()
        for kind, item, on, outcome, _ in facts:
            reported = day >= dt.date.fromisoformat(on)
            if kind == "status":
                latest = ledger.latest_status(item, as_of=day)
                assert (latest.status if latest else None) == (outcome if reported else None)
            else:
                assert len(ledger.observations(item, as_of=day)) == int(reported)


# -- the files -------------------------------------------------------------------------

FILES = [f"{name}{suffix}.json" for name in DATASET_IDS for suffix in ("", "_ledger")]


@pytest.mark.parametrize("name", FILES)
def test_data_files_are_in_the_written_form(name: str) -> None:
    """Each file is exactly what the library writes: schema first, 2-space indent, Chinese as is."""
    text = resources.files("beijing_plan.datasets").joinpath(name).read_text(encoding="utf-8")
    assert text.startswith('{\n  "schema": "beijing-plan/1",\n')
    assert "\\u" not in text
    assert re.search("[\u4e00-\u9fff]", text)
    cls = Ledger if name.endswith("_ledger.json") else Plan
    assert dumps(loads(text, cls)) == text


@pytest.mark.parametrize(
    "load", [action_plan_2025, action_plan_2025_ledger, work_report_2025, work_report_2025_ledger]
)
def test_datasets_are_loaded_once(load: Callable[[], object]) -> None:
    """Each dataset function returns the same immutable object on every call."""
    assert load() is load()


def test_the_work_report_figures_of_2025_are_known_only_once_published() -> None:
    """Reported on the last day of 2025, the year's figures were not yet known (none had
    been published); reported a month later they were, and equal the figures known now."""
    plan, ledger = work_report_2025(), work_report_2025_ledger()
    then = history(plan, ledger, at=["2025-12-31"], reported_after=0)["2025-12-31"]
    later = history(plan, ledger, at=["2025-12-31"], reported_after=31)["2025-12-31"]
    now = assess(plan, ledger, as_of="2025-12-31")
    assert then.overall.coverage == 0.0
    assert later.overall.coverage == now.overall.coverage
    assert later.overall.coverage is not None
    assert later.overall.coverage > 0.0
    assert later.overall.completion == now.overall.completion
