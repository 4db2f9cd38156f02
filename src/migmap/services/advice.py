"""The advise use case: a question + a map database -> a recommendation.

    >>> from migmap import Database
    >>> db = Database("sqlite:///:memory:"); _ = db.init(bundled=False)
    >>> rec = advise(db, asker="donor_agency", stages="arrival", goals="migrant_rights")
    >>> len(rec.options) >= 3, rec.thin
    (True, True)

Evidence comes from gap maps (:func:`migmap.services.analysis.compute_gap_map`) of the
question's slice (place, migrant groups, themes): stages x actor_type for the gaps, and
actor_type x sector at each asked stage for the evidence, so an option's evidence count
is exactly the gap-map cell (its actor type, its sector) of
``evidence_filters(question, its stage)`` -- the same number as the cell (its stage, its
actor type) of the stages x actor_type map of the slice restricted to its sector.
"""

from __future__ import annotations

from typing import Any

from migmap.advice.engine import POOL, SCOPES, WATCH_LIMIT, Evidence, recommend
from migmap.advice.knowledge import NEVER_PARTNER_ACTOR_TYPES, Entry, KnowledgeBase, load_knowledge
from migmap.advice.model import Recommendation
from migmap.advice.question import Question
from migmap.domain.filters import Filters
from migmap.framework import load_framework

from .analysis import compute_gap_map
from .database import Database

__all__ = ["advise", "gather_evidence", "evidence_filters"]


def evidence_filters(question: Question, stage: str | None = None, place: bool = True) -> Filters:
    """The filters of the slice an option's evidence is counted on (documented and tested).

    ``stage`` restricts the slice to one stage; ``place=False`` drops countries and regions."""
    data: dict[str, Any] = question.filters().model_dump()
    if stage:
        data["stages"] = [stage]
    if not place:
        data["countries"], data["regions"] = [], []
    return Filters.model_validate(data)


def _pool_filters(question: Question, entry: Entry, scope: str) -> Filters:
    data = evidence_filters(question, entry.stage, place=not scope.endswith("elsewhere")).model_dump()
    data["sectors"] = [entry.sector]
    if scope.startswith("other_actor"):
        data["actor_types"] = [a for a in load_framework()["actor_type"].codes if a not in NEVER_PARTNER_ACTOR_TYPES and a != entry.actor_type]
    else:
        data["actor_types"] = [entry.actor_type]
    return Filters.model_validate(data)


def gather_evidence(db: Database, question: Question, kb: KnowledgeBase | None = None) -> Evidence:
    """Read from the map everything the engine needs for ``question``.

    Counts come from gap maps (without ids, so the cost does not grow with the cells'
    size): one stages x actor_type map of the slice (the gaps), and per asked stage one
    actor_type x sector map of the slice at that stage (the evidence counts), plus the same
    without the place when a place is asked (models elsewhere). Example candidates are then
    fetched per option and scope with a bounded query (at most ``POOL`` ids each)."""
    kb = kb or load_knowledge()
    overall = compute_gap_map(db, rows="stages", cols="actor_type", filters=evidence_filters(question), with_ids=False)
    by_stage = {st: compute_gap_map(db, rows="actor_type", cols="sector", filters=evidence_filters(question, st), with_ids=False) for st in question.stages}
    elsewhere = {}
    if question.has_place:
        elsewhere = {
            st: compute_gap_map(db, rows="actor_type", cols="sector", filters=evidence_filters(question, st, place=False), with_ids=False)
            for st in question.stages
        }
    candidates = [e for e in kb.entries if e.stage in question.stages and set(e.goals) & set(question.goals)]
    scopes = SCOPES if question.has_place else tuple(s for s in SCOPES if not s.endswith("elsewhere"))
    base = evidence_filters(question).model_dump()
    base["stages"] = list(question.stages)
    pools: dict[tuple[str, str, str, str], list[str]] = {}
    index = db.index()
    for e in candidates:
        for scope in scopes:
            key = (scope, e.stage, e.actor_type, e.sector)
            if key not in pools:
                pools[key] = index.first_ids(_pool_filters(question, e, scope), POOL, db.text_ids)
    with db.reading() as repo:
        ids = sorted({i for pool in pools.values() for i in pool})
        items = {i.id: i for i in repo.get_many(ids)} if ids else {}
        control = {**base, "business_roles": ["control_contractor"]}
        informal = {**base, "actor_types": ["micro_informal"]}
        watch_ids = {i for f in (control, informal) for i in index.first_ids(Filters.model_validate(f), WATCH_LIMIT, db.text_ids)}
        first = sorted(repo.get_many(sorted(watch_ids)), key=lambda i: (i.name.lower(), i.id))[:WATCH_LIMIT]
    watch_total = (
        index.count(Filters.model_validate(control), db.text_ids)
        + index.count(Filters.model_validate(informal), db.text_ids)
        - index.count(Filters.model_validate({**control, "actor_types": ["micro_informal"]}), db.text_ids)
    )
    at_stages = index.count(Filters.model_validate(base), db.text_ids)
    return Evidence(
        overall=overall,
        by_stage=by_stage,
        elsewhere_by_stage=elsewhere,
        pools=pools,
        items=items,
        watch=first,
        watch_total=watch_total,
        at_stages=at_stages,
    )


def advise(db: Database, question: Question | None = None, *, limit: int = 5, **parts: Any) -> Recommendation:
    """Answer a question on the map in ``db``.

    Pass a :class:`Question` or its parts as keywords (``asker``, ``stages``, ``goals``,
    ``migrant_groups``, ``themes``, ``countries``, ``regions``, ``offers``); bad codes raise
    :class:`migmap.advice.InvalidQuestion` listing the allowed values."""
    q = question if question is not None else Question.build(**parts)
    kb = load_knowledge()
    return recommend(q, gather_evidence(db, q, kb), kb, limit=limit)
