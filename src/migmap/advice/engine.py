"""The recommendation engine: knowledge base + evidence from the map -> ranked options.

Pure: it reads gap maps and initiatives handed to it in an :class:`Evidence` and never
opens a database (:mod:`migmap.services.advice` gathers the evidence).

Score of an option (0..1) = 0.5 x fit + 0.3 x gap + 0.2 x models, where

* **fit** (0..1) = 0.4 x share of the asked goals the entry serves
  + 0.25 x asker (1 if the asker is among those well placed to lead it, else 0.4)
  + 0.2 x offers (share of the entry's levers the asker can offer; 0.5 if none given)
  + 0.15 x context (migrant groups / themes asked that the entry covers; 0.5 if none asked);
* **gap** (0..1) = how under-served the stage x actor-type cell is in the slice:
  ``1 - min(1, share / (2 x even share))`` where the even share is 1 / (number of
  actor types that can be partners); 0.5 when nothing at all is mapped at that stage
  in the slice (unknown, not empty);
* **models** (0..1) = ``min(1, (here + 0.25 x elsewhere) / 3)`` with *here* the
  initiatives at that stage led by that actor type and sector in the slice (the
  evidence count) and *elsewhere* the same outside the asked place.

    >>> from migmap.advice import Question
    >>> q = Question.build("donor_agency", "arrival", "migrant_rights")
    >>> rec = recommend(q, Evidence.empty(q))
    >>> len(rec.options) >= 3, rec.thin
    (True, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from migmap.domain.models import Initiative
from migmap.framework import load_framework

from .knowledge import NEVER_PARTNER_ACTOR_TYPES, NEVER_PARTNER_ROLES, Entry, KnowledgeBase, Note, load_knowledge
from .model import Example, Gap, Option, Recommendation, WatchItem
from .question import Question

__all__ = ["Evidence", "THIN_EVIDENCE", "recommend", "score_parts", "is_never_partner"]

#: Fewer mapped initiatives than this at the asked stages in the slice: the evidence is thin.
THIN_EVIDENCE = 5
WEIGHTS = {"fit": 0.5, "gap": 0.3, "models": 0.2}
#: Themes that mark an informal actor as an intermediary (broker, smuggler, informal lender).
INTERMEDIARY_THEMES = frozenset({"recruitment", "travel_transport", "finance_remittances", "migration_control"})


class CellLike(Protocol):
    count: int
    ids: list[str]


class GapMapLike(Protocol):
    """What the engine needs of :class:`migmap.analysis.GapMap`."""

    total: int
    row_totals: dict[str, int]

    def cell(self, row: str, col: str) -> Any: ...


@dataclass
class _EmptyCell:
    count: int = 0
    ids: list[str] = field(default_factory=list)


@dataclass
class _EmptyMap:
    total: int = 0
    row_totals: dict[str, int] = field(default_factory=dict)

    def cell(self, row: str, col: str) -> _EmptyCell:
        return _EmptyCell()


#: Scopes of example pools, nearest first (see :func:`examples_for`).
SCOPES = ("here", "elsewhere", "other_actor", "other_actor_elsewhere")
#: At most this many candidate ids per example pool (the best are then picked by relevance).
POOL = 40
#: At most this many initiatives are listed as risks to watch (the note gives the total).
WATCH_LIMIT = 50


@dataclass
class Evidence:
    """Evidence from the map for one question.

    * ``overall``: the gap map stages x actor_type of the question's slice (place,
      migrant groups, themes): the gap of an option is read here;
    * ``by_stage[st]``: the gap map actor_type x sector of the slice restricted to stage
      ``st``: an option's evidence count is its (actor type, sector) cell;
    * ``elsewhere_by_stage[st]``: the same without the place (only when a place is asked);
    * ``pools[(scope, stage, actor_type, sector)]``: candidate example ids per scope of
      :data:`SCOPES` (build them from maps that carry ids with :meth:`from_maps`);
    * ``items``: the initiatives named in the pools;
    * ``watch``: initiatives at the asked stages in the slice that are control
      contractors or micro/informal actors (at most :data:`WATCH_LIMIT`), ``watch_total``
      how many there are;
    * ``at_stages``: initiatives in the slice at any asked stage.
    """

    overall: GapMapLike
    by_stage: dict[str, GapMapLike] = field(default_factory=dict)
    elsewhere_by_stage: dict[str, GapMapLike] = field(default_factory=dict)
    pools: dict[tuple[str, str, str, str], list[str]] = field(default_factory=dict)
    items: dict[str, Initiative] = field(default_factory=dict)
    watch: list[Initiative] = field(default_factory=list)
    watch_total: int = 0
    at_stages: int = 0

    @classmethod
    def empty(cls, question: Question | None = None) -> Evidence:
        """No evidence at all (an empty map)."""
        return cls(overall=_EmptyMap())

    @classmethod
    def from_maps(
        cls,
        question: Question,
        overall: GapMapLike,
        by_stage: dict[str, GapMapLike],
        elsewhere_by_stage: dict[str, GapMapLike] | None = None,
        items: dict[str, Initiative] | None = None,
        watch: list[Initiative] | None = None,
    ) -> Evidence:
        """Evidence from gap maps that carry ids (in memory, small maps): pools come from cells."""
        elsewhere_by_stage = elsewhere_by_stage or {}
        partners = [a for a in load_framework()["actor_type"].codes if a not in NEVER_PARTNER_ACTOR_TYPES]
        pools: dict[tuple[str, str, str, str], list[str]] = {}
        for e in load_knowledge().entries:
            if e.stage not in by_stage:
                continue
            maps = {"here": by_stage[e.stage], "elsewhere": elsewhere_by_stage.get(e.stage)}
            for scope, gm in maps.items():
                if gm is None:
                    continue
                pools[(scope, e.stage, e.actor_type, e.sector)] = list(gm.cell(e.actor_type, e.sector).ids)[:POOL]
                other: list[str] = []
                for a in partners:
                    if a != e.actor_type:
                        other += [i for i in gm.cell(a, e.sector).ids if i not in other]
                key = "other_actor" if scope == "here" else "other_actor_elsewhere"
                pools[(key, e.stage, e.actor_type, e.sector)] = other[:POOL]
        ids: set[str] = set()
        for st in question.stages:
            for col in load_framework()["actor_type"].codes:
                ids.update(overall.cell(st, col).ids)
        at_stages = len(ids) or max([int(overall.row_totals.get(st, 0)) for st in question.stages] or [0])
        watch = list(watch or [])
        return cls(overall, by_stage, elsewhere_by_stage, pools, dict(items or {}), watch[:WATCH_LIMIT], len(watch), at_stages)

    def stage_map(self, stage: str) -> GapMapLike:
        return self.by_stage.get(stage) or _EmptyMap()

    def elsewhere_map(self, stage: str) -> GapMapLike | None:
        return self.elsewhere_by_stage.get(stage)

    def here_count(self, entry: Entry) -> int:
        """Initiatives at the entry's stage led by its actor type and sector, in the slice."""
        return int(self.stage_map(entry.stage).cell(entry.actor_type, entry.sector).count)

    def elsewhere_count(self, entry: Entry) -> int:
        """The same outside the asked place (0 when no place was asked)."""
        other = self.elsewhere_map(entry.stage)
        if other is None:
            return 0
        return max(0, int(other.cell(entry.actor_type, entry.sector).count) - self.here_count(entry))

    def pool(self, scope: str, entry: Entry) -> list[str]:
        return self.pools.get((scope, entry.stage, entry.actor_type, entry.sector), [])


def is_never_partner(item: Initiative) -> bool:
    """True for initiatives led by micro/informal actors or with a control-contractor role."""
    return item.actor_type in NEVER_PARTNER_ACTOR_TYPES or bool(NEVER_PARTNER_ROLES & set(item.business_roles))


# ------------------------------------------------------------------ scoring
def _overlap(a: Iterable[str], b: Iterable[str]) -> int:
    return len(set(a) & set(b))


def fit_score(entry: Entry, q: Question) -> float:
    goal = _overlap(entry.goals, q.goals) / len(q.goals)
    asker = 1.0 if q.asker in entry.askers else 0.4
    offers = _overlap(entry.offers, q.offers) / len(entry.offers) if q.offers and entry.offers else 0.5
    parts = []
    if q.migrant_groups:
        parts.append(1.0 if _overlap(entry.migrant_groups, q.migrant_groups) else 0.0)
    if q.themes:
        parts.append(1.0 if _overlap(entry.themes, q.themes) else 0.0)
    context = sum(parts) / len(parts) if parts else 0.5
    return 0.4 * goal + 0.25 * asker + 0.2 * offers + 0.15 * context


def article(noun: str) -> str:
    """``a donor agency``, ``an origin-country government`` (lower case)."""
    noun = noun.lower()
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _even_share() -> float:
    partners = [c for c in load_framework()["actor_type"].codes if c not in NEVER_PARTNER_ACTOR_TYPES]
    return 1.0 / len(partners)


def gap_of(entry: Entry, overall: GapMapLike, q: Question) -> Gap:
    fw = load_framework()
    stage_total = int(overall.row_totals.get(entry.stage, 0))
    count = int(overall.cell(entry.stage, entry.actor_type).count)
    actor = fw.label("actor_type", entry.actor_type).lower()
    stage = fw.label("stages", entry.stage).lower()
    where = f" in {q.place()}" if q.has_place else ""
    if stage_total == 0:
        return Gap("unmapped", 0.5, 0, 0, 0.0, f"Nothing is mapped at the {stage} stage{where} in this slice yet: the gap is unknown, not proven.")
    even = _even_share()
    share = count / stage_total
    score = max(0.0, 1.0 - min(1.0, share / (2 * even)))
    if count == 0:
        level = "empty"
    elif share < 0.5 * even:
        level = "thin"
    elif share < 1.5 * even:
        level = "moderate"
    else:
        level = "well_covered"
    words = {"empty": "an empty cell", "thin": "a thin cell", "moderate": "a moderately filled cell", "well_covered": "a well covered cell"}[level]
    text = (
        f"{count} of {stage_total} mapped initiatives at the {stage} stage{where} ({share:.0%}) are led by {article(actor)}, "
        f"against an even share of {even:.0%}: {words}."
    )
    return Gap(level, score, count, stage_total, share, text)


def models_score(here: int, elsewhere: int) -> float:
    return min(1.0, (here + 0.25 * elsewhere) / 3.0)


def score_parts(entry: Entry, q: Question, evidence: Evidence) -> dict[str, float]:
    """The three parts of an entry's score for a question (for tests and explanations)."""
    models = models_score(evidence.here_count(entry), evidence.elsewhere_count(entry))
    return {"fit": fit_score(entry, q), "gap": gap_of(entry, evidence.overall, q).score, "models": models}


# ----------------------------------------------------------------- examples
def relevance(entry: Entry, item: Initiative) -> int:
    """How closely an initiative does what an entry proposes: themes count double."""
    return (
        2 * _overlap(entry.themes, item.themes)
        + _overlap(entry.modalities, item.modalities)
        + _overlap(entry.contributions, item.contributions)
        + _overlap(entry.goals, item.goals)
    )


def _example_rank(entry: Entry, item: Initiative) -> tuple:
    return (-relevance(entry, item), -(item.last_verified.toordinal() if item.last_verified else 0), item.name.lower(), item.id)


def _pick(entry: Entry, ids: Sequence[str], items: dict[str, Initiative], scope: str, taken: set[str], n: int) -> list[Example]:
    """The ``n`` most relevant usable initiatives of a pool; outside the option's own cell
    (``scope`` other than ``here``) an example must share at least one theme with the entry."""
    pool = [items[i] for i in ids if i in items and i not in taken and not is_never_partner(items[i])]
    if scope != "here":
        pool = [it for it in pool if _overlap(entry.themes, it.themes)]
    pool.sort(key=lambda it: _example_rank(entry, it))
    out = []
    for it in pool[: max(0, n)]:
        taken.add(it.id)
        url = str(it.sources[0].url) if it.sources else ""
        out.append(Example(it.id, it.name, scope, url, tuple(c.code for c in it.countries), it.lead_actor))
    return out


def examples_for(entry: Entry, evidence: Evidence, wanted: int = 3) -> list[Example]:
    """Two or three models to copy, nearest first.

    1. same stage, actor type and sector in the asked slice (``here``);
    2. the same outside the asked place (``elsewhere``);
    3. same stage and sector, another actor type, in the slice, then outside it
       (``other_actor``, ``other_actor_elsewhere``).

    Control contractors and informal actors are never examples."""
    taken: set[str] = set()
    out = _pick(entry, evidence.pool("here", entry), evidence.items, "here", taken, wanted)
    for scope in SCOPES[1:]:
        if len(out) >= 2:
            break
        n = wanted - len(out) if scope == "elsewhere" else 2 - len(out)
        out += _pick(entry, evidence.pool(scope, entry), evidence.items, scope, taken, n)
    return out


# ------------------------------------------------------------------ the answer
def _rule_fired(entry: Entry, q: Question) -> str:
    fw = load_framework()
    goals = [fw.label("goals", g) for g in entry.goals if g in q.goals]
    text = f"{entry.id}: stage {fw.label('stages', entry.stage)} x goal {', '.join(goals)}"
    if q.asker in entry.askers:
        text += f"; {article(fw.label('public_partners', q.asker))} is well placed to lead it"
    levers = [o for o in entry.offers if o in q.offers]
    if levers:
        text += f"; uses what you offer ({', '.join(levers)})"
    return text


def _notes(codes: Iterable[str], catalogue: dict[str, Note]) -> list[Note]:
    seen: list[str] = []
    for c in codes:
        if c not in seen:
            seen.append(c)
    return [catalogue[c] for c in seen]


def _watch(evidence: Evidence, q: Question) -> list[WatchItem]:
    out = []
    for item in sorted(evidence.watch, key=lambda i: i.name.lower()):
        reasons = []
        if "control_contractor" in item.business_roles:
            reasons.append("carries out migration control for states (control contractor): map it, do not partner")
        if item.actor_type in NEVER_PARTNER_ACTOR_TYPES:
            if set(item.themes) & INTERMEDIARY_THEMES:
                reasons.append("informal intermediary (may include unlicensed brokers or smugglers): never a partner")
            else:
                reasons.append(
                    "micro or informal business: never proposed as a partner, but it may be among those a "
                    "programme should reach (e.g. migrant- or returnee-owned firms): watch for exploitation and informality"
                )
        stages = tuple(s for s in item.stages if s in q.stages) or tuple(item.stages)
        out.append(WatchItem(item.id, item.name, item.actor_type, tuple(item.business_roles), stages, "; ".join(reasons)))
    return out


def _evidence_note(q: Question, evidence: Evidence, thin: bool, at_stages: int, n_watch: int, used_elsewhere: bool) -> str:
    fw = load_framework()
    stages = ", ".join(fw.label("stages", s).lower() for s in q.stages)
    slice_desc = q.filters().describe()
    slice_desc = "the whole map" if slice_desc == "all initiatives" else slice_desc
    parts = []
    if at_stages == 0:
        parts.append(
            f"No mapped initiative matches this question ({stages} stage; {slice_desc}): the evidence is thin. "
            "The options rest on the knowledge base (the ECDPM report and named public frameworks)"
            + (", with examples from elsewhere where the map has them." if used_elsewhere else ".")
        )
    elif thin:
        parts.append(
            f"The evidence is thin: only {at_stages} mapped initiative{'s' if at_stages != 1 else ''} "
            f"match ({stages} stage; {slice_desc}). The options rest mainly on the knowledge base"
            + (", with examples from elsewhere." if used_elsewhere else ".")
        )
    else:
        parts.append(f"Evidence from {at_stages} mapped initiatives at the {stages} stage ({slice_desc}).")
    parts.append(
        "Evidence counts are initiatives in the map at that stage led by that actor type and sector "
        "(the gap-map cell of the slice); a low count can mean a real gap or a gap in the map."
    )
    if n_watch:
        what = (
            "initiatives in the slice are control contractors or informal actors"
            if n_watch != 1
            else "initiative in the slice is a control contractor or an informal actor"
        )
        listed = "listed as risks to watch" if n_watch <= WATCH_LIMIT else f"the first {WATCH_LIMIT} by name are listed as risks to watch"
        parts.append(f"{n_watch} {what}: {listed}, never as partners.")
    return " ".join(parts)


def recommend(question: Question, evidence: Evidence, kb: KnowledgeBase | None = None, limit: int = 5) -> Recommendation:
    """Rank the knowledge base's options for ``question`` on ``evidence``; keep the best ``limit``.

    Every entry at an asked stage that serves at least one asked goal is a candidate;
    ``limit`` is raised to 3 if lower (the advisor always offers a choice)."""
    kb = kb or load_knowledge()
    limit = max(3, int(limit))
    candidates = [e for e in kb.entries if e.stage in question.stages and _overlap(e.goals, question.goals) and e.actor_type not in NEVER_PARTNER_ACTOR_TYPES]
    scored = []
    for order, e in enumerate(candidates):
        parts = score_parts(e, question, evidence)
        total = sum(WEIGHTS[k] * v for k, v in parts.items())
        scored.append((round(total, 6), -order, e, parts))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)

    options: list[Option] = []
    used_elsewhere = False
    fw = load_framework()
    for rank, (total, _, e, parts) in enumerate(scored[:limit], start=1):
        here, elsewhere = evidence.here_count(e), evidence.elsewhere_count(e)
        examples = examples_for(e, evidence)
        used_elsewhere = used_elsewhere or any(x.scope != "here" for x in examples)
        note = e.asker_notes.get(question.asker, "")
        if not note:
            general = kb.askers.get(question.asker, "")
            note = f"{article(fw.label('public_partners', question.asker)).capitalize()}: {general[:1].lower()}{general[1:]}" if general else ""
        options.append(
            Option(
                rank=rank,
                score=total,
                entry=e,
                stage=e.stage,
                fit=parts["fit"],
                models=parts["models"],
                gap=gap_of(e, evidence.overall, question),
                evidence_count=here,
                evidence_elsewhere=elsewhere,
                examples=examples,
                rule_fired=_rule_fired(e, question),
                asker_note=note,
                sources=[kb.cite(c) for c in e.sources],
                risks=_notes(e.risks, kb.risks),
                safeguards=_notes(list(e.safeguards) + list(kb.universal_safeguards), kb.safeguards),
            )
        )
    at_stages = evidence.at_stages
    thin = at_stages < THIN_EVIDENCE
    watch = _watch(evidence, question)
    cited = sorted({c.source for o in options for c in o.entry.sources}, key=lambda s: (s != "ecdpm", s))
    return Recommendation(
        question=question,
        options=options,
        risks_to_watch=watch,
        evidence_note=_evidence_note(question, evidence, thin, at_stages, max(evidence.watch_total, len(watch)), used_elsewhere),
        thin=thin,
        slice_total=int(evidence.overall.total),
        sources=[kb.sources[s].reference() for s in cited],
        asker_guidance=kb.askers.get(question.asker, ""),
    )
