"""Tests of hostile documents: each is refused quickly, with its path, by our error only.

Deep and cyclic theme chains, integers beyond what every format holds, YAML
explicit tags, ids that look alike, dates outside the plan and ledgers with
problems of several kinds.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

import beijing_plan as bp
from beijing_plan import PlanValidationError
from beijing_plan._integrity import MAX_THEME_DEPTH

START = {"schema": "beijing-plan/1"}


def plan_document(**fields: Any) -> dict[str, Any]:
    """A valid plan document over 2025, with ``fields`` added or replaced."""
    return {
        **START,
        "id": "p",
        "title": "P",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "measures": [
            {"id": "m1", "number": 1, "title": "M", "tasks": [{"id": "t1", "title": "T"}]}
        ],
        **fields,
    }


def problems_of_text(
    text: str, fmt: str = "json", cls: type[Any] = bp.Plan
) -> list[tuple[str, str]]:
    """The problems of loading ``text`` as ``cls``."""
    with pytest.raises(PlanValidationError) as caught:
        bp.loads(text, cls, fmt)
    return caught.value.problems


def problems_of(document: dict[str, Any], cls: type[Any] = bp.Plan) -> list[tuple[str, str]]:
    """The problems of loading ``document`` (as JSON) as ``cls``."""
    return problems_of_text(json.dumps(document, ensure_ascii=False), "json", cls)


# -- theme chains -------------------------------------------------------------------------


def chained_themes(count: int) -> list[dict[str, str]]:
    """Themes ``th0`` to ``th{count-1}``, each the parent of the next."""
    themes = [{"id": f"th{i}", "title": f"Theme {i}", "parent": f"th{i - 1}"} for i in range(count)]
    del themes[0]["parent"]
    return themes


def cycle_of_themes(count: int) -> list[dict[str, str]]:
    """Themes ``th0`` to ``th{count-1}`` in a cycle: each is the child of the next."""
    return [
        {"id": f"th{i}", "title": f"Theme {i}", "parent": f"th{(i + 1) % count}"}
        for i in range(count)
    ]


def test_long_theme_chain_is_refused_quickly_at_the_first_theme_too_deep() -> None:
    """4,000 chained themes are checked in well under two seconds; the 65th level is refused."""
    text = json.dumps(plan_document(themes=chained_themes(4000)))
    began = time.perf_counter()
    problems = problems_of_text(text)
    elapsed = time.perf_counter() - began
    assert elapsed < 2.0
    assert problems == [
        (
            f"themes[{MAX_THEME_DEPTH}].parent",
            f"theme 'th{MAX_THEME_DEPTH}' would be {MAX_THEME_DEPTH + 1} levels deep; "
            f"themes nest at most {MAX_THEME_DEPTH} levels",
        )
    ]


def test_theme_chain_at_the_limit_is_accepted_and_reported() -> None:
    """64 chained themes load, roll up and display, each level under its parent."""
    document = plan_document(themes=chained_themes(MAX_THEME_DEPTH))
    document["measures"][0]["tasks"][0]["themes"] = [f"th{MAX_THEME_DEPTH - 1}"]
    plan = bp.loads(json.dumps(document))
    assert plan.theme_ancestors("th63") == tuple(f"th{i}" for i in range(62, -1, -1))
    ledger = bp.Ledger([bp.StatusChange("t1", "2025-03-01", "done")])
    by_theme = bp.assess(plan, ledger, as_of="2025-06-30").by_theme()
    assert [by_theme[f"th{i}"].completion for i in range(MAX_THEME_DEPTH)] == [1.0] * 64
    assert "th63" in str(plan) + plan._repr_html_()


def test_long_theme_cycle_is_named_once_in_a_short_message() -> None:
    """A 1,500-theme cycle gives one problem of a few hundred bytes, at its first theme."""
    problems = problems_of(plan_document(themes=cycle_of_themes(1500)))
    assert problems == [
        (
            "themes[0].parent",
            "theme 'th0' is its own ancestor "
            "(th0 -> th1 -> th2 -> th3 -> th4 -> ... 1495 more -> th0)",
        )
    ]


def test_short_theme_cycle_is_written_out_once() -> None:
    """A cycle of three themes is shown whole, at the theme that comes first in the plan."""
    themes = [
        {"id": "root", "title": "R"},
        {"id": "b", "title": "B", "parent": "c"},
        {"id": "a", "title": "A", "parent": "b"},
        {"id": "c", "title": "C", "parent": "a"},
        {"id": "d", "title": "D", "parent": "a"},
    ]
    assert problems_of(plan_document(themes=themes)) == [
        ("themes[1].parent", "theme 'b' is its own ancestor (b -> c -> a -> b)")
    ]


def test_drawn_themes_keep_within_the_depth_limit() -> None:
    """Drawn themes each under the one before start a new tree at the 65th level."""
    from beijing_plan._factories import _themes  # noqa: PLC0415 (what the strategies build with)

    plan = bp.Plan(
        "p",
        "P",
        start="2025-01-01",
        end="2025-12-31",
        themes=_themes("", [(0, bp.Text(en="T"))] * 100),
    )
    assert [len(plan.theme_ancestors(f"th{i}")) for i in (1, 64, 65, 100)] == [0, 63, 0, 35]


# -- ids that look alike ------------------------------------------------------------------


def test_id_with_a_zero_width_space_is_refused_beside_its_twin() -> None:
    """``task-1`` and ``task-1`` + U+200B cannot sit side by side: the second is refused."""
    document = plan_document()
    tasks = [{"id": "task-1", "title": "T"}, {"id": "task-1\u200b", "title": "T"}]
    document["measures"][0]["tasks"] = tasks
    assert problems_of(document) == [
        (
            "measures[0].tasks[1].id",
            "'task-1\\u200b' holds the format character U+200B ZERO WIDTH SPACE (at index 6), "
            "which is invisible or reorders text",
        )
    ]


def test_id_with_a_direction_override_is_refused() -> None:
    """An id holding U+202E RIGHT-TO-LEFT OVERRIDE is refused when built, with its field."""
    with pytest.raises(PlanValidationError) as caught:
        bp.Task("abc\u202edef", "T")
    assert caught.value.problems == [
        (
            "id",
            "'abc\\u202edef' holds the format character U+202E RIGHT-TO-LEFT OVERRIDE "
            "(at index 3), which is invisible or reorders text",
        )
    ]


def test_id_not_in_nfc_is_refused_and_counted_as_a_duplicate() -> None:
    """The NFD form of an id is refused with its NFC form, and as a repeat of that id."""
    nfc, nfd = "caf\u00e9", "cafe\u0301"
    document = plan_document()
    document["measures"][0]["tasks"] = [{"id": nfc, "title": "T"}, {"id": nfd, "title": "T"}]
    assert problems_of(document) == [
        (
            "measures[0].tasks[1].id",
            f"{nfd!r} is not in Unicode normal form NFC; write it as {nfc!r} "
            "(4 characters, not 5): ids are compared exactly, so they are refused, not changed",
        ),
        ("measures[0].tasks[1].id", f"{nfd!r} is used again (first at measures[0].tasks[0].id)"),
    ]


def test_references_follow_the_same_rule_as_ids() -> None:
    """Theme parents, themes, a policy's measures and ledger items refuse format characters."""
    document = plan_document(
        themes=[{"id": "a", "title": "A"}, {"id": "b", "title": "B", "parent": "a\u200b"}],
        policies=[{"id": "po", "title": "P", "measures": ["m1\u2066"]}],
    )
    document["measures"][0]["tasks"][0]["themes"] = ["a\ufeff"]
    paths = [path for path, message in problems_of(document) if "format character" in message]
    assert paths == ["themes[1].parent", "measures[0].tasks[0].themes", "policies[0].measures[0]"]
    with pytest.raises(PlanValidationError) as caught:
        bp.StatusChange("t1\u200e", "2025-01-01", "done")
    assert [path for path, _ in caught.value.problems] == ["item"]
