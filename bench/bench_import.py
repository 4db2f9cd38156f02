"""Benchmark: import N generated initiatives from CSV (full validation) and export them back.

    python bench/bench_import.py [--rows 100000] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

Prints rows per second for import and export on SQLite and (when reachable) PostgreSQL.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))
from generate import write_csv

from migmap import Database


def bench(url: str, csv_path: Path, rows: int, out_dir: Path, label: str) -> dict:
    db = Database(url, user="bench")
    db.init(bundled=False)
    t0 = time.perf_counter()
    report = db.import_files([csv_path], allow_duplicates=True)
    t_import = time.perf_counter() - t0
    assert report.ok and report.imported == rows, (report.problems[:3], report.imported)
    t0 = time.perf_counter()
    db.import_files([csv_path], dry_run=True)  # validation + duplicate check against the DB
    t_dry = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = db.export(out_dir / f"export-{label}.csv")
    t_export = time.perf_counter() - t0
    db.close()
    return {
        "db": label,
        "rows": rows,
        "import_s": t_import,
        "import_rows_s": rows / t_import,
        "dry_run_s": t_dry,
        "export_s": t_export,
        "export_rows_s": n / t_export,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="migmap-bench-"))
    csv_path = write_csv(args.rows, tmp / "generated.csv")
    print(f"generated {args.rows} rows in {csv_path} ({csv_path.stat().st_size / 1e6:.1f} MB)")
    results = [bench(f"sqlite:///{tmp / 'bench.db'}", csv_path, args.rows, tmp, "sqlite")]
    admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    name = f"migmap_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: report and go on
        print(f"PostgreSQL not reachable ({type(exc).__name__}); skipping it")
    else:
        try:
            url = sa.engine.make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
            results.append(bench(url, csv_path, args.rows, tmp, "postgresql"))
        finally:
            with admin.connect() as c:
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"\n{'db':<11}{'rows':>9}{'import s':>10}{'import rows/s':>15}{'dry-run s':>11}{'export s':>10}{'export rows/s':>15}")
    for r in results:
        print(
            f"{r['db']:<11}{r['rows']:>9}{r['import_s']:>10.1f}{r['import_rows_s']:>15,.0f}{r['dry_run_s']:>11.1f}{r['export_s']:>10.1f}{r['export_rows_s']:>15,.0f}"
        )


if __name__ == "__main__":
    main()
