"""Tests of input at the edges: each is refused with its path and value, never a traceback.

Unit definitions, weights and numbers beyond the float range, swapped arguments,
saving where no folder is, a ``--plan`` that does not load, and strings that no
file can hold.
"""

from __future__ import annotations

import importlib
import json
import math
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import beijing_plan as bp
from beijing_plan import (
    Ledger,
    Measure,
    Milestone,
    Observation,
    Plan,
    PlanValidationError,
    Policy,
    Quantity,
    Source,
    StatusChange,
    Task,
    Text,
    TrajectoryPoint,
    UnitError,
    assess,
    get_unit,
    register_unit,
    units,
)
from beijing_plan.cli import main

units_module = importlib.import_module("beijing_plan.units")
LARGEST = sys.float_info.max
BEYOND = f"beyond the largest float ({LARGEST!r})"


def problems_of(build: Callable[[], object]) -> list[tuple[str, str]]:
    """The problems of the PlanValidationError that ``build`` raises."""
    with pytest.raises(PlanValidationError) as caught:
        build()
    return caught.value.problems


def two_task_plan(*weights: Any, **task: Any) -> Plan:
    """A plan of one measure whose tasks ``a``, ``b``, ... have ``weights``."""
    tasks = [Task(chr(ord("a") + i), f"Task {i}", weight=w, **task) for i, w in enumerate(weights)]
    return Plan(
        "p", "P", start="2025-01-01", end="2025-12-31", measures=[Measure("m", 1, "M", tasks=tasks)]
    )


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the unit registry for the test, so that what it registers is forgotten."""
    monkeypatch.setattr(units_module, "_REGISTRY", dict(units_module._REGISTRY))
    monkeypatch.setattr(units_module, "_LOOKUP", dict(units_module._LOOKUP))


# -- register_unit ------------------------------------------------------------------------------


@pytest.mark.usefixtures("registry")
def test_a_float_factor_is_read_through_its_repr() -> None:
    """A float factor becomes the decimal its repr writes, as a quantity's value does."""
    assert register_unit("dm", "length-test", 0.1).factor == Decimal("0.1")
    assert Quantity(3, "dm").value == Decimal(3)


@pytest.mark.usefixtures("registry")
def test_int_decimal_and_str_factors_are_exact() -> None:
    """Int, Decimal and numeric string factors are kept exactly."""
    assert register_unit("u_int", "test-dim", 7).factor == Decimal(7)
    assert register_unit("u_dec", "test-dim", Decimal("0.125")).factor == Decimal("0.125")
    assert register_unit("u_str", "test-dim", "1e-3").factor == Decimal("0.001")


@pytest.mark.parametrize(
    ("factor", "message"),
    [
        (0, "0 is not above 0"),
        (-1, "-1 is not above 0"),
        (Decimal("-0.5"), "Decimal('-0.5') is not above 0"),
        (math.nan, "nan is not a finite number"),
        (math.inf, "inf is not a finite number"),
        (Decimal("NaN"), "Decimal('NaN') is not a finite number"),
        (Decimal("sNaN"), "Decimal('sNaN') is not a finite number"),
        ("Infinity", "'Infinity' is not a finite number"),
        ("ten", "'ten' is not a number"),
        (True, "True is not a number"),
    ],
)
def test_a_factor_must_be_a_finite_number_above_zero(factor: Any, message: str) -> None:
    """Zero, negative, NaN, infinite and non-numeric factors are refused under ``factor``."""
    assert problems_of(lambda: register_unit("u_bad", "test-dim", factor)) == [("factor", message)]
    assert "u_bad" not in units()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (5, "5 is not a non-blank string"),
        ("", "'' is not a non-blank string"),
        ("  ", "'  ' is not a non-blank string"),
        (None, "None is not a non-blank string"),
    ],
)
def test_a_name_must_be_a_non_blank_string(name: Any, message: str) -> None:
    """A name that is not a string, or is empty, is refused under ``name``."""
    assert problems_of(lambda: register_unit(name, "test-dim", 1)) == [("name", message)]


def test_dimension_and_symbol_must_be_strings() -> None:
    """The dimension must be a non-blank string and the symbol a string."""
    assert problems_of(lambda: register_unit("u_x", "", 1, symbol=3)) == [  # type: ignore[arg-type]
        ("dimension", "'' is not a non-blank string"),
        ("symbol", "3 is not a string"),
    ]


def test_aliases_as_one_string_are_refused() -> None:
    """A bare string of aliases is refused rather than split into characters."""
    problems = problems_of(lambda: register_unit("u_li", "test-dim", 500, aliases="公里"))
    assert problems == [("aliases", "'公里' is not a list of names")]
    assert "u_li" not in units()
    assert "公" not in {alias for unit in units().values() for alias in unit.aliases}


def test_each_alias_must_be_a_non_blank_string() -> None:
    """A bad alias is named by its index."""
    aliases: Any = ("ok", 5, "")
    assert problems_of(lambda: register_unit("u_al", "test-dim", 1, aliases=aliases)) == [
        ("aliases[1]", "5 is not a non-blank string"),
        ("aliases[2]", "'' is not a non-blank string"),
    ]


def test_every_problem_of_a_definition_is_listed() -> None:
    """Name, aliases and factor problems come together, in the order of the arguments."""
    assert problems_of(lambda: register_unit("", "test-dim", -2, aliases="x")) == [
        ("name", "'' is not a non-blank string"),
        ("aliases", "'x' is not a list of names"),
        ("factor", "-2 is not above 0"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("yuan", "usd", 1),
            "'yuan' is already a unit of cny with factor 1; "
            "it cannot become a unit of usd with factor 1",
        ),
        (
            ("wan_yuan", "cny", 1000),
            "'wan_yuan' is already a unit of cny with factor 10000; "
            "it cannot become a unit of cny with factor 1000",
        ),
    ],
)
def test_a_built_in_unit_cannot_be_redefined(args: tuple[str, str, int], message: str) -> None:
    """Another dimension or factor for a registered name is refused; the unit is unchanged."""
    before = get_unit(args[0])
    with pytest.raises(UnitError) as caught:
        register_unit(*args)
    assert caught.value.problems == [("name", message)]
    assert get_unit(args[0]) == before
    assert Quantity(1, "万元").to("yuan").value == Decimal(10_000)


@pytest.mark.usefixtures("registry")
def test_the_same_definition_may_be_registered_again() -> None:
    """Registering a unit again with its dimension and factor (written alike) is allowed."""
    unit = register_unit("yuan", "cny", "1.0", symbol="元", aliases=("元", "CNY", "RMB", "人民币"))
    assert (unit.dimension, unit.factor) == ("cny", Decimal(1))
    assert get_unit("人民币").name == "yuan"


@pytest.mark.usefixtures("registry")
def test_registering_again_adds_aliases() -> None:
    """New aliases of a unit registered again join the old ones, which keep naming it."""
    unit = register_unit("yuan", "cny", 1, symbol="元", aliases=["元整"])
    assert unit.aliases == ("元", "CNY", "RMB", "人民币", "元整")
    assert get_unit("元整") == get_unit("RMB") == unit


def test_an_alias_of_another_unit_is_named_by_its_index() -> None:
    """An alias already taken by another unit is refused under its index."""
    with pytest.raises(UnitError) as caught:
        register_unit("u_taken", "test-dim", 1, aliases=("x-free", "元"))
    assert caught.value.problems == [("aliases[1]", "'元' already names the unit 'yuan'")]
    assert "u_taken" not in units()


# -- weights and numbers beyond the float range -------------------------------------------------


def test_leaf_weights_whose_sum_overflows_are_refused() -> None:
    """Two tasks of weight 1e308 are refused at the weight that takes the sum past the float max."""
    assert problems_of(lambda: two_task_plan(1e308, 1e308)) == [
        (
            "measures[0].tasks[1].weight",
            f"1e+308 takes the total weight of the plan's leaves {BEYOND}",
        )
    ]


def test_policies_and_measure_targets_count_in_the_plan_total() -> None:
    """Policies and measures' own targets are leaves, so their weights add up too."""
    target = bp.Target("g", "G", "at_least", Quantity(1, "count"), weight=LARGEST)
    measure = Measure("m", 1, "M", targets=[target])
    policy = Policy("q", "Q", weight=LARGEST)
    with pytest.raises(PlanValidationError) as caught:
        Plan("p", "P", start="2025-01-01", end="2025-12-31", measures=[measure], policies=[policy])
    assert caught.value.problems == [
        ("policies[0].weight", f"{LARGEST!r} takes the total weight of the plan's leaves {BEYOND}")
    ]


def test_a_tasks_parts_whose_weights_overflow_are_refused() -> None:
    """A task's targets and milestones are averaged by weight, so their sum must be finite too."""
    milestones = [Milestone("x", "X", weight=1e308), Milestone("y", "Y", weight=1e308)]
    assert problems_of(lambda: two_task_plan(1.0, milestones=milestones)) == [
        (
            "measures[0].tasks[0].milestones[1].weight",
            f"1e+308 takes the total weight of the task's targets and milestones {BEYOND}",
        )
    ]


def test_weights_up_to_the_float_max_give_exact_completions() -> None:
    """Huge weights whose sum is a float roll up as small ones do, explained and reported."""
    ledger = Ledger([StatusChange("a", "2025-03-01", "done")])
    for weights, completion in (
        ((LARGEST / 2, LARGEST / 2), 0.5),
        ((LARGEST, 1.0), 1.0),
        ((3e307, 1e307), 0.75),
        ((3.0, 1.0), 0.75),
    ):
        assessment = assess(two_task_plan(*weights), ledger, as_of="2025-06-01")
        overall = assessment.overall
        assert overall.completion == completion
        assert overall.coverage == completion
        assert math.isfinite(overall.weight)
        assert "Completion" in overall.explain()
    half = assess(two_task_plan(LARGEST / 2, LARGEST / 2), ledger, as_of="2025-06-01").overall
    assert [c.share for c in half.contributions] == [0.5, 0.5]
    assert half.weight == LARGEST


def test_the_parts_of_a_task_may_weigh_up_to_the_float_max() -> None:
    """Rule 3 averages milestones of weight max/2 exactly."""
    milestones = [Milestone("x", "X", weight=LARGEST / 2), Milestone("y", "Y", weight=LARGEST / 2)]
    plan = two_task_plan(1.0, milestones=milestones)
    ledger = Ledger(
        [StatusChange("x", "2025-03-01", "done"), StatusChange("y", "2025-03-01", "in_progress")]
    )
    assert assess(plan, ledger, as_of="2025-06-01")["a"].completion == 0.5


def test_report_on_a_plan_file_with_overflowing_weights_names_the_weight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command says which weight overflows and exits 1, without a traceback."""
    path = tmp_path / "plan.json"
    document = json.loads(bp.dumps(two_task_plan(1.0, 1.0)))
    for task in document["measures"][0]["tasks"]:
        task["weight"] = 1e308
    path.write_text(json.dumps(document), encoding="utf-8")
    code = main(["report", "--plan", str(path), "--as-of", "2025-06-01"])
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err == (
        f"beijing-plan: error: {path} is not a valid plan (1 problem)\n"
        f"  measures[0].tasks[1].weight: 1e+308 takes the total weight of the plan's leaves "
        f"{BEYOND}\n"
    )


def test_report_of_huge_weights_whose_sum_is_a_float_is_valid_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plan of weights max/2 reports 50% in JSON."""
    plan_path, ledger_path = tmp_path / "plan.json", tmp_path / "ledger.json"
    bp.save(two_task_plan(LARGEST / 2, LARGEST / 2), plan_path)
    bp.save(Ledger([StatusChange("a", "2025-03-01", "done")]), ledger_path)
    argv = ["report", "--plan", str(plan_path), "--ledger", str(ledger_path)]
    code = main([*argv, "--as-of", "2025-06-01", "--format", "json"])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    total = json.loads(captured.out)["total"]
    assert (total["completion"], total["weight"]) == (0.5, LARGEST)


@pytest.mark.parametrize(
    ("build", "problems"),
    [
        (lambda: Task("t", "T", weight=10**400), [("weight", f"1.000e+400 is {BEYOND}")]),
        (
            lambda: Task("t", "T", weight=Decimal("1e400")),
            [("weight", f"Decimal('1E+400') is {BEYOND}")],
        ),
        (lambda: Milestone("x", "X", weight=-(10**309)), [("weight", f"-1.000e+309 is {BEYOND}")]),
        (
            lambda: Task("t", "T", weight=Decimal("sNaN")),
            [("weight", "Decimal('sNaN') is not a number")],
        ),
        (lambda: Task("t", "T", weight=Decimal("NaN")), [("weight", "nan is not a finite number")]),
        (
            lambda: StatusChange("t", "2025-01-01", "in_progress", percent=Decimal("sNaN")),
            [("percent", "Decimal('sNaN') is not a number")],
        ),
        (
            lambda: StatusChange("t", "2025-01-01", "in_progress", percent=10**400),
            [("percent", f"1.000e+400 is {BEYOND}")],
        ),
        (
            lambda: TrajectoryPoint("2025-01-01", Decimal("sNaN")),
            [("fraction", "Decimal('sNaN') is not a number")],
        ),
        (lambda: Quantity(10**5000, "count"), [("value", "1.000e+5000 has more than 60 digits")]),
        (lambda: Quantity(-(10**61), "count"), [("value", "-1.000e+61 has more than 60 digits")]),
        (
            lambda: Quantity(10**400_000, "count"),
            [("value", "an integer of 1328772 bits has more than 60 digits")],
        ),
    ],
)
def test_numbers_beyond_the_float_range_are_named(
    build: Callable[[], object], problems: list[tuple[str, str]]
) -> None:
    """Integers and decimals too large for a float, and signalling NaNs, are refused by path."""
    assert problems_of(build) == problems


def test_documents_with_numbers_beyond_the_float_range_are_refused() -> None:
    """A weight or percent too large for a float in a document is a problem with its path."""
    document = json.loads(bp.dumps(two_task_plan(1.0)))
    document["measures"][0]["tasks"][0]["weight"] = 10**400
    with pytest.raises(PlanValidationError) as caught:
        bp.loads(json.dumps(document))
    assert caught.value.problems == [("measures[0].tasks[0].weight", f"1.000e+400 is {BEYOND}")]
    record = {
        "kind": "status",
        "item": "a",
        "on": "2025-01-01",
        "status": "done",
        "percent": 10**400,
    }
    text = json.dumps({"schema": "beijing-plan/1", "records": [record]})
    with pytest.raises(PlanValidationError) as caught:
        bp.loads(text, Ledger)
    assert caught.value.problems == [("records[0].percent", f"1.000e+400 is {BEYOND}")]


# -- assess with its arguments swapped ----------------------------------------------------------


def test_assess_with_plan_and_ledger_swapped_is_misuse() -> None:
    """assess(ledger, plan) raises TypeError saying the plan comes first."""
    plan = two_task_plan(1.0)
    ledger = Ledger([StatusChange("a", "2025-03-01", "done")])
    with pytest.raises(TypeError) as caught:
        assess(ledger, plan)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "ledger must be a Ledger or a list of records, not Plan "
        "(the plan comes first: assess(plan, ledger))"
    )


@pytest.mark.parametrize(
    ("ledger", "kind"), [(5, "int"), ("records", "str"), ({"records": []}, "dict")]
)
def test_assess_with_a_ledger_that_is_not_records_is_misuse(ledger: Any, kind: str) -> None:
    """A ledger argument that is no ledger nor records raises TypeError naming its type."""
    with pytest.raises(TypeError) as caught:
        assess(two_task_plan(1.0), ledger)
    assert str(caught.value) == f"ledger must be a Ledger or a list of records, not {kind}"


def test_assess_of_something_not_a_plan_is_misuse() -> None:
    """assess("x") raises TypeError naming the plan argument and its type."""
    with pytest.raises(TypeError) as caught:
        assess("x", Ledger())  # type: ignore[arg-type]
    assert str(caught.value) == "plan must be a Plan, not str"
    with pytest.raises(TypeError) as caught:
        assess(Ledger(), Ledger())  # type: ignore[arg-type]
    assert str(caught.value) == "plan must be a Plan, not Ledger"


def test_assess_with_rules_not_rules_is_misuse() -> None:
    """Rules given as a string raise TypeError naming the rules argument."""
    with pytest.raises(TypeError) as caught:
        assess(two_task_plan(1.0), rules="x")  # type: ignore[arg-type]
    assert str(caught.value) == "rules must be a Rules, not str"


def test_a_ledger_of_something_not_iterable_is_misuse() -> None:
    """Ledger(5), Ledger(plan) and Ledger("x") raise TypeError naming ``records`` and the type."""
    with pytest.raises(TypeError, match=r"^records must be an iterable of records, not int$"):
        Ledger(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^records must be an iterable of records, not Plan$"):
        Ledger(two_task_plan(1.0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^records must be an iterable of records, not str$"):
        Ledger("records")  # type: ignore[arg-type]


# -- saving where there is no folder ------------------------------------------------------------


def test_save_into_a_missing_folder_names_the_path_given(tmp_path: Path) -> None:
    """FileNotFoundError names the file asked for, not the temporary file; nothing is made."""
    path = tmp_path / "no-such-folder" / "plan.json"
    with pytest.raises(FileNotFoundError) as caught:
        bp.save(two_task_plan(1.0), path)
    assert caught.value.filename == str(path)
    assert str(caught.value) == f"[Errno 2] No such file or directory: {str(path)!r}"
    assert list(tmp_path.iterdir()) == []


def test_save_over_a_folder_names_the_path_given(tmp_path: Path) -> None:
    """Saving to a path that is a folder names that path and leaves no temporary file."""
    path = tmp_path / "plan.json"
    path.mkdir()
    with pytest.raises(IsADirectoryError) as caught:
        bp.save(two_task_plan(1.0), str(path))
    assert caught.value.filename == str(path)
    assert caught.value.filename2 is None
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]
    assert list(path.iterdir()) == []


# -- validate --plan with a plan that does not load ---------------------------------------------


def test_validate_with_a_missing_plan_does_not_call_ledgers_ok(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The missing plan is named, each ledger says it was not checked, and the exit is 1."""
    ledger, missing = tmp_path / "ledger.json", tmp_path / "missing.json"
    bp.save(Ledger([StatusChange("a", "2025-03-01", "done")]), ledger)
    code = main(["validate", str(ledger), "--plan", str(missing)])
    captured = capsys.readouterr()
    assert (code, captured.err) == (1, "")
    assert captured.out.splitlines() == [
        f"{missing}: cannot read: No such file or directory",
        f"{ledger}: not checked against {missing} (the plan did not load)",
    ]


def test_validate_with_a_ledger_as_plan_does_not_call_other_ledgers_ok(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A --plan that holds a ledger leaves the other ledgers unchecked, and says so."""
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    bp.save(Ledger([StatusChange("a", "2025-03-01", "done")]), first)
    bp.save(Ledger(), second)
    code = main(["validate", str(second), "--plan", str(first)])
    assert code == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{first}: holds a ledger, not a plan",
        f"{second}: not checked against {first} (the plan did not load)",
    ]


# -- strings no file can hold -------------------------------------------------------------------


def surrogate(value: str, index: int) -> str:
    """The problem of a string holding ``'\\ud800'`` at ``index``."""
    return f"{value!r} holds the surrogate '\\ud800' (at index {index}), which UTF-8 cannot encode"


@pytest.mark.parametrize(
    ("build", "problems"),
    [
        (lambda: Text(en="a\ud800"), [("en", surrogate("a\ud800", 1))]),
        (lambda: Task("t", "Title\ud800"), [("title.en", surrogate("Title\ud800", 5))]),
        (lambda: Task("t", Text(zh="标题\ud800")), [("zh", surrogate("标题\ud800", 2))]),
        (lambda: Task("t\ud800", "T"), [("id", surrogate("t\ud800", 1))]),
        (lambda: Task("t", "T", lead=["ok", "\ud800"]), [("lead[1]", surrogate("\ud800", 0))]),
        (lambda: Task("t", "T", themes={"x\ud800"}), [("themes", surrogate("x\ud800", 1))]),
        (lambda: Policy("q", "Q", issuer="\ud800x"), [("issuer", surrogate("\ud800x", 0))]),
        (lambda: Source("\ud800"), [("title", surrogate("\ud800", 0))]),
        (
            lambda: StatusChange("t", "2025-01-01", "done", note="n\ud800"),
            [("note", surrogate("n\ud800", 1))],
        ),
        (
            lambda: Observation("g", "2025-01-01", Quantity(1, "count"), note="\ud800"),
            [("note", surrogate("\ud800", 0))],
        ),
        (
            lambda: StatusChange("t\ud800", "2025-01-01", "done"),
            [("item", surrogate("t\ud800", 1))],
        ),
        (
            lambda: StatusChange("t", "2025-01-01", "done", note="x" * 100 + "\ud800"),
            [
                (
                    "note",
                    f"{'x' * 40!r}... holds the surrogate '\\ud800' (at index 100), "
                    "which UTF-8 cannot encode",
                )
            ],
        ),
    ],
)
def test_surrogates_are_refused_where_a_string_is_given(
    build: Callable[[], object], problems: list[tuple[str, str]]
) -> None:
    """A string holding a surrogate is refused at construction, under its field."""
    assert problems_of(build) == problems


def test_a_document_with_an_escaped_surrogate_is_refused() -> None:
    """A JSON ``\\ud800`` escape in a title is a problem with its path, not a failure at save."""
    text = (
        '{"schema": "beijing-plan/1", "id": "p", "title": "P\\ud800",'
        ' "start": "2025-01-01", "end": "2025-12-31"}'
    )
    with pytest.raises(PlanValidationError) as caught:
        bp.loads(text)
    assert caught.value.problems == [("title.en", surrogate("P\ud800", 1))]


def test_characters_beyond_the_basic_plane_are_kept(tmp_path: Path) -> None:
    """Emoji and rare CJK characters are single code points, accepted and saved as they are."""
    plan = Plan(
        "p",
        Text(zh="𠀀计划", en="Plan 🚀"),
        start="2025-01-01",
        end="2025-12-31",
        measures=[Measure("m", 1, "M", tasks=[Task("t", "T", lead=["𠀀办"])])],
    )
    path = tmp_path / "plan.json"
    bp.save(plan, path)
    assert bp.load(path) == plan
