"""The view for other tools holds every initiative with its tags, countries and actors as JSON arrays."""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy import text

from migmap.framework import load_framework
from migmap.store.views import VIEW


def _rows(db) -> dict[str, dict]:
    with db.engine.connect() as conn:
        result = conn.execute(text(f"SELECT * FROM {VIEW}"))
        return {r["id"]: dict(r) for r in result.mappings()}


def _list(value) -> list:
    return json.loads(value) if isinstance(value, str) else list(value)


def test_the_view_matches_every_record(sample_db):
    rows = _rows(sample_db)
    items = sample_db.list(curation_state=["published", "proposed", "rejected"])
    assert set(rows) == {i.id for i in items} and items
    multi = [d.code for d in load_framework().dimensions if d.multi]
    for item in items:
        row = rows[item.id]
        assert row["name"] == item.name and row["actor_type"] == item.actor_type and row["sector"] == item.sector
        for dim in multi:
            assert _list(row[dim]) == list(item.tags(dim)), (item.id, dim)
        assert _list(row["countries"]) == [c.code for c in item.countries]
        assert _list(row["actors"]) == [a.name for a in item.actors]


def test_the_view_follows_writes(db):
    from tests.conftest import record

    item = db.add(record(name="Seen in the view", stages=["arrival", "transit"]))
    assert _list(_rows(db)[item.id]["stages"]) == ["arrival", "transit"]
    db.update(item.id, {"version": item.version, "stages": ["long_term"]})
    assert _list(_rows(db)[item.id]["stages"]) == ["long_term"]


def test_plain_sqlite_reads_the_view_without_migmap(sqlite_url):
    from migmap import Database
    from tests.conftest import DATA

    sample_db = Database(sqlite_url)
    sample_db.init(bundled=False)
    assert sample_db.import_files([DATA / "sample.yaml"]).ok
    con = sqlite3.connect(sqlite_url.split("///", 1)[1])
    stages = [json.loads(s) for (s,) in con.execute(f"SELECT stages FROM {VIEW}")]
    assert stages and all(isinstance(s, list) and s for s in stages)
    # faceting by hand, as Datasette's _facet_array does: initiatives per stage
    counts = dict(con.execute(f"SELECT j.value, COUNT(*) FROM {VIEW}, json_each({VIEW}.stages) j GROUP BY j.value"))
    assert counts == sample_db.tag_counts("stages", curation_state=["published", "proposed", "rejected"])
