"""The advise use case on real databases: evidence counts equal the gap map, thin evidence is said."""

from __future__ import annotations

import itertools

import pytest

from migmap import Database
from migmap.advice import InvalidQuestion, Question, recommend
from migmap.advice.engine import is_never_partner
from migmap.domain.filters import Filters
from migmap.framework import load_framework
from migmap.services.advice import advise, evidence_filters, gather_evidence
from migmap.services.analysis import compute_gap_map

FW = load_framework()
STAGES, ASKERS, GOALS = FW["stages"].codes, FW["public_partners"].codes, FW["goals"].codes


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The bundled map in a SQLite file, loaded once for this module."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('advice') / 'bundled.db'}")
    db.init()
    yield db
    db.close()


def _assert_counts_match_gap_map(db: Database, rec, q: Question) -> None:
    for o in rec.options:
        # the cell the engine reads: actor_type x sector at the option's stage
        cell = compute_gap_map(db, rows="actor_type", cols="sector", filters=evidence_filters(q, o.stage)).cell(o.actor_type, o.sector)
        assert o.evidence_count == cell.count, o.entry.id
        # and, independently, the stages x actor_type map of the slice restricted to the sector
        f = Filters.model_validate({**q.filters().model_dump(), "sectors": [o.sector]})
        assert o.evidence_count == compute_gap_map(db, filters=f).cell(o.stage, o.actor_type).count, o.entry.id
        # the gap is read on the stages x actor_type map of the slice
        gm = compute_gap_map(db, filters=q.filters())
        assert (o.gap.count, o.gap.stage_total) == (gm.cell(o.stage, o.actor_type).count, gm.row_totals[o.stage])
        here = set(cell.ids)
        for x in o.examples:
            if x.scope == "here":
                assert x.id in here


def test_sample_evidence_counts_match_the_gap_map_and_name_examples(sample_db):
    q = Question.build("international_organisation", "pre_departure", "migrant_rights,safer_migration")
    rec = advise(sample_db, q, limit=10)
    _assert_counts_match_gap_map(sample_db, rec, q)
    fair = next(o for o in rec.options if o.entry.id == "pd-fair-recruitment")
    assert fair.evidence_count == 1 and [x.id for x in fair.examples][0] == "alpha-fair-recruitment"
    assert fair.to_dict()["evidence"]["examples"][0] == {"id": "alpha-fair-recruitment", "name": "Alpha fair recruitment pilot"}


def test_sample_arrival_lists_the_control_contractor_as_a_risk(sample_db):
    rec = advise(sample_db, asker="destination_government", stages="arrival", goals="service_quality")
    assert [w.id for w in rec.risks_to_watch] == ["delta-reception-contract"]
    assert all(o.actor_type != "micro_informal" for o in rec.options)
    assert all("delta-reception-contract" not in [x.id for x in o.examples] for o in rec.options)


def test_empty_database_still_answers_every_combination_and_says_evidence_is_thin(db):
    evidence = {s: gather_evidence(db, Question.build("donor_agency", s, GOALS)) for s in STAGES}
    for stage, asker, goal in itertools.product(STAGES, ASKERS, GOALS):
        rec = recommend(Question.build(asker, stage, goal), evidence[stage])
        assert len(rec.options) >= 3 and all(o.to_dict()["rationale"]["why"] for o in rec.options)
        assert rec.thin and "evidence is thin" in rec.evidence_note
    rec = advise(db, asker="donor_agency", stages="arrival", goals="migrant_rights", countries="DEU")
    assert len(rec.options) >= 3 and "No mapped initiative matches" in rec.evidence_note


def test_bundled_map_every_combination_has_three_options_with_rationale(bundled):
    assert bundled.count() > 100
    for stage in STAGES:
        # evidence for all goals covers every candidate of any single goal at this stage
        evidence = gather_evidence(bundled, Question.build("donor_agency", stage, GOALS))
        for asker, goal in itertools.product(ASKERS, GOALS):
            q = Question.build(asker, stage, goal)
            rec = recommend(q, evidence)
            assert len(rec.options) >= 3, (stage, asker, goal)
            for o in rec.options:
                d = o.to_dict()
                assert d["rationale"]["why"] and d["rationale"]["sources"], (stage, asker, goal)
                assert d["actor_type"] != "micro_informal"
                assert d["evidence"]["count"] == o.evidence_count
            assert not rec.thin


@pytest.mark.parametrize(
    "parts",
    [
        dict(asker="donor_agency", stages="arrival", goals="migrant_rights", countries="DEU", migrant_groups="refugees_asylum"),
        dict(asker="origin_government", stages="pre_departure", goals="safer_migration", regions="southern_asia"),
        dict(asker="local_government", stages="long_term,return_reintegration", goals="service_quality", themes="employment"),
        dict(asker="donor_agency", stages="transit", goals="safer_migration", offers="funding,convening"),
    ],
)
def test_bundled_evidence_counts_match_the_gap_map(bundled, parts):
    q = Question.build(**parts)
    rec = advise(bundled, q)
    _assert_counts_match_gap_map(bundled, rec, q)
    if not q.has_place:
        assert all(o.evidence_elsewhere == 0 for o in rec.options)
    for o in rec.options:
        assert len(o.examples) <= 3
        cell = compute_gap_map(bundled, rows="actor_type", cols="sector", filters=evidence_filters(q, o.stage)).cell(o.actor_type, o.sector)
        with bundled.reading() as repo:
            usable = [i for i in repo.get_many(cell.ids) if not is_never_partner(i)]
        if len(usable) >= 2:  # models in the slice itself: two or three of them, before any from elsewhere
            assert len(o.examples) >= 2 and [x.scope for x in o.examples][:2] == ["here", "here"]
        assert [x.scope for x in o.examples].count("here") == min(3, len(usable))


def test_bundled_region_with_nothing_mapped_still_answers_and_says_evidence_is_thin(bundled):
    region = next(r for r in ("micronesia", "melanesia", "central_asia", "antarctica") if bundled.count(regions=[r]) == 0)
    rec = advise(bundled, asker="donor_agency", stages="long_term", goals="service_quality", regions=region)
    assert len(rec.options) >= 3
    assert rec.thin and "evidence is thin" in rec.evidence_note
    assert all(o.evidence_count == 0 and o.gap.level == "unmapped" for o in rec.options)
    # models to copy come from elsewhere, and say so
    assert any(x.scope.endswith("elsewhere") for o in rec.options for x in o.examples)
    assert "examples from elsewhere" in rec.evidence_note


def test_bundled_transit_control_contractors_are_risks_to_watch_never_options(bundled):
    rec = advise(bundled, asker="transit_government", stages="transit", goals="safer_migration", limit=10)
    assert rec.risks_to_watch
    for w in rec.risks_to_watch:
        item = bundled.get(w.id)
        assert item.actor_type == "micro_informal" or "control_contractor" in item.business_roles
    watched = {w.id for w in rec.risks_to_watch}
    assert not watched & {x.id for o in rec.options for x in o.examples}


def test_unknown_codes_are_a_clear_error(sample_db):
    with pytest.raises(InvalidQuestion, match="allowed: safer_migration, migrant_rights, service_quality"):
        advise(sample_db, asker="donor_agency", stages="arrival", goals="rights")
