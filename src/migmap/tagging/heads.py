"""The classifier head: one logistic regression per label, with per-label thresholds tuned by CV.

:class:`ThresholdedLogistic` is a scikit-learn classifier on numeric features (dense or
sparse). Given a 2-D 0/1 label matrix it is multi-label: one binary logistic regression
per column, each with the decision threshold that maximised F1 on out-of-fold
probabilities (``cv`` folds), and at least ``min_labels`` labels per row. Given a 1-D
target it is an ordinary (multinomial) classifier. Its fitted state is a compact float32
coefficient matrix, so predicting all labels is one sparse matrix product::

    >>> import numpy as np
    >>> from migmap.tagging.heads import ThresholdedLogistic
    >>> X = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 1], [1, 1]] * 5, dtype=float)
    >>> Y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 1], [1, 1]] * 5)
    >>> head = ThresholdedLogistic(cv=3).fit(X, Y)
    >>> head.predict(np.array([[1.0, 0.0], [1.0, 1.0]])).tolist()
    [[1, 0], [1, 1]]

With ``cv=0`` (thresholds fixed at 0.5) it passes every check of
``sklearn.utils.estimator_checks.check_estimator``. With tuned thresholds (``cv>0``) one
check does not apply: ``check_classifier_multioutput`` asserts
``predict_proba(X).round() == predict(X)``, i.e. a 0.5 threshold, which tuning replaces on
purpose; ``decision_function(X) > 0`` still equals ``predict(X)`` (see
tests/tagging/test_heads.py).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["ThresholdedLogistic", "best_threshold"]

_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability threshold in 0.05..0.95 that maximises F1 of ``p >= t`` against ``y``.

    Ties go to the threshold nearest 0.5.

    >>> best_threshold(np.array([0, 0, 1, 1]), np.array([0.1, 0.3, 0.35, 0.9]))
    0.35
    """
    y = np.asarray(y).astype(bool)
    pred = p[None, :] >= _GRID[:, None]
    tp = (pred & y).sum(1)
    fp = (pred & ~y).sum(1)
    fn = (~pred & y).sum(1)
    f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)
    best = np.flatnonzero(f1 == f1.max())
    return float(_GRID[best[np.argmin(np.abs(_GRID[best] - 0.5))]])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


class ThresholdedLogistic(ClassifierMixin, BaseEstimator):
    """Logistic regression per label with CV-tuned thresholds (multi-label), or multinomial (1-D y).

    Parameters
    ----------
    C : inverse regularisation strength of each logistic regression.
    class_weight : ``"balanced"`` (default) or ``None``.
    cv : folds used to tune the per-label thresholds; ``0`` keeps 0.5.
    min_labels : in multi-label mode, the top labels added when fewer pass their threshold.
    random_state : seed of the threshold-tuning folds.
    """

    def __init__(self, C: float = 10.0, class_weight: str | None = "balanced", cv: int = 5, min_labels: int = 0, random_state: int = 0):
        self.C = C
        self.class_weight = class_weight
        self.cv = cv
        self.min_labels = min_labels
        self.random_state = random_state

    def _lr(self, X, class_weight="same") -> LogisticRegression:
        # the dual liblinear solver is much faster when there are more features than texts
        dual = X.shape[1] > X.shape[0]
        class_weight = self.class_weight if class_weight == "same" else class_weight
        return LogisticRegression(C=self.C, class_weight=class_weight, max_iter=5000, solver="liblinear", dual=dual, random_state=self.random_state)

    def fit(self, X, y) -> ThresholdedLogistic:
        X, y = validate_data(self, X, y, accept_sparse="csr", multi_output=True, dtype=[np.float64, np.float32])
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        if y.ndim == 1:
            return self._fit_single(X, y)
        if type_of_target(y) != "multilabel-indicator":
            raise ValueError(f"a 2-D target must be a 0/1 label matrix, got {type_of_target(y)!r}")
        y = (np.asarray(y) > 0).astype(np.int8)
        self.multilabel_ = True
        self.classes_ = np.arange(y.shape[1])
        coef = np.zeros((y.shape[1], X.shape[1]), dtype=np.float32)
        intercept = np.zeros(y.shape[1])
        thresholds = np.full(y.shape[1], 0.5)
        for j in range(y.shape[1]):
            col = y[:, j]
            pos = int(col.sum())
            if pos == 0 or pos == len(col):  # a constant label: always off / always on
                intercept[j] = -30.0 if pos == 0 else 30.0
                continue
            model = self._lr(X).fit(X, col)
            coef[j] = model.coef_[0]
            intercept[j] = model.intercept_[0]
            folds = min(self.cv, pos, len(col) - pos)
            if self.cv and folds >= 2:
                oof = np.zeros(len(col))
                for train, test in StratifiedKFold(folds, shuffle=True, random_state=self.random_state).split(X, col):
                    m = self._lr(X).fit(X[train], col[train])
                    oof[test] = m.predict_proba(X[test])[:, 1]
                thresholds[j] = best_threshold(col, oof)
        self.coef_, self.intercept_, self.thresholds_ = coef, intercept, thresholds
        return self

    def _fit_single(self, X, y) -> ThresholdedLogistic:
        check_classification_targets(y)
        self.multilabel_ = False
        self.classes_ = np.unique(y)
        if len(self.classes_) == 1:
            self.coef_ = np.zeros((1, X.shape[1]), dtype=np.float32)
            self.intercept_ = np.zeros(1)
        elif len(self.classes_) == 2:
            model = self._lr(X).fit(X, y)
            self.coef_ = model.coef_.astype(np.float32)
            self.intercept_ = model.intercept_.astype(np.float64)
        else:  # one-vs-rest binary models, probabilities normalised to sum to one
            coef = np.zeros((len(self.classes_), X.shape[1]), dtype=np.float32)
            intercept = np.zeros(len(self.classes_))
            weights = None
            if isinstance(self.class_weight, dict):  # weights of the original classes, as sample weights
                weights = np.array([self.class_weight.get(v, 1.0) for v in y], dtype=float)
            for j, c in enumerate(self.classes_):
                if weights is None:
                    model = self._lr(X).fit(X, (y == c).astype(int))
                else:
                    model = self._lr(X, class_weight=None).fit(X, (y == c).astype(int), sample_weight=weights)
                coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
            self.coef_, self.intercept_ = coef, intercept
        self.thresholds_ = np.full(len(self.classes_), 0.5)
        return self

    def decision_function(self, X) -> np.ndarray:
        """Scores: (n, labels) in multi-label mode, positive where the label passes its threshold;
        (n,) for two classes; (n, classes) otherwise."""
        z = self._scores(X)
        if self.multilabel_:
            t = np.clip(self.thresholds_, 1e-6, 1 - 1e-6)
            return z - np.log(t / (1 - t))
        return z

    def _scores(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False, dtype=[np.float64, np.float32])
        z = X @ self.coef_.T if sparse.issparse(X) else np.asarray(X) @ self.coef_.T
        z = np.asarray(z, dtype=np.float64) + self.intercept_
        if not self.multilabel_ and len(self.classes_) == 2:
            return z.ravel()
        return z

    def predict_proba(self, X) -> np.ndarray:
        """Per-label probabilities (multi-label), or class probabilities summing to one."""
        z = self._scores(X)
        if self.multilabel_:
            return _sigmoid(z)
        if len(self.classes_) == 1:
            return np.ones((z.shape[0], 1))
        if len(self.classes_) == 2:
            p = _sigmoid(z)
            return np.column_stack([1 - p, p])
        p = _sigmoid(z)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """0/1 label matrix (multi-label, thresholds and ``min_labels`` applied), or class labels."""
        check_is_fitted(self)
        if not self.multilabel_:
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        z = self.decision_function(X)
        proba = _sigmoid(z + np.log(np.clip(self.thresholds_, 1e-6, 1 - 1e-6) / (1 - np.clip(self.thresholds_, 1e-6, 1 - 1e-6))))
        out = (z > 0).astype(int)
        if self.min_labels:
            k = min(self.min_labels, proba.shape[1])
            top = np.argsort(-proba, axis=1)[:, :k]
            short = out.sum(axis=1) < k
            rows = np.flatnonzero(short)
            out[rows[:, None], top[rows]] = 1
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        tags.classifier_tags.multi_label = True
        return tags
