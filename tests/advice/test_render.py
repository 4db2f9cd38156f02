"""The brief in every format: Markdown, HTML fragment and page, PDF (rendered to PNG), JSON."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from migmap.advice import Evidence, Question, recommend
from migmap.advice.render import render, table_rows, to_html_fragment, to_html_page, to_json, to_markdown, to_pdf
from migmap.domain.models import Initiative

from .test_engine import evidence_from, sample_items

DAY = dt.date(2026, 11, 28)


def advise(items=None, **parts):
    """The engine on the hand-checked sample, in memory (rendering needs no database)."""
    q = Question.build(**parts)
    return recommend(q, evidence_from(sample_items() if items is None else items, q))


@pytest.fixture
def rec():
    return advise(asker="destination_government", stages="arrival", goals="service_quality,migrant_rights")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_data(self, data):
        self.open.append(data)


def test_markdown_brief_has_question_options_evidence_risks_and_references(rec):
    md = to_markdown(rec, generated=DAY)
    assert md.startswith("# Engaging the private sector: arrival, better services, migrants' rights")
    assert "**Question.** Destination-country government; stage Arrival" in md
    for o in rec.options:
        assert f"## {o.rank}. {o.entry.title}" in md
    assert "## Risks to watch" in md and "Delta reception centre contract" in md and "control contractor" in md
    assert "## Safeguards for every option" in md and "Human-rights due diligence" in md
    assert "Bisong and Knoll" in md and "[R]" in md and "[F]" in md
    assert "| # | Partner to engage | Contribution to seek | How | Gap | Mapped |" in md
    assert "No model in the map yet: this would be a first." in md


def test_example_links_go_to_sources_or_to_a_given_route():
    rec = advise(asker="international_organisation", stages="pre_departure", goals="migrant_rights")
    md = to_markdown(rec)
    assert "[Alpha fair recruitment pilot](https://example.org/alpha) (alpha-fair-recruitment; Nepal, Qatar)" in md
    html = to_html_fragment(rec, link=lambda x: f"/initiatives/{x.id}")
    parser = _Links()
    parser.feed(html)
    assert parser.links and all(h.startswith("/initiatives/") for h in parser.links)


def test_html_fragment_is_escaped_and_the_page_is_complete():
    raw = {
        "id": "evil-sim",
        "version": 1,
        "name": "<script>alert(1)</script> SIM drive",
        "description": "A telecom gives SIMs to asylum seekers on arrival.",
        "lead_actor": "Tele & Co",
        "actor_type": "multinational",
        "sector": "telecom_tech",
        "stages": ["arrival"],
        "contributions": ["access"],
        "business_roles": ["service_provider"],
        "migrant_groups": ["refugees_asylum"],
        "modalities": ["core_business_partnership"],
        "themes": ["connectivity_digital"],
        "goals": ["safer_migration"],
        "countries": [{"code": "DEU", "role": "destination"}],
        "start_year": 2020,
        "sources": [{"url": "https://example.org/sim"}],
    }
    rec = advise([*sample_items(), Initiative.model_validate(raw)], asker="donor_agency", stages="arrival", goals="safer_migration")
    assert any(x.id == "evil-sim" for o in rec.options for x in o.examples)
    frag = to_html_fragment(rec, generated=DAY)
    assert "<script>alert" not in frag and "&lt;script&gt;" in frag
    assert frag.lstrip().startswith('<section class="migmap-brief')
    page = to_html_page(rec)
    assert page.startswith("<!doctype html>") and "<style>" in page and frag.split("\n", 3)[1] in page


def test_pdf_renders_and_its_pages_rasterise(rec, tmp_path):
    path = tmp_path / "brief.pdf"
    data = to_pdf(rec, path)
    assert data[:5] == b"%PDF-" and path.read_bytes() == data
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: PDF not rasterised")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 1000 for p in pages)


def test_json_and_table_forms(rec):
    data = json.loads(to_json(rec))
    assert data == json.loads(json.dumps(rec.to_dict()))
    rows = table_rows(rec)
    assert len(rows) == len(rec.options) and rows[0][0] == "1"
    assert render(rec, "json") == to_json(rec)
    with pytest.raises(ValueError, match="allowed: json, md, html, pdf"):
        render(rec, "docx")


def test_empty_map_brief_says_evidence_is_thin():
    rec = recommend(Question.build("donor_agency", "arrival", "migrant_rights", regions="micronesia"), Evidence.empty())
    md = to_markdown(rec)
    assert "evidence is thin" in md and "No model in the map yet" in md
    assert "brief-evidence--thin" in to_html_fragment(rec)
