from migmap.tagging.keywords import KeywordTagger, keyword_hits
from migmap.tagging.labels import AT_LEAST_ONE, MULTI_PREDICTED


def test_keyword_hits_by_dimension_and_code():
    hits = keyword_hits("Returnees start businesses after assisted voluntary return")
    assert "assisted voluntary return" in hits["stages"]["return_reintegration"]


def test_baseline_obeys_the_output_contract(small_training):
    train, test = small_training
    tagger = KeywordTagger().fit(train.texts, train.labels)
    for row in tagger.predict(test.texts + ["nothing relevant here"]):
        for dim in AT_LEAST_ONE:
            assert row[dim], dim
        assert isinstance(row["actor_type"], str) and isinstance(row["sector"], str)
        assert set(row) >= set(MULTI_PREDICTED)
