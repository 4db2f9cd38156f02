"""Home page: what the map is, the five stages, headline figures, the gap map, recent and stale records."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from .. import pages
from ..openapi import errors
from ..views import render

router = APIRouter()


def _ctx(request: Request) -> dict[str, Any]:
    cache = request.app.state.cache
    return cache.get_or_compute(("home",), lambda: pages.home(request.app.state.db, request.app.state.settings.stale_after_days, cache))


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home_page(request: Request) -> Response:
    return render(request, "home.html", _ctx(request))


@router.get("/api/home", tags=["pages"], responses=errors(503), summary="Home page data: stages, headline figures, gap map, recent and stale records")
def home_api(request: Request) -> dict[str, Any]:
    ctx = _ctx(request)
    return {
        "intro": ctx["intro"],
        "stages": ctx["stages"],
        "figures": ctx["figures"],
        "gapmap": ctx["gapmap"].to_dict(with_ids=False),
        "recent": [pages.brief(i) for i in ctx["recent"]],
        "stale": [pages.brief(i) for i in ctx["stale"]],
        "stale_after_days": ctx["stale_after_days"],
    }
