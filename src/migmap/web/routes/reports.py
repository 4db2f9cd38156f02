"""The report of the current view, as a download: PDF for a donor's desk, HTML to pass on.

``/api/report.pdf?stages=arrival&regions=europe`` is what ``migmap report --format pdf`` writes
for the same filters; the gap map page links to it for the filters it shows.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from migmap.domain.filters import Filters
from migmap.services.analysis import write_report

from ..openapi import errors
from ..params import file_suffix, filter_params

router = APIRouter()

MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def report_filename(filters: Filters, fmt: str) -> str:
    """A file name that says what the report covers, e.g. ``migmap-report-stages-arrival-regions-europe.pdf``."""
    return f"migmap-report{file_suffix(filters) or '-all'}.{fmt}"


@router.get(
    "/api/report.{fmt}",
    tags=["reports"],
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "text/html": {}}, "description": "The report file"}, **errors(422, 503)},
    summary="The report of a slice (PDF or HTML), as a download",
)
def report(request: Request, fmt: Literal["pdf", "html"], filters: Filters = Depends(filter_params)) -> Response:
    db = request.app.state.db

    def build() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            return write_report(db, Path(tmp) / f"report.{fmt}", fmt, filters).read_bytes()

    body = request.app.state.cache.get_or_compute(("report", fmt, filters.model_dump_json()), build)
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{report_filename(filters, fmt)}"'})
