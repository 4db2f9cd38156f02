"""Curation: create and edit initiatives in forms, refuse stale edits, revert, and the review queue.

Forms need an editor and the session's CSRF token; the API twins need an editor by API token
or session (+ ``X-CSRF-Token``). A stale edit is refused: 409 in the API, the form again with
the other person's change shown in the browser.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from migmap.domain.errors import Conflict, InvalidRecords
from migmap.domain.filters import Filters
from migmap.domain.models import Initiative, InitiativeCreate, InitiativeUpdate

from ..auth import CurrentUser, api_writer, check_csrf, current_user, require_editor, require_viewer
from ..editing import field_errors, form_values, parse_form, revert
from ..openapi import BODY, WRITE, ConflictError, errors
from ..params import whole_number
from ..views import render

router = APIRouter()


def _login_redirect(request: Request) -> Response | None:
    """Anonymous visitors of a form page are sent to the login page (and back afterwards)."""
    if current_user(request).anonymous:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    require_editor(request)
    return None


def _form(
    request: Request,
    item: Initiative | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
    conflict: dict[str, Any] | None = None,
    version: int | None = None,
) -> Response:
    return render(
        request,
        "edit.html",
        {
            "item": item,
            "values": values,
            "errors": errors,
            "conflict": conflict,
            "version": version if version is not None else (item.version if item else None),
        },
        status_code=status,
    )


# ------------------------------------------------------------------ new
@router.get("/initiatives/new", response_class=HTMLResponse, include_in_schema=False)
def new_form(request: Request) -> Response:
    return _login_redirect(request) or _form(request, None, form_values(None), {})


@router.post("/initiatives/new", response_class=HTMLResponse, include_in_schema=False)
async def new_submit(request: Request) -> Response:
    user = require_editor(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    db = request.app.state.db
    try:
        raw = parse_form(form)
        item = await run_in_threadpool(db.add, raw, user.name, "human", "published")
    except InvalidRecords as exc:
        return _form(request, None, form_values(None, form), field_errors(exc.problems), status=422)
    return RedirectResponse(f"/initiatives/{item.id}", status_code=303)


# ------------------------------------------------------------------ edit
def _their_change(request: Request, initiative_id: str, based_on: int) -> dict[str, Any]:
    revs = [r for r in request.app.state.db.revisions(initiative_id) if r.version > based_on and r.action in ("update", "revert")]
    return {"based_on": based_on, "revisions": revs}


@router.get("/initiatives/{initiative_id}/edit", response_class=HTMLResponse, include_in_schema=False)
def edit_form(request: Request, initiative_id: str) -> Response:
    redirect = _login_redirect(request)
    if redirect:
        return redirect
    item = request.app.state.db.require(initiative_id)
    return _form(request, item, form_values(item), {})


@router.post("/initiatives/{initiative_id}/edit", response_class=HTMLResponse, include_in_schema=False)
async def edit_submit(request: Request, initiative_id: str) -> Response:
    user = require_editor(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    db = request.app.state.db
    item = await run_in_threadpool(db.require, initiative_id)
    based_on = whole_number(form.get("version") or "")
    if based_on is None:
        raise HTTPException(422, "version: the form is missing the version it was based on; reload the edit page")
    try:
        raw = parse_form(form)
        raw["version"] = based_on
        state = str(form.get("curation_state") or "")
        if state in ("published", "proposed", "rejected"):
            raw["curation_state"] = state
        await run_in_threadpool(lambda: db.update(initiative_id, raw, user=user.name))
    except InvalidRecords as exc:
        return _form(request, item, form_values(item, form), field_errors(exc.problems), status=422, version=based_on)
    except Conflict as exc:
        conflict = await run_in_threadpool(_their_change, request, initiative_id, based_on)
        conflict["current"] = exc.current
        return _form(request, item, form_values(item, form), {}, status=409, conflict=conflict, version=exc.current)
    return RedirectResponse(f"/initiatives/{initiative_id}#history", status_code=303)


@router.post("/initiatives/{initiative_id}/revert", response_class=HTMLResponse, include_in_schema=False)
async def revert_submit(request: Request, initiative_id: str) -> Response:
    user = require_editor(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    try:
        revision_id, version = int(str(form.get("revision"))), int(str(form.get("version")))
    except ValueError:
        raise HTTPException(422, "revision and version must be numbers; reload the page") from None
    await run_in_threadpool(revert, request.app.state.db, initiative_id, revision_id, version, user.name)
    return RedirectResponse(f"/initiatives/{initiative_id}#history", status_code=303)


# ------------------------------------------------------------------ review queue
def review_context(request: Request) -> dict[str, Any]:
    db = request.app.state.db
    items = db.list(Filters(curation_state=["proposed"]), order="updated", limit=200)
    return {"items": items, "total": db.count(Filters(curation_state=["proposed"]))}


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(request: Request) -> Response:
    if current_user(request).anonymous:
        return RedirectResponse("/login?next=/review", status_code=303)
    require_viewer(request)
    return render(request, "review.html", review_context(request))


def _decide(request: Request, initiative_id: str, action: str, version: int, user: CurrentUser) -> Initiative:
    db = request.app.state.db
    item = db.require(initiative_id)
    if item.curation_state != "proposed":
        raise HTTPException(409, f"{initiative_id!r} is not waiting for review (it is {item.curation_state})")
    state = {"accept": "published", "reject": "rejected"}.get(action)
    if state is None:
        raise HTTPException(422, f"action: {action!r} is not one of accept, reject (to correct a record, edit it)")
    return db.update(initiative_id, {"version": version, "curation_state": state}, user=user.name)


@router.post("/review/{initiative_id}", response_class=HTMLResponse, include_in_schema=False)
async def review_submit(request: Request, initiative_id: str) -> Response:
    user = require_editor(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    version = whole_number(form.get("version") or "")
    if version is None:
        raise HTTPException(422, "version: missing; reload the review page")
    await run_in_threadpool(_decide, request, initiative_id, str(form.get("action") or ""), version, user)
    return RedirectResponse("/review", status_code=303)


# ------------------------------------------------------------------ API twins
class ReviewQueue(BaseModel):
    total: int
    initiatives: list[dict[str, Any]]


@router.get(
    "/api/review", tags=["curation"], response_model=ReviewQueue, responses=errors(401, 403, 503), summary="Records waiting for review (needs an account)"
)
def review_api(request: Request, user: CurrentUser = Depends(require_viewer)) -> dict[str, Any]:
    ctx = review_context(request)
    return {"total": ctx["total"], "initiatives": [i.record() for i in ctx["items"]]}


class Decision(BaseModel):
    action: Literal["accept", "reject"]
    version: int


@router.post(
    "/api/review/{initiative_id}",
    tags=["curation"],
    response_model=Initiative,
    responses=errors(*WRITE, *BODY),
    summary="Accept or reject a proposed record (editor)",
)
def review_decide_api(request: Request, initiative_id: str, decision: Decision, user: CurrentUser = Depends(api_writer)) -> Initiative:
    return _decide(request, initiative_id, decision.action, decision.version, user)


@router.post(
    "/api/initiatives",
    tags=["curation"],
    status_code=201,
    response_model=Initiative,
    responses=errors(*BODY, 401, 403, 422, 503),
    summary="Create an initiative (editor)",
)
def create_api(
    request: Request,
    record: Annotated[InitiativeCreate, Body(description="A new initiative")],
    user: CurrentUser = Depends(api_writer),
) -> Initiative:
    return request.app.state.db.add(record, user=user.name)


@router.patch(
    "/api/initiatives/{initiative_id}",
    tags=["curation"],
    response_model=Initiative,
    responses={
        **errors(*WRITE, *BODY),
        409: {"model": ConflictError, "description": "The edit was based on a stale version; the body holds the current record"},
    },
    summary="Change some fields of an initiative (editor); `version` must be the version the change is based on",
)
def update_api(
    request: Request,
    initiative_id: str,
    change: Annotated[InitiativeUpdate, Body(description="The fields to change, and `version`")],
    user: CurrentUser = Depends(api_writer),
) -> Initiative:
    return request.app.state.db.update(initiative_id, change, user=user.name)


@router.delete(
    "/api/initiatives/{initiative_id}",
    tags=["curation"],
    status_code=204,
    responses=errors(*WRITE),
    summary="Delete an initiative (editor)",
)
def delete_api(
    request: Request,
    initiative_id: str,
    version: Annotated[int, Query(description="The version the deletion is based on")],
    user: CurrentUser = Depends(api_writer),
) -> Response:
    request.app.state.db.delete(initiative_id, version, user=user.name)
    return Response(status_code=204)


@router.post(
    "/api/initiatives/{initiative_id}/revert/{revision_id}",
    tags=["curation"],
    response_model=Initiative,
    responses=errors(*WRITE),
    summary="Undo one revision (editor)",
)
def revert_api(
    request: Request,
    initiative_id: str,
    revision_id: int,
    version: Annotated[int, Query(description="The current version (the revert is based on it)")],
    user: CurrentUser = Depends(api_writer),
) -> Initiative:
    return revert(request.app.state.db, initiative_id, revision_id, version, user.name)
