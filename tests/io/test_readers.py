"""Importers: every problem located as FILE:ROW: field, and nothing written when anything is wrong."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile

import pytest

from migmap.io.readers import read_path

from ..conftest import DATA, record


def messages(report):
    return [str(p) for p in report.problems]


def test_valid_csv_imports(db):
    report = db.import_files([DATA / "valid.csv"])
    assert report.ok and report.imported == 2
    lam = db.get("lambda-remittance-app")
    assert lam.contributions == ["access", "expertise"]
    assert [s.url for s in lam.sources] == ["https://example.org/lambda", "https://example.org/lambda-news"]
    assert [a.name for a in lam.actors] == ["Lambda Pay", "Partner Bank SA"]
    assert [str(c) for c in lam.countries] == ["ESP:destination", "SEN:origin"]


def test_bad_csv_reports_every_problem_and_imports_nothing(db):
    report = db.import_files([DATA / "bad.csv"])
    msgs = messages(report)
    f = str(DATA / "bad.csv")
    assert any(m.startswith(f"{f}:3: stages: unknown code 'landing'") for m in msgs), msgs
    assert any(m.startswith(f"{f}:4: name:") for m in msgs), msgs
    assert any(m.startswith(f"{f}:4: countries.0.code:") for m in msgs), msgs
    assert any(m.startswith(f"{f}:4: start_year:") and "out of range" in m for m in msgs), msgs
    assert any(m.startswith(f"{f}:5: actor_type:") for m in msgs), msgs
    assert any(m.startswith(f"{f}:5: sources:") for m in msgs), msgs
    assert report.imported == 0 and db.count() == 0
    assert any("colour" in w for w in report.warnings)


def test_missing_column(db):
    report = db.import_files([DATA / "missing_column.csv"])
    assert len(report.problems) == 1
    assert "missing columns: lead_actor, actor_type" in str(report.problems[0])
    assert str(report.problems[0]).startswith(f"{DATA / 'missing_column.csv'}:1:")


def test_one_bad_file_blocks_the_good_one(db):
    report = db.import_files([DATA / "valid.csv", DATA / "bad.csv"])
    assert not report.ok and db.count() == 0


def test_wrong_encoding(tmp_path, db):
    p = tmp_path / "latin1.csv"
    p.write_bytes((DATA / "valid.csv").read_text().replace("Kappa", "Käppa").encode("latin-1"))
    report = db.import_files([p])
    assert "not UTF-8" in messages(report)[0] and db.count() == 0


def test_broken_xlsx(tmp_path, db):
    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert "not a valid XLSX" in messages(db.import_files([p]))[0]
    z = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "not a valid XLSX" in messages(db.import_files([z]))[0]


def test_truncated_json(tmp_path, db):
    p = tmp_path / "t.json"
    p.write_text(json.dumps([record()])[:-20])
    msg = messages(db.import_files([p]))[0]
    assert "invalid JSON at line 1" in msg


def test_jsonl_reports_line_numbers(tmp_path, db):
    p = tmp_path / "t.jsonl"
    p.write_text(json.dumps(record()) + "\n\n{not json}\n" + json.dumps(record(name="", lead_actor="B")) + "\n")
    msgs = messages(db.import_files([p]))
    assert any(m.startswith(f"{p}:3: invalid JSON") for m in msgs), msgs
    assert any(m.startswith(f"{p}:4: name:") for m in msgs), msgs
    assert db.count() == 0


def test_garbage_file(tmp_path, db):
    p = tmp_path / "garbage.csv"
    with p.open("wb") as fh:
        fh.write(os.urandom(2 * 1024 * 1024))
    report = db.import_files([p])
    assert not report.ok and db.count() == 0


def test_large_garbage_text_file_is_refused_quickly(tmp_path, db):
    p = tmp_path / "big.csv"
    line = "lorem,ipsum,dolor\n" * 1000
    with p.open("w") as fh:
        for _ in range(300):  # ~5 MB of text with the wrong columns
            fh.write(line)
    report = db.import_files([p])
    assert "missing columns" in messages(report)[0]


def test_duplicate_ids_in_one_file(tmp_path, db):
    p = tmp_path / "d.json"
    p.write_text(json.dumps([record(id="same"), record(id="same", name="Other", lead_actor="Other")]))
    msgs = messages(db.import_files([p]))
    assert any("used twice" in m for m in msgs) and db.count() == 0


def test_possible_duplicates_are_skipped_unless_allowed(tmp_path, db):
    db.add(record(name="Refugee Hiring Programme", lead_actor="Acme Foods Inc."))
    p = tmp_path / "dups.json"
    p.write_text(
        json.dumps([record(name="Refugee hiring programme!", lead_actor="ACME Foods Inc"), record(name="Something else entirely", lead_actor="Acme Foods")])
    )
    report = db.import_files([p])
    assert report.imported == 1 and len(report.duplicates) == 1 and "database id" in str(report.duplicates[0])
    report = db.import_files([p], allow_duplicates=True)
    assert report.imported == 2


def test_dry_run_writes_nothing(db):
    report = db.import_files([DATA / "valid.csv"], dry_run=True)
    assert report.ok and report.valid == 2 and db.count() == 0


def test_yaml_and_datapackage_and_empty_files(tmp_path, db):
    empty = tmp_path / "e.yaml"
    empty.write_text("")
    assert "empty" in messages(db.import_files([empty]))[0]
    bad = tmp_path / "b.yaml"
    bad.write_text("- name: [unclosed\n")
    assert "invalid YAML" in messages(db.import_files([bad]))[0]
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "datapackage.json").write_text(json.dumps({"resources": [{"name": "initiatives", "path": "../../etc/passwd"}]}))
    assert "relative 'path' inside" in messages(db.import_files([pkg]))[0]


def test_unknown_extension_needs_format(tmp_path):
    from migmap.domain.errors import UnknownFormat

    p = tmp_path / "data.txt"
    p.write_text("x")
    with pytest.raises(UnknownFormat, match="--format"):
        read_path(p)


def test_missing_file(db, tmp_path):
    assert "file not found" in messages(db.import_files([tmp_path / "nope.csv"]))[0]


def test_years_in_other_scripts_are_located_problems_not_crashes(tmp_path, db):
    """str.isdigit() accepts "²" and "٢٠٢٠", int() does not: the importer must report, not crash."""
    rows = (DATA / "valid.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    col = header.index("start_year")
    bad = []
    for line, year in zip(rows[1:3], ("²", "٢٠٢٠")):
        cells = next(csv.reader(io.StringIO(line)))
        cells[col] = year
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(cells)
        bad.append(buf.getvalue())
    path = tmp_path / "years.csv"
    path.write_text("\n".join([rows[0], *bad]) + "\n", encoding="utf-8")
    report = db.import_files([path])
    msgs = messages(report)
    assert any(m.startswith(f"{path}:2: start_year:") for m in msgs), msgs
    assert any(m.startswith(f"{path}:3: start_year:") for m in msgs), msgs
    assert report.imported == 0 and db.count() == 0
