"""Initiatives: searchable, filtered list with paging; detail page with tags, actors, history, similar.

Filtered views export as CSV and JSON: ``/api/initiatives.csv?stages=arrival``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from migmap.domain.filters import Filters
from migmap.domain.models import Initiative, Revision
from migmap.io.writers import csv_chunks, json_chunks

from .. import pages
from ..auth import CurrentUser, current_user
from ..openapi import errors
from ..params import file_suffix, filter_params, filter_query
from ..views import render

router = APIRouter()

PER_PAGE = 25
Page = Annotated[int, Query(ge=1, le=100000, description="Page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=200, description="Initiatives per page")]
Order = Annotated[Literal["name", "updated", "start_year", "verified"], Query(description="Sort order")]


def broader_searches(db: Any, filters: Filters) -> list[dict[str, Any]]:
    """When no initiative has every word searched for, the searches with one word fewer that find some.

    ``reintegration returnees Senegal`` finds nothing; ``returnees Senegal`` finds two: say so,
    instead of a dead end."""
    words = (filters.text or "").split()
    out = []
    for i, word in enumerate(words if len(words) > 1 else []):
        rest = " ".join(words[:i] + words[i + 1 :])
        n = db.count(filters.model_copy(update={"text": rest}))
        if n:
            out.append({"without": word, "text": rest, "count": n})
    return sorted(out, key=lambda x: -x["count"])


def list_context(request: Request, filters: Filters, page: int, per_page: int, order: str) -> dict[str, Any]:
    db = request.app.state.db
    # the total of a filtered view is cached like the gap map (60 s, cleared by writes); the rows are not
    cache = request.app.state.cache
    total = cache.get_or_compute(("count", filters.model_dump_json()), lambda: db.count(filters))
    everything = cache.get_or_compute(("count", Filters().model_dump_json()), lambda: db.count(Filters()))
    items = db.list(filters, order=order, limit=per_page, offset=(page - 1) * per_page, share=total / everything if everything else None)
    pages_n = max(1, -(-total // per_page))
    return {
        "broader": broader_searches(db, filters) if filters.text and not total else [],
        "items": items,
        "total": total,
        "page": page,
        "per_page": per_page,
        "pages": pages_n,
        "order": order,
        "filters": filters,
        "base_pairs": [*filter_query(filters), ("order", order)],
    }


@router.get("/initiatives", response_class=HTMLResponse, include_in_schema=False)
def list_page(
    request: Request,
    page: Page = 1,
    per_page: PerPage = PER_PAGE,
    order: Order = "name",
    filters: Filters = Depends(filter_params),
) -> Response:
    return render(request, "initiatives.html", list_context(request, filters, page, per_page, order))


@router.get("/api/initiatives", tags=["initiatives"], responses=errors(422, 503), summary="Filtered, paged list of initiatives")
def list_api(
    request: Request,
    page: Page = 1,
    per_page: PerPage = PER_PAGE,
    order: Order = "name",
    filters: Filters = Depends(filter_params),
) -> dict[str, Any]:
    ctx = list_context(request, filters, page, per_page, order)
    return {
        "total": ctx["total"],
        "page": page,
        "per_page": per_page,
        "pages": ctx["pages"],
        "filters": filters.model_dump(exclude_defaults=True),
        "initiatives": [i.record() for i in ctx["items"]],
    }


@router.get(
    "/api/initiatives.csv",
    tags=["initiatives"],
    summary="Export the filtered initiatives as CSV",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}, **errors(422, 503)},
)
def export_csv(request: Request, filters: Filters = Depends(filter_params)) -> Response:
    items = request.app.state.db.iterate(filters)
    return StreamingResponse(
        csv_chunks(items),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="initiatives{file_suffix(filters)}.csv"'},
    )


@router.get(
    "/api/initiatives.json",
    tags=["initiatives"],
    summary="Export the filtered initiatives as JSON",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}}}, **errors(422, 503)},
)
def export_json(request: Request, filters: Filters = Depends(filter_params)) -> Response:
    items = request.app.state.db.iterate(filters)
    return StreamingResponse(
        json_chunks(items, filters.model_dump(exclude_defaults=True)),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="initiatives{file_suffix(filters)}.json"'},
    )


def visible(request: Request, initiative_id: str) -> Initiative:
    """The initiative if this user may read it (proposed and rejected ones need an account)."""
    item = request.app.state.db.get(initiative_id)
    user: CurrentUser = current_user(request)
    if item is None or (item.curation_state != "published" and not user.can_review):
        raise HTTPException(404, f"no initiative with id {initiative_id!r}")
    return item


def detail_context(request: Request, initiative_id: str) -> dict[str, Any]:
    item = visible(request, initiative_id)
    db = request.app.state.db
    return {
        "item": item,
        "tags": pages.tag_table(item),
        "revisions": list(reversed(db.revisions(item.id))),
        "similar": pages.similar(db, item),
        "stale": item.last_verified is None or item.last_verified < pages.stale_before(request.app.state.settings.stale_after_days),
    }


@router.get("/initiatives/{initiative_id}", response_class=HTMLResponse, include_in_schema=False)
def detail_page(request: Request, initiative_id: str) -> Response:
    return render(request, "initiative.html", detail_context(request, initiative_id))


@router.get(
    "/api/initiatives/{initiative_id}",
    tags=["initiatives"],
    responses=errors(401, 404, 422, 503),
    summary="One initiative with tags, origins, revisions and similar ones",
)
def detail_api(request: Request, initiative_id: str) -> dict[str, Any]:
    ctx = detail_context(request, initiative_id)
    item: Initiative = ctx["item"]
    return {
        "initiative": item.record(),
        "tags": ctx["tags"],
        "stale": ctx["stale"],
        "revisions": [r.model_dump(mode="json") for r in ctx["revisions"]],
        "similar": [dict(pages.brief(i), score=s) for i, s in ctx["similar"]],
    }


@router.get(
    "/api/initiatives/{initiative_id}/revisions",
    tags=["initiatives"],
    response_model=list[Revision],
    responses=errors(401, 404, 422, 503),
    summary="Revision history, oldest first",
)
def revisions_api(request: Request, initiative_id: str) -> list[Revision]:
    visible(request, initiative_id)
    return request.app.state.db.revisions(initiative_id)
