"""Actors in the store, on SQLite and PostgreSQL: aliases, Wikidata ids, country offices, merging."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from migmap import Database
from migmap.domain import InvalidRecords, NotFound
from migmap.domain.errors import InvalidValue
from migmap.services import actors as actor_service
from migmap.store import make_engine
from migmap.store import schema as store_schema

from ..conftest import record

IOM = "International Organization for Migration (IOM)"


def public(name, **extra):
    return {"name": name, "kind": "public", "public_type": "international_organisation", **extra}


def add(db, rid, *actors, **overrides):
    return db.add(record(id=rid, name=f"Programme {rid}", actors=[*actors], **overrides))


def test_aliases_and_wikidata_are_stored_and_read_back(db):
    item = add(db, "p1", public(IOM, aliases=["IOM", "OIM"], wikidata="Q203163", country="CHE"))
    iom = item.actors[1]
    assert (iom.name, iom.aliases, iom.wikidata, iom.office_of) == (IOM, ["IOM", "OIM"], "Q203163", None)
    got = db.get("p1").actors[1]
    assert got.aliases == ["IOM", "OIM"] and got.wikidata == "Q203163"
    shown = actor_service.actor(db, "oim")
    assert shown["name"] == IOM and shown["aliases"] == ["IOM", "OIM"] and shown["wikidata"] == "Q203163"


def test_a_name_known_as_an_alias_is_that_actor(db):
    add(db, "p1", public(IOM, aliases=["IOM"]))
    item = add(db, "p2", public("IOM", country="CHE"))
    assert [a.name for a in item.actors] == ["Example GmbH", IOM]
    assert db.get("p2").actors[1].country == "CHE"  # the empty attribute was filled
    assert actor_service.actor(db, IOM)["country"] == "CHE"


def test_aliases_given_in_the_same_import_batch(db, tmp_path):
    recs = [
        record(id="b1", name="Programme b1", actors=[public("IRC")]),
        record(id="b2", name="Programme b2", actors=[public("International Rescue Committee (IRC)", aliases=["IRC", "International Rescue Committee"])]),
    ]
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(recs), encoding="utf-8")
    report = db.import_files([path], allow_duplicates=True)
    assert report.ok and report.imported == 2, [str(p) for p in report.problems]
    assert db.get("b1").actors[1].name == "International Rescue Committee (IRC)"
    assert actor_service.actor(db, "irc")["aliases"] == ["IRC", "International Rescue Committee"]


def test_a_lead_written_by_an_alias_is_stored_under_the_actors_name(db):
    add(db, "p1", {"name": "Acme Corporation", "kind": "private", "actor_type": "sme", "sector": "manufacturing_agriculture", "aliases": ["Acme"]})
    item = db.add(record(id="p2", name="Other programme", lead_actor="Acme"))
    assert item.lead_actor == "Acme Corporation" and item.actors[0].name == "Acme Corporation" and item.actors[0].role == "lead"
    updated = db.update("p2", {"version": item.version, "name": "Other programme, renamed"})
    assert updated.lead_actor == "Acme Corporation"


def test_an_edit_naming_actors_without_aliases_keeps_them(db):
    """The web form names actors by name, kind, type and country only."""
    item = add(db, "p1", public("UNHCR", aliases=["UN Refugee Agency"]), public("UNHCR Italy"))
    actors = [{"name": a.name, "kind": a.kind, "public_type": a.public_type, "actor_type": a.actor_type, "sector": a.sector} for a in item.actors]
    updated = db.update("p1", {"version": 1, "actors": actors, "name": "Renamed"})
    assert updated.actors[1].aliases == ["UN Refugee Agency"] and updated.actors[2].office_of == "UNHCR"
    assert [c.field for c in db.revisions("p1")[-1].changes] == ["name"]


def test_merging_an_organisation_into_its_own_office(db):
    add(db, "p1", public("UNHCR"), public("UNHCR Italy"))
    actor_service.merge(db, "UNHCR Italy", "UNHCR")
    assert actor_service.actor(db, "UNHCR Italy")["office_of"] is None
    assert [a.name for a in db.get("p1").actors] == ["Example GmbH", "UNHCR Italy"]


def test_two_names_of_one_actor_in_one_record_make_one_link(db):
    add(db, "p1", public(IOM, aliases=["IOM"]))
    item = add(db, "p2", public("IOM"), public(IOM))
    assert [a.name for a in item.actors] == ["Example GmbH", IOM]


def test_country_offices_are_related_not_duplicates(db):
    add(db, "p1", public("UNHCR"))
    add(db, "p2", public("UNHCR Italy", country="ITA"))
    add(db, "p3", public("Tent Mexico office", office_of="Tent Partnership for Refugees"))
    assert db.get("p2").actors[1].office_of == "UNHCR"
    assert actor_service.actor(db, "UNHCR")["offices"] == ["UNHCR Italy"]
    # an explicit office_of names (and if need be creates) the organisation
    assert db.get("p3").actors[1].office_of == "Tent Partnership for Refugees"
    assert actor_service.actor(db, "Tent Partnership for Refugees")["offices"] == ["Tent Mexico office"]
    assert actor_service.duplicates(db) == []


def test_export_and_import_keep_aliases_wikidata_and_offices(db, tmp_path):
    add(db, "p1", public("UNHCR", aliases=["UN Refugee Agency"], wikidata="Q131746"), public("UNHCR Italy", office_of="UNHCR"))
    for fmt, name in (("json", "out.json"), ("csv", "out.csv"), ("yaml", "out.yaml")):
        target = tmp_path / name
        assert db.export(target, fmt) == 1
        fresh = Database(f"sqlite:///{tmp_path / (fmt + '.db')}")
        fresh.init(bundled=False)
        report = fresh.import_files([target])
        assert report.ok, [str(p) for p in report.problems]
        actors = {a.name: a for a in fresh.get("p1").actors}
        assert actors["UNHCR"].aliases == ["UN Refugee Agency"] and actors["UNHCR"].wikidata == "Q131746", fmt
        assert actors["UNHCR Italy"].office_of == "UNHCR", fmt
        fresh.close()


def test_duplicates_with_counts(db):
    add(db, "p1", public(IOM))
    add(db, "p2", public("International Organization for Migration"))
    add(db, "p3", public("International Organization for Migration"), public("UNHCR"))
    found = actor_service.duplicates(db)
    assert [(d.pair.a, d.pair.b, d.pair.reason, d.a_initiatives, d.b_initiatives) for d in found] == [
        ("International Organization for Migration", IOM, "same key", 2, 1)
    ]


def test_merge_repoints_initiatives_keeps_the_name_as_alias_and_records_history(db):
    add(db, "p1", public(IOM, aliases=["OIM"]))
    add(db, "p2", public("International Organization for Migration", country="CHE", wikidata="Q203163"))
    add(db, "p3", public("International Organization for Migration"), public(IOM))
    result = actor_service.merge(db, IOM, "International Organization for Migration", user="ana")
    assert result.kept == IOM and result.merged == "International Organization for Migration"
    assert result.initiatives == ["p2", "p3"]
    assert result.aliases == ["OIM", "International Organization for Migration"]
    for rid in ("p2", "p3"):
        item = db.get(rid)
        assert [a.name for a in item.actors] == ["Example GmbH", IOM], rid
        assert item.version == 2
        rev = db.revisions(rid)[-1]
        assert rev.action == "update" and rev.user == "ana" and "merged into" in rev.note
        assert [c.field for c in rev.changes] == ["actors"]
    assert db.get("p1").version == 1
    kept = actor_service.actor(db, IOM)
    assert kept["country"] == "CHE" and kept["wikidata"] == "Q203163"  # empty attributes filled from the merged one
    assert actor_service.duplicates(db) == []
    # the merged name, written again, is the kept actor
    assert add(db, "p4", public("international organization for migration")).actors[1].name == IOM
    assert actor_service.actor(db, "International Organization for Migration")["name"] == IOM


def test_merging_a_lead(db):
    private = {"kind": "private", "actor_type": "sme", "sector": "manufacturing_agriculture"}
    db.add(record(id="p1", name="One", lead_actor="Acme GmbH", actors=[{"name": "Acme GmbH", **private}]))
    db.add(record(id="p2", name="Two", lead_actor="Acme", actors=[{"name": "Acme", **private}]))
    db.add(record(id="p3", name="Three", lead_actor="Beta Co", actors=[{"name": "Beta Co", **private}, {"name": "Acme", **private}]))
    actor_service.merge(db, "Acme GmbH", "Acme")
    two = db.get("p2")
    assert two.lead_actor == "Acme GmbH" and two.actors[0].name == "Acme GmbH" and two.actors[0].role == "lead"
    assert [(a.name, a.role) for a in db.get("p3").actors] == [("Beta Co", "lead"), ("Acme GmbH", "partner")]
    assert {i.id for i, _ in db.search("GmbH")} == {"p1", "p2", "p3"}  # the search text names the kept actor


def test_merge_refuses_unknown_or_same_actors_and_public_leads(db):
    add(db, "p1", public(IOM, aliases=["IOM"]))
    with pytest.raises(NotFound, match="no actor named 'Nobody'"):
        actor_service.merge(db, IOM, "Nobody")
    with pytest.raises(NotFound, match="'Nobody' or 'Nemo'"):
        actor_service.merge(db, "Nobody", "Nemo")
    with pytest.raises(InvalidValue, match="already the same actor"):
        actor_service.merge(db, IOM, "iom")
    # the lead of an initiative is private: it cannot become a public actor
    with pytest.raises(InvalidValue, match="a lead is a private actor"):
        actor_service.merge(db, IOM, "Example GmbH")
    assert db.get("p1").version == 1 and actor_service.actor(db, "Example GmbH") is not None


def test_merge_is_one_transaction(db, monkeypatch):
    add(db, "p1", public(IOM))
    add(db, "p2", public("International Organization for Migration"))
    add(db, "p3", public("International Organization for Migration"))
    from migmap.store.repository import InitiativeRepository

    real = InitiativeRepository.update
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:
            raise InvalidRecords([])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(InitiativeRepository, "update", failing)
    with pytest.raises(InvalidRecords):
        actor_service.merge(db, IOM, "International Organization for Migration")
    monkeypatch.undo()
    assert db.get("p2").version == 1 and db.get("p2").actors[1].name == "International Organization for Migration"
    assert actor_service.actor(db, "International Organization for Migration")["name"] == "International Organization for Migration"


def test_migration_0006_keeps_existing_actors(db_url):
    """A database at 0005 with actors upgrades to 0006: actors kept, no aliases, no offices."""
    engine = make_engine(db_url)
    store_schema.upgrade(engine, "0005")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO actors (name, name_key, kind) VALUES ('UNHCR', 'unhcr', 'public')"))
    store_schema.upgrade(engine)
    assert store_schema.current_revision(engine) == store_schema.head_revision()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name, parent_id FROM actors")).all() == [("UNHCR", None)]
        assert conn.execute(sa.text("SELECT count(*) FROM actor_aliases")).scalar() == 0
    engine.dispose()
    database = Database(db_url)
    assert actor_service.actor(database, "unhcr")["aliases"] == []
    database.close()


def test_actor_pages_find_an_actor_by_its_alias(db):
    from migmap.store import lookups

    add(db, "p1", public(IOM, aliases=["IOM"]))
    with db.reading() as repo:
        found = lookups.actor(repo, "iom")
        assert found["name"] == IOM and found["aliases"] == ["IOM"] and found["offices"] == []
        assert lookups.actor_initiatives(repo, "IOM") == [("p1", "partner")]
        assert lookups.actor(repo, "nobody") is None and lookups.actor_initiatives(repo, "nobody") == []
