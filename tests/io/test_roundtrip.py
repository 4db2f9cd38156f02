"""Export then import into an empty database gives the same records, for every format."""

from __future__ import annotations

import json

import pytest

from migmap import Database

FORMATS = ["csv", "xlsx", "json", "jsonl", "yaml", "datapackage"]
SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "json": ".json", "jsonl": ".jsonl", "yaml": ".yaml", "datapackage": ""}
VOLATILE = {"version", "created_at", "updated_at", "curation_state"}


def comparable(db):
    return sorted(({k: v for k, v in i.record().items() if k not in VOLATILE} for i in db.list()), key=lambda r: r["id"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(fmt, sample_db, tmp_path):
    target = tmp_path / f"export{SUFFIX[fmt]}"
    n = sample_db.export(target, fmt)
    assert n == 6
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.init(bundled=False)
    report = fresh.import_files([target], fmt=fmt)
    assert report.ok, [str(p) for p in report.problems]
    assert report.imported == 6
    assert comparable(fresh) == comparable(sample_db)


def test_filtered_export(sample_db, tmp_path):
    target = tmp_path / "arrival.json"
    assert sample_db.export(target, stages=["arrival"]) == 2
    data = json.loads(target.read_text())
    assert sorted(r["id"] for r in data) == ["delta-reception-contract", "gamma-foundation-shelter"]


def test_datapackage_is_valid_frictionless(sample_db, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    target = tmp_path / "pkg"
    sample_db.export(target, "datapackage")
    report = frictionless.validate(str(target / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
