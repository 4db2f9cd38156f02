"""Readers for CSV, XLSX, JSON, JSONL, YAML and Frictionless data packages.

Every reader returns raw records with their location (file and row) and every problem
it found, never raising on bad input. Rows are numbered as a person sees them: in a
spreadsheet the header is row 1, so the first record is row 2; in JSON and YAML lists
the first record is 1; in JSONL the row is the line number.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from migmap.domain.errors import Problem, UnknownFormat

from .records import REQUIRED_COLUMNS, unflatten, unknown_columns, unknown_fields

FORMATS = ("csv", "xlsx", "json", "jsonl", "yaml", "datapackage")
_EXT = {
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".yaml": "yaml",
    ".yml": "yaml",
}

csv.field_size_limit(64 * 1024 * 1024)


@dataclass
class RawRecord:
    file: str
    row: int
    data: dict[str, Any]


@dataclass
class ReadResult:
    records: list[RawRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def extend(self, other: ReadResult) -> None:
        self.records.extend(other.records)
        self.problems.extend(other.problems)
        self.warnings.extend(other.warnings)


def detect_format(path: Path) -> str:
    if path.is_dir() and (path / "datapackage.json").exists():
        return "datapackage"
    if path.name == "datapackage.json":
        return "datapackage"
    fmt = _EXT.get(path.suffix.lower())
    if fmt is None:
        raise UnknownFormat(f"{path}: cannot tell the format from the name; use --format with one of: {', '.join(FORMATS)}")
    return fmt


def read_path(path: str | Path, fmt: str | None = None) -> ReadResult:
    """Read one file (or data package folder) into raw records and located problems."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        return ReadResult(problems=[Problem("", "file not found", file=name)])
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise UnknownFormat(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")
    reader: Callable[[Path], ReadResult] = {
        "csv": read_csv,
        "xlsx": read_xlsx,
        "json": read_json,
        "jsonl": read_jsonl,
        "yaml": read_yaml,
        "datapackage": read_datapackage,
    }[fmt]
    try:
        return reader(path)
    except UnicodeDecodeError as exc:
        return ReadResult(problems=[Problem("", f"not UTF-8 text (byte {exc.start}): save the file as UTF-8 and try again", file=name)])
    except IsADirectoryError:
        return ReadResult(problems=[Problem("", "is a folder, not a file", file=name)])
    except PermissionError:
        return ReadResult(problems=[Problem("", "cannot read the file: permission denied", file=name)])


def _rows_to_records(name: str, header: list[str], rows: Iterator[tuple[int, list[Any]]]) -> ReadResult:
    result = ReadResult()
    header = [str(h).strip() if h is not None else "" for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        result.problems.append(
            Problem("", f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} (the header row must name them)", file=name, row=1)
        )
        return result
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        result.problems.append(Problem("", f"column{'s' if len(dupes) > 1 else ''} named twice: {', '.join(dupes)}", file=name, row=1))
        return result
    extra = unknown_columns(header)
    if extra:
        result.warnings.append(f"{name}: unknown column{'s' if len(extra) > 1 else ''} ignored: {', '.join(extra)}")
    for rownum, values in rows:
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue  # blank line
        if len(values) > len(header) and any(str(v).strip() for v in values[len(header) :] if v is not None):
            result.problems.append(Problem("", f"{len(values)} cells but only {len(header)} columns in the header", file=name, row=rownum))
            continue
        row = {h: (values[i] if i < len(values) else None) for i, h in enumerate(header) if h}
        try:
            result.records.append(RawRecord(name, rownum, unflatten(row)))
        except json.JSONDecodeError as exc:
            col = "actors_json" if _bad_json(row.get("actors_json")) else "sources_json"
            result.problems.append(Problem(col, f"not valid JSON ({exc.msg} at character {exc.pos})", file=name, row=rownum))
    return result


def _bad_json(value: Any) -> bool:
    if value in (None, ""):
        return False
    try:
        json.loads(value)
        return False
    except json.JSONDecodeError:
        return True


def read_csv(path: Path) -> ReadResult:
    name = str(path)
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(64 * 1024)
        fh.seek(0)
        if "\x00" in sample:
            return ReadResult(problems=[Problem("", "not a text file (contains NUL bytes): export it as CSV UTF-8", file=name)])
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return ReadResult(problems=[Problem("", "the file is empty", file=name)])
        except csv.Error as exc:
            return ReadResult(problems=[Problem("", f"not a readable CSV file: {exc}", file=name, row=1)])

        def rows() -> Iterator[tuple[int, list[Any]]]:
            rownum = 1
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                rownum += 1
                yield rownum, values

        try:
            return _rows_to_records(name, header, rows())
        except csv.Error as exc:
            return ReadResult(problems=[Problem("", f"not a readable CSV file: {exc}", file=name, row=reader.line_num)])


def read_xlsx(path: Path) -> ReadResult:
    import openpyxl

    name = str(path)
    if not zipfile.is_zipfile(path):
        return ReadResult(problems=[Problem("", "not a valid XLSX file (it is not a zip archive): save it again as .xlsx", file=name)])
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        return ReadResult(problems=[Problem("", f"not a valid XLSX file ({type(exc).__name__}): save it again as .xlsx", file=name)])
    try:
        ws = wb["initiatives"] if "initiatives" in wb.sheetnames else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        try:
            header = [h for h in next(it)]
        except StopIteration:
            return ReadResult(problems=[Problem("", "the sheet is empty", file=name)])
        while header and header[-1] in (None, ""):
            header.pop()
        return _rows_to_records(name, header, ((i, list(r)) for i, r in enumerate(it, start=2)))
    finally:
        wb.close()


def _nested(name: str, items: Any, first_row: int = 1) -> ReadResult:
    result = ReadResult()
    if isinstance(items, dict) and isinstance(items.get("initiatives"), list):
        items = items["initiatives"]
    if not isinstance(items, list):
        result.problems.append(Problem("", 'expected a list of records or {"initiatives": [...]}', file=name))
        return result
    unknown: set[str] = set()
    for i, item in enumerate(items, start=first_row):
        if not isinstance(item, dict):
            result.problems.append(Problem("", f"expected a record (an object with fields), got {type(item).__name__}", file=name, row=i))
            continue
        unknown.update(unknown_fields(item))
        result.records.append(RawRecord(name, i, _clean_nested(item)))
    if unknown:
        result.warnings.append(f"{name}: unknown field{'s' if len(unknown) > 1 else ''} ignored: {', '.join(sorted(unknown))}")
    return result


def _clean_nested(item: dict[str, Any]) -> dict[str, Any]:
    from .records import NESTED_FIELDS

    return {k: v for k, v in item.items() if k in NESTED_FIELDS}


def read_json(path: Path) -> ReadResult:
    name = str(path)
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        return ReadResult(problems=[Problem("", "the file is empty", file=name)])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return ReadResult(problems=[Problem("", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=name, row=exc.lineno)])
    return _nested(name, data)


def read_jsonl(path: Path) -> ReadResult:
    name = str(path)
    result = ReadResult()
    unknown: set[str] = set()
    with path.open("r", encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                result.problems.append(Problem("", f"invalid JSON: {exc.msg} at column {exc.colno}", file=name, row=lineno))
                continue
            if not isinstance(item, dict):
                result.problems.append(Problem("", f"expected a JSON object, got {type(item).__name__}", file=name, row=lineno))
                continue
            unknown.update(unknown_fields(item))
            result.records.append(RawRecord(name, lineno, _clean_nested(item)))
    if unknown:
        result.warnings.append(f"{name}: unknown field{'s' if len(unknown) > 1 else ''} ignored: {', '.join(sorted(unknown))}")
    if not result.records and not result.problems:
        result.problems.append(Problem("", "the file is empty", file=name))
    return result


def read_yaml(path: Path) -> ReadResult:
    name = str(path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return ReadResult(problems=[Problem("", f"invalid YAML: {getattr(exc, 'problem', exc)}", file=name, row=line)])
    if data is None:
        return ReadResult(problems=[Problem("", "the file is empty", file=name)])
    return _nested(name, data)


def read_datapackage(path: Path) -> ReadResult:
    descriptor = path / "datapackage.json" if path.is_dir() else path
    name = str(descriptor)
    try:
        pkg = json.loads(descriptor.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return ReadResult(problems=[Problem("", f"invalid JSON at line {exc.lineno}: {exc.msg}", file=name, row=exc.lineno)])
    resources = pkg.get("resources") if isinstance(pkg, dict) else None
    if not isinstance(resources, list) or not resources:
        return ReadResult(problems=[Problem("resources", "a data package needs a list of resources", file=name)])
    chosen = next((r for r in resources if isinstance(r, dict) and r.get("name") == "initiatives"), resources[0])
    rel = chosen.get("path") if isinstance(chosen, dict) else None
    if not isinstance(rel, str) or ".." in Path(rel).parts or Path(rel).is_absolute():
        return ReadResult(problems=[Problem("resources", "the initiatives resource needs a relative 'path' inside the package", file=name)])
    data_path = descriptor.parent / rel
    fmt = detect_format(data_path)
    if fmt not in ("csv", "json", "jsonl"):
        return ReadResult(problems=[Problem("resources", f"unsupported resource format {fmt}", file=name)])
    return read_path(data_path, fmt)
