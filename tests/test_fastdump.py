"""The generated writers of `_fastdump` write the text the library's cattrs converter writes.

JSON text is written by the shallow writers, part by part as orjson meets the
objects; documents, YAML and TOML by the plain writers. Both are compared here,
byte for byte, with the document of the cattrs converter, for drawn plans and
ledgers (revisions included) and for hand-made objects that fill every field.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import orjson
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import beijing_plan as bp
from beijing_plan import _fastdump
from beijing_plan import strategies as bps
from beijing_plan._fastdump import _DAYS, _day, shallow
from beijing_plan._formats import dump_text
from beijing_plan._values import Aggregation, Baseline, Cadence, TrajectoryPoint
from beijing_plan.convert import make_converter, unstructure
from beijing_plan.files import SCHEMA
from beijing_plan.ledger import Revision, Withdrawal
from beijing_plan.model import Declared
from helpers import run_in_threads

_CATTRS = make_converter()
_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _cattrs_text(obj: object, format: str = "json") -> str:  # noqa: A002 (as dumps names it)
    """The text of `obj`'s document as the cattrs converter makes it."""
    return dump_text({"schema": SCHEMA, **_CATTRS.unstructure(obj)}, format)


def _assert_written_as_cattrs_writes(obj: object, formats: tuple[str, ...] = ("json",)) -> None:
    """`obj`'s document (compact JSON) and its text in each format are cattrs' own."""
    assert orjson.dumps(unstructure(obj)) == orjson.dumps(_CATTRS.unstructure(obj))
    for name in formats:
        assert bp.dumps(obj, name) == _cattrs_text(obj, name)


@given(st.data())
@_SETTINGS
def test_drawn_plans_and_ledgers_are_written_byte_for_byte_as_cattrs_writes_them(
    data: st.DataObject,
) -> None:
    """Drawn plans, ledgers (corrections, revisions) and records are written as cattrs does."""
    plan = data.draw(bps.plans(max_measures=3))
    ledger = data.draw(bps.ledgers(plan, revisions=True))
    _assert_written_as_cattrs_writes(plan)
    _assert_written_as_cattrs_writes(ledger)
    for record in ledger:
        _assert_written_as_cattrs_writes(record)


@given(bps.plans_and_ledgers(max_measures=2))
@settings(_SETTINGS, max_examples=10)
def test_yaml_and_toml_are_written_as_cattrs_writes_them(pair: tuple[bp.Plan, bp.Ledger]) -> None:
    """YAML and TOML texts of drawn plans and ledgers are those of cattrs' documents."""
    for obj in pair:
        for name in ("yaml", "toml"):
            assert bp.dumps(obj, name) == _cattrs_text(obj, name)


def _source(note: str | None = "n") -> bp.Source:
    return bp.Source("报道", "https://example.org/a", "2025-02-03", note=note)


def _full_plan() -> bp.Plan:
    """A plan in which every optional field of every class holds a value."""
    target = bp.Target(
        "m1-t1-g1",
        bp.Text(zh="目标"),
        "between",
        bp.Quantity("5.40", "%"),
        upper=bp.Quantity("7", "%"),
        baseline=Baseline(bp.Quantity("-0", "%"), "2024-12-31"),
        deadline="2025-11-30",
        aggregation=Aggregation.MEAN,
        weight=2.5,
        trajectory=(TrajectoryPoint("2025-06-30", 0.5), TrajectoryPoint("2025-12-31", 1.0)),
        sources=(_source(), bp.Source("只有标题")),
    )
    milestone = bp.Milestone("m1-t1-s1", bp.Text(en="Halfway"), due="2025-06-30", weight=0.5)
    task = bp.Task(
        "m1-t1",
        bp.Text(zh="任务", en="Task"),
        themes={"th2", "th1"},
        lead=("市发展改革委",),
        partners=("市财政局", "市科委"),
        start="2025-02-01",
        due="2025-12-31",
        weight=3.0,
        targets=(target,),
        milestones=(milestone,),
        trajectory=(TrajectoryPoint("2025-09-30", 0.75),),
        sources=(_source(None),),
        reporting=Cadence("quarter", due_days=10),
    )
    measure = bp.Measure(
        "m1",
        1,
        bp.Text(zh="举措"),
        themes={"th1"},
        lead=("市科委",),
        tasks=(task,),
        sources=(_source(),),
    )
    policy = bp.Policy(
        "p1",
        bp.Text(zh="政策", en="Policy"),
        themes={"th2"},
        measures=("m1",),
        lead=("市政府",),
        issuer="市政府办公厅",
        due="2025-10-01",
        weight=0.25,
        sources=(_source(),),
        reporting=Cadence(due_days=5),
    )
    return bp.Plan(
        "full",
        bp.Text(zh="全部", en="All"),
        start="2025-01-01",
        end="2025-12-31",
        issuer="市政府",
        published="2024-12-20",
        themes=(bp.Theme("th1", bp.Text(zh="主题")), bp.Theme("th2", bp.Text(en="Theme"))),
        measures=(measure,),
        policies=(policy,),
        declared=Declared(1, 1, 1),
        sources=(_source(),),
        reporting=Cadence("month", due_days=3),
    )


def _full_ledger() -> bp.Ledger:
    """A ledger with every kind of record, each with every optional field."""
    return bp.Ledger(
        [
            bp.Observation("m1-t1-g1", "2025-03-01", bp.Quantity("5.4", "%"), id="o1"),
            bp.Observation(
                "m1-t1-g1",
                "2025-03-01",
                bp.Quantity("5.50", "%"),
                source=_source(),
                note="更正",
                recorded="2025-03-05",
                id="o2",
                supersedes="o1",
                reason="typo",
            ),
            bp.StatusChange("m1-t1", "2025-03-02", "in_progress", id="s1"),
            bp.StatusChange(
                "m1-t1",
                "2025-03-02",
                "done",
                percent=100.0,
                source=_source(),
                note="完成",
                recorded="2025-03-03",
                id="s2",
                supersedes="s1",
                reason="finished early",
            ),
            Withdrawal("o2", "2025-03-06", reason="wrong", source=_source(), note="撤回", id="w1"),
            Revision(
                "m1-t1-g1",
                "2025-04-01",
                start="2025-02-01",
                due="2025-12-31",
                value=bp.Quantity("6", "%"),
                upper=bp.Quantity("8.0", "%"),
                weight=1.5,
                reason="new goal",
                approved_by=("市政府", "市人大"),
                source=_source(),
                note="调整",
                recorded="2025-04-02",
                id="r1",
                supersedes=None,
            ),
        ]
    )


def test_every_field_of_every_class_is_written_as_cattrs_writes_it() -> None:
    """A plan and a ledger that fill every optional field are written as cattrs writes them."""
    plan, ledger = _full_plan(), _full_ledger()
    everything: list[object] = [plan, ledger, *ledger, *plan.measures, *plan.tasks()]
    everything += [*plan.targets(), *plan.policies, plan.declared, plan.reporting]
    for obj in everything:
        _assert_written_as_cattrs_writes(obj, ("json", "yaml", "toml"))
    assert '"value": "5.40"' in bp.dumps(plan)  # a decimal keeps its digits
    assert '"value": "-0"' in bp.dumps(plan)


def test_an_object_of_a_subclass_inside_falls_back_to_the_whole_document() -> None:
    """A source of a subclass, which no shallow writer knows, is written as its declared class."""

    @attrs.frozen
    class LocalSource(bp.Source):
        extra: str = "not written"

    record = bp.Observation(
        "g", "2025-01-02", bp.Quantity(1, "count"), source=LocalSource("报道", "https://x.org")
    )
    ledger = bp.Ledger([record])
    text = bp.dumps(ledger)
    assert text == _cattrs_text(ledger)
    assert "not written" not in text
    assert '"title": "报道"' in text


def test_nested_refuses_an_object_it_does_not_write() -> None:
    """The function orjson calls for the objects inside raises TypeError naming any other object."""
    writers = shallow(bp.Ledger)
    assert writers is not None
    _, nested = writers
    with pytest.raises(TypeError, match=r"^Plan is not written here$"):
        nested(_full_plan())


def _forget(*days: pendulum.Date) -> None:
    """Take `days` out of the dates whose texts are kept, as if never written."""
    for day in days:
        _DAYS.pop(day, None)


@contextmanager
def _counting_twins(cls: type) -> Iterator[dict[str, int]]:
    """Count the objects the shallow writers of `cls` hand to their learning twins."""
    writers = shallow(cls)
    assert writers is not None
    handed = {"write": 0, "nested": 0}
    saved: dict[str, Any] = {}
    for writer in writers:
        name = f"_{writer.__name__}_learning"
        space = writer.__globals__
        if name in space:
            saved[name] = twin = space[name]

            def counted(obj: object, twin: Any = twin, key: str = writer.__name__) -> Any:
                handed[key] += 1
                return twin(obj)

            space[name] = counted
    try:
        yield handed
    finally:
        for writer in writers:
            name = f"_{writer.__name__}_learning"
            if name in saved:
                writer.__globals__[name] = saved[name]


def test_dates_past_the_limit_of_kept_texts_are_still_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once the dates kept reach their limit, a new date's text is made each time and not kept."""
    monkeypatch.setattr(_fastdump, "_DAYS_KEPT", len(_DAYS))
    day = pendulum.Date(1999, 1, 2)
    _forget(day)
    ledger = bp.Ledger([bp.StatusChange("t", day, "done")])
    assert '"on": "1999-01-02"' in bp.dumps(ledger)
    assert unstructure(ledger)["records"][0]["on"] == "1999-01-02"
    assert day not in _DAYS
    assert _day(day) == "1999-01-02"
    assert day not in _DAYS


def test_dates_not_met_before_are_written_by_the_learning_twin_and_kept() -> None:
    """A date not kept yet is written as cattrs writes it, on every path, and kept after.

    The plan's own dates are written by the shallow writer of the top object, the
    records' and the tasks' by the function orjson calls for the objects inside, and
    documents by the plain writers; each hands an object with a new date to its twin.
    """
    plan, ledger = _full_plan(), _full_ledger()
    days = [pendulum.Date(2025, 3, d) for d in (1, 2, 3, 5, 6)] + [
        pendulum.Date(2025, 4, 1),
        pendulum.Date(2025, 4, 2),
        pendulum.Date(2024, 12, 20),
        pendulum.Date(2025, 1, 1),
        pendulum.Date(2025, 12, 31),
        pendulum.Date(2025, 2, 1),
        pendulum.Date(2025, 6, 30),
        pendulum.Date(2025, 9, 30),
    ]
    for obj in (plan, ledger, *ledger, *plan.tasks()):
        _forget(*days)
        _assert_written_as_cattrs_writes(obj)  # the document first, then the JSON text
        _forget(*days)
        assert bp.dumps(obj) == _cattrs_text(obj)  # the JSON text with no date kept
    _forget(*days)
    with _counting_twins(bp.Ledger) as handed:
        assert bp.dumps(ledger) == _cattrs_text(ledger)
    assert handed["nested"] > 0  # each record with a date not met before
    with _counting_twins(bp.Plan) as handed:
        assert bp.dumps(plan) == _cattrs_text(plan)
    assert handed["write"] == 1  # the plan itself, with its new start
    assert handed["nested"] > 0  # the tasks and milestones with new dates
    assert all(day in _DAYS for day in days)
    for obj in (ledger, plan):
        with _counting_twins(type(obj)) as handed:
            _assert_written_as_cattrs_writes(obj)
        assert handed == {"write": 0, "nested": 0}  # every date is kept now


def test_a_writer_with_no_date_has_no_twin() -> None:
    """A writer that looks no date up has no `try` and no twin: nothing could send it there."""
    writers = shallow(bp.Ledger)
    assert writers is not None
    write, nested = writers
    assert "_write_learning" not in write.__globals__
    assert nested.__globals__["_nested_learning"] is not nested


def test_threads_writing_new_dates_at_once_write_the_same_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Threads dumping ledgers with dates never written before all write cattrs' text.

    They share the dates they learn: every thread writes records of the same new
    dates, some of them also dates only it has, while the others learn theirs, and
    with the limit of kept dates reached halfway, so that some texts are kept and
    some are made each time.
    """
    shared = [pendulum.Date(1990, 1, 1).add(days=i) for i in range(40)]
    own = [[pendulum.Date(1991 + t, 1, 1).add(days=i) for i in range(40)] for t in range(6)]
    _forget(*shared, *(day for days in own for day in days))
    kept = len(_DAYS) + 60
    monkeypatch.setattr(_fastdump, "_DAYS_KEPT", kept)
    ledgers = [
        bp.Ledger(
            bp.StatusChange(f"t{t}-{i}", day, "in_progress", percent=i, recorded=later)
            for i, (day, later) in enumerate(zip(shared, days, strict=True))
        )
        for t, days in enumerate(own)
    ]
    expected = [_cattrs_text(ledger) for ledger in ledgers]
    start = threading.Barrier(len(ledgers))
    written: list[list[str]] = [[] for _ in ledgers]

    def dump(t: int) -> None:
        start.wait()
        for _ in range(5):
            written[t].append(bp.dumps(ledgers[t]))

    run_in_threads(dump, range(len(ledgers)), switch=1e-6)  # switch as often as can be
    for texts, text in zip(written, expected, strict=True):
        assert texts == [text] * 5
    days = [*shared, *(day for days in own for day in days)]
    assert all(_DAYS[d] == f"{d.year}-{d.month:02}-{d.day:02}" for d in days if d in _DAYS)
    assert kept <= len(_DAYS) <= kept + len(ledgers)


def test_a_year_before_1000_is_written_with_four_digits() -> None:
    """A date's text is always YYYY-MM-DD, as cattrs writes it, even for an early year."""
    record = bp.StatusChange("t", pendulum.Date(999, 3, 4), "done")
    assert unstructure(record)["on"] == "0999-03-04"
    assert bp.dumps(bp.Ledger([record])) == _cattrs_text(bp.Ledger([record]))


def test_documents_are_plain_data_with_lists_and_strings() -> None:
    """`unstructure` still gives plain lists and strings, never tuples, enumerations or dates."""
    document: dict[str, Any] = unstructure(_full_ledger())
    assert type(document["records"]) is list
    status = document["records"][3]
    assert type(status["status"]) is str
    assert type(status["on"]) is str
    revision = document["records"][5]
    assert type(revision["approved_by"]) is list


def test_a_saved_json_file_holds_the_text_dumps_gives(tmp_path: Path) -> None:
    """`save` writes to a .json file the UTF-8 of the very text `dumps` gives, Chinese included."""
    plan, ledger = _full_plan(), _full_ledger()
    for name, obj in (("plan.json", plan), ("progress.json", ledger)):
        bp.save(obj, tmp_path / name)
        assert (tmp_path / name).read_bytes() == _cattrs_text(obj).encode("utf-8")
    assert "全部" in (tmp_path / "plan.json").read_text(encoding="utf-8")
