"""Tests of beijing_plan.display: notebook HTML, readable text and short reprs."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pendulum
import pytest
from hypothesis import given, reject

from beijing_plan import display
from beijing_plan import strategies as bps
from beijing_plan.assessment import Assessment, Result, assess
from beijing_plan.exceptions import PlanValidationError
from beijing_plan.ledger import Ledger, Observation, StatusChange
from beijing_plan.model import Measure, Plan, Policy, Source, Target, Task, Text, Theme
from beijing_plan.rules import Rules
from beijing_plan.units import Quantity
from helpers import count

AS_OF = "2025-07-02"  # day 182 of the 364 from 2025-01-01 to 2025-12-31: expected 0.5
HOSTILE_ZH = "<script>alert('中')</script>"
HOSTILE_EN = 'A & B <b>"bold"</b>'
HOSTILE = Text(zh=HOSTILE_ZH, en=HOSTILE_EN)
VOID = {"br", "hr", "img", "meta", "input", "col", "wbr"}


def demo_plan(task_title: Text | None = None) -> Plan:
    return Plan(
        "p",
        Text(zh="示范计划", en="Demo plan"),
        start="2025-01-01",
        end="2025-12-31",
        themes=[Theme("econ", Text(zh="经济", en="Economy"))],
        measures=[
            Measure(
                "m1",
                1,
                Text(zh="发展经济", en="Grow the economy"),
                themes={"econ"},
                targets=[Target("g", Text(zh="企业数量"), "at_least", Quantity(60, "count"))],
                tasks=[
                    Task("a", task_title or Text(zh="任务甲", en="Task A")),
                    Task("b", Text(en="Task B")),
                ],
            ),
        ],
        policies=[Policy("p1", Text(zh="政策一", en="Policy one"), measures=["m1"])],
    )


def demo_ledger() -> Ledger:
    return Ledger(
        [
            StatusChange("a", "2025-03-01", "done"),
            StatusChange("b", "2025-03-01", "in_progress", percent=30),
            Observation("g", "2025-06-01", Quantity(30, "count")),
        ]
    )


def demo_assessment(rules: Rules | None = None, title: Text | None = None) -> Assessment:
    return assess(demo_plan(title), demo_ledger(), as_of=AS_OF, rules=rules)


class Page(HTMLParser):
    """Parses HTML, checking that every element is closed in order, and keeps its text."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()
        assert self.stack == [], f"unclosed elements: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        opened = self.stack.pop()
        assert opened == tag, f"</{tag}> closes <{opened}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def content(self) -> str:
        return "".join(self.text)

    def styles(self) -> list[str]:
        return [attrs.get("style") or "" for _, attrs in self.tags]


def self_contained(page: Page) -> None:
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "style", "link", "iframe", "img", "object"}
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)
        assert "url(" not in (attrs.get("style") or "")


# -- HTML ------------------------------------------------------------------------------


def test_assessment_html_is_well_formed_and_self_contained() -> None:
    """The assessment HTML parses with every element closed, and has no script or style sheet."""
    page = Page(display.assessment_html(demo_assessment(), by=("measure", "theme", "leaf")))
    self_contained(page)
    assert page.tags[0][0] == "div"


def test_assessment_html_shows_titles_in_both_languages() -> None:
    """Each row shows its Chinese and its English title."""
    content = Page(display.assessment_html(demo_assessment(), by="leaf")).content
    for text in ("示范计划", "Demo plan", "任务甲", "Task A", "Task B", "企业数量", "政策一"):
        assert text in content
    assert "发展经济" not in content  # by="leaf" lists no measure


def test_assessment_html_draws_a_bar_per_row_with_the_expected_mark() -> None:
    """Each row has a bar filled to its completion and a mark at its expected value."""
    page = Page(display.assessment_html(demo_assessment(), by="leaf"))
    styles = page.styles()
    # Rows: the plan, then g (0.5), a (1), b (0.3), p1 (0); every leaf expects 0.5 by now.
    fills = [s for s in styles if s.startswith("width:") and "height:100%" in s]
    assert [fill.split(";")[0] for fill in fills] == [
        f"width:{(0.5 + 1 + 0.3 + 0) / 4 * 100:.1f}%",
        "width:50.0%",
        "width:100.0%",
        "width:30.0%",
        "width:0.0%",
    ]
    marks = [s for s in styles if "position:absolute" in s]
    assert len(marks) == 5
    assert all("left:50.0%" in mark for mark in marks)


def test_status_chips_take_the_rag_colour_of_the_status() -> None:
    """A chip's background is its status's RAG colour: done blue, at risk amber, off track red."""
    page = Page(display.assessment_html(demo_assessment(), by="leaf"))
    chips = [(attrs.get("title"), attrs.get("style") or "") for tag, attrs in page.tags]
    backgrounds = {
        title: style.split("background:")[1].split(";")[0]
        for title, style in chips
        if title in ("done", "at_risk", "off_track", "on_track")
    }
    # a is done, b 0.3 of 0.5 (spi 0.6) at risk, p1 0 off track, g 0.5 on track.
    assert backgrounds == {
        "done": "#2b6cb0",
        "at_risk": "#d69e2e",
        "off_track": "#c53030",
        "on_track": "#2f855a",
    }
    assert "进度正常 · on track" in page.content


def test_configured_colours_are_used_and_unsafe_ones_refused() -> None:
    """A plain colour name from the rules is used; anything else falls back to grey."""
    rules = Rules(colours={"done": "purple", "at_risk": "red;background:url(x)"})
    markup = display.assessment_html(demo_assessment(rules), by="leaf")
    assert "background:purple" in markup
    assert "url(" not in markup
    self_contained(Page(markup))


def test_hostile_titles_are_escaped() -> None:
    """Titles holding markup show as text: no element comes from them."""
    assessment = demo_assessment(title=HOSTILE)
    for markup in (
        display.assessment_html(assessment, by="leaf"),
        display.result_html(assessment["a"]),
        display.result_html(assessment["m1"]),
        display.plan_html(assessment.plan),
    ):
        page = Page(markup)
        self_contained(page)
        assert "b" not in {tag for tag, _ in page.tags}
        assert HOSTILE_ZH in page.content
        assert HOSTILE_EN in page.content
        assert "&lt;script&gt;" in markup


def test_long_sections_stop_at_max_rows() -> None:
    """A section longer than max_rows shows that many rows and says how many are left out."""
    page = Page(display.assessment_html(demo_assessment(), by="leaf", max_rows=2))
    assert "... and 2 more" in page.content
    assert "Task B" not in page.content


def test_bad_sections_and_limits_are_refused() -> None:
    """An unknown section or a max_rows below 1 is refused with its path."""
    with pytest.raises(PlanValidationError, match=r"by\[1\]: 'task' is not one of"):
        display.assessment_html(demo_assessment(), by=("theme", "task"))
    with pytest.raises(PlanValidationError, match=r"max_rows: 0 is not a whole number"):
        display.plan_html(demo_plan(), max_rows=0)


def test_result_html_lists_contributions() -> None:
    """A group's HTML lists what each leaf adds, with its share and completion."""
    page = Page(display.result_html(demo_assessment()["m1"]))
    content = page.content
    for text in ("发展经济", "Grow the economy", "Contributions", "政策一", "Task B"):
        assert text in content
    # Four leaves of weight 1: each has a 25% share; a adds 1 x 0.25.
    assert content.count("25.0%") == 4
    assert "0.2500" in content


def test_result_html_of_a_target_shows_its_value_and_ratio() -> None:
    """A target's HTML shows its current value and its ratio to the target."""
    content = Page(display.result_html(demo_assessment()["g"])).content
    assert "current value 30" in content
    assert "ratio to target 0.5000" in content


def test_plan_html_lists_measures_leaves_and_goals() -> None:
    """The plan HTML lists each measure, its leaves with their themes, goals and due dates."""
    content = Page(display.plan_html(demo_plan())).content
    for text in ("1. ", "发展经济", "Grow the economy", "≥ 60", "econ", "2025-12-31"):
        assert text in content
    assert "Policies to be introduced" in content
    assert "1 measure, 2 tasks, 1 policy, 1 target" in content


def test_plan_html_counts_the_targets_and_milestones_of_a_task() -> None:
    """A task measured by targets or milestones says how many it has, leaving out zeros."""
    plan = Plan(
        "q",
        "Plan",
        start="2025-01-01",
        end="2025-12-31",
        measures=[
            Measure(
                "m",
                1,
                "M",
                tasks=[
                    Task(
                        "t",
                        "T",
                        targets=[
                            Target("t1", "One", "at_most", Quantity(5, "percent")),
                            Target("t2", "Two", "between", count(1), upper=count(2)),
                        ],
                    )
                ],
            )
        ],
    )
    content = Page(display.plan_html(plan)).content
    assert "2 targets" in content
    assert "milestone" not in content


# -- text ------------------------------------------------------------------------------


def test_reprs_are_one_short_line() -> None:
    """Plan, ledger and assessment reprs name the object and count what it holds."""
    assessment = demo_assessment()
    assert display.plan_repr(demo_plan()) == "<Plan 'p' '示范计划': 1 measure, 2 tasks, 1 policy>"
    assert display.ledger_repr(demo_ledger()) == "<Ledger: 3 records, 2025-03-01 to 2025-06-01>"
    assert display.ledger_repr(Ledger()) == "<Ledger: no records>"
    completion = (0.5 + 1 + 0.3 + 0) / 4
    assert display.assessment_repr(assessment) == (
        f"<Assessment of 'p' as of 2025-07-02: completion {completion:.4f}, at_risk>"
    )


def test_result_str_has_every_figure() -> None:
    """A result's text gives completion, expected, spi, status, coverage, weight and due."""
    line = display.result_str(demo_assessment()["b"])
    assert line == (
        "task b Task B: completion 30.0%, expected 50.0%, spi 0.60, at risk, "
        "coverage 100.0%, weight 1, due 2025-12-31"
    )


def test_assessment_str_lists_measures_and_themes() -> None:
    """The assessment text gives the overall figures, then a line per measure and theme."""
    lines = display.assessment_str(demo_assessment()).splitlines()
    assert lines[0] == "Assessment of p 示范计划 (Demo plan) as of 2025-07-02"
    assert lines[1] == "  overall: 45.0% complete, 50.0% expected, at risk, coverage 75.0%"
    assert lines[2] == "By measure:"
    assert lines[3] == "  m1   45.0% of  50.0%  at risk    发展经济 (Grow the economy)"
    assert lines[4] == "By theme:"
    assert lines[5].startswith("  econ   60.0% of  50.0%  on track")


def test_ledger_str_stops_at_the_limit() -> None:
    """The ledger text counts records by kind and lists the first ones."""
    lines = display.ledger_str(demo_ledger(), limit=2).splitlines()
    assert lines == [
        "Ledger of 3 records from 2025-03-01 to 2025-06-01: 1 observation, 2 status changes",
        "  2025-03-01  a: done",
        "  2025-03-01  b: in_progress (30%)",
        "  ... and 1 more",
    ]
    assert display.ledger_str(Ledger()) == "Ledger with no records"


def test_plan_str_gives_period_sizes_and_measures() -> None:
    """The plan text gives its title, period, sizes and one line per measure."""
    assert display.plan_str(demo_plan()).splitlines() == [
        "Plan p: 示范计划 (Demo plan)",
        "  2025-01-01 to 2025-12-31",
        "  1 measure, 2 tasks, 1 policy, 1 target, 0 milestones, 1 theme",
        "  1. m1: 发展经济 (Grow the economy) (2 tasks, 1 target)",
    ]


def assessed(plan: Plan, ledger: Ledger, as_of: pendulum.Date) -> Assessment:
    """The assessment, or a rejected example when the engine refuses the drawn values.

    The engine raises for a value that leaves the supported range once converted to
    its target's unit (a baseline of 1E-53 yuan is 1E-61 亿元); what is under test
    here is the presentation of assessments, not that limit.
    """
    try:
        return assess(plan, ledger, as_of=as_of)
    except PlanValidationError:
        reject()


# -- properties ------------------------------------------------------------------------


def titles(plan: Plan) -> list[str]:
    leaves: list[Any] = [*plan.policies]
    for measure in plan.measures:
        leaves.extend([measure, *measure.targets, *measure.tasks])
    return [text for leaf in leaves for text in (leaf.title.zh, leaf.title.en) if text]


@given(bps.plans_and_ledgers(max_measures=3, max_records=8))
def test_html_is_well_formed_and_shows_every_title(plan_and_ledger: tuple[Plan, Ledger]) -> None:
    """Whatever the titles hold, the HTML parses cleanly and shows each title as written."""
    plan, ledger = plan_and_ledger
    assessment = assessed(plan, ledger, as_of=plan.end)
    for markup in (
        display.plan_html(plan),
        display.assessment_html(assessment, by=("measure", "theme", "leaf")),
        display.result_html(assessment.overall),
    ):
        page = Page(markup)
        self_contained(page)
    shown = Page(display.plan_html(plan)).content
    for text in titles(plan):
        assert text in shown


@pytest.mark.skipif(not hasattr(Assessment, "_repr_html_"), reason="methods not wired yet")
def test_notebook_methods_give_the_same_html() -> None:
    """_repr_html_ of Plan, Assessment and Result give the HTML the functions give."""
    assessment = demo_assessment()
    result: Any = assessment["m1"]
    plan: Any = assessment.plan
    shown: Any = assessment
    assert shown._repr_html_() == display.assessment_html(assessment)
    assert result._repr_html_() == display.result_html(assessment["m1"])
    assert plan._repr_html_() == display.plan_html(assessment.plan)
    assert isinstance(result, Result)


# -- a measure's targets and the ledger's HTML ------------------------------------------


def plan_with_task_targets() -> Plan:
    """A plan whose measure has one own target and two task targets."""
    return Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        measures=[
            Measure(
                "m1",
                1,
                "M",
                targets=[Target("g", "G", "at_least", count(60))],
                tasks=[
                    Task("a", "A", targets=[Target("ga", "GA", "at_least", count(2))]),
                    Task("b", "B", targets=[Target("gb", "GB", "at_most", count(5))]),
                ],
            ),
            Measure("m2", 2, "N", tasks=[Task("c", "C")]),
        ],
    )


def test_plan_str_counts_the_targets_of_a_measures_tasks() -> None:
    """A measure's line counts its own targets and those of its tasks, as the plan's line does."""
    assert display.plan_str(plan_with_task_targets()).splitlines() == [
        "Plan p: P",
        "  2025-01-01 to 2025-12-31",
        "  2 measures, 3 tasks, 0 policies, 3 targets, 0 milestones, 0 themes",
        "  1. m1: M (2 tasks, 3 targets)",
        "  2. m2: N (1 task, 0 targets)",
    ]


def hostile_ledger() -> Ledger:
    """A ledger whose ids, note and source title hold markup."""
    return Ledger(
        [
            StatusChange("a", "2025-03-01", "done", note=HOSTILE_EN),
            StatusChange("b", "2025-03-02", "in_progress", percent=30),
            Observation("g", "2025-06-01", Quantity(30, "万元"), source=Source(title=HOSTILE_ZH)),
        ]
    )


def test_ledger_html_lists_every_record() -> None:
    """The ledger's HTML is a table with one row per record: day, kind, id, value or status."""
    page = Page(display.ledger_html(hostile_ledger()))
    self_contained(page)
    rows = [attrs for tag, attrs in page.tags if tag == "tr"]
    assert len(rows) == 1 + 3  # the header and three records
    content = page.content
    for text in (
        "3 records, 2025-03-01 to 2025-06-01",
        "1 observation, 2 status changes",
        "2025-06-01",
        "observation",
        "status change",
        "30万元",
        "in progress (30%)",
        HOSTILE_EN,
        HOSTILE_ZH,
    ):
        assert text in content
    assert "<script>" not in display.ledger_html(hostile_ledger())


def test_ledger_html_stops_at_max_rows() -> None:
    """Past max_rows, the ledger's HTML says how many records were left out."""
    markup = display.ledger_html(hostile_ledger(), max_rows=2)
    page = Page(markup)
    assert "... and 1 more" in page.content
    assert "2025-06-01" not in page.content.split("... and")[0].split("status changes", 1)[1]
    with pytest.raises(PlanValidationError, match="max_rows: 0 is not a whole number"):
        display.ledger_html(hostile_ledger(), max_rows=0)


def test_an_empty_ledger_has_html() -> None:
    """An empty ledger's HTML says it has no records."""
    page = Page(display.ledger_html(Ledger()))
    assert "no records" in page.content


def test_ledger_repr_html_is_the_ledger_html() -> None:
    """Ledger._repr_html_ gives what display.ledger_html gives, as a plan's does."""
    ledger = hostile_ledger()
    assert ledger._repr_html_() == display.ledger_html(ledger)
