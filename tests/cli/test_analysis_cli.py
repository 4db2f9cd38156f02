"""The analysis commands as a person runs them: real processes on a real SQLite file."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from ..conftest import DATA
from .test_cli import run


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    u = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'a.db'}"
    run("init", "--empty", db=u, check=0)
    run("import", str(DATA / "sample.yaml"), db=u, check=0)
    return u


def test_every_command_has_help_with_example():
    for cmd in ("map", "gaps", "bias", "network", "geo", "trends", "report"):
        out = run(cmd, "--help", check=0).stdout
        assert "Example" in out and "--stage" in out, cmd


def test_map_json_csv_table(url):
    d = json.loads(run("map", "--format", "json", db=url, check=0).stdout)
    assert d["total"] == 6 and d["rows"][0] == "pre_departure"
    cell = next(c for c in d["cells"] if (c["row"], c["col"]) == ("long_term", "investment_fund"))
    assert cell["ids"] == ["epsilon-refugee-fund"] and cell["count"] == 1
    rows = list(csv.DictReader(io.StringIO(run("map", "--rows", "stages", "--cols", "contributions", "--format", "csv", db=url, check=0).stdout)))
    assert len(rows) == 20
    assert next(r for r in rows if r["row"] == "long_term" and r["col"] == "expertise")["count"] == "3"
    table = run("map", "--stage", "arrival", db=url, check=0).stdout
    assert "2 initiatives (stages=arrival)" in table


def test_map_images(url, tmp_path):
    run("map", "--format", "png", "-o", str(tmp_path / "m.png"), db=url, check=0)
    assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"
    svg = run("map", "--format", "svg", db=url, check=0).stdout
    assert svg.startswith("<svg")
    proc = run("map", "--format", "png", db=url, check=2)
    assert "add --output PATH" in proc.stderr


def test_bad_dimension_and_empty_slice(url):
    proc = run("map", "--rows", "stage", db=url, check=2)
    assert "unknown rows dimension 'stage'; choose one of: stages, contributions" in proc.stderr
    out = run("map", "--country", "FRA", "--format", "json", db=url, check=0).stdout
    assert json.loads(out)["message"] == "No initiatives in this slice (countries=FRA): the map is empty."


def test_gaps_bias_geo_trends(url):
    out = run("gaps", db=url, check=0).stdout
    assert "None of the 3 initiatives at the long-term options stage" in out
    assert "5 of 6 records" in out
    d = json.loads(run("gaps", "--format", "json", "--min-expected", "0", db=url, check=0).stdout)
    assert d["gaps"][0]["residual"] == pytest.approx(-1.732, abs=0.001)
    b = json.loads(run("bias", "--format", "json", db=url, check=0).stdout)
    assert b["overall"]["k"] == 1 and b["overall"]["n"] == 6
    assert "17% of 6 initiatives" in run("bias", db=url, check=0).stdout
    g = json.loads(run("geo", "--format", "json", db=url, check=0).stdout)
    assert g["corridors"][0]["origin"] == "NPL"
    t = json.loads(run("trends", "--format", "json", db=url, check=0).stdout)
    assert t["per_year"]["2021"] == 1


def test_network_formats(url, tmp_path):
    run("network", "--format", "graphml", "-o", str(tmp_path / "n.graphml"), db=url, check=0)
    g = nx.read_graphml(tmp_path / "n.graphml")
    assert "actor:zeta chamber of commerce" in g
    out = run("network", db=url, check=0).stdout
    assert "Actors bridging several stages" in out and "Zeta Chamber of Commerce" in out
    run("network", "--format", "png", "-o", str(tmp_path / "n.png"), db=url, check=0)
    assert (tmp_path / "n.png").stat().st_size > 5000


def test_report_html_and_errors(url, tmp_path):
    out = tmp_path / "r.html"
    run("report", "--stage", "long_term", "--output", str(out), db=url, check=0)
    assert "stages=long_term" in out.read_text()
    proc = run("report", "--format", "docx", "--output", str(tmp_path / "r.docx"), db=url, check=2)
    assert "docx" in proc.stderr
