"""Shared fixtures: a fresh database per test, on SQLite and (marker ``postgres``) on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from migmap import Database

DATA = Path(__file__).parent / "data"
PG_URL = os.environ.get("MIGMAP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _pg_admin_engine():
    return sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


_pg_state: dict[str, object] = {}


def postgres_available() -> tuple[bool, str]:
    if "ok" not in _pg_state:
        try:
            with _pg_admin_engine().connect() as conn:
                conn.execute(sa.text("select 1"))
            _pg_state["ok"], _pg_state["why"] = True, ""
        except Exception as exc:  # any connection failure means: no server here
            _pg_state["ok"], _pg_state["why"] = False, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return bool(_pg_state["ok"]), str(_pg_state["why"])


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    ok, why = postgres_available()
    if not ok:
        if IN_CI:
            pytest.fail(f"PostgreSQL must be reachable in CI at {PG_URL}: {why}")
        pytest.skip(f"no PostgreSQL server reachable at {PG_URL} ({why})")
    name = f"migmap_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'migmap.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migmap.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def db(db_url):
    """An empty, initialised database (SQLite and PostgreSQL)."""
    database = Database(db_url, user="tester")
    database.init(bundled=False)
    yield database
    database.close()


@pytest.fixture
def sample_db(db):
    """The small hand-checked sample of tests/data/sample.yaml, imported."""
    report = db.import_files([DATA / "sample.yaml"])
    assert report.ok, [str(p) for p in report.problems]
    return db


def record(**overrides):
    """A valid record to build on in tests."""
    base = {
        "name": "Example hiring programme",
        "description": "A company hires refugees in Germany with an NGO partner.",
        "lead_actor": "Example GmbH",
        "actor_type": "sme",
        "sector": "manufacturing_agriculture",
        "stages": ["long_term"],
        "contributions": ["access"],
        "business_roles": ["employer"],
        "migrant_groups": ["refugees_asylum"],
        "modalities": ["core_business_partnership"],
        "public_partners": ["ngo_civil_society"],
        "themes": ["employment"],
        "goals": ["service_quality"],
        "countries": [{"code": "DEU", "role": "destination"}],
        "start_year": 2018,
        "status": "active",
        "sources": [{"url": "https://example.org/programme", "title": "Programme page"}],
    }
    base.update(overrides)
    return base
