"""Run every benchmark in bench/ one after the other and print their figures.

    python bench/run_all.py            # the default sizes of each benchmark (long: about two hours)
    python bench/run_all.py --datasette .venv-bench/bin/datasette   # with Datasette beside migmap (`make bench`)
    python bench/run_all.py --quick    # small sizes, a few minutes, to check that they run

Benchmarks are not tests: they print figures for the closing notes of issues. Run them
on a quiet machine; other work on the same cores distorts every number.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent

FULL = [
    ["bench_import.py", "--rows", "100000"],
    ["bench_analysis.py", "--sizes", "10000,100000,1000000"],
    ["bench_engine.py", "--sizes", "10000,100000,1000000"],
    ["bench_web.py", "--n", "100000"],
    ["bench_tagger.py"],
    ["bench_advice.py"],
    ["bench_load.py"],
]
QUICK = [
    ["bench_import.py", "--rows", "5000"],
    ["bench_analysis.py", "--sizes", "10000", "--repeat", "1"],
    ["bench_engine.py", "--sizes", "10000", "--repeat", "1"],
    ["bench_web.py", "--n", "5000", "--requests", "200"],
    ["bench_tagger.py", "--speed", "1000", "--memory", "5000", "--no-dask"],
    ["bench_advice.py", "--sizes", "10000", "--repeat", "1"],
    ["bench_load.py", "--sizes", "5000", "--clients", "10,50", "--requests", "100", "--import-rows", "2000"],
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes: check that every benchmark runs")
    ap.add_argument("--datasette", help="datasette executable, for the side-by-side figures of bench_web and bench_load")
    args = ap.parse_args()
    failed = []
    for cmd in QUICK if args.quick else FULL:
        print(f"\n===== {' '.join(cmd)}", flush=True)
        t0 = time.perf_counter()
        extra = ["--datasette", args.datasette] if args.datasette and cmd[0] in ("bench_web.py", "bench_load.py", "bench_engine.py") else []
        if args.datasette and cmd[0] == "bench_engine.py":  # DuckDB and pandas sit in the same venv as Datasette
            extra += ["--bench-python", str(Path(args.datasette).with_name("python"))]
        rc = subprocess.call([sys.executable, str(HERE / cmd[0]), *cmd[1:], *extra])
        print(f"----- {cmd[0]}: exit {rc}, {time.perf_counter() - t0:.0f} s", flush=True)
        if rc:
            failed.append(cmd[0])
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
