"""Tests of the JSON Schema of the file format."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

import beijing_plan as bp
from beijing_plan import datasets
from beijing_plan.schema import json_schema


def validator(cls: type) -> jsonschema.Draft202012Validator:
    """A validator for documents of ``cls`` that also checks formats."""
    schema = json_schema(cls)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize(
    ("cls", "load"),
    [
        (bp.Plan, datasets.action_plan_2025),
        (bp.Ledger, datasets.action_plan_2025_ledger),
        (bp.Plan, datasets.work_report_2025),
        (bp.Ledger, datasets.work_report_2025_ledger),
    ],
)
def test_bundled_documents_validate(cls: type, load: Any) -> None:
    """Every bundled dataset's document is valid under the schema."""
    validator(cls).validate(json.loads(bp.dumps(load())))


def test_schema_requires_the_schema_key_and_known_fields() -> None:
    """The schema key, required fields and no unknown fields are part of the schema."""
    good = json.loads(bp.dumps(datasets.action_plan_2025()))
    check = validator(bp.Plan)
    edits: list[Callable[[dict[str, Any]], object]] = [
        lambda d: d.pop("schema"),
        lambda d: d.update(schema="beijing-plan/2"),
        lambda d: d.pop("start"),
        lambda d: d.update(colour="red"),
        lambda d: d["measures"][0].update(number="one"),
        lambda d: d["measures"][0]["tasks"][0].update(due="30/06/2025"),
        lambda d: d["measures"][0]["tasks"][0].update(id="has space"),
        lambda d: d["measures"][1]["targets"][0].update(comparator="more"),
        lambda d: d["measures"][1]["targets"][0]["value"].update(unit="parsec"),
    ]
    for edit in edits:
        bad = copy.deepcopy(good)
        edit(bad)
        assert not check.is_valid(bad), edit


def test_ledger_records_are_told_apart_by_kind() -> None:
    """A record validates as exactly one kind, chosen by its kind field."""
    check = validator(bp.Ledger)
    record = {"kind": "status", "item": "t1", "on": "2025-01-01", "status": "done"}
    assert check.is_valid({"schema": "beijing-plan/1", "records": [record]})
    assert not check.is_valid({"schema": "beijing-plan/1", "records": [{**record, "kind": "x"}]})


def test_schema_is_plain_json() -> None:
    """The schema serialises to JSON and names the draft it follows."""
    schema = json_schema()
    assert json.loads(json.dumps(schema)) == schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["$defs"]) >= {"Measure", "Task", "Target", "Quantity", "Text", "Policy"}
