"""Faults: an import killed with SIGKILL half-way leaves all or none of it."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from migmap import Database
from migmap.io.records import FLAT_COLUMNS

from ..conftest import DATA


def write_big_csv(path: Path, rows: int) -> Path:
    template = next(csv.DictReader((DATA / "valid.csv").open()))
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FLAT_COLUMNS, extrasaction="ignore")
        w.writeheader()
        for i in range(rows):
            w.writerow({**dict.fromkeys(FLAT_COLUMNS, ""), **template, "id": f"big-{i}", "name": f"Language school {i}", "lead_actor": f"School {i}"})
    return path


def _inserting(url: str, proc: subprocess.Popen) -> bool:
    if url.startswith("sqlite"):
        wal = Path(sa.engine.make_url(url).database + "-wal")
        return wal.exists() and wal.stat().st_size > 1_000_000
    eng = sa.create_engine(url)
    try:
        with eng.connect() as c:
            q = "select count(*) from pg_stat_activity where datname = current_database() and query ilike 'INSERT INTO%'"
            return bool(c.execute(sa.text(q)).scalar())
    finally:
        eng.dispose()


def test_sigkill_during_import_leaves_nothing_then_a_rerun_imports_all(db_url, tmp_path):
    db = Database(db_url)
    db.init(bundled=False)
    rows = 12_000
    big = write_big_csv(tmp_path / "big.csv", rows)
    env = {**os.environ, "MIGMAP_DATABASE_URL": db_url}
    proc = subprocess.Popen([sys.executable, "-m", "migmap", "import", str(big), "--allow-duplicates"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while not _inserting(db_url, proc):
        assert proc.poll() is None, f"import ended before it could be killed: {proc.communicate()}"
        assert time.monotonic() < deadline, "import never reached the insert phase"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    after = Database(db_url)
    assert after.count() == 0 and after.stats()["revisions"] == 0
    if db_url.startswith("sqlite"):
        with sa.create_engine(db_url).connect() as c:
            assert c.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
    report = after.import_files([big], allow_duplicates=True)
    assert report.imported == rows and after.count() == rows
