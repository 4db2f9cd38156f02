"""The advisor on the web: form, brief, downloads and the JSON twin (sample map)."""

from __future__ import annotations

from migmap.services.advice import advise

QUERY = "asker=donor_agency&stages=arrival&goals=migrant_rights"


def test_form_without_question(client):
    r = client.get("/advise")
    assert r.status_code == 200
    assert 'name="asker"' in r.text and 'value="arrival"' in r.text and "Get advice" in r.text


def test_brief_matches_the_library(client, sample_db):
    r = client.get(f"/advise?{QUERY}")
    assert r.status_code == 200
    assert 'class="migmap-brief' in r.text and "/advise/brief.pdf?" in r.text
    expected = advise(sample_db, asker="donor_agency", stages=["arrival"], goals=["migrant_rights"]).to_dict()
    api = client.get(f"/api/advise?{QUERY}").json()
    assert api["options"] == expected["options"] and len(api["options"]) >= 3
    for option in api["options"][:3]:
        assert option["rationale"]
    # examples link to the initiative pages of this site
    for ex in (e for o in api["options"] for e in o["evidence"]["examples"]):
        assert f'href="/initiatives/{ex["id"]}"' in r.text


def test_unknown_codes_are_shown_next_to_the_form(client):
    r = client.get("/advise?asker=bank&stages=moon&goals=migrant_rights")
    assert r.status_code == 422
    assert "unknown asker &#39;bank&#39;" in r.text or "unknown asker 'bank'" in r.text
    assert "donor_agency" in r.text
    api = client.get("/api/advise?asker=bank&stages=arrival&goals=migrant_rights")
    assert api.status_code == 422 and "allowed" in api.text


def test_downloads(client):
    pdf = client.get(f"/advise/brief.pdf?{QUERY}")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    md = client.get(f"/advise/brief.md?{QUERY}")
    assert md.status_code == 200 and md.text.startswith("# Engaging the private sector")
    html = client.get(f"/advise/brief.html?{QUERY}")
    assert "attachment" in html.headers["content-disposition"] and "<html" in html.text
    assert client.get(f"/advise/brief.doc?{QUERY}").status_code == 404
    css = client.get("/advise/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
