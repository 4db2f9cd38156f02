"""The gap map: a cross-tabulation of two framework dimensions.

Multi-valued tags count once in each of their codes: an initiative tagged with two
stages adds one to each stage row. ``total`` is the number of distinct initiatives in
the slice; a row total is the number of distinct initiatives carrying that row code,
and a cell's ``row_share`` is its count divided by its row total.

    >>> from migmap.domain import Initiative
    >>> gm = gap_map([], rows="stages", cols="actor_type")
    >>> gm.total, gm.cell("arrival", "sme").count
    (0, 0)
    >>> gm.message
    'No initiatives in this slice (all initiatives): the map is empty.'

Every code of both dimensions is present (in framework order), so empty cells show. Codes
that the filters leave out are not gaps: ``rows_in_scope``, ``cols_in_scope`` and
``cells_in_scope`` hold what was asked about, and every view (page, chart, report, gaps) shows
those only::

    >>> gm = gap_map([], rows="stages", cols="actor_type", filters=Filters(stages=["return_reintegration"]))
    >>> gm.rows_in_scope, len(gm.cells), len(gm.cells_in_scope)
    (['return_reintegration'], 35, 7)
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
from .wording import dimension_label


@dataclass
class Cell:
    """One cell: initiatives tagged ``row`` on the rows dimension and ``col`` on the columns."""

    row: str
    col: str
    count: int
    ids: list[str]
    row_share: float  # share of the row's initiatives

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "col": self.col, "count": self.count, "ids": list(self.ids), "row_share": self.row_share}


@dataclass
class GapMap:
    """Counts of initiatives for every (row code, column code) pair of two dimensions."""

    rows_dim: str
    cols_dim: str
    rows: list[str]
    cols: list[str]
    cells: list[Cell]
    total: int
    row_totals: dict[str, int]
    col_totals: dict[str, int]
    filters: Filters = field(default_factory=Filters)

    def __post_init__(self) -> None:
        self._index = {(c.row, c.col): c for c in self.cells}
        chosen = self.filters.tag_filters()
        #: The codes asked about: a code that the filters leave out is shown nowhere and is no gap.
        self.rows_in_scope = [r for r in self.rows if self.rows_dim not in chosen or r in chosen[self.rows_dim]]
        self.cols_in_scope = [c for c in self.cols if self.cols_dim not in chosen or c in chosen[self.cols_dim]]
        rows, cols = set(self.rows_in_scope), set(self.cols_in_scope)
        self.cells_in_scope = [c for c in self.cells if c.row in rows and c.col in cols]

    def cell(self, row: str, col: str) -> Cell:
        """The cell at (row, col); ``KeyError`` naming both if either code is not on the map."""
        try:
            return self._index[(row, col)]
        except KeyError:
            raise KeyError(f"no cell ({row!r}, {col!r}) on the {self.rows_dim} x {self.cols_dim} map") from None

    @property
    def is_empty(self) -> bool:
        return self.total == 0

    @property
    def message(self) -> str:
        """A one-line description, saying plainly when the slice is empty."""
        what = self.filters.describe()
        if self.is_empty:
            return f"No initiatives in this slice ({what}): the map is empty."
        filled = sum(1 for c in self.cells_in_scope if c.count)
        axes = f"{dimension_label(self.rows_dim)} × {dimension_label(self.cols_dim)}"
        return f"{self.total} initiatives ({what}); {filled} of {len(self.cells_in_scope)} cells ({axes}) have at least one."

    def matrix(self) -> list[list[int]]:
        """Counts as a list of rows (in ``rows`` order), each a list over ``cols``."""
        return [[self._index[(r, c)].count for c in self.cols] for r in self.rows]

    def to_dict(self, with_ids: bool = True) -> dict[str, Any]:
        cells = [c.to_dict() for c in self.cells]
        if not with_ids:
            for c in cells:
                c.pop("ids")
        return {
            "rows_dim": self.rows_dim,
            "cols_dim": self.cols_dim,
            "rows": list(self.rows),
            "cols": list(self.cols),
            "rows_in_scope": list(self.rows_in_scope),
            "cols_in_scope": list(self.cols_in_scope),
            "cells": cells,
            "total": self.total,
            "row_totals": dict(self.row_totals),
            "col_totals": dict(self.col_totals),
            "filters": self.filters.describe(),
            "message": self.message,
        }


def build_gap_map(
    rows_dim: str,
    cols_dim: str,
    pairs: Mapping[tuple[str, str], Iterable[str] | int],
    row_totals: Mapping[str, int],
    col_totals: Mapping[str, int],
    total: int,
    filters: Filters | None = None,
) -> GapMap:
    """Assemble a :class:`GapMap` from counted pairs (ids or bare counts) and margins.

    Used by :func:`gap_map` and by the SQL aggregation, so both give the same object."""
    fw = load_framework()
    rows = list(fw[rows_dim].codes)
    cols = list(fw[cols_dim].codes)
    rt = {r: int(row_totals.get(r, 0)) for r in rows}
    ct = {c: int(col_totals.get(c, 0)) for c in cols}
    cells = []
    for r in rows:
        for c in cols:
            value = pairs.get((r, c), 0)
            if isinstance(value, int):
                ids, count = [], value
            else:
                ids = sorted(value)
                count = len(ids)
            share = count / rt[r] if rt[r] else 0.0
            cells.append(Cell(r, c, count, ids, share))
    return GapMap(rows_dim, cols_dim, rows, cols, cells, int(total), rt, ct, filters or Filters())


def gap_map(
    items: Iterable[Initiative],
    rows: str = "stages",
    cols: str = "actor_type",
    filters: Filters | None = None,
) -> GapMap:
    """Cross-tabulate ``items`` (already filtered) on two dimensions; pure, no database.

    ``filters`` only describes the slice (it is not applied here)."""
    check_dimension(rows, "rows")
    check_dimension(cols, "cols")
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    row_sets: dict[str, set[str]] = defaultdict(set)
    col_sets: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    for item in items:
        seen.add(item.id)
        rcodes = set(item.tags(rows))
        ccodes = set(item.tags(cols))
        for r in rcodes:
            row_sets[r].add(item.id)
        for c in ccodes:
            col_sets[c].add(item.id)
        for r in rcodes:
            for c in ccodes:
                pairs[(r, c)].add(item.id)
    return build_gap_map(
        rows,
        cols,
        pairs,
        {k: len(v) for k, v in row_sets.items()},
        {k: len(v) for k, v in col_sets.items()},
        len(seen),
        filters,
    )
