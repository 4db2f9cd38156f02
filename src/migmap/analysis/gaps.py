"""Gaps in a gap map: empty and thin cells, and cells far below what the margins predict.

The expectation is the independence model: if being tagged ``row`` and being tagged
``col`` were unrelated, a cell would hold ``E = R * C / N`` initiatives (R, C the row
and column totals, N the initiatives in the slice). Because tags are multi-valued,
each cell is treated as its own 2x2 table (has row code / has column code), and its
*adjusted standardised residual* is::

    z = (O - E) / sqrt(E * (1 - R/N) * (1 - C/N))

which is approximately standard normal under independence; ``z <= -2`` is "far below".

    >>> from migmap.analysis.gapmap import build_gap_map
    >>> gm = build_gap_map("stages", "actor_type", {("arrival", "sme"): 1, ("arrival", "multinational"): 9,
    ...     ("long_term", "sme"): 9, ("long_term", "multinational"): 1}, {"arrival": 10, "long_term": 10},
    ...     {"sme": 10, "multinational": 10}, 20)
    >>> g = find_gaps(gm).gaps[0]
    >>> g.sentence
    'Only 1 of 10 initiatives at the arrival stage are led by a small or medium-sized firm, against 5.0 expected.'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .curation import Verification
from .gapmap import GapMap
from .searches import CellSearch, SearchLog
from .wording import col_phrase, label, row_phrase


@dataclass
class Gap:
    row: str
    col: str
    count: int
    expected: float
    residual: float
    row_total: int
    col_total: int
    kind: str  # "empty", "thin" or "below"
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "col": self.col,
            "count": self.count,
            "expected": round(self.expected, 3),
            "residual": round(self.residual, 3),
            "row_total": self.row_total,
            "col_total": self.col_total,
            "kind": self.kind,
            "sentence": self.sentence,
        }


@dataclass
class GapReport:
    gap_map: GapMap
    gaps: list[Gap]
    unmapped_rows: list[str]
    unmapped_cols: list[str]
    verification: Verification | None = None
    thin: int = 2
    z: float = -2.0
    min_expected: float = 1.0
    notes: list[str] = field(default_factory=list)
    #: What the search record says of each gap's cell (empty when no search log was given).
    searches: dict[tuple[str, str], CellSearch] = field(default_factory=dict)

    def search_of(self, gap: Gap) -> CellSearch | None:
        return self.searches.get((gap.row, gap.col))

    @property
    def message(self) -> str:
        if self.gap_map.is_empty:
            return self.gap_map.message
        return f"{len(self.gaps)} gaps among {len(self.gap_map.cells_in_scope)} cells of {self.gap_map.total} initiatives ({self.gap_map.filters.describe()})."

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows_dim": self.gap_map.rows_dim,
            "cols_dim": self.gap_map.cols_dim,
            "total": self.gap_map.total,
            "filters": self.gap_map.filters.describe(),
            "message": self.message,
            "thin": self.thin,
            "z": self.z,
            "min_expected": self.min_expected,
            "gaps": [
                {
                    **g.to_dict(),
                    "row_label": label(self.gap_map.rows_dim, g.row),
                    "col_label": label(self.gap_map.cols_dim, g.col),
                    "search": (self.searches[(g.row, g.col)].to_dict() if (g.row, g.col) in self.searches else None),
                }
                for g in self.gaps
            ],
            "unmapped_rows": self.unmapped_rows,
            "unmapped_cols": self.unmapped_cols,
            "notes": self.notes,
            "verification": self.verification.to_dict() if self.verification else None,
        }


def expected_count(row_total: int, col_total: int, total: int) -> float:
    """Cell count expected under independence: ``R * C / N``."""
    return row_total * col_total / total if total else 0.0


def adjusted_residual(observed: int, row_total: int, col_total: int, total: int) -> float:
    """Adjusted standardised residual of one cell (0 when it is undefined)."""
    if not total:
        return 0.0
    e = expected_count(row_total, col_total, total)
    var = e * (1 - row_total / total) * (1 - col_total / total)
    if var <= 0:
        return 0.0
    return (observed - e) / math.sqrt(var)


def _sentence(rows_dim: str, cols_dim: str, o: int, r: int, e: float, row: str, col: str) -> str:
    subject = row_phrase(rows_dim, row)
    verb = col_phrase(cols_dim, col)
    if o == 0:
        return f"None of the {r} {subject} {verb}, against {e:.1f} expected."
    return f"Only {o} of {r} {subject} {verb}, against {e:.1f} expected."


def find_gaps(
    gm: GapMap,
    verification: Verification | None = None,
    search_log: SearchLog | None = None,
    thin: int = 2,
    z: float = -2.0,
    limit: int | None = None,
    min_expected: float = 1.0,
) -> GapReport:
    """Rank the cells that are empty, thin (``count <= thin``) or far below expectation (``residual <= z``).

    Only cells whose row and column both occur in the slice are ranked; codes that occur
    nowhere in the slice are listed in ``unmapped_rows`` / ``unmapped_cols``. Ranking is by
    residual (most below expectation first), then by expected count (largest first).
    Empty and thin cells are listed only when at least ``min_expected`` initiatives were
    expected there (an empty cell where 0.2 were expected says nothing)."""
    n = gm.total
    gaps: list[Gap] = []
    for cell in gm.cells_in_scope:  # codes the filters leave out are no gaps
        r, c = gm.row_totals[cell.row], gm.col_totals[cell.col]
        if not (r and c and n):
            continue
        e = expected_count(r, c, n)
        res = adjusted_residual(cell.count, r, c, n)
        if cell.count == 0:
            kind = "empty"
        elif res <= z:
            kind = "below"
        elif cell.count <= thin and cell.count < e:
            kind = "thin"
        else:
            continue
        if kind != "below" and (cell.count >= e or e < min_expected):
            continue
        gaps.append(Gap(cell.row, cell.col, cell.count, e, res, r, c, kind, _sentence(gm.rows_dim, gm.cols_dim, cell.count, r, e, cell.row, cell.col)))
    gaps.sort(key=lambda g: (g.residual, -g.expected, g.row, g.col))
    if limit is not None:
        gaps = gaps[:limit]
    unmapped_rows = [x for x in gm.rows_in_scope if not gm.row_totals[x]]
    unmapped_cols = [x for x in gm.cols_in_scope if not gm.col_totals[x]]
    notes = []
    if gm.is_empty:
        notes.append(gm.message)
    if unmapped_rows and not gm.is_empty:
        notes.append("Nothing mapped at all for: " + ", ".join(label(gm.rows_dim, x) for x in unmapped_rows) + ".")
    if unmapped_cols and not gm.is_empty:
        notes.append("Nothing mapped at all for: " + ", ".join(label(gm.cols_dim, x) for x in unmapped_cols) + ".")
    if verification is not None:
        notes.append(verification.note)
    searches: dict[tuple[str, str], CellSearch] = {}
    if search_log is not None and len(search_log):
        searches = {(g.row, g.col): search_log.for_cell(gm.rows_dim, g.row, gm.cols_dim, g.col) for g in gaps}
        never = sum(1 for c in searches.values() if not c.searched)
        if gaps:
            notes.append(
                f"Search record: {never} of these {len(gaps)} gaps were never searched for (a curation gap, not a finding); "
                f"the others were searched and little or nothing fits ({len(search_log)} searches logged)."
            )
    return GapReport(gm, gaps, unmapped_rows, unmapped_cols, verification, thin, z, min_expected, notes, searches)
