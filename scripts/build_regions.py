"""Build src/migmap/domain/regions.json: ISO alpha-3 -> UN M49 continent and sub-region.

Run once when the UN M49 grouping changes. It reads the country table shipped by the
``country_converter`` package (``pip install country_converter``), which carries the
M49 sub-regions:
    python scripts/build_regions.py
"""

import csv
import json
from importlib import resources
from pathlib import Path

import pycountry

table = resources.files("country_converter").joinpath("country_data.tsv").read_text(encoding="utf-8")
out = {}
for row in csv.DictReader(table.splitlines(), delimiter="\t"):
    iso3, cont, sub = row["ISO3"], row["continent"], row["UNregion"]
    if iso3 and cont and sub and pycountry.countries.get(alpha_3=iso3):
        out[iso3] = [cont, sub]
out.setdefault("XKX", ["Europe", "Southern Europe"])  # Kosovo (user-assigned code used by the UN and the EU)
target = Path(__file__).resolve().parents[1] / "src/migmap/domain/regions.json"
target.write_text(json.dumps(out, sort_keys=True, separators=(",", ":")) + "\n")
print(f"wrote {len(out)} countries to {target}")
