"""One typed Settings object (environment prefix ``MIGMAP_``), built at the entry point and passed down."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """migmap's settings. Each can be set in the environment, e.g. ``MIGMAP_DATABASE_URL``.

    >>> Settings(database_url="postgresql://localhost/migmap").database_url
    'postgresql://localhost/migmap'
    """

    model_config = SettingsConfigDict(env_prefix="MIGMAP_", extra="ignore")

    #: A SQLite file path or URL (default ``./migmap.db``) or ``postgresql://user@host/db``.
    database_url: str = "sqlite:///migmap.db"
    #: Who is recorded in the history for command-line changes.
    user: str = "cli"
    host: str = "127.0.0.1"
    port: int = 8000
    #: Secret for signing session cookies (web app). Set it in production.
    secret_key: str = "change-me-in-production"
    #: Records whose last verification is older than this many days are shown as stale.
    stale_after_days: int = 730
    #: Folder where the tag index of a large map (100,000 initiatives or more) is kept between runs,
    #: so that a command or a worker starts in about a second instead of re-reading the map.
    #: Empty: never kept.
    index_dir: str = "~/.cache/migmap/index"
    #: Log lines of `migmap serve`: ``text`` for people, ``json`` (one object per line) for log collectors.
    log_format: str = "text"
