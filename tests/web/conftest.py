"""Web fixtures: the app over the sample database, a test client, and users of each role."""

from __future__ import annotations

import os
import re

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from migmap.config import Settings
from migmap.services.accounts import Accounts
from migmap.web import create_app

PASSWORD = "correct horse battery staple"
#: Cheap argon2 parameters for test users (the app verifies with the parameters stored in each hash).
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def db_url(tmp_path):
    """Web tests run on SQLite; test_postgres.py runs the curation flow over PostgreSQL too."""
    return f"sqlite:///{tmp_path / 'migmap.db'}"


@pytest.fixture
def app(sample_db):
    settings = Settings(database_url=sample_db.url, secret_key="test-secret", stale_after_days=730)
    application = create_app(settings, database=sample_db)
    accounts = Accounts(sample_db, hasher=FAST_HASHER)
    for name, role in (("vera", "viewer"), ("ed", "editor"), ("ada", "admin")):
        accounts.add_user(name, role, password=PASSWORD)
    return application


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


def sample_site(url: str, secret: str, editor: bool = True) -> dict:
    """The environment for `migmap` commands on ``url``, made a site holding the sample data
    (and, with ``editor``, the editor ``ed`` with :data:`PASSWORD`), through the command line."""
    from tests.conftest import DATA
    from tests.serving import migmap

    env = dict(os.environ, MIGMAP_DATABASE_URL=url, MIGMAP_SECRET_KEY=secret)
    migmap("init", "--empty", env=env)
    migmap("import", str(DATA / "sample.yaml"), env=env)
    if editor:
        migmap("user", "add", "ed", "--role", "editor", "--password-stdin", env=env, stdin=PASSWORD + "\n")
    return env


def api_token(env: dict, name: str = "ed") -> str:
    """A new API token of ``name`` (`migmap user token`)."""
    from tests.serving import migmap

    return migmap("user", "token", name, env=env).stdout.strip()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "page has no CSRF field"
    return m.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf_of(page.text), "next": "/"}, follow_redirects=False)


@pytest.fixture
def editor(client):
    r = login(client, "ed")
    assert r.status_code == 303, r.text
    return client


@pytest.fixture
def viewer(client):
    r = login(client, "vera")
    assert r.status_code == 303, r.text
    return client


def all_routes(app):
    """Every route of the app, including those of included routers (FastAPI keeps those lazily)."""
    out = []
    stack = list(app.routes)
    while stack:
        r = stack.pop(0)
        inner = getattr(r, "original_router", None)
        if inner is not None:
            stack.extend(inner.routes)
        elif getattr(r, "path", None):
            out.append(r)
    return out
