"""Errors as readable pages (HTML) or JSON (``/api``): never a bare 500 for bad input."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from migmap.analysis.dimensions import UnknownDimension
from migmap.domain.errors import Conflict, InvalidRecords, InvalidValue, MigmapError, NotFound, StoreUnavailable
from migmap.domain.filters import Filters, InvalidFilters
from migmap.services.accounts import InvalidAccount, LoginRefused, TooManyAttempts

from .views import render, wants_json

log = logging.getLogger("migmap.web")

TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Changed by someone else",
    413: "Too large",
    422: "Cannot use this request",
    429: "Too many attempts",
    503: "Database unavailable",
    500: "Something went wrong",
}


def status_of(exc: MigmapError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Conflict):
        return 409
    if isinstance(exc, (InvalidRecords, InvalidAccount, UnknownDimension, InvalidValue, InvalidFilters)):
        return 422
    if isinstance(exc, LoginRefused):
        return 401
    if isinstance(exc, TooManyAttempts):
        return 429
    if isinstance(exc, StoreUnavailable):
        return 503
    return 400


_SUGGESTION = re.compile(r"did you mean ([A-Z]{3})\b")


def ways_back(request: Request, exc: InvalidFilters) -> list[dict[str, str]]:
    """Links that keep the page and its view: the value the message suggests, or the page without the bad filter."""
    items = request.query_params.multi_items()
    links = []
    for problem in exc.problems:
        field = Filters.field_for(problem.field)
        bad = {k for k, _ in items if k == problem.field or (field is not None and Filters.field_for(k) == field)}
        found = _SUGGESTION.search(problem.message)
        if found:
            fixed = [(k, found.group(1) if k in bad and _named(v, problem.message) else v) for k, v in items]
            links.append({"text": f"Show it for {found.group(1)}", "href": f"{request.url.path}?{urlencode(fixed)}"})
        kept = [(k, v) for k, v in items if k not in bad]
        links.append({"text": f"Show it without {problem.field}", "href": f"{request.url.path}?{urlencode(kept)}" if kept else request.url.path})
    return links


def _named(value: str, message: str) -> bool:
    """Is ``value`` the one the message is about (a filter may carry several)?"""
    return repr(value.strip()) in message


def respond(request: Request, status: int, detail: object, headers: dict[str, str] | None = None, links: list[dict[str, str]] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    message = (
        detail
        if isinstance(detail, str)
        else "; ".join(
            f"{'.'.join(str(p) for p in d.get('loc', ()) if p != 'query')}: {d.get('msg')}" if isinstance(d, dict) else str(d)
            for d in (detail if isinstance(detail, list) else [detail])
        )
    )
    context = {"status": status, "title": TITLES.get(status, "Error"), "message": message, "links": links or []}
    resp = render(request, "error.html", context, status_code=status)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return respond(request, exc.status_code, exc.detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")).removeprefix("Value error, "), "type": e.get("type")} for e in exc.errors()]
        return respond(request, 422, errors)

    @app.exception_handler(MigmapError)
    async def domain_error(request: Request, exc: MigmapError) -> Response:
        status = status_of(exc)
        if isinstance(exc, InvalidRecords) and wants_json(request):
            return JSONResponse({"detail": exc.summary, "problems": [p.to_dict() for p in exc.problems]}, status_code=422)
        if isinstance(exc, Conflict) and wants_json(request):
            current = exc.current_record.record() if exc.current_record is not None else None
            return JSONResponse(
                {"detail": str(exc), "based_on": exc.based_on, "current_version": exc.current, "current": current},
                status_code=409,
            )
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
        links = ways_back(request, exc) if isinstance(exc, InvalidFilters) else None
        return respond(request, status, str(exc), headers, links)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:  # pragma: no cover - a bug
        log.exception("unexpected error on %s", request.url.path)
        return respond(request, 500, "an unexpected error happened; it has been logged")

    _ = HTTPException  # re-exported for route modules
