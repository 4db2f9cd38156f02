"""One actor per organisation in the bundled map: the data check fails when two actors are likely one."""

from __future__ import annotations

import pytest

from migmap.data import bundled_files
from migmap.domain.actors import find_offices, likely_duplicates
from migmap.domain.models import InitiativeCreate
from migmap.services.datacheck import actor_duplicates, check_files, check_records

from ..conftest import record


def recs(*actor_lists):
    return [
        (f"batch{i}.yaml", i, InitiativeCreate.model_validate(record(id=f"r{i}", name=f"Programme {i}", actors=list(actors))))
        for i, actors in enumerate(actor_lists, start=1)
    ]


def public(name, **extra):
    return {"name": name, "kind": "public", "public_type": "international_organisation", **extra}


@pytest.fixture(scope="module")
def bundled():
    return check_files([])


def test_the_bundled_map_names_each_organisation_one_way(bundled):
    assert bundled.actor_duplicates == [], "\n".join(bundled.actor_duplicates)
    assert "actor_duplicates" in bundled.to_dict()


def test_the_bundled_map_keeps_canonical_names_and_offices():
    import yaml

    names, aliases, offices = set(), {}, {}
    for path in bundled_files():
        for r in yaml.safe_load(path.read_text(encoding="utf-8")):
            for a in r.get("actors") or []:
                names.add(a["name"])
                if a.get("aliases"):
                    aliases[a["name"]] = a["aliases"]
                if a.get("office_of"):
                    offices[a["name"]] = a["office_of"]
    for canonical in ("International Organization for Migration (IOM)", "UNHCR", "International Rescue Committee (IRC)"):
        assert canonical in names
    for gone in ("International Organization for Migration", "International Rescue Committee", "UNHCR (MADE51)"):
        assert gone not in names
    assert "IOM" in aliases["International Organization for Migration (IOM)"]
    assert offices["UNHCR Italy"] == "UNHCR"
    assert find_offices(names)["UNHCR Romania"] == "UNHCR"
    assert likely_duplicates(names, aliases=aliases) == []


def test_two_names_of_one_organisation_fail_the_check_with_their_records():
    records = recs([public("International Organization for Migration (IOM)")], [public("International Organization for Migration")], [public("IOM")])
    report = check_records(records, minima=False, fingerprints={})
    assert not report.ok
    text = "\n".join(report.actor_duplicates)
    assert len(report.actor_duplicates) == 3
    assert "'International Organization for Migration' (in batch2.yaml:2 r2)" in text
    assert "'International Organization for Migration (IOM)' (in batch1.yaml:1 r1)" in text
    assert "'IOM' (in batch3.yaml:3 r3)" in text and "(acronym)" in text


def test_offices_and_declared_offices_are_not_duplicates_but_used_aliases_are():
    records = recs(
        [public("UNHCR", aliases=["UN Refugee Agency"])],
        [public("UNHCR Italy")],
        [public("Tent Mexico", office_of="Tent")],
        [public("Tent")],
    )
    assert actor_duplicates(records) == []
    used_alias = actor_duplicates([*records, *recs([public("UN Refugee Agency")])])
    assert len(used_alias) == 1 and "(alias)" in used_alias[0]


def test_many_records_are_shortened():
    records = recs(*([public("Acme Relief")] for _ in range(8)), [public("Acme Relief Inc.")])
    (message,) = actor_duplicates(records)
    assert "and 2 more" in message and "batch9.yaml:9 r9" in message
