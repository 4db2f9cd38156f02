"""A repeatable audit of the map: a seeded random sample, a checklist per record, a summary.

``draw_sample`` picks records with a seed (the same seed and map give the same sample);
``checklist`` lists each main fact of a record beside its sources, with an empty verdict for
an independent checker to fill in (``right``, ``wrong`` or ``unclear``, and a note);
``summarise`` reads a filled checklist and counts the records right on all main facts.

    >>> recs = [{"id": f"r{i}"} for i in range(10)]
    >>> [r["id"] for r in draw_sample(recs, 3, seed=7)] == [r["id"] for r in draw_sample(recs, 3, seed=7)]
    True
    >>> summarise([{"id": "a", "facts": [{"fact": "lead", "verdict": "right"}]},
    ...            {"id": "b", "facts": [{"fact": "lead", "verdict": "wrong", "note": "NGO"}]}])["right_share"]
    0.5
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

#: The facts an auditor checks on every record, each with the record fields it covers.
MAIN_FACTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("exists", ("name",)),
    ("lead is private and runs it", ("lead_actor", "actor_type", "sector")),
    ("partners", ("public_partners", "modalities")),
    ("what it does and for whom", ("description", "stages", "migrant_groups", "contributions", "business_roles")),
    ("countries", ("countries",)),
    ("start year", ("start_year",)),
    ("status", ("status", "end_year")),
)
VERDICTS = ("right", "wrong", "unclear")


def draw_sample(records: Sequence[dict[str, Any]], size: int, seed: int) -> list[dict[str, Any]]:
    """``size`` records drawn without replacement, in a stable order for a given seed."""
    ordered = sorted(records, key=lambda r: str(r.get("id")))
    return random.Random(seed).sample(ordered, min(size, len(ordered)))


def checklist(record: dict[str, Any]) -> dict[str, Any]:
    """One record's checklist: every main fact with the values to check and an empty verdict."""
    return {
        "id": record.get("id"),
        "name": record.get("name"),
        "sources": [s["url"] if isinstance(s, dict) else s for s in record.get("sources") or []],
        "facts": [{"fact": fact, "claim": {f: record.get(f) for f in fields}, "verdict": None, "note": ""} for fact, fields in MAIN_FACTS],
    }


def summarise(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts of a filled checklist: records right on every main fact, and the errors found."""
    checked = [i for i in items if all(f.get("verdict") in VERDICTS for f in i["facts"])]
    wrong = [{"id": i["id"], "fact": f["fact"], "note": f.get("note", "")} for i in checked for f in i["facts"] if f["verdict"] != "right"]
    right = sum(1 for i in checked if all(f["verdict"] == "right" for f in i["facts"]))
    return {
        "records": len(items),
        "checked": len(checked),
        "right_on_all_main_facts": right,
        "right_share": round(right / len(checked), 3) if checked else None,
        "errors": wrong,
    }
