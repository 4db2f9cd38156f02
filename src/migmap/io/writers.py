"""Writers for CSV, XLSX, JSON, JSONL, YAML and Frictionless data packages.

Each writer takes an iterable of initiatives (streamed, so exports of many rows keep
memory flat) and an optional ``progress`` callback called once per record. Files are
written to a temporary name and moved into place at the end, so a failed export never
leaves half a file behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from migmap.domain.errors import UnknownFormat
from migmap.domain.models import Initiative
from migmap.framework import MULTI_DIMENSIONS, load_framework

from .records import FLAT_COLUMNS, flatten

EXPORT_FORMATS = ("csv", "xlsx", "json", "jsonl", "yaml", "datapackage")
Progress = Callable[[], None]


def _noop() -> None:
    return None


class _counting:
    """A progress callback that also counts the records written."""

    def __init__(self, progress: Progress):
        self.progress, self.n = progress, 0

    def __call__(self) -> None:
        self.n += 1
        self.progress()


def _write_chunks(chunks: Iterable[str], path: Path) -> None:
    with _atomic(path) as fh:
        for chunk in chunks:
            fh.write(chunk)


@contextmanager
def _atomic(path: Path, mode: str = "w") -> Iterator[Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        if "b" in mode:
            with open(tmp, mode) as fh:
                yield fh
        else:
            with open(tmp, mode, encoding="utf-8", newline="") as fh:
                yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_chunks(items: Iterable[Initiative], progress: Progress = _noop) -> Iterator[str]:
    """Initiatives as CSV text, a header then one chunk per record (files and web downloads alike)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FLAT_COLUMNS)
    writer.writeheader()
    for item in items:
        writer.writerow(flatten(item))
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
        progress()
    yield buf.getvalue()


def write_csv(items: Iterable[Initiative], path: Path, progress: Progress = _noop) -> int:
    counter = _counting(progress)
    _write_chunks(csv_chunks(items, counter), path)
    return counter.n


def write_xlsx(items: Iterable[Initiative], path: Path, progress: Progress = _noop) -> int:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("initiatives")
    ws.append(list(FLAT_COLUMNS))
    n = 0
    for item in items:
        row = flatten(item)
        ws.append([row[c] for c in FLAT_COLUMNS])
        n += 1
        progress()
    with _atomic(path, "wb") as fh:
        wb.save(fh)
    return n


def json_chunks(items: Iterable[Initiative], filters: dict[str, Any] | None = None, progress: Progress = _noop) -> Iterator[str]:
    """Initiatives as JSON, streamed: with ``filters`` (API responses and downloads) the envelope
    ``{"filters": {...}, "initiatives": [...]}`` that ``migmap list --format json`` and ``/api/initiatives``
    also use; without (a records file, like YAML) the bare list. The importer reads both."""
    envelope = filters is not None
    yield ('{"filters": ' + json.dumps(filters, ensure_ascii=False) + ', "initiatives": [') if envelope else "["
    for n, item in enumerate(items):
        yield ("," if n else "") + "\n" + json.dumps(item.record(), ensure_ascii=False)
        progress()
    yield "\n]}\n" if envelope else "\n]\n"


def write_json(items: Iterable[Initiative], path: Path, progress: Progress = _noop) -> int:
    counter = _counting(progress)
    _write_chunks(json_chunks(items, None, counter), path)
    return counter.n


def write_jsonl(items: Iterable[Initiative], path: Path, progress: Progress = _noop) -> int:
    n = 0
    with _atomic(path) as fh:
        for item in items:
            fh.write(json.dumps(item.record(), ensure_ascii=False) + "\n")
            n += 1
            progress()
    return n


def write_yaml(items: Iterable[Initiative], path: Path, progress: Progress = _noop) -> int:
    n = 0
    with _atomic(path) as fh:
        for item in items:
            fh.write(yaml.safe_dump([item.record()], allow_unicode=True, sort_keys=False, width=100))
            n += 1
            progress()
        if n == 0:
            fh.write("[]\n")
    return n


def table_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of the CSV export."""
    fw = load_framework()
    multi_pattern = {dim: r"^$|^(" + "|".join(fw.codes(dim)) + r")(; (" + "|".join(fw.codes(dim)) + r"))*$" for dim in MULTI_DIMENSIONS}
    fields: list[dict[str, Any]] = []
    for col in FLAT_COLUMNS:
        spec: dict[str, Any] = {"name": col, "type": "string"}
        if col == "id":
            spec["constraints"] = {"required": True, "unique": True, "pattern": "^[a-z0-9][a-z0-9-]*$"}
        elif col in ("name", "description", "lead_actor", "sources"):
            spec["constraints"] = {"required": True}
        elif col in ("actor_type", "sector"):
            spec["constraints"] = {"required": True, "enum": list(fw.codes(col))}
        elif col in MULTI_DIMENSIONS:
            spec["constraints"] = {"pattern": multi_pattern[col]}
            spec["description"] = f"{fw[col].label}: codes separated by '; '"
        elif col == "countries":
            spec["constraints"] = {"pattern": r"^$|^[A-Z]{3}:(origin|transit|destination|global)(; [A-Z]{3}:(origin|transit|destination|global))*$"}
        elif col in ("start_year", "end_year"):
            spec["type"] = "integer"
        elif col == "status":
            spec["constraints"] = {"enum": ["active", "ended", "unknown"]}
        elif col == "return_type":
            spec["constraints"] = {"pattern": "^(|voluntary|coerced|forced)$"}
        elif col == "last_verified":
            spec["type"] = "date"
        elif col.endswith("_json"):
            spec["format"] = "default"
            spec["description"] = "JSON array (lossless detail for re-import)"
        fields.append(spec)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def write_datapackage(items: Iterable[Initiative], path: Path, progress: Progress = _noop) -> int:
    """A folder with ``datapackage.json`` and ``initiatives.csv`` (Frictionless Data Package v1)."""
    if path.exists() and not path.is_dir():
        raise UnknownFormat(f"{path} exists and is not a folder: a data package is written as a folder")
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent if path.parent.exists() else None))
    try:
        n = write_csv(items, tmpdir / "initiatives.csv", progress)
        descriptor = {
            "name": "migmap-initiatives",
            "title": "migmap: private-sector engagement along the migration cycle",
            "description": "Initiatives mapped by migmap, tagged on the framework after Bisong and Knoll (ECDPM, 2020).",
            "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}],
            "resources": [
                {
                    "name": "initiatives",
                    "path": "initiatives.csv",
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": table_schema(),
                }
            ],
        }
        (tmpdir / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        path.mkdir(parents=True, exist_ok=True)
        for name in ("initiatives.csv", "datapackage.json"):
            os.replace(tmpdir / name, path / name)
        return n
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


WRITERS: dict[str, Callable[[Iterable[Initiative], Path, Progress], int]] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "json": write_json,
    "jsonl": write_jsonl,
    "yaml": write_yaml,
    "datapackage": write_datapackage,
}


def export_format_for(path: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in WRITERS:
            raise UnknownFormat(f"unknown export format {fmt!r}; allowed: {', '.join(EXPORT_FORMATS)}")
        return fmt
    ext = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml"}
    if path.suffix.lower() in ext:
        return ext[path.suffix.lower()]
    if path.suffix == "":
        return "datapackage"
    raise UnknownFormat(f"{path}: cannot tell the export format from the name; use --format with one of: {', '.join(EXPORT_FORMATS)}")


def write(items: Iterable[Initiative], path: str | Path, fmt: str | None = None, progress: Progress = _noop) -> int:
    path = Path(path)
    return WRITERS[export_format_for(path, fmt)](items, path, progress)
