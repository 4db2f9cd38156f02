"""`migmap actors` and the actor part of `migmap data check`, as a person runs them: real processes."""

from __future__ import annotations

import json

import pytest
import yaml

from ..conftest import record
from .test_cli import run

IOM = "International Organization for Migration (IOM)"


def public(name, **extra):
    return {"name": name, "kind": "public", "public_type": "international_organisation", **extra}


@pytest.fixture
def records_file(tmp_path):
    recs = [
        record(id="p1", name="Programme one", actors=[public(IOM)]),
        record(id="p2", name="Programme two", actors=[public("International Organization for Migration")]),
        record(id="p3", name="Programme three", actors=[public("International Organization for Migration"), public("UNHCR")]),
        record(id="p4", name="Programme four", actors=[public("UNHCR Italy")]),
    ]
    path = tmp_path / "records.yaml"
    path.write_text(yaml.safe_dump(recs, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def url(tmp_path, records_file):
    u = f"sqlite:///{tmp_path / 'actors.db'}"
    run("init", "--empty", db=u, check=0)
    run("import", str(records_file), "--allow-duplicates", db=u, check=0)
    return u


def test_help_has_examples():
    out = run("actors", "--help", check=0).stdout
    assert "duplicates" in out and "merge" in out
    for cmd in ("duplicates", "merge", "show"):
        assert "Example" in run("actors", cmd, "--help", check=0).stdout, cmd


def test_duplicates_then_merge(url):
    data = json.loads(run("actors", "duplicates", "--format", "json", db=url, check=0).stdout)
    assert data == {
        "total": 1,
        "duplicates": [
            {"a": "International Organization for Migration", "b": IOM, "reason": "same key", "score": 100.0, "a_initiatives": 2, "b_initiatives": 1}
        ],
    }
    table = run("actors", "duplicates", db=url, check=0).stdout
    assert "same key" in table and "1 likely duplicate pair" in table
    out = run("actors", "merge", IOM, "International Organization for Migration", db=url, check=0).stdout
    assert "2 initiatives re-pointed" in out
    assert json.loads(run("actors", "duplicates", "--format", "json", db=url, check=0).stdout)["total"] == 0
    shown = json.loads(run("show", "p2", "--format", "json", db=url, check=0).stdout)
    assert [a["name"] for a in shown["actors"]] == ["Example GmbH", IOM]
    assert shown["version"] == 2 and "merged into" in shown["revisions"][-1]["note"]
    actor = json.loads(run("actors", "show", "international organization for migration", "--format", "json", db=url, check=0).stdout)
    assert actor["name"] == IOM and actor["aliases"] == ["International Organization for Migration"]
    unhcr = json.loads(run("actors", "show", "UNHCR", "--format", "json", db=url, check=0).stdout)
    assert unhcr["offices"] == ["UNHCR Italy"]


def test_merge_refuses_unknown_actors(url):
    proc = run("actors", "merge", IOM, "Nobody at all", db=url, check=3)
    assert "no actor named 'Nobody at all'" in proc.stderr
    proc = run("actors", "show", "Nobody at all", db=url, check=3)
    assert "no actor named" in proc.stderr
    assert json.loads(run("actors", "duplicates", "--format", "json", db=url, check=0).stdout)["total"] == 1


def test_merge_refuses_the_same_actor(url):
    proc = run("actors", "merge", IOM, IOM.upper(), db=url, check=2)
    assert "already the same actor" in proc.stderr


def test_actors_need_a_database(tmp_path):
    proc = run("actors", "duplicates", db=f"sqlite:///{tmp_path / 'new.db'}", check=5)
    assert "migmap init" in proc.stderr


def test_data_check_fails_on_two_names_of_one_organisation(records_file):
    proc = run("data", "check", str(records_file), "--no-minima", check=1)
    assert "actors that are likely the same organisation (1)" in proc.stdout
    assert "'International Organization for Migration' (in records.yaml:2 p2, records.yaml:3 p3)" in proc.stdout
    report = json.loads(run("data", "check", str(records_file), "--no-minima", "--format", "json", check=1).stdout)
    assert len(report["actor_duplicates"]) == 1 and IOM in report["actor_duplicates"][0]
