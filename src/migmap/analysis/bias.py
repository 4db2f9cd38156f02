"""Funder bias: how often business appears in an initiative *only* as a funder.

The ECDPM report finds that public actors still treat business mainly as a funder or
co-funder. An initiative is *funding-only* when its contributions are exactly
``[funding]``. Shares come with a 95% bootstrap interval (percentile method, fixed
seed, so the figures are reproducible): resampling ``n`` initiatives of which a share
``p`` is funding-only is drawing ``Binomial(n, p)``, which is what is done here.

    >>> p = proportion(40, 10)
    >>> p.share, round(p.low, 3) <= 0.25 <= round(p.high, 3)
    (0.25, True)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from migmap.domain.filters import Filters
from migmap.domain.models import Initiative

from .gapmap import GapMap, gap_map
from .wording import label, lower_label

SEED = 20200301  # the month of the ECDPM report; any fixed value makes intervals reproducible
REPLICATES = 2000
#: Breakdowns of the funder-only share: tag dimensions, plus ``start_year``.
BREAKDOWNS: tuple[str, ...] = ("stages", "actor_type", "sector", "public_partners", "start_year")


def is_funding_only(item: Initiative) -> bool:
    """True when the private actors bring money and nothing else."""
    return list(item.contributions) == ["funding"]


@dataclass
class Proportion:
    """``k`` of ``n`` initiatives, with a 95% bootstrap interval [low, high]."""

    n: int
    k: int
    share: float | None
    low: float | None
    high: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "k": self.k, "share": self.share, "low": self.low, "high": self.high}

    def __str__(self) -> str:
        if self.share is None:
            return "n/a (no initiatives)"
        return f"{self.share:.0%} [{self.low:.0%}-{self.high:.0%}] of {self.n}"


def proportion(n: int, k: int, replicates: int = REPLICATES, seed: int = SEED) -> Proportion:
    """The share ``k/n`` with a 95% percentile bootstrap interval (fixed seed)."""
    if n <= 0:
        return Proportion(0, 0, None, None, None)
    p = k / n
    rng = np.random.default_rng(seed)
    draws = rng.binomial(n, p, size=replicates) / n
    low, high = np.percentile(draws, [2.5, 97.5])
    return Proportion(n, k, p, float(low), float(high))


@dataclass
class FunderBias:
    overall: Proportion
    by: dict[str, dict[str, Proportion]]
    mix: GapMap  # stages x contributions
    filters: Filters = field(default_factory=Filters)

    @property
    def finding(self) -> str:
        """The headline, e.g. ``'23% of 61 initiatives (95% CI 13%-34%) involve business only as a funder.'``"""
        o = self.overall
        if o.share is None:
            return f"No initiatives in this slice ({self.filters.describe()}), so there is no funder share to report."
        return (
            f"{o.share:.0%} of {o.n} initiatives (95% CI {o.low:.0%}-{o.high:.0%}) involve business only as a funder; "
            f"in the other {1 - o.share:.0%} it also or instead brings expertise, access or advocacy."
        )

    def highest(self, breakdown: str = "stages", min_n: int = 5) -> tuple[str, Proportion] | None:
        """The group of a breakdown with the highest funder-only share (among groups of ``min_n`` or more)."""
        groups = [(c, p) for c, p in self.by.get(breakdown, {}).items() if p.n >= min_n and p.share is not None]
        return max(groups, key=lambda cp: (cp[1].share, cp[1].n)) if groups else None

    def sentences(self, min_n: int = 5) -> list[str]:
        out = [self.finding]
        for dim in ("stages", "actor_type", "sector", "public_partners"):
            top = self.highest(dim, min_n)
            if top:
                code, p = top
                out.append(
                    f"Highest by {lower_label_dim(dim)}: {lower_label(dim, code)} ({p.share:.0%} funding-only, 95% CI {p.low:.0%}-{p.high:.0%}, n={p.n})."
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters.describe(),
            "finding": self.finding,
            "overall": self.overall.to_dict(),
            "by": {
                dim: {str(code): {**p.to_dict(), "label": label(dim, code) if dim != "start_year" else str(code)} for code, p in groups.items()}
                for dim, groups in self.by.items()
            },
            "mix": self.mix.to_dict(with_ids=False),
        }


def lower_label_dim(dim: str) -> str:
    return {"stages": "stage", "actor_type": "actor type", "sector": "sector", "public_partners": "public partner"}.get(dim, dim)


def build_bias(
    overall: tuple[int, int],
    by_counts: Mapping[str, Mapping[Any, tuple[int, int]]],
    mix: GapMap,
    filters: Filters | None = None,
) -> FunderBias:
    """Assemble a :class:`FunderBias` from (n, k) counts; groups are kept in framework / year order."""
    from migmap.framework import load_framework

    fw = load_framework()
    by: dict[str, dict[str, Proportion]] = {}
    for dim, groups in by_counts.items():
        if dim == "start_year":
            keys = sorted(groups)
        else:
            keys = [c for c in fw[dim].codes if c in groups]
        by[dim] = {k: proportion(*groups[k]) for k in keys}
    return FunderBias(proportion(*overall), by, mix, filters or Filters())


def funder_bias(items: Iterable[Initiative], filters: Filters | None = None) -> FunderBias:
    """Funder-only shares of ``items`` (already filtered), overall and by breakdown; pure."""
    items = list(items)
    by_counts: dict[str, dict[Any, list[int]]] = {d: defaultdict(lambda: [0, 0]) for d in BREAKDOWNS}
    k_all = 0
    for item in items:
        fo = is_funding_only(item)
        k_all += fo
        for dim in BREAKDOWNS:
            if dim == "start_year":
                keys = [item.start_year] if item.start_year is not None else []
            else:
                keys = set(item.tags(dim))
            for key in keys:
                by_counts[dim][key][0] += 1
                by_counts[dim][key][1] += int(fo)
    counts = {d: {k: (v[0], v[1]) for k, v in g.items()} for d, g in by_counts.items()}
    return build_bias((len(items), k_all), counts, gap_map(items, "stages", "contributions", filters), filters)
