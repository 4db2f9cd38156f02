"""Hostile input, property-based: any input gives valid records or located problems, never an exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migmap.io.readers import RawRecord, read_path
from migmap.services.validation import validate_one

from ..conftest import record

FIELDS = list(record().keys()) + ["id", "actors", "end_year", "return_type", "last_verified", "unknown_field"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=12))
def test_any_record_validates_or_gives_located_problems(data):
    rec, problems = validate_one(RawRecord("f.json", 7, data))
    assert (rec is None) == bool(problems)
    for p in problems:
        assert p.file == "f.json" and p.row == 7 and p.message


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FIELDS), json_values)
def test_one_bad_field_in_a_good_record(field, value):
    data = record()
    data[field] = value
    rec, problems = validate_one(RawRecord("f.json", 1, data))
    assert (rec is None) == bool(problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.sampled_from(["csv", "json", "jsonl", "yaml", "xlsx"]))
def test_any_bytes_in_any_format_never_raise(tmp_path, blob, fmt):
    path = tmp_path / f"input.{fmt}"
    path.write_bytes(blob)
    result = read_path(path)
    for raw in result.records:
        validate_one(raw)
    for p in result.problems:
        assert p.file == str(path)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8), max_size=5))
def test_json_lists_of_anything(tmp_path, items):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(items, default=str))
    result = read_path(path)
    assert len(result.records) + len(result.problems) >= len(items) or not items
    for raw in result.records:
        validate_one(raw)
