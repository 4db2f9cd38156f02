"""Generate realistic random initiatives (valid against the framework) for benchmarks.

python bench/generate.py 100000 out.csv
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

from migmap.domain.countries import _m49
from migmap.framework import MULTI_DIMENSIONS, load_framework
from migmap.io.records import FLAT_COLUMNS

WORDS = [
    "refugee",
    "migrant",
    "jobs",
    "training",
    "remittance",
    "mobile",
    "money",
    "recruitment",
    "fair",
    "ethical",
    "housing",
    "reception",
    "integration",
    "skills",
    "digital",
    "platform",
    "fund",
    "investment",
    "diaspora",
    "return",
    "reintegration",
    "employer",
    "hiring",
    "partnership",
    "programme",
    "initiative",
    "pilot",
    "coalition",
    "network",
    "connectivity",
    "legal",
    "aid",
    "health",
    "education",
]


def generate_rows(n: int, seed: int = 7):
    rng = random.Random(seed)
    fw = load_framework()
    codes = {d: fw.codes(d) for d in fw.names}
    countries = sorted(_m49())
    leads = [f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} Company {i}" for i in range(max(n // 20, 50))]
    for i in range(n):
        stages = rng.sample(codes["stages"], rng.choice([1, 1, 1, 2]))
        row = {
            "id": f"gen-{i:07d}",
            "name": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {rng.choice(WORDS)} programme {i}",
            "description": " ".join(rng.choice(WORDS) for _ in range(40)),
            "lead_actor": rng.choice(leads),
            "actor_type": rng.choice(codes["actor_type"]),
            "sector": rng.choice(codes["sector"]),
            "countries": "; ".join(f"{c}:{rng.choice(['origin', 'transit', 'destination'])}" for c in rng.sample(countries, rng.choice([1, 2, 3]))),
            "start_year": rng.randint(1995, 2025),
            "end_year": "",
            "status": rng.choice(["active", "ended", "unknown"]),
            "return_type": "",
            "sources": f"https://example.org/initiative/{i}",
            "last_verified": "2026-01-01",
            "partners": "",
            "actors_json": "",
            "sources_json": "",
        }
        for dim in MULTI_DIMENSIONS:
            k = 0 if dim in ("public_partners", "goals") and rng.random() < 0.3 else rng.choice([1, 1, 2, 3])
            row[dim] = "; ".join(rng.sample(codes[dim], min(k, len(codes[dim]))))
        row["stages"] = "; ".join(stages)
        if "return_reintegration" in stages:
            row["return_type"] = rng.choice(["voluntary", "forced", ""])
        yield row


def write_csv(n: int, path: Path, seed: int = 7) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=FLAT_COLUMNS)
        w.writeheader()
        for row in generate_rows(n, seed):
            w.writerow(row)
    return path


if __name__ == "__main__":
    write_csv(int(sys.argv[1]), Path(sys.argv[2]))
