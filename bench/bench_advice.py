"""Benchmark: the entry-point advisor (question -> ranked options with evidence).

On the bundled map and on generated maps (10k / 100k initiatives by default; add
1000000 with --sizes), on SQLite and PostgreSQL. Generated initiatives come from
bench_analysis.generate (random codes over the framework) plus one source and one
country each, written with bulk inserts. Each figure is the best of ``--repeat`` runs
after one warm-up, for three questions:

* ``plain``: donor_agency, arrival, migrant_rights
* ``country``: destination_government, long_term, service_quality, country DEU, refugees
* ``region``: origin_government, pre_departure, safer_migration, region southern_asia

and ``sweep``: the mean time of one answer over all 105 stage x asker x goal questions.

    .venv/bin/python bench/bench_advice.py
    .venv/bin/python bench/bench_advice.py --sizes 10000,100000,1000000 --backends sqlite
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))
from bench_analysis import PG_ADMIN, load_postgres, load_sqlite

from migmap import Database
from migmap.framework import load_framework
from migmap.services.advice import advise

QUESTIONS = {
    "plain": dict(asker="donor_agency", stages="arrival", goals="migrant_rights"),
    "country": dict(asker="destination_government", stages="long_term", goals="service_quality", countries="DEU", migrant_groups="refugees_asylum"),
    "region": dict(asker="origin_government", stages="pre_departure", goals="safer_migration", regions="southern_asia"),
}
COUNTRIES = [
    "DEU",
    "FRA",
    "ITA",
    "GRC",
    "ESP",
    "TUR",
    "JOR",
    "LBN",
    "KEN",
    "UGA",
    "ETH",
    "NGA",
    "SEN",
    "MAR",
    "NPL",
    "BGD",
    "IND",
    "PHL",
    "IDN",
    "QAT",
    "ARE",
    "SAU",
    "USA",
    "MEX",
    "COL",
    "BRA",
    "CAN",
    "GBR",
    "POL",
    "UKR",
]


def add_sources_and_countries(n: int, sqlite_path: Path | None = None, pg_url: str | None = None) -> None:
    """One source URL and one country per generated initiative (what hydration needs)."""
    rng = random.Random(7)
    sources = [(f"gen-{i:07d}", 0, f"https://example.org/gen/{i}") for i in range(n)]
    countries = [(f"gen-{i:07d}", rng.choice(COUNTRIES), "destination", 0) for i in range(n)]
    if sqlite_path is not None:
        con = sqlite3.connect(sqlite_path)
        con.executemany("INSERT INTO sources (initiative_id, position, url) VALUES (?,?,?)", sources)
        con.executemany("INSERT INTO initiative_countries (initiative_id, code, role, position) VALUES (?,?,?,?)", countries)
        con.commit()
        con.execute("ANALYZE")
        con.close()
        return
    engine = sa.create_engine(pg_url)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        with cur.copy("COPY sources (initiative_id, position, url) FROM STDIN") as cp:
            cp.write("".join(f"{a}\t{b}\t{c}\n" for a, b, c in sources))
        with cur.copy("COPY initiative_countries (initiative_id, code, role, position) FROM STDIN") as cp:
            cp.write("".join(f"{a}\t{b}\t{c}\t{d}\n" for a, b, c, d in countries))
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def best(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(db: Database, repeat: int, sweep: bool = True) -> dict:
    out = {name: best(lambda q=q: advise(db, **q), repeat) for name, q in QUESTIONS.items()}
    if sweep:
        fw = load_framework()
        combos = list(itertools.product(fw["stages"].codes, fw["public_partners"].codes, fw["goals"].codes))
        times = []
        for stage, asker, goal in combos:
            t = time.perf_counter()
            rec = advise(db, asker=asker, stages=stage, goals=goal)
            times.append(time.perf_counter() - t)
            assert len(rec.options) >= 3
        out["sweep_mean"] = statistics.mean(times)
    return out


def with_database(backend: str, n: int | None, fn):
    """Create a database (bundled map when n is None, else n generated initiatives), run fn(db, load_s)."""
    tmp = pg_name = admin = None
    if backend == "sqlite":
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "bench.db"
        url = f"sqlite:///{path}"
    else:
        pg_name = f"migmap_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{pg_name}"'))
        url = sa.engine.make_url(PG_ADMIN).set(database=pg_name).render_as_string(hide_password=False)
    try:
        t = time.perf_counter()
        with Database(url) as d:
            d.init(bundled=n is None)
        if n is not None:
            if backend == "sqlite":
                load_sqlite(path, n)
                add_sources_and_countries(n, sqlite_path=path)
            else:
                load_postgres(url, n)
                add_sources_and_countries(n, pg_url=url)
        load_s = time.perf_counter() - t
        db = Database(url)
        try:
            return fn(db, load_s)
        finally:
            db.close()
    finally:
        if tmp:
            tmp.cleanup()
        if pg_name:
            with admin.connect() as c:
                c.execute(sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{pg_name}'"))
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{pg_name}"'))
            admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="generated map sizes, comma-separated")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    print(f"{'map':>10} {'backend':>9} {'initiatives':>11} {'load s':>8} {'plain s':>8} {'country s':>9} {'region s':>8} {'sweep mean s':>12}")
    for backend in args.backends.split(","):
        for n in [None, *sizes]:

            def fn(db, load_s, n=n):
                r = measure(db, args.repeat, sweep=n is None or n <= 100_000)
                total = db.count()
                sweep = f"{r['sweep_mean']:12.3f}" if "sweep_mean" in r else f"{'-':>12}"
                label = "bundled" if n is None else "generated"
                print(f"{label:>10} {backend:>9} {total:>11} {load_s:8.1f} {r['plain']:8.3f} {r['country']:9.3f} {r['region']:8.3f} {sweep}", flush=True)

            with_database(backend, n, fn)


if __name__ == "__main__":
    main()
