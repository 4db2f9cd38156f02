"""The interactive gap map: any two dimensions, every filter, cells listing their initiatives.

The whole state is in the URL: ``/gapmap?rows=stages&cols=actor_type&regions=africa&cell=arrival:sme``.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from migmap.analysis.gapmap import GapMap
from migmap.domain.filters import TAG_FILTERS, Filters
from migmap.domain.models import Initiative
from migmap.framework import TAG_DIMENSIONS, load_framework
from migmap.services.analysis import compute_gap_map, search_log_for

from .. import pages
from ..openapi import errors
from ..params import file_suffix, filter_params, filter_query
from ..views import render

router = APIRouter()

Rows = Annotated[str, Query(description=f"Dimension of the rows: {', '.join(TAG_DIMENSIONS)}")]
Cols = Annotated[str, Query(description=f"Dimension of the columns: {', '.join(TAG_DIMENSIONS)}")]
CellParam = Annotated[Optional[str], Query(max_length=100, description="A selected cell as ROW:COL, e.g. arrival:sme")]


def _check(rows: str, cols: str) -> None:
    for what, dim in (("rows", rows), ("cols", cols)):
        if dim not in TAG_DIMENSIONS:
            raise HTTPException(422, f"{what}: unknown dimension {dim!r}; choose one of: {', '.join(TAG_DIMENSIONS)}")


def _cell(gm: GapMap, cell: Optional[str]) -> tuple[str, str] | None:
    if not cell:
        return None
    row, sep, col = cell.partition(":")
    if not sep or row not in gm.rows or col not in gm.cols:
        raise HTTPException(422, f"cell: {cell!r} is not ROW:COL with a row code of {gm.rows_dim} and a column code of {gm.cols_dim}")
    return row, col


#: At most this many initiatives are listed beside the map for one cell (the list page has them all).
CELL_LIMIT = 100
#: framework dimension -> the Filters field that filters on it
DIM_FILTER = {dim: field for field, dim in TAG_FILTERS.items()}


def cell_filters(filters: Filters, gm: GapMap, cell: tuple[str, str]) -> Filters | None:
    """The filters of one cell: the view's filters narrowed to the row code and the column code.

    None when the view's own filters exclude the cell (its count is then 0)."""
    update: dict[str, list[str]] = {}
    for dim, code in ((gm.rows_dim, cell[0]), (gm.cols_dim, cell[1])):
        field = DIM_FILTER[dim]
        chosen = update.get(field, getattr(filters, field))
        if chosen and code not in chosen:
            return None
        update[field] = [code] if field not in update else [c for c in update[field] if c == code]
        if not update[field]:
            return None
    return filters.model_copy(update=update)


def _cell_items(request: Request, filters: Filters, gm: GapMap, cell: tuple[str, str] | None) -> list[Initiative]:
    if cell is None:
        return []
    f = cell_filters(filters, gm, cell)
    if f is None:
        return []
    return request.app.state.db.list(f, order="name", limit=CELL_LIMIT)


def search_cells(db: Any, gm: GapMap) -> dict[tuple[str, str], Any]:
    """What the bundled map's search record says of every cell (empty for a database of other records)."""
    log = search_log_for(db)
    return log.cells(gm.rows_dim, gm.rows, gm.cols_dim, gm.cols) if log else {}


def gap_context(request: Request, rows: str, cols: str, filters: Filters, cell: Optional[str], with_ids: bool = False) -> dict[str, Any]:
    _check(rows, cols)
    gm = request.app.state.cache.get_or_compute(
        ("gapmap", rows, cols, filters.model_dump_json(), with_ids),
        lambda: compute_gap_map(request.app.state.db, rows=rows, cols=cols, filters=filters, with_ids=with_ids),
    )
    selected = _cell(gm, cell)
    base = [("rows", rows), ("cols", cols), *filter_query(filters)]
    searches = request.app.state.cache.get_or_compute(("searchcells", rows, cols), lambda: search_cells(request.app.state.db, gm))
    return {
        "gm": gm,
        "searches": searches,
        "rows": rows,
        "cols": cols,
        "filters": filters,
        "selected": selected,
        "cell_items": _cell_items(request, filters, gm, selected),
        "cell_count": gm.cell(*selected).count if selected else 0,
        "cell_query": filter_query(cell_filters(filters, gm, selected) or filters) if selected else [],
        "shade": pages.shades(gm),
        "base_pairs": base,
        "fw": load_framework(),
    }


@router.get("/gapmap", response_class=HTMLResponse, include_in_schema=False)
def gapmap_page(
    request: Request,
    rows: Rows = "stages",
    cols: Cols = "actor_type",
    cell: CellParam = None,
    filters: Filters = Depends(filter_params),
) -> Response:
    ctx = gap_context(request, rows, cols, filters, cell)
    return render(request, "gapmap.html", ctx)


@router.get("/gapmap/cell", response_class=HTMLResponse, include_in_schema=False)
def gapmap_cell_partial(
    request: Request,
    rows: Rows = "stages",
    cols: Cols = "actor_type",
    cell: CellParam = None,
    filters: Filters = Depends(filter_params),
) -> Response:
    """The list of a cell's initiatives (an htmx partial placed beside the map)."""
    ctx = gap_context(request, rows, cols, filters, cell)
    return render(request, "_cell.html", ctx)


@router.get("/api/gapmap", tags=["gap map"], responses=errors(422, 503), summary="Gap map of two dimensions within the filters")
def gapmap_api(
    request: Request,
    rows: Rows = "stages",
    cols: Cols = "actor_type",
    cell: CellParam = None,
    with_ids: Annotated[bool, Query(description="Also give the ids of each cell's initiatives")] = False,
    filters: Filters = Depends(filter_params),
) -> dict[str, Any]:
    """Counts for every (row code, column code) pair (with ``with_ids=true``, the ids in each cell).

    With ``cell=ROW:COL`` the response also lists that cell's initiatives (at most 100)."""
    ctx = gap_context(request, rows, cols, filters, cell, with_ids=with_ids)
    out = ctx["gm"].to_dict(with_ids=with_ids)
    out["filter_values"] = filters.model_dump(exclude_defaults=True)
    if ctx["selected"]:
        out["selected"] = {"row": ctx["selected"][0], "col": ctx["selected"][1], "initiatives": [pages.brief(i) for i in ctx["cell_items"]]}
    return out


@router.get(
    "/api/gapmap.csv",
    tags=["gap map"],
    summary="Gap map as CSV (one line per cell)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **errors(422, 503)},
)
def gapmap_csv(
    request: Request,
    rows: Rows = "stages",
    cols: Cols = "actor_type",
    filters: Filters = Depends(filter_params),
) -> Response:
    ctx = gap_context(request, rows, cols, filters, None, with_ids=True)
    gm: GapMap = ctx["gm"]
    fw = load_framework()
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([rows, f"{rows}_label", cols, f"{cols}_label", "count", "row_share", "initiative_ids"])
    for c in gm.cells_in_scope:
        w.writerow([c.row, fw.label(rows, c.row), c.col, fw.label(cols, c.col), c.count, f"{c.row_share:.4f}", ";".join(c.ids)])
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="gapmap-{rows}-{cols}{file_suffix(filters)}.csv"'},
    )
