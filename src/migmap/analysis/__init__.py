"""Analysis on domain objects: gap maps, gaps, funder bias, networks, geography, trends.

Nothing here opens a database; :mod:`migmap.services.analysis` feeds these functions
from SQL aggregations (gap map, gaps, bias, trends) or from filtered initiatives.
Names are imported on first use, so ``import migmap.analysis`` stays cheap (numpy and
networkx load only when needed).

    >>> from migmap.analysis import gap_map
    >>> gap_map([]).total
    0
"""

from __future__ import annotations

import importlib
from typing import Any

# light modules, imported now (``geography`` and ``trends`` are also function names:
# binding the functions here keeps them from being shadowed by the submodules)
from .curation import Verification
from .dimensions import UnknownDimension, check_dimension
from .gapmap import Cell, GapMap, build_gap_map, gap_map
from .gaps import Gap, GapReport, adjusted_residual, expected_count, find_gaps
from .geography import Geography, geography
from .trends import Trends, build_trends, trends

# heavy modules (numpy, networkx), imported on first use
_WHERE = {
    "FunderBias": "bias",
    "Proportion": "bias",
    "funder_bias": "bias",
    "is_funding_only": "bias",
    "proportion": "bias",
    "ActorNetwork": "network",
    "actor_network": "network",
}

__all__ = [
    "ActorNetwork",
    "Cell",
    "FunderBias",
    "Gap",
    "GapMap",
    "GapReport",
    "Geography",
    "Proportion",
    "Trends",
    "UnknownDimension",
    "Verification",
    "actor_network",
    "adjusted_residual",
    "build_gap_map",
    "build_trends",
    "check_dimension",
    "expected_count",
    "find_gaps",
    "funder_bias",
    "gap_map",
    "geography",
    "is_funding_only",
    "proportion",
    "trends",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'migmap.analysis' has no attribute {name!r}")
