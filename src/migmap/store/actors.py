"""Actors in the store: one row per organisation, its other names (aliases), its country offices.

A name written in a record is the actor of that name, or the actor that has it as an alias;
otherwise a new actor. Names that only look alike are not joined on writing: they are listed
by ``migmap actors duplicates`` and joined with :func:`merge`, which keeps the merged name as
an alias, so that the name written again later is the same actor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import aliased

from migmap.domain.actors import split_office
from migmap.domain.errors import InvalidValue, NotFound
from migmap.domain.models import Actor

from .tables import ActorAliasRow, ActorRow, InitiativeActorRow

if TYPE_CHECKING:
    from .repository import InitiativeRepository

CHUNK = 500
#: Attributes of an actor row that a record may fill in when they are empty.
_FILLABLE = {"public": ("public_type", "country", "website", "wikidata"), "private": ("actor_type", "sector", "country", "website", "wikidata")}
_ATTRIBUTES = ("actor_type", "sector", "public_type", "country", "website", "wikidata")


@dataclass(frozen=True)
class ActorRef:
    """An actor as stored: its id and the name it is stored under."""

    id: int
    name: str


def _chunks(seq: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def _by_name_key(repo: InitiativeRepository, keys: list[str]) -> dict[str, ActorRow]:
    out: dict[str, ActorRow] = {}
    for chunk in _chunks(keys):
        for row in repo.session.execute(select(ActorRow).where(ActorRow.name_key.in_(chunk))).scalars():
            out[row.name_key] = row
    return out


def _by_alias(repo: InitiativeRepository, keys: list[str]) -> dict[str, ActorRow]:
    out: dict[str, ActorRow] = {}
    for chunk in _chunks(keys):
        stmt = select(ActorAliasRow.name_key, ActorRow).join(ActorRow, ActorRow.id == ActorAliasRow.actor_id).where(ActorAliasRow.name_key.in_(chunk))
        for key, row in repo.session.execute(stmt):
            out[key] = row
    return out


def _known(repo: InitiativeRepository, keys: list[str]) -> dict[str, ActorRow]:
    """Actors by name, else by alias, for casefolded names."""
    found = _by_name_key(repo, keys)
    rest = [k for k in keys if k not in found]
    if rest:
        found.update(_by_alias(repo, rest))
    return found


def resolve(repo: InitiativeRepository, actors: Iterable[Any]) -> dict[str, ActorRef]:
    """The stored actor of each named actor (by casefolded name), inserting new ones.

    Known actors get their empty attributes filled, the aliases the records give, and the
    organisation they are an office of (``office_of``, or a name such as "UNHCR Italy" when
    "UNHCR" is known)."""
    wanted: dict[str, Any] = {}
    declared: dict[str, list[str]] = defaultdict(list)
    for a in actors:
        key = a.name.casefold()
        wanted.setdefault(key, a)
        for alias in getattr(a, "aliases", None) or []:
            if alias.casefold() not in {d.casefold() for d in declared[key]}:
                declared[key].append(alias)
    for a in list(wanted.values()):
        parent = getattr(a, "office_of", None)
        if parent and parent.casefold() not in wanted:
            public = a.kind == "public"
            wanted[parent.casefold()] = Actor.model_construct(
                name=parent,
                kind=a.kind,
                public_type=a.public_type if public else None,
                actor_type=None if public else a.actor_type,
                sector=None if public else a.sector,
                aliases=[],
                office_of=None,
            )
    keys = list(wanted)
    found = _known(repo, keys)
    # a name that another actor of these records gives as its alias is that actor
    alias_owner: dict[str, str] = {}
    for key, names in declared.items():
        for alias in names:
            alias_owner.setdefault(alias.casefold(), key)
    redirect = {k: alias_owner[k] for k in keys if k not in found and k in alias_owner and alias_owner[k] != k and alias_owner[k] not in alias_owner}
    new_rows = []
    for key, a in wanted.items():
        row = found.get(key)
        if row is None:
            if key not in redirect:
                new_rows.append({"name": a.name, "name_key": key, "kind": a.kind, **{f: getattr(a, f, None) for f in _ATTRIBUTES}})
            continue
        fill = {f: getattr(a, f, None) for f in _FILLABLE.get(row.kind, ()) if getattr(row, f) is None and getattr(a, f, None) is not None}
        if fill:
            repo.session.execute(update(ActorRow).where(ActorRow.id == row.id).values(**fill))
    repo._bulk_insert(ActorRow, new_rows)
    rows = {**found, **_by_name_key(repo, [r["name_key"] for r in new_rows])}
    refs: dict[str, ActorRef] = {k: ActorRef(r.id, r.name) for k, r in rows.items()}
    for k, owner in redirect.items():
        refs[k] = refs[owner]
    _add_aliases(repo, refs, wanted, declared)
    _link_offices(repo, refs, wanted)
    return refs


def _add_aliases(repo: InitiativeRepository, refs: dict[str, ActorRef], wanted: dict[str, Any], declared: dict[str, list[str]]) -> None:
    """Register the aliases given for each actor, and each name written that is not the stored one."""
    candidates: dict[str, tuple[int, str]] = {}
    for key, ref in refs.items():
        names = list(declared.get(key, []))
        if wanted[key].name.casefold() != ref.name.casefold():
            names.append(wanted[key].name)
        for n in names:
            nk = n.casefold()
            if nk != ref.name.casefold():
                candidates.setdefault(nk, (ref.id, n))
    if not candidates:
        return
    keys = list(candidates)
    taken = set(_by_name_key(repo, keys)) | set(_by_alias(repo, keys))
    todo = {k: v for k, v in candidates.items() if k not in taken}
    if not todo:
        return
    ids = sorted({aid for aid, _ in todo.values()})
    start: dict[int, int] = {}
    for chunk in _chunks(ids):
        stmt = select(ActorAliasRow.actor_id, func.max(ActorAliasRow.position)).where(ActorAliasRow.actor_id.in_(chunk)).group_by(ActorAliasRow.actor_id)
        start.update({aid: int(p) + 1 for aid, p in repo.session.execute(stmt)})
    rows = []
    for nk, (aid, name) in todo.items():
        pos = start.get(aid, 0)
        start[aid] = pos + 1
        rows.append({"name_key": nk, "actor_id": aid, "name": name, "position": pos})
    repo._bulk_insert(ActorAliasRow, rows)


def _link_offices(repo: InitiativeRepository, refs: dict[str, ActorRef], wanted: dict[str, Any]) -> None:
    """Set the organisation of each office: the one named by ``office_of``, or one known by the
    name before a country ("UNHCR" of "UNHCR Italy") for an office that has none yet."""
    explicit: dict[int, str] = {}
    guessed: dict[int, str] = {}
    for key, ref in refs.items():
        a = wanted[key]
        parent = getattr(a, "office_of", None)
        if parent:
            explicit[ref.id] = parent.casefold()
        else:
            split = split_office(a.name)
            if split:
                guessed[ref.id] = split[0].casefold()
    if not explicit and not guessed:
        return
    parents = {k: ActorRef(r.id, r.name) for k, r in _known(repo, sorted(set(explicit.values()) | set(guessed.values()))).items()}
    parents.update({k: refs[k] for k in set(explicit.values()) | set(guessed.values()) if k in refs})
    current = {}
    for chunk in _chunks(sorted(set(explicit) | set(guessed))):
        current.update(dict(repo.session.execute(select(ActorRow.id, ActorRow.parent_id).where(ActorRow.id.in_(chunk))).all()))
    for aid, pkey in [*guessed.items(), *explicit.items()]:
        parent = parents.get(pkey)
        if parent is None or parent.id == aid:
            continue
        if aid in guessed and aid not in explicit and current.get(aid) is not None:
            continue  # a guess never replaces a relation already stored
        grand = repo.session.execute(select(ActorRow.parent_id).where(ActorRow.id == parent.id)).scalar()
        if grand == aid:
            continue  # never a loop
        if current.get(aid) != parent.id:
            repo.session.execute(update(ActorRow).where(ActorRow.id == aid).values(parent_id=parent.id))
            current[aid] = parent.id


def aliases_of(repo: InitiativeRepository, actor_ids: Iterable[int]) -> dict[int, list[str]]:
    """The aliases of each actor, in the order they were added."""
    out: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(sorted(set(actor_ids))):
        stmt = (
            select(ActorAliasRow.actor_id, ActorAliasRow.name)
            .where(ActorAliasRow.actor_id.in_(chunk))
            .order_by(ActorAliasRow.actor_id, ActorAliasRow.position, ActorAliasRow.name_key)
        )
        for aid, name in repo.session.execute(stmt):
            out[aid].append(name)
    return out


def find(repo: InitiativeRepository, name: str) -> ActorRow | None:
    """The actor called ``name`` or having it as an alias (case-insensitive), or None."""
    return _known(repo, [name.casefold()]).get(name.casefold())


def describe(repo: InitiativeRepository, row: ActorRow) -> dict[str, Any]:
    """An actor as plain data: attributes, aliases, the organisation it is an office of, its offices."""
    parent = repo.session.get(ActorRow, row.parent_id) if row.parent_id else None
    offices = list(repo.session.execute(select(ActorRow.name).where(ActorRow.parent_id == row.id).order_by(ActorRow.name_key)).scalars())
    return {
        "name": row.name,
        "kind": row.kind,
        **{f: getattr(row, f) for f in _ATTRIBUTES},
        "aliases": aliases_of(repo, [row.id]).get(row.id, []),
        "office_of": parent.name if parent else None,
        "offices": offices,
    }


def listing(repo: InitiativeRepository) -> list[dict[str, Any]]:
    """Every actor with its aliases, the organisation it is an office of and its number of initiatives."""
    parent = aliased(ActorRow)
    n = func.count(InitiativeActorRow.initiative_id)
    stmt = (
        select(ActorRow.id, ActorRow.name, ActorRow.kind, parent.name, n)
        .outerjoin(InitiativeActorRow, InitiativeActorRow.actor_id == ActorRow.id)
        .outerjoin(parent, parent.id == ActorRow.parent_id)
        .group_by(ActorRow.id, ActorRow.name, ActorRow.kind, parent.name)
        .order_by(ActorRow.name_key)
    )
    rows = repo.session.execute(stmt).all()
    aliases = aliases_of(repo, [r[0] for r in rows])
    return [
        {"id": aid, "name": name, "kind": kind, "office_of": parent_name, "initiatives": int(count), "aliases": aliases.get(aid, [])}
        for aid, name, kind, parent_name, count in rows
    ]


@dataclass
class MergeResult:
    """What :func:`merge` did."""

    kept: str
    merged: str
    initiatives: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kept": self.kept, "merged": self.merged, "initiatives": self.initiatives, "aliases": self.aliases}


def merge(repo: InitiativeRepository, keep: str, other: str, user: str) -> MergeResult:
    """Merge actor ``other`` into actor ``keep`` in the caller's transaction.

    Every initiative of ``other`` is re-pointed to ``keep`` through a normal update (a new
    version with a revision that says so); ``other``'s name and aliases become aliases of
    ``keep``, its offices become offices of ``keep``, and its empty attributes fill ``keep``'s.
    """
    a = find(repo, keep)
    b = find(repo, other)
    unknown = [repr(n) for n, row in ((keep, a), (other, b)) if row is None]
    if unknown:
        raise NotFound(f"no actor named {' or '.join(unknown)} (names and aliases are looked up; `migmap actors duplicates` lists likely pairs)")
    assert a is not None and b is not None
    if a.id == b.id:
        raise InvalidValue(f"{keep!r} and {other!r} are already the same actor ({a.name!r})")
    links = repo.session.execute(select(InitiativeActorRow.initiative_id, InitiativeActorRow.role).where(InitiativeActorRow.actor_id == b.id)).all()
    leads = sorted(i for i, role in links if role == "lead")
    if leads and a.kind != "private":
        raise InvalidValue(
            f"cannot merge {b.name!r} into {a.name!r}: {b.name!r} leads {', '.join(leads[:5])}{' ...' if len(leads) > 5 else ''}, "
            f"and a lead is a private actor while {a.name!r} is {a.kind}"
        )
    fill = {f: getattr(b, f) for f in _FILLABLE.get(a.kind, ()) if getattr(a, f) is None and getattr(b, f) is not None}
    if fill:  # first, so that the re-pointed initiatives name the actor complete
        repo.session.execute(update(ActorRow).where(ActorRow.id == a.id).values(**fill))
    kept = describe(repo, a)
    kept_actor = {f: kept[f] for f in ("name", "kind", *_ATTRIBUTES, "aliases", "office_of")}
    if kept_actor["office_of"] and kept_actor["office_of"].casefold() == b.name.casefold():
        kept_actor["office_of"] = None  # an office merged with its organisation is that organisation
    note = f"actor {b.name!r} merged into {a.name!r}"
    from migmap.domain.models import InitiativeUpdate

    ids = sorted({i for i, _ in links})
    for item in repo.get_many(ids):
        new: list[dict[str, Any]] = []
        for x in item.actors:
            d = x.model_dump(mode="json")
            if x.name.casefold() == b.name.casefold():
                d = {**kept_actor, "role": x.role}
            if d["name"].casefold() == a.name.casefold():
                same = next((y for y in new if y["name"].casefold() == a.name.casefold()), None)
                if same is not None:
                    if d["role"] == "lead":
                        same["role"] = "lead"
                    continue
            new.append(d)
        lead = a.name if item.lead_actor.casefold() == b.name.casefold() else item.lead_actor
        change = InitiativeUpdate(version=item.version, actors=new, lead_actor=lead)
        repo.update(item.id, change, user, origin="human", note=note)
    # the other's names, offices and attributes go to the one kept; then it goes
    repo.session.execute(update(ActorAliasRow).where(ActorAliasRow.actor_id == b.id).values(actor_id=a.id))
    repo.session.execute(update(ActorRow).where(ActorRow.parent_id == b.id, ActorRow.id != a.id).values(parent_id=a.id))
    if repo.session.execute(select(ActorRow.parent_id).where(ActorRow.id == a.id)).scalar() == b.id:
        repo.session.execute(update(ActorRow).where(ActorRow.id == a.id).values(parent_id=b.parent_id if b.parent_id != a.id else None))
    b_name, b_key = b.name, b.name_key
    repo.session.execute(delete(ActorRow).where(ActorRow.id == b.id))
    position = repo.session.execute(select(func.max(ActorAliasRow.position)).where(ActorAliasRow.actor_id == a.id)).scalar()
    repo._bulk_insert(ActorAliasRow, [{"name_key": b_key, "actor_id": a.id, "name": b_name, "position": (position + 1) if position is not None else 0}])
    repo.session.expire_all()
    return MergeResult(kept=a.name, merged=b_name, initiatives=ids, aliases=aliases_of(repo, [a.id]).get(a.id, []))
