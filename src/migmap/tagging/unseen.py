"""The unseen test set: passages about initiatives that are not in the bundled map.

Each passage (60-200 words, paraphrased from a page by other people, with its URL) was
labelled by two annotators independently with FRAMEWORK.md, then adjudicated
(``gold.yaml``); passages found to repeat an initiative, or too close to a mapped one, are
listed in ``drop.yaml`` and left out. The set never enters training: the tagger trains on
the bundled map, and ``tests/tagging/test_unseen.py`` fails when a test initiative (its name
or its lead and URL) enters the bundled map.

    >>> s = load_unseen()
    >>> len(s) > 100 and {"en", "fr", "es"} <= set(s.languages)
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from .evaluation import DimensionScore, score
from .labels import PREDICTED_DIMENSIONS

__all__ = ["UnseenSet", "load_unseen", "agreement", "score_model", "LABELLED"]

#: The dimensions the annotators labelled (every predicted one but the public partners, which
#: a short passage seldom settles).
LABELLED: tuple[str, ...] = tuple(d for d in PREDICTED_DIMENSIONS if d != "public_partners")


def _read(name: str) -> Any:
    return yaml.safe_load(resources.files(__package__).joinpath("unseen", name).read_text(encoding="utf-8")) or []


@dataclass
class UnseenSet:
    """Passages and their labels (gold, and each annotator's), in the same order."""

    passages: list[dict[str, Any]]
    gold: list[dict[str, Any]]
    annotator_a: list[dict[str, Any]]
    annotator_b: list[dict[str, Any]]
    dropped: dict[str, str]

    def __len__(self) -> int:
        return len(self.passages)

    @property
    def texts(self) -> list[str]:
        return [p["text"] for p in self.passages]

    @property
    def languages(self) -> list[str]:
        return [p["lang"] for p in self.passages]

    def subset(self, lang: str | None) -> UnseenSet:
        """The passages in one language (all when ``lang`` is None)."""
        keep = [i for i, p in enumerate(self.passages) if lang is None or p["lang"] == lang]

        def pick(xs: list) -> list:
            return [xs[i] for i in keep]

        return UnseenSet(pick(self.passages), pick(self.gold), pick(self.annotator_a), pick(self.annotator_b), self.dropped)


def load_unseen() -> UnseenSet:
    """The shipped test set, without the dropped passages."""
    dropped = {d["id"]: d["reason"] for d in _read("drop.yaml")}
    passages = [p for p in _read("passages.yaml") if p["id"] not in dropped]
    by_id = {name: {x["id"]: x for x in _read(f"{name}.yaml")} for name in ("gold", "labels_a", "labels_b")}
    ids = [p["id"] for p in passages]
    return UnseenSet(passages, [by_id["gold"][i] for i in ids], [by_id["labels_a"][i] for i in ids], [by_id["labels_b"][i] for i in ids], dropped)


def agreement(s: UnseenSet) -> dict[str, DimensionScore]:
    """How far the two annotators agree, per dimension (F1 of one against the other)."""
    return score(s.annotator_a, s.annotator_b, LABELLED)


def score_model(model: Any, s: UnseenSet) -> dict[str, DimensionScore]:
    """Scores of a tagger (anything with ``predict(texts)``) against the gold labels."""
    return score(s.gold, model.predict(s.texts), LABELLED)
