"""The framework is the only declaration: a dimension added to a copy of framework.yaml,
and nowhere else, is imported, exported, filtered on the command line and in the API,
offered in the edit form, and mapped (gap map and gaps).

Everything runs in fresh processes with ``MIGMAP_FRAMEWORK`` pointing at the copy, as a
team extending the framework would run migmap.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import yaml

from tests.conftest import DATA

CHANNELS = {
    "code": "channels",
    "label": "Delivery channel",
    "cardinality": "many",
    "required": False,
    "filter": "channels",
    "option": "channel",
    "predicted": False,
    "phrases": {"row": "initiatives delivered {l}", "column": "are delivered {l}"},
    "description": "How the activity reaches migrants.",
    "codes": [
        {"code": "online", "label": "Online", "definition": "Apps, websites and phone lines.", "keywords": ["app", "online"]},
        {"code": "in_person", "label": "In person", "definition": "Offices, sites and visits.", "keywords": ["office", "centre"]},
    ],
}

WEB_SCRIPT = r"""
import json, sys
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from migmap.config import Settings
from migmap.services import Database
from migmap.services.accounts import Accounts
from migmap.web import create_app

url, rid = sys.argv[1], sys.argv[2]
db = Database(url)
Accounts(db, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)).add_user("ed", "editor", password="pw-long-enough-1")
app = create_app(Settings(database_url=url, secret_key="s"), database=db)
out = {}
with TestClient(app) as c:
    api = c.get("/api/initiatives", params={"channels": "online"})
    out["api_status"] = api.status_code
    out["api_ids"] = sorted(i["id"] for i in api.json()["initiatives"])
    out["api_bad"] = c.get("/api/initiatives", params={"channels": "carrier_pigeon"}).status_code
    out["gapmap_api"] = c.get("/api/gapmap", params={"rows": "stages", "cols": "channels"}).json()
    out["gapmap_page"] = c.get("/gapmap", params={"rows": "stages", "cols": "channels"}).text
    out["list_page"] = c.get("/initiatives").text
    page = c.get("/login")
    import re
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    c.post("/login", data={"name": "ed", "password": "pw-long-enough-1", "csrf_token": token, "next": "/"})
    out["edit_page"] = c.get(f"/initiatives/{rid}/edit").text
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    """A framework copy with a `channels` dimension, a database holding two records that use it."""
    tmp = tmp_path_factory.mktemp("extend")
    fw = yaml.safe_load(resources.files("migmap.framework").joinpath("framework.yaml").read_text(encoding="utf-8"))
    fw["dimensions"].append(CHANNELS)
    fw_path = tmp / "framework.yaml"
    fw_path.write_text(yaml.safe_dump(fw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    records = yaml.safe_load((DATA / "sample.yaml").read_text(encoding="utf-8"))[:3]
    records[0]["channels"] = ["online"]
    records[1]["channels"] = ["online", "in_person"]
    records_path = tmp / "with-channels.yaml"
    records_path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "MIGMAP_FRAMEWORK": str(fw_path), "MIGMAP_DATABASE_URL": f"sqlite:///{tmp / 'x.db'}", "COLUMNS": "200"}

    def migmap(*args: str, check: int = 0) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "migmap", *args], capture_output=True, text=True, env=env, timeout=300)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode == check, proc.stdout + proc.stderr
        return proc

    migmap("init", "--empty")
    migmap("import", str(records_path))
    ids = [r["id"] for r in records]
    return {"migmap": migmap, "ids": ids, "env": env, "tmp": tmp}


def test_the_new_dimension_is_part_of_the_framework(extended):
    out = extended["migmap"]("framework", "--format", "json").stdout
    assert "channels" in json.loads(out)["dimensions"] or '"channels"' in out


def test_import_and_export_carry_it(extended):
    ids = extended["ids"]
    json_path = extended["tmp"] / "out.json"
    extended["migmap"]("export", str(json_path))
    out = json.loads(json_path.read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in (out["initiatives"] if isinstance(out, dict) else out)}
    assert by_id[ids[0]]["channels"] == ["online"]
    assert by_id[ids[1]]["channels"] == ["online", "in_person"]
    assert by_id[ids[2]]["channels"] == []
    csv_path = extended["tmp"] / "out.csv"
    extended["migmap"]("export", str(csv_path))
    header = csv_path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "channels" in header
    bad = extended["tmp"] / "bad.yaml"
    record = {k: v for k, v in by_id[ids[0]].items() if k not in ("version", "curation_state", "created_at", "updated_at")}
    bad.write_text(yaml.safe_dump([{**record, "id": "another-one", "name": "Another one", "channels": ["telepathy"]}]), encoding="utf-8")
    err = extended["migmap"]("import", str(bad), check=2).stderr
    assert "channels" in err and "telepathy" in err and "online" in err


def test_the_command_line_filters_on_it(extended):
    ids = extended["ids"]
    out = json.loads(extended["migmap"]("list", "--channel", "in_person", "--format", "json").stdout)
    assert [r["id"] for r in out["initiatives"]] == [ids[1]]
    out = json.loads(extended["migmap"]("list", "--channels", "online", "--format", "json").stdout)
    assert sorted(r["id"] for r in out["initiatives"]) == sorted(ids[:2])
    assert "--channel" in extended["migmap"]("list", "--help").stdout
    err = extended["migmap"]("list", "--channel", "telepathy", check=2).stderr
    assert "telepathy" in err and "online" in err


def test_gap_map_and_gaps_use_it(extended):
    gm = json.loads(extended["migmap"]("map", "--rows", "stages", "--cols", "channels", "--format", "json").stdout)
    assert gm["cols"] == ["online", "in_person"] or [c["code"] if isinstance(c, dict) else c for c in gm["cols"]] == ["online", "in_person"]
    text = extended["migmap"]("gaps", "--rows", "stages", "--cols", "channels", "--thin", "1").stdout
    assert "among 10 cells" in text  # five stages by the two new codes
    table = extended["migmap"]("map", "--rows", "stages", "--cols", "channels").stdout
    assert "In person" in table and "Online" in table


def test_api_edit_form_and_gap_map_page_offer_it(extended):
    ids = extended["ids"]
    proc = subprocess.run(
        [sys.executable, "-c", WEB_SCRIPT, extended["env"]["MIGMAP_DATABASE_URL"], ids[0]],
        capture_output=True,
        text=True,
        env=extended["env"],
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["api_status"] == 200 and out["api_ids"] == sorted(ids[:2])
    assert out["api_bad"] in (400, 422)
    cols = out["gapmap_api"]["cols"]
    assert [c["code"] if isinstance(c, dict) else c for c in cols] == ["online", "in_person"]
    assert "Delivery channel" in out["gapmap_page"] and "In person" in out["gapmap_page"]
    assert 'name="channels" value="in_person"' in out["list_page"]
    assert 'name="channels" value="online" checked' in out["edit_page"]
    assert 'name="channels" value="in_person">' in out["edit_page"]


def test_the_bundled_framework_is_untouched(extended):
    """The copy is read only where MIGMAP_FRAMEWORK says so."""
    env = {k: v for k, v in os.environ.items() if k != "MIGMAP_FRAMEWORK"}
    out = subprocess.run([sys.executable, "-m", "migmap", "framework", "--format", "json"], capture_output=True, text=True, env=env, timeout=120).stdout
    assert "channels" not in out
    assert Path(extended["env"]["MIGMAP_FRAMEWORK"]).is_file()
