"""Engine factory and database-level errors turned into clear messages."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError, ProgrammingError

from migmap.domain.errors import InvalidValue, StoreUnavailable


def normalise_url(url: str) -> str:
    """Accept a plain file path (``migmap.db``) as well as a SQLAlchemy URL."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def _sqlite_folder(url: str) -> Path | None:
    """The folder of a SQLite database file (None for other databases, memory and ``file:`` URIs)."""
    u = make_url(normalise_url(url))
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:" or u.database.startswith("file:"):
        return None
    return Path(u.database).expanduser().resolve().parent


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine for SQLite (file, WAL, foreign keys) or PostgreSQL (psycopg 3)."""
    url = normalise_url(url)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        parent = _sqlite_folder(url)
        if parent is not None and not parent.exists():
            raise StoreUnavailable(f"cannot open the database {u.database}: the folder {parent} does not exist")
        engine = create_engine(url, connect_args={"timeout": 5}, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - exercised by every SQLite test
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
            with contextlib.suppress(sqlite3.OperationalError):  # a read-only file keeps its journal mode
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    if u.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5}, **kwargs)
    raise StoreUnavailable(f"unsupported database {u.get_backend_name()!r}: use a SQLite file or postgresql://")


def _first_line(exc: BaseException) -> str:
    """The driver's own message, first line only (without the SQL statement SQLAlchemy appends)."""
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def explain_db_error(exc: BaseException, url: str) -> StoreUnavailable:
    """Turn a driver error into a one-line message that says what to do."""
    where = describe_url(url)
    text = _first_line(exc)
    low = text.lower()
    if "readonly" in low or "read-only" in low:
        return StoreUnavailable(f"the database {where} is read-only: check the file's permissions (nothing was changed)")
    if "locked" in low:
        return StoreUnavailable(f"the database {where} is locked by another program: close it and try again (nothing was changed)")
    if "unable to open" in low:
        folder = _sqlite_folder(url)
        if folder is not None and folder.exists() and not os.access(folder, os.W_OK):
            return StoreUnavailable(
                f"cannot open the database {where}: its folder {folder} is read-only, and SQLite needs to write "
                "its journal beside the file; make the folder writable (nothing was changed)"
            )
        return StoreUnavailable(f"cannot open the database {where}: check the path and permissions")
    if "disk" in low and ("full" in low or "i/o" in low):
        return StoreUnavailable(f"the disk holding {where} is full or failing: free space and try again (nothing was changed)")
    if "not a database" in low or "malformed" in low:
        return StoreUnavailable(f"{where} is not a migmap database (or is damaged): give another path with --db")
    if "connection" in low or "connect" in low or "server" in low:
        return StoreUnavailable(f"cannot connect to {where}: {text}. Is the PostgreSQL server running?")
    if "no such table" in low or "does not exist" in low:
        return StoreUnavailable(f"the database {where} has no migmap tables: run `migmap init` or `migmap db upgrade` first")
    return StoreUnavailable(f"database error on {where}: {text}")


@contextlib.contextmanager
def db_errors(url: str) -> Iterator[None]:
    """Re-raise database errors as :class:`StoreUnavailable` with a clear message.

    A value the database cannot hold (:class:`DataError`) is the request's fault: :class:`InvalidValue`."""
    try:
        yield
    except IntegrityError:
        raise  # a broken constraint is a bug in migmap, not a state of the database
    except DataError as exc:
        raise InvalidValue(f"the database cannot hold a value given: {_first_line(exc)}") from exc
    except (OperationalError, ProgrammingError, DBAPIError) as exc:
        raise explain_db_error(exc, url) from exc
    except sqlite3.DatabaseError as exc:
        raise explain_db_error(exc, url) from exc
