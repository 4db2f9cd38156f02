"""Funder bias against the hand-checked sample and an independent bootstrap."""

from __future__ import annotations

import numpy as np
import pytest

from migmap.analysis import funder_bias, proportion
from migmap.domain import Filters
from migmap.services.analysis import compute_bias


def test_overall_and_by_stage_by_hand(sample_db):
    b = compute_bias(sample_db)
    assert (b.overall.n, b.overall.k) == (6, 1)  # only gamma brings funding alone
    assert b.overall.share == pytest.approx(1 / 6)
    assert (b.by["stages"]["arrival"].n, b.by["stages"]["arrival"].k) == (2, 1)
    assert b.by["stages"]["long_term"].k == 0  # epsilon brings funding *and* expertise
    assert b.by["actor_type"]["foundation"].share == 1.0
    assert b.by["public_partners"]["ngo_civil_society"].k == 1
    assert set(b.by["start_year"]) == {2012, 2015, 2016, 2019, 2020, 2021}
    assert b.by["start_year"][2016].k == 1
    assert b.finding.startswith("17% of 6 initiatives (95% CI")
    assert b.mix.cell("long_term", "expertise").count == 3
    assert b.mix.cell("arrival", "funding").row_share == 0.5


def test_sql_equals_pure(sample_db, items):
    sql, pure = compute_bias(sample_db), funder_bias(items)
    assert sql.to_dict() == pure.to_dict()


def test_bootstrap_is_reproducible_and_matches_resampling():
    a, b = proportion(200, 46), proportion(200, 46)
    assert (a.low, a.high) == (b.low, b.high)
    assert a.low < 0.23 < a.high
    # independent check: resample the 200 individual outcomes
    outcomes = np.array([1] * 46 + [0] * 154)
    rng = np.random.default_rng(1)
    shares = [rng.choice(outcomes, size=200, replace=True).mean() for _ in range(2000)]
    low, high = np.percentile(shares, [2.5, 97.5])
    assert a.low == pytest.approx(low, abs=0.02) and a.high == pytest.approx(high, abs=0.02)


def test_empty_slice_and_single(sample_db):
    b = compute_bias(sample_db, Filters(countries=["FRA"]))
    assert b.overall.n == 0 and b.overall.share is None
    assert "No initiatives in this slice" in b.finding
    one = compute_bias(sample_db, Filters(sectors=["retail_consumer"]))
    assert (one.overall.n, one.overall.k, one.overall.low, one.overall.high) == (1, 1, 1.0, 1.0)
    assert proportion(0, 0).share is None
