"""Bulk reads that feed the in-memory tag index (:mod:`migmap.query.index`).

Each read returns a :class:`~migmap.query.index.Columns` batch: the analysis columns of
initiatives, their tags numbered per dimension, and their countries. A whole map is read in
two sequential scans per table; on a large map the id range is split between worker
processes (one per core), since reading and parsing a million tag lists is what costs.
A handful of changed initiatives is read by id.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection, Engine

from migmap.framework import load_framework
from migmap.query.index import Columns, days, numbered, years

#: Revisions re-read before the last known one on a refresh: a PostgreSQL transaction can
#: commit a revision whose id is lower than one already seen, and re-reading is harmless.
OVERLAP = 1000
#: Maps at least this large are read by several processes.
PARALLEL_FROM = 100_000

_INITIATIVES = "SELECT id, curation_state, status, start_year, end_year, last_verified FROM initiatives {where} ORDER BY id"
_AGG = {"sqlite": "group_concat(dimension || '=' || code, ' ')", "postgresql": "string_agg(dimension || '=' || code, ' ' ORDER BY dimension, code)"}
_TAGS = "SELECT initiative_id, {agg} FROM initiative_tags {where} GROUP BY initiative_id ORDER BY initiative_id"
_COUNTRIES = "SELECT initiative_id, code FROM initiative_countries {where}"


def stamp(conn: Connection) -> int | None:
    """The newest revision id: it changes with every write, from any process."""
    return conn.execute(text("SELECT MAX(id) FROM revisions")).scalar()


def count(conn: Connection) -> int:
    """How many initiatives the database holds (every curation state)."""
    return int(conn.execute(text("SELECT COUNT(*) FROM initiatives")).scalar_one())


def changed_since(conn: Connection, since: int | None) -> tuple[int | None, list[str]]:
    """(the newest revision id, ids of initiatives written after ``since`` or a little before)."""
    newest = stamp(conn)
    if newest == since:
        return newest, []
    low = -1 if since is None else since - OVERLAP
    rows = conn.execute(text("SELECT DISTINCT initiative_id FROM revisions WHERE id > :low"), {"low": low})
    return newest, [r[0] for r in rows]


def _columns(rows: Sequence[Any], tag_rows: Iterable[tuple[str, str]], country_rows: Sequence[Any]) -> Columns:
    """Parse aggregated tag strings (``dim=code dim=code ...``, sorted by dimension) into numbered keys.

    Each initiative's key in a dimension is numbered as soon as it is read, so no list of keys
    per initiative is ever held; the scalar columns leave as the index's small numbers."""
    fw = load_framework()
    n = len(rows)
    position = {r[0]: i for i, r in enumerate(rows)}
    combos: dict[str, np.ndarray] = {}
    numbers: dict[str, dict[str, int]] = {}

    def put(dim: str, i: int, key: str) -> None:
        number = numbers.get(dim)
        if number is None:
            number, combos[dim] = numbers.setdefault(dim, {"": 0}), np.zeros(n, dtype=np.int32)
        k = number.get(key)
        if k is None:
            k = number[key] = len(number)
        combos[dim][i] = k

    for iid, tags in tag_rows:
        i = position.get(iid)
        if i is None or not tags:
            continue
        dim, codes = None, []
        for token in tags.split(" "):
            d, _, code = token.partition("=")
            if d != dim:
                if dim is not None:
                    put(dim, i, ",".join(codes))
                dim, codes = d, []
            codes.append(code)
        if dim is not None:
            put(dim, i, ",".join(codes))
    return Columns(
        ids=[r[0] for r in rows],
        state=numbered([r[1] for r in rows], fw.codes("curation_state")),
        status=numbered([r[2] for r in rows], fw.codes("status")),
        start_year=years([r[3] for r in rows]),
        end_year=years([r[4] for r in rows]),
        last_verified=days([r[5] for r in rows]),
        tags={dim: (combos[dim], list(numbers[dim])) for dim in combos},
        countries=[(a, b) for a, b in country_rows],
    )


def _read_range(conn: Connection, low: str | None, high: str | None) -> Columns:
    conds, params = [], {}
    if low is not None:
        conds.append("{col} >= :low")
        params["low"] = low
    if high is not None:
        conds.append("{col} < :high")
        params["high"] = high
    where = ("WHERE " + " AND ".join(conds)) if conds else ""
    agg = _AGG.get(conn.dialect.name, _AGG["postgresql"])
    rows = conn.execute(text(_INITIATIVES.format(where=where.format(col="id"))), params).all()
    tags = conn.execute(text(_TAGS.format(agg=agg, where=where.format(col="initiative_id"))), params)
    countries = conn.execute(text(_COUNTRIES.format(where=where.format(col="initiative_id"))), params).all()
    return _columns(rows, tags, countries)


def _read_range_in_worker(url: str, low: str | None, high: str | None) -> Columns:
    from .engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return _read_range(conn, low, high)
    finally:
        engine.dispose()


def read_all(engine: Engine, url: str, workers: int | None = None) -> tuple[int | None, list[Columns]]:
    """The stamp and the whole map, in id ranges. The stamp is read first: the data are at least that new."""
    with engine.connect() as conn:
        newest = stamp(conn)
        total = conn.execute(text("SELECT COUNT(*) FROM initiatives")).scalar_one()
        workers = workers or min(os.cpu_count() or 1, 4)
        in_memory = engine.url.database in (None, "", ":memory:")
        if total < PARALLEL_FROM or workers < 2 or in_memory:
            return newest, [_read_range(conn, None, None)]
        # split points: every (total / workers)-th id in id order
        step = total // workers
        bounds = [conn.execute(text("SELECT id FROM initiatives ORDER BY id LIMIT 1 OFFSET :k"), {"k": k * step}).scalar_one() for k in range(1, workers)]
    ranges = list(zip([None, *bounds], [*bounds, None]))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_read_range_in_worker, [url] * len(ranges), *zip(*ranges)))
    return newest, parts


def read_some(conn: Connection, ids: Sequence[str]) -> Columns:
    """The current state of the initiatives ``ids`` that still exist."""
    rows: list = []
    tags: list = []
    countries: list = []
    agg = _AGG.get(conn.dialect.name, _AGG["postgresql"])
    for start in range(0, len(ids), 500):
        p = {"ids": list(ids[start : start + 500])}
        where = "WHERE {col} IN :ids"
        expanding = bindparam("ids", expanding=True)
        rows += conn.execute(text(_INITIATIVES.format(where=where.format(col="id"))).bindparams(expanding), p).all()
        tags += conn.execute(text(_TAGS.format(agg=agg, where=where.format(col="initiative_id"))).bindparams(expanding), p).all()
        countries += conn.execute(text(_COUNTRIES.format(where=where.format(col="initiative_id"))).bindparams(expanding), p).all()
    return _columns(rows, tags, countries)
