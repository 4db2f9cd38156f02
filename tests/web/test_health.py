"""Health and readiness endpoints."""

from __future__ import annotations

import sqlalchemy as sa

from migmap.services import Database


def test_health_and_ready(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["initiatives"] == 6


def test_not_ready_when_the_database_goes_away(app, client):
    working = app.state.db
    app.state.db = Database("postgresql://nobody@127.0.0.1:1/none")  # the server is gone
    try:
        assert client.get("/healthz").status_code == 200
        r = client.get("/readyz")
        assert r.status_code == 503 and r.json()["status"] == "unavailable" and "cannot connect" in r.json()["detail"]
    finally:
        app.state.db = working
    assert client.get("/readyz").status_code == 200  # and ready again when it is back


def test_not_ready_when_the_schema_is_behind(sample_db, client):
    with sa.create_engine(sample_db.url).begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    r = client.get("/readyz")
    assert r.status_code == 503 and "migmap db upgrade" in r.json()["detail"]
