"""The default tagger: TF-IDF features and one thresholded linear head per dimension.

``FrameworkTagger`` reads texts (title and text joined, see :func:`~.text.join_title`)
and predicts every tag dimension of the contract, with a probability per label and the
words that support it::

    >>> from migmap.tagging import load_model
    >>> tagger = load_model()                       # the shipped default
    >>> out = tagger.tag(["Boat rescue in the Mediterranean: a shipping company saves migrants"])[0]
    >>> "transit" in out["stages"]
    True
    >>> sorted(out)[:4]
    ['actor_type', 'business_roles', 'confidence', 'contributions']

Training: ``FrameworkTagger().fit(texts, labels)``, where ``labels[i]`` maps each dimension
to its code(s). Every multi-label dimension gets at least one label except
``public_partners``; ``actor_type`` and ``sector`` get exactly one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from migmap.framework import load_framework

from .features import TextFeatures
from .gazetteer import country_mentions
from .heads import ThresholdedLogistic
from .keywords import keyword_hits
from .labels import AT_LEAST_ONE, MULTI_PREDICTED, PREDICTED_DIMENSIONS, SINGLE_PREDICTED, as_codes, binarise
from .text import ENGLISH_STOPWORDS

__all__ = ["FrameworkTagger"]

_STOP_TERMS: frozenset[str] = frozenset()


_SENTENCE = re.compile(r"[^.!?;\n]+(?:[.!?;]+|$)")
#: Evidence longer than this is cut to the words around the first supporting term.
EVIDENCE_CHARS = 220


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each exactly as written (stripped of surrounding spaces).

    >>> split_sentences("A bank lends to returnees. It trains them; loans follow!")
    ['A bank lends to returnees.', 'It trains them;', 'loans follow!']
    """
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def supporting_sentences(words: Sequence[str], sentences: Sequence[str], most: int = 2) -> list[str]:
    """The sentences (or, for long ones, the phrase around the term) that hold the supporting words.

    Sentences holding more of the words come first; without any, the words themselves are kept.

    >>> supporting_sentences(["returnees"], ["A bank lends to returnees.", "It trains them."])
    ['A bank lends to returnees.']
    """
    scored = []
    for n, sentence in enumerate(sentences):
        low = sentence.lower()
        hits = [w for w in words if w.lower() in low]
        if hits:
            scored.append((-len(hits), n, sentence, hits[0]))
    if not scored:
        return list(words)
    out = []
    for _, _, sentence, first in sorted(scored)[:most]:
        if len(sentence) > EVIDENCE_CHARS:
            at = sentence.lower().index(first.lower())
            start = max(0, sentence.rfind(" ", 0, max(0, at - EVIDENCE_CHARS // 2)) + 1)
            end = sentence.find(" ", min(len(sentence), at + len(first) + EVIDENCE_CHARS // 2))
            sentence = sentence[start : end if end > 0 else len(sentence)]
        out.append(sentence)
    return out


class FrameworkTagger(BaseEstimator):
    """TF-IDF (word + character n-grams) and per-dimension logistic heads with tuned thresholds.

    Parameters
    ----------
    C : regularisation of the logistic regressions (larger = less regularised).
    cv : folds used to tune each label's threshold (0: keep 0.5).
    min_df, max_word_features, max_char_features, word_ngram_range, char_ngram_range, keyword_weight : see
        :class:`~.features.TextFeatures`.
    evidence_terms : at most this many supporting words or phrases per label.
    random_state : seed of the threshold-tuning folds.

    ``fit`` takes texts and label mappings (not numeric arrays), so scikit-learn's
    ``check_estimator`` does not apply to this class; its heads
    (:class:`~.heads.ThresholdedLogistic`) pass it.
    """

    def __init__(
        self,
        C: float = 30.0,
        cv: int = 5,
        min_df: int = 2,
        max_word_features: int = 15000,
        max_char_features: int = 20000,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (2, 5),
        keyword_weight: float = 0.0,
        evidence_terms: int = 4,
        random_state: int = 0,
    ):
        self.C = C
        self.cv = cv
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.keyword_weight = keyword_weight
        self.evidence_terms = evidence_terms
        self.random_state = random_state

    # -- training -------------------------------------------------------------------
    def fit(self, X: Sequence[str], y: Sequence[dict[str, Any]]) -> FrameworkTagger:
        X = list(X)
        y = list(y)
        if len(X) != len(y):
            raise ValueError(f"{len(X)} texts but {len(y)} label sets")
        if len(X) < 10:
            raise ValueError(f"need at least 10 tagged texts to train, got {len(X)}")
        fw = load_framework()
        self.features_ = TextFeatures(
            word_ngram_range=self.word_ngram_range,
            char_ngram_range=self.char_ngram_range,
            min_df=self.min_df,
            max_word_features=self.max_word_features,
            max_char_features=self.max_char_features,
            keyword_weight=self.keyword_weight,
        ).fit(X)
        F = self.features_.transform(X)
        self.classes_: dict[str, tuple[str, ...]] = {}
        self.heads_: dict[str, ThresholdedLogistic] = {}
        for dim in MULTI_PREDICTED:
            codes = fw[dim].codes
            Y = binarise((labels.get(dim) for labels in y), codes)
            head = ThresholdedLogistic(C=self.C, cv=self.cv, min_labels=1 if dim in AT_LEAST_ONE else 0, random_state=self.random_state)
            self.heads_[dim] = head.fit(F, Y)
            self.classes_[dim] = codes
        for dim in SINGLE_PREDICTED:
            target = []
            for labels in y:
                codes = as_codes(labels.get(dim))
                target.append(codes[0] if codes else "")
            target = np.array(target, dtype=object)
            keep = target != ""
            head = ThresholdedLogistic(C=self.C, cv=0, random_state=self.random_state)
            self.heads_[dim] = head.fit(F[keep], target[keep].astype(str))
            self.classes_[dim] = tuple(str(c) for c in head.classes_)
        self.n_trained_ = len(X)
        return self

    # -- prediction -----------------------------------------------------------------
    def predict_proba(self, X: Sequence[str]) -> dict[str, np.ndarray]:
        """dimension -> (n_texts, n_codes) probabilities, columns in ``classes_[dimension]`` order."""
        check_is_fitted(self, "heads_")
        F = self.features_.transform(list(X))
        return {dim: self.heads_[dim].predict_proba(F) for dim in PREDICTED_DIMENSIONS}

    def predict(self, X: Sequence[str]) -> list[dict[str, Any]]:
        """Per text: dimension -> list of codes (multi-label) or one code (actor_type, sector)."""
        return [{dim: row[dim] for dim in PREDICTED_DIMENSIONS} for row in self.tag(X, evidence=False)]

    def tag(self, X: Sequence[str], evidence: bool = True) -> list[dict[str, Any]]:
        """Per text, the output contract without ``id``: codes per dimension, ``countries``,
        ``confidence`` (dimension -> code -> probability) and ``evidence`` (dimension -> code
        -> supporting words, when ``evidence`` is true)."""
        check_is_fitted(self, "heads_")
        X = list(X)
        if not X:
            return []
        F = self.features_.transform(X)
        decided: dict[str, np.ndarray] = {}
        probas: dict[str, np.ndarray] = {}
        for dim in PREDICTED_DIMENSIONS:
            head = self.heads_[dim]
            probas[dim] = head.predict_proba(F)
            decided[dim] = head.predict(F)
        n_word = self.features_.n_word_
        terms = self.features_.word_terms_
        out = []
        for i, text in enumerate(X):
            row: dict[str, Any] = {}
            conf: dict[str, dict[str, float]] = {}
            chosen: dict[str, list[int]] = {}
            for dim in MULTI_PREDICTED:
                idx = [j for j in np.flatnonzero(decided[dim][i])]
                idx.sort(key=lambda j: -probas[dim][i, j])
                chosen[dim] = idx
                codes = self.classes_[dim]
                row[dim] = [codes[j] for j in idx]
                conf[dim] = {codes[j]: round(float(probas[dim][i, j]), 3) for j in idx}
            for dim in SINGLE_PREDICTED:
                j = int(np.argmax(probas[dim][i]))
                chosen[dim] = [j]
                row[dim] = self.classes_[dim][j]
                conf[dim] = {row[dim]: round(float(probas[dim][i, j]), 3)}
            mentions = country_mentions(text)
            row["countries"] = list(mentions)
            conf["countries"] = dict.fromkeys(mentions, 1.0)
            row["confidence"] = conf
            if evidence:
                hits = keyword_hits(text)
                start, end = F.indptr[i], F.indptr[i + 1]
                cols, vals = F.indices[start:end], F.data[start:end]
                word = cols < n_word
                cols, vals = cols[word], vals[word]
                ev: dict[str, dict[str, list[str]]] = {}
                sentences = split_sentences(text)
                for dim in PREDICTED_DIMENSIONS:
                    found = self._evidence(dim, chosen[dim], hits.get(dim, {}), cols, vals, terms)
                    ev[dim] = {code: supporting_sentences(words, sentences) for code, words in found.items()}
                ev["countries"] = mentions
                row["evidence"] = ev
            out.append(row)
        return out

    def _evidence(self, dim: str, chosen: list[int], hits: dict[str, list[str]], cols: np.ndarray, vals: np.ndarray, terms: np.ndarray) -> dict[str, list[str]]:
        """code -> framework keywords found, then the words that pushed the score up most."""
        k = self.evidence_terms
        codes = self.classes_[dim]
        out = {codes[j]: list(hits.get(codes[j], []))[:k] for j in chosen}
        need = [j for j in chosen if len(out[codes[j]]) < k]
        if not need or not len(cols):
            return out
        head = self.heads_[dim]
        binary = not head.multilabel_ and len(codes) == 2
        rows = [0 if binary else j for j in need]
        contrib = head.coef_[rows][:, cols] * vals  # (labels, words in the text)
        if binary:
            contrib = np.vstack([-contrib[i] if j == 0 else contrib[i] for i, j in enumerate(need)])
        top = np.argsort(-contrib, axis=1)[:, : 2 * k]
        for r, j in enumerate(need):
            words = out[codes[j]]
            for c in top[r]:
                if contrib[r, c] <= 0 or len(words) >= k:
                    break
                term = str(terms[cols[c]])
                if term in _STOP_TERMS or all(t in ENGLISH_STOPWORDS for t in term.split()):
                    continue
                if not any(term in w or w in term for w in words):
                    words.append(term)
        return out
