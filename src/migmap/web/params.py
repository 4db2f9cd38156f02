"""Query parameters shared by pages and API: the filters of every dimension, country, region, year, text.

One parameter per filter of :class:`~migmap.domain.filters.Filters` (and so per dimension of
``framework.yaml``), documented in the OpenAPI schema. Each accepts repeated parameters or
comma-separated codes (``?stages=arrival&stages=transit`` or ``?stages=arrival,transit``), and
the singular and option names too (``?stage=arrival``, ``?actor_type=sme``). Unknown codes give
a 422 with a message that lists the allowed ones.
"""

from __future__ import annotations

import inspect
import re
from typing import Annotated, Any, Optional

from fastapi import HTTPException, Query, Request

from migmap.domain.filters import OTHER_LIST_FILTERS, TAG_FILTERS, Filters
from migmap.framework import load_framework

FILTER_FIELDS: tuple[str, ...] = (*TAG_FILTERS, *OTHER_LIST_FILTERS)


def whole_number(text: object) -> int | None:
    """``text`` as a non-negative whole number written in ASCII digits only, else None.

    ``str.isdigit`` also accepts "²" and "٢٠٢٠", which ``int()`` refuses or reads as another number.

    >>> whole_number("2020"), whole_number("²"), whole_number(" 1"), whole_number("")
    (2020, None, None, None)
    """
    digits = str(text)
    return int(digits) if digits.isascii() and digits.isdigit() else None


def file_suffix(filters: Filters) -> str:
    """What a download's file name adds for its filters: ``-stages-arrival-regions-europe``, or nothing.

    >>> file_suffix(Filters(stages=["arrival"], text="a/b")), file_suffix(Filters())
    ('-stages-arrival-text-a-b', '')
    """
    if filters.is_empty():
        return ""
    return "-" + re.sub(r"[^a-z0-9]+", "-", filters.describe().lower()).strip("-")[:100].rstrip("-")


def filters_from_query(request: Request) -> Filters:
    """The filters of a request's query string, by any of their names, as a readable 422 when wrong."""
    pairs = [(k, v) for k, v in request.query_params.multi_items() if Filters.field_for(k) is not None]
    return Filters.from_pairs(pairs)  # InvalidFilters: a 422 (errors.py), with ways back for a page


def _descriptions() -> dict[str, str]:
    out = {}
    for dim in load_framework().dimensions:
        out[dim.filter] = f"{dim.label}: codes such as {', '.join(dim.codes[:2])} (also ?{dim.option}=)"
    out["countries"] = "Countries: ISO 3166 alpha-3 codes or English names, e.g. DEU"
    out["regions"] = "Regions: africa, americas, asia, europe, oceania, middle_east or a UN M49 sub-region"
    out["status"] = "active, ended or unknown"
    return out


def _filter_params(request: Request, **declared: Any) -> Filters:
    """Dependency: the filters of the query string (the parameters are declared for the OpenAPI schema
    and validated by FastAPI; the values are read from the request, so every alias works)."""
    return filters_from_query(request)


_filter_params.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        *(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[Optional[list[str]], Query(description=text)])
            for name, text in _descriptions().items()
        ),
        inspect.Parameter(
            "year", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[Optional[str], Query(description="Active in this year, e.g. 2020")]
        ),
        inspect.Parameter(
            "text",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[Optional[str], Query(max_length=200, description="Free text (name, description, actors)")],
        ),
    ]
)
filter_params = _filter_params


def filter_query(filters: Filters) -> list[tuple[str, str]]:
    """The filters as query-string pairs (the inverse of :func:`filter_params`)."""
    return filters.pairs()


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def refuse_unknown_query(request: Request) -> None:
    """Dependency of every API read: a query parameter the route does not know is a 422 naming it,
    never silently ignored (``?limit=2`` would otherwise return everything, as if filtered).
    Filters are known by every name they answer to (``?stage=`` as well as ``?stages=``)."""
    if request.method not in ("GET", "HEAD") or not request.url.path.startswith("/api"):
        return
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant)
    takes_filters = any(Filters.field_for(n) is not None for n in known)
    unknown = [k for k in dict.fromkeys(request.query_params) if k not in known and not (takes_filters and Filters.field_for(k) is not None)]
    if unknown:
        shown = ", ".join(sorted(known)) or "none"
        raise HTTPException(422, f"unknown query parameter{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; this endpoint takes: {shown}")
