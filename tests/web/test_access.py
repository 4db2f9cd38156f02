"""Who may do what: every route, walked as anonymous, viewer, editor and admin, against one table.

A route missing from :data:`ACCESS` fails the test, so a new route cannot ship without a
decision on who may use it. Also: passwords are never logged or returned, API tokens stop
working the moment they are revoked, and logging out ends the session (expiry is in
test_security.py).
"""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from migmap.services.accounts import Accounts
from tests.conftest import record

from .conftest import FAST_HASHER, all_routes, csrf_of, login

ROLES = ("anonymous", "viewer", "editor", "admin")
RANK = {r: i for i, r in enumerate(ROLES)}
USERS = {"viewer": "vera", "editor": "ed", "admin": "ada"}
PROPOSED = "proposed-record"

#: The least role each (method, route) needs. Reads of published data are open to everyone.
ACCESS: dict[tuple[str, str], str] = {
    **{
        ("GET", p): "anonymous"
        for p in (
            "/",
            "/api/home",
            "/gapmap",
            "/gapmap/cell",
            "/api/gapmap",
            "/api/gapmap.csv",
            "/initiatives",
            "/api/initiatives",
            "/api/initiatives.csv",
            "/api/initiatives.json",
            "/initiatives/{initiative_id}",
            "/api/initiatives/{initiative_id}",
            "/api/initiatives/{initiative_id}/revisions",
            "/actors",
            "/api/actors",
            "/actors/{name:path}",
            "/api/actors/{name:path}",
            "/countries",
            "/api/countries",
            "/countries/{code}",
            "/api/countries/{code}",
            "/stages/{code}",
            "/api/stages/{code}",
            "/network",
            "/api/network",
            "/api/charts/{name}.{fmt}",
            "/advise",
            "/advise/brief.{fmt}",
            "/advise/style.css",
            "/api/advise",
            "/login",
            "/api/me",
            "/api",
            "/api/framework",
            "/healthz",
            "/readyz",
            "/api/openapi.json",
            "/api/docs",
            "/api/report.{fmt}",
        )
    },
    ("POST", "/login"): "anonymous",
    ("POST", "/logout"): "anonymous",
    # the review queue and proposed records: any account
    ("GET", "/review"): "viewer",
    ("GET", "/api/review"): "viewer",
    # every change: editors (admins can do all an editor can)
    ("GET", "/initiatives/new"): "editor",
    ("POST", "/initiatives/new"): "editor",
    ("GET", "/initiatives/{initiative_id}/edit"): "editor",
    ("POST", "/initiatives/{initiative_id}/edit"): "editor",
    ("POST", "/initiatives/{initiative_id}/revert"): "editor",
    ("POST", "/review/{initiative_id}"): "editor",
    ("POST", "/api/review/{initiative_id}"): "editor",
    ("POST", "/api/initiatives"): "editor",
    ("PATCH", "/api/initiatives/{initiative_id}"): "editor",
    ("DELETE", "/api/initiatives/{initiative_id}"): "editor",
    ("POST", "/api/initiatives/{initiative_id}/revert/{revision_id}"): "editor",
}

PARAMS = {"initiative_id": "beta-connect", "revision_id": "1", "name": "Beta Telecom", "code": "arrival", "fmt": "json"}
SPECIAL = {
    "/countries/{code}": "/countries/DEU",
    "/api/countries/{code}": "/api/countries/DEU",
    "/actors/{name:path}": "/actors/Beta%20Telecom",
    "/api/actors/{name:path}": "/api/actors/Beta%20Telecom",
    "/api/charts/{name}.{fmt}": "/api/charts/gapmap.json",
    "/advise/brief.{fmt}": "/advise/brief.md?stage=arrival&goal=safer_migration",
    "/api/report.{fmt}": "/api/report.html?stages=arrival",
}


def _routes(app):
    for route in all_routes(app):
        for method in sorted((getattr(route, "methods", None) or set()) - {"HEAD"}):
            yield method, route.path


def _url(template: str) -> str:
    if template in SPECIAL:
        return SPECIAL[template]
    for k, v in PARAMS.items():
        template = template.replace("{" + k + "}", v)
    return template


@pytest.fixture
def site(app):
    app.state.db.add(record(id=PROPOSED, name="A record waiting for review"), user="tagger", curation_state="proposed")
    return app


def _client_as(app, role: str) -> tuple[TestClient, dict[str, str]]:
    c = TestClient(app)
    c.__enter__()
    headers: dict[str, str] = {}
    if role != "anonymous":
        assert login(c, USERS[role]).status_code == 303
        headers["X-CSRF-Token"] = csrf_of(c.get("/login").text)
    return c, headers


def _denied(r, role: str, method: str, path: str) -> bool:
    """Did the app refuse this role (401/403, or a page sending the visitor to log in)?"""
    if r.status_code in (401, 403):
        return True
    return r.status_code in (302, 303, 307) and r.headers.get("location", "").startswith("/login")


def test_every_route_is_in_the_access_table(app):
    found = set(_routes(app)) - {("GET", "/static")}
    assert found - ACCESS.keys() == set(), "new routes: decide who may use them and add them to ACCESS"
    assert ACCESS.keys() - found == set(), "ACCESS lists routes that are gone"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_allows_and_denies_as_the_table_says(site, role):
    client, headers = _client_as(site, role)
    wrong = []
    try:
        for method, template in sorted(ACCESS):
            if method == "POST" and template in ("/login", "/logout"):
                continue  # open to all, CSRF-protected; they change the session the walk uses (tested on their own)
            path = _url(template)
            body = {"version": 1, "action": "accept"} if method in ("POST", "PATCH") else None
            data = {"csrf_token": headers.get("X-CSRF-Token", ""), "version": "1"} if method == "POST" and not template.startswith("/api") else None
            r = client.request(
                method,
                path,
                params={"version": 1} if method == "DELETE" else None,
                json=None if data else body,
                data=data,
                headers=headers,
                follow_redirects=False,
            )
            expected_denied = RANK[role] < RANK[ACCESS[(method, template)]]
            if _denied(r, role, method, path) != expected_denied or r.status_code >= 500:
                wrong.append((method, template, r.status_code, r.text[:120]))
            if expected_denied and role == "anonymous" and template.startswith("/api") and r.status_code != 401:
                wrong.append((method, template, r.status_code, "an anonymous API call must get 401"))
            if expected_denied and role == "viewer" and r.status_code != 403:
                wrong.append((method, template, r.status_code, "a logged-in user without the role must get 403"))
    finally:
        client.__exit__(None, None, None)
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_proposed_records_are_hidden_from_anonymous_visitors_only(site, role):
    client, _ = _client_as(site, role)
    try:
        for path in (f"/initiatives/{PROPOSED}", f"/api/initiatives/{PROPOSED}", f"/api/initiatives/{PROPOSED}/revisions"):
            status = client.get(path).status_code
            assert status == (404 if role == "anonymous" else 200), (role, path, status)
        listed = {i["id"] for i in client.get("/api/initiatives", params={"per_page": 100}).json()["initiatives"]}
        assert PROPOSED not in listed  # lists and maps show published records to everyone
    finally:
        client.__exit__(None, None, None)


def test_logout_ends_the_session(site):
    client, headers = _client_as(site, "editor")
    try:
        assert client.get("/api/me").json()["name"] == "ed"
        assert client.post("/logout", data={"csrf_token": headers["X-CSRF-Token"]}, follow_redirects=False).status_code == 303
        assert client.get("/api/me").json()["name"] is None
        assert client.patch("/api/initiatives/beta-connect", json={"version": 1, "status": "ended"}, headers=headers).status_code == 401
    finally:
        client.__exit__(None, None, None)


def test_passwords_are_never_logged_or_returned(site, caplog):
    accounts = Accounts(site.state.db, hasher=FAST_HASHER)
    secret = "Sup3r-secret pass phrase 981"
    caplog.set_level(logging.DEBUG)
    accounts.add_user("pat", "admin", password=secret)
    token = accounts.create_token("pat")
    with TestClient(site) as c:
        bad = c.post("/login", data={"name": "pat", "password": secret + "x", "csrf_token": csrf_of(c.get("/login").text)})
        assert bad.status_code == 401
        assert login(c, "pat", secret).status_code == 303
        bodies = [bad.text]
        for method, template in sorted(ACCESS):
            if method == "GET" and template != "/api/docs":
                r = c.get(_url(template))
                bodies.append(r.text if "image" not in r.headers.get("content-type", "") else "")
        bodies.append(c.get("/api/me", headers={"Authorization": f"Bearer {token}"}).text)
    everything = "\n".join(bodies) + "\n".join(r.getMessage() + repr(r.__dict__) for r in caplog.records)
    assert secret not in everything
    assert "$argon2" not in everything, "a password hash left the server"
    assert token not in everything, "an API token was shown again after it was created"


def test_a_revoked_token_stops_working_at_once(site):
    accounts = Accounts(site.state.db, hasher=FAST_HASHER)
    keep, drop = accounts.create_token("ed"), accounts.create_token("ed")
    with TestClient(site) as c:
        for token in (keep, drop):
            assert c.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()["name"] == "ed"
        assert accounts.revoke_tokens("ed", prefix=drop[:11]) == 1
        r = c.patch("/api/initiatives/beta-connect", json={"version": 1, "status": "ended"}, headers={"Authorization": f"Bearer {drop}"})
        assert r.status_code == 401 and "revoked" in r.json()["detail"]
        r = c.patch("/api/initiatives/beta-connect", json={"version": 1, "status": "ended"}, headers={"Authorization": f"Bearer {keep}"})
        assert r.status_code == 200, r.text
        assert accounts.revoke_tokens("ed") == 1
        assert c.get("/api/me", headers={"Authorization": f"Bearer {keep}"}).status_code == 401
