"""The advisor's knowledge base: typed, checked entries loaded from ``knowledge.yaml``.

Each :class:`Entry` is one engagement option for one stage: which private actor type
and sector, which contributions to seek, through which modalities and tools, with which
risks and safeguards, why, and where the reasoning comes from::

    >>> kb = load_knowledge()
    >>> entry = kb.entry("pd-fair-recruitment")
    >>> entry.stage, entry.actor_type, entry.sector
    ('pre_departure', 'sme', 'recruitment_employment')
    >>> kb.source("ilo").short
    'ILO Fair Recruitment Principles'
    >>> len(kb.for_stage("arrival")) >= 3
    True

Loading checks every code against the framework and refuses an entry that would make a
``control_contractor`` or a ``micro_informal`` actor a partner; a problem raises
:class:`KnowledgeError` naming the entry and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from migmap.domain.errors import MigmapError
from migmap.framework import Framework, load_framework

__all__ = [
    "Citation",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Note",
    "Source",
    "NEVER_PARTNER_ACTOR_TYPES",
    "NEVER_PARTNER_ROLES",
    "load_knowledge",
    "parse_knowledge",
]

#: Lead actor types the advisor never proposes as partners (flagged as risks instead).
NEVER_PARTNER_ACTOR_TYPES: frozenset[str] = frozenset({"micro_informal"})
#: Business roles the advisor never proposes (flagged as risks instead).
NEVER_PARTNER_ROLES: frozenset[str] = frozenset({"control_contractor"})


class KnowledgeError(MigmapError):
    """The knowledge base file is wrong: names the entry and field to fix."""

    exit_code = 2


@dataclass(frozen=True)
class Source:
    """A document the reasoning comes from: the report [R] or a named public framework [F]."""

    code: str
    short: str
    title: str
    publisher: str
    year: int
    basis: str  # "R" or "F"
    authors: str = ""

    def cite(self, where: str = "") -> str:
        """``Global Compact for Migration, objective 6 (...)``-style short citation."""
        return f"{self.short}, {where}" if where else self.short

    def reference(self) -> str:
        """A full reference line for a bibliography."""
        if self.authors:
            return f"{self.authors} ({self.year}). {self.title}. {self.publisher}."
        return f"{self.publisher} ({self.year}). {self.title}."


@dataclass(frozen=True)
class Citation:
    """A pointer from an entry to a :class:`Source`, optionally to a part of it."""

    source: str
    where: str = ""


@dataclass(frozen=True)
class Note:
    """A labelled risk or safeguard with its explanation."""

    code: str
    label: str
    text: str
    source: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "label": self.label, "text": self.text}


@dataclass(frozen=True)
class Entry:
    """One engagement option of the knowledge base (one stage)."""

    id: str
    title: str
    stage: str
    goals: tuple[str, ...]
    actor_type: str
    sector: str
    contributions: tuple[str, ...]
    modalities: tuple[str, ...]
    migrant_groups: tuple[str, ...]
    themes: tuple[str, ...]
    offers: tuple[str, ...]
    askers: tuple[str, ...]
    tools: tuple[str, ...]
    asker_notes: dict[str, str]
    rationale: str
    risks: tuple[str, ...]
    safeguards: tuple[str, ...]
    sources: tuple[Citation, ...]

    @property
    def basis(self) -> tuple[str, ...]:
        """The basis marks used in the rationale, e.g. ``('R', 'F')``."""
        return tuple(m for m in ("R", "F") if f"[{m}]" in self.rationale)


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries plus the catalogues they refer to (sources, risks, safeguards, offers)."""

    version: int
    entries: tuple[Entry, ...]
    sources: dict[str, Source]
    risks: dict[str, Note]
    safeguards: dict[str, Note]
    offers: dict[str, str]
    askers: dict[str, str]
    universal_safeguards: tuple[str, ...] = field(default_factory=tuple)

    def entry(self, entry_id: str) -> Entry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise KeyError(f"no knowledge-base entry {entry_id!r}")

    def for_stage(self, stage: str) -> list[Entry]:
        return [e for e in self.entries if e.stage == stage]

    def source(self, code: str) -> Source:
        return self.sources[code]

    def cite(self, citation: Citation) -> str:
        return self.sources[citation.source].cite(citation.where)

    def coverage(self) -> dict[tuple[str, str], int]:
        """(stage, goal) -> number of entries serving that goal at that stage."""
        out: dict[tuple[str, str], int] = {}
        for e in self.entries:
            for g in e.goals:
                out[(e.stage, g)] = out.get((e.stage, g), 0) + 1
        return out


# ------------------------------------------------------------------ parsing
def _tuple(raw: dict, key: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if isinstance(value, str):
        value = [value]
    return tuple(str(v) for v in value)


def _check(where: str, field_: str, values: tuple[str, ...], allowed: tuple[str, ...] | set[str] | dict, problems: list[str]) -> None:
    for v in values:
        if v not in allowed:
            problems.append(f"{where}: {field_}: unknown code {v!r}; allowed: {', '.join(sorted(allowed))}")


def _citation(raw: Any) -> Citation:
    if isinstance(raw, str):
        return Citation(raw)
    return Citation(str(raw["source"]), str(raw.get("where", "")))


def parse_knowledge(data: dict, fw: Framework | None = None) -> KnowledgeBase:
    """Build and check a :class:`KnowledgeBase` from the parsed YAML mapping."""
    fw = fw or load_framework()
    problems: list[str] = []
    sources = {
        s["code"]: Source(s["code"], s["short"], s["title"], s["publisher"], int(s["year"]), s.get("basis", "F"), s.get("authors", ""))
        for s in data.get("sources", [])
    }
    for section in ("risks", "safeguards"):
        for k, v in (data.get(section) or {}).items():
            extra = set(v) - {"label", "text", "source"}
            if extra or not {"label", "text"} <= set(v):
                problems.append(f"{section}.{k}: expected label, text and optional source, got {', '.join(sorted(v))} (quote texts that hold commas)")
    for o in data.get("offers", []):
        if set(o) != {"code", "label"}:
            problems.append(f"offers: expected code and label, got {', '.join(sorted(o))} (quote labels that hold commas)")
    if problems:
        raise KnowledgeError("the advisor's knowledge base has problems: " + "; ".join(problems))
    risks = {k: Note(k, v["label"], v["text"], v.get("source", "")) for k, v in (data.get("risks") or {}).items()}
    safeguards = {k: Note(k, v["label"], v["text"], v.get("source", "")) for k, v in (data.get("safeguards") or {}).items()}
    offers = {o["code"]: o["label"] for o in data.get("offers", [])}
    askers = dict(data.get("askers") or {})
    _check("askers", "asker", tuple(askers), fw["public_partners"].codes, problems)
    universal = _tuple(data, "universal_safeguards")
    _check("universal_safeguards", "safeguard", universal, safeguards, problems)
    for note in list(safeguards.values()):
        if note.source and note.source not in sources:
            problems.append(f"safeguards.{note.code}: unknown source {note.source!r}")

    entries: list[Entry] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("entries") or []):
        where = f"entries[{i}] ({raw.get('id', '?')})"
        try:
            entry = Entry(
                id=str(raw["id"]),
                title=str(raw["title"]),
                stage=str(raw["stage"]),
                goals=_tuple(raw, "goals"),
                actor_type=str(raw["actor_type"]),
                sector=str(raw["sector"]),
                contributions=_tuple(raw, "contributions"),
                modalities=_tuple(raw, "modalities"),
                migrant_groups=_tuple(raw, "migrant_groups"),
                themes=_tuple(raw, "themes"),
                offers=_tuple(raw, "offers"),
                askers=_tuple(raw, "askers"),
                tools=_tuple(raw, "tools"),
                asker_notes=dict(raw.get("asker_notes") or {}),
                rationale=" ".join(str(raw["rationale"]).split()),
                risks=_tuple(raw, "risks"),
                safeguards=_tuple(raw, "safeguards"),
                sources=tuple(_citation(c) for c in raw.get("sources") or []),
            )
        except KeyError as exc:
            problems.append(f"{where}: missing field {exc.args[0]!r}")
            continue
        if entry.id in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(entry.id)
        _check(where, "stage", (entry.stage,), fw["stages"].codes, problems)
        _check(where, "goals", entry.goals, fw["goals"].codes, problems)
        _check(where, "actor_type", (entry.actor_type,), fw["actor_type"].codes, problems)
        _check(where, "sector", (entry.sector,), fw["sector"].codes, problems)
        _check(where, "contributions", entry.contributions, fw["contributions"].codes, problems)
        _check(where, "modalities", entry.modalities, fw["modalities"].codes, problems)
        _check(where, "migrant_groups", entry.migrant_groups, fw["migrant_groups"].codes, problems)
        _check(where, "themes", entry.themes, fw["themes"].codes, problems)
        _check(where, "askers", entry.askers + tuple(entry.asker_notes), fw["public_partners"].codes, problems)
        _check(where, "offers", entry.offers, offers, problems)
        _check(where, "risks", entry.risks, risks, problems)
        _check(where, "safeguards", entry.safeguards, safeguards, problems)
        _check(where, "sources", tuple(c.source for c in entry.sources), sources, problems)
        if entry.actor_type in NEVER_PARTNER_ACTOR_TYPES:
            problems.append(f"{where}: actor_type {entry.actor_type!r} is never proposed as a partner")
        if entry.sector == "security_border":
            problems.append(f"{where}: sector 'security_border' (outsourced control) is never proposed as a partner")
        for name in ("goals", "contributions", "modalities", "tools", "sources"):
            if not getattr(entry, name):
                problems.append(f"{where}: {name} must not be empty")
        if not entry.rationale or not entry.basis:
            problems.append(f"{where}: rationale must mark its basis with [R] or [F]")
        entries.append(entry)
    if problems:
        raise KnowledgeError("the advisor's knowledge base has problems: " + "; ".join(problems))
    return KnowledgeBase(
        version=int(data.get("version", 1)),
        entries=tuple(entries),
        sources=sources,
        risks=risks,
        safeguards=safeguards,
        offers=offers,
        askers=askers,
        universal_safeguards=universal,
    )


def knowledge_text() -> str:
    """The raw YAML text of the shipped knowledge base."""
    return resources.files("migmap.advice").joinpath("knowledge.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_knowledge() -> KnowledgeBase:
    """Load and check the knowledge base shipped in the package (cached, immutable)."""
    return parse_knowledge(yaml.safe_load(knowledge_text()))
