"""Gaps: residuals checked by hand, sentences, the curation note."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from migmap.analysis import Verification, adjusted_residual, expected_count, find_gaps, gap_map
from migmap.domain import Filters
from migmap.services.analysis import compute_gaps, compute_verification


def test_residual_by_hand():
    # long_term x multinational on the sample: O=0, R=3, C=2, N=6
    assert expected_count(3, 2, 6) == 1.0
    assert adjusted_residual(0, 3, 2, 6) == pytest.approx(-1 / math.sqrt(1 * 0.5 * (2 / 3)))
    assert adjusted_residual(4, 6, 4, 6) == 0.0  # a row every initiative has: undefined -> 0
    assert adjusted_residual(0, 0, 0, 0) == 0.0


def test_sample_gaps_ranked_with_sentences(sample_db):
    report = compute_gaps(sample_db)
    first = report.gaps[0]
    assert (first.row, first.col, first.count, first.kind) == ("long_term", "multinational", 0, "empty")
    assert first.residual == pytest.approx(-1.7320508)
    assert first.sentence == ("None of the 3 initiatives at the long-term options stage are led by a multinational or large company, against 1.0 expected.")
    assert [g.residual for g in report.gaps] == sorted(g.residual for g in report.gaps)
    assert all(g.expected >= 1.0 for g in report.gaps)
    assert report.unmapped_cols == ["micro_informal", "social_enterprise"]
    more = compute_gaps(sample_db, min_expected=0)
    assert len(more.gaps) > len(report.gaps)


def test_verification_note_distinguishes_little_curated(sample_db):
    v = compute_verification(sample_db)
    assert (v.total, v.verified, v.oldest, v.newest) == (6, 5, dt.date(2024, 3, 10), dt.date(2026, 5, 20))
    report = compute_gaps(sample_db)
    assert any("5 of 6 records in this slice (83%) were verified" in n for n in report.notes)
    only_delta = compute_verification(sample_db, Filters(sectors=["security_border"]))
    assert only_delta.verified == 0 and "None of the 1 records" in only_delta.note


def test_far_below_expectation_and_thin():
    from migmap.analysis.gapmap import build_gap_map

    pairs = {("arrival", "sme"): 2, ("arrival", "multinational"): 58, ("long_term", "sme"): 40, ("long_term", "multinational"): 20}
    gm = build_gap_map("stages", "actor_type", pairs, {"arrival": 60, "long_term": 60}, {"sme": 42, "multinational": 78}, 120)
    report = find_gaps(gm)
    kinds = {(g.row, g.col): g.kind for g in report.gaps}
    assert kinds[("arrival", "sme")] == "below"  # 2 against 21 expected
    assert kinds[("long_term", "multinational")] == "below"
    assert report.gaps[0].residual == pytest.approx(-19 / math.sqrt(21 * 0.5 * (1 - 42 / 120)))
    assert "Only 2 of 60 initiatives at the arrival stage are led by a small or medium-sized firm, against 21.0 expected." in [g.sentence for g in report.gaps]


def test_empty_slice(sample_db):
    report = compute_gaps(sample_db, filters=Filters(countries=["FRA"]))
    assert report.gaps == [] and report.gap_map.total == 0
    assert report.message.startswith("No initiatives in this slice")
    assert find_gaps(gap_map([]), Verification(0, 0)).notes[-1].startswith("The slice holds no records")
