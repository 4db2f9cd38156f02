"""Filters shared by list, export, the gap map, the web app, the API, the advisor and forms.

Within one dimension the codes are alternatives (OR); across dimensions they all
apply (AND)::

    >>> f = Filters(stages=["arrival", "transit"], countries=["DEU"])
    >>> f.is_empty()
    False

There is one field per dimension of ``framework.yaml`` (named by its ``filter``), and one
way to build filters from what people type, :meth:`Filters.from_pairs`, used by the CLI,
the web, the advisor and forms alike::

    >>> Filters.from_pairs([("stage", "arrival;transit"), ("actor-type", "sme"), ("region", "West Africa")]).describe()
    'stages=arrival,transit; actor_type=sme; regions=western_africa'
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Optional

from pydantic import ConfigDict, Field, ValidationError, create_model, field_validator

from migmap.framework import FILTER_DIMENSIONS, load_framework

from .codec import split_codes, tidy_message
from .countries import normalise_country, normalise_region
from .errors import MigmapError, Problem

#: Filter field -> framework dimension it filters on (``actor_types`` -> ``actor_type``).
TAG_FILTERS: dict[str, str] = dict(FILTER_DIMENSIONS)
#: Filters that take lists of values, besides the dimensions.
OTHER_LIST_FILTERS: tuple[str, ...] = ("countries", "regions", "status")


class InvalidFilters(MigmapError):
    """Filters that name unknown codes, regions, countries or filters; each problem names its filter."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def _check_choice(name: str, values: list[str], allowed: Iterable[str]) -> list[str]:
    allowed = tuple(allowed)
    bad = [x for x in values if x not in allowed]
    if bad:
        raise ValueError(f"unknown {name} {', '.join(map(repr, bad))}; allowed: {', '.join(allowed)}")
    return values


_FilterFields = create_model(
    "_FilterFields",
    __config__=ConfigDict(extra="forbid"),
    **{name: (list[str], Field(default_factory=list)) for name in TAG_FILTERS},
)


class Filters(_FilterFields):  # type: ignore[misc, valid-type]
    """Which initiatives to include. Empty filters include every published initiative."""

    model_config = ConfigDict(extra="forbid")

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
        return _check_choice(f"{dim} code", split_codes(v), load_framework().codes(dim))

    @field_validator("countries", mode="before")
    @classmethod
    def _countries(cls, v: Any) -> list[str]:
        return [normalise_country(x, by_name=True) for x in split_codes(v)]

    @field_validator("regions", mode="before")
    @classmethod
    def _regions(cls, v: Any) -> list[str]:
        return [normalise_region(x) for x in split_codes(v)]

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v: Any) -> list[str]:
        return _check_choice("status", split_codes(v), load_framework().codes("status"))

    @field_validator("curation_state", mode="before")
    @classmethod
    def _state(cls, v: Any) -> list[str]:
        return _check_choice("curation state", split_codes(v), load_framework().codes("curation_state"))

    @field_validator("text")
    @classmethod
    def _text(cls, v: Optional[str]) -> Optional[str]:
        v = (v or "").strip()
        return v or None

    # -- building from what people type ---------------------------------------------------

    @classmethod
    def field_for(cls, name: str) -> str | None:
        """The filter field a typed name means: the field itself, its dimension code or its CLI option,
        singular or plural, with ``-`` or ``_`` (``stage``, ``--actor-type``, ``country``); else None."""
        return _aliases().get(name.strip().lstrip("-").replace("-", "_").lower())

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, Any]], *, include_proposed: bool = False) -> Filters:
        """Filters from (name, value) pairs as they come from a query string, CLI options or a form.

        Names may be any alias of :meth:`field_for`; values of one name accumulate. Every problem
        (unknown filter, code, region, country or year) is reported at once as :class:`InvalidFilters`,
        each with the name as the user wrote it.
        """
        values: dict[str, Any] = {}
        written: dict[str, str] = {}
        problems: list[Problem] = []
        for name, value in pairs:
            if value is None or value == "" or value == []:
                continue
            field = cls.field_for(name)
            if field is None:
                problems.append(Problem(name, f"unknown filter; allowed: {', '.join(cls.names())}"))
                continue
            written.setdefault(field, name)
            if field in ("year", "text"):
                values[field] = value
            else:
                values.setdefault(field, []).extend(split_codes(value))
        if include_proposed:
            values["curation_state"] = ["published", "proposed"]
        if isinstance(values.get("year"), str):
            year = values["year"].strip()
            if year.isascii() and year.isdigit():
                values["year"] = int(year)
            else:
                problems.append(Problem(written["year"], f"expected a year such as 2020, got {values.pop('year')!r}"))
        try:
            filters = cls.model_validate(values)
        except ValidationError as exc:
            for e in exc.errors():
                field = str(e.get("loc", ("",))[0])
                problems.append(Problem(written.get(field, field), tidy_message(e.get("msg"))))
            filters = None
        if problems:
            raise InvalidFilters(problems)
        assert filters is not None
        return filters

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The filter names (fields), in order: every dimension, then countries, regions, status, year, text."""
        return (*TAG_FILTERS, *OTHER_LIST_FILTERS, "year", "text")

    # -- reading ----------------------------------------------------------------------------

    def tag_filters(self) -> dict[str, list[str]]:
        """Framework dimension -> codes, for the dimensions that are filtered."""
        return {TAG_FILTERS[f]: getattr(self, f) for f in TAG_FILTERS if getattr(self, f)}

    def pairs(self) -> list[tuple[str, str]]:
        """The filters as (name, value) pairs, one per code: the inverse of :meth:`from_pairs`."""
        out = [(name, v) for name in (*TAG_FILTERS, *OTHER_LIST_FILTERS) for v in getattr(self, name)]
        if self.year:
            out.append(("year", str(self.year)))
        if self.text:
            out.append(("text", self.text))
        return out

    def is_empty(self) -> bool:
        return not (self.tag_filters() or self.countries or self.regions or self.year or self.text or self.status)

    def describe(self) -> str:
        """A short human description, e.g. ``stages=arrival; countries=DEU``."""
        parts = [f"{k}={','.join(v)}" for k, v in self.tag_filters().items()]
        for name in OTHER_LIST_FILTERS:
            if getattr(self, name):
                parts.append(f"{name}={','.join(getattr(self, name))}")
        if self.year:
            parts.append(f"year={self.year}")
        if self.text:
            parts.append(f"text={self.text!r}")
        return "; ".join(parts) or "all initiatives"


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for dim in load_framework().dimensions:
        for alias in (dim.filter, dim.code, dim.option):
            out.setdefault(alias, dim.filter)
    for field, singular in (("countries", "country"), ("regions", "region"), ("status", "status")):
        out[field] = out[singular] = field
    out.update(year="year", text="text")
    return out
