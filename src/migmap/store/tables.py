"""SQLAlchemy 2 tables. Classes end in ``Row``; this package is the only one that imports SQLAlchemy.

Tags of every dimension sit in one join table (``initiative_tags``) indexed on
(dimension, code, initiative_id), so that faceting a dimension or cross-tabulating two
is one indexed query (a self-join), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class InitiativeRow(Base):
    __tablename__ = "initiatives"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    lead_actor: Mapped[str] = mapped_column(String(300))
    actor_type: Mapped[str] = mapped_column(String(40), index=True)
    sector: Mapped[str] = mapped_column(String(40), index=True)
    start_year: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    end_year: Mapped[Optional[int]] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="unknown")
    return_type: Mapped[Optional[str]] = mapped_column(String(10))
    last_verified: Mapped[Optional[dt.date]] = mapped_column(Date)
    curation_state: Mapped[str] = mapped_column(String(12), default="published", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    search_text: Mapped[str] = mapped_column(Text, default="")
    tag_origins: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TagRow(Base):
    __tablename__ = "initiative_tags"

    initiative_id: Mapped[str] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_tags_dimension_code", "dimension", "code", "initiative_id"), {"sqlite_with_rowid": False})


class CountryRow(Base):
    __tablename__ = "initiative_countries"

    initiative_id: Mapped[str] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    role: Mapped[str] = mapped_column(String(12), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_countries_code", "code", "initiative_id"), {"sqlite_with_rowid": False})


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    initiative_id: Mapped[str] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[Optional[str]] = mapped_column(String(500))
    publisher: Mapped[Optional[str]] = mapped_column(String(300))
    accessed: Mapped[Optional[dt.date]] = mapped_column(Date)
    published: Mapped[Optional[int]] = mapped_column(Integer)
    language: Mapped[Optional[str]] = mapped_column(String(2))


class ActorRow(Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="private")
    actor_type: Mapped[Optional[str]] = mapped_column(String(40))
    sector: Mapped[Optional[str]] = mapped_column(String(40))
    public_type: Mapped[Optional[str]] = mapped_column(String(40))
    country: Mapped[Optional[str]] = mapped_column(String(3))
    website: Mapped[Optional[str]] = mapped_column(String(500))
    wikidata: Mapped[Optional[str]] = mapped_column(String(20))
    #: The organisation this actor is a country office of (migration 0006).
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"), index=True)


class ActorAliasRow(Base):
    """Other names of an actor (migration 0006): a name written this way is that actor."""

    __tablename__ = "actor_aliases"

    name_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)


class InitiativeActorRow(Base):
    __tablename__ = "initiative_actors"

    initiative_id: Mapped[str] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(10), default="partner")
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_initiative_actors_actor", "actor_id", "initiative_id"),)


class RevisionRow(Base):
    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    initiative_id: Mapped[str] = mapped_column(String(120), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    user: Mapped[str] = mapped_column(String(120))
    origin: Mapped[str] = mapped_column(String(10), default="human")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    note: Mapped[Optional[str]] = mapped_column(Text)


# ------------------------------------------------------------------ accounts (migration 0002)
class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(10), default="viewer")
    password_hash: Mapped[Optional[str]] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))


class LoginAttemptRow(Base):
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ok: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)
