"""Flat (spreadsheet) and nested (JSON) forms of an initiative record.

Spreadsheets hold one initiative per row. Multi-valued cells are ``;``-separated: codes,
source URLs, and countries as ISO alpha-3 codes optionally suffixed ``:origin``,
``:transit``, ``:destination`` or ``:global``. Two optional columns keep what a flat
cell cannot hold, so that an export re-imports losslessly:

* ``actors_json`` – the full list of actors as a JSON array;
* ``sources_json`` – the sources with title, publisher and date accessed as a JSON array.

Without them, ``partners`` (``;``-separated names) and ``sources`` (URLs) are used.
"""

from __future__ import annotations

import json
import re
from typing import Any

from migmap.domain.models import INITIATIVE_FIELDS, Initiative
from migmap.framework import MULTI_DIMENSIONS, REQUIRED_MULTI, SINGLE_DIMENSIONS

#: Columns of a CSV or XLSX export, in order.
FLAT_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "description",
    "lead_actor",
    "actor_type",
    "sector",
    *MULTI_DIMENSIONS,
    "countries",
    "start_year",
    "end_year",
    "status",
    "return_type",
    "sources",
    "last_verified",
    "partners",
    "actors_json",
    "sources_json",
)

#: Columns a spreadsheet must have.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "name",
    "description",
    "lead_actor",
    *SINGLE_DIMENSIONS,
    *REQUIRED_MULTI,
    "countries",
    "start_year",
    "sources",
)

#: Fields of an exported record that are set by the database and ignored on import.
READ_ONLY_FIELDS = frozenset({"version", "curation_state", "created_at", "updated_at", "tag_origins"})

#: Every field a nested (JSON, JSONL, YAML) record may carry.
NESTED_FIELDS = frozenset(INITIATIVE_FIELDS)


def _join(values: list[str]) -> str:
    return "; ".join(values)


def flatten(item: Initiative) -> dict[str, Any]:
    """One initiative as a spreadsheet row (strings and integers)."""
    rec = item.record()
    row: dict[str, Any] = {
        "id": rec["id"],
        "name": rec["name"],
        "description": rec["description"],
        "lead_actor": rec["lead_actor"],
        "actor_type": rec["actor_type"],
        "sector": rec["sector"],
    }
    for dim in MULTI_DIMENSIONS:
        row[dim] = _join(rec[dim])
    row["countries"] = _join([f"{c['code']}:{c['role']}" for c in rec["countries"]])
    row["start_year"] = rec["start_year"]
    row["end_year"] = rec["end_year"]
    row["status"] = rec["status"]
    row["return_type"] = rec["return_type"] or ""
    row["sources"] = _join([s["url"] for s in rec["sources"]])
    row["last_verified"] = rec["last_verified"] or ""
    row["partners"] = _join([a["name"] for a in rec["actors"] if a["role"] != "lead"])
    row["actors_json"] = json.dumps(rec["actors"], ensure_ascii=False, separators=(",", ":"))
    row["sources_json"] = json.dumps(rec["sources"], ensure_ascii=False, separators=(",", ":"))
    return {k: ("" if v is None else v) for k, v in row.items()}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_INTEGER = re.compile(r"-?[0-9]+")


def _year(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        v = value.strip()
        if v.endswith(".0"):
            v = v[:-2] if _INTEGER.fullmatch(v[:-2]) else v
        return int(v) if _INTEGER.fullmatch(v) else v  # "²" is a digit to str.isdigit, not to int()
    return value


def unflatten(row: dict[str, Any]) -> dict[str, Any]:
    """A spreadsheet row as a nested record ready for validation (unknown columns dropped)."""
    rec: dict[str, Any] = {}
    for key in ("id", "name", "description", "lead_actor", "actor_type", "sector", "status", "return_type", "last_verified"):
        if key in row and not _blank(row[key]):
            value = row[key]
            rec[key] = value.strip() if isinstance(value, str) else value
    for dim in MULTI_DIMENSIONS:
        if dim in row:
            rec[dim] = "" if _blank(row[dim]) else row[dim]
    if "countries" in row:
        rec["countries"] = "" if _blank(row["countries"]) else row["countries"]
    for key in ("start_year", "end_year"):
        if key in row and not _blank(row[key]):
            rec[key] = _year(row[key])
    if not _blank(row.get("sources_json")):
        rec["sources"] = json.loads(row["sources_json"])
    elif "sources" in row:
        rec["sources"] = "" if _blank(row["sources"]) else row["sources"]
    if not _blank(row.get("actors_json")):
        rec["actors"] = json.loads(row["actors_json"])
    elif not _blank(row.get("partners")):
        rec["actors"] = [{"name": n.strip(), "kind": "private", "role": "partner"} for n in str(row["partners"]).split(";") if n.strip()]
    if "status" not in rec:
        rec["status"] = "unknown"
    return rec


def unknown_columns(columns: list[str]) -> list[str]:
    known = set(FLAT_COLUMNS) | READ_ONLY_FIELDS
    return [c for c in columns if c and c not in known]


def unknown_fields(record: dict[str, Any]) -> list[str]:
    return [k for k in record if k not in NESTED_FIELDS and k not in READ_ONLY_FIELDS]
