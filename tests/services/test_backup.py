"""Backup and restore: a consistent snapshot; restoring into an empty database gives an identical export."""

from __future__ import annotations

import gzip
import json
import threading

import pytest

from migmap import Database
from migmap.services.backup import BackupError, backup, restore

from ..conftest import record


def test_round_trip_keeps_everything(sample_db, tmp_path, db_url):
    db = sample_db
    item = db.get("beta-connect")
    db.update(item.id, {"version": item.version, "name": "Beta Connect renamed"}, user="editor")
    db.add(record(name="Waiting for review"), curation_state="proposed", origin="tagger", user="tagger")
    path = tmp_path / "b.jsonl.gz"
    counts = backup(db, path)
    assert counts == {"initiatives": 7, "revisions": 8}

    target = Database(f"sqlite:///{tmp_path / 'restored.db'}")
    assert restore(target, path) == counts
    states = ["published", "proposed", "rejected"]
    before = [i.model_dump(mode="json") for i in db.list(curation_state=states, order="id")]
    after = [i.model_dump(mode="json") for i in target.list(curation_state=states, order="id")]
    assert after == before
    assert [r.model_dump(exclude={"id"}) for r in target.revisions("beta-connect")] == [r.model_dump(exclude={"id"}) for r in db.revisions("beta-connect")]
    out_a, out_b = tmp_path / "a.json", tmp_path / "b.json"
    db.export(out_a)
    target.export(out_b)
    assert json.loads(out_a.read_text()) == json.loads(out_b.read_text())
    assert target.search("renamed")[0][0].id == "beta-connect"


def test_restore_refuses_a_database_with_data(sample_db, tmp_path):
    path = tmp_path / "b.jsonl.gz"
    backup(sample_db, path)
    with pytest.raises(BackupError, match="empty database"):
        restore(sample_db, path)
    assert sample_db.count() == 6


def test_damaged_backups_restore_nothing(sample_db, tmp_path):
    path = tmp_path / "b.jsonl.gz"
    backup(sample_db, path)
    with gzip.open(path, "rt") as f:
        lines = f.read().splitlines()
    broken = tmp_path / "broken.jsonl.gz"
    with gzip.open(broken, "wt") as fh:
        fh.write("\n".join(lines[:3] + ['{"type": "initiative", "id": "x"}'] + lines[3:]) + "\n")
    target = Database(f"sqlite:///{tmp_path / 't.db'}")
    with pytest.raises(BackupError, match=r":4: damaged backup line"):
        restore(target, broken)
    assert not target.is_initialised()  # validated before anything was written
    notgz = tmp_path / "plain.txt"
    notgz.write_text("hello")
    with pytest.raises(BackupError, match="not a readable gzip backup"):
        restore(target, notgz)


def test_backup_is_a_consistent_snapshot_while_writes_go_on(tmp_path):
    """Writers add initiatives during the backup; the backup holds a whole number of them, with their revisions."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    db = Database(url)
    db.init(bundled=False)
    db.import_files([__import__("pathlib").Path(__file__).parents[1] / "data" / "sample.yaml"])
    stop = threading.Event()

    def writer():
        w = Database(url, user="writer")
        i = 0
        while not stop.is_set() and i < 200:
            w.add(record(name=f"Live {i}", lead_actor=f"Live Co {i}"))
            i += 1
        w.close()

    t = threading.Thread(target=writer)
    t.start()
    try:
        path = tmp_path / "live.jsonl.gz"
        counts = backup(db, path)
    finally:
        stop.set()
        t.join()
    with gzip.open(path, "rt") as f:
        rows = [json.loads(line) for line in f.read().splitlines()[1:]]
    ids = {r["id"] for r in rows if r["type"] == "initiative"}
    revised = {r["initiative_id"] for r in rows if r["type"] == "revision"}
    assert ids == revised  # every initiative's create revision, and no revision without its initiative
    assert counts["initiatives"] == len(ids) >= 6
