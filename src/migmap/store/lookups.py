"""Small read queries the web pages need beyond filtering: stale records, actors, countries.

Each function takes an :class:`~migmap.store.repository.InitiativeRepository` (so it runs in
the caller's session) and builds on ``repo.filtered(filters)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select

from migmap.domain.filters import Filters

from . import actors as store_actors
from .repository import InitiativeRepository
from .tables import ActorRow, CountryRow, InitiativeActorRow, InitiativeRow, TagRow


def stale(repo: InitiativeRepository, before: dt.date, limit: int = 10, filters: Filters | None = None) -> tuple[int, list[str]]:
    """(how many, ids of the oldest) initiatives never verified or last verified before ``before``."""
    ids = repo.filtered(filters).subquery()
    cond = or_(InitiativeRow.last_verified.is_(None), InitiativeRow.last_verified < before)
    base = select(InitiativeRow.id).where(InitiativeRow.id.in_(select(ids.c.id)), cond)
    n = repo.session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    order = (InitiativeRow.last_verified.is_(None).desc(), InitiativeRow.last_verified.asc(), InitiativeRow.id)
    found = list(repo.session.execute(base.order_by(*order).limit(limit)).scalars())
    return int(n), found


def country_counts(repo: InitiativeRepository, filters: Filters | None = None) -> dict[str, int]:
    """Number of initiatives per country code (any role) within the filters."""
    ids = repo.filtered(filters).subquery()
    stmt = (
        select(CountryRow.code, func.count(func.distinct(CountryRow.initiative_id)))
        .where(CountryRow.initiative_id.in_(select(ids.c.id)))
        .group_by(CountryRow.code)
    )
    return {c: int(n) for c, n in repo.session.execute(stmt)}


def country_roles(repo: InitiativeRepository, code: str, filters: Filters | None = None) -> dict[str, int]:
    """How many initiatives name ``code`` as origin, transit, destination or global."""
    ids = repo.filtered(filters).subquery()
    stmt = select(CountryRow.role, func.count()).where(CountryRow.code == code, CountryRow.initiative_id.in_(select(ids.c.id))).group_by(CountryRow.role)
    return {r: int(n) for r, n in repo.session.execute(stmt)}


def _actor_dict(a: ActorRow) -> dict[str, Any]:
    return {
        "name": a.name,
        "kind": a.kind,
        "actor_type": a.actor_type,
        "sector": a.sector,
        "public_type": a.public_type,
        "country": a.country,
        "website": a.website,
        "wikidata": a.wikidata,
    }


def actor(repo: InitiativeRepository, name: str) -> dict[str, Any] | None:
    """The actor named ``name`` or having it as an alias (case-insensitive), with its aliases,
    the organisation it is an office of and its offices; or None."""
    row = store_actors.find(repo, name)
    return store_actors.describe(repo, row) if row else None


def actor_initiatives(repo: InitiativeRepository, name: str, filters: Filters | None = None) -> list[tuple[str, str]]:
    """(initiative id, role) of the initiatives the actor (by name or alias) takes part in, within the filters."""
    row = store_actors.find(repo, name)
    if row is None:
        return []
    ids = repo.filtered(filters).subquery()
    stmt = (
        select(InitiativeActorRow.initiative_id, InitiativeActorRow.role)
        .where(InitiativeActorRow.actor_id == row.id, InitiativeActorRow.initiative_id.in_(select(ids.c.id)))
        .order_by(InitiativeActorRow.initiative_id)
    )
    return [(r[0], r[1]) for r in repo.session.execute(stmt)]


def actors(
    repo: InitiativeRepository, text: str | None = None, limit: int = 100, offset: int = 0, filters: Filters | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """(total, page) of actors with how many initiatives each takes part in, most active first."""
    if text and "\x00" in text:
        return 0, []  # no name holds a NUL (records refuse it), and SQLite's LIKE would stop at it
    ids = repo.filtered(filters).subquery()
    n_col = func.count(InitiativeActorRow.initiative_id).label("n")
    stmt = (
        select(ActorRow, n_col)
        .join(InitiativeActorRow, InitiativeActorRow.actor_id == ActorRow.id)
        .where(InitiativeActorRow.initiative_id.in_(select(ids.c.id)))
        .group_by(ActorRow.id)
    )
    if text:
        stmt = stmt.where(ActorRow.name_key.contains(text.casefold(), autoescape=True))
    total = repo.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = repo.session.execute(stmt.order_by(n_col.desc(), ActorRow.name_key).limit(limit).offset(offset))
    return int(total), [dict(_actor_dict(a), initiatives=int(n)) for a, n in rows]


def similar(repo: InitiativeRepository, initiative_id: str, candidates: Filters, pool: int = 300, limit: int = 5) -> list[tuple[str, float]]:
    """(id, Jaccard similarity over all tag codes) of the initiatives most like ``initiative_id``.

    Only a bounded pool of ``candidates`` (e.g. those sharing a stage and a theme) is scored,
    so the cost stays flat however large the map is."""
    pool_ids = list(repo.session.execute(repo.filtered(candidates, correlated=True).where(InitiativeRow.id != initiative_id).limit(pool)).scalars())
    if not pool_ids:
        return []
    mine = select(TagRow.dimension, TagRow.code).where(TagRow.initiative_id == initiative_id).subquery()
    n_mine = repo.session.execute(select(func.count()).select_from(mine)).scalar_one()
    shared = dict(
        repo.session.execute(
            select(TagRow.initiative_id, func.count())
            .join(mine, (mine.c.dimension == TagRow.dimension) & (mine.c.code == TagRow.code))
            .where(TagRow.initiative_id.in_(pool_ids))
            .group_by(TagRow.initiative_id)
        ).all()
    )
    sizes = dict(
        repo.session.execute(select(TagRow.initiative_id, func.count()).where(TagRow.initiative_id.in_(pool_ids)).group_by(TagRow.initiative_id)).all()
    )
    scored = []
    for iid, k in shared.items():
        union = n_mine + sizes.get(iid, 0) - k
        scored.append((iid, round(k / union, 3) if union else 0.0))
    scored.sort(key=lambda p: (-p[1], p[0]))
    return scored[:limit]
