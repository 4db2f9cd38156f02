"""The keyword baseline: the framework's own keywords, matched in the text.

A label is predicted when one of its keywords occurs; a multi-label dimension with no
hit, and a single-label dimension, fall back on the most frequent label seen in training
(so the baseline obeys the same output contract as the learned model)::

    >>> from migmap.tagging.keywords import KeywordTagger, keyword_hits
    >>> hits = keyword_hits("Boat rescue in the Mediterranean for asylum seekers")
    >>> hits["stages"]["transit"]
    ['boat', 'mediterranean']
    >>> tagger = KeywordTagger().fit(["a text"], [{"stages": ["arrival"], "actor_type": "sme"}])
    >>> tagger.predict(["boat crossings"])[0]["stages"]
    ['transit']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sklearn.base import BaseEstimator

from migmap.framework import load_framework

from .labels import MULTI_PREDICTED, PREDICTED_DIMENSIONS, SINGLE_PREDICTED, as_codes

__all__ = ["KeywordTagger", "keyword_hits"]


_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=1)
def _keyword_index() -> tuple[dict[tuple[str, ...], list[tuple[str, str]]], int, frozenset[str]]:
    """Keyword (as a tuple of lower-case tokens) -> [(dimension, code)], and the longest keyword."""
    fw = load_framework()
    index: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for dim in PREDICTED_DIMENSIONS:
        for entry in fw[dim].entries:
            for kw in entry.keywords:
                key = tuple(_tokens(kw))
                if key:
                    index.setdefault(key, []).append((dim, entry.code))
    return index, max(len(k) for k in index), frozenset(k[0] for k in index)


def keyword_hits(text: str) -> dict[str, dict[str, list[str]]]:
    """dimension -> code -> the framework keywords found in ``text`` (lower case, first-seen order).

    Keywords match whole words, case-insensitively (one dictionary look-up per word n-gram).
    """
    index, longest, firsts = _keyword_index()
    tokens = _tokens(text)
    out: dict[str, dict[str, list[str]]] = {}
    n = len(tokens)
    for i in range(n):
        if tokens[i] not in firsts:
            continue
        for k in range(min(longest, n - i), 0, -1):
            key = tuple(tokens[i : i + k])
            targets = index.get(key)
            if targets is None:
                continue
            kw = " ".join(key)
            for dim, code in targets:
                found = out.setdefault(dim, {}).setdefault(code, [])
                if kw not in found:
                    found.append(kw)
    return out


class KeywordTagger(BaseEstimator):
    """Baseline tagger: framework keywords, with the training set's most frequent label as fallback.

    ``fit(X, y)`` takes texts and, for each, a mapping dimension -> code(s); it only learns the
    fallbacks. ``predict(X)`` returns, per text, a mapping dimension -> list of codes
    (multi-label) or code (single-label).
    """

    def __init__(self, dimensions: Sequence[str] | None = None):
        self.dimensions = dimensions

    def fit(self, X: Sequence[str], y: Sequence[dict[str, Any]]) -> KeywordTagger:
        dims = tuple(self.dimensions or PREDICTED_DIMENSIONS)
        self.dimensions_ = dims
        self.fallback_ = {}
        for dim in dims:
            counts = Counter(code for labels in y for code in as_codes(labels.get(dim)))
            self.fallback_[dim] = counts.most_common(1)[0][0] if counts else load_framework()[dim].codes[0]
        return self

    def predict(self, X: Sequence[str]) -> list[dict[str, Any]]:
        out = []
        for text in X:
            hits = keyword_hits(text)
            row: dict[str, Any] = {}
            for dim in self.dimensions_:
                found = hits.get(dim, {})
                if dim in SINGLE_PREDICTED:
                    row[dim] = max(found, key=lambda c: len(found[c])) if found else self.fallback_[dim]
                else:
                    codes = list(found)
                    if not codes and dim in MULTI_PREDICTED and dim != "public_partners":
                        codes = [self.fallback_[dim]]
                    row[dim] = codes
            out.append(row)
        return out
