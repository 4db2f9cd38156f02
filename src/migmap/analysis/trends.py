"""Initiatives started per year, by stage (or any tag dimension).

>>> t = build_trends({(2015, "transit"): 2, (2016, "arrival"): 1})
>>> t.years, t.count(2015, "transit"), t.per_year[2016]
([2015, 2016], 2, 1)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from migmap.domain.filters import Filters
from migmap.domain.models import Initiative
from migmap.framework import load_framework

from .dimensions import check_dimension


@dataclass
class Trends:
    dimension: str
    codes: list[str]
    years: list[int]  # every year from the first to the last start, gaps filled with zeros
    counts: dict[tuple[int, str], int]
    per_year: dict[int, int]  # distinct initiatives started each year
    undated: int = 0
    filters: Filters = field(default_factory=Filters)

    def count(self, year: int, code: str) -> int:
        return self.counts.get((year, code), 0)

    @property
    def message(self) -> str:
        if not self.years:
            return f"No dated initiatives in this slice ({self.filters.describe()})."
        peak = max(self.per_year.items(), key=lambda kv: (kv[1], kv[0]))
        return f"{sum(self.per_year.values())} initiatives started between {self.years[0]} and {self.years[-1]}; the most in {peak[0]} ({peak[1]})" + (
            f"; {self.undated} without a start year." if self.undated else "."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "filters": self.filters.describe(),
            "message": self.message,
            "years": self.years,
            "codes": self.codes,
            "series": [{"year": y, "code": c, "count": self.count(y, c)} for y in self.years for c in self.codes],
            "per_year": {str(y): self.per_year.get(y, 0) for y in self.years},
            "undated": self.undated,
        }


def build_trends(
    counts: Mapping[tuple[int, str], int],
    dimension: str = "stages",
    per_year: Mapping[int, int] | None = None,
    undated: int = 0,
    filters: Filters | None = None,
) -> Trends:
    check_dimension(dimension)
    years_seen = sorted({y for y, _ in counts} | set(per_year or {}))
    years = list(range(years_seen[0], years_seen[-1] + 1)) if years_seen else []
    if per_year is None:
        per = defaultdict(int)
        for (y, _), n in counts.items():
            per[y] = max(per[y], n)  # a lower bound; exact per-year counts come from the items
        per_year = dict(per)
    return Trends(
        dimension,
        list(load_framework()[dimension].codes),
        years,
        dict(counts),
        {y: int(per_year.get(y, 0)) for y in years},
        undated,
        filters or Filters(),
    )


def trends(items: Iterable[Initiative], dimension: str = "stages", filters: Filters | None = None) -> Trends:
    """Starts per year and code of ``dimension`` for ``items`` (already filtered); pure."""
    check_dimension(dimension)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    per_year: dict[int, int] = defaultdict(int)
    undated = 0
    for item in items:
        if item.start_year is None:
            undated += 1
            continue
        per_year[item.start_year] += 1
        for code in set(item.tags(dimension)):
            counts[(item.start_year, code)] += 1
    return build_trends(counts, dimension, per_year, undated, filters)
