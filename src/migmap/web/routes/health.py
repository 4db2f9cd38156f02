"""Health and readiness, for load balancers and orchestrators.

``/healthz`` says the process answers; ``/readyz`` says it can serve: the database
answers and its schema is at the revision this migmap expects (run `migmap db upgrade`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from migmap.domain.errors import MigmapError
from migmap.store import head_revision

from ..openapi import Error

router = APIRouter()


@router.get("/healthz", tags=["meta"], summary="Liveness: the process answers")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    tags=["meta"],
    summary="Readiness: the database answers and its schema is current",
    responses={503: {"model": Error, "description": "Not ready: the database does not answer or its schema is not current"}},
)
def readyz(request: Request) -> JSONResponse:
    db = request.app.state.db
    expected = head_revision()
    body: dict[str, Any] = {"status": "ok", "schema": None, "expected_schema": expected}
    try:
        body["schema"] = db.schema_revision()
        body["initiatives"] = db.count()
    except MigmapError as exc:
        return JSONResponse({**body, "status": "unavailable", "detail": str(exc)}, status_code=503)
    if body["schema"] != expected:
        body.update(status="unavailable", detail=f"schema is at {body['schema']}, expected {expected}: run `migmap db upgrade`")
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)
