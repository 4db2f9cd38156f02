"""Page contexts: the data of each page as plain objects, shared by the HTML page and its JSON twin.

>>> from migmap import Database
>>> db = Database("sqlite:///:memory:"); _ = db.init(bundled=False)
>>> home(db, stale_after_days=730)["figures"]["initiatives"]
0
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from migmap.domain.filters import Filters
from migmap.domain.models import Initiative
from migmap.framework import TAG_DIMENSIONS, load_framework
from migmap.services import Database
from migmap.services.analysis import compute_bias, compute_gap_map
from migmap.store import lookups

from .cache import TTLCache

INTRO = (
    "migmap maps how private actors (companies, business associations, foundations, investors and "
    "social enterprises) engage with migrants along the migration cycle, following the ECDPM report "
    "by Bisong and Knoll (2020). Each initiative is tagged by stage, contribution, business role, actor "
    "type, sector, migrant group, modality, public partner, theme and goal, so that donors, governments "
    "and organisations can see who already does what, where, and where the gaps are."
)


def brief(item: Initiative) -> dict[str, Any]:
    """The fields a list row shows."""
    return {
        "id": item.id,
        "name": item.name,
        "lead_actor": item.lead_actor,
        "actor_type": item.actor_type,
        "stages": item.stages,
        "countries": [c.code for c in item.countries],
        "start_year": item.start_year,
        "status": item.status,
        "last_verified": item.last_verified.isoformat() if item.last_verified else None,
        "curation_state": item.curation_state,
    }


def shades(gm: Any) -> dict[tuple[str, str], int]:
    """Shade level 0-5 of every cell of a gap map (0 = empty, 5 = the fullest cells)."""
    top = max((c.count for c in gm.cells), default=0)
    return {(c.row, c.col): (0 if c.count <= 0 or top <= 0 else min(5, 1 + int(4 * c.count / top))) for c in gm.cells}


def stale_before(stale_after_days: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=stale_after_days)


def home(db: Database, stale_after_days: int, cache: TTLCache | None = None) -> dict[str, Any]:
    fw = load_framework()
    stage_counts = db.tag_counts("stages")
    stats = db.stats()
    gm = compute_gap_map(db, rows="stages", cols="actor_type", with_ids=False)
    with db.reading() as repo:
        n_stale, stale_ids = lookups.stale(repo, stale_before(stale_after_days), limit=8)
        countries = lookups.country_counts(repo)
        stale_items = repo.get_many(stale_ids)
    recent = db.list(order="updated", limit=8)
    return {
        "intro": INTRO,
        "stages": [{"code": c.code, "label": c.label, "definition": c.definition, "count": stage_counts.get(c.code, 0)} for c in fw["stages"].entries],
        "figures": {
            "initiatives": gm.total,
            "actors": stats["actors"],
            "countries": len(countries),
            "sources": stats["sources"],
            "proposed": stats["by_curation_state"].get("proposed", 0),
            "stale": n_stale,
        },
        "gapmap": gm,
        "gap_shade": shades(gm),
        "bias_finding": (cache or TTLCache(0)).get_or_compute(("bias-finding",), lambda: compute_bias(db).finding),
        "recent": recent,
        "stale": stale_items,
        "stale_after_days": stale_after_days,
    }


def similar(db: Database, item: Initiative, limit: int = 5) -> list[tuple[Initiative, float]]:
    """Initiatives sharing the most tags with ``item`` (Jaccard over all tag codes), best first.

    Candidates share a stage and a theme with it (or, failing that, a stage)."""
    with db.reading() as repo:
        found = lookups.similar(repo, item.id, Filters(stages=item.stages, themes=item.themes), limit=limit)
        if not found:
            found = lookups.similar(repo, item.id, Filters(stages=item.stages), limit=limit)
        items = {i.id: i for i in repo.get_many([i for i, _ in found])}
    return [(items[i], s) for i, s in found if i in items]


def tag_table(item: Initiative) -> list[dict[str, Any]]:
    """Every tag dimension with codes, labels and who set it (human, tagger or import)."""
    fw = load_framework()
    out = []
    for dim in TAG_DIMENSIONS:
        out.append(
            {
                "dimension": dim,
                "label": fw[dim].label,
                "codes": [{"code": c, "label": fw.label(dim, c)} for c in item.tags(dim)],
                "origin": item.tag_origins.get(dim, "import"),
            }
        )
    return out
