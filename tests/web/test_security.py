"""Security: roles on every write route, CSRF, escaping, headers, rate limits, size limits, bad input."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from migmap.config import Settings
from migmap.web import create_app
from tests.conftest import record

from .conftest import FAST_HASHER, PASSWORD, all_routes, csrf_of, login

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC_WRITES = {"/login", "/logout"}  # logging in and out is open to everyone (and CSRF-protected)
SAMPLE_PARAMS = {"initiative_id": "beta-connect", "revision_id": "1", "name": "ed", "code": "DEU"}


def write_routes(app):
    for route in all_routes(app):
        methods = getattr(route, "methods", None) or set()
        for m in sorted(methods & WRITE_METHODS):
            if route.path in PUBLIC_WRITES:
                continue
            path = route.path
            for k, v in SAMPLE_PARAMS.items():
                path = path.replace("{" + k + "}", v)
            yield m, route.path, path


def _call(client, method, path):
    return client.request(method, path, params={"version": 1}, json={"version": 1, "action": "accept"}, follow_redirects=False)


def test_there_are_write_routes_to_check(app):
    found = {p for _, p, _ in write_routes(app)}
    assert {
        "/initiatives/new",
        "/initiatives/{initiative_id}/edit",
        "/initiatives/{initiative_id}/revert",
        "/review/{initiative_id}",
        "/api/initiatives",
        "/api/initiatives/{initiative_id}",
    } <= found


def test_every_write_route_refuses_anonymous_visitors(app, client):
    for method, template, path in write_routes(app):
        r = _call(client, method, path)
        assert r.status_code == 401, (method, template, r.status_code, r.text[:200])
    assert app.state.db.get("beta-connect").version == 1


def test_every_write_route_refuses_viewers(app, viewer):
    token = csrf_of(viewer.get("/").text)
    for method, template, path in write_routes(app):
        r = viewer.request(
            method, path, params={"version": 1}, json={"version": 1, "action": "accept"}, headers={"X-CSRF-Token": token}, follow_redirects=False
        )
        assert r.status_code == 403, (method, template, r.status_code, r.text[:200])
    assert app.state.db.get("beta-connect").version == 1


def test_form_pages_send_anonymous_visitors_to_login_and_refuse_viewers(client):
    r = client.get("/initiatives/beta-connect/edit", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/initiatives/beta-connect/edit"
    login(client, "vera")
    assert client.get("/initiatives/beta-connect/edit").status_code == 403
    assert client.get("/initiatives/new").status_code == 403


def test_forms_need_the_csrf_token(editor, app):
    page = editor.get("/initiatives/beta-connect")
    assert 'name="csrf_token"' in page.text
    r = editor.post("/review/beta-connect", data={"version": 1, "action": "accept"})
    assert r.status_code == 403 and "security token" in r.text
    r = editor.post("/initiatives/beta-connect/edit", data={"version": 1, "name": "x", "csrf_token": "forged"})
    assert r.status_code == 403
    assert app.state.db.get("beta-connect").version == 1
    # the login form itself is protected too
    assert editor.post("/login", data={"name": "ed", "password": PASSWORD}).status_code == 403


def test_every_form_carries_a_csrf_token(editor):
    import re

    for url in ("/", "/initiatives/beta-connect", "/initiatives/beta-connect/edit", "/initiatives/new", "/review", "/login"):
        html = editor.get(url).text
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S):
            assert 'name="csrf_token"' in form, url


def test_user_text_is_escaped(app, client):
    evil = "<script>alert(1)</script>"
    item = app.state.db.add(record(name=evil, description=f"desc {evil}", lead_actor=f"{evil} Ltd"))
    for url in (f"/initiatives/{item.id}", "/initiatives", "/", "/gapmap?cell=long_term:sme", "/actors"):
        html = client.get(url).text
        assert evil not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/initiatives/{item.id}").text
    r = client.get("/initiatives", params={"text": evil})
    assert evil not in r.text


def test_security_headers_on_every_kind_of_response(client):
    for url in ("/", "/api/home", "/static/app.css", "/no-such-page", "/api/initiatives?stages=bogus"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, url
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"


def test_no_inline_scripts_or_styles_and_no_foreign_origins(client):
    import re

    for url in ("/", "/gapmap", "/initiatives", "/initiatives/beta-connect", "/login", "/stages/arrival"):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r'(src|href)="(https?:)?//(?!example\.org)', html.replace('href="https://example.org', "")), url


def test_login_is_rate_limited(client):
    for _ in range(5):
        assert login(client, "ed", "wrong password!").status_code == 401
    r = login(client, "ed")
    assert r.status_code == 429 and "try again" in r.text
    assert "retry-after" in r.headers


def test_request_size_is_limited(editor):
    token = csrf_of(editor.get("/").text)
    r = editor.post("/api/initiatives", content=b"x" * 1_500_000, headers={"X-CSRF-Token": token, "content-type": "application/json"})
    assert r.status_code == 413


MALFORMED = [
    "/initiatives?page=abc",
    "/initiatives?page=0",
    "/api/initiatives?per_page=100000",
    "/initiatives?year=abc",
    "/api/initiatives?countries=ZZZ",
    "/api/initiatives?regions=mars",
    "/api/initiatives?stages=bogus",
    "/gapmap?rows=nope",
    "/gapmap?cell=garbage",
    "/api/gapmap?cols=",
    "/gapmap/cell?cell=arrival:nobody",
    "/api/initiatives?text=" + "x" * 500,
    "/initiatives?stages=%ff%fe",
    "/api/initiatives?order=random",
    "/stages/nowhere",
    "/countries/QQQ",
    "/actors/Nobody%20at%20all",
    "/initiatives/no-such-thing",
    "/api/gapmap.csv?rows=stages&cols=bogus",
    "/api/initiatives.csv?year=1800x",
]


def test_malformed_queries_are_readable_4xx_never_500(client):
    for url in MALFORMED:
        r = client.get(url)
        assert 400 <= r.status_code < 500, (url, r.status_code)
        assert "Traceback" not in r.text
        if url.startswith("/api/"):
            assert r.json()["detail"], url
        else:
            assert 'class="error"' in r.text, url


def test_sessions_expire(sample_db):
    app = create_app(Settings(database_url=sample_db.url, secret_key="s"), database=sample_db, session_max_age=1)
    from migmap.services.accounts import Accounts

    Accounts(sample_db, hasher=FAST_HASHER).add_user("eve", "editor", password=PASSWORD)
    with TestClient(app) as c:
        assert login(c, "eve").status_code == 303
        assert c.get("/api/me").json()["name"] == "eve"
        time.sleep(2.1)
        assert c.get("/api/me").json()["name"] is None


def test_sessions_cannot_be_forged(client):
    client.cookies.set("migmap_session", "eyJ1c2VyIjogImVkIn0=.forged.signature")
    assert client.get("/api/me").json()["name"] is None
