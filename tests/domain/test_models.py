from __future__ import annotations

import pytest
from pydantic import ValidationError

from migmap.domain import Filters, InitiativeCreate, InitiativeUpdate
from migmap.domain.countries import countries_in_region, normalise_country, regions_of

from ..conftest import record


def errors(**overrides):
    with pytest.raises(ValidationError) as exc:
        InitiativeCreate.model_validate(record(**overrides))
    return str(exc.value)


def test_a_valid_record_puts_the_lead_actor_first():
    rec = InitiativeCreate.model_validate(record(actors=[{"name": "Partner NGO", "kind": "public", "public_type": "ngo_civil_society"}]))
    assert [a.name for a in rec.actors] == ["Example GmbH", "Partner NGO"]
    assert rec.actors[0].role == "lead" and rec.actors[0].actor_type == "sme"


def test_multi_values_accept_semicolon_strings_and_drop_repeats():
    rec = InitiativeCreate.model_validate(record(stages="arrival; long_term; arrival", countries="DEU:destination; SYR:origin"))
    assert rec.stages == ["arrival", "long_term"]
    assert [(c.code, c.role) for c in rec.countries] == [("DEU", "destination"), ("SYR", "origin")]


def test_unknown_code_names_field_and_allowed_values():
    msg = errors(stages=["landing"])
    assert "stages" in msg and "'landing'" in msg and "pre_departure, transit, arrival" in msg


def test_unknown_single_code():
    msg = errors(actor_type="giant")
    assert "actor_type" in msg and "multinational" in msg


def test_empty_name_rejected():
    assert "name" in errors(name="   ")


def test_no_source_rejected():
    assert "at least one source" in errors(sources=[])


def test_source_must_be_a_web_address():
    assert "not a web address" in errors(sources=["ftp://x"])


def test_return_type_needs_return_stage():
    assert "return_type" in errors(return_type="voluntary")
    ok = InitiativeCreate.model_validate(record(stages=["return_reintegration"], return_type="forced"))
    assert ok.return_type == "forced"


@pytest.mark.parametrize("code", ["XXX", "DE", "Germany", "", 12])
def test_bad_country_codes(code):
    assert "country" in errors(countries=[{"code": code, "role": "origin"}]).lower()


def test_country_hint_suggests_the_code():
    with pytest.raises(ValueError, match="did you mean DEU"):
        normalise_country("Germany")


@pytest.mark.parametrize("year", [1800, 2200])
def test_years_out_of_range(year):
    assert "out of range" in errors(start_year=year)


def test_end_before_start():
    assert "before start_year" in errors(start_year=2020, end_year=2019)


def test_required_dimensions_must_not_be_empty():
    assert "themes" in errors(themes=[])


def test_public_actor_cannot_have_a_sector():
    msg = errors(actors=[{"name": "UNHCR", "kind": "public", "public_type": "international_organisation", "sector": "health"}])
    assert "public actor" in msg


def test_lead_actor_must_be_private():
    msg = errors(actors=[{"name": "Example GmbH", "kind": "public", "public_type": "ngo_civil_society"}])
    assert "must be a private actor" in msg


def test_bad_id():
    assert "lowercase" in errors(id="Has Spaces")


def test_update_lists_only_given_fields():
    upd = InitiativeUpdate(version=3, name="New")
    assert upd.changes() == {"name": "New"}


def test_regions():
    assert regions_of("JOR") == {"asia", "western_asia", "middle_east"}
    assert "NGA" in countries_in_region("africa")
    assert "MEX" in countries_in_region("americas")


def test_filters_validate_codes():
    with pytest.raises(ValidationError, match="allowed"):
        Filters(stages=["nowhere"])
    assert Filters(stages="arrival,transit").stages == ["arrival", "transit"]
    assert Filters().is_empty()
