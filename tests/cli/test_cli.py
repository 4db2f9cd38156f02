"""The command line as a person uses it: real processes, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ..conftest import DATA


def run(*args, db=None, cwd=None, check=None):
    env = {**os.environ, "COLUMNS": "200"}
    if db:
        env["MIGMAP_DATABASE_URL"] = db
    proc = subprocess.run([sys.executable, "-m", "migmap", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


@pytest.fixture
def url(tmp_path):
    u = f"sqlite:///{tmp_path / 'cli.db'}"
    run("init", "--empty", db=u, check=0)
    return u


def test_help_has_examples():
    out = run("--help", check=0).stdout
    for cmd in ("init", "import", "export", "list", "show", "search", "stats", "framework", "db"):
        assert cmd in out
    for cmd in ("init", "import", "export", "list", "show", "search", "stats", "framework"):
        assert "Example" in run(cmd, "--help", check=0).stdout, cmd


def test_framework_command():
    data = json.loads(run("framework", "stages", "--format", "json", check=0).stdout)
    assert [c["code"] for c in data["dimensions"][0]["codes"]][:2] == ["pre_departure", "transit"]
    assert "Core-business partnership" in run("framework", "modalities", check=0).stdout
    bad = run("framework", "nonsense")
    assert bad.returncode == 2 and "allowed" in bad.stderr


def test_import_list_search_show_export(url, tmp_path):
    out = run("import", str(DATA / "sample.yaml"), db=url, check=0).stdout
    assert "imported 6 of 6" in out
    data = json.loads(run("list", "--stage", "arrival", "--format", "json", db=url, check=0).stdout)
    assert data["total"] == 2
    data = json.loads(run("list", "--stage", "long_term,arrival", "--actor-type", "foundation", "--format", "json", db=url, check=0).stdout)
    assert [i["id"] for i in data["initiatives"]] == ["gamma-foundation-shelter"]
    assert "zeta-returnee-jobs" in run("search", "returnee", db=url, check=0).stdout
    shown = json.loads(run("show", "zeta-returnee-jobs", "--format", "json", db=url, check=0).stdout)
    assert shown["return_type"] == "voluntary" and shown["revisions"][0]["action"] == "create"
    assert "Return and reintegration" in run("show", "zeta-returnee-jobs", "--history", db=url, check=0).stdout
    target = tmp_path / "out.csv"
    assert "wrote 2" in run("export", str(target), "--region", "middle_east", db=url, check=0).stdout
    stats = json.loads(run("stats", "--format", "json", db=url, check=0).stdout)
    assert stats["counts"]["stages"]["long_term"] == 3


def test_bad_import_exits_2_with_located_problems(url):
    proc = run("import", str(DATA / "bad.csv"), db=url, check=2)
    assert f"{DATA / 'bad.csv'}:3: stages: unknown code 'landing'" in proc.stderr
    assert "nothing was imported" in proc.stderr
    assert json.loads(run("list", "--format", "json", db=url, check=0).stdout)["total"] == 0


def test_unknown_filter_code_is_a_clear_error(url):
    proc = run("list", "--stage", "moon", db=url, check=2)
    assert "--stage" in proc.stderr and "pre_departure" in proc.stderr


def test_show_missing(url):
    proc = run("show", "nope", db=url, check=3)
    assert "no initiative with id 'nope'" in proc.stderr


def test_init_on_a_full_database_changes_nothing(url):
    run("import", str(DATA / "sample.yaml"), db=url, check=0)
    out = run("init", db=url, check=0).stdout
    assert "already holds 6" in out and "nothing was changed" in out


def test_no_schema_yet(tmp_path):
    proc = run("list", db=f"sqlite:///{tmp_path / 'new.db'}", check=5)
    assert "migmap init" in proc.stderr


def test_read_only_database_via_uri(url, tmp_path):
    """A read-only database (here through SQLite's read-only mode, which binds root too)."""
    ro = f"sqlite:///file:{tmp_path / 'cli.db'}?mode=ro&uri=true"
    proc = run("import", str(DATA / "valid.csv"), db=ro)
    assert proc.returncode == 5 and "read-only" in proc.stderr, proc.stderr
    assert json.loads(run("list", "--format", "json", db=url, check=0).stdout)["total"] == 0


def test_locked_database(url, tmp_path):
    import sqlite3

    conn = sqlite3.connect(tmp_path / "cli.db")
    conn.execute("BEGIN EXCLUSIVE")
    try:
        proc = run("import", str(DATA / "valid.csv"), db=url)
        assert proc.returncode == 5 and "locked" in proc.stderr, proc.stderr
    finally:
        conn.rollback()
        conn.close()
    assert json.loads(run("list", "--format", "json", db=url, check=0).stdout)["total"] == 0


def test_postgres_down_is_a_clear_error():
    proc = run("list", db="postgresql://nobody@127.0.0.1:1/none")
    assert proc.returncode == 5 and "cannot connect" in proc.stderr and "PostgreSQL" in proc.stderr


def test_missing_folder():
    proc = run("list", db="/no/such/folder/x.db")
    assert proc.returncode == 5 and "does not exist" in proc.stderr


def test_not_a_database(tmp_path):
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite at all" * 100)
    proc = run("list", db=f"sqlite:///{p}")
    assert proc.returncode == 5 and "not a migmap database" in proc.stderr
