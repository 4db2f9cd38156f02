"""One actor per organisation: list the actors of a database that are likely the same, and merge two.

>>> from migmap import Database
>>> db = Database("sqlite:///:memory:")
>>> _ = db.init(bundled=False)
>>> duplicates(db)
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migmap.domain.actors import SIMILARITY_CUTOFF, DuplicatePair, likely_duplicates
from migmap.store import actors as store_actors

if TYPE_CHECKING:
    from .database import Database


@dataclass(frozen=True)
class ActorDuplicate:
    """Two actors of a database that are likely one organisation, with their numbers of initiatives."""

    pair: DuplicatePair
    a_initiatives: int
    b_initiatives: int

    def to_dict(self) -> dict[str, Any]:
        return {**self.pair.to_dict(), "a_initiatives": self.a_initiatives, "b_initiatives": self.b_initiatives}


def duplicates(db: Database, cutoff: float = SIMILARITY_CUTOFF) -> list[ActorDuplicate]:
    """Likely duplicate actors of ``db`` (see :func:`migmap.domain.actors.likely_duplicates`);
    an actor and one of its stored offices are not duplicates."""
    with db.reading() as repo:
        rows = store_actors.listing(repo)
    by_name = {r["name"]: r for r in rows}
    pairs = likely_duplicates(by_name, cutoff=cutoff, aliases={r["name"]: r["aliases"] for r in rows if r["aliases"]})
    out = []
    for p in pairs:
        a, b = by_name[p.a], by_name[p.b]
        if (a["office_of"] or "").casefold() == b["name"].casefold() or (b["office_of"] or "").casefold() == a["name"].casefold():
            continue
        out.append(ActorDuplicate(p, a["initiatives"], b["initiatives"]))
    return out


def merge(db: Database, keep: str, other: str, user: str | None = None) -> store_actors.MergeResult:
    """Merge actor ``other`` into ``keep`` in one transaction: its initiatives re-pointed (each
    with a revision), its name kept as an alias of ``keep``. Unknown names raise ``NotFound``."""
    with db.transaction() as repo:
        return store_actors.merge(repo, keep, other, user or db.user)


def actor(db: Database, name: str) -> dict[str, Any] | None:
    """An actor by name or alias: attributes, aliases, the organisation it is an office of, its offices."""
    with db.reading() as repo:
        row = store_actors.find(repo, name)
        return store_actors.describe(repo, row) if row is not None else None
