"""Geography and trends on the sample, against counts read from the YAML."""

from __future__ import annotations

from collections import Counter

from migmap.analysis import geography, trends
from migmap.domain import Filters
from migmap.services.analysis import compute_geography, compute_trends


def test_countries_and_corridors(sample_db, raw):
    geo = compute_geography(sample_db)
    expect = Counter(c["code"] for r in raw for c in {x["code"]: x for x in r["countries"]}.values())
    assert geo.countries == dict(expect)
    assert geo.corridors == {("NPL", "QAT"): 1}
    assert geo.corridor_stages == {("NPL", "QAT", "pre_departure"): 1, ("NPL", "QAT", "long_term"): 1}
    assert geo.country_stages[("SEN", "return_reintegration")] == 1
    assert geo.roles[("SRB", "transit")] == 1
    d = geo.to_dict()
    assert d["corridors"][0] == {"origin": "NPL", "destination": "QAT", "initiatives": 1, "by_stage": {"pre_departure": 1, "long_term": 1}}


def test_trends_sql_equals_pure(sample_db, items, raw):
    t = compute_trends(sample_db)
    assert t.years == list(range(2012, 2022))
    assert t.per_year == {y: sum(1 for r in raw if r["start_year"] == y) for y in t.years}
    assert t.count(2021, "pre_departure") == 1 and t.count(2013, "arrival") == 0
    assert t.to_dict() == trends(items).to_dict()


def test_empty_geography_and_trends(sample_db):
    f = Filters(countries=["FRA"])
    assert compute_geography(sample_db, f).countries == {}
    assert compute_trends(sample_db, filters=f).years == []
    assert "No dated initiatives" in trends([]).message
    assert geography([]).top_countries() == []
