"""Tagger benchmark: passages per second (one core, and a 2-worker local Dask cluster) and
memory while streaming a large JSONL file. Prints figures; not a test.

    .venv/bin/python bench/bench_tagger.py                      # 5,000 passages, memory on 100,000 lines
    .venv/bin/python bench/bench_tagger.py --speed 20000 --memory 1000000 --memory 10000

Passages are the bundled descriptions (name + description, about 130 words each), cycled.
Memory: peak Python allocations (tracemalloc) and peak RSS while streaming N generated
lines through ``tag_stream``; constant memory means the peak does not grow with N.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from migmap.tagging.batch import tag_file
from migmap.tagging.dataset import bundled_examples
from migmap.tagging.model_io import load_model


def write_jsonl(path: Path, n: int, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": i, "title": "", "text": texts[i % len(texts)]}) + "\n")


def speed(model, texts: list[str], n: int, workers: int | None, tmp: Path) -> tuple[float, float]:
    """(passages per wall-clock second, passages per CPU second of this process)."""
    src, dst = tmp / f"speed_{n}.jsonl", tmp / "speed_out.jsonl"
    write_jsonl(src, n, texts)
    t, c = time.perf_counter(), time.process_time()
    report = tag_file(src, dst, model, workers=workers)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - c
    assert report.tagged == n, report
    return n / elapsed, n / cpu


def memory(model, texts: list[str], n: int, tmp: Path) -> tuple[float, float, float]:
    src, dst = tmp / f"mem_{n}.jsonl", tmp / "mem_out.jsonl"
    write_jsonl(src, n, texts)
    tracemalloc.start()
    t = time.perf_counter()
    report = tag_file(src, dst, model)
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.tagged == n
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    src.unlink()
    dst.unlink()
    return peak / 2**20, rss, n / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speed", type=int, default=5000, help="passages for the speed runs")
    ap.add_argument("--memory", type=int, action="append", help="lines for a memory run (repeat)")
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    texts = bundled_examples().texts
    model = load_model()
    model.tag(texts[:10])  # warm up
    print(f"machine: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f} (figures are wall clock unless said)")
    print(f"passage length: {sum(len(t.split()) for t in texts) / len(texts):.0f} words on average")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        one, one_cpu = speed(model, texts, args.speed, None, tmp)
        print(f"one core, default model: {one:,.0f} passages/s wall clock, {one_cpu:,.0f} per CPU second ({args.speed:,} passages, JSONL in and out)")
        if not args.no_dask:
            two, _ = speed(model, texts, args.speed, 2, tmp)
            print(f"local Dask cluster, 2 workers: {two:,.0f} passages/s wall clock (includes cluster start-up)")
        for n in args.memory or [20000, 100000]:
            peak, rss, rate = memory(model, texts, n, tmp)
            print(f"streaming {n:,} lines: peak traced allocations {peak:,.1f} MiB, peak RSS {rss:,.0f} MiB, {rate:,.0f} lines/s")


if __name__ == "__main__":
    main()
