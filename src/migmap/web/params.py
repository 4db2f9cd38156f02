"""Query parameters shared by pages and API: the filters of every dimension, country, region, year, text.

Each filter accepts repeated parameters or comma-separated codes
(``?stages=arrival&stages=transit`` or ``?stages=arrival,transit``). Unknown codes give a
422 with a message that lists the allowed ones.
"""

from __future__ import annotations

from typing import Annotated, Optional

from fastapi import HTTPException, Query, Request
from pydantic import ValidationError

from migmap.domain.filters import TAG_FILTERS, Filters

FILTER_FIELDS: tuple[str, ...] = (*TAG_FILTERS, "countries", "regions", "status")


def whole_number(text: object) -> int | None:
    """``text`` as a non-negative whole number written in ASCII digits only, else None.

    ``str.isdigit`` also accepts "²" and "٢٠٢٠", which ``int()`` refuses or reads as another number.

    >>> whole_number("2020"), whole_number("²"), whole_number(" 1"), whole_number("")
    (2020, None, None, None)
    """
    digits = str(text)
    return int(digits) if digits.isascii() and digits.isdigit() else None


def _flat(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.replace(";", ",").split(",") if x.strip())
    return out


def filters_from(values: dict[str, object]) -> Filters:
    """Build :class:`Filters`, turning validation errors into a readable 422."""
    try:
        return Filters.model_validate(values)
    except ValidationError as exc:
        msgs = []
        for e in exc.errors():
            field = ".".join(str(p) for p in e.get("loc", ()))
            msgs.append(f"{field}: {str(e.get('msg', 'invalid')).removeprefix('Value error, ')}")
        raise HTTPException(422, "; ".join(msgs)) from None


List = Annotated[Optional[list[str]], Query()]


def filter_params(
    request: Request,
    stages: Annotated[Optional[list[str]], Query(description="Stages of the migration cycle, e.g. arrival,transit")] = None,
    contributions: Annotated[Optional[list[str]], Query(description="Contribution codes")] = None,
    business_roles: Annotated[Optional[list[str]], Query(description="Business role codes")] = None,
    actor_types: Annotated[Optional[list[str]], Query(description="Actor type codes, e.g. sme")] = None,
    sectors: Annotated[Optional[list[str]], Query(description="Sector codes")] = None,
    migrant_groups: Annotated[Optional[list[str]], Query(description="Migrant group codes")] = None,
    modalities: Annotated[Optional[list[str]], Query(description="Modality codes")] = None,
    public_partners: Annotated[Optional[list[str]], Query(description="Public partner codes")] = None,
    themes: Annotated[Optional[list[str]], Query(description="Theme codes")] = None,
    goals: Annotated[Optional[list[str]], Query(description="Goal codes")] = None,
    countries: Annotated[Optional[list[str]], Query(description="ISO 3166 alpha-3 country codes, e.g. DEU")] = None,
    regions: Annotated[Optional[list[str]], Query(description="Regions: africa, americas, asia, europe, oceania, middle_east or a UN M49 sub-region")] = None,
    status: Annotated[Optional[list[str]], Query(description="active, ended or unknown")] = None,
    year: Annotated[Optional[str], Query(description="Active in this year, e.g. 2020")] = None,
    text: Annotated[Optional[str], Query(max_length=200, description="Free text (name, description, actors)")] = None,
) -> Filters:
    """Dependency: the filters of the query string."""
    values: dict[str, object] = {}
    given = locals()
    for name in FILTER_FIELDS:
        flat = _flat(given[name])  # type: ignore[arg-type]
        if flat:
            values[name] = flat
    if year not in (None, ""):
        values["year"] = whole_number(str(year).strip())
        if values["year"] is None:
            raise HTTPException(422, f"year: expected a year such as 2020, got {year!r}")
    if text:
        values["text"] = text
    return filters_from(values)


def filter_query(filters: Filters) -> list[tuple[str, str]]:
    """The filters as query-string pairs (the inverse of :func:`filter_params`)."""
    pairs: list[tuple[str, str]] = []
    for name in FILTER_FIELDS:
        for v in getattr(filters, name):
            pairs.append((name, v))
    if filters.year:
        pairs.append(("year", str(filters.year)))
    if filters.text:
        pairs.append(("text", filters.text))
    return pairs
