"""The gap map against hand counts and an independent computation on the sample."""

from __future__ import annotations

import itertools

import pytest

from migmap.analysis import UnknownDimension, gap_map
from migmap.domain import Filters
from migmap.framework import TAG_DIMENSIONS, load_framework
from migmap.services.analysis import compute_gap_map

from ..conftest import record
from .conftest import tags

# stages x actor_type, counted by hand from tests/data/sample.yaml
HAND = {
    ("pre_departure", "sme"): 1,
    ("pre_departure", "business_association"): 1,
    ("transit", "multinational"): 1,
    ("arrival", "multinational"): 1,
    ("arrival", "foundation"): 1,
    ("long_term", "sme"): 1,
    ("long_term", "business_association"): 1,
    ("long_term", "investment_fund"): 1,
    ("return_reintegration", "business_association"): 1,
}


def independent(raw, rows, cols):
    """(row, col) -> set of ids, straight from the YAML records."""
    out = {}
    for rec in raw:
        for r, c in itertools.product(set(tags(rec, rows)), set(tags(rec, cols))):
            out.setdefault((r, c), set()).add(rec["id"])
    return out


def test_sql_gap_map_matches_hand_counts(sample_db):
    gm = compute_gap_map(sample_db)
    assert gm.total == 6
    assert gm.rows == list(load_framework()["stages"].codes)
    assert gm.cols == list(load_framework()["actor_type"].codes)
    assert {(c.row, c.col): c.count for c in gm.cells if c.count} == HAND
    assert gm.row_totals == {"pre_departure": 2, "transit": 1, "arrival": 2, "long_term": 3, "return_reintegration": 1}
    assert gm.col_totals["multinational"] == 2 and gm.col_totals["social_enterprise"] == 0
    cell = gm.cell("long_term", "investment_fund")
    assert cell.ids == ["epsilon-refugee-fund"]
    assert cell.row_share == pytest.approx(1 / 3)
    # zeta (three stages) counts once in each of its stages
    assert "zeta-returnee-jobs" in gm.cell("pre_departure", "business_association").ids
    assert "zeta-returnee-jobs" in gm.cell("return_reintegration", "business_association").ids


@pytest.mark.parametrize(
    "rows,cols", [("stages", "contributions"), ("contributions", "business_roles"), ("themes", "stages"), ("sector", "public_partners"), ("stages", "stages")]
)
def test_sql_equals_independent_and_pure(sample_db, items, raw, rows, cols):
    gm = compute_gap_map(sample_db, rows, cols)
    expect = independent(raw, rows, cols)
    got = {(c.row, c.col): set(c.ids) for c in gm.cells if c.count}
    assert got == expect
    pure = gap_map(items, rows, cols)
    assert pure.to_dict() == gm.to_dict()
    for r in gm.rows:
        assert gm.row_totals[r] == sum(1 for rec in raw if r in tags(rec, rows))


def test_filters_apply_in_sql(sample_db, raw):
    f = Filters(stages=["long_term"], contributions=["expertise"])
    gm = compute_gap_map(sample_db, "stages", "actor_type", f)
    ids = {r["id"] for r in raw if "long_term" in r["stages"] and "expertise" in r["contributions"]}
    assert gm.total == len(ids) == 3
    assert gm.row_totals["long_term"] == 3
    assert gm.row_totals["pre_departure"] == 2  # alpha and zeta are also pre-departure
    assert "stages=long_term" in gm.message


def test_without_ids_counts_are_the_same(sample_db):
    a = compute_gap_map(sample_db, "stages", "contributions")
    b = compute_gap_map(sample_db, "stages", "contributions", with_ids=False)
    assert a.matrix() == b.matrix()
    assert all(c.ids == [] for c in b.cells)


def test_empty_slice_gives_empty_map_with_message(sample_db):
    gm = compute_gap_map(sample_db, filters=Filters(stages=["transit"], actor_types=["sme"]))
    assert gm.total == 0 and gm.is_empty
    assert all(c.count == 0 for c in gm.cells) and len(gm.cells) == 35
    assert gm.message == "No initiatives in this slice (stages=transit; actor_type=sme): the map is empty."
    assert gm.to_dict()["message"] == gm.message


def test_single_initiative(db):
    db.add(record(stages=["arrival", "long_term"], actor_type="social_enterprise", name="Only one"))
    gm = compute_gap_map(db)
    assert gm.total == 1
    assert gm.cell("arrival", "social_enterprise").count == 1
    assert gm.cell("long_term", "social_enterprise").row_share == 1.0
    assert sum(c.count for c in gm.cells) == 2


def test_unknown_dimension_lists_the_allowed_ones(sample_db):
    with pytest.raises(UnknownDimension) as exc:
        compute_gap_map(sample_db, rows="stage")
    msg = str(exc.value)
    assert "'stage'" in msg and all(d in msg for d in TAG_DIMENSIONS)
    with pytest.raises(UnknownDimension, match="cols"):
        gap_map([], cols="colour")


def test_to_dict_has_the_documented_shape(sample_db):
    d = compute_gap_map(sample_db).to_dict()
    assert {"rows", "cols", "cells", "total", "rows_dim", "cols_dim", "row_totals", "col_totals"} <= set(d)
    assert set(d["cells"][0]) == {"row", "col", "count", "ids", "row_share"}
    with pytest.raises(KeyError, match="nowhere"):
        compute_gap_map(sample_db).cell("nowhere", "sme")
