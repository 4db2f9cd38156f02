"""Pages and their JSON twins over the hand-checked sample (6 initiatives; stages: pre_departure 2,
transit 1, arrival 2, long_term 3, return_reintegration 1)."""

from __future__ import annotations

import csv
import io
import json
import re

from fastapi.testclient import TestClient

from migmap.config import Settings
from migmap.framework import TAG_DIMENSIONS
from migmap.services.analysis import compute_gap_map
from migmap.web import create_app

from .conftest import all_routes


def test_home_shows_stages_figures_gap_map_recent_and_stale(client):
    data = client.get("/api/home").json()
    assert data["figures"]["initiatives"] == 6
    assert {s["code"]: s["count"] for s in data["stages"]} == {
        "pre_departure": 2,
        "transit": 1,
        "arrival": 2,
        "long_term": 3,
        "return_reintegration": 1,
    }
    assert data["gapmap"]["total"] == 6 and data["gapmap"]["rows_dim"] == "stages"
    assert len(data["recent"]) == 6
    # stale: never verified, or verified more than 730 days ago
    stale_ids = {i["id"] for i in data["stale"]}
    assert data["figures"]["stale"] == len(stale_ids) >= 1
    for i in data["stale"]:
        assert i["last_verified"] is None or i["last_verified"] < "2025"
    page = client.get("/")
    assert page.status_code == 200
    assert "The five stages of the migration cycle" in page.text
    assert '<table class="gapmap"' in page.text and "Return and reintegration" in page.text


def test_gap_map_api_counts_and_cell_listing(client):
    data = client.get("/api/gapmap", params={"rows": "stages", "cols": "actor_type", "cell": "arrival:multinational", "with_ids": "1"}).json()
    cells = {(c["row"], c["col"]): c for c in data["cells"]}
    assert cells[("arrival", "multinational")]["ids"] == ["delta-reception-contract"]
    assert data["row_totals"]["long_term"] == 3
    assert [i["id"] for i in data["selected"]["initiatives"]] == ["delta-reception-contract"]


def test_gap_map_axes_and_filters_are_in_the_url(client):
    r = client.get("/gapmap", params={"rows": "themes", "cols": "stages", "stages": "arrival", "cell": "housing_shelter:arrival"})
    assert r.status_code == 200
    assert 'id="rows"' in r.text and '<option value="themes" selected>' in r.text
    assert "Gamma Foundation reception grants" in r.text  # the selected cell's list, server-rendered
    # every cell link carries the whole state (axes, filters, cell) and an htmx partial URL
    assert 'hx-get="/gapmap/cell?rows=themes&amp;cols=stages&amp;stages=arrival&amp;cell=' in r.text


def test_gap_map_cell_partial_is_a_fragment(client):
    r = client.get("/gapmap/cell", params={"cell": "long_term:sme"})
    assert r.status_code == 200
    assert "<html" not in r.text and "Alpha fair recruitment pilot" in r.text


def test_gap_map_csv_download(client):
    r = client.get("/api/gapmap.csv", params={"rows": "stages", "cols": "contributions"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 5 * 4
    funding = {x["stages"]: int(x["count"]) for x in rows if x["contributions"] == "funding"}
    assert funding["arrival"] == 1


def test_every_dimension_can_be_an_axis(client):
    for dim in TAG_DIMENSIONS:
        r = client.get("/api/gapmap", params={"rows": dim, "cols": "stages"})
        assert r.status_code == 200, (dim, r.text)
        assert r.json()["total"] == 6


def test_initiatives_list_filters_search_and_pages(client):
    data = client.get("/api/initiatives", params={"stages": "arrival,transit", "per_page": 2}).json()
    assert data["total"] == 3 and data["pages"] == 2 and len(data["initiatives"]) == 2
    page2 = client.get("/api/initiatives", params={"stages": "arrival,transit", "per_page": 2, "page": 2}).json()
    assert len(page2["initiatives"]) == 1
    assert client.get("/api/initiatives", params={"text": "SIM cards"}).json()["total"] == 1
    assert client.get("/api/initiatives", params={"countries": "GRC"}).json()["initiatives"][0]["id"] == "gamma-foundation-shelter"
    html = client.get("/initiatives", params={"stages": "arrival", "per_page": 1})
    assert "Page 1 of 2" in html.text and 'rel="next"' in html.text


def test_filtered_exports_csv_and_json(client):
    r = client.get("/api/initiatives.csv", params={"stages": "long_term"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 3 and all("long_term" in row["stages"] for row in rows)
    j = json.loads(client.get("/api/initiatives.json", params={"stages": "long_term"}).text)
    assert len(j["initiatives"]) == 3 and j["filters"] == {"stages": ["long_term"]}


def test_detail_page_has_every_part(client):
    r = client.get("/initiatives/alpha-fair-recruitment")
    assert r.status_code == 200
    for text in (
        "Alpha fair recruitment pilot",
        "Stage of the migration cycle",
        "Pre-departure",
        "International Labour Office",
        "Nepal",
        'href="https://example.org/alpha"',
        "History",
        "Similar initiatives",
    ):
        assert text in r.text, text
    data = client.get("/api/initiatives/alpha-fair-recruitment").json()
    assert data["initiative"]["id"] == "alpha-fair-recruitment"
    tags = {t["dimension"]: t for t in data["tags"]}
    assert tags["stages"]["codes"][0] == {"code": "pre_departure", "label": "Pre-departure"}
    assert tags["stages"]["origin"] in ("import", "human", "tagger")
    assert data["revisions"][0]["action"] == "create"
    assert data["similar"] and all(s["id"] != "alpha-fair-recruitment" for s in data["similar"])


def test_actor_country_and_stage_pages(client):
    a = client.get("/api/actors/Beta Telecom").json()
    assert [i["id"] for i in a["initiatives"]] == ["beta-connect"]
    assert {"name": "City of Example", "initiatives": 1} in a["partners"]
    assert client.get("/actors/beta telecom").status_code == 200
    c = client.get("/api/countries/NPL").json()
    assert c["total"] == 1 and c["roles"] == {"origin": 1}
    assert client.get("/countries/npl").status_code == 200
    s = client.get("/api/stages/arrival").json()
    assert s["total"] == 2
    assert {x["code"]: x["count"] for x in s["row"]}["multinational"] == 1
    assert client.get("/stages/transit").status_code == 200
    assert client.get("/api/actors").json()["total"] == 11  # 6 leads + 5 partners in the sample
    assert client.get("/api/countries").json()["countries"]


def test_openapi_lists_every_api_route(client, app):
    schema = client.get("/api/openapi.json").json()
    api_paths = {r.path for r in all_routes(app) if getattr(r, "path", "").startswith("/api/") and r.path not in ("/api/openapi.json", "/api/docs")}
    api_paths = {re.sub(r"\{(\w+):\w+\}", r"{\1}", p) for p in api_paths}  # OpenAPI drops converters: {name:path} is {name}
    assert len(api_paths) >= 18
    assert api_paths <= set(schema["paths"]), api_paths - set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/initiatives"]["get"]["parameters"]}
    assert {"stages", "countries", "regions", "year", "text", "page"} <= params


def test_pages_are_light(client):
    """Page weight (HTML only; CSS and JS are cached): keep pages small for slow connections."""
    for url in ("/", "/gapmap", "/initiatives", "/initiatives/alpha-fair-recruitment"):
        assert len(client.get(url).content) < 60_000, url


def test_charts_as_spec_png_and_svg(client):
    spec = client.get("/api/charts/gapmap.json", params={"rows": "stages", "cols": "contributions"}).json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    labels = {v["row"] for v in spec["data"]["values"]} if "data" in spec and "values" in spec["data"] else set()
    assert not labels or "Arrival" in labels
    png = client.get("/api/charts/gapmap.png")
    assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
    svg = client.get("/api/charts/bias.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    for name in ("bias", "world", "network"):
        assert client.get(f"/api/charts/{name}.json").status_code == 200, name
    assert client.get("/api/charts/nothing.json").status_code == 422
    assert client.get("/api/charts/gapmap.json", params={"rows": "nope"}).status_code == 422


def test_home_shows_the_funder_bias_finding_and_live_chart(client):
    html = client.get("/").text
    assert "involve business only as a funder" in html
    assert 'data-spec-url="/api/charts/bias.json"' in html and "/static/vendor/vega-embed.min.js" in html
    net = client.get("/api/network").json()
    assert net["n_actors"] == 11 and net["n_initiatives"] == 6
    assert client.get("/network").status_code == 200


def test_cell_list_respects_the_view_filters(client):
    # arrival x multinational is Delta (CHE-led, AUT/...); restricting to Greece empties the cell
    html = client.get("/gapmap/cell", params={"cell": "arrival:multinational", "countries": "GRC"}).text
    assert "Delta reception centre contract" not in html
    data = client.get("/api/gapmap", params={"cell": "arrival:foundation", "stages": "arrival"}).json()
    assert [i["id"] for i in data["selected"]["initiatives"]] == ["gamma-foundation-shelter"]
    assert "ids" not in data["cells"][0]
    assert client.get("/api/gapmap", params={"with_ids": "true"}).json()["cells"][0]["ids"] == []
    html = client.get("/gapmap/cell", params={"cell": "arrival:foundation"}).text
    assert 'href="/initiatives?stages=arrival&amp;actor_types=foundation"' in html


def test_api_and_assets_are_compressed_but_html_is_not(client):
    r = client.get("/static/vendor/vega.min.js", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"
    assert client.get("/api/framework", headers={"Accept-Encoding": "gzip"}).headers.get("content-encoding") == "gzip"
    assert "content-encoding" not in client.get("/", headers={"Accept-Encoding": "gzip"}).headers


def test_every_write_clears_the_analysis_cache_whoever_makes_it(app, editor):
    from .conftest import csrf_of

    first = editor.get("/api/network").json()["n_initiatives"]
    assert editor.get("/api/network").json()["n_initiatives"] == first  # served from the cache
    # a write from outside the app (the command line, another worker) is seen on the next request
    app.state.db.add(__import__("tests.conftest", fromlist=["record"]).record(name="Network newcomer", lead_actor="New Co"))
    assert editor.get("/api/network").json()["n_initiatives"] == first + 1
    token = csrf_of(editor.get("/").text)
    new = __import__("tests.conftest", fromlist=["record"]).record(id="second-newcomer", name="Second newcomer", lead_actor="Other Co")
    r = editor.post("/api/initiatives", json=new, headers={"X-CSRF-Token": token})
    assert r.status_code == 201
    assert editor.get("/api/network").json()["n_initiatives"] == first + 2


def test_gap_map_marks_searched_and_never_searched_cells(tmp_path):
    """On the bundled map, empty and thin cells say at a glance whether they were ever searched."""
    from migmap.analysis.searches import load_search_log
    from migmap.services import Database

    db = Database(f"sqlite:///{tmp_path / 'bundled.db'}")
    db.init()
    app = create_app(Settings(database_url=db.url, secret_key="s"), database=db)
    with TestClient(app) as c:
        html = c.get("/gapmap", params={"rows": "stages", "cols": "sector"}).text
    log = load_search_log()
    gm = compute_gap_map(db, "stages", "sector")
    thin = [(r, col) for r in gm.rows for col in gm.cols if gm.cell(r, col).count <= 2]
    never = sum(1 for r, col in thin if not log.for_cell("stages", r, "sector", col).searched)
    assert thin and 0 < never < len(thin)
    assert html.count('class="search-mark unsearched" title=') == never
    assert html.count('class="search-mark searched" title=') == len(thin) - never
    assert 'title="never searched"' in html and "a gap of curation" in html


def test_api_refuses_parameters_it_does_not_know(client):
    """?limit=2 used to return everything with "filters": {} (numbers that look filtered but are not)."""
    r = client.get("/api/initiatives", params={"limit": "2"})
    assert r.status_code == 422 and "'limit'" in r.json()["detail"] and "page" in r.json()["detail"]
    r = client.get("/api/gapmap", params={"rows": "stages", "colums": "sector"})
    assert r.status_code == 422 and "'colums'" in r.json()["detail"] and "cols" in r.json()["detail"]
    # every name a filter answers to is known, and pages stay lenient (links with tracking tags still open)
    assert client.get("/api/initiatives", params={"stage": "arrival"}).json()["filters"] == {"stages": ["arrival"]}
    assert client.get("/gapmap", params={"utm_source": "newsletter"}).status_code == 200


def test_gap_map_filtered_on_its_rows_shows_no_false_gaps(client):
    """Filtering on the rows' dimension keeps only the asked rows: the other stages are not '0 = a gap'."""
    r = client.get("/gapmap", params={"rows": "stages", "cols": "actor_type", "stages": "return_reintegration"})
    assert r.status_code == 200
    table = r.text.split('id="gaptable"', 1)[1].split("</table>", 1)[0]
    heads = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert heads == ["Return and reintegration", "Total"], heads
    assert re.search(r"of 7 cells", table)
    download = client.get("/api/gapmap.csv", params={"rows": "stages", "cols": "actor_type", "stages": "return_reintegration"})
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert {x["stages"] for x in rows} == {"return_reintegration"} and len(rows) == 7


def test_a_misspelt_place_keeps_the_view_with_ways_back(client):
    """A filter value the map cannot read gives a 422 page that says why and links back to the same view."""
    r = client.get("/gapmap", params={"rows": "stages", "cols": "sector", "country": "Germania", "stage": "arrival"})
    assert r.status_code == 422
    assert "did you mean DEU, Germany?" in r.text
    links = {text: href.replace("&amp;", "&") for href, text in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', r.text)}
    assert links["Show it for DEU"] == "/gapmap?rows=stages&cols=sector&country=DEU&stage=arrival"
    assert links["Show it without country"] == "/gapmap?rows=stages&cols=sector&stage=arrival"
    fixed = client.get(links["Show it for DEU"])
    assert fixed.status_code == 200 and 'id="gaptable"' in fixed.text
    api = client.get("/api/initiatives", params={"country": "Germania"})
    assert api.status_code == 422 and "did you mean DEU, Germany?" in api.json()["detail"]


def test_a_search_with_no_match_offers_the_searches_with_one_word_fewer(client):
    both = client.get("/initiatives", params={"text": "recruitment reception"})
    assert both.status_code == 200
    assert "No initiative has every word of “recruitment reception”" in both.text
    offers = re.findall(r'<a href="(/initiatives\?[^"]+)">“([^”]+)” \((\d+)\)</a>', both.text)
    assert {text for _, text, _ in offers} == {"recruitment", "reception"}
    for href, text, n in offers:
        page = client.get(href.replace("&amp;", "&"))
        assert f"{n} initiative" in page.text, text
    one = client.get("/initiatives", params={"text": "recruitment"})
    assert "No initiative has every word" not in one.text


def test_the_report_of_the_view_downloads_from_the_gap_map(client):
    page = client.get("/gapmap", params={"rows": "themes", "cols": "stages", "stages": "arrival"})
    link = re.search(r'href="(/api/report\.pdf\?[^"]*)"', page.text).group(1).replace("&amp;", "&")
    assert link == "/api/report.pdf?stages=arrival"
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="migmap-report-stages-arrival.pdf"' in pdf.headers["content-disposition"]
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Gamma Foundation reception grants" in text and "stages=arrival" in text
    html = client.get("/api/report.html", params={"stages": "arrival"})
    assert html.status_code == 200 and "<html" in html.text and "Gamma Foundation reception grants" in html.text
    assert client.get("/api/report.pdf", params={"stage": "nowhere"}).status_code == 422


def test_download_names_say_which_filters_made_them(client):
    for path, query, name in (
        ("/api/gapmap.csv", {"stages": "arrival", "regions": "Europe"}, "gapmap-stages-actor_type-stages-arrival-regions-europe.csv"),
        ("/api/initiatives.csv", {"stages": "arrival"}, "initiatives-stages-arrival.csv"),
        ("/api/initiatives.json", {"stage": "arrival", "text": "grants"}, "initiatives-stages-arrival-text-grants.json"),
        ("/api/charts/gapmap.svg", {"stages": "arrival"}, "gapmap-stages-actor_type-stages-arrival.svg"),
        ("/api/initiatives.csv", {}, "initiatives.csv"),
    ):
        r = client.get(path, params=query)
        assert r.status_code == 200, (path, r.text[:200])
        assert r.headers["content-disposition"].endswith(f'filename="{name}"'), r.headers["content-disposition"]
