"""Repository behaviour, run on SQLite and on PostgreSQL (marker ``postgres``)."""

from __future__ import annotations

import pytest

from migmap.domain import Conflict, Filters, InvalidRecords, NotFound

from ..conftest import record


def test_add_get_and_revision(db):
    item = db.add(record(), user="ana")
    assert item.id == "example-hiring-programme" and item.version == 1
    got = db.get(item.id)
    assert got.name == item.name and got.stages == ["long_term"] and got.actors[0].name == "Example GmbH"
    revs = db.revisions(item.id)
    assert [(r.action, r.user, r.version) for r in revs] == [("create", "ana", 1)]
    (created,) = revs[0].changes
    assert created.field == "*" and created.old is None
    assert created.new["name"] == "Example hiring programme" and created.new["stages"] == ["long_term"]


def test_ids_are_unique_slugs(db):
    a = db.add(record())
    b = db.add(record(lead_actor="Other Co"))
    assert (a.id, b.id) == ("example-hiring-programme", "example-hiring-programme-2")


def test_add_rejects_existing_id(db):
    db.add(record(id="x1"))
    with pytest.raises(InvalidRecords, match="already exists"):
        db.add(record(id="x1"))


def test_update_writes_revision_with_old_and_new(db):
    item = db.add(record())
    updated = db.update(item.id, {"version": 1, "stages": ["arrival", "long_term"], "name": "Renamed"}, user="bo")
    assert updated.version == 2 and updated.name == "Renamed" and updated.stages == ["arrival", "long_term"]
    assert updated.tag_origins["stages"] == "human"
    rev = db.revisions(item.id)[-1]
    changes = {c.field: (c.old, c.new) for c in rev.changes}
    assert rev.action == "update" and rev.user == "bo"
    assert changes["name"] == ("Example hiring programme", "Renamed")
    assert changes["stages"] == (["long_term"], ["arrival", "long_term"])


def test_stale_update_is_a_conflict_and_is_logged(db):
    item = db.add(record())
    db.update(item.id, {"version": 1, "name": "First editor"}, user="first")
    with pytest.raises(Conflict) as exc:
        db.update(item.id, {"version": 1, "name": "Second editor"}, user="second")
    assert exc.value.current == 2 and exc.value.based_on == 1
    assert db.get(item.id).name == "First editor"
    actions = [(r.action, r.user) for r in db.revisions(item.id)]
    assert actions == [("create", "tester"), ("update", "first"), ("conflict", "second")]


def test_invalid_update_changes_nothing(db):
    item = db.add(record())
    with pytest.raises(InvalidRecords):
        db.update(item.id, {"version": 1, "stages": ["moon"]})
    with pytest.raises(Exception):
        db.update(item.id, {"version": 1, "sources": []})
    assert db.get(item.id).version == 1


def test_tagger_origin_is_recorded(db):
    item = db.add(record())
    upd = db.update(item.id, {"version": 1, "themes": ["employment", "skills_training"]}, origin="tagger", user="tagger")
    assert upd.tag_origins["themes"] == "tagger" and upd.tag_origins["stages"] == "human"


def test_delete_keeps_a_snapshot(db):
    item = db.add(record())
    with pytest.raises(Conflict):
        db.delete(item.id, version=7)
    db.delete(item.id, version=1, user="admin")
    assert db.get(item.id) is None
    last = db.revisions(item.id)[-1]
    assert last.action == "delete" and last.changes[0].old["name"] == "Example hiring programme"
    with pytest.raises(NotFound):
        db.require(item.id)


def test_filters_combine_or_within_and_across(sample_db):
    db = sample_db
    assert db.count() == 6
    assert set(db.ids(stages=["arrival"])) == {"gamma-foundation-shelter", "delta-reception-contract"}
    assert set(db.ids(stages=["arrival", "transit"])) == {"gamma-foundation-shelter", "delta-reception-contract", "beta-connect"}
    assert db.ids(stages=["arrival"], actor_types=["foundation"]) == ["gamma-foundation-shelter"]
    assert set(db.ids(contributions=["expertise"])) == {"alpha-fair-recruitment", "delta-reception-contract", "epsilon-refugee-fund", "zeta-returnee-jobs"}
    assert db.ids(countries=["SRB"]) == ["beta-connect"]
    assert set(db.ids(regions=["middle_east"])) == {"alpha-fair-recruitment", "epsilon-refugee-fund"}
    assert set(db.ids(regions=["africa"])) == {"zeta-returnee-jobs"}
    assert db.ids(year=2016, stages=["transit"]) == ["beta-connect"]
    assert db.ids(year=2018, stages=["transit"]) == []
    assert set(db.ids(sectors=["security_border", "telecom_tech"])) == {"delta-reception-contract", "beta-connect"}
    assert db.ids(status=["ended"]) == ["beta-connect"]
    assert db.ids(public_partners=["donor_agency"]) == ["epsilon-refugee-fund"]


def test_text_filter_and_search(sample_db):
    db = sample_db
    assert db.ids(text="SIM cards") == ["beta-connect"]
    assert db.ids(text="refug") != []  # prefix match
    hits = db.search("returnee entrepreneurs")
    assert hits and hits[0][0].id == "zeta-returnee-jobs"
    assert db.search("Epsilon Impact")[0][0].id == "epsilon-refugee-fund"  # actor names are searched
    assert db.search("   ") == []
    assert db.count() == 6


def test_search_survives_hostile_input(sample_db):
    for q in ['"', "NEAR(", "a OR", "*", "' OR 1=1 --", "title:foo", "\x00"]:
        sample_db.search(q)
        sample_db.list(text=q)
    assert sample_db.count() == 6


def test_tag_counts(sample_db):
    counts = sample_db.tag_counts("stages")
    assert counts == {"pre_departure": 2, "transit": 1, "arrival": 2, "long_term": 3, "return_reintegration": 1}
    assert sample_db.tag_counts("actor_type", stages=["arrival"]) == {"foundation": 1, "multinational": 1}


def test_actors_are_shared_across_initiatives(db):
    db.add(record(name="One", actors=[{"name": "Shared NGO", "kind": "public", "public_type": "ngo_civil_society"}]))
    db.add(record(name="Two", lead_actor="Another Co", actors=[{"name": "shared ngo", "kind": "public", "public_type": "ngo_civil_society", "country": "FRA"}]))
    stats = db.stats()
    assert stats["actors"] == 3  # Example GmbH, Shared NGO, Another Co


def test_proposed_records_are_hidden_by_default(db):
    db.add(record(), curation_state="proposed")
    assert db.count() == 0
    assert db.count(curation_state=["proposed"]) == 1


def test_dataframe(sample_db):
    frame = sample_db.dataframe(stages=["long_term"])
    assert sorted(frame["id"]) == ["alpha-fair-recruitment", "epsilon-refugee-fund", "zeta-returnee-jobs"]
    assert frame.loc["zeta-returnee-jobs", "return_type"] == "voluntary"


def test_paging_and_order(sample_db):
    first = sample_db.list(limit=2)
    second = sample_db.list(limit=2, offset=2)
    assert [i.name for i in first] == ["Alpha fair recruitment pilot", "Beta Connect free SIM cards on the route"]
    assert not {i.id for i in first} & {i.id for i in second}
    with pytest.raises(ValueError):
        sample_db.list(order="random")


def test_init_twice_changes_nothing(db):
    db.add(record())
    result = db.init()
    assert result.loaded == 0 and "nothing was changed" in result.message
    assert db.count() == 1


def test_an_actor_keeps_one_kind_across_records(db):
    db.add(record(name="One", lead_actor="Dual Org"))
    two = db.add(record(name="Two", lead_actor="Other Co", actors=[{"name": "Dual Org", "kind": "public", "public_type": "ngo_civil_society"}]))
    shared = next(a for a in db.get(two.id).actors if a.name == "Dual Org")
    assert (shared.kind, shared.actor_type, shared.public_type) == ("private", "sme", None)
    assert db.update(two.id, {"version": two.version, "name": "Two renamed"}).name == "Two renamed"


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(stages=["long_term"]),
        Filters(stages=["arrival", "long_term"], actor_types=["sme", "multinational"]),
        Filters(regions=["africa"]),
        Filters(countries=["DEU"], themes=["employment"]),
        Filters(stages=["transit"], regions=["europe"]),
    ],
)
def test_a_page_read_in_index_order_is_the_page_sorted_after_filtering(db, filters):
    """The two ways of reading a name-ordered page (walk the name index, or collect and sort) agree."""
    for i, (name, stage, actor_type, country) in enumerate(
        [
            ("beta", "arrival", "sme", "DEU"),
            ("Alpha", "long_term", "sme", "KEN"),
            ("alpha", "transit", "multinational", "FRA"),
            ("Gamma", "long_term", "multinational", "DEU"),
            ("delta", "arrival", "sme", "NGA"),
            ("Beta", "long_term", "sme", "DEU"),
        ]
    ):
        db.add(record(id=f"r-{i}", name=name, stages=[stage], actor_type=actor_type, countries=[{"code": country, "role": "destination"}]))
    with db.reading() as repo:
        for limit, offset in ((2, 0), (2, 2), (10, 0), (1, 5)):
            sorted_after = repo.query_ids(filters, "name", limit, offset)
            walked = repo.query_ids(filters, "name", limit, offset, share=1.0)
            assert walked == sorted_after, (limit, offset)
        assert repo.query_ids(filters, "name", 100, 0, share=1.0) == repo.query_ids(filters, "name", 100, 0)
