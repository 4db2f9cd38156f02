"""Pydantic models of the map: initiatives, actors, sources, countries, revisions.

Families follow the FastAPI full-stack convention:

* ``InitiativeCreate`` – what a person or an importer submits (validated);
* ``InitiativeUpdate`` – a partial change, carrying the version it was based on;
* ``Initiative`` – a stored record as read back (with id, version and timestamps).

Every validation message names the field and, for codes, the allowed values.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from migmap.framework import MULTI_DIMENSIONS, REQUIRED_MULTI, SINGLE_DIMENSIONS, TAG_DIMENSIONS, load_framework

from .codec import country_role, split_codes, split_list
from .countries import normalise_country

MIN_YEAR = 1900
#: Latest plausible year (planned initiatives may start a few years ahead).
MAX_YEAR = dt.date.today().year + 5

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
#: A web address a reader can follow: http or https, no spaces (so never ``javascript:`` or ``data:``).
WEB_ADDRESS = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

CountryRoleCode = Literal["origin", "transit", "destination", "global"]


@lru_cache(maxsize=64)
def _allowed(dimension: str) -> tuple[str, ...]:
    return load_framework().codes(dimension)


@lru_cache(maxsize=64)
def _allowed_set(dimension: str) -> frozenset[str]:
    return frozenset(_allowed(dimension))


def _web_address(v: str) -> str:
    """``v`` if it is an http(s) address, else a ``ValueError`` naming it."""
    if not WEB_ADDRESS.match(v):
        raise ValueError(f"not a web address (http:// or https://): {v!r}")
    return v


def _check_code(dimension: str, value: Any) -> str:
    allowed = _allowed(dimension)
    if not isinstance(value, str):
        raise ValueError(f"expected one code of {dimension}, got {value!r}; allowed: {', '.join(allowed)}")
    code = value.strip()
    if code not in _allowed_set(dimension):
        raise ValueError(f"unknown code {code!r}; allowed: {', '.join(allowed)}")
    return code


def _check_codes(dimension: str, values: Any) -> list[str]:
    values = split_codes(values) if isinstance(values, (str, list, tuple)) or values is None else values
    if not isinstance(values, (list, tuple)):
        raise ValueError(f"expected a list of {dimension} codes, got {values!r}")
    allowed = _allowed_set(dimension)
    bad = [v for v in values if not isinstance(v, str) or v.strip() not in allowed]
    if bad:
        shown = ", ".join(repr(b) for b in bad)
        raise ValueError(f"unknown code{'s' if len(bad) > 1 else ''} {shown}; allowed: {', '.join(_allowed(dimension))}")
    out: list[str] = []
    for v in values:
        v = v.strip()
        if v not in out:
            out.append(v)
    return out


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Submitted(_Model):
    """What people and importers submit: no text holds a NUL character (PostgreSQL cannot store one
    and SQLite's searches stop at it). Stored history is read back as it is."""

    @field_validator("*")
    @classmethod
    def _no_nul(cls, v: Any) -> Any:
        if isinstance(v, str) and "\x00" in v:
            raise ValueError("must not contain a NUL character (\\x00)")
        return v


class Source(_Submitted):
    """A page where the facts of an initiative can be checked."""

    url: str = Field(max_length=2000)
    title: Optional[str] = Field(default=None, max_length=500)
    publisher: Optional[str] = Field(default=None, max_length=300)
    accessed: Optional[dt.date] = None
    #: Year the page was published or last updated (what a dated fact such as ``status`` rests on).
    published: Optional[int] = None
    #: Language of the page (ISO 639-1, lower case); ``None`` means English.
    language: Optional[str] = Field(default=None, pattern=r"^[a-z]{2}$")

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return _web_address(v)

    @field_validator("published")
    @classmethod
    def _published(cls, v: Optional[int]) -> Optional[int]:
        return _check_year(v)


class CountryRole(_Model):
    """A country (ISO 3166-1 alpha-3) and its role in the migration cycle of the initiative."""

    code: str
    role: CountryRoleCode = "destination"

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, v: Any) -> str:
        return normalise_country(v)

    def __str__(self) -> str:
        return f"{self.code}:{self.role}"


class Actor(_Submitted):
    """A private or public actor. Private actors carry a type and a sector of the framework."""

    name: str = Field(min_length=1, max_length=300)
    kind: Literal["private", "public"] = "private"
    actor_type: Optional[str] = None
    sector: Optional[str] = None
    public_type: Optional[str] = None
    country: Optional[str] = None
    website: Optional[str] = Field(default=None, max_length=500)
    wikidata: Optional[str] = None
    #: Other names of the same organisation ("IOM" for "International Organization for Migration (IOM)").
    aliases: list[str] = Field(default_factory=list)
    #: The organisation this actor is a country office of ("UNHCR" for "UNHCR Italy").
    office_of: Optional[str] = Field(default=None, max_length=300)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v

    @field_validator("actor_type")
    @classmethod
    def _actor_type(cls, v: Optional[str]) -> Optional[str]:
        return None if v in (None, "") else _check_code("actor_type", v)

    @field_validator("sector")
    @classmethod
    def _sector(cls, v: Optional[str]) -> Optional[str]:
        return None if v in (None, "") else _check_code("sector", v)

    @field_validator("public_type")
    @classmethod
    def _public_type(cls, v: Optional[str]) -> Optional[str]:
        return None if v in (None, "") else _check_code("public_partners", v)

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, v: Any) -> Optional[str]:
        return None if v in (None, "") else normalise_country(v)

    @field_validator("website")
    @classmethod
    def _website(cls, v: Optional[str]) -> Optional[str]:
        """Shown as a link on the actor's page, so only http(s) addresses (a ``javascript:`` one would run)."""
        return _web_address(v) if v else v

    @field_validator("wikidata")
    @classmethod
    def _wikidata(cls, v: Optional[str]) -> Optional[str]:
        if v in (None, ""):
            return None
        if not re.fullmatch(r"Q[1-9][0-9]*", v):
            raise ValueError(f"a Wikidata id looks like Q12345, got {v!r}")
        return v

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases(cls, v: Any) -> list[str]:
        """``"IOM; OIM"`` or a list; blanks and repeats (ignoring case) left out."""
        v = split_list(v) if isinstance(v, (str, list, tuple)) or v is None else v
        if not isinstance(v, list) or not all(isinstance(a, str) for a in v):
            raise ValueError("expected a list of names")
        out: list[str] = []
        for a in v:
            a = " ".join(a.split())
            if len(a) > 300:
                raise ValueError(f"an alias is at most 300 characters: {a[:40]!r}...")
            if a and a.casefold() not in {o.casefold() for o in out}:
                out.append(a)
        return out

    @model_validator(mode="after")
    def _kind_fields(self) -> Actor:
        if self.kind == "public" and (self.actor_type or self.sector):
            raise ValueError("a public actor has a public_type, not an actor_type or sector")
        if self.kind == "private" and self.public_type:
            raise ValueError("a private actor has an actor_type and sector, not a public_type")
        self.aliases = [a for a in self.aliases if a.casefold() != self.name.casefold()]
        if self.office_of is not None and (not self.office_of.strip() or self.office_of.casefold() == self.name.casefold()):
            raise ValueError("office_of: an actor is not an office of itself")
        return self


class InitiativeActor(Actor):
    """An actor as it takes part in one initiative."""

    role: Literal["lead", "partner"] = "partner"


def _check_year(v: Optional[int]) -> Optional[int]:
    if v is None:
        return None
    if not (MIN_YEAR <= v <= MAX_YEAR):
        raise ValueError(f"year {v} is out of range; allowed: {MIN_YEAR} to {MAX_YEAR}")
    return v


def _tag_field(dimension: str, optional: bool = False) -> tuple[Any, Any]:
    """The Pydantic field of one tag dimension, as ``framework.yaml`` declares it."""
    multi = load_framework()[dimension].multi
    if optional:
        return (Optional[list[str]] if multi else Optional[str]), None
    return (list[str], Field(default_factory=list)) if multi else (str, ...)


class _TagChecks(_Submitted):
    """Validators of the tag dimensions (the fields themselves are made from the framework below)."""

    @field_validator(*MULTI_DIMENSIONS, mode="before", check_fields=False)
    @classmethod
    def _codes(cls, v: Any, info: Any) -> list[str]:
        return _check_codes(info.field_name, v)

    @field_validator(*SINGLE_DIMENSIONS, check_fields=False)
    @classmethod
    def _code(cls, v: str, info: Any) -> str:
        return _check_code(info.field_name, v)

    @field_validator(*REQUIRED_MULTI, check_fields=False)
    @classmethod
    def _required_codes(cls, v: list[str], info: Any) -> list[str]:
        if not v:
            raise ValueError(f"at least one code is required; allowed: {', '.join(_allowed(info.field_name))}")
        return v


#: The tag dimensions, shared by create and read models: one field per dimension of the framework.
_TagFields = create_model("_TagFields", __base__=_TagChecks, **{d: _tag_field(d) for d in TAG_DIMENSIONS})  # type: ignore[call-overload]


Year = Annotated[Optional[int], Field(default=None)]


class InitiativeBase(_TagFields):
    name: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1, max_length=20000)
    lead_actor: str = Field(min_length=1, max_length=300)
    actors: list[InitiativeActor] = Field(default_factory=list)
    countries: list[CountryRole] = Field(default_factory=list)
    start_year: Year = None
    end_year: Year = None
    status: Literal["active", "ended", "unknown"] = "unknown"
    return_type: Optional[Literal["voluntary", "coerced", "forced"]] = None
    sources: list[Source] = Field(default_factory=list)
    last_verified: Optional[dt.date] = None

    @field_validator("name", "description", "lead_actor")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v

    @field_validator("countries", mode="before")
    @classmethod
    def _countries(cls, v: Any) -> list[Any]:
        v = split_list(v) if isinstance(v, (str, list, tuple)) or v is None else v
        if not isinstance(v, (list, tuple)):
            raise ValueError("expected a list of countries such as DEU:destination")
        return [country_role(c) if isinstance(c, str) else c for c in v]

    @field_validator("sources", mode="before")
    @classmethod
    def _sources(cls, v: Any) -> list[Any]:
        v = split_list(v) if isinstance(v, (str, list, tuple)) or v is None else v
        if not isinstance(v, (list, tuple)):
            raise ValueError("expected a list of sources")
        return [{"url": s} if isinstance(s, str) else s for s in v]

    @field_validator("start_year", "end_year")
    @classmethod
    def _year(cls, v: Optional[int]) -> Optional[int]:
        return _check_year(v)

    @field_validator("sources")
    @classmethod
    def _required_sources(cls, v: list[Source]) -> list[Source]:
        if not v:
            raise ValueError("at least one source URL is required, where the facts can be checked")
        return v

    @model_validator(mode="after")
    def _rules(self) -> InitiativeBase:
        if self.return_type and "return_reintegration" not in self.stages:
            raise ValueError("return_type: only allowed when stages include return_reintegration")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValueError(f"end_year: {self.end_year} is before start_year {self.start_year}")
        seen: set[tuple[str, str]] = set()
        for c in self.countries:
            if (c.code, c.role) in seen:
                raise ValueError(f"countries: {c.code}:{c.role} is listed twice")
            seen.add((c.code, c.role))
        self._ensure_lead_actor()
        return self

    def _ensure_lead_actor(self) -> None:
        """The lead private actor is always among the actors, first, with the record's type and sector."""
        lead_key = self.lead_actor.casefold()
        found = None
        for a in self.actors:
            if a.name.casefold() == lead_key:
                found = a
                break
        if found is None:
            found = InitiativeActor(name=self.lead_actor, kind="private", actor_type=self.actor_type, sector=self.sector, role="lead")
            self.actors.insert(0, found)
        else:
            if found.kind != "private":
                raise ValueError(f"actors: the lead actor {found.name!r} must be a private actor")
            found.role = "lead"
            found.actor_type = found.actor_type or self.actor_type
            found.sector = found.sector or self.sector
            self.actors.remove(found)
            self.actors.insert(0, found)
        for a in self.actors[1:]:
            if a.role == "lead":
                a.role = "partner"
        names = [a.name.casefold() for a in self.actors]
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            raise ValueError(f"actors: {dup!r} is listed twice")


class InitiativeCreate(InitiativeBase):
    """A new initiative as submitted. ``id`` is made from the name when missing."""

    id: Optional[str] = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: Optional[str]) -> Optional[str]:
        if v in (None, ""):
            return None
        if not ID_PATTERN.match(v):
            raise ValueError("ids are 1-120 lowercase letters, digits and hyphens, e.g. 'tent-partnership'")
        return v


class _UpdateFields(_Submitted):
    """A partial change. Only the fields given are changed; ``version`` is the one the edit was based on."""

    version: int
    name: Optional[str] = None
    description: Optional[str] = None
    lead_actor: Optional[str] = None
    actors: Optional[list[InitiativeActor]] = None
    countries: Optional[list[CountryRole]] = None
    start_year: Optional[int] = None
    end_year: Optional[int] = None
    status: Optional[Literal["active", "ended", "unknown"]] = None
    return_type: Optional[Literal["voluntary", "coerced", "forced"]] = None
    sources: Optional[list[Source]] = None
    last_verified: Optional[dt.date] = None
    curation_state: Optional[Literal["published", "proposed", "rejected"]] = None

    def changes(self) -> dict[str, Any]:
        """The fields this update sets (``version`` excluded)."""
        return {k: getattr(self, k) for k in self.model_fields_set if k != "version"}


#: A partial change: every tag dimension of the framework may be given (checked when it is applied).
InitiativeUpdate = create_model(  # type: ignore[call-overload]
    "InitiativeUpdate", __base__=_UpdateFields, __module__=__name__, **{d: _tag_field(d, optional=True) for d in TAG_DIMENSIONS}
)
InitiativeUpdate.__doc__ = _UpdateFields.__doc__


class Initiative(InitiativeBase):
    """A stored initiative."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str
    version: int = 1
    curation_state: Literal["published", "proposed", "rejected"] = "published"
    created_at: Optional[dt.datetime] = None
    updated_at: Optional[dt.datetime] = None
    #: Who set each tag dimension last: ``human``, ``tagger`` or ``import``.
    tag_origins: dict[str, str] = Field(default_factory=dict)

    def tags(self, dimension: str) -> list[str]:
        """The codes of any tag dimension as a list (single dimensions give one item)."""
        value = getattr(self, dimension)
        return list(value) if isinstance(value, list) else [value]

    def record(self) -> dict[str, Any]:
        """The record as plain JSON-able data, in the field names of FRAMEWORK.md."""
        return self.model_dump(mode="json", exclude={"tag_origins"})


class FieldChange(_Model):
    field: str
    old: Any = None
    new: Any = None


class Revision(_Model):
    """One change to an initiative: who, when, which fields, old and new values."""

    model_config = ConfigDict(extra="ignore")

    id: Optional[int] = None
    initiative_id: str
    version: int
    action: Literal["create", "update", "delete", "revert", "conflict"]
    user: str
    origin: Literal["human", "tagger", "import"] = "human"
    at: dt.datetime
    changes: list[FieldChange] = Field(default_factory=list)
    note: Optional[str] = None


INITIATIVE_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "description",
    "lead_actor",
    "actor_type",
    "sector",
    "actors",
    *[d for d in TAG_DIMENSIONS if d not in ("actor_type", "sector")],
    "countries",
    "start_year",
    "end_year",
    "status",
    "return_type",
    "sources",
    "last_verified",
)
