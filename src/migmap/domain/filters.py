"""Filters shared by list, export, the gap map, the web app and the API.

Within one dimension the codes are alternatives (OR); across dimensions they all
apply (AND)::

    >>> f = Filters(stages=["arrival", "transit"], countries=["DEU"])
    >>> f.is_empty()
    False
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from migmap.framework import load_framework

from .countries import all_region_codes, normalise_country

#: Filter field -> framework dimension it filters on.
TAG_FILTERS: dict[str, str] = {
    "stages": "stages",
    "contributions": "contributions",
    "business_roles": "business_roles",
    "actor_types": "actor_type",
    "sectors": "sector",
    "migrant_groups": "migrant_groups",
    "modalities": "modalities",
    "public_partners": "public_partners",
    "themes": "themes",
    "goals": "goals",
}


def _as_list(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [x.strip() for x in v.replace(";", ",").split(",") if x.strip()]
    return [str(x).strip() for x in v if str(x).strip()]


class Filters(BaseModel):
    """Which initiatives to include. Empty filters include every published initiative."""

    model_config = ConfigDict(extra="forbid")

    stages: list[str] = Field(default_factory=list)
    contributions: list[str] = Field(default_factory=list)
    business_roles: list[str] = Field(default_factory=list)
    actor_types: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    migrant_groups: list[str] = Field(default_factory=list)
    modalities: list[str] = Field(default_factory=list)
    public_partners: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    #: Active in this year (bounded, so that no database is asked about a number it cannot hold).
    year: Optional[int] = Field(default=None, ge=1, le=9999)
    text: Optional[str] = None
    status: list[str] = Field(default_factory=list)
    curation_state: list[str] = Field(default_factory=lambda: ["published"])

    @field_validator(*TAG_FILTERS, mode="before")
    @classmethod
    def _codes(cls, v: Any, info: Any) -> list[str]:
        dim = TAG_FILTERS[info.field_name]
        allowed = load_framework().codes(dim)
        values = _as_list(v)
        bad = [x for x in values if x not in allowed]
        if bad:
            raise ValueError(f"unknown {dim} code {', '.join(map(repr, bad))}; allowed: {', '.join(allowed)}")
        return values

    @field_validator("countries", mode="before")
    @classmethod
    def _countries(cls, v: Any) -> list[str]:
        return [normalise_country(x) for x in _as_list(v)]

    @field_validator("regions", mode="before")
    @classmethod
    def _regions(cls, v: Any) -> list[str]:
        known = all_region_codes()
        values = [x.lower().replace(" ", "_").replace("-", "_") for x in _as_list(v)]
        bad = [x for x in values if x not in known]
        if bad:
            raise ValueError(f"unknown region {', '.join(map(repr, bad))}; allowed: {', '.join(known)}")
        return values

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v: Any) -> list[str]:
        values = _as_list(v)
        bad = [x for x in values if x not in ("active", "ended", "unknown")]
        if bad:
            raise ValueError(f"unknown status {', '.join(map(repr, bad))}; allowed: active, ended, unknown")
        return values

    @field_validator("curation_state", mode="before")
    @classmethod
    def _state(cls, v: Any) -> list[str]:
        values = _as_list(v)
        bad = [x for x in values if x not in ("published", "proposed", "rejected")]
        if bad:
            raise ValueError(f"unknown curation state {', '.join(map(repr, bad))}; allowed: published, proposed, rejected")
        return values

    @field_validator("text")
    @classmethod
    def _text(cls, v: Optional[str]) -> Optional[str]:
        v = (v or "").strip()
        return v or None

    def tag_filters(self) -> dict[str, list[str]]:
        """Framework dimension -> codes, for the dimensions that are filtered."""
        return {TAG_FILTERS[f]: getattr(self, f) for f in TAG_FILTERS if getattr(self, f)}

    def is_empty(self) -> bool:
        return not (self.tag_filters() or self.countries or self.regions or self.year or self.text or self.status)

    def describe(self) -> str:
        """A short human description, e.g. ``stages=arrival; countries=DEU``."""
        parts = [f"{k}={','.join(v)}" for k, v in self.tag_filters().items()]
        for name in ("countries", "regions", "status"):
            if getattr(self, name):
                parts.append(f"{name}={','.join(getattr(self, name))}")
        if self.year:
            parts.append(f"year={self.year}")
        if self.text:
            parts.append(f"text={self.text!r}")
        return "; ".join(parts) or "all initiatives"
