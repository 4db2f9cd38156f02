from migmap.tagging.dataset import bundled_examples, is_held_out, split_held_out
from migmap.tagging.evaluation import cross_val_predictions, score
from migmap.tagging.keywords import KeywordTagger


def test_held_out_tenth_is_stable_and_about_a_tenth():
    ex = bundled_examples()
    train, held = split_held_out(ex)
    assert len(train) + len(held) == len(ex)
    assert 0.05 < len(held) / len(ex) < 0.16
    assert not set(train.ids) & set(held.ids)
    assert all(is_held_out(i) for i in held.ids)
    assert [is_held_out(i) for i in ex.ids] == [is_held_out(i) for i in ex.ids]


def test_score_micro_macro_and_per_label():
    true = [{"stages": ["arrival"], "actor_type": "sme"}, {"stages": ["transit"], "actor_type": "sme"}]
    pred = [{"stages": ["arrival"], "actor_type": "sme"}, {"stages": ["arrival"], "actor_type": "foundation"}]
    s = score(true, pred, dimensions=("stages", "actor_type"))
    assert s["stages"].per_label["arrival"] == (0.5, 1.0, 1)
    assert s["stages"].per_label["transit"] == (0.0, 0.0, 1)
    assert s["stages"].macro_f1 == round((2 / 3 + 0) / 2, 3)
    assert s["actor_type"].micro_f1 == 0.5


def test_cross_val_predictions_cover_every_example(small_training):
    train, _ = small_training
    preds = cross_val_predictions(KeywordTagger, train, folds=3)
    assert len(preds) == len(train) and all(p is not None for p in preds)
