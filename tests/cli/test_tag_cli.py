"""`migmap tag` as a person or a program uses it: real processes, files, databases."""

from __future__ import annotations

import json

import pytest
import yaml

from migmap.data import bundled_files
from migmap.tagging.dataset import is_held_out
from tests.tagging.documents import write_report_pdf

from .test_cli import run

GOOD = "A logistics company hires refugees in Germany and trains them as warehouse workers with a local NGO."


@pytest.fixture
def small_db(tmp_path):
    """A database with 40 bundled records (enough to train and cross-validate quickly)."""
    records = []
    for f in bundled_files():
        records.extend(yaml.safe_load(f.read_text(encoding="utf-8")))
    # 36 from the training part and 4 from the held-out tenth, whatever order the files hold
    held = [r for r in records if is_held_out(r["id"])][:4]
    train = [r for r in records if not is_held_out(r["id"])][::9][:36]
    path = tmp_path / "forty.yaml"
    path.write_text(yaml.safe_dump(train + held, allow_unicode=True), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'tag.db'}"
    run("init", "--empty", db=url, check=0)
    run("import", str(path), "--allow-duplicates", db=url, check=0)
    return url


def test_help_has_examples_and_lists_subcommands():
    out = run("tag", "--help", check=0).stdout
    for word in ("train", "evaluate", "run", "--input", "Example"):
        assert word in out
    for sub in ("run", "train", "evaluate"):
        assert "Example" in run("tag", sub, "--help", check=0).stdout, sub


def test_jsonl_contract(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(
        json.dumps({"id": "a", "title": "Jobs", "text": GOOD}) + "\nnot json\n" + json.dumps({"id": "c", "title": "t"}) + "\n",
        encoding="utf-8",
    )
    proc = run("tag", "--input", str(src), "--output", str(dst), check=0)
    out = [json.loads(line) for line in dst.read_text().splitlines()]
    assert [o["id"] for o in out] == ["a", None, "c"]
    assert set(out[0]) == {
        "id",
        "stages",
        "contributions",
        "business_roles",
        "migrant_groups",
        "modalities",
        "themes",
        "public_partners",
        "actor_type",
        "sector",
        "countries",
        "confidence",
        "evidence",
    }
    assert out[0]["countries"] == ["DEU"]
    assert f"{src}:2: not valid JSON" in proc.stderr
    assert f'{src}:3: missing "text"' in proc.stderr
    assert "tagged 1 of 3 line(s)" in proc.stdout and "skipped 2" in proc.stdout


def test_jsonl_needs_output_and_a_real_model(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": GOOD}) + "\n")
    assert "--output is required" in run("tag", "--input", str(src), check=2).stderr
    proc = run("tag", "--input", str(src), "--output", str(tmp_path / "o.jsonl"), "--model", str(tmp_path / "none.joblib"), check=2)
    assert "none.joblib: no tagger model there" in proc.stderr


def test_files_table_json_and_skips(tmp_path):
    pdf = write_report_pdf(tmp_path / "report.pdf")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    proc = run("tag", str(pdf), str(bad), check=0)
    assert "Zain Ltd" in proc.stdout and "Remitly Inc" in proc.stdout
    assert "2 draft(s) from 1 document(s); skipped 1" in proc.stdout
    assert "broken.pdf: not a readable PDF" in proc.stderr
    data = json.loads(run("tag", str(pdf), "--format", "json", check=0).stdout)
    assert [r["pages"] for r in data["results"]] == [[2], [2]]


def test_a_file_named_like_a_subcommand_needs_a_path_prefix(tmp_path):
    f = tmp_path / "train"
    f.write_text(GOOD)
    proc = run("tag", "./train", cwd=tmp_path, check=1)  # read as a file (nothing tagged), not the subcommand
    assert "use .txt, .html or .pdf" in proc.stderr


def test_propose_into_the_review_queue(tmp_path, small_db):
    pdf = write_report_pdf(tmp_path / "report.pdf")
    assert "pass --source-url" in run("tag", str(pdf), "--propose", db=small_db, check=2).stderr
    proc = run("tag", str(pdf), "--propose", "--source-url", "https://example.org/r.pdf", db=small_db, check=0)
    assert "proposed 2 record(s) for review" in proc.stdout
    listed = json.loads(run("list", "--format", "json", "--include-proposed", db=small_db, check=0).stdout)["initiatives"]
    proposed = [r for r in listed if r.get("curation_state") == "proposed"]
    assert {r["lead_actor"] for r in proposed} == {"Zain Ltd", "Remitly Inc"}


def test_train_and_evaluate_from_the_database(tmp_path, small_db):
    model = tmp_path / "team.joblib"
    proc = run("tag", "train", "--output", str(model), db=small_db, check=0)
    assert "trained on" in proc.stdout and model.is_file()
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"id": 1, "text": GOOD}) + "\n")
    run("tag", "--input", str(src), "--output", str(dst), "--model", str(model), check=0)
    assert json.loads(dst.read_text())["stages"]
    out = run("tag", "evaluate", "--folds", "2", db=small_db, check=0).stdout
    for word in ("stages", "cv model macro", "cv baseline macro", "held_out model macro", "precision", "recall", "baseline P"):
        assert word in out, word


def test_train_refuses_too_few_records(sample_db_url):
    proc = run("tag", "train", "--output", "x.joblib", db=sample_db_url, check=2)
    assert "at least 20 are needed" in proc.stderr


@pytest.fixture
def sample_db_url(tmp_path):
    from ..conftest import DATA

    url = f"sqlite:///{tmp_path / 's.db'}"
    run("init", "--empty", db=url, check=0)
    run("import", str(DATA / "sample.yaml"), db=url, check=0)
    return url
