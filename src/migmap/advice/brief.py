"""The brief as plain data with labels: what every renderer (table, Markdown, HTML, PDF) shows.

>>> from migmap.advice import Question, recommend, Evidence
>>> rec = recommend(Question.build("donor_agency", "arrival", "migrant_rights"), Evidence.empty())
>>> ctx = brief_context(rec)
>>> print(ctx["title"])
Engaging the private sector: arrival, migrants' rights
>>> ctx["options"][0]["partner"]  # doctest: +ELLIPSIS
'...'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from migmap.domain.countries import country_name
from migmap.framework import load_framework

from .engine import WEIGHTS, article
from .knowledge import load_knowledge
from .model import Example, Recommendation

__all__ = ["LinkFn", "brief_context", "default_link", "SCOPE_WORDS"]

#: ``link(example) -> url or ""``: where an example's name points in HTML and Markdown.
LinkFn = Callable[[Example], str]

SCOPE_WORDS = {
    "here": "",
    "elsewhere": "elsewhere",
    "other_actor": "another actor type",
    "other_actor_elsewhere": "another actor type, elsewhere",
}


#: Said when initiatives exist in the cell but none is shown as a model.
NO_CLOSE_MODEL = "None is shown as a model: they are control contractors or informal actors, or work on other themes."


def default_link(example: Example) -> str:
    """Link an example to its first public source."""
    return example.url


def _labels(dim: str, codes: list[str] | tuple[str, ...]) -> list[str]:
    fw = load_framework()
    return [fw.label(dim, c) for c in codes]


def _example(x: Example, link: LinkFn) -> dict[str, Any]:
    where = ", ".join(country_name(c) for c in x.countries[:3]) + (" ..." if len(x.countries) > 3 else "")
    return {
        "id": x.id,
        "name": x.name,
        "url": link(x) or "",
        "where": where,
        "lead": x.lead_actor,
        "scope": SCOPE_WORDS.get(x.scope, x.scope),
    }


def brief_context(rec: Recommendation, link: LinkFn | None = None, generated: dt.date | None = None) -> dict[str, Any]:
    """Everything a brief shows, labelled for people (codes kept alongside)."""
    link = link or default_link
    fw = load_framework()
    kb = load_knowledge()
    q = rec.question
    stages = ", ".join(fw.label("stages", s).lower() for s in q.stages)
    goals = ", ".join(fw.label("goals", g).lower() for g in q.goals)
    universal = set(kb.universal_safeguards)
    options = []
    for o in rec.options:
        e = o.entry
        options.append(
            {
                "rank": o.rank,
                "score": round(o.score, 3),
                "title": e.title,
                "rule": e.id,
                "stage": fw.label("stages", o.stage),
                "actor_type": e.actor_type,
                "sector": e.sector,
                "partner": f"{fw.label('actor_type', e.actor_type)} · {fw.label('sector', e.sector)}",
                "contributions": _labels("contributions", e.contributions),
                "modalities": _labels("modalities", e.modalities),
                "tools": list(e.tools),
                "why": e.rationale,
                "fired": o.rule_fired,
                "for_asker": o.entry.asker_notes.get(q.asker, ""),  # the general guidance is in the header
                "gap": o.gap,
                "gap_label": o.gap.level.replace("_", " "),
                "evidence_count": o.evidence_count,
                "evidence_elsewhere": o.evidence_elsewhere,
                "examples": [_example(x, link) for x in o.examples],
                "risks": o.risks,
                "safeguards": [s for s in o.safeguards if s.code not in universal],
                "sources": o.sources,
                "parts": {"fit": round(o.fit, 2), "gap": round(o.gap.score, 2), "models": round(o.models, 2)},
            }
        )
    watch = [
        {
            "id": w.id,
            "name": w.name,
            "actor_type": fw.label("actor_type", w.actor_type),
            "reason": w.reason,
            "stages": ", ".join(_labels("stages", w.stages)),
        }
        for w in rec.risks_to_watch
    ]
    return {
        "title": f"Engaging the private sector: {stages}, {goals}",
        "question": q.describe(),
        "asker": fw.label("public_partners", q.asker),
        "asker_article": article(fw.label("public_partners", q.asker)),
        "asker_guidance": rec.asker_guidance,
        "place": q.place() if q.has_place else "",
        "generated": (generated or dt.date.today()).isoformat(),
        "options": options,
        "watch": watch,
        "evidence_note": rec.evidence_note,
        "thin": rec.thin,
        "slice_total": rec.slice_total,
        "references": rec.sources,
        "universal_safeguards": [kb.safeguards[c] for c in kb.universal_safeguards],
        "offers": [kb.offers[o] for o in q.offers],
        "weights": WEIGHTS,
        "no_close_model": NO_CLOSE_MODEL,
    }
