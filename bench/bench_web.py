"""Load benchmark of the web app: 50 concurrent clients over loopback against `migmap serve`.

    python bench/bench_web.py                       # 100,000 initiatives, 50 clients
    python bench/bench_web.py --n 10000 --requests 500 --datasette /path/to/venv/bin/datasette

Builds (once) a SQLite database of ``--n`` generated initiatives (bench/generate.py), serves it
with ``migmap serve --workers W`` and hits the gap map, a filtered list and detail pages with an
asyncio + httpx load generator, printing p50 / p95 / p99 latency, throughput and errors. With
``--datasette`` it also serves the same file with Datasette and asks it for the same stage x
actor-type counts (a SQL query through its JSON API), so both can be compared side by side.
Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

FACET_SQL = (
    "select t.code as stage, i.actor_type, count(*) as n from initiative_tags t "
    "join initiatives i on i.id = t.initiative_id "
    "where t.dimension = 'stages' and i.curation_state = 'published' group by t.code, i.actor_type"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_db(path: Path, n: int) -> None:
    from generate import write_csv

    from migmap import Database

    if path.exists():
        return
    t = time.perf_counter()
    csv_path = path.with_suffix(".csv")
    write_csv(n, csv_path)
    db = Database(f"sqlite:///{path}")
    db.init(bundled=False)
    report = db.import_files([csv_path], allow_duplicates=True)
    assert report.ok, report.problems[:3]
    db.close()
    csv_path.unlink()
    print(f"built {path} with {report.imported} initiatives in {time.perf_counter() - t:.0f} s", flush=True)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:  # busy threads: make sure nothing is left running
        proc.kill()
        proc.wait(timeout=20)


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout} s")


async def load(base: str, paths: list[str], clients: int, requests: int) -> dict[str, float]:
    """``requests`` GETs spread over ``clients`` concurrent connections; latency percentiles in ms."""
    latencies: list[float] = []
    errors = 0
    kinds: collections.Counter[str] = collections.Counter()  # "HTTP 503", "ReadTimeout", ...
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(paths[i % len(paths)])
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker() -> None:
            nonlocal errors
            while True:
                try:
                    path = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t = time.perf_counter()
                try:
                    r = await client.get(path)
                    await r.aread()
                    if r.status_code != 200:
                        errors += 1
                        kinds[f"HTTP {r.status_code}"] += 1
                except httpx.HTTPError as exc:
                    errors += 1
                    kinds[type(exc).__name__] += 1
                latencies.append((time.perf_counter() - t) * 1000)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return {"n": len(latencies), "errors": errors, "error_kinds": dict(kinds), "p50": q[49], "p95": q[94], "p99": q[98], "rps": len(latencies) / wall}


def row(name: str, r: dict[str, float]) -> str:
    return f"| {name} | {r['n']} | {r['errors']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['rps']:.0f} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="initiatives in the database")
    ap.add_argument("--db", type=Path, default=None, help="SQLite file (built if missing)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=1000, help="requests per scenario")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--datasette", default=shutil.which("datasette"), help="datasette executable (e.g. from a separate venv)")
    args = ap.parse_args()

    db_path = args.db or Path(os.environ.get("TMPDIR", "/tmp")) / f"migmap-bench-web-{args.n}.db"
    build_db(db_path, args.n)
    port = free_port()
    env = dict(os.environ, MIGMAP_SECRET_KEY="bench-secret", MIGMAP_DATABASE_URL=f"sqlite:///{db_path}")
    server = subprocess.Popen(
        [sys.executable, "-m", "migmap", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers), "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    results: list[str] = []
    try:
        wait_up(base + "/api/me", server)
        rng = random.Random(1)
        ids = [f"gen-{rng.randrange(args.n):07d}" for _ in range(200)]
        scenarios = {
            "gap map page (stages x actor type)": ["/gapmap?rows=stages&cols=actor_type"],
            "gap map page, filtered (region africa, themes x contributions)": ["/gapmap?rows=themes&cols=contributions&regions=africa"],
            "gap map JSON (stages x actor type)": ["/api/gapmap?rows=stages&cols=actor_type"],
            "filtered list page (arrival, Africa, page 2)": ["/initiatives?stages=arrival&regions=africa&page=2"],
            "filtered list JSON (employment, SMEs)": ["/api/initiatives?themes=employment&actor_types=sme"],
            "detail page (random initiative)": [f"/initiatives/{i}" for i in ids],
            "mixed (gap map, list, detail)": [
                "/gapmap?rows=stages&cols=actor_type",
                "/initiatives?stages=arrival&regions=africa&page=2",
                *[f"/initiatives/{i}" for i in ids[:2]],
            ],
        }
        for paths in scenarios.values():  # warm up every worker and cache
            asyncio.run(load(base, paths, 4, 8))
        for name, paths in scenarios.items():
            r = asyncio.run(load(base, paths, args.clients, args.requests))
            results.append(row(f"migmap: {name}", r))
            print(results[-1], flush=True)
        for url in ("/", "/gapmap", "/initiatives", f"/initiatives/{ids[0]}"):
            kb = len(httpx.get(base + url, timeout=60).content) / 1024
            print(f"page weight {url}: {kb:.1f} KiB HTML", flush=True)
    finally:
        stop(server)

    if args.datasette:
        dport = free_port()
        ds = subprocess.Popen(
            [args.datasette, "serve", "-i", str(db_path), "--port", str(dport), "--setting", "sql_time_limit_ms", "20000", "--setting", "num_sql_threads", "3"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            dbname = db_path.stem
            wait_up(f"http://127.0.0.1:{dport}/", ds)
            from urllib.parse import urlencode

            path = f"/{dbname}.json?" + urlencode({"sql": FACET_SQL, "_shape": "array"})
            asyncio.run(load(f"http://127.0.0.1:{dport}", [path], 4, 8))
            r = asyncio.run(load(f"http://127.0.0.1:{dport}", [path], args.clients, args.requests))
            results.append(row("Datasette: stage x actor type counts (SQL via JSON API)", r))
            print(results[-1], flush=True)
        finally:
            stop(ds)
    else:
        print("datasette not found: pass --datasette PATH (install it in a separate venv) to compare", flush=True)

    print(f"\n{args.n} initiatives, {args.clients} concurrent clients, {args.requests} requests per scenario, {args.workers} uvicorn workers, SQLite\n")
    print("| scenario | requests | errors | p50 ms | p95 ms | p99 ms | req/s |")
    print("|---|---|---|---|---|---|---|")
    for line in results:
        print(line)


if __name__ == "__main__":
    main()
