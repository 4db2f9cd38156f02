"""Account storage: users, API tokens and login attempts (tables of migration 0002).

Hashing and policy live in :mod:`migmap.services.accounts`; this module only reads and
writes rows inside a session whose transaction the caller owns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .tables import ApiTokenRow, LoginAttemptRow, UserRow


@dataclass(frozen=True)
class UserRecord:
    """A user as stored (the password hash stays inside the services layer)."""

    id: int
    name: str
    role: str
    active: bool
    created_at: dt.datetime
    password_hash: Optional[str] = field(default=None, repr=False)


def _user(row: UserRow) -> UserRecord:
    return UserRecord(row.id, row.name, row.role, bool(row.active), row.created_at, row.password_hash)


class AccountRepository:
    """Users, tokens and login attempts in one SQLAlchemy session."""

    def __init__(self, session: Session):
        self.session = session

    # users
    def user(self, name: str) -> UserRecord | None:
        row = self.session.execute(select(UserRow).where(UserRow.name == name)).scalar_one_or_none()
        return _user(row) if row else None

    def user_by_id(self, user_id: int) -> UserRecord | None:
        row = self.session.get(UserRow, user_id)
        return _user(row) if row else None

    def users(self) -> list[UserRecord]:
        return [_user(r) for r in self.session.execute(select(UserRow).order_by(UserRow.name)).scalars()]

    def add_user(self, name: str, role: str, password_hash: str | None, at: dt.datetime) -> UserRecord:
        row = UserRow(name=name, role=role, password_hash=password_hash, active=True, created_at=at)
        self.session.add(row)
        self.session.flush()
        return _user(row)

    def set_user(self, name: str, **values: object) -> None:
        self.session.execute(update(UserRow).where(UserRow.name == name).values(**values))

    # tokens
    def add_token(self, user_id: int, prefix: str, token_hash: str, at: dt.datetime) -> int:
        row = ApiTokenRow(user_id=user_id, prefix=prefix, token_hash=token_hash, created_at=at)
        self.session.add(row)
        self.session.flush()
        return row.id

    def token_user(self, token_hash: str) -> UserRecord | None:
        row = self.session.execute(
            select(UserRow)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == token_hash, ApiTokenRow.revoked_at.is_(None), UserRow.active.is_(True))
        ).scalar_one_or_none()
        return _user(row) if row else None

    def tokens(self, user_id: int) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
        rows = self.session.execute(
            select(ApiTokenRow.prefix, ApiTokenRow.created_at, ApiTokenRow.revoked_at).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def revoke_tokens(self, user_id: int, at: dt.datetime, prefix: str | None = None) -> int:
        stmt = update(ApiTokenRow).where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
        if prefix:
            stmt = stmt.where(ApiTokenRow.prefix == prefix)
        return int(self.session.execute(stmt.values(revoked_at=at)).rowcount or 0)

    # login attempts
    def record_attempt(self, key: str, at: dt.datetime, ok: bool) -> None:
        self.session.add(LoginAttemptRow(key=key[:200], at=at, ok=ok))

    def failures_since(self, key: str, since: dt.datetime) -> int:
        stmt = select(func.count()).where(LoginAttemptRow.key == key[:200], LoginAttemptRow.at >= since, LoginAttemptRow.ok.is_(False))
        return int(self.session.execute(stmt).scalar_one())

    def forget_attempts(self, before: dt.datetime) -> None:
        self.session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < before))
