"""Build src/migmap/data/source_fingerprints.json from the curators' source excerpts.

Curators keep the passage of each source they relied on in .curation-cache/<id>.txt (not
committed: it is third-party text). This script stores only hashed 6-word shingles of
those passages, so that `migmap data check` can tell whether a description repeats its
source's wording without the project shipping any source text.

    python scripts/build_fingerprints.py
"""

import json
from pathlib import Path

from migmap.services.datacheck import shingles

root = Path(__file__).resolve().parents[1]
cache = root / ".curation-cache"
target = root / "src/migmap/data/source_fingerprints.json"
old = json.loads(target.read_text()) if target.exists() else {}
for path in sorted(cache.glob("*.txt")):
    # union: a passage added later (a second source) never drops the fingerprints of the first
    old[path.stem] = sorted(set(old.get(path.stem, ())) | shingles(path.read_text(encoding="utf-8", errors="replace")))
target.write_text(json.dumps(old, sort_keys=True, separators=(",", ":")) + "\n")
print(f"fingerprints for {len(old)} records in {target} ({target.stat().st_size // 1024} KiB)")
