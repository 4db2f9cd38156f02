"""SQL aggregations for the analysis layer: cross-tabs, funder-only counts, curation dates.

Every function takes an :class:`InitiativeRepository` and returns plain Python values,
so the analysis package never sees SQLAlchemy. Tags of all ten dimensions live in
``initiative_tags``; a cross-tab of two dimensions is one self-join of that table.

Speed on large maps comes from :func:`slice_select`: the slice is driven from the
tag index of the most selective filtered dimension, the other tag filters are
``EXISTS`` probes on the tag table's primary key, and the remaining filters
(curation state, actor type, country, year, text ...) are the repository's own
``filtered()`` conditions, correlated on the initiative's primary key. Each aggregation
is then one statement over ``WITH slice AS MATERIALIZED (...)``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, func, literal, null, select, union_all
from sqlalchemy.orm import aliased

from migmap.domain.filters import TAG_FILTERS, Filters
from migmap.framework import MULTI_DIMENSIONS, SINGLE_DIMENSIONS, load_framework

from .repository import InitiativeRepository
from .tables import InitiativeRow, TagRow


def slice_select(repo: InitiativeRepository, filters: Filters | None = None):
    """A SELECT of distinct initiative ids (column ``id``) in the slice; same rows as ``repo.filtered``."""
    f = filters or Filters()
    fw = load_framework()
    multi = [(field, TAG_FILTERS[field], codes) for field in TAG_FILTERS if TAG_FILTERS[field] in MULTI_DIMENSIONS and (codes := getattr(f, field))]
    if not multi:
        return repo.filtered(f)
    # drive from the filter expected to keep the fewest initiatives (fewest codes of its dimension)
    multi.sort(key=lambda m: (len(m[2]) / len(fw[m[1]].codes), len(m[2])))
    _, dim0, codes0 = multi[0]
    rest = f.model_copy(update={field: [] for field, _, _ in multi})
    d = aliased(TagRow, name="driver")
    conds = [d.dimension == dim0, d.code.in_(codes0) if len(codes0) > 1 else d.code == codes0[0]]
    for _, dim, codes in multi[1:]:
        t = aliased(TagRow)
        conds.append(exists().where(t.initiative_id == d.initiative_id, t.dimension == dim, t.code.in_(codes)))
    base = repo.filtered(rest).where(InitiativeRow.id == d.initiative_id)
    conds.append(exists(base))
    stmt = select(d.initiative_id.label("id")).where(*conds)
    return stmt.distinct() if len(codes0) > 1 else stmt


def _slice_cte(repo: InitiativeRepository, filters: Filters | None):
    return slice_select(repo, filters).cte("slice").prefix_with("MATERIALIZED")


def _null_str():
    return cast(null(), String)


def crosstab_all(
    repo: InitiativeRepository, rows: str, cols: str, filters: Filters | None = None
) -> tuple[dict[tuple[str, str], int], dict[str, int], dict[str, int], int]:
    """Pair counts, row totals, column totals and the slice total, in one statement."""
    s = _slice_cte(repo, filters)
    a, b = aliased(TagRow), aliased(TagRow)
    ja = and_(a.initiative_id == s.c.id, a.dimension == rows)
    jb = and_(b.initiative_id == s.c.id, b.dimension == cols)
    n = func.count().label("n")
    single = set(SINGLE_DIMENSIONS)
    parts = [
        select(literal("x").label("k"), a.code.label("r"), b.code.label("c"), n).select_from(s.join(a, ja).join(b, jb)).group_by(a.code, b.code),
        select(literal("t"), _null_str(), _null_str(), func.count()).select_from(s),
    ]
    # a margin is the sum of the pairs when the other dimension has exactly one code per initiative
    if cols not in single or rows == cols:
        parts.append(select(literal("r"), a.code, _null_str(), func.count()).select_from(s.join(a, ja)).group_by(a.code))
    if rows not in single or rows == cols:
        parts.append(select(literal("c"), _null_str(), b.code, func.count()).select_from(s.join(b, jb)).group_by(b.code))
    pairs: dict[tuple[str, str], int] = {}
    row_totals: dict[str, int] = {}
    col_totals: dict[str, int] = {}
    total = 0
    for kind, r, c, k in repo.session.execute(union_all(*parts)):
        if kind == "x":
            pairs[(r, c)] = int(k)
        elif kind == "r":
            row_totals[r] = int(k)
        elif kind == "c":
            col_totals[c] = int(k)
        else:
            total = int(k)
    if cols in single and rows != cols:
        for (r, _), k in pairs.items():
            row_totals[r] = row_totals.get(r, 0) + k
    if rows in single and rows != cols:
        for (_, c), k in pairs.items():
            col_totals[c] = col_totals.get(c, 0) + k
    return pairs, row_totals, col_totals, total


def crosstab_ids(repo: InitiativeRepository, rows: str, cols: str, filters: Filters | None = None) -> dict[tuple[str, str], list[str]]:
    """(row code, col code) -> sorted ids of the initiatives in that cell."""
    s = _slice_cte(repo, filters)
    a, b = aliased(TagRow), aliased(TagRow)
    stmt = select(a.code, b.code, s.c.id).select_from(
        s.join(a, and_(a.initiative_id == s.c.id, a.dimension == rows)).join(b, and_(b.initiative_id == s.c.id, b.dimension == cols))
    )
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r, c, iid in repo.session.execute(stmt):
        out[(r, c)].append(iid)
    return {k: sorted(v) for k, v in out.items()}


def margin_counts(repo: InitiativeRepository, dimension: str, filters: Filters | None) -> dict[str, int]:
    """Distinct initiatives per code of ``dimension`` within the slice."""
    s = _slice_cte(repo, filters)
    t = aliased(TagRow)
    stmt = select(t.code, func.count()).select_from(s.join(t, and_(t.initiative_id == s.c.id, t.dimension == dimension))).group_by(t.code)
    return {code: int(n) for code, n in repo.session.execute(stmt)}


def funding_only_counts(repo: InitiativeRepository, dimensions: tuple[str, ...], filters: Filters | None = None) -> dict[str, dict[Any, tuple[int, int]]]:
    """(initiatives, of which funding-only) overall (key ``"all"``), per code of each dimension and per start year.

    An initiative is funding-only when ``funding`` is its one and only contribution."""
    s = _slice_cte(repo, filters)
    fund, other = aliased(TagRow), aliased(TagRow)
    is_fo = and_(
        exists().where(fund.initiative_id == s.c.id, fund.dimension == "contributions", fund.code == "funding"),
        ~exists().where(other.initiative_id == s.c.id, other.dimension == "contributions", other.code != "funding"),
    )
    flags = select(s.c.id.label("id"), case((is_fo, 1), else_=0).label("fo")).cte("flags").prefix_with("MATERIALIZED")
    k = func.coalesce(func.sum(flags.c.fo), 0)
    parts = [select(literal("all").label("dim"), _null_str().label("code"), func.count().label("n"), k.label("k")).select_from(flags)]
    for dim in dimensions:
        if dim == "start_year":
            y = InitiativeRow.start_year
            parts.append(
                select(literal("start_year"), cast(y, String), func.count(), k)
                .select_from(flags.join(InitiativeRow, InitiativeRow.id == flags.c.id))
                .where(y.is_not(None))
                .group_by(y)
            )
        else:
            t = aliased(TagRow)
            parts.append(
                select(literal(dim), t.code, func.count(), k)
                .select_from(flags.join(t, and_(t.initiative_id == flags.c.id, t.dimension == dim)))
                .group_by(t.code)
            )
    out: dict[str, dict[Any, tuple[int, int]]] = defaultdict(dict)
    for dim, code, n, kk in repo.session.execute(union_all(*parts)):
        key: Any = int(code) if dim == "start_year" else code
        out[dim]["all" if dim == "all" else key] = (int(n), int(kk))
    for dim in dimensions:
        out.setdefault(dim, {})
    return dict(out)


def verification(repo: InitiativeRepository, filters: Filters | None = None) -> dict[str, Any]:
    """How many records of the slice were verified, and the oldest and newest verification dates."""
    s = _slice_cte(repo, filters)
    lv = InitiativeRow.last_verified
    stmt = select(func.count(), func.count(lv), func.min(lv), func.max(lv)).select_from(s.join(InitiativeRow, InitiativeRow.id == s.c.id))
    n, verified, oldest, newest = repo.session.execute(stmt).one()

    def _date(v: Any) -> dt.date | None:
        if v is None or isinstance(v, dt.date):
            return v
        return dt.date.fromisoformat(str(v)[:10])

    return {"total": int(n), "verified": int(verified), "oldest": _date(oldest), "newest": _date(newest)}


def starts_by_year(repo: InitiativeRepository, dimension: str = "stages", filters: Filters | None = None) -> dict[tuple[int, str], int]:
    """(start year, code of ``dimension``) -> initiatives of the slice started that year."""
    s = _slice_cte(repo, filters)
    t = aliased(TagRow)
    y = InitiativeRow.start_year
    stmt = (
        select(y, t.code, func.count())
        .select_from(s.join(InitiativeRow, InitiativeRow.id == s.c.id).join(t, and_(t.initiative_id == s.c.id, t.dimension == dimension)))
        .where(y.is_not(None))
        .group_by(y, t.code)
    )
    return {(int(yy), c): int(n) for yy, c, n in repo.session.execute(stmt)}


def starts_per_year(repo: InitiativeRepository, filters: Filters | None = None) -> dict[int | None, int]:
    """Start year (None for undated) -> initiatives of the slice."""
    s = _slice_cte(repo, filters)
    y = InitiativeRow.start_year
    stmt = select(y, func.count()).select_from(s.join(InitiativeRow, InitiativeRow.id == s.c.id)).group_by(y)
    return {(int(yy) if yy is not None else None): int(n) for yy, n in repo.session.execute(stmt)}
