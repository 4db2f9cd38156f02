"""The question: codes normalised, and every bad part named with the allowed values."""

from __future__ import annotations

import pytest

from migmap.advice import InvalidQuestion, Question


def test_comma_separated_and_lists_are_normalised():
    q = Question.build("donor_agency", "arrival, transit", ["migrant_rights"], countries=["deu", "DEU"], regions="Western-Europe", offers="funding;convening")
    assert q.stages == ("arrival", "transit")
    assert q.countries == ("DEU",)
    assert q.regions == ("western_europe",)
    assert q.offers == ("funding", "convening")
    assert q.to_dict()["asker"] == "donor_agency"
    assert q.filters().countries == ["DEU"] and q.filters().stages == []
    assert "Germany" in q.describe() and "Donor agency" in q.describe()


def test_unknown_codes_list_every_problem_with_allowed_values():
    with pytest.raises(InvalidQuestion) as info:
        Question.build("bank", "arival", "safety", migrant_groups="refugees", themes="jobs", offers="love", regions="mars", countries="Germania")
    msg = str(info.value)
    assert "--as: unknown asker 'bank'; allowed: donor_agency, origin_government" in msg
    assert "--stage: unknown stage 'arival'; allowed: pre_departure, transit, arrival, long_term, return_reintegration" in msg
    assert "--goal: unknown goal 'safety'; allowed: safer_migration, migrant_rights, service_quality" in msg
    assert "--migrant-group: unknown migrant group 'refugees'; allowed:" in msg and "refugees_asylum" in msg
    assert "--theme: unknown theme 'jobs'" in msg
    assert "--offer: unknown offer 'love'; allowed: funding, guarantees, regulation" in msg
    assert "--region: unknown region 'mars'" in msg and "middle_east" in msg
    assert "did you mean DEU" in msg
    assert len(info.value.problems) == 8
    assert info.value.exit_code == 2


def test_missing_asker_stage_or_goal_is_an_error():
    with pytest.raises(InvalidQuestion) as info:
        Question.build(None, None, [])
    assert [p.split(":")[0] for p in info.value.problems] == ["--as", "--stage", "--goal"]
    with pytest.raises(InvalidQuestion, match="give one asker"):
        Question.build("donor_agency,local_government", "arrival", "migrant_rights")
