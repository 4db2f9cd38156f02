"""The curation flow over PostgreSQL: the same app, a real server."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from migmap.config import Settings
from migmap.services import Database
from migmap.services.accounts import Accounts
from migmap.web import create_app
from tests.conftest import DATA

from .conftest import FAST_HASHER, PASSWORD, login

pytestmark = pytest.mark.postgres


def test_edit_conflict_and_gap_map_on_postgres(pg_url):
    db = Database(pg_url, user="tester")
    db.init(bundled=False)
    assert db.import_files([DATA / "sample.yaml"]).ok
    Accounts(db, hasher=FAST_HASHER).add_user("ed", "editor", password=PASSWORD)
    app = create_app(Settings(database_url=pg_url, secret_key="s"), database=db)
    with TestClient(app) as c:
        assert c.get("/api/gapmap").json()["row_totals"]["long_term"] == 3
        assert c.get("/api/initiatives", params={"text": "SIM"}).json()["total"] == 1
        token = Accounts(db).create_token("ed")
        h = {"Authorization": f"Bearer {token}"}
        assert c.patch("/api/initiatives/beta-connect", json={"version": 1, "status": "active"}, headers=h).status_code == 200
        assert c.patch("/api/initiatives/beta-connect", json={"version": 1, "status": "ended"}, headers=h).status_code == 409
        assert login(c, "ed").status_code == 303
        assert "Review queue" in c.get("/review").text
    db.close()
