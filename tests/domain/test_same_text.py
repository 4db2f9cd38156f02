"""One codec: the same text means the same thing in the CLI, the web and API, the advisor and
the import files and forms (issue 13: "test it across all four")."""

from __future__ import annotations

import csv
import json

from fastapi.testclient import TestClient

from migmap.advice.question import Question
from migmap.config import Settings
from migmap.domain.filters import Filters
from migmap.web import create_app
from migmap.web.editing import parse_countries
from tests.cli.test_cli import run
from tests.conftest import DATA

STAGES = "arrival, transit"  # what a person types: a comma (the export writes a semicolon)
REGION = "West Africa"
COUNTRY = "Germany"


def test_library_reads_the_text():
    f = Filters.from_pairs([("stage", STAGES), ("region", REGION), ("country", COUNTRY)])
    assert f.stages == ["arrival", "transit"] and f.regions == ["western_africa"] and f.countries == ["DEU"]
    assert Filters.from_pairs([("stages", "arrival;transit")]).stages == f.stages


def test_command_line_reads_the_same(tmp_path):
    url = f"sqlite:///{tmp_path / 'same.db'}"
    run("init", "--empty", db=url, check=0)
    run("import", str(DATA / "sample.yaml"), db=url, check=0)
    by_cli = json.loads(run("list", "--stage", STAGES, "--format", "json", db=url, check=0).stdout)
    by_lib = json.loads(run("list", "--stage", "arrival", "--stage", "transit", "--format", "json", db=url, check=0).stdout)
    assert by_cli["initiatives"] and [i["id"] for i in by_cli["initiatives"]] == [i["id"] for i in by_lib["initiatives"]]
    for name in ("--country", "--region"):
        assert run("list", name, COUNTRY if name == "--country" else REGION, "--format", "json", db=url).returncode == 0


def test_web_and_api_read_the_same(sample_db):
    app = create_app(Settings(database_url=sample_db.url, secret_key="s"), database=sample_db)
    with TestClient(app) as c:
        r = c.get("/api/initiatives", params={"stage": STAGES, "region": REGION, "country": COUNTRY})
        assert r.status_code == 200, r.text
        assert r.json()["filters"]["stages"] == ["arrival", "transit"]
        assert r.json()["filters"]["regions"] == ["western_africa"] and r.json()["filters"]["countries"] == ["DEU"]
        wanted = {i.id for i in sample_db.list(Filters(stages=["arrival", "transit"]))}
        got = {i["id"] for i in c.get("/api/initiatives", params={"stages": STAGES}).json()["initiatives"]}
        assert got == wanted and got


def test_advisor_reads_the_same():
    q = Question.build("donor_agency", STAGES, "safer_migration", countries=COUNTRY, regions=REGION)
    assert q.stages == ("arrival", "transit") and q.regions == ("western_africa",) and q.countries == ("DEU",)
    assert list(q.stages) == Filters.from_pairs([("stage", STAGES)]).stages
    assert q.filters().regions == ["western_africa"] and q.filters().countries == ["DEU"]


def test_import_cells_and_forms_read_the_same(tmp_path, db):
    rows = list(csv.DictReader((DATA / "valid.csv").open(encoding="utf-8")))
    rows[0]["stages"] = STAGES
    rows[0]["themes"] = "skills_training, education"
    path = tmp_path / "commas.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    report = db.import_files([path])
    assert report.ok, [str(p) for p in report.problems]
    item = next(i for i in db.list(Filters()) if i.name == rows[0]["name"])
    assert item.stages == ["arrival", "transit"] and item.themes == ["skills_training", "education"]
    assert parse_countries("NPL:origin; QAT\nDEU:transit") == [
        {"code": "NPL", "role": "origin"},
        {"code": "QAT", "role": "destination"},
        {"code": "DEU", "role": "transit"},
    ]
