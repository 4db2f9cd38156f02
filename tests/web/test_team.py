"""A team deployment: two `migmap serve` processes, each with two workers, on one PostgreSQL database.

An edit through one is seen by the other on the next request, in the record, the list, the
gap map and the history (the cached gap map of the other process is refreshed too). The
schema is brought up with `migmap db upgrade`, readiness says so, and the logs are JSON lines
that carry the request id the caller sent.
"""

from __future__ import annotations

import json
import os

import httpx
import pytest

from tests.conftest import DATA
from tests.serving import migmap, serving

from .conftest import PASSWORD

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _gap(base: str) -> dict:
    r = httpx.get(base + "/api/gapmap", params={"rows": "stages", "cols": "actor_type"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["row_totals"]


def test_two_app_processes_on_one_database_see_each_others_edits(pg_url, tmp_path):
    env = dict(os.environ, MIGMAP_DATABASE_URL=pg_url, MIGMAP_SECRET_KEY="team-secret")
    upgraded = migmap("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    migmap("import", str(DATA / "sample.yaml"), env=env)
    migmap("user", "add", "ed", "--role", "editor", "--password-stdin", env=env, stdin=PASSWORD + "\n")
    headers = {"Authorization": f"Bearer {migmap('user', 'token', 'ed', env=env).stdout.strip()}"}

    log_a, log_b = tmp_path / "a.log", tmp_path / "b.log"
    with serving(env, "--workers", "2", "--log-format", "json", log=log_a) as a, serving(env, "--workers", "2", "--log-format", "json", log=log_b) as b:
        for base in (a, b):
            ready = httpx.get(base + "/readyz", timeout=30)
            assert ready.status_code == 200 and ready.json()["schema"] == ready.json()["expected_schema"], ready.text
        before_b = _gap(b)  # b caches its gap map now
        before_a = _gap(a)
        assert before_a == before_b

        # an edit through a: a new arrival-stage record, and a change to an existing one
        from tests.conftest import record

        new = record(id="team-edit", name="Team edit", stages=["arrival"], description="Added through process A.")
        assert httpx.post(a + "/api/initiatives", json=new, headers=headers, timeout=30).status_code == 201
        changed = httpx.patch(
            a + "/api/initiatives/beta-connect",
            json={"version": 1, "description": "Changed through process A."},
            headers={**headers, "X-Request-ID": "team-edit-1"},
            timeout=30,
        )
        assert changed.status_code == 200, changed.text

        # every worker of b sees it on the next request (several requests reach both workers)
        for _ in range(6):
            assert httpx.get(b + "/api/initiatives/team-edit", timeout=30).status_code == 200
            seen = httpx.get(b + "/api/initiatives/beta-connect", timeout=30).json()["initiative"]
            assert (seen["version"], seen["description"]) == (2, "Changed through process A.")
            assert _gap(b)["arrival"] == before_b["arrival"] + 1
        assert httpx.get(b + "/api/initiatives", params={"text": "Team edit"}, timeout=30).json()["total"] == 1

        # and a stale edit through b is refused, because a already changed the record
        stale = httpx.patch(b + "/api/initiatives/beta-connect", json={"version": 1, "description": "Stale edit through B."}, headers=headers, timeout=30)
        assert stale.status_code == 409
        actions = [r["action"] for r in httpx.get(a + "/api/initiatives/beta-connect/revisions", timeout=30).json()]
        assert actions[-2:] == ["update", "conflict"]

    lines = [json.loads(line) for line in log_a.read_text().splitlines() if line.startswith("{")]
    edit = [x for x in lines if x.get("request_id") == "team-edit-1"]
    assert edit and edit[0]["status"] == 200 and edit[0]["method"] == "PATCH" and edit[0]["user"] == "ed"
    assert all({"time", "level", "logger", "message"} <= x.keys() for x in lines)
    assert not [x for x in lines if x["logger"].startswith("alembic")], "health checks must not write migration chatter"
    assert PASSWORD not in log_a.read_text() + log_b.read_text()
