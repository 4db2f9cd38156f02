"""Benchmark: gap map, gaps and funder bias on generated maps of 10k / 100k / 1M initiatives.

Data are generated at random over the framework's codes and written with fast bulk
inserts (SQLite executemany, PostgreSQL COPY), bypassing validation. Each figure is the
best of ``--repeat`` runs after one warm-up, filtered on two dimensions
(migrant_groups=refugees_asylum AND modalities=grant_cofunding,core_business_partnership)
unless said otherwise.

    .venv/bin/python bench/bench_analysis.py                       # 10k, 100k on both; 1M on both
    .venv/bin/python bench/bench_analysis.py --sizes 10000 --backends sqlite
    MIGMAP_BENCH_PG=postgresql+psycopg://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_analysis.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from migmap import Database
from migmap.domain import Filters
from migmap.framework import load_framework
from migmap.services.analysis import compute_bias, compute_gap_map, compute_gaps

PG_ADMIN = os.environ.get("MIGMAP_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FILTER = Filters(migrant_groups=["refugees_asylum"], modalities=["grant_cofunding", "core_business_partnership"])
# how many codes each dimension gets: (min, max)
SPREAD = {
    "stages": (1, 2),
    "contributions": (1, 2),
    "business_roles": (1, 2),
    "actor_type": (1, 1),
    "sector": (1, 1),
    "migrant_groups": (1, 2),
    "modalities": (1, 2),
    "public_partners": (0, 2),
    "themes": (1, 3),
    "goals": (0, 1),
}


def generate(n: int, seed: int = 42, chunk: int = 100_000):
    """Yield (initiative rows, tag rows) in chunks, for ``n`` random initiatives (vectorised)."""
    import numpy as np

    fw = load_framework()
    rng = np.random.default_rng(seed)
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC).isoformat(sep=" ")
    base = dt.date(2024, 1, 1).toordinal()
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        ids = [f"gen-{i:07d}" for i in range(start, start + m)]
        tags: list[tuple] = []
        first: dict[str, np.ndarray] = {}
        for dim, (lo, hi) in SPREAD.items():
            codes = np.array(fw[dim].codes, dtype=object)
            k = rng.integers(lo, hi + 1, size=m)
            order = np.argsort(rng.random((m, len(codes))), axis=1)[:, :hi]  # distinct codes per row
            first[dim] = codes[order[:, 0]]
            for p in range(hi):
                rows = np.nonzero(k > p)[0]
                picked = codes[order[rows, p]]
                tags.extend(zip([ids[r] for r in rows], [dim] * len(rows), picked.tolist(), [p] * len(rows)))
        years = rng.integers(1995, 2027, size=m).tolist()
        ver = rng.integers(0, 900, size=m)
        unverified = rng.random(m) < 0.3
        verified = [None if u else dt.date.fromordinal(base + int(v)).isoformat() for u, v in zip(unverified, ver)]
        at, sec = first["actor_type"].tolist(), first["sector"].tolist()
        rows_i = [
            (
                ids[j],
                f"Initiative {start + j}",
                "Generated for the benchmark.",
                f"Company {(start + j) % 5000}",
                at[j],
                sec[j],
                years[j],
                None,
                "active",
                None,
                verified[j],
                "published",
                1,
                now,
                now,
                "",
                "{}",
            )
            for j in range(m)
        ]
        tags.sort()
        yield rows_i, tags


COLS = (
    "id, name, description, lead_actor, actor_type, sector, start_year, end_year, status, return_type, "
    "last_verified, curation_state, version, created_at, updated_at, search_text, tag_origins"
)


def load_sqlite(path: Path, n: int) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("DROP INDEX ix_tags_dimension_code")  # rebuilt once at the end: much faster than row by row
    q_init = f"INSERT INTO initiatives ({COLS}) VALUES ({','.join('?' * 17)})"
    q_tag = "INSERT INTO initiative_tags (initiative_id, dimension, code, position) VALUES (?,?,?,?)"
    for rows, tags in generate(n):
        con.executemany(q_init, rows)
        con.executemany(q_tag, tags)
    con.commit()
    con.execute("CREATE INDEX ix_tags_dimension_code ON initiative_tags (dimension, code, initiative_id)")
    con.execute("ANALYZE")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()


def _tsv(values) -> str:
    return "\t".join("\\N" if v is None else str(v) for v in values) + "\n"


def load_postgres(url: str, n: int) -> None:
    engine = sa.create_engine(url)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("DROP INDEX ix_tags_dimension_code")
        for rows, tags in generate(n):
            with cur.copy(f"COPY initiatives ({COLS}) FROM STDIN") as cp:
                cp.write("".join(map(_tsv, rows)))
            with cur.copy("COPY initiative_tags (initiative_id, dimension, code, position) FROM STDIN") as cp:
                cp.write("".join(f"{a}\t{b}\t{c}\t{d}\n" for a, b, c, d in tags))
        cur.execute("CREATE INDEX ix_tags_dimension_code ON initiative_tags (dimension, code, initiative_id)")
        raw.commit()
        # steady state, as autovacuum leaves it: statistics and the visibility map (index-only scans)
        cur.close()
        raw.driver_connection.autocommit = True
        with raw.driver_connection.cursor() as vac:
            vac.execute("VACUUM ANALYZE initiatives")
            vac.execute("VACUUM ANALYZE initiative_tags")
    finally:
        raw.close()
        engine.dispose()


def best(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(backend: str, n: int, repeat: int) -> dict:
    tmp = None
    pg_name = None
    db = None
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT") if backend == "postgres" else None
    try:
        if backend == "sqlite":
            tmp = tempfile.TemporaryDirectory()
            path = Path(tmp.name) / "bench.db"
            url = f"sqlite:///{path}"
            with Database(url) as d:
                d.init(bundled=False)
            t = time.perf_counter()
            load_sqlite(path, n)
        else:
            pg_name = f"migmap_bench_g_{uuid.uuid4().hex[:8]}"
            with admin.connect() as c:
                c.execute(sa.text(f'CREATE DATABASE "{pg_name}"'))
            url = sa.engine.make_url(PG_ADMIN).set(database=pg_name).render_as_string(hide_password=False)
            with Database(url) as d:
                d.init(bundled=False)
            t = time.perf_counter()
            load_postgres(url, n)
        load_s = time.perf_counter() - t
        db = Database(url)
        sliced = db.count(FILTER)
        out = {
            "backend": backend,
            "n": n,
            "slice": sliced,
            "load_s": load_s,
            "map_all": best(lambda: compute_gap_map(db, with_ids=False), repeat),
            "map_filtered": best(lambda: compute_gap_map(db, filters=FILTER, with_ids=False), repeat),
            "map_filtered_ids": best(lambda: compute_gap_map(db, filters=FILTER, with_ids=True), repeat),
            "gaps_filtered": best(lambda: compute_gaps(db, filters=FILTER), repeat),
            "bias_filtered": best(lambda: compute_bias(db, FILTER), repeat),
        }
    finally:
        if db is not None:
            db.close()
        if tmp:
            tmp.cleanup()
        if pg_name:
            with admin.connect() as c:
                c.execute(sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{pg_name}'"))
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{pg_name}"'))
            admin.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cols = ["backend", "n", "slice", "load_s", "map_all", "map_filtered", "map_filtered_ids", "gaps_filtered", "bias_filtered"]
    print(f"filter: {FILTER.describe()}; times in seconds (best of {args.repeat})", flush=True)
    print(" | ".join(f"{c:>16}" for c in cols), flush=True)
    for n in [int(x) for x in args.sizes.split(",")]:
        for backend in args.backends.split(","):
            r = run(backend, n, args.repeat)
            print(" | ".join(f"{r[c]:>16.3f}" if isinstance(r[c], float) else f"{r[c]:>16}" for c in cols), flush=True)


if __name__ == "__main__":
    sys.exit(main())
