"""Jinja2 templates and the helpers every page context uses (labels, URLs, dates).

>>> env = make_templates().env
>>> env.filters["label"]("stages", "arrival")
'Arrival'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from migmap.framework import TAG_DIMENSIONS
from migmap.templating import install

from .auth import current_user
from .security import csrf_token

HERE = Path(__file__).parent


def show(value: Any) -> str:
    """A revision value for people: lists joined, records compact, nothing as a dash."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, list):
        return "; ".join(show(v) for v in value)
    if isinstance(value, dict):
        if "code" in value and "role" in value:
            return f"{value['code']}:{value['role']}"
        if "url" in value:
            return str(value["url"])
        if "name" in value:
            return str(value["name"])
        return ", ".join(f"{k}={v}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def qs(pairs: Iterable[tuple[str, Any]], **changes: Any) -> str:
    """A query string from ``pairs`` with some keys replaced (``None`` removes the key)."""
    kept = [(k, v) for k, v in pairs if k not in changes]
    for k, v in changes.items():
        if v is None:
            continue
        if isinstance(v, (list, tuple)):
            kept.extend((k, x) for x in v)
        else:
            kept.append((k, v))
    return urlencode([(k, str(v)) for k, v in kept])


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.autoescape = True
    install(env)
    env.filters["show"] = show
    env.globals["TAG_DIMENSIONS"] = TAG_DIMENSIONS
    env.globals["qs"] = qs
    return templates


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """Render a page with the shared context: user, CSRF token, settings."""
    templates: Jinja2Templates = request.app.state.templates
    base = {
        "user": current_user(request),
        "csrf": csrf_token(request.session),
        "settings": request.app.state.settings,
        "today": dt.date.today(),
        "path": request.url.path,
        "query_pairs": list(request.query_params.multi_items()),
    }
    base.update(context)
    return templates.TemplateResponse(request, name, base, status_code=status_code)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"
