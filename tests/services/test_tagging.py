import pytest

from migmap.services.tagging import draft_record, propose, tag_documents, tag_texts
from migmap.tagging.model_io import TaggerError
from tests.tagging.documents import write_report_pdf

URL = "https://example.org/report.pdf"


@pytest.fixture(scope="module")
def model():
    from migmap.tagging import load_model

    return load_model()


def test_tag_texts_keeps_ids_and_reports_bad_items(model):
    out = tag_texts([{"id": "x", "title": "SIM cards", "text": "A telecom company gives refugees free SIM cards in Poland."}, {"id": "y", "text": ""}], model)
    assert out[0]["id"] == "x" and out[0]["countries"] == ["POL"]
    assert out[1] == {"id": "y", "error": "empty text"}


def test_long_pdf_gives_one_draft_per_initiative_with_pages(model, tmp_path):
    pdf = write_report_pdf(tmp_path / "report.pdf")
    report = tag_documents([pdf], model)
    assert report.documents == 1 and report.skipped == []
    assert [(r.organisation, r.pages) for r in report.results] == [("Zain Ltd", [2]), ("Remitly Inc", [2])]
    zain, remitly = report.results
    assert "refugees_asylum" in zain.tags["migrant_groups"] and "JOR" in zain.tags["countries"]
    assert "labour_migrants" in remitly.tags["migrant_groups"]
    assert zain.where == f"{pdf}, p. 2"


def test_bad_documents_are_skipped_and_named(model, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A bakery company in Berlin hires refugees and trains them as bakers with a local NGO.")
    empty = tmp_path / "empty.txt"
    empty.write_text("   ")
    french = tmp_path / "fr.txt"
    french.write_text("Une entreprise de Berlin embauche des réfugiés et les forme au métier de boulanger pendant deux ans avec une association.")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing here")
    scripts = tmp_path / "scripts.html"
    scripts.write_text("<html><script>" + "track();" * 200 + "</script><body></body></html>")
    report = tag_documents([tmp_path], model)
    assert [r.path.name for r in report.results] == ["good.txt"]
    assert len(report.skipped) == 4
    joined = "\n".join(report.skipped)
    for name in ("empty.txt", "fr.txt", "broken.pdf", "scripts.html"):
        assert name in joined
    assert "English" in joined and "not a readable PDF" in joined


def test_propose_puts_drafts_in_the_review_queue(model, sample_db, tmp_path):
    pdf = write_report_pdf(tmp_path / "report.pdf")
    before = sample_db.count()
    results = tag_documents([pdf], model).results
    added = propose(sample_db, results, source_url=URL)
    assert len(added) == 2
    assert sample_db.count() == before  # published lists are unchanged
    item = sample_db.require(added[0].id)
    assert item.curation_state == "proposed"
    assert item.lead_actor == "Zain Ltd"
    assert item.sources[0].url == URL + "#page=2"
    assert "report.pdf, p. 2" in item.sources[0].title
    assert set(item.tag_origins.values()) == {"tagger"}
    assert {"code": "SYR", "role": "origin"} in [c.model_dump() for c in item.countries]
    assert sample_db.revisions(item.id)[0].origin == "tagger"


def test_proposal_needs_a_web_address(model, tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("A bakery company in Berlin hires refugees and trains them as bakers with a local NGO.")
    result = tag_documents([f], model).results[0]
    with pytest.raises(TaggerError, match=r"note\.txt: a proposal needs a web address"):
        draft_record(result)
    assert draft_record(result, "https://example.org/note")["sources"][0]["url"] == "https://example.org/note"
