"""Who is asking: the signed session cookie or an API token, and the role checks of write routes.

>>> CurrentUser(None, None).can_edit
False
>>> CurrentUser("ana", "editor").can_edit
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from fastapi import HTTPException, Request

from migmap.services.accounts import Accounts, role_at_least

from .security import csrf_ok


@dataclass(frozen=True)
class CurrentUser:
    """The user of a request (``name`` is None for anonymous visitors)."""

    name: Optional[str]
    role: Optional[str]
    via: Optional[str] = None  # "session" or "token"

    @property
    def anonymous(self) -> bool:
        return self.name is None

    @property
    def can_edit(self) -> bool:
        return role_at_least(self.role, "editor")

    @property
    def can_review(self) -> bool:
        return role_at_least(self.role, "viewer")

    @property
    def is_admin(self) -> bool:
        return role_at_least(self.role, "admin")


ANONYMOUS = CurrentUser(None, None)


def current_user(request: Request) -> CurrentUser:
    """Dependency: the user of this request (bearer token first, then the session cookie)."""
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached
    accounts: Accounts = request.app.state.accounts
    user = ANONYMOUS
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        found = accounts.user_for_token(auth[7:].strip())
        if found is None:
            raise HTTPException(401, "invalid or revoked API token (create one with `migmap user token NAME`)")
        user = CurrentUser(found.name, found.role, "token")
    elif request.session.get("user"):
        found = accounts.get(request.session["user"])
        if found is not None and found.active:
            user = CurrentUser(found.name, found.role, "session")
        else:
            request.session.clear()
    request.state.user = user
    return user


def require_role(request: Request, role: str) -> CurrentUser:
    """The current user if at least ``role``; else 401 (anonymous) or 403 (lower role)."""
    user = current_user(request)
    if user.anonymous:
        raise HTTPException(401, f"log in as {'an' if role[0] in 'aeiou' else 'a'} {role} to do this")
    if not role_at_least(user.role, role):
        raise HTTPException(403, f"your role ({user.role}) cannot do this; it needs the {role} role")
    return user


def require_editor(request: Request) -> CurrentUser:
    """Dependency for write routes: an editor or admin (session or API token)."""
    return require_role(request, "editor")


def require_viewer(request: Request) -> CurrentUser:
    return require_role(request, "viewer")


def check_csrf(request: Request, submitted: Optional[str]) -> None:
    """Session-authenticated writes must carry the session's CSRF token (form field or X-CSRF-Token)."""
    user = current_user(request)
    if user.via == "token":
        return  # API tokens are not sent automatically by browsers, so they cannot be forged cross-site
    token = submitted or request.headers.get("x-csrf-token")
    if not csrf_ok(request.session, token):
        raise HTTPException(403, "the form's security token is missing or out of date: reload the page and try again")


def api_writer(request: Request) -> CurrentUser:
    """Dependency for API write routes: an editor, and the CSRF header when using the session cookie."""
    user = require_editor(request)
    check_csrf(request, None)
    return user
