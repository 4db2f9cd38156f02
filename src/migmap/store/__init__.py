"""Storage: SQLAlchemy tables, engine factory, Alembic migrations, repositories, search."""

from .engine import db_errors, describe_url, make_engine, normalise_url
from .repository import InitiativeRepository, slugify
from .schema import current_revision, head_revision, upgrade

__all__ = [
    "InitiativeRepository",
    "current_revision",
    "db_errors",
    "describe_url",
    "head_revision",
    "make_engine",
    "normalise_url",
    "slugify",
    "upgrade",
]
