"""Benchmark: one question, side by side in one run: migmap's tag index, SQLite SQL, Datasette, DuckDB.

The question (issue 15): the gap map stages x actor type for refugees with a grant or
core-business modality, on generated maps (10k, 100k, 1M initiatives in SQLite; the rows are
written by bench_analysis's bulk loader). Each figure is the best of ``--repeat`` runs after
a warm-up, all on the same file in the same run, so that the machine's noise hits every
engine alike; ratios are to migmap's time.

* migmap: ``compute_gap_map`` (filtered and unfiltered), ``compute_gaps``, ``compute_bias``
  and an advisor brief, after the index is built; also the index's cold build (parallel scan),
  its reload from the kept file, and the resident memory of the process.
* SQLite: the same cross-tab as one SQL statement through Python's sqlite3 (what a
  hand-written query, or Datasette, runs).
* Datasette: that statement through ``datasette serve``'s JSON API (``--datasette``).
* DuckDB: that statement on the two tables copied into DuckDB's memory (``--bench-python``, a
  Python with duckdb and pandas: they are not migmap dependencies).

    .venv/bin/python bench/bench_engine.py --sizes 10000,100000,1000000 \
        --bench-python .venv-bench/bin/python --datasette .venv-bench/bin/datasette
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_analysis import FILTER, best, load_sqlite

from migmap import Database
from migmap.advice.render import to_markdown
from migmap.config import Settings
from migmap.services.advice import advise
from migmap.services.analysis import compute_bias, compute_gap_map, compute_gaps

QUESTION_SQL = """
WITH slice AS (
  SELECT i.id FROM initiatives i
  WHERE i.curation_state = 'published'
    AND i.id IN (SELECT initiative_id FROM initiative_tags WHERE dimension = 'migrant_groups' AND code = 'refugees_asylum')
    AND i.id IN (SELECT initiative_id FROM initiative_tags WHERE dimension = 'modalities' AND code IN ('grant_cofunding', 'core_business_partnership'))
)
SELECT a.code AS stage, b.code AS actor_type, COUNT(*) AS n
FROM slice s
JOIN initiative_tags a ON a.initiative_id = s.id AND a.dimension = 'stages'
JOIN initiative_tags b ON b.initiative_id = s.id AND b.dimension = 'actor_type'
GROUP BY a.code, b.code
""".strip()

DUCKDB_SCRIPT = textwrap.dedent(
    """
    import sqlite3, sys, time, json
    import duckdb, pandas as pd
    path, sql, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
    src = sqlite3.connect(path)
    t = time.perf_counter()
    con = duckdb.connect()
    con.register("i_df", pd.read_sql("SELECT id, curation_state FROM initiatives", src))
    con.register("t_df", pd.read_sql("SELECT initiative_id, dimension, code FROM initiative_tags", src))
    con.execute("CREATE TABLE initiatives AS SELECT * FROM i_df")
    con.execute("CREATE TABLE initiative_tags AS SELECT * FROM t_df")
    load = time.perf_counter() - t
    con.execute(sql).fetchall()
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); rows = con.execute(sql).fetchall(); times.append(time.perf_counter() - t)
    print(json.dumps({"load_s": load, "query_s": min(times), "cells": len(rows), "total": sum(r[2] for r in rows)}))
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def datasette_time(datasette: str, path: Path, repeat: int) -> tuple[float, dict[str, int]]:
    """Datasette's time for the question, and its array facet of stages on the migmap view."""
    port = free_port()
    proc = subprocess.Popen(
        [datasette, "serve", "-i", str(path), "--port", str(port), "--setting", "sql_time_limit_ms", "60000", "--setting", "facet_time_limit_ms", "600000"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/{path.stem}.json?" + urllib.parse.urlencode({"sql": QUESTION_SQL, "_shape": "array"})
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        seconds = best(lambda: json.loads(urllib.request.urlopen(url, timeout=120).read()), repeat)
        facet_url = f"http://127.0.0.1:{port}/{path.stem}/initiatives_with_tags.json?_facet_array=stages&_size=0&_facet_size=20"
        facet = json.loads(urllib.request.urlopen(facet_url, timeout=600).read())
        return seconds, _facet(facet, "stages")
    finally:
        proc.terminate()
        proc.wait()


def _facet(body: dict, column: str) -> dict[str, int]:
    """Counts of one facet from Datasette's JSON (the layout differs between releases)."""
    results = body["facet_results"]
    results = results.get("results", results)
    return {x["value"]: x["count"] for x in results[column]["results"]}


def sqlite_time(path: Path, repeat: int) -> tuple[float, int]:
    import sqlite3

    con = sqlite3.connect(path)
    rows: list = []

    def run() -> None:
        rows[:] = con.execute(QUESTION_SQL).fetchall()

    t = best(run, repeat)
    return t, sum(r[2] for r in rows)


def run(n: int, repeat: int, bench_python: str | None, datasette: str | None, keep: Path | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = keep if keep and keep.exists() else Path(tmp) / f"map{n}.db"
        if not path.exists():
            with Database(f"sqlite:///{path}") as d:
                d.init(bundled=False)
            load_sqlite(path, n)
        url = f"sqlite:///{path}"
        with Database(url) as d:
            d.upgrade()  # a kept file of an earlier release gets the view for other tools
        settings = Settings(database_url=url, index_dir=str(Path(tmp) / "kept"))
        out: dict = {"n": n}
        with Database(url, settings=settings) as db:
            t = time.perf_counter()
            db.index()
            out["index_build_s"] = time.perf_counter() - t
            out["index_mb"] = db.index().nbytes / 1e6
        with Database(url, settings=settings) as db:
            t = time.perf_counter()
            db.index()
            out["index_reload_s"] = time.perf_counter() - t
            out["map_filtered_s"] = best(lambda: compute_gap_map(db, filters=FILTER, with_ids=False), repeat)
            out["map_all_s"] = best(lambda: compute_gap_map(db, with_ids=False), repeat)
            out["gaps_s"] = best(lambda: compute_gaps(db, filters=FILTER), repeat)
            out["bias_s"] = best(lambda: compute_bias(db, FILTER), repeat)
            out["brief_s"] = best(
                lambda: to_markdown(advise(db, asker="donor_agency", stages=["arrival"], goals=["service_quality"], regions=["europe"])), repeat
            )
            gm = compute_gap_map(db, filters=FILTER, with_ids=False)
            out["migmap_total"] = sum(c.count for c in gm.cells)
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        out["sqlite_s"], out["sqlite_total"] = sqlite_time(path, repeat)
        assert out["sqlite_total"] == out["migmap_total"], "the engines disagree"
        if datasette:
            out["datasette_s"], facet = datasette_time(datasette, path, repeat)
            with Database(url, settings=settings) as db:
                assert facet == db.tag_counts("stages"), "Datasette's facet of the view disagrees with migmap"
            out["datasette_facet_ok"] = True
        if bench_python:
            res = subprocess.run([bench_python, "-c", DUCKDB_SCRIPT, str(path), QUESTION_SQL, str(repeat)], capture_output=True, text=True, check=True)
            duck = json.loads(res.stdout.strip().splitlines()[-1])
            assert duck["total"] == out["migmap_total"], "DuckDB disagrees"
            out["duckdb_s"], out["duckdb_load_s"] = duck["query_s"], duck["load_s"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--bench-python", help="a Python with duckdb and pandas (e.g. .venv-bench/bin/python)")
    ap.add_argument("--datasette", help="datasette executable (e.g. .venv-bench/bin/datasette)")
    ap.add_argument("--keep", type=Path, help="reuse this SQLite file when it exists (for one size)")
    args = ap.parse_args()
    print(f"question: stages x actor_type, {FILTER.describe()}; best of {args.repeat}, seconds", flush=True)
    for n in [int(x) for x in args.sizes.split(",")]:
        r = run(n, args.repeat, args.bench_python, args.datasette, args.keep)
        m = r["map_filtered_s"]
        peers = [(k, r[k]) for k in ("sqlite_s", "datasette_s", "duckdb_s") if r.get(k)]
        print(json.dumps(r), flush=True)
        print(
            f"n={n:>9,}: migmap {m * 1000:8.1f} ms | "
            + " | ".join(f"{k[:-2]} {v * 1000:8.1f} ms ({v / m:6.1f}x)" for k, v in peers)
            + f" | all {r['map_all_s'] * 1000:.1f} ms, gaps {r['gaps_s'] * 1000:.1f} ms, bias {r['bias_s'] * 1000:.1f} ms, brief {r['brief_s'] * 1000:.1f} ms"
            + f" | index build {r['index_build_s']:.1f} s, reload {r['index_reload_s']:.2f} s, {r['index_mb']:.0f} MB arrays, rss {r['rss_mb']:.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
