import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.utils.estimator_checks import check_estimator

from migmap.tagging.heads import ThresholdedLogistic, best_threshold


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
def test_passes_check_estimator_with_fixed_thresholds():
    results = check_estimator(ThresholdedLogistic(cv=0), on_fail=None)
    failed = [r["check_name"] for r in results if r["status"] == "failed"]
    assert failed == []


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
def test_with_tuned_thresholds_only_the_round_half_check_does_not_apply():
    results = check_estimator(ThresholdedLogistic(cv=3), on_fail=None)
    failed = {r["check_name"] for r in results if r["status"] == "failed"}
    assert failed <= {"check_classifier_multioutput"}


def test_thresholds_are_tuned_and_decision_matches_predict():
    X, Y = make_multilabel_classification(n_samples=120, n_features=20, n_classes=4, random_state=0)
    head = ThresholdedLogistic(cv=3).fit(X, Y)
    assert head.thresholds_.shape == (4,)
    assert not np.allclose(head.thresholds_, 0.5)
    np.testing.assert_array_equal((head.decision_function(X) > 0).astype(int), head.predict(X))


def test_min_labels_guarantees_a_label_per_row():
    X, Y = make_multilabel_classification(n_samples=80, n_features=10, n_classes=3, random_state=1, allow_unlabeled=True)
    head = ThresholdedLogistic(cv=0, min_labels=1).fit(X, Y)
    assert (head.predict(X * 0 - 100).sum(axis=1) >= 1).all()


def test_constant_label_columns():
    X = np.random.RandomState(0).rand(30, 4)
    Y = np.zeros((30, 3), dtype=int)
    Y[:, 0] = 1
    Y[::2, 1] = 1
    head = ThresholdedLogistic(cv=2).fit(X, Y)
    P = head.predict(X)
    assert P[:, 0].all() and not P[:, 2].any()


def test_best_threshold_prefers_the_middle_on_ties():
    assert best_threshold(np.array([0, 1]), np.array([0.1, 0.9])) == 0.5
