"""Hostile input cannot hurt the web app: stored and reflected XSS, SQL injection, file names.

* **XSS.** Every payload of tests/data/xss_payloads.txt calls ``window.__xss(N)`` or
  ``alert/confirm/prompt(N)`` if it ever runs. They are stored through the JSON API and the HTML
  forms of a real ``migmap serve``; Chromium visits every page that shows them (records, lists,
  search, actors, gap-map cell, countries, network, advisor, history, review queue, edit forms,
  the SVG chart) and pages that reflect them from the URL. The browser context switches the
  content security policy off, so only escaping protects the page. Nothing runs, no dialog opens,
  no element carries an event handler, a ``javascript:``/``data:`` URL or an inline script, and
  the payloads are shown as text, character for character.
* **SQL injection.** Hostile strings go through every query and path parameter of every GET
  route (pages and JSON, found from the app's routes), on SQLite and PostgreSQL: never a 5xx,
  readable 4xx, no secret or SQL error in any answer, text search finds only real matches, and
  afterwards the records, users and tokens are exactly as before.
* **File names.** Download names stay ``[A-Za-z0-9._-]+``; exporters and the report write only
  inside the folder they are given; the tagger makes safe ids from hostile file names and refuses
  a ``javascript:`` address as a source.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from migmap import Database
from migmap.config import Settings
from migmap.domain.errors import InvalidRecords
from migmap.domain.filters import Filters
from migmap.domain.models import ID_PATTERN
from migmap.io.writers import EXPORT_FORMATS
from migmap.services.accounts import Accounts
from migmap.web import create_app
from tests.conftest import DATA, record
from tests.serving import migmap, serving

from .conftest import FAST_HASHER, PASSWORD, all_routes, api_token, csrf_of, login, sample_site
from .test_browser import ARGS, CHROMIUM, _need_chromium

PAYLOADS: list[str] = [p for p in (DATA / "xss_payloads.txt").read_text(encoding="utf-8").splitlines() if p.strip()]

#: A private partner like the lead actor of :func:`tests.conftest.record` (an actor keeps one kind).
PARTNER = {"kind": "private", "actor_type": "sme", "sector": "manufacturing_agriculture", "role": "partner"}
#: The gap-map cell every stored record falls in.
CELL = "long_term:sme"
#: A valid question for the advisor, so that one hostile part of it reaches its code.
QUESTION = {"asker": "donor_agency", "stages": "long_term", "goals": "service_quality"}


def _in_url(text: str) -> str:
    """``text`` as the query of a valid web address (whitespace encoded, quotes and brackets kept)."""
    return "https://example.org/?q=" + re.sub(r"\s", "%20", text)


def _p(i: int, k: int = 0) -> str:
    return PAYLOADS[(i + k) % len(PAYLOADS)]


def api_record(i: int) -> dict[str, Any]:
    """Record ``i``: payload i is its name and lead actor; the next ones fill the other text fields."""
    return record(
        name=_p(i),
        description=f"{_p(i)}\n{_p(i, 1)}\n{_p(i, 2)}",
        lead_actor=_p(i),
        actors=[dict(PARTNER, name=_p(i, 1), website=_in_url(_p(i, 2)))],
        sources=[{"url": _in_url(_p(i, 3)), "title": _p(i, 4), "publisher": _p(i, 5)}],
    )


def test_the_corpus_is_large_distinct_and_every_payload_reports_itself():
    assert len(PAYLOADS) >= 60
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    for p in PAYLOADS:
        assert re.search(r"__xss|alert\(|confirm\(|prompt\(", p), p
        assert p == p.strip() and len(p) <= 300, p


# ====================================================================== a real server and Chromium
@dataclass
class Site:
    base: str
    token: str
    log: Path
    ids: list[str] = field(default_factory=list)  # record i carries payload i (see api_record)

    def api(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return httpx.request(method, self.base + path, headers={"Authorization": f"Bearer {self.token}"}, timeout=30, **kw)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    """`migmap serve` over the sample data, an editor `ed` with an API token, and one record per payload."""
    _need_chromium()
    folder = tmp_path_factory.mktemp("hostile")
    env = sample_site(f"sqlite:///{folder / 'site.db'}", "hostile-test-secret")
    token = api_token(env)
    assert token.startswith("mm_")
    with serving(env, "--log-level", "warning", log=folder / "server.log") as base:
        s = Site(base, token, folder / "server.log")
        for i in range(len(PAYLOADS)):
            r = s.api("POST", "/api/initiatives", json=api_record(i))
            assert r.status_code == 201, (i, r.text[:500])
            s.ids.append(r.json()["id"])
        yield s


@pytest.fixture(scope="module")
def chromium():
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


#: Elements, attributes and URLs that only an injection could have put into one of the app's pages.
DOM_SCAN = r"""() => {
  const URL_ATTRS = ["href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset"];
  const NEVER = ["IFRAME", "FRAME", "OBJECT", "EMBED", "BASE", "APPLET", "ISINDEX", "STYLE", "MARQUEE", "ANIMATE", "SET"];
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toUpperCase();
    if (NEVER.includes(tag) || (tag === "SCRIPT" && !el.getAttribute("src")) || (tag === "META" && el.hasAttribute("http-equiv")))
      found.push(el.outerHTML.slice(0, 160));
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (name.startsWith("on") || name === "srcdoc" || (URL_ATTRS.includes(name) && /^(javascript|vbscript|data):/.test(value)))
        found.push(`<${tag} ${a.name}="${a.value.slice(0, 120)}">`);
    }
  }
  return found;
}"""


class Watched:
    """A browser page where a payload that runs is noticed.

    ``window.__xss`` (installed before any page script, in every frame) reports to Python, dialogs
    are recorded and dismissed, and after each visit the DOM is scanned for injected markup. With
    ``csp=False`` the page's content security policy is bypassed: escaping alone must hold."""

    def __init__(self, browser, base: str, csp: bool = False):
        self.base = base
        self.ran: list[tuple[str, Any]] = []
        self.console: list[str] = []
        self.context = browser.new_context(bypass_csp=not csp)
        self.context.expose_function("__xssReport", lambda n: self.ran.append((self.page.url, n)))
        self.context.add_init_script("window.__xss = function (n) { window.__xssReport(n); };")
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)

    def _dialog(self, dialog) -> None:
        self.ran.append((self.page.url, f"{dialog.type}({dialog.message})"))
        dialog.dismiss()

    def visit(self, path: str, status: int | tuple[int, ...] = 200):
        """Open ``path`` (or follow an absolute URL) and check that nothing ran and nothing was injected."""
        r = self.page.goto(path if path.startswith("http") else self.base + path)
        allowed = status if isinstance(status, tuple) else (status,)
        assert r is not None and r.status in allowed, (path, r and r.status)
        self.check(path)
        return r

    def check(self, where: str) -> None:
        injected = self.page.evaluate(DOM_SCAN)
        assert not injected, (where, injected)
        assert not self.ran, (where, self.ran)

    def text(self, selector: str) -> str:
        return self.page.locator(selector).first.text_content() or ""

    def close(self) -> None:
        self.context.close()


def _login(w: Watched) -> None:
    w.page.goto(f"{w.base}/login?next=/")
    w.page.fill("#login-name", "ed")
    w.page.fill("#login-password", PASSWORD)
    w.page.click("form.login button[type=submit]")
    w.page.wait_for_url(f"{w.base}/")


def _actor_path(name: str) -> str:
    return "/actors/" + quote(name, safe="")


# ====================================================================== stored XSS
#: Where a page could put text unescaped: the contexts the watcher's self-check writes payloads into.
RAW_CONTEXTS = [
    "<p>{}</p>",
    '<input value="{}">',
    "<input value='{}'>",
    "<input value={}>",
    "<textarea>{}</textarea>",
    '<script>var s = "{}";</script>',
    "<script>var s = '{}';</script>",
    '<a href="{}">x</a>',
]


@pytest.mark.browser
def test_the_watcher_sees_payloads_that_do_run(chromium):
    """The detector is not blind: written unescaped into one of the usual contexts, most payloads run or
    leave markup behind (the rest only bite where text is decoded: templates, entities, markdown, lookalikes,
    which the exact-text checks below catch)."""
    w = Watched(chromium, "http://127.0.0.1")
    caught = set()
    for p in PAYLOADS:
        for ctx in RAW_CONTEXTS:
            w.ran.clear()
            w.page.set_content(f"<!doctype html><title>t</title><body>{ctx.replace('{}', p)}</body>")
            injected = [x for x in w.page.evaluate(DOM_SCAN) if "var s" not in x]
            if w.ran or injected:
                caught.add(p)
                break
    assert len(caught) >= 0.75 * len(PAYLOADS), sorted(set(PAYLOADS) - caught)
    w.ran.clear()
    w.page.set_content("<img src=x onerror=alert(67)><svg onload=confirm(68)>")
    assert {n for _, n in w.ran} == {"alert(67)", "confirm(68)"}
    w.close()


@pytest.mark.browser
def test_payloads_stored_through_the_api_never_run(site, chromium):
    w = Watched(chromium, site.base)
    for i, iid in enumerate(site.ids):
        w.visit(f"/initiatives/{iid}")
        assert w.text("h1") == _p(i), iid
        assert w.text("p.description") == f"{_p(i)}\n{_p(i, 1)}\n{_p(i, 2)}"
        assert w.text("ul.sources a") == _p(i, 4)
        assert w.page.locator("ul.sources a").first.get_attribute("href") == _in_url(_p(i, 3))
    for name in PAYLOADS:
        w.visit(_actor_path(name))
        assert w.text("h1") == name
    # the links the pages themselves make to actors lead to the same pages
    w.visit(f"/initiatives/{site.ids[0]}")
    hrefs = w.page.eval_on_selector_all('a[href^="/actors/"]', "links => links.map(a => a.getAttribute('href'))")
    assert len(set(hrefs)) == 2  # the lead actor and the partner
    for href in sorted(set(hrefs)):
        w.visit(href)

    w.visit("/initiatives?per_page=200")
    listed = w.text("main")
    assert all(p in listed for p in PAYLOADS), [p for p in PAYLOADS if p not in listed]
    w.visit("/initiatives?text=window&per_page=200")
    for page in (1, 2, 3):
        w.visit(f"/actors?page={page}")
    w.visit("/actors?text=script")
    w.visit(f"/gapmap?rows=stages&cols=actor_type&cell={CELL}")
    cell_list = w.text("#cell-list")
    assert all(p in cell_list for p in PAYLOADS), [p for p in PAYLOADS if p not in cell_list]
    w.visit(f"/gapmap/cell?rows=stages&cols=actor_type&cell={CELL}")
    for path in ("/", "/countries", "/countries/DEU", "/stages/long_term", "/network", "/advise?asker=donor_agency&stages=long_term&goals=service_quality"):
        w.visit(path)
    w.page.wait_for_timeout(300)  # let the live charts draw the actors' names
    w.check("/network after the chart drew")
    w.visit("/api/charts/network.svg")  # an SVG document runs scripts if it holds any
    w.close()


@pytest.mark.browser
def test_payloads_searched_for_and_reflected_from_the_url_never_run(site, chromium):
    w = Watched(chromium, site.base)
    for i, p in enumerate(PAYLOADS):
        w.visit(f"/initiatives?{httpx.QueryParams({'text': p, 'per_page': 200})}")
        assert w.page.input_value("input[name=text]") == p  # the search box gives the text back, as text
        if i >= 10:  # (the first records are renamed or sent back to review by the history test)
            assert p in w.text("main"), p  # and the record named by the payload is found
        if i % 4 == 0:  # error messages repeat the hostile value
            for path, status in (
                (f"/initiatives?{httpx.QueryParams({'stages': p})}", 422),
                (f"/gapmap?{httpx.QueryParams({'cell': p})}", 422),
                (f"/advise?{httpx.QueryParams(dict(QUESTION, asker=p))}", 422),
                (f"/countries/{quote(p, safe='')}", 404),
                (f"/initiatives/{quote(p, safe='')}", 404),
                (f"/login?{httpx.QueryParams({'next': '/' + p})}", 200),
            ):
                w.visit(path, status=(status, 404))
    w.close()


FORM_DIMENSIONS = {
    "stages": "long_term",
    "contributions": "access",
    "business_roles": "employer",
    "migrant_groups": "refugees_asylum",
    "modalities": "core_business_partnership",
    "themes": "employment",
}
#: Payloads entered in the forms: the breakouts of inputs and text areas first.
FORM_PAYLOADS = [p for p in PAYLOADS if "textarea" in p.lower() or p.startswith(('"', "'"))] + PAYLOADS[:12]


def _fill_new_form(w: Watched, ps: list[str], tags: bool = True) -> None:
    w.visit("/initiatives/new")
    w.page.fill("#name", ps[0])
    w.page.fill("#description", f"{ps[1]}\n{ps[0]}")
    w.page.fill("#lead_actor", ps[2])
    w.page.select_option("#actor_type", "sme")
    w.page.select_option("#sector", "manufacturing_agriculture")
    w.page.fill("#countries", "DEU:destination")
    w.page.fill("#actors", f"{ps[3]} | private | sme | manufacturing_agriculture | DEU")
    w.page.fill("#sources", f"{_in_url(ps[4])} | {ps[5]}")
    w.page.fill("#start_year", "2020")
    if tags:
        for dim, code in FORM_DIMENSIONS.items():
            w.page.check(f'input[name="{dim}"][value="{code}"]')
    w.page.click("form.edit button[type=submit]")
    w.page.wait_for_load_state("load")


@pytest.mark.browser
def test_payloads_entered_in_the_forms_never_run(site, chromium):
    w = Watched(chromium, site.base)
    _login(w)
    for k in range(0, 24, 6):
        ps = [FORM_PAYLOADS[(k + j) % len(FORM_PAYLOADS)] for j in range(6)]
        _fill_new_form(w, ps)
        assert re.search(r"/initiatives/[a-z0-9-]+$", w.page.url), (w.page.url, w.text("#form-errors"))
        w.check(w.page.url)
        assert w.text("h1") == ps[0]
        assert w.text("p.description") == f"{ps[1]}\n{ps[0]}"
        assert w.text("ul.sources a") == ps[5]
        edit = w.page.url + "/edit"
        w.visit(edit.removeprefix(site.base))  # the stored values back in the inputs and text areas
        assert w.page.input_value("#name") == ps[0] and w.page.input_value("#lead_actor") == ps[2]
        assert w.page.input_value("#description") == f"{ps[1]}\n{ps[0]}"
        assert ps[3] in w.page.input_value("#actors") and ps[5] in w.page.input_value("#sources")
    # a refused form shows the submitted values again, still as text
    ps = FORM_PAYLOADS[:6]
    _fill_new_form(w, ps, tags=False)
    w.check("the refused form")
    assert w.page.locator("#form-errors").count() == 1
    assert w.page.input_value("#name") == ps[0] and w.page.input_value("#description") == f"{ps[1]}\n{ps[0]}"
    w.close()


@pytest.mark.browser
def test_history_and_review_queue_show_payloads_as_text(site, chromium):
    changed = site.ids[:10]
    for n, iid in enumerate(changed):
        i = site.ids.index(iid)
        r = site.api("PATCH", f"/api/initiatives/{iid}", json={"version": 1, "name": _p(i, 7), "lead_actor": _p(i, 8)})
        assert r.status_code == 200, r.text[:300]
        if n < 4:
            r = site.api("PATCH", f"/api/initiatives/{iid}", json={"version": 2, "curation_state": "proposed"})
            assert r.status_code == 200, r.text[:300]
    w = Watched(chromium, site.base)
    _login(w)
    w.visit("/review")
    queue = w.text("main")
    assert all(_p(site.ids.index(iid), 7) in queue for iid in changed[:4])
    for iid in changed:
        i = site.ids.index(iid)
        w.visit(f"/initiatives/{iid}")
        assert w.text("h1") == _p(i, 7)
        history = w.text("#history")
        assert _p(i) in history and _p(i, 7) in history and _p(i, 8) in history
        r = site.api("GET", f"/api/initiatives/{iid}/revisions")
        assert r.json()[-1]["changes"], r.text[:300]
    w.close()


@pytest.mark.browser
def test_with_the_policy_on_no_inline_script_is_even_attempted(site, chromium):
    """The content security policy never has to block anything: no console error about it."""
    w = Watched(chromium, site.base, csp=True)
    for path in ("/initiatives?per_page=200", f"/gapmap?cell={CELL}", "/actors", *(f"/initiatives/{i}" for i in site.ids[10::10])):
        w.visit(path)
    blocked = [m for m in w.console if "Content Security Policy" in m]
    assert not blocked, blocked
    w.close()
    assert "Traceback" not in site.log.read_text()


# ====================================================================== refused values
def test_actor_websites_must_be_web_addresses(editor, app):
    """An actor's website is a link on its page: a javascript: or data: address would run when clicked."""
    token = csrf_of(editor.get("/").text)
    for website in (
        "javascript:window.__xss(19)",
        "data:text/html,<script>window.__xss(20)</script>",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "//evil.example/x",
        "https://ok.example/ onmouseover=alert(1)",
    ):
        body = record(actors=[dict(PARTNER, name="Web Partner", website=website)])
        r = editor.post("/api/initiatives", json=body, headers={"X-CSRF-Token": token})
        assert r.status_code == 422 and "website" in r.text, (website, r.status_code, r.text[:300])
    assert app.state.db.count() == 6


def test_numbers_in_other_scripts_are_refused_not_crashing(editor, app):
    """Superscript and Arabic-Indic digits pass str.isdigit() but not int(): the forms say so instead of failing."""
    token = csrf_of(editor.get("/initiatives/new").text)
    form = {
        "csrf_token": token,
        "name": "Superscript year",
        "description": "d",
        "lead_actor": "Lead",
        "actor_type": "sme",
        "sector": "manufacturing_agriculture",
        "countries": "DEU:destination",
        "sources": "https://example.org/x | x",
        **FORM_DIMENSIONS,
    }
    for year in ("\u00b2", "\u0662\u0660\u0662\u0660"):
        r = editor.post("/initiatives/new", data=dict(form, start_year=year))
        assert r.status_code == 422 and "expected a year" in r.text, r.text[:300]
        for path in ("/initiatives/beta-connect/edit", "/review/beta-connect"):
            r = editor.post(path, data={"csrf_token": token, "version": year, "name": "x", "action": "accept"})
            assert r.status_code == 422, (path, r.status_code)
    assert app.state.db.get("beta-connect").version == 1 and app.state.db.count() == 6


def test_nul_characters_are_refused_on_every_backend(hostile_app):
    """PostgreSQL cannot store a NUL and SQLite's searches stop at one: refused alike, never a 5xx."""
    bearer = {"Authorization": f"Bearer {hostile_app.state.token}"}
    with TestClient(hostile_app, raise_server_exceptions=False) as c:
        for body in (
            record(name="a\x00b"),
            record(description="d\x00"),
            record(lead_actor="L\x00"),
            record(actors=[dict(PARTNER, name="P\x00")]),
            record(sources=[{"url": "https://e.org/\x00", "title": "t\x00"}]),
        ):
            r = c.post("/api/initiatives", json=body, headers=bearer)
            assert r.status_code == 422 and "NUL" in r.text, r.text[:300]
        r = c.patch("/api/initiatives/beta-connect", json={"version": 1, "name": "x\x00"}, headers=bearer)
        assert r.status_code == 422, r.text[:300]
        page = c.get("/login")
        r = c.post("/login", data={"name": "ed\x00", "password": PASSWORD, "csrf_token": csrf_of(page.text)})
        assert 400 <= r.status_code < 500, r.status_code
        assert hostile_app.state.db.count() == 6 and hostile_app.state.db.get("beta-connect").version == 1


# ====================================================================== SQL injection
INJECTIONS: list[str] = [
    "'",
    '"',
    "\\",
    "\\'",
    "' OR 1=1 --",
    "' OR '1'='1",
    "1; DROP TABLE initiatives; --",
    "'); DROP TABLE users; --",
    "' UNION SELECT name, password_hash, role FROM users --",
    "' UNION SELECT token_hash, prefix FROM api_tokens --",
    "%",
    "_",
    "a%' OR name LIKE '%",
    "\x00",
    "a\x00b",
    "NEAR(",
    'NEAR("a" "b", 2)',
    "*",
    "AND OR NOT",
    '"unterminated',
    "name:*",
    "$$; DROP TABLE initiatives; $$",
    "$tag$x$tag$",
    "/* comment */",
    "*/ OR 1=1 /*",
    "; SELECT pg_sleep(5); --",
    "'; ATTACH DATABASE '/tmp/x.db' AS x; --",
    "long " * 400,
    "' OR 1=1 --" * 300,
    "\u00b2",
    "99999999999999999999999",
    "\u00e9' OR '\u00e9'='\u00e9",
    "a\r\nb",
    "-1",
]
#: Path parameters of the sample data, so that a hostile query parameter reaches its route's code.
SAMPLE_PATH = {"initiative_id": "beta-connect", "name": "Beta Telecom", "code": "DEU", "fmt": "json"}
ROUTE_PATH = {"/api/charts/{name}.{fmt}": {"name": "gapmap"}, "/stages/{code}": {"code": "long_term"}, "/api/stages/{code}": {"code": "long_term"}}
SECRETS = re.compile(r"\$argon2|\bmm_[A-Za-z0-9_-]{6,}|\[SQL:|Traceback \(most recent|psycopg\.|sqlite3\.|OperationalError")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hostile_app(request, tmp_path):
    """The app over the sample data on SQLite or PostgreSQL, with a viewer, an editor and a token."""
    url = f"sqlite:///{tmp_path / 'hostile.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    db = Database(url, user="tester")
    db.init(bundled=False)
    assert db.import_files([DATA / "sample.yaml"]).ok
    accounts = Accounts(db, hasher=FAST_HASHER)
    for name, role in (("vera", "viewer"), ("ed", "editor")):
        accounts.add_user(name, role, password=PASSWORD)
    app = create_app(Settings(database_url=url, secret_key="test-secret"), database=db, warm_cache=False)
    app.state.token = accounts.create_token("ed")
    yield app
    db.close()


def _query_fields(dependant) -> list[Any]:
    fields = list(dependant.query_params)
    for sub in dependant.dependencies:
        fields += _query_fields(sub)
    return list({f.alias: f for f in fields}.values())


def _path_names(route: APIRoute) -> list[str]:
    return re.findall(r"\{(\w+)(?::\w+)?\}", route.path)


def _many(field: Any) -> bool:
    ann = field.field_info.annotation
    return list in {get_origin(a) for a in (ann, *get_args(ann))}


def _path(route: APIRoute, **given: str) -> str:
    values = {**SAMPLE_PATH, **ROUTE_PATH.get(route.path, {}), **given}
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: quote(values[m.group(1)], safe=""), route.path)


def hostile_requests(app) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, query) with the injections in each parameter of each GET route, one parameter at a time.

    A list parameter gets every injection in one request (repeated); the others one request each."""
    for route in all_routes(app):
        if not isinstance(route, APIRoute) or "GET" not in route.methods:
            continue
        fields = _query_fields(route.dependant)
        base = dict(QUESTION) if any(f.alias == "asker" for f in fields) else {}
        yield _path(route), base
        for f in fields:
            if _many(f):
                yield _path(route), {**base, f.alias: INJECTIONS}
            else:
                yield from ((_path(route), {**base, f.alias: inj}) for inj in INJECTIONS)
        for name in _path_names(route):
            yield from ((_path(route, **{name: inj}), base) for inj in INJECTIONS)


def _readable(detail: Any) -> bool:
    if isinstance(detail, str):
        return bool(detail.strip())
    return isinstance(detail, list) and bool(detail) and all(isinstance(d, dict) and str(d.get("msg", "")).strip() for d in detail)


def check_answer(path: str, query: dict[str, Any], r: httpx.Response) -> None:
    where = f"{path} {str(query)[:200]}"
    assert r.status_code == 200 or 400 <= r.status_code < 500, (where, r.status_code, r.text[:300])
    leak = SECRETS.search(r.text)
    assert not leak, (where, leak.group(0), r.text[max(0, leak.start() - 100) : leak.end() + 100])
    if r.status_code >= 400:
        if path.startswith("/api/"):
            assert _readable(r.json()["detail"]), (where, r.text[:300])
        else:
            assert 'class="error"' in r.text or 'role="alert"' in r.text, (where, r.text[:300])


def snapshot(db: Database) -> tuple[Any, ...]:
    """Every record (all curation states), every user with its password hash, and the revisions."""
    everything = Filters(curation_state=["published", "proposed", "rejected"])
    items = db.list(everything, order="id")
    records = [json.dumps(i.record(), sort_keys=True, default=str) for i in items]
    users = [(u.name, u.role, u.active, u.password_hash) for u in Accounts(db).users()]
    revisions = {i.id: len(db.revisions(i.id)) for i in items}
    return len(records), records, users, revisions


def test_sql_injection_through_every_parameter_changes_nothing_and_leaks_nothing(hostile_app):
    db = hostile_app.state.db
    before = snapshot(db)
    assert before[0] == 6
    with TestClient(hostile_app, raise_server_exceptions=False) as c:
        assert login(c, "vera").status_code == 303  # the review queue answers instead of redirecting
        n = 0
        for path, query in hostile_requests(hostile_app):
            check_answer(path, query, c.get(path, params=query, follow_redirects=False))
            n += 1
        assert n > 1500
        assert snapshot(db) == before
        assert Accounts(db).user_for_token(hostile_app.state.token).name == "ed"
        # stored, an injection is just text
        evil = record(name="'); DROP TABLE initiatives; --", description="' OR 1=1 -- $$x$$ /* */ %_", lead_actor="Robert'); DROP TABLE users;--")
        r = c.post("/api/initiatives", json=evil, headers={"Authorization": f"Bearer {hostile_app.state.token}"})
        assert r.status_code == 201, r.text[:300]
        stored = db.get(r.json()["id"]).record()
        assert (stored["name"], stored["description"], stored["lead_actor"]) == (evil["name"], evil["description"], evil["lead_actor"])
        assert db.count() == before[0] + 1 and Accounts(db).users() and len(Accounts(db).users()) == 2


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _really_contains(item: dict[str, Any], query: str) -> bool:
    """Every word of ``query`` starts a word of the record's name, description or actors (the search's rule)."""
    words = _words(" ".join([item["name"], item["description"], item["lead_actor"], *(a["name"] for a in item.get("actors", []))]))
    return all(any(w.startswith(q) for w in words) for q in _words(query))


def _found(c: TestClient, path: str, key: str, text: str) -> set[str] | None:
    """The ids (initiatives) or names (actors) a search finds; None when the search is refused as too long."""
    r = c.get(path, params={"text": text, "per_page": 200})
    assert r.status_code in (200, 422), (path, text, r.status_code, r.text[:300])
    if r.status_code == 422:
        return None
    return {x["id"] if key == "initiatives" else x["name"] for x in r.json()[key]}


def test_text_search_with_injections_finds_only_real_matches(hostile_app):
    db = hostile_app.state.db
    sqlite = db.url.startswith("sqlite")
    with TestClient(hostile_app, raise_server_exceptions=False) as c:
        for inj in INJECTIONS:
            found = _found(c, "/api/initiatives", "initiatives", inj)
            if found is None:
                assert len(inj) > 200, inj  # only longer searches than allowed are refused
                continue
            # the hostile characters change nothing: the result is that of its plain words (none without words)
            plain = " ".join(_words(inj))
            assert found == (_found(c, "/api/initiatives", "initiatives", plain) if plain else set()), inj
            if sqlite:  # PostgreSQL stems English words, so only SQLite's prefix rule is checked word by word
                for iid in found:
                    assert _really_contains(db.get(iid).record(), inj), (inj, iid)
            actors = _found(c, "/api/actors", "actors", inj)
            assert actors is None or all(inj.casefold() in a.casefold() for a in actors), (inj, actors)
        assert _found(c, "/api/actors", "actors", "%") == set() and _found(c, "/api/actors", "actors", "_") == set()


# ====================================================================== file names
SAFE_DISPOSITION = re.compile(r'^(attachment|inline); filename="[A-Za-z0-9._-]+"$')
HOSTILE_NAMES = [
    "../../etc/passwd",
    "a/b",
    "..",
    'x"; filename="evil.exe',
    "x\r\nSet-Cookie: pwned=1",
    "é",
    "stages\\..\\x",
    "%2e%2e%2f",
    "sme\x00",
    "a b",
    "<b>",
    "stages;x=1",
]


def _downloads(value: str) -> list[tuple[str, dict[str, str]]]:
    """Every download whose file name is made from a query parameter, with ``value`` in that parameter."""
    return [
        ("/api/gapmap.csv", {"rows": value}),
        ("/api/gapmap.csv", {"cols": value}),
        ("/api/charts/gapmap.svg", {"rows": value}),
        ("/api/charts/gapmap.png", {"cols": value}),
        *((f"/advise/brief.{fmt}", dict(QUESTION, **{part: value})) for fmt in ("md", "json") for part in ("asker", "stages", "goals")),
        ("/api/initiatives.csv", {"text": value}),
        ("/api/initiatives.json", {"text": value}),
    ]


def test_download_file_names_cannot_be_steered(client):
    for value in HOSTILE_NAMES:
        for path, query in _downloads(value):
            r = client.get(path, params=query)
            assert r.status_code < 500, (path, query, r.status_code)
            if r.status_code < 400:
                assert SAFE_DISPOSITION.match(r.headers["content-disposition"]), (path, query, r.headers["content-disposition"])
    # and the names of good requests are what they should be
    for path, query, name in (
        ("/api/gapmap.csv", {"rows": "themes"}, "gapmap-themes-actor_type.csv"),
        ("/advise/brief.md", QUESTION, "migmap-brief-donor_agency-long_term.md"),
        ("/api/charts/network.svg", {"rows": "../../x", "cols": 'a"b'}, "network.svg"),
    ):
        r = client.get(path, params=query)
        assert r.status_code == 200 and SAFE_DISPOSITION.match(r.headers["content-disposition"]), (path, r.headers)
        assert r.headers["content-disposition"].endswith(f'filename="{name}"')


HOSTILE_RECORD_NAMES = ["../../../evil", "..\\..\\evil", "/etc/passwd", "a/b/c", 'quote"name', "new\nline", "~/.ssh/authorized_keys", "CON"]


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def test_exports_and_reports_write_only_inside_their_folder(db, tmp_path):
    from migmap.services.analysis import write_report

    for n, name in enumerate(HOSTILE_RECORD_NAMES):
        db.add(
            record(
                name=name,
                lead_actor=f"{name} lead",
                description=f"hostile {n}",
                actors=[dict(PARTNER, name=f"{name} partner")],
                sources=[{"url": "https://example.org/x", "title": name}],
            )
        )
    with pytest.raises(InvalidRecords):
        db.add(record(id="../evil", name="Hostile id"))
    assert all(ID_PATTERN.match(i) for i in db.ids())
    out = tmp_path / "out"
    out.mkdir()
    before = _files(tmp_path)
    for fmt in EXPORT_FORMATS:
        target = out / ("package" if fmt == "datapackage" else f"export.{fmt}")
        assert db.export(target, fmt=fmt) == len(HOSTILE_RECORD_NAMES)
    write_report(db, out / "report.md")
    new = _files(tmp_path) - before
    stray = [p for p in new if out not in p.parents and not p.name.startswith("migmap.db")]
    assert not stray, stray
    assert {p.relative_to(out).parts[0] for p in new if out in p.parents} == {
        "export.csv",
        "export.xlsx",
        "export.json",
        "export.jsonl",
        "export.yaml",
        "package",
        "report.md",
        "report_charts",
    }
    assert not [p for p in new if "evil" in str(p) or "passwd" in str(p) or "ssh" in str(p)]


GOOD_TEXT = "A logistics company hires refugees in Germany and trains them as warehouse workers with a local NGO."
HOSTILE_FILES = ["..%2f..%2fevil.txt", 'quote"name.txt', "new\nline.txt", "<script>window.__xss(90)<%2fscript>.txt", "..txt"]
HOSTILE_TITLE = 'Jobs "><img src=x onerror=window.__xss(91)>'


def test_tagger_makes_safe_ids_from_hostile_file_names(db, tmp_path):
    """`migmap tag FILES --propose`: hostile file names and page titles end up as text, ids stay plain."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in HOSTILE_FILES:
        (docs / name).write_text(GOOD_TEXT, encoding="utf-8")
    page = docs / "page.html"
    page.write_text(
        f'<html><head><title>{html.escape(HOSTILE_TITLE)}</title><link rel="canonical" href="javascript:window.__xss(92)">'
        f"</head><body><p>{GOOD_TEXT}</p></body></html>",
        encoding="utf-8",
    )
    env = dict(os.environ, MIGMAP_DATABASE_URL=db.url)
    before = _files(tmp_path)
    # a page whose own address is javascript: has no source: it cannot be proposed without one
    proc = migmap("tag", str(page), "--propose", env=env, check=False)
    assert proc.returncode == 2 and "needs a web address" in proc.stderr, proc.stderr
    assert db.count(Filters(curation_state=["proposed"])) == 0
    proc = migmap("tag", str(docs), "--propose", "--source-url", "https://example.org/docs", env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    proposed = db.list(Filters(curation_state=["proposed"]), order="id")
    assert len(proposed) == len(HOSTILE_FILES) + 1
    assert all(ID_PATTERN.match(i.id) for i in proposed), [i.id for i in proposed]
    assert all(i.sources[0].url == "https://example.org/docs" for i in proposed)
    # the file's name is kept as text, exactly, where the record says where it was found; the title as the name
    assert sorted(i.sources[0].title for i in proposed) == sorted(f"{docs / n}, p. 1" for n in [*HOSTILE_FILES, "page.html"])
    assert HOSTILE_TITLE in [i.name for i in proposed]
    assert not [p for p in _files(tmp_path) - before if not p.name.startswith("migmap.db")]
