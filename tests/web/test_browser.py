"""The site in a real browser: Playwright for Python driving Debian's Chromium against `migmap serve`.

Flow: home → gap map, change the axes → click a cell, see its initiatives → follow one → log in as
an editor → edit → see the revision; a second browser context editing the same record gets the
conflict. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.serving import serving

from .conftest import PASSWORD, sample_site

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def _need_chromium() -> None:
    missing = None
    if not os.path.exists(CHROMIUM):
        missing = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            missing = "the playwright package is not installed (pip install playwright)"
    if missing:
        if IN_CI:
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(missing)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`migmap serve` on a free loopback port, over the sample data, with an editor `ed`."""
    _need_chromium()
    folder = tmp_path_factory.mktemp("browser")
    env = sample_site(f"sqlite:///{folder / 'site.db'}", "browser-test-secret")
    with serving(env, "--log-level", "warning") as base:
        yield base


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    """Console errors (e.g. CSP violations) and requests leaving the site's own origin."""

    def __init__(self, page, base: str):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:") else self.foreign.append(r.url))

    def check(self, expected_status: str | None = None) -> None:
        errors = [e for e in self.errors if not (expected_status and f"status of {expected_status}" in e)]
        assert not errors, errors
        assert not self.foreign, self.foreign


def _login(page, base: str) -> None:
    page.goto(f"{base}/login?next=/")
    page.fill("#login-name", "ed")
    page.fill("#login-password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_explore_then_edit_in_the_browser(server, browser):
    base = server
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    watch = Watch(page, base)

    page.goto(base + "/")
    assert page.locator("h1").inner_text().startswith("Who in the private sector")
    assert page.locator("table.gapmap tbody tr").count() == 5
    page.wait_for_selector("div.chart svg")  # the funder-bias chart, live with vega-embed under the CSP
    page.screenshot(path=str(SHOTS / "01-home.png"), full_page=True)

    page.click("header nav >> text=Gap map")
    page.wait_for_url(f"{base}/gapmap")
    page.select_option("#rows", "themes")  # the form applies itself on change
    page.wait_for_url("**/gapmap?*rows=themes*")
    assert page.locator("table.gapmap tbody th").first.inner_text() == "Information and awareness"
    page.screenshot(path=str(SHOTS / "02-gapmap-themes.png"), full_page=True)

    page.select_option("#cols", "actor_type")
    page.wait_for_url("**/gapmap?*cols=actor_type*")
    page.click('a[data-cell="housing_shelter:foundation"]')
    page.wait_for_selector("#cell-list >> text=Gamma Foundation reception grants")
    assert "cell=housing_shelter%3Afoundation" in page.url  # the state is kept in the URL (htmx push)
    assert page.locator("td.selected").count() == 1
    page.screenshot(path=str(SHOTS / "03-gapmap-cell.png"), full_page=True)

    # the shared URL restores the same view
    shared = browser.new_page()
    shared.goto(page.url)
    assert shared.locator("#cell-list").inner_text().count("Gamma Foundation reception grants") == 1
    shared.close()

    page.click("#cell-list >> text=Gamma Foundation reception grants")
    page.wait_for_url(f"{base}/initiatives/gamma-foundation-shelter")
    assert page.locator("h1").inner_text() == "Gamma Foundation reception grants"
    page.screenshot(path=str(SHOTS / "04-initiative.png"), full_page=True)

    _login(page, base)
    page.goto(f"{base}/initiatives/gamma-foundation-shelter")
    page.click('a[href="/initiatives/gamma-foundation-shelter/edit"]')
    page.wait_for_url("**/edit")
    page.fill("#name", "Gamma Foundation reception and legal aid grants")
    page.check('input[name="themes"][value="employment"]')
    page.screenshot(path=str(SHOTS / "05-edit.png"), full_page=True)
    page.click("form.edit button[type=submit]")
    page.wait_for_url("**/initiatives/gamma-foundation-shelter*")
    assert page.locator("h1").inner_text() == "Gamma Foundation reception and legal aid grants"
    history = page.locator("#history").inner_text()
    assert "update by ed" in history and "version 2" in history
    page.screenshot(path=str(SHOTS / "06-after-edit-history.png"), full_page=True)

    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "07-initiative-print.png"), full_page=True)
    page.emulate_media(media="screen")
    watch.check()
    context.close()


def test_second_editor_gets_the_conflict(server, browser):
    base = server
    first = browser.new_context(viewport={"width": 1280, "height": 900})
    second = browser.new_context(viewport={"width": 1280, "height": 900})
    a, b = first.new_page(), second.new_page()
    watch = Watch(b, base)
    for page in (a, b):
        _login(page, base)
        page.goto(f"{base}/initiatives/beta-connect/edit")
    a.fill("#name", "Beta Connect (edited by the first editor)")
    a.click("form.edit button[type=submit]")
    a.wait_for_url("**/initiatives/beta-connect*")
    b.fill("#description", "The second editor's description.")
    b.click("form.edit button[type=submit]")
    b.wait_for_selector("#conflict")
    text = b.locator("#conflict").inner_text()
    assert "Someone else changed this record" in text and "Beta Connect (edited by the first editor)" in text
    assert b.locator("#description").input_value() == "The second editor's description."
    b.screenshot(path=str(SHOTS / "08-conflict.png"), full_page=True)
    watch.check(expected_status="409")  # the refused save is a 409 page, as it should be
    first.close()
    second.close()


def test_phone_layout(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    watch = Watch(page, server)
    page.goto(server + "/")
    # nothing wider than the screen except the scrollable gap-map table
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    page.screenshot(path=str(SHOTS / "09-phone-home.png"), full_page=True)
    page.goto(server + "/gapmap?cell=arrival:multinational")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "10-phone-gapmap.png"), full_page=True)
    watch.check()
    context.close()


def test_world_map_and_network_render_live(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page, server)
    for url, shot in (("/countries", "11-countries-world.png"), ("/network", "12-network.png")):
        page.goto(server + url)
        page.wait_for_selector("div.chart svg")
        page.screenshot(path=str(SHOTS / shot), full_page=True)
    watch.errors = [e for e in watch.errors if "Infinite extent" not in e]
    watch.check()
    page.close()


def test_keyboard_reaches_a_cell_and_opens_it(server, browser):
    page = browser.new_page()
    page.goto(server + "/gapmap")
    page.focus('a[data-cell="transit:multinational"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("#cell-list >> text=Beta Connect")
    focused = page.evaluate("document.activeElement && document.activeElement.tagName")
    assert focused == "H2"  # focus moves to the list for screen-reader and keyboard users
    page.close()


def test_api_docs_render_from_vendored_files(server, browser):
    """Swagger UI at /api/docs renders the API's operations with no request leaving the site."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page, server)
    page.goto(server + "/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/initiatives" in p for p in paths) and any("/api/gapmap" in p for p in paths), paths[:10]
    assert page.locator(".info .title").inner_text().startswith("migmap")
    page.screenshot(path=str(SHOTS / "13-api-docs.png"))
    watch.check()
    page.close()
