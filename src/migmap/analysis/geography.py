"""Where initiatives work: per country, per origin→destination corridor, by stage.

A country counts an initiative once whatever its role (origin, transit, destination,
global). A corridor is an (origin, destination) pair of the same initiative; an
initiative with two origins and one destination adds to two corridors.

    >>> geo = geography([])
    >>> geo.countries, geo.message
    ({}, 'No initiatives in this slice (all initiatives): nothing to place on the map.')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from migmap.domain.countries import country_name
from migmap.domain.filters import Filters
from migmap.domain.models import Initiative


@dataclass
class Geography:
    total: int
    countries: dict[str, int]  # ISO alpha-3 -> initiatives
    country_stages: dict[tuple[str, str], int]  # (country, stage) -> initiatives
    roles: dict[tuple[str, str], int]  # (country, role) -> initiatives
    corridors: dict[tuple[str, str], int]  # (origin, destination) -> initiatives
    corridor_stages: dict[tuple[str, str, str], int]  # (origin, destination, stage) -> initiatives
    filters: Filters = field(default_factory=Filters)

    @property
    def message(self) -> str:
        if not self.total:
            return f"No initiatives in this slice ({self.filters.describe()}): nothing to place on the map."
        top = self.top_countries(1)
        lead = f"; most in {top[0][1]} ({top[0][2]})" if top else ""
        return f"{self.total} initiatives in {len(self.countries)} countries and {len(self.corridors)} corridors{lead}."

    def top_countries(self, n: int = 10) -> list[tuple[str, str, int]]:
        """(code, name, initiatives), most first."""
        ranked = sorted(self.countries.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        return [(c, country_name(c), k) for c, k in ranked]

    def top_corridors(self, n: int = 10) -> list[tuple[str, str, int]]:
        ranked = sorted(self.corridors.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        return [(o, d, k) for (o, d), k in ranked]

    def to_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters.describe(),
            "message": self.message,
            "total": self.total,
            "countries": [
                {
                    "code": c,
                    "name": country_name(c),
                    "initiatives": k,
                    "by_stage": {s: n for (cc, s), n in self.country_stages.items() if cc == c},
                    "by_role": {r: n for (cc, r), n in self.roles.items() if cc == c},
                }
                for c, k in sorted(self.countries.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "corridors": [
                {"origin": o, "destination": d, "initiatives": k, "by_stage": {s: n for (oo, dd, s), n in self.corridor_stages.items() if (oo, dd) == (o, d)}}
                for (o, d), k in sorted(self.corridors.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        }


def geography(items: Iterable[Initiative], filters: Filters | None = None) -> Geography:
    """Count ``items`` (already filtered) per country, role and corridor, by stage; pure."""
    countries: dict[str, int] = defaultdict(int)
    country_stages: dict[tuple[str, str], int] = defaultdict(int)
    roles: dict[tuple[str, str], int] = defaultdict(int)
    corridors: dict[tuple[str, str], int] = defaultdict(int)
    corridor_stages: dict[tuple[str, str, str], int] = defaultdict(int)
    total = 0
    for item in items:
        total += 1
        codes = {c.code for c in item.countries}
        for code in codes:
            countries[code] += 1
            for s in set(item.stages):
                country_stages[(code, s)] += 1
        for code, role in {(c.code, c.role) for c in item.countries}:
            roles[(code, role)] += 1
        origins = {c.code for c in item.countries if c.role == "origin"}
        dests = {c.code for c in item.countries if c.role == "destination"}
        for o in origins:
            for d in dests:
                if o == d:
                    continue
                corridors[(o, d)] += 1
                for s in set(item.stages):
                    corridor_stages[(o, d, s)] += 1
    return Geography(total, dict(countries), dict(country_stages), dict(roles), dict(corridors), dict(corridor_stages), filters or Filters())
