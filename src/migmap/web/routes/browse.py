"""Pages per actor, per country and per stage, with their JSON twins."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, Optional

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from migmap.domain.countries import country_name, normalise_country, region_of
from migmap.domain.filters import Filters
from migmap.framework import TAG_DIMENSIONS, load_framework
from migmap.services.analysis import compute_gap_map
from migmap.store import lookups

from .. import pages
from ..openapi import errors
from ..views import render

router = APIRouter()
Text = Annotated[Optional[str], Query(max_length=100, description="Part of the actor's name")]
Page = Annotated[int, Query(ge=1, le=100000)]


# ------------------------------------------------------------------ actors
def actors_context(request: Request, text: Optional[str], page: int, per_page: int = 50) -> dict[str, Any]:
    with request.app.state.db.reading() as repo:
        total, rows = lookups.actors(repo, text=text, limit=per_page, offset=(page - 1) * per_page)
    return {"actors": rows, "total": total, "text": text or "", "page": page, "pages": max(1, -(-total // per_page))}


@router.get("/actors", response_class=HTMLResponse, include_in_schema=False)
def actors_page(request: Request, text: Text = None, page: Page = 1) -> Response:
    return render(request, "actors.html", actors_context(request, text, page))


@router.get("/api/actors", tags=["actors"], responses=errors(422, 503), summary="Actors with the number of initiatives they take part in")
def actors_api(
    request: Request, text: Text = None, page: Page = 1, per_page: Annotated[int, Query(ge=1, le=200, description="Actors per page")] = 50
) -> dict[str, Any]:
    ctx = actors_context(request, text, page, per_page)
    return {"total": ctx["total"], "page": page, "actors": ctx["actors"]}


def actor_context(request: Request, name: str) -> dict[str, Any]:
    db = request.app.state.db
    with db.reading() as repo:
        actor = lookups.actor(repo, name)
        if actor is None:
            raise HTTPException(404, f"no actor named {name!r}")
        links = lookups.actor_initiatives(repo, name)
        items = repo.get_many([i for i, _ in links])
    roles = dict(links)
    stages = Counter(s for i in items for s in i.stages)
    partners: Counter[str] = Counter()
    for i in items:
        for a in i.actors:
            if a.name.casefold() != name.casefold():
                partners[a.name] += 1
    fw = load_framework()
    return {
        "actor": actor,
        "items": sorted(items, key=lambda i: i.name.casefold()),
        "roles": roles,
        "stages": [{"code": c, "label": fw.label("stages", c), "count": stages.get(c, 0)} for c in fw["stages"].codes],
        "partners": partners.most_common(30),
    }


# {name:path}: an actor's name may hold a "/" ("Airtel/Tigo Rwanda"), which a plain {name} never matches
@router.get("/actors/{name:path}", response_class=HTMLResponse, include_in_schema=False)
def actor_page(request: Request, name: str) -> Response:
    return render(request, "actor.html", actor_context(request, name))


@router.get("/api/actors/{name:path}", tags=["actors"], responses=errors(404, 422, 503), summary="One actor: its initiatives across the cycle and its partners")
def actor_api(request: Request, name: str) -> dict[str, Any]:
    ctx = actor_context(request, name)
    return {
        "actor": ctx["actor"],
        "stages": ctx["stages"],
        "initiatives": [dict(pages.brief(i), role=ctx["roles"].get(i.id)) for i in ctx["items"]],
        "partners": [{"name": n, "initiatives": k} for n, k in ctx["partners"]],
    }


# ------------------------------------------------------------------ countries
def countries_context(request: Request) -> dict[str, Any]:
    with request.app.state.db.reading() as repo:
        counts = lookups.country_counts(repo)
    rows = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        try:
            name = country_name(code)
        except Exception:  # codes stored are validated; keep the page up regardless
            name = code
        rows.append({"code": code, "name": name, "region": region_of(code) if code else None, "initiatives": n})
    return {"countries": rows}


@router.get("/countries", response_class=HTMLResponse, include_in_schema=False)
def countries_page(request: Request) -> Response:
    return render(request, "countries.html", countries_context(request))


@router.get("/api/countries", tags=["countries"], responses=errors(503), summary="Countries with their number of initiatives")
def countries_api(request: Request) -> dict[str, Any]:
    return countries_context(request)


def country_context(request: Request, code: str) -> dict[str, Any]:
    try:
        code = normalise_country(code)
    except Exception as exc:
        raise HTTPException(404, f"unknown country {code!r}: use an ISO 3166 alpha-3 code such as DEU ({exc})") from None
    db = request.app.state.db
    f = Filters(countries=[code])
    fw = load_framework()
    stage_counts = db.tag_counts("stages", f)
    with db.reading() as repo:
        roles = lookups.country_roles(repo, code)
    return {
        "code": code,
        "name": country_name(code),
        "region": region_of(code),
        "total": db.count(f),
        "stages": [{"code": c, "label": fw.label("stages", c), "count": stage_counts.get(c, 0)} for c in fw["stages"].codes],
        "roles": roles,
        "items": db.list(f, limit=100),
    }


@router.get("/countries/{code}", response_class=HTMLResponse, include_in_schema=False)
def country_page(request: Request, code: str) -> Response:
    return render(request, "country.html", country_context(request, code))


@router.get("/api/countries/{code}", tags=["countries"], responses=errors(404, 422, 503), summary="One country: initiatives by stage and by cycle role")
def country_api(request: Request, code: str) -> dict[str, Any]:
    ctx = country_context(request, code)
    return {k: v for k, v in ctx.items() if k != "items"} | {"initiatives": [pages.brief(i) for i in ctx["items"]]}


# ------------------------------------------------------------------ stages
def stage_context(request: Request, code: str) -> dict[str, Any]:
    fw = load_framework()
    if code not in fw["stages"].codes:
        raise HTTPException(404, f"unknown stage {code!r}; stages are: {', '.join(fw['stages'].codes)}")
    db = request.app.state.db
    f = Filters(stages=[code])
    gm = compute_gap_map(db, rows="stages", cols="actor_type", with_ids=False)
    row = [{"code": c, "label": fw.label("actor_type", c), "count": gm.cell(code, c).count} for c in gm.cols]
    dims = []
    for dim in TAG_DIMENSIONS:
        if dim == "stages":
            continue
        counts = db.tag_counts(dim, f)
        dims.append(
            {
                "dimension": dim,
                "label": fw[dim].label,
                "counts": [{"code": c, "label": fw.label(dim, c), "count": counts.get(c, 0)} for c in fw[dim].codes],
                "gaps": [fw.label(dim, c) for c in fw[dim].codes if not counts.get(c)],
            }
        )
    entry = fw["stages"].get(code)
    return {
        "code": code,
        "label": entry.label,
        "definition": entry.definition,
        "total": db.count(f),
        "row": row,
        "dims": dims,
        "examples": db.list(f, order="updated", limit=12),
    }


@router.get("/stages/{code}", response_class=HTMLResponse, include_in_schema=False)
def stage_page(request: Request, code: str) -> Response:
    return render(request, "stage.html", stage_context(request, code))


@router.get(
    "/api/stages/{code}", tags=["stages"], responses=errors(404, 422, 503), summary="One stage: its gap-map row, counts and gaps per dimension, examples"
)
def stage_api(request: Request, code: str) -> dict[str, Any]:
    ctx = stage_context(request, code)
    return {k: v for k, v in ctx.items() if k != "examples"} | {"examples": [pages.brief(i) for i in ctx["examples"]]}


# ------------------------------------------------------------------ network
def network_context(request: Request) -> dict[str, Any]:
    from migmap.services.analysis import compute_network

    net = compute_network(request.app.state.db)
    top = sorted(net.actors, key=lambda a: (-a.partners, -a.initiatives, a.name))[:50]
    return {"actors": top, "n_actors": len(net.actors), "n_initiatives": net.n_initiatives}


@router.get("/network", response_class=HTMLResponse, include_in_schema=False)
def network_page(request: Request) -> Response:
    return render(request, "network.html", request.app.state.cache.get_or_compute(("network",), lambda: network_context(request)))


@router.get(
    "/api/network", tags=["actors"], responses=errors(503), summary="The actor network: the most connected actors (the chart is /api/charts/network.json)"
)
def network_api(request: Request) -> dict[str, Any]:
    ctx = request.app.state.cache.get_or_compute(("network",), lambda: network_context(request))
    return {"n_actors": ctx["n_actors"], "n_initiatives": ctx["n_initiatives"], "actors": [a.to_dict() for a in ctx["actors"]]}
