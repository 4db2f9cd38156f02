"""Login and logout. Sessions live in a signed cookie that expires; logins are rate-limited."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from migmap.services.accounts import LoginRefused

from ..auth import check_csrf, current_user
from ..openapi import errors
from ..views import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None, "name": ""})


@router.post("/login", response_class=HTMLResponse, include_in_schema=False)
async def login_submit(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    name = str(form.get("name") or "").strip()[:120]
    password = str(form.get("password") or "")[:1000]
    target = _safe_next(str(form.get("next") or "/"))
    client = request.client.host if request.client else "unknown"
    try:
        user = await run_in_threadpool(request.app.state.accounts.authenticate, name, password, client)
    except LoginRefused as exc:
        return render(request, "login.html", {"next": target, "error": str(exc), "name": name}, status_code=401)
    request.session.clear()
    request.session["user"] = user.name
    request.session["csrf"] = secrets.token_urlsafe(32)
    request.state.user = None
    return RedirectResponse(target, status_code=303)


@router.post("/logout", response_class=HTMLResponse, include_in_schema=False)
async def logout(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/api/me", tags=["accounts"], responses=errors(401, 503), summary="Who is logged in (name and role, or anonymous)")
def me(request: Request) -> dict[str, Any]:
    user = current_user(request)
    return {"name": user.name, "role": user.role, "via": user.via, "can_edit": user.can_edit}
