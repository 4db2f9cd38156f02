"""Charts of the analysis as Vega-Lite specifications (embedded live with vega-embed) and as PNG / SVG.

The same specification drives the live chart, the downloads and the static fallback:
``/api/charts/gapmap.json?rows=stages&cols=actor_type``, ``/api/charts/gapmap.png``, ``.svg``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from migmap.domain.filters import Filters
from migmap.framework import TAG_DIMENSIONS

from ..openapi import errors
from ..params import file_suffix, filter_params
from .gapmap import _check

router = APIRouter()

ChartName = Literal["gapmap", "bias", "world", "network"]
Format = Literal["json", "png", "svg"]
BREAKDOWNS = ("stages", "actor_type", "sector", "public_partners", "start_year")


def build_chart(request: Request, name: str, filters: Filters, rows: str, cols: str, breakdown: str) -> Any:
    """The Altair chart of ``name`` for the filtered slice (imports the chart stack lazily)."""
    from migmap.services import analysis

    db = request.app.state.db
    if name == "gapmap":
        from migmap.charts.gapmap import heatmap

        _check(rows, cols)
        return heatmap(analysis.compute_gap_map(db, rows, cols, filters, with_ids=False))
    if name == "bias":
        from migmap.charts.bias import funder_share

        return funder_share(analysis.compute_bias(db, filters), breakdown)
    if name == "world":
        from migmap.charts.geo import choropleth

        return choropleth(analysis.compute_geography(db, filters))
    from migmap.charts.network import network_picture

    return network_picture(analysis.compute_network(db, filters), max_actors=80)


@router.get(
    "/api/charts/{name}.{fmt}",
    tags=["charts"],
    summary="A chart as a Vega-Lite spec (json), PNG or SVG: gapmap, bias (funder share), world (choropleth), network",
    responses={200: {"content": {"application/json": {}, "image/png": {}, "image/svg+xml": {}}}, **errors(422, 503)},
)
async def chart(
    request: Request,
    name: ChartName,
    fmt: Format,
    rows: Annotated[str, Query(description=f"gapmap rows: {', '.join(TAG_DIMENSIONS)}")] = "stages",
    cols: Annotated[str, Query(description="gapmap columns")] = "actor_type",
    breakdown: Annotated[Literal[BREAKDOWNS], Query(description="bias: the groups of the funder share")] = "stages",  # type: ignore[valid-type]
    filters: Filters = Depends(filter_params),
) -> Response:
    from migmap.charts import render

    key = ("chart", name, filters.model_dump_json(), rows, cols, breakdown)
    chart_obj = await run_in_threadpool(
        request.app.state.cache.get_or_compute,
        key,
        lambda: render.spec(build_chart(request, name, filters, rows, cols, breakdown)),
    )

    stem = (f"{name}-{rows}-{cols}" if name == "gapmap" else name) + file_suffix(filters)
    if fmt == "json":
        return JSONResponse(render.spec(chart_obj))
    if fmt == "png":
        png = await run_in_threadpool(render.to_png, chart_obj)
        return Response(png, media_type="image/png", headers={"Content-Disposition": f'inline; filename="{stem}.png"'})
    svg = await run_in_threadpool(render.to_svg, chart_obj)
    return Response(svg, media_type="image/svg+xml", headers={"Content-Disposition": f'inline; filename="{stem}.svg"'})
