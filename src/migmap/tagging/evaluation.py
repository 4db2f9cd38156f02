"""Honest evaluation: K-fold cross-validation and the held-out tenth, model against baseline.

Out-of-fold predictions of all folds are pooled, then scored per dimension: micro and
macro F1 (macro over the codes that occur in the true labels of the evaluated records),
and precision, recall and support per code::

    >>> from migmap.tagging.evaluation import score
    >>> s = score([{"stages": ["arrival"], "actor_type": "sme"}], [{"stages": ["arrival", "transit"], "actor_type": "sme"}])
    >>> s["stages"].micro_f1, s["stages"].macro_f1, s["actor_type"].macro_f1
    (0.667, 1.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import KFold

from migmap.framework import load_framework

from .dataset import Examples, split_held_out
from .labels import PREDICTED_DIMENSIONS, SINGLE_PREDICTED, as_codes, binarise

__all__ = ["DimensionScore", "score", "cross_val_predictions", "evaluate", "Evaluation", "AIMS"]

#: Macro-F1 aims of the issue.
AIMS = {"stages": 0.85, "migrant_groups": 0.80, "contributions": 0.75, "business_roles": 0.75, "actor_type": 0.75, "sector": 0.75, "modalities": 0.65}

ProgressFn = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass
class DimensionScore:
    """Scores of one dimension: micro/macro F1 and, per code, (precision, recall, support)."""

    dimension: str
    micro_f1: float
    macro_f1: float
    per_label: dict[str, tuple[float, float, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "micro_f1": self.micro_f1,
            "macro_f1": self.macro_f1,
            "per_label": {k: {"precision": p, "recall": r, "support": n} for k, (p, r, n) in self.per_label.items()},
        }


def score(true: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]], dimensions: Sequence[str] = PREDICTED_DIMENSIONS) -> dict[str, DimensionScore]:
    """Score predictions (dimension -> codes) against true labels, per dimension."""
    fw = load_framework()
    out = {}
    for dim in dimensions:
        codes = fw[dim].codes
        if dim in SINGLE_PREDICTED:
            t = [(as_codes(x.get(dim)) or [""])[0] for x in true]
            p = [(as_codes(x.get(dim)) or [""])[0] for x in predicted]
            present = [c for c in codes if c in set(t)]
            micro = float(np.mean([a == b for a, b in zip(t, p)])) if t else 0.0
            macro = f1_score(t, p, labels=present, average="macro", zero_division=0) if present else 0.0
            prec, rec, _, sup = precision_recall_fscore_support(t, p, labels=present, zero_division=0)
        else:
            T = binarise((x.get(dim) for x in true), codes)
            P = binarise((x.get(dim) for x in predicted), codes)
            present_idx = [j for j in range(len(codes)) if T[:, j].any()]
            present = [codes[j] for j in present_idx]
            if not present:
                out[dim] = DimensionScore(dim, 0.0, 0.0, {})
                continue
            micro = f1_score(T, P, average="micro", zero_division=0)
            macro = f1_score(T[:, present_idx], P[:, present_idx], average="macro", zero_division=0)
            prec, rec, _, sup = precision_recall_fscore_support(T[:, present_idx], P[:, present_idx], zero_division=0)
        per = {c: (round(float(a), 3), round(float(b), 3), int(n)) for c, a, b, n in zip(present, prec, rec, sup)}
        out[dim] = DimensionScore(dim, round(float(micro), 3), round(float(macro), 3), per)
    return out


def cross_val_predictions(
    make_model: Callable[[], Any], examples: Examples, folds: int = 5, seed: int = 0, progress: ProgressFn = _no_progress
) -> list[dict[str, Any]]:
    """Out-of-fold predictions for every example (each predicted by a model that never saw it)."""
    if folds < 2:
        raise ValueError(f"--folds must be at least 2, got {folds}")
    if len(examples) < folds * 2:
        raise ValueError(f"{len(examples)} tagged records are too few for {folds}-fold cross-validation")
    preds: list[dict[str, Any] | None] = [None] * len(examples)
    splitter = KFold(folds, shuffle=True, random_state=seed)
    for k, (train, test) in enumerate(splitter.split(np.arange(len(examples)))):
        tr = examples.subset(train)
        model = make_model().fit(tr.texts, tr.labels)
        for i, p in zip(test, model.predict([examples.texts[i] for i in test])):
            preds[i] = p
        progress("cross-validating", k + 1, folds)
    return preds  # type: ignore[return-value]


def country_score(true: Sequence[Sequence[str]], texts: Sequence[str]) -> tuple[float, float]:
    """Micro precision and recall of the gazetteer against recorded countries."""
    from .gazetteer import find_countries

    tp = fp = fn = 0
    for codes, text in zip(true, texts):
        got, want = set(find_countries(text)), set(codes)
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    return round(tp / max(tp + fp, 1), 3), round(tp / max(tp + fn, 1), 3)


@dataclass
class Evaluation:
    """Scores per setting ("cv", "held_out") and model name ("model", "baseline")."""

    n_records: int
    n_held_out: int
    folds: int
    scores: dict[str, dict[str, dict[str, DimensionScore]]]
    countries: dict[str, tuple[float, float]] = field(default_factory=dict)

    def macro_table(self) -> list[list[Any]]:
        """Rows: dimension, then macro F1 per (setting, model), then the aim."""
        rows = []
        for dim in PREDICTED_DIMENSIONS:
            row: list[Any] = [dim]
            for setting in self.scores:
                for model in self.scores[setting]:
                    row.append(self.scores[setting][model][dim].macro_f1)
            row.append(AIMS.get(dim, ""))
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_records": self.n_records,
            "n_held_out": self.n_held_out,
            "folds": self.folds,
            "scores": {s: {m: {d: v.to_dict() for d, v in dims.items()} for m, dims in ms.items()} for s, ms in self.scores.items()},
            "countries": {k: {"precision": p, "recall": r} for k, (p, r) in self.countries.items()},
        }


def evaluate(examples: Examples, make_model: Callable[[], Any] | None = None, folds: int = 5, seed: int = 0, progress: ProgressFn = _no_progress) -> Evaluation:
    """Cross-validate on the training part, then train on it and score on the held-out tenth.

    Both the learned model and the keyword baseline are scored in both settings.
    """
    from .keywords import KeywordTagger
    from .tagger import FrameworkTagger

    make_model = make_model or FrameworkTagger
    train, held = split_held_out(examples)
    models = {"model": make_model, "baseline": KeywordTagger}
    scores: dict[str, dict[str, dict[str, DimensionScore]]] = {"cv": {}, "held_out": {}}
    for name, make in models.items():
        preds = cross_val_predictions(make, train, folds=folds, seed=seed, progress=lambda p, d, t, n=name: progress(f"{p} {n}", d, t))
        scores["cv"][name] = score(train.labels, preds)
        if len(held):
            fitted = make().fit(train.texts, train.labels)
            scores["held_out"][name] = score(held.labels, fitted.predict(held.texts))
    if not len(held):
        del scores["held_out"]
    countries = {"cv": country_score(train.countries, train.texts)}
    if len(held):
        countries["held_out"] = country_score(held.countries, held.texts)
    return Evaluation(len(examples), len(held), folds, scores, countries)
