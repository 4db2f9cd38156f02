"""`migmap advise` as a person uses it: real processes, every format, clear errors."""

from __future__ import annotations

import json

import pytest

from ..conftest import DATA
from .test_cli import run


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    u = f"sqlite:///{tmp_path_factory.mktemp('advise') / 'cli.db'}"
    run("init", "--empty", db=u, check=0)
    run("import", str(DATA / "sample.yaml"), db=u, check=0)
    return u


def test_help_has_an_example():
    out = run("advise", "--help", check=0).stdout
    assert "Example" in out and "--as" in out and "--offer" in out and "--format" in out


def test_table_names_options_risks_and_evidence(url):
    out = run("advise", "--as", "destination_government", "--stage", "arrival", "--goal", "service_quality", db=url, check=0).stdout
    assert "Destination-country government; stage Arrival; goal Better services" in out
    assert "Procurement standards for reception services" in out
    assert "Risks to watch (never partners): Delta reception centre contract" in out
    assert "Evidence" in out


def test_json_is_the_documented_contract(url):
    out = run(
        "advise",
        "--as",
        "international_organisation",
        "--stage",
        "pre_departure",
        "--goal",
        "migrant_rights",
        "--country",
        "npl",
        "--offer",
        "regulation,funding",
        "--format",
        "json",
        db=url,
        check=0,
    ).stdout
    data = json.loads(out)
    assert set(data) == {"question", "options", "risks_to_watch", "evidence_note"}
    assert data["question"]["countries"] == ["NPL"] and data["question"]["offers"] == ["regulation", "funding"]
    assert len(data["options"]) >= 3 and data["options"][0]["rank"] == 1
    fair = next(o for o in data["options"] if o["rationale"]["rule"] == "pd-fair-recruitment")
    assert fair["evidence"] == {"count": 1, "examples": [{"id": "alpha-fair-recruitment", "name": "Alpha fair recruitment pilot"}]}


def test_markdown_html_and_pdf_files(url, tmp_path):
    args = ("advise", "--as", "donor_agency", "--stage", "long_term", "--goal", "service_quality")
    md = tmp_path / "brief.md"
    run(*args, "--format", "md", "--output", str(md), db=url, check=0)
    assert md.read_text().startswith("# Engaging the private sector: long-term options, better services")
    html = run(*args, "--format", "html", "--link", "https://map.example.org/initiatives/{id}", db=url, check=0).stdout
    assert html.startswith("<!doctype html>") and 'href="https://map.example.org/initiatives/epsilon-refugee-fund"' in html
    pdf = tmp_path / "brief.pdf"
    proc = run(*args, "--format", "pdf", "-o", str(pdf), db=url, check=0)
    assert pdf.read_bytes()[:5] == b"%PDF-" and "wrote" in proc.stderr


def test_unknown_codes_and_missing_output_are_clear_errors(url):
    bad = run("advise", "--as", "bank", "--stage", "arival", "--goal", "migrant_rights", db=url)
    assert bad.returncode == 2
    assert "unknown asker 'bank'; allowed: donor_agency" in bad.stderr.replace("\n", " ")
    assert "unknown stage 'arival'; allowed: pre_departure" in bad.stderr.replace("\n", " ")
    nopdf = run("advise", "--as", "donor_agency", "--stage", "arrival", "--goal", "migrant_rights", "--format", "pdf", db=url)
    assert nopdf.returncode == 2 and "--output" in nopdf.stderr
    fmt = run("advise", "--as", "donor_agency", "--stage", "arrival", "--goal", "migrant_rights", "--format", "docx", db=url)
    assert fmt.returncode == 2 and "allowed: table, json, md, html, pdf" in fmt.stderr.replace("\n", " ")
