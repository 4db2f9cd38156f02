"""Faults under a running `migmap serve`: nothing half-applied, clear errors, recovery.

- PostgreSQL stops while editors write: requests get a 503 that says what is wrong, the app
  answers again when the server is back, and the record and its history agree on every change.
- The disk holding the SQLite file fills up during writes, or its volume comes back read-only:
  a 503 that says so, nothing lost, writes work again once there is room.
- Two editors save the same record at the same moment: one wins, the other gets the 409, and
  the history shows both outcomes.

A volume cannot be turned read-only under a process writing to it, so that case is tested
across a restart. The disk tests mount a small tmpfs (root only; they fail in CI where it must work).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import DATA, IN_CI, record
from tests.serving import migmap, private_postgres, serving, wait_for  # noqa: F401 - fixture

from .conftest import api_token, sample_site

SECRET = "outage-test-secret"


def _site(url: str) -> tuple[dict, str]:
    """A database at ``url`` with the sample data and an editor ``ed``; returns (env, ed's API token)."""
    env = sample_site(url, SECRET)
    return env, api_token(env)


def _revisions(base: str, rid: str) -> list[dict]:
    r = httpx.get(f"{base}/api/initiatives/{rid}/revisions", timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def _assert_record_matches_history(base: str, rid: str, succeeded: list[str]) -> None:
    """The record's version counts its create and update revisions; every acknowledged edit is in both."""
    current = httpx.get(f"{base}/api/initiatives/{rid}", timeout=10).json()["initiative"]
    updates = [r for r in _revisions(base, rid) if r["action"] == "update"]
    applied = [c["new"] for r in updates for c in r["changes"] if c["field"] == "description"]
    assert current["version"] == 1 + len(updates), (current["version"], len(updates))
    assert set(succeeded) <= set(applied), "an acknowledged edit is missing from the history"
    if applied:
        assert current["description"] == applied[-1], "the record does not hold its last recorded change"


# --------------------------------------------------------------------------- PostgreSQL stops


class Editor(threading.Thread):
    """Edits one record's description in a loop (read version, PATCH), noting every outcome."""

    def __init__(self, base: str, token: str, rid: str):
        super().__init__(daemon=True)
        self.base, self.rid = base, rid
        self.headers = {"Authorization": f"Bearer {token}"}
        self.outcomes: list[tuple[int, str]] = []  # (status, description sent; "" for the read)
        self.halt = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as c:
            i = 0
            while not self.halt.is_set():
                i += 1
                got = c.get(f"/api/initiatives/{self.rid}")
                if got.status_code != 200:
                    self.outcomes.append((got.status_code, ""))
                    time.sleep(0.05)
                    continue
                text = f"Edit number {i} during the outage test."
                r = c.patch(f"/api/initiatives/{self.rid}", json={"version": got.json()["initiative"]["version"], "description": text}, headers=self.headers)
                self.outcomes.append((r.status_code, text))
                time.sleep(0.02)

    def succeeded(self) -> list[str]:
        return [text for status, text in self.outcomes if status == 200 and text]


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_stopping_gives_503_then_the_app_recovers_with_nothing_half_applied(private_postgres, tmp_path):
    env, token = _site(private_postgres.url)
    log = tmp_path / "server.log"
    with serving(env, "--log-format", "json", log=log) as base:
        editor = Editor(base, token, "beta-connect")
        editor.start()
        wait_until(lambda: len(editor.succeeded()) >= 5, lambda: f"edits before the outage: {editor.outcomes[-3:]}")

        private_postgres.stop("fast")
        down = httpx.get(base + "/api/initiatives", timeout=30)
        assert down.status_code == 503, down.text
        assert "PostgreSQL" in down.json()["detail"], down.json()
        page = httpx.get(base + "/initiatives", timeout=30)
        assert page.status_code == 503 and "Database unavailable" in page.text
        assert httpx.get(base + "/readyz", timeout=30).status_code == 503
        assert httpx.get(base + "/healthz", timeout=30).status_code == 200  # the process itself is alive
        refused = httpx.patch(
            base + "/api/initiatives/beta-connect", json={"version": 1, "description": "never stored"}, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        assert refused.status_code in (401, 503), refused.text  # the token cannot even be checked
        during = len(editor.succeeded())
        time.sleep(1.0)
        assert len(editor.succeeded()) == during, "an edit was acknowledged while the database was down"

        private_postgres.start()
        wait_for(base + "/readyz", status=200, timeout=30)
        wait_until(lambda: len(editor.succeeded()) >= during + 5, "edits after the server came back")
        editor.halt.set()
        editor.join(timeout=30)

        statuses = {s for s, _ in editor.outcomes}
        assert 503 in statuses, "the editor never saw the outage"
        assert statuses <= {200, 401, 503}, f"unexpected answers: {statuses}"
        assert "never stored" not in [c["new"] for r in _revisions(base, "beta-connect") for c in r["changes"]]
        _assert_record_matches_history(base, "beta-connect", editor.succeeded())
    assert '"status": 500' not in log.read_text()


def wait_until(condition, what, timeout: float = 30) -> None:
    """Wait for ``condition()``; ``what`` (a text, or a function giving one) says what failed."""
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            pytest.fail(f"timed out waiting for {what() if callable(what) else what}")
        time.sleep(0.1)


# --------------------------------------------------------------------------- disk full, read-only


@contextlib.contextmanager
def small_disk(size: str = "8m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on a fresh folder (needs root), unmounted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="migmap-disk-"))
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True)
    if r.returncode:
        folder.rmdir()
        why = f"cannot mount a small tmpfs here ({(r.stderr or r.stdout).strip()})"
        if IN_CI:
            pytest.fail(f"the disk-fault tests must run in CI: {why}")
        pytest.skip(why)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def fill(folder: Path) -> Path:
    """Write a filler file until the file system is full (to the last byte)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 20, 65536, 4096, 512, 1):
            block = b"\0" * size
            try:
                while True:
                    os.write(fd, block)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


def _new_record(i: int) -> dict:
    return record(id=f"disk-test-{i}", name=f"Disk test {i}", description=("Language courses for newcomers. " * 600)[:19000])


def _export(base: str) -> list[dict]:
    r = httpx.get(base + "/api/initiatives.json", timeout=30)
    assert r.status_code == 200, r.text
    return sorted(r.json()["initiatives"], key=lambda x: x["id"])


def _one(db_file: Path, sql: str):
    """The single value ``sql`` answers on the SQLite file, read directly (not through migmap)."""
    con = sqlite3.connect(db_file)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _count(db_file: Path) -> int:
    return _one(db_file, "SELECT count(*) FROM initiatives")


def _integrity(db_file: Path) -> str:
    return _one(db_file, "PRAGMA integrity_check")


def test_a_full_disk_refuses_writes_clearly_and_loses_nothing():
    with small_disk("8m") as disk:
        db_file = disk / "site.db"
        env, token = _site(f"sqlite:///{db_file}")
        headers = {"Authorization": f"Bearer {token}"}
        with serving(env) as base:
            before = _export(base)
            filler = fill(disk)
            created, refused = [], None
            for i in range(300):  # the WAL may have room for a few records: write until the disk says no
                r = httpx.post(base + "/api/initiatives", json=_new_record(i), headers=headers, timeout=30)
                if r.status_code == 201:
                    created.append(f"disk-test-{i}")
                    continue
                refused = (i, r)
                break
            assert refused is not None, "300 records of 19 KB were written to a full 8 MB disk"
            i, r = refused
            assert r.status_code == 503, r.text
            assert "full" in r.json()["detail"] and "nothing was changed" in r.json()["detail"], r.json()
            assert httpx.get(f"{base}/api/initiatives/disk-test-{i}", timeout=10).status_code == 404
            assert httpx.get(base + "/api/initiatives/beta-connect", timeout=10).status_code == 200  # reads go on

            filler.unlink()
            again = httpx.post(base + "/api/initiatives", json=_new_record(i), headers=headers, timeout=30)
            assert again.status_code == 201, again.text
            after = [x for x in _export(base) if x["id"] not in {*created, f"disk-test-{i}"}]
            assert after == before, "a record changed while the disk was full"
        assert _integrity(db_file) == "ok"


def test_a_volume_come_back_read_only_is_reported_clearly_and_loses_nothing():
    """The volume holding the database comes back read-only (as after a disk error).

    Linux will not turn a volume read-only while a process holds a file open for writing, so the
    server is stopped, the volume remounted read-only and the server started again, as a
    deployment would be: it refuses to start with a message that says why (SQLite needs to
    write its journal beside the file), writes from the command line are refused the same way,
    and once the volume is writable again every record is as it was.
    """
    with small_disk("16m") as disk:
        db_file = disk / "site.db"
        env, token = _site(f"sqlite:///{db_file}")
        with serving(env) as base:
            before = _export(base)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        try:
            started = migmap("serve", "--port", "1", env=env, check=False)
            assert started.returncode == 5 and "read-only" in started.stderr, started.stderr
            imported = migmap("import", str(DATA / "valid.csv"), env=env, check=False)
            assert imported.returncode == 5 and "read-only" in imported.stderr, imported.stderr
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        with serving(env) as base:
            assert _export(base) == before
            headers = {"Authorization": f"Bearer {token}"}
            ok = httpx.patch(base + "/api/initiatives/beta-connect", json={"version": 1, "status": "ended"}, headers=headers, timeout=30)
            assert ok.status_code == 200, ok.text
        assert _integrity(db_file) == "ok"


def test_an_import_onto_a_full_disk_fails_clearly_and_imports_nothing(tmp_path):
    from tests.services.test_faults import write_big_csv

    big = write_big_csv(tmp_path / "big.csv", 3000)
    with small_disk("6m") as disk:
        env, _ = _site(f"sqlite:///{disk / 'site.db'}")
        db_file = disk / "site.db"
        before = _count(db_file)
        fill(disk)
        r = migmap("import", str(big), "--allow-duplicates", env=env, check=False)
        assert r.returncode != 0
        assert "full" in r.stderr and "nothing was changed" in r.stderr, r.stderr
        (disk / "filler").unlink()
        assert _count(db_file) == before
        assert _integrity(db_file) == "ok"


# --------------------------------------------------------------------------- two editors at once


def _race(base: str, token: str, rounds: int) -> list[list[int]]:
    """Each round: two editors PATCH the same version of one record at the same instant."""
    results = []
    for n in range(rounds):
        version = httpx.get(base + "/api/initiatives/beta-connect", timeout=10).json()["initiative"]["version"]
        gate = threading.Barrier(2)
        statuses: list[int] = []

        def save(who: str) -> None:
            with httpx.Client(base_url=base, timeout=30) as c:
                body = {"version": version, "description": f"Round {n}: description written by {who}."}
                gate.wait()
                statuses.append(c.patch("/api/initiatives/beta-connect", json=body, headers={"Authorization": f"Bearer {token}"}).status_code)

        threads = [threading.Thread(target=save, args=(w,)) for w in ("first editor", "second editor")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        results.append(sorted(statuses))
    return results


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_editors_saving_at_once_one_wins_the_other_gets_the_conflict(backend, request, tmp_path):
    url = f"sqlite:///{tmp_path / 'site.db'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    env, token = _site(url)
    rounds = 6
    with serving(env, "--workers", "2") as base:
        results = _race(base, token, rounds)
        assert results == [[200, 409]] * rounds
        history = _revisions(base, "beta-connect")
        assert [r["action"] for r in history].count("update") == rounds
        conflicts = [r for r in history if r["action"] == "conflict"]
        assert len(conflicts) == rounds
        assert all("refused: edit based on version" in r["note"] for r in conflicts)
        _assert_record_matches_history(base, "beta-connect", [])
