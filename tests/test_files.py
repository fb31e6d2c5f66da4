"""Tests of documents and files: formats, schema, validation paths, atomic saves."""

from __future__ import annotations

import copy
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import beijing_plan as bp
from beijing_plan import PlanValidationError
from beijing_plan import strategies as bps
from beijing_plan._formats import parse
from beijing_plan.files import document

FORMATS = ["json", "yaml", "toml"]


def sample_plan() -> bp.Plan:
    """A plan that uses every kind of field, with Chinese text."""
    source = bp.Source("北京日报", "https://example.org/a", published="2025-04-08", note="报道")
    return bp.Plan(
        "bj",
        bp.Text(zh="行动方案", en="Action plan"),
        start="2025-01-01",
        end="2025-12-31",
        issuer="北京市",
        published="2025-04-01",
        themes=[bp.Theme("a", "甲"), bp.Theme("b", "乙", parent="a")],
        measures=[
            bp.Measure(
                f"m{m}",
                m + 1,
                f"举措{m}",
                themes={"a"},
                lead=("市发展改革委",),
                tasks=[
                    bp.Task(
                        f"m{m}-t{t}",
                        bp.Text(zh=f"任务{t}", en=f"Task {t}"),
                        themes={"b"},
                        lead=("市科委", "中关村管委会"),
                        partners=("市财政局",),
                        start="2025-02-01",
                        due="2025-11-30",
                        weight=0.5 + t,
                        targets=[
                            bp.Target(
                                f"m{m}-t{t}-g",
                                "Companies",
                                "between",
                                bp.Quantity("60.50", "家"),
                                upper=bp.Quantity(100, "count"),
                                baseline=bp.Baseline(bp.Quantity(0, "count"), "2024-12-31"),
                                deadline="2025-12-31",
                                aggregation="sum",
                                weight=2,
                                trajectory=[("2025-06-30", 0.4)],
                                sources=[source],
                            )
                        ],
                        milestones=[bp.Milestone(f"m{m}-t{t}-k", "启动", due="2025-03-01")],
                        trajectory=[("2025-03-31", 0.2), ("2025-09-30", 0.7)],
                        sources=[source],
                    )
                    for t in range(4)
                ],
            )
            for m in range(4)
        ],
        policies=[
            bp.Policy("p1", "政策", measures=["m0", "m1"], issuer="市政府", due="2025-06-30")
        ],
        declared={"measures": 27, "tasks": 157, "policies": 25},
        sources=[source],
    )


def sample_ledger() -> bp.Ledger:
    """A ledger with both kinds of record and every optional field."""
    return bp.Ledger(
        [
            bp.Observation(
                "m0-t0-g",
                "2025-06-30",
                bp.Quantity("132", "count"),
                source=bp.Source("千龙网", "https://example.org/b"),
                note="含全部新入驻企业",
            ),
            bp.StatusChange("m0-t0", "2025-03-01", "in_progress", percent=12.5),
            bp.StatusChange("p1", "2025-10-28", "done", note="已印发"),
        ]
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_plan_round_trips_in_every_format(fmt: str) -> None:
    """A plan comes back equal from JSON, YAML and TOML."""
    plan = sample_plan()
    assert bp.loads(bp.dumps(plan, fmt), bp.Plan, fmt) == plan


@pytest.mark.parametrize("fmt", FORMATS)
def test_ledger_round_trips_in_every_format(fmt: str) -> None:
    """A ledger comes back equal from JSON, YAML and TOML."""
    ledger = sample_ledger()
    assert bp.loads(bp.dumps(ledger, fmt), bp.Ledger, fmt) == ledger


def test_wire_format_is_as_documented() -> None:
    """Decimals are strings, dates ISO strings, Chinese unescaped, schema first."""
    text = bp.dumps(sample_plan())
    data = json.loads(text)
    assert next(iter(data)) == "schema"
    assert data["schema"] == "beijing-plan/1"
    target = data["measures"][0]["tasks"][0]["targets"][0]
    assert target["value"] == {"value": "60.50", "unit": "count"}
    assert target["baseline"]["on"] == "2024-12-31"
    assert "行动方案" in text
    assert "\\u" not in text
    assert "weight" not in data["measures"][0]["tasks"][0]["milestones"][0]  # default omitted


def test_loaded_values_have_the_model_types() -> None:
    """Dates load as pendulum.Date and decimals keep their digits."""
    plan = bp.loads(bp.dumps(sample_plan(), "toml"), bp.Plan, "toml")
    task = plan.measures[0].tasks[0]
    assert type(task.due) is pendulum.Date
    assert task.targets[0].value.value.as_tuple() == Decimal("60.50").as_tuple()


def test_save_and_load_by_suffix(tmp_path: Path) -> None:
    """save() picks the format from the suffix, and load() reads it back."""
    for name in ("plan.json", "plan.yaml", "plan.yml", "plan.toml"):
        path = tmp_path / name
        bp.save(sample_plan(), path)
        assert bp.load(path) == sample_plan()
    bp.save(sample_ledger(), tmp_path / "ledger.json")
    assert bp.load(tmp_path / "ledger.json", bp.Ledger) == sample_ledger()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ledger.json",
        "plan.json",
        "plan.toml",
        "plan.yaml",
        "plan.yml",
    ]  # no temporary files left behind


def test_save_replaces_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while writing leaves the previous file intact and no temporary file."""
    path = tmp_path / "plan.json"
    bp.save(sample_plan(), path)
    before = path.read_bytes()

    def boom(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        bp.save(bp.Quantity(1, "count"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    """A file whose suffix names no format is refused with the known ones."""
    with pytest.raises(PlanValidationError, match=r"'\.txt' names no format"):
        bp.save(sample_plan(), tmp_path / "plan.txt")


def test_unknown_schema_version_is_refused() -> None:
    """A document of another schema version, or none, is refused clearly."""
    with pytest.raises(PlanValidationError, match="'beijing-plan/2' is not a schema this version"):
        bp.loads('{"schema": "beijing-plan/2"}', bp.Plan)
    with pytest.raises(PlanValidationError, match="schema: is missing"):
        bp.loads('{"id": "x"}', bp.Plan)


def broken(document_edit: Any) -> list[tuple[str, str]]:
    """The problems reported for the sample plan's document after ``document_edit``."""
    data = copy.deepcopy(document(sample_plan()))
    document_edit(data)
    with pytest.raises(PlanValidationError) as error:
        bp.loads(json.dumps(data), bp.Plan)
    return error.value.problems


def test_bad_date_is_reported_with_its_path() -> None:
    """A bad date deep in the plan names its full path and the value."""

    def edit(data: dict[str, Any]) -> None:
        data["measures"][3]["tasks"][2]["due"] = "2025-13-01"

    assert broken(edit) == [("measures[3].tasks[2].due", "'2025-13-01' is not a date (YYYY-MM-DD)")]
    data = copy.deepcopy(document(sample_plan()))
    edit(data)
    with pytest.raises(PlanValidationError, match=r"measures\[3\]\.tasks\[2\]\.due: '2025-13-01'"):
        bp.loads(json.dumps(data))


def test_every_structural_and_semantic_problem_is_collected() -> None:
    """Types, enums, dates, missing and unknown fields, ids and references all come together."""

    def edit(data: dict[str, Any]) -> None:
        task = data["measures"][0]["tasks"][1]
        task["weight"] = "heavy"
        task["targets"][0]["comparator"] = "more_than"
        task["colour"] = "red"
        del data["measures"][1]["number"]
        data["measures"][2]["tasks"][0]["id"] = "m0-t0"
        data["measures"][2]["tasks"][1]["themes"] = ["zz"]
        data["policies"][0]["measures"] = ["m9"]
        data["measures"][3]["tasks"][0]["start"] = "2025-12-01"
        data["measures"][3]["tasks"][0]["targets"][0]["value"]["unit"] = "parsec"
        data["themes"][0]["parent"] = "b"

    problems = dict(broken(edit))
    assert problems["measures[0].tasks[1].weight"] == "'heavy' is not a number"
    assert problems["measures[0].tasks[1].targets[0].comparator"].startswith("'more_than' is not")
    assert problems["measures[0].tasks[1].colour"] == "is not a field of Task"
    assert problems["measures[1].number"] == "is required"
    assert (
        problems["measures[2].tasks[0].id"]
        == "'m0-t0' is used again (first at measures[0].tasks[0].id)"
    )
    assert problems["measures[2].tasks[1].themes"] == "'zz' is not a theme of the plan"
    assert problems["policies[0].measures[0]"] == "'m9' is not a measure of the plan"
    assert problems["measures[3].tasks[0].start"] == "start 2025-12-01 is after due 2025-11-30"
    assert problems["measures[3].tasks[0].targets[0].value.unit"].startswith(
        "'parsec' is not a known unit"
    )
    assert problems["themes[0].parent"] == "theme 'a' is its own ancestor (a -> b -> a)"


@pytest.mark.parametrize(
    ("edit_path", "value", "message"),
    [
        (("title",), 5, "5 is not a text"),
        (("start",), 20250101, "20250101 is not a date"),
        (("measures",), "all", "'all' is not a list"),
        (("measures", 0, "number"), True, "True is not a whole number"),
        (("measures", 0, "number"), 0, "0 is not a whole number of 1 or more"),
        (("measures", 0, "tasks", 0, "weight"), -2, "is negative"),
        (("measures", 0, "tasks", 0, "lead"), "市科委", "'市科委' is not a list"),
        (("measures", 0, "tasks", 0, "themes", 0), 7, "7 is not a string"),
        (
            ("measures", 0, "tasks", 0, "targets", 0, "value", "value"),
            "1e999",
            "out of the supported range",
        ),
        (("measures", 0, "tasks", 0, "targets", 0, "weight"), "NaN", "is not a number"),
        (("measures", 0, "tasks", 0, "trajectory", 0, "fraction"), 1.5, "not between 0 and 1"),
        (("declared", "tasks"), -1, "is not a whole number of 0 or more"),
    ],
)
def test_each_kind_of_bad_value_names_its_path(
    edit_path: tuple[str | int, ...], value: object, message: str
) -> None:
    """Each kind of bad value is reported at its own path with the value shown."""

    def edit(data: dict[str, Any]) -> None:
        node: Any = data
        for key in edit_path[:-1]:
            node = node[key]
        node[edit_path[-1]] = value

    problems = broken(edit)
    path = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in edit_path).lstrip(".")
    assert len(problems) == 1, problems
    assert problems[0][0] == path
    assert message in problems[0][1]


def test_ledger_problems_name_the_record() -> None:
    """Bad records are each reported with their index and field."""
    data = document(sample_ledger())
    data["records"][0]["on"] = "yesterday"
    data["records"][1]["kind"] = "gossip"
    data["records"][2]["percent"] = 140
    with pytest.raises(PlanValidationError) as error:
        bp.loads(json.dumps(data), bp.Ledger)
    assert error.value.problems == [
        ("records[0].on", "'yesterday' is not a date (YYYY-MM-DD)"),
        (
            "records[1].kind",
            "'gossip' is not one of 'observation', 'status', 'withdrawal', 'revision'",
        ),
        ("records[2].percent", "140.0 is not between 0 and 100"),
    ]


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ('{"schema": "beijing-plan/1", "id": NaN}', "json", "NaN is not a finite number"),
        ('{"schema": ', "json", "not valid JSON"),
        ("[1, 2]", "json", "is a list, not a mapping"),
        ("schema = 'beijing-plan/1'\nweight = nan", "toml", "nan is not a finite number"),
        ("schema = ", "toml", "not valid TOML"),
        (
            "schema: beijing-plan/1\nid: !!python/object/apply:os.system [ls]",
            "yaml",
            "could not determine a constructor",
        ),
        ("a: [1\n", "yaml", "not valid YAML"),
        ("schema: beijing-plan/1\nw: .nan", "yaml", "nan is not a finite number"),
    ],
)
def test_unparsable_text_gives_a_clear_error(text: str, fmt: str, message: str) -> None:
    """Text that does not parse, or holds NaN or Python tags, raises the library's error."""
    with pytest.raises(PlanValidationError, match=message):
        bp.loads(text, bp.Plan, fmt)


def test_bytes_that_are_not_utf8_are_refused_with_their_position() -> None:
    """Non-UTF-8 bytes are refused, naming the byte and its position."""
    with pytest.raises(PlanValidationError, match="byte 0xff at position 11 is not UTF-8"):
        bp.loads(b'{"schema": \xff}', bp.Plan)


def test_yaml_on_key_stays_a_string() -> None:
    """A YAML key `on:` is read as the string 'on', not as true."""
    text = (
        "schema: beijing-plan/1\nrecords:\n"
        "- kind: status\n  item: t1\n  on: 2025-03-01\n  status: done\n"
    )
    ledger = bp.loads(text, bp.Ledger, "yaml")
    assert ledger.records[0].on == pendulum.Date(2025, 3, 1)


def test_yaml_unquoted_bad_date_is_reported_at_its_path() -> None:
    """An impossible unquoted date in YAML is reported like any bad date, with its path."""
    text = bp.dumps(sample_plan(), "yaml").replace("due: '2025-11-30'", "due: 2025-13-01", 1)
    with pytest.raises(PlanValidationError) as error:
        bp.loads(text, bp.Plan, "yaml")
    assert error.value.problems == [
        ("measures[0].tasks[0].due", "'2025-13-01' is not a date (YYYY-MM-DD)")
    ]


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    """A YAML document whose aliases expand exponentially is refused."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    with pytest.raises(PlanValidationError, match="expand to more than"):
        bp.loads("\n".join(lines), bp.Plan, "yaml")


def test_deep_nesting_is_refused() -> None:
    """A deeply nested document is refused instead of exhausting the stack."""
    with pytest.raises(PlanValidationError, match=r"depth|deeper"):
        bp.loads("[" * 100_000 + "]" * 100_000, bp.Plan)
    with pytest.raises(PlanValidationError, match="deeper than"):
        bp.loads("schema: beijing-plan/1\nx: " + "[" * 200 + "]" * 200, bp.Plan, "yaml")


def test_hand_written_yaml_with_plain_numbers_and_dates_loads() -> None:
    """Unquoted dates and plain numbers, as people write YAML, are accepted."""
    text = """
schema: beijing-plan/1
id: demo
title: 示范
start: 2025-01-01
end: 2025-12-31
measures:
  - id: m1
    number: 1
    title: 举措
    targets:
      - id: g1
        title: 企业
        comparator: at_least
        value: {value: 60, unit: 家}
"""
    plan = bp.loads(text, bp.Plan, "yaml")
    target = plan["g1"]
    assert isinstance(target, bp.Target)
    assert target.value == bp.Quantity(60, "count")
    assert plan.start == pendulum.Date(2025, 1, 1)


def test_other_models_make_documents_too() -> None:
    """Every model class, not only plans and ledgers, round-trips through a document."""
    for obj in (
        bp.Quantity("5.4", "percent"),
        bp.Text(zh="北京"),
        sample_plan().measures[0],
        sample_plan().measures[0].tasks[0].targets[0],
        sample_plan().policies[0],
        sample_ledger().records[0],
    ):
        for fmt in FORMATS:
            assert bp.loads(bp.dumps(obj, fmt), type(obj), fmt) == obj


def test_unknown_format_name_is_refused() -> None:
    """dumps and loads name the formats they know."""
    with pytest.raises(PlanValidationError, match="'xml' is not a format"):
        bp.dumps(sample_plan(), "xml")


# -- properties over drawn plans and ledgers ---------------------------------------------


@given(bps.plans(), st.sampled_from(FORMATS))
@settings(max_examples=60)
def test_any_plan_round_trips(plan: bp.Plan, fmt: str) -> None:
    """Every drawn plan survives dumps then loads in every format."""
    assert bp.loads(bp.dumps(plan, fmt), bp.Plan, fmt) == plan


@given(bps.plans_and_ledgers(), st.sampled_from(FORMATS))
@settings(max_examples=60)
def test_any_ledger_round_trips(pair: tuple[bp.Plan, bp.Ledger], fmt: str) -> None:
    """Every drawn ledger survives dumps then loads in every format."""
    _, ledger = pair
    assert bp.loads(bp.dumps(ledger, fmt), bp.Ledger, fmt) == ledger


@given(
    st.one_of(
        bps.texts(),
        bps.quantities(),
        bps.targets(),
        bps.milestones(),
        bps.tasks(),
        bps.measures(),
        bps.policies(),
    ),
    st.sampled_from(FORMATS),
)
def test_any_model_round_trips(obj: object, fmt: str) -> None:
    """Every other model class survives dumps then loads in every format."""
    assert bp.loads(bp.dumps(obj, fmt), type(obj), fmt) == obj


@given(bps.plans_and_ledgers())
@settings(max_examples=30)
def test_saved_files_round_trip(pair: tuple[bp.Plan, bp.Ledger]) -> None:
    """save then load returns equal objects, whatever the suffix."""
    plan, ledger = pair
    with tempfile.TemporaryDirectory() as folder:  # tmp_path does not mix with @given
        for suffix in (".json", ".yaml", ".toml"):
            bp.save(plan, Path(folder) / f"plan{suffix}")
            bp.save(ledger, Path(folder) / f"ledger{suffix}")
            assert bp.load(Path(folder) / f"plan{suffix}") == plan
            assert bp.load(Path(folder) / f"ledger{suffix}", bp.Ledger) == ledger


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("12345678.123456789123", Decimal("12345678.123456789123")),
        ("0.10000000000000000001", Decimal("0.10000000000000000001")),
        ("2.5e9", Decimal("2500000000")),
        ("0.1", Decimal("0.1")),
        ("100000000000000000000001", Decimal("100000000000000000000001")),
    ],
)
def test_plain_numbers_are_read_exactly(fmt: str, written: str, value: Decimal) -> None:
    """A number with more digits than a double holds keeps every digit, in each format."""
    text = {
        "json": f'{{"schema": "beijing-plan/1", "value": {written}, "unit": "count"}}',
        "yaml": f"schema: beijing-plan/1\nvalue: {written}\nunit: count\n",
        "toml": f'schema = "beijing-plan/1"\nvalue = {written}\nunit = "count"\n',
    }[fmt]
    assert bp.loads(text, bp.Quantity, fmt).value == value


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        (
            '{"schema": "beijing-plan/1", "id": "p", "title": "P", "title": "Q"}',
            "json",
            "the key 'title' is written twice in one object (in the object with id 'p')",
        ),
        (
            "schema: beijing-plan/1\nid: p\nend: 2025-12-31\nend: 2026-12-31\n",
            "yaml",
            "the key 'end' is written twice in one mapping (line 4, column 1)",
        ),
        (
            'schema = "beijing-plan/1"\nid = "p"\nid = "q"\n',
            "toml",
            "not valid TOML: Cannot overwrite a value",
        ),
    ],
)
def test_a_key_written_twice_is_refused(text: str, fmt: str, message: str) -> None:
    """No format keeps the last of two equal keys without a word."""
    with pytest.raises(PlanValidationError) as caught:
        bp.loads(text, bp.Plan, fmt)
    assert caught.value.problems[0][1].startswith(message)


def test_yaml_merge_keys_are_not_repeated_keys() -> None:
    """A YAML merge key (<<) may sit beside the keys it merges, and twice in a file."""
    text = "a: &b {unit: count}\nq:\n  <<: *b\n  value: 5\nr:\n  <<: *b\n  value: 6\n"
    assert parse(text, "yaml") == {
        "a": {"unit": "count"},
        "q": {"unit": "count", "value": 5},
        "r": {"unit": "count", "value": 6},
    }
