"""The initiative repository: read, filter, search and write initiatives with revisions.

A repository works inside a session whose transaction the caller (a service) owns.
Writes use SQLAlchemy Core bulk statements so that large imports stay fast.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, or_, select, text, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select

from migmap.domain.countries import countries_in_region
from migmap.domain.errors import Conflict, NotFound
from migmap.domain.filters import Filters
from migmap.domain.models import (
    CountryRole,
    FieldChange,
    Initiative,
    InitiativeActor,
    InitiativeCreate,
    InitiativeUpdate,
    Revision,
    Source,
)
from migmap.framework import MULTI_DIMENSIONS, TAG_DIMENSIONS

from . import actors as store_actors
from .tables import (
    ActorRow,
    CountryRow,
    InitiativeActorRow,
    InitiativeRow,
    RevisionRow,
    SourceRow,
    TagRow,
)

CHUNK = 500

_INITIATIVE_COLUMNS = [
    InitiativeRow.id,
    InitiativeRow.name,
    InitiativeRow.description,
    InitiativeRow.lead_actor,
    InitiativeRow.actor_type,
    InitiativeRow.sector,
    InitiativeRow.start_year,
    InitiativeRow.end_year,
    InitiativeRow.status,
    InitiativeRow.return_type,
    InitiativeRow.last_verified,
    InitiativeRow.curation_state,
    InitiativeRow.version,
    InitiativeRow.created_at,
    InitiativeRow.updated_at,
    InitiativeRow.tag_origins,
]
_ACTOR_FIELDS = ("name", "kind", "actor_type", "sector", "public_type", "country", "website", "wikidata")
_ACTOR_COLUMNS = [getattr(ActorRow, f) for f in _ACTOR_FIELDS]

#: A name-ordered page is read by walking the name index when it should lie within this many rows.
ORDER_WALK_ROWS = 20_000


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def slugify(text_: str, max_length: int = 80) -> str:
    """``"Tent Partnership for Refugees"`` -> ``"tent-partnership-for-refugees"``."""
    norm = unicodedata.normalize("NFKD", text_).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", norm).strip("-")
    return slug[:max_length].rstrip("-") or "initiative"


def _chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def fts_query(q: str) -> str:
    """Turn free text into a safe FTS5 query: every word must match (prefix match on each)."""
    words = re.findall(r"\w+", q, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _revision(r: RevisionRow) -> Revision:
    return Revision(
        id=r.id,
        initiative_id=r.initiative_id,
        version=r.version,
        action=r.action,
        user=r.user,
        origin=r.origin,
        at=_aware(r.at),
        changes=[FieldChange.model_validate(c) for c in (r.changes or [])],
        note=r.note,
    )


def _jsonable(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


class InitiativeRepository:
    """Initiatives in one SQLAlchemy session (SQLite or PostgreSQL)."""

    def __init__(self, session: Session):
        self.session = session
        self.dialect = session.get_bind().dialect.name

    # ------------------------------------------------------------------ reading
    def get(self, initiative_id: str) -> Initiative | None:
        found = self.get_many([initiative_id])
        return found[0] if found else None

    def require(self, initiative_id: str) -> Initiative:
        found = self.get(initiative_id)
        if found is None:
            raise NotFound(f"no initiative with id {initiative_id!r}")
        return found

    def get_many(self, ids: Sequence[str]) -> list[Initiative]:
        """Initiatives in the order of ``ids`` (missing ids are left out)."""
        out: dict[str, Initiative] = {}
        for chunk in _chunks(list(ids)):
            rows = self.session.execute(select(*_INITIATIVE_COLUMNS).where(InitiativeRow.id.in_(chunk))).all()
            for item in self._hydrate(rows):
                out[item.id] = item
        return [out[i] for i in ids if i in out]

    def filtered(self, filters: Filters | None = None, correlated: bool = False) -> Select:
        """A SELECT of initiative ids matching the filters (the building block of every query).

        Tag and country filters are ``id IN (subquery)`` by default, which suits counting and
        grouping the whole filtered set. With ``correlated`` they are ``EXISTS`` per row, so that a
        ``LIMIT`` stops the scan after enough matches instead of first collecting every match
        (what a bounded sample, such as the candidates of "similar initiatives", wants)."""
        f = filters or Filters()
        stmt = select(InitiativeRow.id)
        conds = []
        if f.curation_state:
            conds.append(InitiativeRow.curation_state.in_(f.curation_state))
        for dim, codes in f.tag_filters().items():
            if dim == "actor_type":
                conds.append(InitiativeRow.actor_type.in_(codes))
            elif dim == "sector":
                conds.append(InitiativeRow.sector.in_(codes))
            elif correlated:
                conds.append(exists().where(TagRow.initiative_id == InitiativeRow.id, TagRow.dimension == dim, TagRow.code.in_(codes)))
            else:
                sub = select(TagRow.initiative_id).where(TagRow.dimension == dim, TagRow.code.in_(codes))
                conds.append(InitiativeRow.id.in_(sub))
        countries = set(f.countries)
        for region in f.regions:
            countries |= countries_in_region(region)
        if f.countries or f.regions:
            codes = sorted(countries) or ["---"]
            if correlated:
                conds.append(exists().where(CountryRow.initiative_id == InitiativeRow.id, CountryRow.code.in_(codes)))
            else:
                conds.append(InitiativeRow.id.in_(select(CountryRow.initiative_id).where(CountryRow.code.in_(codes))))
        if f.year:
            conds.append(InitiativeRow.start_year <= f.year)
            conds.append(or_(InitiativeRow.end_year.is_(None), InitiativeRow.end_year >= f.year))
        if f.status:
            conds.append(InitiativeRow.status.in_(f.status))
        if f.text:
            conds.append(self._text_condition(f.text))
        return stmt.where(and_(*conds)) if conds else stmt

    def text_ids(self, q: str) -> list[str]:
        """Ids of the initiatives matching a full-text query (any curation state)."""
        return list(self.session.execute(select(InitiativeRow.id).where(self._text_condition(q))).scalars())

    def _text_condition(self, q: str):
        if self.dialect == "sqlite":
            query = fts_query(q)
            if not query:
                return InitiativeRow.id.is_(None)
            sub = text("SELECT id FROM initiatives_fts WHERE initiatives_fts MATCH :q").bindparams(q=query)
            return InitiativeRow.id.in_(sub.columns(InitiativeRow.id))
        vector = func.to_tsvector("english", InitiativeRow.search_text)
        words = re.findall(r"\w+", q, flags=re.UNICODE)
        if not words:
            return InitiativeRow.id.is_(None)
        tsq = func.to_tsquery("english", " & ".join(f"{w}:*" for w in words))
        return vector.op("@@")(tsq)

    def query_ids(
        self,
        filters: Filters | None = None,
        order: str = "name",
        limit: int | None = None,
        offset: int = 0,
        share: float | None = None,
    ) -> list[str]:
        """Ids of one page of the filtered initiatives, in ``order``.

        ``share`` is the part of all initiatives that match (0 to 1), when the caller knows it (the
        web app caches counts). When a name-ordered page can be expected within the first
        :data:`ORDER_WALK_ROWS` rows of the name index, the rows are read in index order and
        checked one by one, stopping at the page's end; otherwise every match is collected and sorted.
        """
        walk = (
            order == "name"
            and limit is not None
            and share is not None
            and share > 0
            and not (filters and filters.text)
            and (offset + limit) / share <= ORDER_WALK_ROWS
        )
        stmt = self.filtered(filters, correlated=walk)
        order_by = {
            "name": [func.lower(InitiativeRow.name), InitiativeRow.id],
            "id": [InitiativeRow.id],
            "updated": [InitiativeRow.updated_at.desc(), InitiativeRow.id],
            "start_year": [InitiativeRow.start_year.desc(), InitiativeRow.id],
            "verified": [InitiativeRow.last_verified.asc(), InitiativeRow.id],
        }.get(order)
        if order_by is None:
            raise ValueError(f"unknown order {order!r}; allowed: name, id, updated, start_year, verified")
        stmt = stmt.order_by(*order_by).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        return list(self.session.execute(stmt).scalars())

    def list(
        self,
        filters: Filters | None = None,
        order: str = "name",
        limit: int | None = None,
        offset: int = 0,
        share: float | None = None,
    ) -> list[Initiative]:
        return self.get_many(self.query_ids(filters, order, limit, offset, share))

    def iterate(self, filters: Filters | None = None, order: str = "id", batch: int = 1000) -> Iterator[Initiative]:
        """Stream initiatives in batches (constant memory apart from the id list)."""
        ids = self.query_ids(filters, order)
        for chunk in _chunks(ids, batch):
            yield from self.get_many(chunk)

    def count(self, filters: Filters | None = None) -> int:
        sub = self.filtered(filters).subquery()
        return int(self.session.execute(select(func.count()).select_from(sub)).scalar_one())

    def search(self, q: str, limit: int = 20, filters: Filters | None = None) -> list[tuple[Initiative, float]]:
        """Full-text search over name, description and actor names, best first."""
        words = re.findall(r"\w+", q, flags=re.UNICODE)
        if not words:
            return []
        base = self.filtered(filters).subquery()
        if self.dialect == "sqlite":
            sql = text(
                "SELECT f.id, bm25(initiatives_fts, 0.0, 10.0, 1.0, 5.0) AS rank FROM initiatives_fts f WHERE initiatives_fts MATCH :q ORDER BY rank LIMIT :n"
            ).bindparams(q=fts_query(q), n=max(limit * 5, 100))
            ranked = [(r[0], -float(r[1])) for r in self.session.execute(sql)]
        else:
            vector = func.to_tsvector("english", InitiativeRow.search_text)
            tsq = func.to_tsquery("english", " & ".join(f"{w}:*" for w in words))
            rank = func.ts_rank(vector, tsq)
            stmt = select(InitiativeRow.id, rank).where(vector.op("@@")(tsq)).order_by(rank.desc(), InitiativeRow.id).limit(max(limit * 5, 100))
            ranked = [(r[0], float(r[1])) for r in self.session.execute(stmt)]
        leads = dict(
            self.session.execute(
                select(InitiativeRow.id, InitiativeRow.lead_actor).where(InitiativeRow.id.in_([i for i, _ in ranked]), InitiativeRow.id.in_(select(base.c.id)))
            ).all()
        )
        # the initiatives an organisation leads come before those that only mention it
        wanted = [w.casefold() for w in words]
        led = {i for i, lead in leads.items() if all(w in lead.casefold() for w in wanted)}
        ranked = sorted(((i, s) for i, s in ranked if i in leads), key=lambda r: r[0] not in led)[:limit]
        items = {x.id: x for x in self.get_many([i for i, _ in ranked])}
        return [(items[i], s) for i, s in ranked if i in items]

    def existing_ids(self) -> set[str]:
        return set(self.session.execute(select(InitiativeRow.id)).scalars())

    def name_index(self) -> list[tuple[str, str, str]]:
        """(id, name, lead_actor) of every initiative, for duplicate checks."""
        rows = self.session.execute(select(InitiativeRow.id, InitiativeRow.name, InitiativeRow.lead_actor))
        return [(r[0], r[1], r[2]) for r in rows]

    def revisions(self, initiative_id: str) -> list[Revision]:
        rows = self.session.execute(select(RevisionRow).where(RevisionRow.initiative_id == initiative_id).order_by(RevisionRow.id)).scalars()
        return [_revision(r) for r in rows]

    def _hydrate(self, rows: Sequence[Any]) -> list[Initiative]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        tags: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for iid, dim, code in self.session.execute(
            select(TagRow.initiative_id, TagRow.dimension, TagRow.code)
            .where(TagRow.initiative_id.in_(ids))
            .order_by(TagRow.initiative_id, TagRow.dimension, TagRow.position)
        ):
            tags[iid][dim].append(code)
        countries: dict[str, list[dict]] = defaultdict(list)
        for iid, code, role in self.session.execute(
            select(CountryRow.initiative_id, CountryRow.code, CountryRow.role)
            .where(CountryRow.initiative_id.in_(ids))
            .order_by(CountryRow.initiative_id, CountryRow.position)
        ):
            countries[iid].append({"code": code, "role": role})
        sources: dict[str, list[dict]] = defaultdict(list)
        for iid, url, title, publisher, accessed, published, language in self.session.execute(
            select(SourceRow.initiative_id, SourceRow.url, SourceRow.title, SourceRow.publisher, SourceRow.accessed, SourceRow.published, SourceRow.language)
            .where(SourceRow.initiative_id.in_(ids))
            .order_by(SourceRow.initiative_id, SourceRow.position)
        ):
            sources[iid].append({"url": url, "title": title, "publisher": publisher, "accessed": accessed, "published": published, "language": language})
        actors: dict[str, list[dict]] = defaultdict(list)
        parent = aliased(ActorRow)
        actor_ids: dict[str, list[int]] = defaultdict(list)
        for row in self.session.execute(
            select(InitiativeActorRow.initiative_id, InitiativeActorRow.role, ActorRow.id, parent.name, *_ACTOR_COLUMNS)
            .join(ActorRow, ActorRow.id == InitiativeActorRow.actor_id)
            .outerjoin(parent, parent.id == ActorRow.parent_id)
            .where(InitiativeActorRow.initiative_id.in_(ids))
            .order_by(InitiativeActorRow.initiative_id, InitiativeActorRow.position)
        ):
            iid, role, aid, office_of, *values = row
            actors[iid].append({**dict(zip(_ACTOR_FIELDS, values)), "office_of": office_of, "role": role})
            actor_ids[iid].append(aid)
        aliases = store_actors.aliases_of(self, {a for found in actor_ids.values() for a in found})
        for iid, found in actor_ids.items():
            for a, aid in zip(actors[iid], found):
                a["aliases"] = list(aliases.get(aid, []))
        out = []
        for r in rows:
            data: dict[str, Any] = {
                "id": r.id,
                "name": r.name,
                "description": r.description,
                "lead_actor": r.lead_actor,
                "actor_type": r.actor_type,
                "sector": r.sector,
                "start_year": r.start_year,
                "end_year": r.end_year,
                "status": r.status,
                "return_type": r.return_type,
                "last_verified": r.last_verified,
                "curation_state": r.curation_state,
                "version": r.version,
                "created_at": _aware(r.created_at),
                "updated_at": _aware(r.updated_at),
                "tag_origins": r.tag_origins or {},
                "countries": [CountryRole.model_construct(**c) for c in countries.get(r.id, [])],
                "sources": [Source.model_construct(**x) for x in sources.get(r.id, [])],
                "actors": [InitiativeActor.model_construct(**a) for a in actors.get(r.id, [])],
            }
            for dim in MULTI_DIMENSIONS:
                data[dim] = tags[r.id].get(dim, [])
            # Stored rows were validated when written: build the models without validating again.
            out.append(Initiative.model_construct(**data))
        return out

    # ------------------------------------------------------------------ writing
    def new_id(self, name: str, taken: set[str]) -> str:
        base = slugify(name)
        candidate, n = base, 2
        while candidate in taken:
            candidate = f"{base}-{n}"
            n += 1
        taken.add(candidate)
        return candidate

    def add_many(
        self,
        records: Sequence[InitiativeCreate],
        user: str,
        origin: str = "import",
        curation_state: str = "published",
        taken: set[str] | None = None,
    ) -> list[str]:
        """Insert validated records (one bulk statement per table), each with a "create" revision.

        Returns the new ids (given ids are kept; missing ones are made from the names).
        """
        if not records:
            return []
        taken = self.existing_ids() if taken is None else taken
        at = now()
        entries = []
        for rec in records:
            if rec.id:
                if rec.id in taken:
                    raise ValueError(f"id {rec.id!r} already exists")
                iid = rec.id
                taken.add(iid)
            else:
                iid = self.new_id(rec.name, taken)
            meta = {"curation_state": curation_state, "version": 1, "created_at": at, "updated_at": at, "tag_origins": dict.fromkeys(TAG_DIMENSIONS, origin)}
            entries.append((iid, rec, meta))
        revisions = [
            {
                "initiative_id": iid,
                "version": 1,
                "action": "create",
                "user": user,
                "origin": origin,
                "at": at,
                # the whole new record as one change of field "*" (as a delete keeps the old one)
                "changes": [{"field": "*", "old": None, "new": rec.model_dump(mode="json", exclude={"id"})}],
                "note": None,
            }
            for iid, rec, _ in entries
        ]
        self._insert_records(entries)
        self._bulk_insert(RevisionRow, revisions)
        return [iid for iid, _, _ in entries]

    def restore_many(self, items: Sequence[Initiative]) -> None:
        """Insert stored initiatives as they were: ids, versions, states, timestamps, tag origins."""
        self._insert_records(
            [
                (
                    item.id,
                    item,
                    {
                        "curation_state": item.curation_state,
                        "version": item.version,
                        "created_at": item.created_at or now(),
                        "updated_at": item.updated_at or now(),
                        "tag_origins": item.tag_origins,
                    },
                )
                for item in items
            ]
        )

    def restore_revisions(self, revisions: Sequence[Revision]) -> None:
        rows = [
            {
                "initiative_id": r.initiative_id,
                "version": r.version,
                "action": r.action,
                "user": r.user,
                "origin": r.origin,
                "at": r.at,
                "changes": [c.model_dump(mode="json") for c in r.changes],
                "note": r.note,
            }
            for r in revisions
        ]
        for chunk in _chunks(rows, 2000):
            self._bulk_insert(RevisionRow, list(chunk))

    def all_revisions(self, batch: int = 2000) -> Iterator[Revision]:
        """Every revision in id order, streamed."""
        last = 0
        while True:
            rows = self.session.execute(select(RevisionRow).where(RevisionRow.id > last).order_by(RevisionRow.id).limit(batch)).scalars().all()
            if not rows:
                return
            yield from (_revision(r) for r in rows)
            last = rows[-1].id

    def _insert_records(self, entries: Sequence[tuple[str, Any, dict[str, Any]]]) -> None:
        """Bulk-insert (id, record, row metadata) triples into every table but revisions."""
        init_rows, tag_rows, country_rows, source_rows, link_rows, fts_rows = [], [], [], [], [], []
        actor_ids = self._actor_ids([a for _, r, _ in entries for a in r.actors])
        for iid, rec, meta in entries:
            actor_names = " ".join(a.name for a in rec.actors)
            lead = actor_ids.get(rec.lead_actor.casefold())
            init_rows.append(
                {
                    "id": iid,
                    "name": rec.name,
                    "description": rec.description,
                    "lead_actor": lead.name if lead else rec.lead_actor,
                    "actor_type": rec.actor_type,
                    "sector": rec.sector,
                    "start_year": rec.start_year,
                    "end_year": rec.end_year,
                    "status": rec.status,
                    "return_type": rec.return_type,
                    "last_verified": rec.last_verified,
                    **meta,
                    "search_text": f"{rec.name}\n{rec.description}\n{actor_names}",
                }
            )
            tag_rows.extend(self._tag_rows(iid, rec))
            country_rows.extend({"initiative_id": iid, "code": c.code, "role": c.role, "position": i} for i, c in enumerate(rec.countries))
            source_rows.extend({"initiative_id": iid, "position": i, **s.model_dump()} for i, s in enumerate(rec.sources))
            link_rows.extend(_links(iid, rec.actors, actor_ids))
            fts_rows.append({"id": iid, "name": rec.name, "description": rec.description, "actors": actor_names})
        for table, rows in (
            (InitiativeRow, init_rows),
            (TagRow, tag_rows),
            (CountryRow, country_rows),
            (SourceRow, source_rows),
            (InitiativeActorRow, link_rows),
        ):
            self._bulk_insert(table, rows)
        self._fts_insert(fts_rows)

    def _bulk_insert(self, table: Any, rows: list[dict]) -> None:
        """Insert many rows through the driver's ``executemany`` (much faster than per-row parameter binding).

        Values are converted with the column types' own bind processors (JSON, dates), so the
        stored data is exactly what a normal ``insert()`` would store.
        """
        if not rows:
            return
        t = table.__table__
        columns = list(rows[0].keys())
        conn = self.session.connection()
        dialect = conn.dialect
        processors = [t.c[c].type._cached_bind_processor(dialect) for c in columns]
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        quote = dialect.identifier_preparer.quote
        sql = f"INSERT INTO {quote(t.name)} ({', '.join(quote(c) for c in columns)}) VALUES ({', '.join([mark] * len(columns))})"
        params = [tuple(p(r[c]) if p else r[c] for c, p in zip(columns, processors)) for r in rows]
        conn.exec_driver_sql(sql, params)

    def _tag_rows(self, iid: str, rec: Any) -> list[dict]:
        rows = []
        for dim in TAG_DIMENSIONS:
            value = getattr(rec, dim)
            codes = value if isinstance(value, list) else [value]
            rows.extend({"initiative_id": iid, "dimension": dim, "code": c, "position": i} for i, c in enumerate(codes))
        return rows

    def _actor_ids(self, actors: Iterable[Any]) -> dict[str, store_actors.ActorRef]:
        """The stored actor of each named actor (by casefolded name): the actor of that name or
        alias, else a new one (see :func:`migmap.store.actors.resolve`)."""
        return store_actors.resolve(self, actors)

    def _fts_insert(self, rows: list[dict]) -> None:
        if self.dialect == "sqlite" and rows:
            self.session.execute(
                text("INSERT INTO initiatives_fts (id, name, description, actors) VALUES (:id, :name, :description, :actors)"),
                rows,
            )

    def _fts_delete(self, iid: str) -> None:
        if self.dialect == "sqlite":
            self.session.execute(text("DELETE FROM initiatives_fts WHERE id = :id"), {"id": iid})

    def update(self, initiative_id: str, change: InitiativeUpdate, user: str, origin: str = "human", note: str | None = None) -> Initiative:
        """Apply a partial change based on ``change.version``; a stale version raises :class:`Conflict`.

        ``note`` is kept with the revision (why the change was made, e.g. a merge of two actors)."""
        current = self.require(initiative_id)
        if change.version != current.version:
            raise Conflict(initiative_id, change.version, current.version, current)
        values = change.changes()
        state = values.pop("curation_state", None)
        merged = current.model_dump(mode="json", exclude={"version", "curation_state", "created_at", "updated_at", "tag_origins"})
        for key, value in values.items():
            merged[key] = _jsonable(value)
        if "lead_actor" in values and "actors" not in values:
            merged["actors"] = [dict(a, role="partner") for a in merged["actors"]]
        new = InitiativeCreate.model_validate(merged)
        _keep_actor_relations(new, current)
        old_json = current.model_dump(mode="json")
        new_json = new.model_dump(mode="json")
        diffs = [FieldChange(field=k, old=old_json.get(k), new=new_json.get(k)) for k in new_json if k != "id" and old_json.get(k) != new_json.get(k)]
        if state and state != current.curation_state:
            diffs.append(FieldChange(field="curation_state", old=current.curation_state, new=state))
        if not diffs:
            return current
        at = now()
        origins = dict(current.tag_origins)
        for d in diffs:
            if d.field in TAG_DIMENSIONS:
                origins[d.field] = origin
        row_values: dict[str, Any] = {
            "name": new.name,
            "description": new.description,
            "lead_actor": new.lead_actor,
            "actor_type": new.actor_type,
            "sector": new.sector,
            "start_year": new.start_year,
            "end_year": new.end_year,
            "status": new.status,
            "return_type": new.return_type,
            "last_verified": new.last_verified,
            "updated_at": at,
            "tag_origins": origins,
            "search_text": f"{new.name}\n{new.description}\n{' '.join(a.name for a in new.actors)}",
            "version": InitiativeRow.version + 1,
        }
        if state:
            row_values["curation_state"] = state
        result = self.session.execute(
            update(InitiativeRow).where(InitiativeRow.id == initiative_id, InitiativeRow.version == change.version).values(**row_values)
        )
        if result.rowcount != 1:
            latest = self.session.execute(select(InitiativeRow.version).where(InitiativeRow.id == initiative_id)).scalar()
            raise Conflict(initiative_id, change.version, latest or -1)
        self._replace_children(initiative_id, new)
        self.session.execute(
            insert(RevisionRow),
            [
                {
                    "initiative_id": initiative_id,
                    "version": change.version + 1,
                    "action": "update",
                    "user": user,
                    "origin": origin,
                    "at": at,
                    "changes": [d.model_dump(mode="json") for d in diffs],
                    "note": note,
                }
            ],
        )
        return self.require(initiative_id)

    def _replace_children(self, iid: str, rec: InitiativeCreate) -> None:
        s = self.session
        for table in (TagRow, CountryRow, SourceRow, InitiativeActorRow):
            s.execute(delete(table).where(table.initiative_id == iid))
        s.execute(insert(TagRow), self._tag_rows(iid, rec))
        if rec.countries:
            s.execute(
                insert(CountryRow),
                [{"initiative_id": iid, "code": c.code, "role": c.role, "position": i} for i, c in enumerate(rec.countries)],
            )
        s.execute(insert(SourceRow), [{"initiative_id": iid, "position": i, **x.model_dump()} for i, x in enumerate(rec.sources)])
        actor_ids = self._actor_ids(rec.actors)
        s.execute(insert(InitiativeActorRow), _links(iid, rec.actors, actor_ids))
        lead = actor_ids.get(rec.lead_actor.casefold())
        if lead is not None and lead.name != rec.lead_actor:  # the lead was written by another of its names
            s.execute(update(InitiativeRow).where(InitiativeRow.id == iid).values(lead_actor=lead.name))
        self._fts_delete(iid)
        self._fts_insert([{"id": iid, "name": rec.name, "description": rec.description, "actors": " ".join(a.name for a in rec.actors)}])

    def delete(self, initiative_id: str, version: int, user: str, origin: str = "human") -> None:
        """Delete an initiative; its last state is kept in the revision so that it can be restored."""
        current = self.require(initiative_id)
        if version != current.version:
            raise Conflict(initiative_id, version, current.version, current)
        snapshot = current.model_dump(mode="json", exclude={"tag_origins"})
        self.session.execute(
            insert(RevisionRow),
            [
                {
                    "initiative_id": initiative_id,
                    "version": current.version + 1,
                    "action": "delete",
                    "user": user,
                    "origin": origin,
                    "at": now(),
                    "changes": [{"field": "*", "old": snapshot, "new": None}],
                    "note": None,
                }
            ],
        )
        result = self.session.execute(delete(InitiativeRow).where(InitiativeRow.id == initiative_id, InitiativeRow.version == version))
        if result.rowcount != 1:
            raise Conflict(initiative_id, version, -1)
        self._fts_delete(initiative_id)

    def record_conflict(self, initiative_id: str, based_on: int, current: int, user: str, fields: list[str]) -> None:
        """Log a refused stale edit in the history (called in its own transaction)."""
        self.session.execute(
            insert(RevisionRow),
            [
                {
                    "initiative_id": initiative_id,
                    "version": current,
                    "action": "conflict",
                    "user": user,
                    "origin": "human",
                    "at": now(),
                    "changes": [{"field": f, "old": None, "new": None} for f in fields],
                    "note": f"refused: edit based on version {based_on}, current version {current}",
                }
            ],
        )

    def last_revision_id(self) -> int | None:
        """The newest revision's id: it changes with every write, from any process."""
        return self.session.execute(select(func.max(RevisionRow.id))).scalar()

    def stats(self) -> dict[str, Any]:
        s = self.session
        total = s.execute(select(func.count()).select_from(InitiativeRow)).scalar_one()
        by_state = dict(s.execute(select(InitiativeRow.curation_state, func.count()).group_by(InitiativeRow.curation_state)).all())
        actors = s.execute(select(func.count()).select_from(ActorRow)).scalar_one()
        sources = s.execute(select(func.count()).select_from(SourceRow)).scalar_one()
        revisions = s.execute(select(func.count()).select_from(RevisionRow)).scalar_one()
        oldest = s.execute(select(func.min(InitiativeRow.last_verified))).scalar()
        newest = s.execute(select(func.max(InitiativeRow.last_verified))).scalar()
        return {
            "initiatives": int(total),
            "by_curation_state": {k: int(v) for k, v in by_state.items()},
            "actors": int(actors),
            "sources": int(sources),
            "revisions": int(revisions),
            "last_verified": {"oldest": oldest.isoformat() if oldest else None, "newest": newest.isoformat() if newest else None},
        }


def _keep_actor_relations(new: InitiativeCreate, current: Initiative) -> None:
    """An edit that names an actor without its aliases or office (a form of name, kind and type)
    leaves them as stored: writing never removes them, so the revision should not say it did."""
    known = {a.name.casefold(): a for a in current.actors}
    for a in new.actors:
        old = known.get(a.name.casefold())
        if old is not None:
            a.aliases = a.aliases or list(old.aliases)
            a.office_of = a.office_of or old.office_of


def _links(iid: str, actors: Sequence[Any], refs: dict[str, store_actors.ActorRef]) -> list[dict[str, Any]]:
    """Link rows of an initiative's actors; two names of one actor make one link (the first, or the lead)."""
    out: dict[int, dict[str, Any]] = {}
    for a in actors:
        ref = refs[a.name.casefold()]
        if ref.id in out:
            if a.role == "lead":
                out[ref.id]["role"] = "lead"
            continue
        out[ref.id] = {"initiative_id": iid, "actor_id": ref.id, "role": a.role, "position": len(out)}
    return list(out.values())


def dumps(value: Any) -> str:
    return json.dumps(_jsonable(value), ensure_ascii=False)
