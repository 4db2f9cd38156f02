"""Accounts for the web application: users with roles, argon2 passwords, API tokens, login limits.

    >>> from migmap import Database
    >>> db = Database("sqlite:///:memory:"); _ = db.init(bundled=False)
    >>> accounts = Accounts(db)
    >>> accounts.add_user("ana", "editor", password="correct horse battery").role
    'editor'
    >>> accounts.authenticate("ana", "correct horse battery", client="127.0.0.1").name
    'ana'
    >>> token = accounts.create_token("ana")
    >>> accounts.user_for_token(token).name
    'ana'

Roles are ordered: ``viewer`` < ``editor`` < ``admin``. Viewers read what is public
plus the review queue; editors create, edit, revert and review; admins also manage users.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterator

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from migmap.domain.errors import MigmapError, NotFound
from migmap.store import db_errors
from migmap.store.accounts import AccountRepository, UserRecord

from .database import Database

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,119}$")
MIN_PASSWORD = 10
TOKEN_PREFIX = "mm_"


class InvalidAccount(MigmapError):
    """A user name, role or password that cannot be accepted."""

    exit_code = 2


class LoginRefused(MigmapError):
    """Wrong name or password (the message never says which)."""

    exit_code = 6


class TooManyAttempts(MigmapError):
    """Too many failed logins recently: wait before trying again."""

    exit_code = 7

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"too many failed logins; try again in {max(1, retry_after // 60)} minute(s)")


def role_at_least(role: str | None, wanted: str) -> bool:
    """``role_at_least("admin", "editor")`` is True; an unknown or missing role is below every role."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(wanted)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def token_hash(token: str) -> str:
    """API tokens are random, so a fast hash is enough (and lets the lookup use an index)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Accounts:
    """The account use cases over a :class:`~migmap.services.Database`.

    ``max_failures`` failed logins within ``window`` (per name and per client address)
    block further attempts until the window has passed.
    """

    def __init__(
        self,
        database: Database,
        max_failures: int = 5,
        window: dt.timedelta = dt.timedelta(minutes=15),
        hasher: PasswordHasher | None = None,
    ):
        self.database = database
        self.max_failures = max_failures
        self.window = window
        # OWASP's argon2id minimum (19 MiB, 2 passes): quick on small machines, still memory-hard.
        # Verification reads the parameters from each stored hash.
        self.hasher = hasher or PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)

    @contextlib.contextmanager
    def _repo(self) -> Iterator[AccountRepository]:
        with db_errors(self.database.url), Session(self.database.engine, expire_on_commit=False) as session, session.begin():
            yield AccountRepository(session)

    # ------------------------------------------------------------------ users
    def add_user(self, name: str, role: str = "viewer", password: str | None = None) -> UserRecord:
        """Create a user. Without a password the user can only use API tokens."""
        name = (name or "").strip()
        if not NAME_PATTERN.match(name):
            raise InvalidAccount(f"user name {name!r}: use 1-120 letters, digits, '.', '_', '@' or '-'")
        if role not in ROLES:
            raise InvalidAccount(f"unknown role {role!r}; allowed: {', '.join(ROLES)}")
        hashed = self._hash(password) if password is not None else None
        with self._repo() as repo:
            if repo.user(name) is not None:
                raise InvalidAccount(f"user {name!r} already exists")
            return repo.add_user(name, role, hashed, _now())

    def _hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD:
            raise InvalidAccount(f"password: at least {MIN_PASSWORD} characters, please")
        return self.hasher.hash(password)

    def set_password(self, name: str, password: str) -> None:
        hashed = self._hash(password)
        with self._repo() as repo:
            self._require(repo, name)
            repo.set_user(name, password_hash=hashed)

    def set_role(self, name: str, role: str) -> None:
        if role not in ROLES:
            raise InvalidAccount(f"unknown role {role!r}; allowed: {', '.join(ROLES)}")
        with self._repo() as repo:
            self._require(repo, name)
            repo.set_user(name, role=role)

    def users(self) -> list[UserRecord]:
        with self._repo() as repo:
            return repo.users()

    def get(self, name: str) -> UserRecord | None:
        with self._repo() as repo:
            return repo.user(name)

    @staticmethod
    def _require(repo: AccountRepository, name: str) -> UserRecord:
        user = repo.user(name)
        if user is None:
            raise NotFound(f"no user named {name!r} (create one with `migmap user add {name} --role editor`)")
        return user

    # ------------------------------------------------------------------ login
    def authenticate(self, name: str, password: str, client: str = "unknown") -> UserRecord:
        """Check a name and password; raises :class:`LoginRefused` or :class:`TooManyAttempts`."""
        now = _now()
        keys = (f"user:{name[:150].casefold()}", f"client:{client}")
        with self._repo() as repo:
            since = now - self.window
            if any(repo.failures_since(k, since) >= self.max_failures for k in keys):
                raise TooManyAttempts(int(self.window.total_seconds()))
            user = repo.user(name)
        ok = False
        if user is not None and user.active and user.password_hash:
            try:
                ok = self.hasher.verify(user.password_hash, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
        else:  # spend the same time whether or not the user exists
            with contextlib.suppress(VerificationError, InvalidHashError):
                self.hasher.verify(self.hasher.hash("x" * MIN_PASSWORD), password)
        with self._repo() as repo:
            for k in keys:
                repo.record_attempt(k, now, ok)
            if ok:
                repo.forget_attempts(now - self.window)
        if not ok or user is None:
            raise LoginRefused("wrong user name or password")
        return user

    # ----------------------------------------------------------------- tokens
    def create_token(self, name: str) -> str:
        """A new API token for the user, shown once (only its hash is stored)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._repo() as repo:
            user = self._require(repo, name)
            repo.add_token(user.id, token[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8], token_hash(token), _now())
        return token

    def revoke_tokens(self, name: str, prefix: str | None = None) -> int:
        """Revoke the user's tokens (all, or the one starting with ``prefix``); returns how many."""
        if prefix and prefix.startswith(TOKEN_PREFIX):
            prefix = prefix[len(TOKEN_PREFIX) :]
        with self._repo() as repo:
            user = self._require(repo, name)
            return repo.revoke_tokens(user.id, _now(), prefix[:8] if prefix else None)

    def tokens(self, name: str) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
        with self._repo() as repo:
            return repo.tokens(self._require(repo, name).id)

    def user_for_token(self, token: str) -> UserRecord | None:
        if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        with self._repo() as repo:
            return repo.token_user(token_hash(token))
