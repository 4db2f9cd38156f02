"""The search record: how the bundled map was searched, so a gap can be told from a curation gap.

Every search the curators ran is kept as data (``migmap/data/searches/*.yaml``): its date,
the question, the codes it targeted, how many candidates were screened, which records it
included and why the others were left out. For a cell of a gap map this module says
whether it was ever searched and what was found::

    >>> log = SearchLog([Search("s1", "2026-12-07", "solar firms refugee camps", {"sector": ("energy_construction",)}, 3, ("a",), {"B": "NGO lead"})])
    >>> log.for_cell("stages", "arrival", "sector", "energy_construction").sentence
    'searched once, 3 candidates screened, 1 included'
    >>> log.for_cell("stages", "arrival", "sector", "health").sentence
    'never searched'

A search counts for a cell when it targeted the cell's codes on both dimensions; a search
that names no stage looked at every stage (a search for health firms, at no stage in
particular, counts for health at every stage).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from migmap.domain.errors import MigmapError, Problem
from migmap.framework import load_framework

__all__ = ["Search", "CellSearch", "SearchLog", "InvalidSearchLog", "load_search_log"]

#: Target keys that are not dimensions of the framework.
PLACE_TARGETS = ("region", "regions", "countries", "country")


class InvalidSearchLog(MigmapError):
    """A search-log file that cannot be read; every problem names its file and entry."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class Search:
    """One search: what was asked, aimed at which codes, with what result."""

    id: str
    date: str
    query: str
    targets: Mapping[str, tuple[str, ...]]
    screened: int = 0
    included: tuple[str, ...] = ()
    excluded: Mapping[str, str] = field(default_factory=dict)
    corpus: str = "pages"

    def aims_at(self, dimension: str, code: str) -> bool | None:
        """True if it targeted ``code`` of ``dimension``, False if other codes only, None if not that dimension."""
        codes = self.targets.get(dimension)
        if not codes:
            return None
        return code in codes


@dataclass(frozen=True)
class CellSearch:
    """What the search record says of one cell."""

    searches: int
    screened: int
    included: int

    @property
    def searched(self) -> bool:
        return self.searches > 0

    @property
    def sentence(self) -> str:
        if not self.searches:
            return "never searched"
        times = "once" if self.searches == 1 else f"{self.searches} times"
        found = f"{self.included} included" if self.included else "none fits"
        return f"searched {times}, {self.screened} candidate{'s' if self.screened != 1 else ''} screened, {found}"

    def to_dict(self) -> dict[str, Any]:
        return {"searched": self.searched, "searches": self.searches, "screened": self.screened, "included": self.included, "sentence": self.sentence}


class SearchLog:
    """Every logged search, asked per cell."""

    def __init__(self, searches: Iterable[Search]):
        self.searches = list(searches)

    def __len__(self) -> int:
        return len(self.searches)

    def for_cell(self, rows_dim: str, row: str, cols_dim: str, col: str) -> CellSearch:
        hits = []
        for s in self.searches:
            a, b = s.aims_at(rows_dim, row), s.aims_at(cols_dim, col)
            # a search that names no stage looked at every stage; any other dimension must be named
            a = True if a is None and rows_dim == "stages" and b else a
            b = True if b is None and cols_dim == "stages" and a else b
            if a and b:
                hits.append(s)
        return CellSearch(len(hits), sum(s.screened for s in hits), sum(len(s.included) for s in hits))

    def cells(self, rows_dim: str, rows: Iterable[str], cols_dim: str, cols: Iterable[str]) -> dict[tuple[str, str], CellSearch]:
        cols = list(cols)
        return {(r, c): self.for_cell(rows_dim, r, cols_dim, c) for r in rows for c in cols}

    def included_ids(self) -> set[str]:
        return {i for s in self.searches for i in s.included}

    def summary(self, rows_dim: str, cols_dim: str) -> dict[str, Any]:
        fw = load_framework()
        cells = self.cells(rows_dim, fw[rows_dim].codes, cols_dim, fw[cols_dim].codes)
        return {
            "searches": len(self.searches),
            "screened": sum(s.screened for s in self.searches),
            "included": len(self.included_ids()),
            "cells": len(cells),
            "cells_never_searched": sum(1 for c in cells.values() if not c.searched),
        }


def _entry(raw: Any, file: str, row: int, problems: list[Problem]) -> Search | None:
    fw = load_framework()
    if not isinstance(raw, dict):
        problems.append(Problem("entry", "expected a mapping with id, date, query, targets, screened, included, excluded", file, row))
        return None
    before = len(problems)
    for key in ("id", "date", "query"):
        if not raw.get(key):
            problems.append(Problem(key, "is required", file, row))
    targets: dict[str, tuple[str, ...]] = {}
    for dim, codes in (raw.get("targets") or {}).items():
        codes = tuple(codes if isinstance(codes, list) else [codes])
        if dim in PLACE_TARGETS:
            targets["regions" if dim.startswith("region") else "countries"] = tuple(map(str, codes))
            continue
        if dim not in fw:
            problems.append(Problem(f"targets.{dim}", f"not a dimension; allowed: {', '.join(fw.names)}, region, countries", file, row))
            continue
        bad = [c for c in codes if c not in fw[dim].codes]
        if bad:
            problems.append(Problem(f"targets.{dim}", f"unknown code(s) {', '.join(map(repr, bad))}; allowed: {', '.join(fw[dim].codes)}", file, row))
        targets[dim] = codes
    screened = raw.get("screened", 0)
    if not isinstance(screened, int) or screened < 0:
        problems.append(Problem("screened", f"expected a whole number, got {screened!r}", file, row))
    if len(problems) > before:
        return None
    date = raw["date"].isoformat() if isinstance(raw["date"], dt.date) else str(raw["date"])
    return Search(
        id=str(raw["id"]),
        date=date,
        query=str(raw["query"]),
        targets=targets,
        screened=screened,
        included=tuple(str(i) for i in raw.get("included") or ()),
        excluded={str(k): str(v) for k, v in (raw.get("excluded") or {}).items()},
        corpus=str(raw.get("corpus") or "pages"),
    )


def bundled_search_files() -> list[Path]:
    root = resources.files("migmap.data").joinpath("searches")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".yaml")) if root.is_dir() else []


def load_search_log(paths: Iterable[str | Path] | None = None) -> SearchLog:
    """The search log of the bundled map (or of ``paths``); :class:`InvalidSearchLog` lists every problem."""
    problems: list[Problem] = []
    searches: list[Search] = []
    for path in bundled_search_files() if paths is None else [Path(p) for p in paths]:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for n, item in enumerate(raw if isinstance(raw, list) else [raw], 1):
            found = _entry(item, path.name, n, problems)
            if found:
                searches.append(found)
    seen: set[str] = set()
    for s in searches:
        if s.id in seen:
            problems.append(Problem("id", f"{s.id!r} is used by two searches"))
        seen.add(s.id)
    if problems:
        raise InvalidSearchLog(problems)
    return SearchLog(searches)
