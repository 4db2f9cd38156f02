"""Curation in forms and through the API: login, edit, conflicts, history, revert, review queue."""

from __future__ import annotations

import re

from migmap.services.accounts import Accounts

from .conftest import PASSWORD, csrf_of, login


def _edit_form_data(page_html: str) -> dict:
    """The edit form as a browser would submit it (text fields, selected options, checked boxes)."""
    data: dict = {}
    for name, value in re.findall(r'<input id="[^"]*" name="([^"]+)" value="([^"]*)"', page_html):
        data[name] = value
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page_html):
        data[name] = value
    for name, value in re.findall(r'<input type="checkbox" name="([^"]+)" value="([^"]+)" checked', page_html):
        data.setdefault(name, []).append(value)
    for name, body in re.findall(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', page_html, re.S):
        m = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = m.group(1) if m else ""
    for name, value in re.findall(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>', page_html, re.S):
        data[name] = value
    import html

    return {k: ([html.unescape(x) for x in v] if isinstance(v, list) else html.unescape(v)) for k, v in data.items()}


def test_login_logout_and_wrong_password(client):
    assert login(client, "ed", "not the password").status_code == 401
    r = login(client, "ed")
    assert r.status_code == 303 and "migmap_session" in r.headers["set-cookie"]
    assert "max-age=28800" in r.headers["set-cookie"].lower() and "httponly" in r.headers["set-cookie"].lower()
    assert client.get("/api/me").json() == {"name": "ed", "role": "editor", "via": "session", "can_edit": True}
    home = client.get("/")
    client.post("/logout", data={"csrf_token": csrf_of(home.text)})
    assert client.get("/api/me").json()["name"] is None


def test_editor_edits_in_the_form_and_sees_the_revision(editor):
    page = editor.get("/initiatives/beta-connect/edit")
    assert page.status_code == 200
    data = _edit_form_data(page.text)
    assert data["version"] == "1" and data["stages"] == ["transit"]
    data["name"] = "Beta Connect SIM cards and charging"
    data["themes"] = ["connectivity_digital", "information_awareness"]
    r = editor.post("/initiatives/beta-connect/edit", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    detail = editor.get("/api/initiatives/beta-connect").json()
    assert detail["initiative"]["name"] == "Beta Connect SIM cards and charging"
    assert detail["initiative"]["version"] == 2
    assert {t["dimension"]: t["origin"] for t in detail["tags"]}["themes"] == "human"
    last = detail["revisions"][0]
    assert last["action"] == "update" and last["user"] == "ed"
    assert {c["field"] for c in last["changes"]} == {"name", "themes"}
    assert "Beta Connect SIM cards and charging" in editor.get("/initiatives/beta-connect").text


def test_form_errors_are_shown_next_to_each_field(editor):
    page = editor.get("/initiatives/new")
    data = {
        "csrf_token": csrf_of(page.text),
        "name": "",
        "description": "x",
        "lead_actor": "ACME",
        "actor_type": "sme",
        "sector": "nonsense",
        "stages": ["arrival"],
        "start_year": "twenty",
        "sources": "not a url",
    }
    r = editor.post("/initiatives/new", data=data)
    assert r.status_code == 422
    assert 'id="err-start_year"' in r.text and "expected a year such as 2020" in r.text
    data["start_year"] = "2020"
    r = editor.post("/initiatives/new", data=data)
    assert r.status_code == 422
    for field in ("name", "sector", "contributions", "sources"):
        assert f'id="err-{field}"' in r.text, field
    assert 'aria-invalid="true" aria-describedby="err-sector"' in r.text
    assert 'value="ACME"' in r.text  # what was typed is kept


def test_editor_creates_an_initiative(editor):
    page = editor.get("/initiatives/new")
    data = {
        "csrf_token": csrf_of(page.text),
        "name": "Omega jobs for refugees",
        "description": "Hires refugees.",
        "lead_actor": "Omega GmbH",
        "actor_type": "sme",
        "sector": "manufacturing_agriculture",
        "stages": ["long_term"],
        "contributions": ["access"],
        "business_roles": ["employer"],
        "migrant_groups": ["refugees_asylum"],
        "modalities": ["core_business_partnership"],
        "themes": ["employment"],
        "countries": "DEU:destination",
        "actors": "Jobcenter Example | public | destination_government | | DEU",
        "start_year": "2021",
        "status": "active",
        "sources": "https://example.org/omega | Omega page",
    }
    r = editor.post("/initiatives/new", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    item = editor.get(r.headers["location"].replace("/initiatives/", "/api/initiatives/")).json()["initiative"]
    assert item["name"] == "Omega jobs for refugees" and item["countries"] == [{"code": "DEU", "role": "destination"}]
    assert [a["name"] for a in item["actors"]] == ["Omega GmbH", "Jobcenter Example"]


def test_stale_form_edit_is_refused_showing_the_other_change(app, editor):
    first = _edit_form_data(editor.get("/initiatives/gamma-foundation-shelter/edit").text)
    # someone else saves in between
    app.state.db.update("gamma-foundation-shelter", {"version": 1, "name": "Gamma shelters (renamed by Ana)"}, user="ana")
    first["description"] = "My own change of the description."
    r = editor.post("/initiatives/gamma-foundation-shelter/edit", data=first)
    assert r.status_code == 409
    assert "Someone else changed this record" in r.text and "Gamma shelters (renamed by Ana)" in r.text
    assert "ana" in r.text and "My own change of the description." in r.text  # their change shown, mine kept
    item = app.state.db.get("gamma-foundation-shelter")
    assert item.description != "My own change of the description." and item.version == 2
    # saving again (now based on version 2) is accepted
    again = _edit_form_data(r.text)
    assert again["version"] == "2"
    assert editor.post("/initiatives/gamma-foundation-shelter/edit", data=again, follow_redirects=False).status_code == 303


def test_api_update_conflict_is_409_with_the_current_record(app, client):
    token = Accounts(app.state.db).create_token("ed")
    h = {"Authorization": f"Bearer {token}"}
    ok = client.patch("/api/initiatives/zeta-returnee-jobs", json={"version": 1, "status": "ended"}, headers=h)
    assert ok.status_code == 200, ok.text
    assert ok.json()["version"] == 2
    stale = client.patch("/api/initiatives/zeta-returnee-jobs", json={"version": 1, "status": "active"}, headers=h)
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2 and body["current"]["status"] == "ended"
    bad = client.patch("/api/initiatives/zeta-returnee-jobs", json={"version": 2, "stages": ["nowhere"]}, headers=h)
    assert bad.status_code == 422 and "nowhere" in bad.text


def test_api_create_and_delete_with_token(app, client):
    from tests.conftest import record

    token = Accounts(app.state.db).create_token("ed")
    h = {"Authorization": f"Bearer {token}"}
    r = client.post("/api/initiatives", json=record(name="API made"), headers=h)
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    assert client.delete(f"/api/initiatives/{iid}", params={"version": 1}, headers=h).status_code == 204
    assert client.get(f"/api/initiatives/{iid}").status_code == 404
    assert client.post("/api/initiatives", json=record(name="x"), headers={"Authorization": "Bearer mm_wrong"}).status_code == 401


def test_session_api_write_needs_the_csrf_header(editor):
    r = editor.patch("/api/initiatives/beta-connect", json={"version": 1, "status": "active"})
    assert r.status_code == 403
    token = csrf_of(editor.get("/").text)
    r = editor.patch("/api/initiatives/beta-connect", json={"version": 1, "status": "active"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text


def test_revert_a_change(app, editor):
    app.state.db.update("epsilon-refugee-fund", {"version": 1, "name": "Wrong name"}, user="ana")
    detail = editor.get("/api/initiatives/epsilon-refugee-fund").json()
    rev = detail["revisions"][0]
    page = editor.get("/initiatives/epsilon-refugee-fund")
    assert "Revert this change" in page.text
    r = editor.post(
        "/initiatives/epsilon-refugee-fund/revert", data={"csrf_token": csrf_of(page.text), "revision": rev["id"], "version": 2}, follow_redirects=False
    )
    assert r.status_code == 303
    item = app.state.db.get("epsilon-refugee-fund")
    assert item.name != "Wrong name" and item.version == 3
    assert app.state.db.revisions("epsilon-refugee-fund")[-1].user == "ed"


def test_review_queue_accept_and_reject(app, editor, client):
    from tests.conftest import record

    a = app.state.db.add(record(name="Proposed A"), curation_state="proposed", origin="tagger")
    b = app.state.db.add(record(name="Proposed B", lead_actor="Other Ltd"), curation_state="proposed", origin="tagger")
    page = editor.get("/review")
    assert "Proposed A" in page.text and "Proposed B" in page.text
    csrf = csrf_of(page.text)
    assert editor.post(f"/review/{a.id}", data={"csrf_token": csrf, "version": a.version, "action": "accept"}, follow_redirects=False).status_code == 303
    assert editor.post(f"/review/{b.id}", data={"csrf_token": csrf, "version": b.version, "action": "reject"}, follow_redirects=False).status_code == 303
    assert app.state.db.get(a.id).curation_state == "published"
    assert app.state.db.get(b.id).curation_state == "rejected"
    assert editor.get("/api/review").json()["total"] == 0


def test_proposed_records_are_hidden_from_anonymous_visitors(app, client):
    from tests.conftest import record

    p = app.state.db.add(record(name="Secret proposal"), curation_state="proposed")
    assert client.get(f"/initiatives/{p.id}").status_code == 404
    assert client.get(f"/api/initiatives/{p.id}").status_code == 404
    assert "Secret proposal" not in client.get("/initiatives").text
    assert client.get("/api/review").status_code == 401
    login(client, "vera", PASSWORD)
    assert client.get(f"/initiatives/{p.id}").status_code == 200
    assert client.get("/api/review").json()["total"] == 1
