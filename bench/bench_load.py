"""Load and scale: the table of issue 8, in one command.

    python bench/bench_load.py                                # full: 100k and 1M, SQLite and PostgreSQL, 10/50/200 clients
    python bench/bench_load.py --sizes 5000 --clients 10,50 --requests 100   # a quick check that it runs
    python bench/bench_load.py --datasette .venv-bench/bin/datasette          # with Datasette beside it (`make bench-load` does this)

For each backend and size it fills a database with generated initiatives (bench_analysis's bulk
loader: the same tags and spread as the other benchmarks), serves it with
`migmap serve --workers W`, and sends the gap map, a filtered list and random detail pages from
10, 50 and 200 concurrent clients over loopback. It prints p50 / p95 / p99 latency, throughput,
errors and the peak memory of the server processes. Datasette serves the same SQLite file and
answers the same stage x actor-type facet question (fewer requests: each takes seconds there). Import speed (rows/s through
`Database.import_files`, validation included) is measured first.

Not a test: it prints figures. Run it on a quiet machine; it takes about an hour in full.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import psutil
import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_analysis import load_postgres, load_sqlite  # noqa: E402
from bench_web import FACET_SQL, free_port, load, stop, wait_up  # noqa: E402
from generate import write_csv  # noqa: E402

from migmap import Database  # noqa: E402

PG_ADMIN = os.environ.get("MIGMAP_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


class PeakMemory(threading.Thread):
    """Samples the resident memory of a process and its children; ``peak_mb`` is the largest total seen."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak_mb = 0.0
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak_mb = max(self.peak_mb, sum(p.memory_info().rss for p in procs) / 2**20)
            except psutil.Error:
                pass
            self.halt.wait(0.2)


def import_speed(rows: int, backend: str, folder: Path) -> float:
    csv_path = folder / f"import-{rows}.csv"
    if not csv_path.exists():
        write_csv(rows, csv_path)
    with ScratchDatabase(backend, folder) as url:
        db = Database(url, user="bench")
        db.init(bundled=False)
        t = time.perf_counter()
        report = db.import_files([csv_path], allow_duplicates=True)
        elapsed = time.perf_counter() - t
        db.close()
        assert report.ok and report.imported == rows, report.problems[:3]
    return rows / elapsed


class ScratchDatabase:
    """An empty migmap database on ``backend`` for the ``with`` block (a file, or a PostgreSQL database dropped afterwards)."""

    def __init__(self, backend: str, folder: Path, keep: Path | None = None):
        self.backend, self.folder, self.keep = backend, folder, keep

    def __enter__(self) -> str:
        if self.backend == "sqlite":
            self.path = self.keep or self.folder / f"load-{uuid.uuid4().hex[:8]}.db"
            return f"sqlite:///{self.path}"
        self.admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        self.name = f"migmap_bench_load_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
        return sa.engine.make_url(PG_ADMIN).set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc) -> None:
        if self.backend == "sqlite":
            if not self.keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return
        with self.admin.connect() as c:
            c.execute(sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{self.name}'"))
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}"'))
        self.admin.dispose()


def fill(url: str, n: int) -> float:
    """Schema, then ``n`` generated initiatives by bulk load; returns the seconds it took."""
    t = time.perf_counter()
    with Database(url) as d:
        d.init(bundled=False)
    if url.startswith("sqlite"):
        load_sqlite(Path(sa.engine.make_url(url).database), n)
    else:
        load_postgres(url, n)
    return time.perf_counter() - t


def scenarios(n: int) -> dict[str, list[str]]:
    rng = random.Random(1)
    return {
        "gap map": ["/api/gapmap?rows=stages&cols=actor_type", "/gapmap?rows=themes&cols=contributions&regions=africa"],
        "list": ["/api/initiatives?themes=employment&actor_types=sme", "/initiatives?stages=arrival&page=2"],
        "detail": [f"/initiatives/gen-{rng.randrange(n):07d}" for _ in range(300)],
    }


def serve_and_load(url: str, n: int, clients: list[int], requests: int, workers: int, label: str) -> list[dict]:
    port = free_port()
    env = dict(os.environ, MIGMAP_SECRET_KEY="bench-secret", MIGMAP_DATABASE_URL=url)
    server = subprocess.Popen(
        [sys.executable, "-m", "migmap", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        wait_up(base + "/healthz", server, timeout=120)
        memory = PeakMemory(server.pid)
        memory.start()
        for paths in scenarios(n).values():  # warm every worker and cache
            asyncio.run(load(base, paths, 2 * workers, 4 * workers))
        for c in clients:
            for name, paths in scenarios(n).items():
                r = asyncio.run(load(base, paths, c, max(requests, 2 * c)))
                rows.append(cell(f"migmap {label}", n, c, name, r, memory.peak_mb))
                print(line(rows[-1]), flush=True)
        memory.halt.set()
    finally:
        stop(server)
    return rows


def datasette_load(datasette: str, path: Path, n: int, clients: list[int], requests: int) -> list[dict]:
    """Datasette on the same file, ``requests`` facet queries per client count (its SQL time limit is 20 s)."""
    port = free_port()
    proc = subprocess.Popen(
        [datasette, "serve", "-i", str(path), "--port", str(port), "--setting", "sql_time_limit_ms", "20000", "--setting", "num_sql_threads", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_up(base + "/", proc, timeout=120)
        memory = PeakMemory(proc.pid)
        memory.start()
        paths = [f"/{path.stem}.json?" + urlencode({"sql": FACET_SQL, "_shape": "array"})]
        asyncio.run(load(base, paths, 2, 4))
        for c in clients:
            r = asyncio.run(load(base, paths, min(c, requests), requests))
            rows.append(cell("Datasette sqlite", n, c, "gap map (facet SQL)", r, memory.peak_mb))
            print(line(rows[-1]), flush=True)
        memory.halt.set()
    finally:
        stop(proc)
    return rows


def cell(server: str, n: int, clients: int, scenario: str, r: dict, mem: float) -> dict:
    return {
        "server": server,
        "n": n,
        "clients": clients,
        "scenario": scenario,
        "n_requests": r["n"],
        **{k: r[k] for k in ("errors", "error_kinds", "p50", "p95", "p99", "rps")},
        "mem": mem,
    }


HEADER = "| server | initiatives | clients | scenario | requests | errors | p50 ms | p95 ms | p99 ms | req/s | peak MB |\n|---|---|---|---|---|---|---|---|---|---|---|"


def line(r: dict) -> str:
    return (
        f"| {r['server']} | {r['n']:,} | {r['clients']} | {r['scenario']} | {r['n_requests']} | {r['errors']} | "
        f"{r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['rps']:.1f} | {r['mem']:.0f} |"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000", help="initiatives in the database (comma-separated)")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--clients", default="10,50,200", help="concurrent clients (comma-separated)")
    ap.add_argument("--requests", type=int, default=300, help="requests per scenario and client count (at least 2 per client)")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--import-rows", type=int, default=100_000, help="rows for the import-speed figure (0: skip)")
    ap.add_argument("--datasette", default=shutil.which("datasette"), help="datasette executable, e.g. from a separate venv")
    ap.add_argument(
        "--datasette-requests", type=int, default=20, help="facet queries per client count for Datasette (each can take seconds: concurrency is capped at this)"
    )
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    clients = [int(x) for x in args.clients.split(",")]
    backends = args.backends.split(",")
    folder = Path(tempfile.mkdtemp(prefix="migmap-bench-load-"))
    print(
        f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; {args.workers} uvicorn workers; "
        f"{args.requests} requests per cell (at least 2 per client)",
        flush=True,
    )
    imports = {}
    if args.import_rows:
        for backend in backends:
            imports[backend] = import_speed(args.import_rows, backend, folder)
            print(f"import {args.import_rows:,} rows into {backend}: {imports[backend]:,.0f} rows/s", flush=True)
    rows: list[dict] = []
    print(HEADER, flush=True)
    for n in sizes:
        for backend in backends:
            keep = folder / f"migmap-{n}.db" if backend == "sqlite" else None
            with ScratchDatabase(backend, folder, keep=keep) as url:
                seconds = fill(url, n)
                print(f"(filled {backend} with {n:,} initiatives in {seconds:.0f} s)", flush=True)
                rows += serve_and_load(url, n, clients, args.requests, args.workers, backend)
                if backend == "sqlite" and args.datasette:
                    rows += datasette_load(args.datasette, keep, n, clients, args.datasette_requests)
            if keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{keep}{suffix}").unlink(missing_ok=True)
    if not args.datasette:
        print("Datasette not found: pass --datasette PATH (or run `make bench-load`, which installs it in .venv-bench)")
    print("\n## Summary\n")
    for backend, rate in imports.items():
        print(f"- import, {backend}: {rate:,.0f} rows/s ({args.import_rows:,} rows, validation and duplicate check included)")
    print(f"\n{HEADER}")
    for r in rows:
        print(line(r))
    errors = sum(r["errors"] for r in rows)
    print(f"\nerrors in all: {errors}")
    for r in rows:
        if r["errors"]:
            print(f"- {r['server']}, {r['n']:,}, {r['clients']} clients, {r['scenario']}: {r['error_kinds']}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
