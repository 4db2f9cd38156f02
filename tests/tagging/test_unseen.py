"""The unseen test set is sound, and stays unseen: none of its initiatives is in the bundled map."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from migmap.data import bundled_files
from migmap.framework import load_framework
from migmap.tagging.dataset import bundled_examples
from migmap.tagging.unseen import LABELLED, agreement, load_unseen

FW = load_framework()


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", " ", text.casefold()).strip()


def test_passages_and_labels_are_complete_and_valid():
    s = load_unseen()
    assert len(s) >= 130
    assert sum(lang in ("fr", "es") for lang in s.languages) >= 40
    for p, labels in zip(s.passages, s.gold):
        assert p["url"].startswith(("http://", "https://")) and p["initiative"] and p["lead"]
        assert 60 <= len(p["text"].split()) <= 200, p["id"]
        assert labels["id"] == p["id"]
        for dim in LABELLED:
            value = labels[dim]
            codes = [value] if isinstance(value, str) else value
            assert set(codes) <= set(FW.codes(dim)), (p["id"], dim, codes)
            if dim in ("actor_type", "sector"):
                assert isinstance(value, str)
        assert (labels.get("return_type") is not None) == ("return_reintegration" in labels["stages"]), p["id"]


def test_the_annotators_agree_as_two_careful_curators_do():
    agree = agreement(load_unseen())
    assert all(agree[d].macro_f1 >= 0.85 for d in LABELLED), {d: agree[d].macro_f1 for d in LABELLED}


def test_no_test_initiative_is_in_the_bundled_map():
    import yaml

    records = [r for path in bundled_files() for r in yaml.safe_load(path.read_text(encoding="utf-8"))]
    names = [_key(r["name"]) for r in records]
    sources = {(src["url"].rstrip("/"), _key(r["lead_actor"])) for r in records for src in r["sources"]}
    for p in load_unseen().passages:
        name = _key(p["initiative"])
        close = [n for n in names if fuzz.token_set_ratio(name, n) >= 95 and fuzz.ratio(name, n) >= 80]
        assert not close, f"{p['id']} ({p['initiative']}) looks like a bundled record: {close[:2]}"
        assert (p["url"].rstrip("/"), _key(p["lead"])) not in sources, f"{p['id']}: its page and lead are a bundled record's source"


def test_the_test_passages_are_not_training_examples():
    texts = set(bundled_examples().texts)
    assert not any(p["text"] in t for p in load_unseen().passages for t in texts)
