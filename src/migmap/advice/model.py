"""What the advisor answers: a :class:`Recommendation` of ranked :class:`Option` objects.

The JSON form (``Recommendation.to_dict()``) is a stable, documented contract (see
``README.md`` in this package)::

    {"question": {...},
     "options": [{"rank", "score", "actor_type", "sector", "contributions", "modalities",
                  "tools", "rationale", "gap", "evidence": {"count", "examples": [{"id", "name"}]},
                  "risks", "safeguards"}],
     "risks_to_watch": [...],
     "evidence_note": "..."}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .knowledge import Entry, Note
from .question import Question

__all__ = ["Example", "Gap", "Option", "Recommendation", "WatchItem"]


@dataclass(frozen=True)
class Example:
    """An initiative of the map that already does what an option proposes.

    ``scope`` says where it was found: ``here`` (same stage, actor type and sector in the
    question's slice), ``elsewhere`` (the same outside the asked place), ``other_actor``
    (same stage and sector, another actor type, in the slice) or ``other_actor_elsewhere``.
    Only ``id`` and ``name`` go into the JSON; the rest serves the printed brief."""

    id: str
    name: str
    scope: str = "here"
    url: str = ""
    countries: tuple[str, ...] = ()
    lead_actor: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Gap:
    """How under-served the option's cell (stage x actor type) is in the question's slice."""

    level: str  # empty | thin | moderate | well_covered | unmapped
    score: float  # 0 (well covered) .. 1 (empty)
    count: int  # initiatives at this stage led by this actor type, in the slice
    stage_total: int  # initiatives at this stage in the slice
    share: float  # count / stage_total
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "score": round(self.score, 3),
            "count": self.count,
            "stage_total": self.stage_total,
            "share": round(self.share, 3),
            "text": self.text,
        }


@dataclass
class Option:
    """One ranked engagement option."""

    rank: int
    score: float
    entry: Entry
    stage: str
    fit: float
    models: float
    gap: Gap
    evidence_count: int
    evidence_elsewhere: int
    examples: list[Example]
    rule_fired: str
    asker_note: str
    sources: list[str]
    risks: list[Note]
    safeguards: list[Note]

    @property
    def actor_type(self) -> str:
        return self.entry.actor_type

    @property
    def sector(self) -> str:
        return self.entry.sector

    def to_dict(self) -> dict[str, Any]:
        e = self.entry
        return {
            "rank": self.rank,
            "score": round(self.score, 3),
            "actor_type": e.actor_type,
            "sector": e.sector,
            "contributions": list(e.contributions),
            "modalities": list(e.modalities),
            "tools": list(e.tools),
            "rationale": {
                "rule": e.id,
                "title": e.title,
                "stage": self.stage,
                "fired": self.rule_fired,
                "why": e.rationale,
                "gap_addressed": self.gap.text,
                "for_asker": self.asker_note,
                "sources": list(self.sources),
                "score_parts": {"fit": round(self.fit, 3), "gap": round(self.gap.score, 3), "models": round(self.models, 3)},
            },
            "gap": self.gap.to_dict(),
            "evidence": {"count": self.evidence_count, "examples": [x.to_dict() for x in self.examples]},
            "risks": [r.to_dict() for r in self.risks],
            "safeguards": [s.to_dict() for s in self.safeguards],
        }


@dataclass(frozen=True)
class WatchItem:
    """An initiative in the slice that must not be a partner: a control contractor or an informal actor."""

    id: str
    name: str
    actor_type: str
    business_roles: tuple[str, ...]
    stages: tuple[str, ...]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "actor_type": self.actor_type,
            "business_roles": list(self.business_roles),
            "stages": list(self.stages),
            "reason": self.reason,
        }


@dataclass
class Recommendation:
    """The advisor's answer to a :class:`Question`."""

    question: Question
    options: list[Option]
    risks_to_watch: list[WatchItem]
    evidence_note: str
    thin: bool
    slice_total: int
    sources: list[str] = field(default_factory=list)  # full references of everything cited
    asker_guidance: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form (see the package README)."""
        return {
            "question": self.question.to_dict(),
            "options": [o.to_dict() for o in self.options],
            "risks_to_watch": [w.to_dict() for w in self.risks_to_watch],
            "evidence_note": self.evidence_note,
        }
