"""The bundled map: every record valid and sourced, coverage minima met, no copied wording."""

from __future__ import annotations

import pytest

from migmap.data import bundled_files
from migmap.domain.models import InitiativeCreate
from migmap.services.datacheck import CODE_MINIMA, ENFORCED_FACTS, REGION_MINIMUM, REGIONS, check_files, check_records, shingles


@pytest.fixture(scope="module")
def report():
    return check_files([])


def test_every_record_validates_with_a_source(report):
    assert report.total >= 300
    assert report.problems == []
    assert report.without_sources == []


@pytest.mark.parametrize("dim", sorted(CODE_MINIMA))
def test_coverage_minima(report, dim):
    low = {code: n for code, n in report.coverage[dim].items() if n < CODE_MINIMA[dim]}
    assert not low, f"{dim} below {CODE_MINIMA[dim]}: {low}"


@pytest.mark.parametrize("region", REGIONS)
def test_region_minima(report, region):
    assert report.regions[region] >= REGION_MINIMUM


def test_no_duplicates_lengths_or_copied_wording(report):
    assert report.duplicates == []
    assert report.length_outliers == []
    assert report.copied_wording == []
    assert report.actor_conflicts == []
    assert report.last_verified["missing"] == "0"


def test_every_record_is_fingerprinted(report):
    assert report.not_fingerprinted == 0


def test_famous_and_little_known_actors_and_the_uncomfortable_side(report):
    cov = report.coverage
    assert cov["actor_type"]["micro_informal"] >= 15 and cov["actor_type"]["sme"] >= 15
    assert cov["business_roles"]["control_contractor"] >= 15


def test_the_copy_check_can_fail():
    """A description that repeats its source's sentences is flagged."""
    source = (
        "The company offered free bus rides to all refugees arriving at the border crossing during the first weeks of the war and carried relief goods back."
    )
    rec = InitiativeCreate.model_validate(
        {
            "id": "copy-test",
            "name": "Copy test",
            "description": "In 2022 the company offered free bus rides to all refugees arriving at the border crossing during the first weeks of the war. " * 3,
            "lead_actor": "Bus Co",
            "actor_type": "sme",
            "sector": "transport_travel",
            "stages": ["transit"],
            "contributions": ["access"],
            "business_roles": ["service_provider"],
            "migrant_groups": ["refugees_asylum"],
            "modalities": ["private_only"],
            "themes": ["travel_transport"],
            "sources": ["https://example.org/x"],
        }
    )
    checked = check_records([("f.yaml", 1, rec)], fingerprints={"copy-test": shingles(source)}, minima=False)
    assert len(checked.copied_wording) == 1 and not checked.ok
    own_words = rec.model_copy(
        update={"description": "Free coach travel was given to people fleeing the war, and the vehicles took aid to the frontier on return trips."}
    )
    assert check_records([("f.yaml", 1, own_words)], fingerprints={"copy-test": shingles(source)}, minima=False).copied_wording == []


def test_minima_failures_are_reported():
    checked = check_records([], minima=True)
    assert any(m.startswith("stages.pre_departure: 0") for m in checked.below_minimum)


def test_init_loads_the_whole_map(tmp_path):
    from migmap import Database

    db = Database(f"sqlite:///{tmp_path / 'full.db'}")
    result = db.init()
    total = sum(len(__import__("yaml").safe_load(p.read_text())) for p in bundled_files())
    assert result.loaded == total == db.count()
    assert db.search("Tent Partnership")[0][0].lead_actor.startswith("Tent")


@pytest.mark.parametrize("fact", ENFORCED_FACTS)
def test_completeness_targets_that_are_met_stay_met(report, fact):
    assert report.facts[fact]["met"], report.facts[fact]


def test_a_missed_completeness_target_fails_the_check(tmp_path):
    import yaml

    from tests.conftest import record

    one_source = [record(name=f"Hiring programme number {i}", description=" ".join(["word"] * 70), start_year=2015) for i in range(10)]
    path = tmp_path / "batch.yaml"
    path.write_text(yaml.safe_dump(one_source), encoding="utf-8")
    checked = check_files([path], fingerprints={}, minima=True)
    assert not checked.ok
    missed = [m for m in checked.below_minimum if m.startswith(("two sources", "non english source", "started 2022 or later"))]
    assert len(missed) == 3, checked.below_minimum
