import pickle

import pytest
from sklearn.base import clone

from migmap.framework import load_framework
from migmap.tagging.labels import AT_LEAST_ONE, MULTI_PREDICTED, SINGLE_PREDICTED
from migmap.tagging.model_io import default_model_path, model_info
from migmap.tagging.tagger import FrameworkTagger

CONTRACT_KEYS = {*MULTI_PREDICTED, *SINGLE_PREDICTED, "countries", "confidence", "evidence"}


def test_shipped_model_is_small_and_held_out_tenth_was_not_used():
    path = default_model_path()
    assert path.is_file() and path.stat().st_size < 5 * 1024 * 1024
    info = model_info()
    assert info["held_out"] > 0 and info["trained_on"] > 200


def test_output_contract(shipped_model):
    text = "Boat rescue in the Mediterranean: a shipping company saves migrants off Libya and lands them in Italy"
    out = shipped_model.tag([text])[0]
    assert set(out) == CONTRACT_KEYS
    fw = load_framework()
    for dim in AT_LEAST_ONE:
        assert out[dim], dim
    for dim in MULTI_PREDICTED:
        assert set(out[dim]) <= set(fw[dim].codes)
        assert set(out["confidence"][dim]) == set(out[dim])
        assert all(0 <= p <= 1 for p in out["confidence"][dim].values())
        assert set(out["evidence"][dim]) == set(out[dim])
    for dim in SINGLE_PREDICTED:
        assert out[dim] in fw[dim].codes
        assert list(out["confidence"][dim]) == [out[dim]]
    assert "transit" in out["stages"]
    assert out["countries"] == ["LBY", "ITA"]
    assert out["evidence"]["countries"]["LBY"] == ["Libya"]
    # evidence is made of words of the text
    for words in out["evidence"]["stages"].values():
        assert words and all(w.lower() in text.lower() for w in words)


def test_clear_cases(shipped_model):
    rows = shipped_model.tag(
        [
            "A recruitment agency in Nepal trains workers before they leave for jobs in Qatar, with fair recruitment and no fees.",
            "A remittance company lowers fees for migrants sending money home from Spain to Senegal.",
            "A microfinance institution gives loans to returnees deported from the United States so they start businesses back home in Honduras.",
        ]
    )
    assert "pre_departure" in rows[0]["stages"] and "labour_migrants" in rows[0]["migrant_groups"]
    assert "long_term" in rows[1]["stages"] and rows[1]["sector"] == "finance_remittances"
    assert "return_reintegration" in rows[2]["stages"] and "returnees" in rows[2]["migrant_groups"]


def test_fit_follows_sklearn_conventions(small_training):
    train, test = small_training
    est = FrameworkTagger(cv=2, max_char_features=2000, max_word_features=2000)
    assert est.get_params()["cv"] == 2
    assert not hasattr(est, "heads_")
    fitted = est.fit(train.texts, train.labels)
    assert fitted is est and est.n_trained_ == 60
    assert set(est.heads_) == {*MULTI_PREDICTED, *SINGLE_PREDICTED}
    preds = est.predict(test.texts)
    assert len(preds) == 20 and all(p["stages"] for p in preds)
    proba = est.predict_proba(test.texts)
    assert proba["stages"].shape == (20, 5)
    again = pickle.loads(pickle.dumps(est))
    assert again.predict(test.texts) == preds
    assert clone(est).get_params() == est.get_params()


def test_saved_model_is_compact_and_close(small_training, tmp_path):
    from migmap.tagging.model_io import load_model, save_model

    train, test = small_training
    est = FrameworkTagger(cv=0, max_char_features=2000, max_word_features=2000).fit(train.texts, train.labels)
    path = save_model(est, tmp_path / "m.joblib", source="test")
    assert est.heads_["stages"].coef_.dtype.name == "float32"  # the fitted model is not changed
    loaded = load_model(path)
    assert loaded.heads_["stages"].coef_.dtype.name == "float32"
    before, after = est.predict_proba(test.texts), loaded.predict_proba(test.texts)
    for dim in before:
        assert abs(before[dim] - after[dim]).max() < 1e-3
    assert clone(est).get_params() == est.get_params()


def test_fit_rejects_bad_training_data():
    with pytest.raises(ValueError, match="at least 10"):
        FrameworkTagger().fit(["a"], [{}])
    with pytest.raises(ValueError, match="texts but"):
        FrameworkTagger().fit(["a", "b"], [{}])


def test_unfitted_model_says_so():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        FrameworkTagger().tag(["text"])


def test_bad_model_files_give_clear_errors(tmp_path):
    from migmap.tagging.model_io import TaggerError, load_model

    with pytest.raises(TaggerError, match="no tagger model there"):
        load_model(tmp_path / "missing.joblib")
    bad = tmp_path / "bad.joblib"
    bad.write_text("not a model")
    with pytest.raises(TaggerError, match="not a migmap tagger model"):
        load_model(bad)


def test_fast_character_ngrams_equal_scikit_learn(shipped_model):
    from migmap.tagging.dataset import bundled_examples

    texts = bundled_examples().texts[:50] + ["Café für Geflüchtete", "", "a  b\tc\nd"]
    features = shipped_model.features_
    expected = features.char_.transform(texts)
    got = features._char_tfidf(texts)
    assert abs(expected - got).max() < 1e-6


def test_evidence_is_the_sentence_that_supports_a_label(shipped_model):
    text = (
        "The company was founded in 2015 in Nairobi. It gives free SIM cards and data to refugees arriving in Kakuma camp. "
        "Its foundation also pays for coding courses so that young refugees find jobs."
    )
    from migmap.tagging.tagger import split_sentences

    sentences = split_sentences(text)
    out = shipped_model.tag([text])[0]
    shown = [s for dim in ("stages", "contributions", "migrant_groups") for items in out["evidence"][dim].values() for s in items]
    assert shown and all(s in sentences for s in shown), shown
    assert any("refugees" in s for s in out["evidence"]["migrant_groups"].get("refugees_asylum", []))
