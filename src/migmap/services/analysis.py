"""Analysis use cases: counts from the in-memory tag index fed to the analysis library.

>>> from migmap import Database
>>> db = Database("sqlite:///:memory:"); _ = db.init(bundled=False)
>>> compute_gap_map(db, rows="stages", cols="actor_type").total
0
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from migmap.analysis.bias import BREAKDOWNS, FunderBias, build_bias
from migmap.analysis.curation import Verification
from migmap.analysis.dimensions import check_dimension
from migmap.analysis.gapmap import GapMap, build_gap_map
from migmap.analysis.gaps import GapReport, find_gaps
from migmap.analysis.geography import Geography, geography
from migmap.analysis.network import ActorNetwork, actor_network
from migmap.analysis.searches import SearchLog, load_search_log
from migmap.analysis.trends import Trends, build_trends
from migmap.domain.errors import MigmapError
from migmap.domain.filters import Filters
from migmap.reports.content import ReportData

from .database import Database


class ReportFormatError(MigmapError):
    """A report was asked for in a format or place that cannot be written."""

    exit_code = 2


def _f(filters: Filters | dict | None) -> Filters:
    if filters is None:
        return Filters()
    if isinstance(filters, Filters):
        return filters
    return Filters.model_validate(filters)


def compute_gap_map(
    db: Database,
    rows: str = "stages",
    cols: str = "actor_type",
    filters: Filters | dict | None = None,
    with_ids: bool = True,
) -> GapMap:
    """The gap map of a slice, counted on the tag index.

    ``with_ids=False`` skips listing the initiative ids of each cell (faster on large maps;
    cells then carry empty id lists)."""
    check_dimension(rows, "rows")
    check_dimension(cols, "cols")
    f = _f(filters)
    index = db.index()
    counts, row_totals, col_totals, total = index.crosstab(rows, cols, f, db.text_ids)
    pairs: dict = index.crosstab_ids(rows, cols, f, db.text_ids) if with_ids else counts
    return build_gap_map(rows, cols, pairs, row_totals, col_totals, total, f)


def compute_verification(db: Database, filters: Filters | dict | None = None) -> Verification:
    """How many records in the slice were verified, and when."""
    v = db.index().verification(_f(filters), db.text_ids)
    return Verification(v["total"], v["verified"], v["oldest"], v["newest"])


def compute_gaps(
    db: Database,
    rows: str = "stages",
    cols: str = "actor_type",
    filters: Filters | dict | None = None,
    thin: int = 2,
    z: float = -2.0,
    limit: int | None = None,
    min_expected: float = 1.0,
) -> GapReport:
    """Empty, thin and below-expectation cells of the gap map, ranked, with the curation note."""
    f = _f(filters)
    gm = compute_gap_map(db, rows, cols, f, with_ids=False)
    return find_gaps(gm, compute_verification(db, f), search_log_for(db), thin=thin, z=z, limit=limit, min_expected=min_expected)


def search_log_for(db: Database) -> SearchLog | None:
    """The bundled map's search record, when this database holds the bundled map (a record it included)."""
    log = bundled_search_log()
    ids = log.included_ids()
    if not ids:
        return None
    return log if len(db.index().positions(sorted(ids))) else None


@lru_cache(maxsize=1)
def bundled_search_log() -> SearchLog:
    """The bundled search record, read once per process (it ships with the package)."""
    return load_search_log()


def compute_bias(db: Database, filters: Filters | dict | None = None) -> FunderBias:
    """Funder-only shares overall and by stage, actor type, sector, public partner and start year."""
    f = _f(filters)
    counts = db.index().funding_only_counts(BREAKDOWNS, f, db.text_ids)
    overall = counts.pop("all", {}).get("all", (0, 0))
    by = {dim: counts.get(dim, {}) for dim in BREAKDOWNS}
    mix = compute_gap_map(db, "stages", "contributions", f, with_ids=False)
    return build_bias(overall, by, mix, f)


def compute_network(db: Database, filters: Filters | dict | None = None) -> ActorNetwork:
    """The actor network of the slice."""
    f = _f(filters)
    return actor_network(db.iterate(f), f)


def compute_geography(db: Database, filters: Filters | dict | None = None) -> Geography:
    """Initiatives per country and corridor, by stage."""
    f = _f(filters)
    return geography(db.iterate(f), f)


def compute_trends(db: Database, dimension: str = "stages", filters: Filters | dict | None = None) -> Trends:
    """Initiatives started per year by code of ``dimension``."""
    check_dimension(dimension)
    f = _f(filters)
    index = db.index()
    counts = index.starts_by_year(dimension, f, db.text_ids)
    per_year = index.starts_per_year(f, db.text_ids)
    undated = per_year.pop(None, 0)
    return build_trends(counts, dimension, per_year, undated, f)


def build_report_data(
    db: Database,
    filters: Filters | dict | None = None,
    title: str | None = None,
    rows: str = "stages",
    cols: str = "actor_type",
    charts: bool = True,
) -> ReportData:
    """Compute every analysis of the slice (and its charts) for a report."""
    from migmap import charts as ch

    f = _f(filters)
    gm = compute_gap_map(db, rows, cols, f, with_ids=False)
    items = list(db.iterate(f))
    data = ReportData(
        title=title or ("Private-sector engagement along the migration cycle" + ("" if f.is_empty() else f": {f.describe()}")),
        filters=f,
        gap_map=gm,
        gaps=find_gaps(gm, Verification.from_items(items), search_log_for(db)),
        bias=compute_bias(db, f),
        geography=geography(items, f),
        network=actor_network(items, f),
        trends=compute_trends(db, "stages", f),
        initiatives=sorted(items, key=lambda i: i.name.casefold()),
    )
    if charts and not data.is_empty:
        data.charts = {
            "gap_map": ch.heatmap(gm),
            "contribution_mix": ch.contribution_mix(data.bias),
            "funder_share": ch.funder_share(data.bias),
            "choropleth": ch.choropleth(data.geography),
            "network": ch.network_picture(data.network),
            "timeline": ch.timeline(data.trends),
        }
    return data


def write_report(
    db: Database,
    output: str | Path,
    fmt: str | None = None,
    filters: Filters | dict | None = None,
    title: str | None = None,
    progress: Any = None,
) -> Path:
    """Write the report of a slice to ``output`` as html, pdf or md (by ``fmt`` or the suffix)."""
    from migmap.reports import FORMATS
    from migmap.reports.html import chart_images, render_html
    from migmap.reports.markdown import render_markdown
    from migmap.reports.pdf import write_pdf

    output = Path(output)
    fmt = (fmt or output.suffix.lstrip(".")).lower()
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise ReportFormatError(f"cannot write a report as {fmt!r} ({output}); use --format html, pdf or md")
    if not output.parent.exists():
        raise ReportFormatError(f"cannot write {output}: the folder {output.parent} does not exist")
    data = build_report_data(db, filters, title)
    if fmt == "md":
        return render_markdown(data, output, progress)
    images = chart_images(data, progress)
    if fmt == "pdf":
        return write_pdf(data, output, images)
    output.write_text(render_html(data, images=images), encoding="utf-8")
    return output
