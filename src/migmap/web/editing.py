"""Edit forms: turn submitted form fields into a record, problems into per-field messages, and revert.

>>> raw = parse_form({"name": "X", "stages": ["arrival"], "sources": "https://a.org | A page", "start_year": "2020"})
>>> raw["sources"], raw["start_year"]
([{'url': 'https://a.org', 'title': 'A page'}], 2020)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migmap.domain.codec import country_role, split_list
from migmap.domain.errors import InvalidRecords, NotFound, Problem
from migmap.domain.models import Initiative
from migmap.framework import MULTI_DIMENSIONS, SINGLE_DIMENSIONS
from migmap.services import Database

from .params import whole_number

TEXT_FIELDS = ("name", "description", "lead_actor", *SINGLE_DIMENSIONS, "status", "return_type", "last_verified")
YEAR_FIELDS = ("start_year", "end_year")


def _get(form: Mapping[str, Any], key: str) -> Any:
    getlist = getattr(form, "getlist", None)
    if getlist is not None:
        values = getlist(key)
        return values if len(values) != 1 else values[0]
    return form.get(key)


def _list(form: Mapping[str, Any], key: str) -> list[str]:
    value = _get(form, key)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip()]


def parse_actors(text: str) -> list[dict[str, Any]]:
    """``Name | private | sme | telecom_tech | DEU`` or ``Name | public | ngo_civil_society | | GRC`` per line."""
    out = []
    for line in _lines(text):
        parts = [p.strip() for p in line.split("|")] + [""] * 5
        name, kind, typ, sector, country = parts[:5]
        kind = kind or "private"
        actor: dict[str, Any] = {"name": name, "kind": kind, "country": country or None}
        if kind == "public":
            actor["public_type"] = typ or None
        else:
            actor["actor_type"] = typ or None
            actor["sector"] = sector or None
        out.append(actor)
    return out


def actors_text(item: Initiative | None) -> str:
    if item is None:
        return ""
    lines = []
    for a in item.actors:
        if a.kind == "public":
            lines.append(" | ".join([a.name, "public", a.public_type or "", "", a.country or ""]))
        else:
            lines.append(" | ".join([a.name, "private", a.actor_type or "", a.sector or "", a.country or ""]))
    return "\n".join(lines)


def parse_countries(text: str) -> list[dict[str, str]]:
    """``NPL:origin; QAT:destination`` (role defaults to destination)."""
    return [country_role(part) for part in split_list(text.replace("\n", ";")) if country_role(part)["code"]]


def parse_sources(text: str) -> list[dict[str, Any]]:
    """``https://... | title`` per line."""
    out = []
    for line in _lines(text):
        url, _, title = line.partition("|")
        out.append({"url": url.strip(), "title": title.strip() or None})
    return out


def sources_text(item: Initiative | None) -> str:
    if item is None:
        return ""
    return "\n".join(f"{s.url} | {s.title}" if s.title else s.url for s in item.sources)


def countries_text(item: Initiative | None) -> str:
    return "; ".join(str(c) for c in item.countries) if item else ""


def parse_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """A raw record (for ``InitiativeCreate`` / ``InitiativeUpdate``) from the fields of the edit form.

    Year fields that are not numbers raise :class:`InvalidRecords` naming the field."""
    raw: dict[str, Any] = {}
    problems = []
    for f in TEXT_FIELDS:
        value = _get(form, f)
        if isinstance(value, list):
            value = value[0] if value else None
        if value is not None:
            value = str(value).strip()
            raw[f] = value or None
    for f in YEAR_FIELDS:
        value = str(_get(form, f) or "").strip()
        raw[f] = whole_number(value) if value else None
        if value and raw[f] is None:
            problems.append(Problem(f, f"expected a year such as 2020, got {value!r}"))
    for dim in MULTI_DIMENSIONS:
        raw[dim] = [v for v in _list(form, dim) if v]
    raw["countries"] = parse_countries(str(_get(form, "countries") or ""))
    raw["actors"] = parse_actors(str(_get(form, "actors") or ""))
    raw["sources"] = parse_sources(str(_get(form, "sources") or ""))
    if raw.get("status") is None:
        raw.pop("status", None)
    if problems:
        raise InvalidRecords(problems)
    return raw


def field_errors(problems: list[Problem]) -> dict[str, list[str]]:
    """Problems by form field (``actors.1.sector`` belongs to ``actors``); ``""`` holds the rest."""
    out: dict[str, list[str]] = {}
    for p in problems:
        field = (p.field or "").split(".")[0]
        message = p.message if not p.field or "." not in p.field else f"{p.field}: {p.message}"
        out.setdefault(field, []).append(message)
    return out


def form_values(item: Initiative | None, form: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What the form shows: the submitted values after an error, else the stored record."""
    if form is not None:
        values: dict[str, Any] = {f: str(_get(form, f) or "") for f in (*TEXT_FIELDS, *YEAR_FIELDS, "countries", "actors", "sources")}
        for dim in MULTI_DIMENSIONS:
            values[dim] = _list(form, dim)
        return values
    if item is None:
        return {dim: [] for dim in MULTI_DIMENSIONS} | {"status": "active"}
    values = item.model_dump(mode="json")
    values["actors"] = actors_text(item)
    values["sources"] = sources_text(item)
    values["countries"] = countries_text(item)
    return values


def revert(db: Database, initiative_id: str, revision_id: int, version: int, user: str) -> Initiative:
    """Undo one revision: its fields get back their old values (as a new revision, so it can be undone too)."""
    revs = {r.id: r for r in db.revisions(initiative_id)}
    rev = revs.get(revision_id)
    if rev is None:
        raise NotFound(f"initiative {initiative_id!r} has no revision {revision_id}")
    if rev.action not in ("update", "revert") or not rev.changes:
        raise InvalidRecords([Problem("revision", f"revision {revision_id} is a {rev.action}; only updates can be reverted")])
    change: dict[str, Any] = {"version": version}
    for c in rev.changes:
        change[c.field] = c.old
    return db.update(initiative_id, change, user=user)
