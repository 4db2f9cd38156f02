"""Training data: tagged initiatives as (text, labels), and the held-out tenth.

The text the model reads is the name as a first sentence, then the description; the
labels are the record's tags. A record is in the *held-out tenth* when a stable hash of
its id falls in bucket 0 of 10: the split never changes when records are added, and the
shipped model never sees those records::

    >>> is_held_out("tent-partnership-for-refugees") in (True, False)
    True
    >>> ex = examples_from_records([{"id": "x", "name": "Jobs", "description": "Hiring.", "stages": ["long_term"], "actor_type": "sme"}])
    >>> ex.texts, ex.labels[0]["stages"]
    (['Jobs.\\nHiring.'], ['long_term'])
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .labels import PREDICTED_DIMENSIONS, as_codes
from .text import join_title

__all__ = ["Examples", "examples_from_records", "bundled_examples", "database_examples", "is_held_out", "split_held_out"]

HOLDOUT_BUCKETS = 10


def is_held_out(initiative_id: str) -> bool:
    """Whether a record belongs to the held-out tenth (stable across runs and machines)."""
    digest = hashlib.sha256(initiative_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % HOLDOUT_BUCKETS == 0


@dataclass
class Examples:
    """Parallel lists: ids, texts the model reads, and label mappings (dimension -> codes)."""

    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    countries: list[list[str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, keep: Iterable[int]) -> Examples:
        keep = list(keep)
        return Examples([self.ids[i] for i in keep], [self.texts[i] for i in keep], [self.labels[i] for i in keep], [self.countries[i] for i in keep])


def _get(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def examples_from_records(records: Iterable[Any]) -> Examples:
    """Examples from initiative records (dicts as in the YAML files, or ``Initiative`` objects)."""
    out = Examples()
    for r in records:
        iid = str(_get(r, "id") or _get(r, "name"))
        out.ids.append(iid)
        out.texts.append(join_title(_get(r, "name"), _get(r, "description")))
        labels = {}
        for dim in PREDICTED_DIMENSIONS:
            v = _get(r, dim)
            labels[dim] = v if isinstance(v, str) else as_codes(v)
        out.labels.append(labels)
        codes = []
        for c in _get(r, "countries") or []:
            codes.append(c["code"] if isinstance(c, dict) else getattr(c, "code", str(c).partition(":")[0]))
        out.countries.append(codes)
    return out


def bundled_examples(files: Iterable[Path] | None = None) -> Examples:
    """Examples from the bundled dataset (whatever YAML files are there now)."""
    from migmap.data import bundled_files

    records: list[dict] = []
    for path in files or bundled_files():
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
        if isinstance(data, dict):
            data = data.get("initiatives", [])
        records.extend(data)
    return examples_from_records(records)


def database_examples(db: Any) -> Examples:
    """Examples from the published initiatives of a :class:`migmap.Database`."""
    return examples_from_records(db.iterate(curation_state=["published"]))


def split_held_out(examples: Examples) -> tuple[Examples, Examples]:
    """(training part, held-out tenth)."""
    held = [i for i, iid in enumerate(examples.ids) if is_held_out(iid)]
    held_set = set(held)
    return examples.subset(i for i in range(len(examples)) if i not in held_set), examples.subset(held)
