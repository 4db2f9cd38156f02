"""Countries (ISO 3166-1 alpha-3 via pycountry) and regions (UN M49 grouping).

>>> normalise_country("deu")
'DEU'
>>> region_of("JOR")
'asia'
>>> sorted(regions_of("JOR"))
['asia', 'middle_east', 'western_asia']
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry

#: Kosovo: user-assigned code used by the UN, the EU and many data sets.
EXTRA_COUNTRIES = {"XKX": "Kosovo"}

#: The Middle East as commonly drawn in migration work (an overlay on the M49 continents).
MIDDLE_EAST = frozenset({"BHR", "EGY", "IRN", "IRQ", "ISR", "JOR", "KWT", "LBN", "OMN", "PSE", "QAT", "SAU", "SYR", "TUR", "ARE", "YEM"})

#: Region codes usable in filters, with labels. Continents first, then the overlay.
CONTINENTS = {
    "africa": "Africa",
    "americas": "Americas",
    "asia": "Asia",
    "europe": "Europe",
    "oceania": "Oceania",
}
REGION_LABELS = {**CONTINENTS, "middle_east": "Middle East"}


def _slug(text: str) -> str:
    return text.lower().replace("-", "_").replace(" ", "_")


@lru_cache(maxsize=1)
def _m49() -> dict[str, tuple[str, str]]:
    raw = json.loads(resources.files("migmap.domain").joinpath("regions.json").read_text(encoding="utf-8"))
    out = {}
    for code, (continent, sub) in raw.items():
        continent = "americas" if continent == "America" else _slug(continent)
        out[code] = (continent, _slug(sub))
    return out


@lru_cache(maxsize=4096)
def _lookup(value: str) -> str | None:
    v = value.strip()
    if v.upper() in EXTRA_COUNTRIES:
        return v.upper()
    if len(v) == 3 and v.isalpha():
        c = pycountry.countries.get(alpha_3=v.upper())
        return c.alpha_3 if c else None
    return None


@lru_cache(maxsize=4096)
def _lookup_name(value: str) -> str | None:
    v = value.strip()
    for code, name in EXTRA_COUNTRIES.items():
        if v.casefold() == name.casefold():
            return code
    try:
        c = pycountry.countries.lookup(v)
    except LookupError:
        return None
    names = {getattr(c, key, "").casefold() for key in ("name", "official_name", "common_name")}
    return c.alpha_3 if v.casefold() in names else None


def normalise_country(value: Any, *, by_name: bool = False) -> str:
    """The ISO 3166-1 alpha-3 code of a code, else ``ValueError`` naming the value. Records hold codes
    only; with ``by_name`` (filters, searches) an English country name is read too.

    >>> normalise_country("deu"), normalise_country("Germany", by_name=True), normalise_country("kosovo", by_name=True)
    ('DEU', 'DEU', 'XKX')
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected an ISO 3166-1 alpha-3 country code such as DEU, got {value!r}")
    code = _lookup(value) or (_lookup_name(value) if by_name else None)
    if code is None:
        hint = ""
        try:
            guess = pycountry.countries.lookup(value.strip())
            hint = f" (did you mean {guess.alpha_3}, {guess.name}?)"
        except LookupError:
            near = _closest_name(value)
            hint = f" (did you mean {near[0]}, {near[1]}?)" if near else ""
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-3 country code{hint}")
    return code


def _closest_name(value: str) -> tuple[str, str] | None:
    """(code, name) of the country whose English name is closest to a misspelt one, if any is close.

    >>> _closest_name("Germania"), _closest_name("Untied Kingdom")
    (('DEU', 'Germany'), ('GBR', 'United Kingdom'))
    """
    from rapidfuzz import fuzz, process

    names = {c.name: c.alpha_3 for c in pycountry.countries}
    names.update({name: code for code, name in EXTRA_COUNTRIES.items()})
    best = process.extractOne(value.strip(), list(names), scorer=fuzz.WRatio, score_cutoff=80)
    return (names[best[0]], best[0]) if best else None


def country_name(code: str) -> str:
    if code in EXTRA_COUNTRIES:
        return EXTRA_COUNTRIES[code]
    c = pycountry.countries.get(alpha_3=code)
    return getattr(c, "common_name", None) or (c.name if c else code)


def region_of(code: str) -> str | None:
    """The M49 continent of a country (``africa``, ``americas``, ``asia``, ``europe``, ``oceania``)."""
    entry = _m49().get(code)
    return entry[0] if entry else None


def regions_of(code: str) -> set[str]:
    """Every region code a country belongs to: continent, M49 sub-region and the Middle East overlay."""
    entry = _m49().get(code)
    out: set[str] = set(entry) if entry else set()
    if code in MIDDLE_EAST:
        out.add("middle_east")
    return out


def countries_in_region(region: str) -> set[str]:
    """All alpha-3 codes in a region code (continent, sub-region or ``middle_east``)."""
    region = REGION_ALIASES.get(_slug(region), _slug(region))
    if region == "middle_east":
        return set(MIDDLE_EAST)
    return {code for code, (cont, sub) in _m49().items() if region in (cont, sub)}


#: Common ways of naming a region that are not its M49 name.
REGION_ALIASES = {
    "west_africa": "western_africa",
    "east_africa": "eastern_africa",
    "north_africa": "northern_africa",
    "central_africa": "middle_africa",
    "southeast_asia": "south_eastern_asia",
    "south_east_asia": "south_eastern_asia",
    "south_asia": "southern_asia",
    "east_asia": "eastern_asia",
    "north_america": "northern_america",
    "mena": "middle_east",
    "pacific": "oceania",
}


def normalise_region(text: str) -> str:
    """A region code from a code or a name (``"West Africa"`` -> ``western_africa``), else ``ValueError``.

    >>> normalise_region("West Africa"), normalise_region("south-eastern asia"), normalise_region("EUROPE")
    ('western_africa', 'south_eastern_asia', 'europe')
    """
    slug = _slug(str(text).strip())
    slug = REGION_ALIASES.get(slug, slug)
    if slug not in all_region_codes():
        raise ValueError(f"unknown region {text!r}; allowed: {', '.join(all_region_codes())}")
    return slug


def all_region_codes() -> dict[str, str]:
    """Region code -> label, for continents, the Middle East and M49 sub-regions."""
    out = dict(REGION_LABELS)
    for _, sub in sorted(_m49().values()):
        out.setdefault(sub, sub.replace("_", " ").capitalize())
    return out
