"""The tagger on the unseen test set (issue 17): annotators' agreement, keyword baseline, default model.

Macro-F1 per dimension on passages about initiatives that are not in the bundled map, all of
them and by language (English; French and Spanish), with the two annotators' agreement beside
it as the bar (issue 17 asks for agreement-level scores). Also the codes with at least three
test examples that score below 0.5.

    .venv/bin/python bench/bench_tagger_unseen.py
"""

from __future__ import annotations

import sys

from migmap.tagging.keywords import KeywordTagger
from migmap.tagging.model_io import load_model
from migmap.tagging.unseen import LABELLED, agreement, load_unseen, score_model

AIMS = {"stages": 0.90, "business_roles": 0.85, "contributions": 0.82, "migrant_groups": 0.82, "actor_type": 0.82, "sector": 0.80, "modalities": 0.75}


def main() -> int:
    full = load_unseen()
    model = load_model()
    from migmap.tagging.dataset import bundled_examples

    examples = bundled_examples()
    baseline = KeywordTagger().fit(examples.texts, examples.labels)
    print(
        f"unseen test set: {len(full)} passages ({full.languages.count('en')} en, {full.languages.count('fr')} fr, {full.languages.count('es')} es); {len(full.dropped)} dropped"
    )
    header = f"{'dimension':<16} {'aim':>5} {'agree':>6} | {'base':>5} {'model':>6} | {'en base':>7} {'en model':>8} | {'fr/es base':>10} {'fr/es model':>11}"
    print(header)
    print("-" * len(header))
    en, other = full.subset("en"), None
    keep = [i for i, p in enumerate(full.passages) if p["lang"] != "en"]
    from migmap.tagging.unseen import UnseenSet

    other = UnseenSet(*[[xs[i] for i in keep] for xs in (full.passages, full.gold, full.annotator_a, full.annotator_b)], full.dropped)
    agree = agreement(full)
    scores = {
        name: {part: score_model(m, s) for part, s in (("all", full), ("en", en), ("other", other))} for name, m in (("base", baseline), ("model", model))
    }
    for dim in LABELLED:
        row = [scores[n][p][dim].macro_f1 for p in ("all", "en", "other") for n in ("base", "model")]
        print(
            f"{dim:<16} {AIMS.get(dim, float('nan')):>5.2f} {agree[dim].macro_f1:>6.3f} | {row[0]:>5.3f} {row[1]:>6.3f} | {row[2]:>7.3f} {row[3]:>8.3f} | {row[4]:>10.3f} {row[5]:>11.3f}"
        )
    weak = [
        (dim, code, f)
        for dim in LABELLED
        for code, (p, r, n) in scores["model"]["all"][dim].per_label.items()
        if n >= 3
        for f in [2 * p * r / (p + r) if p + r else 0.0]
        if f < 0.5
    ]
    print(f"\ncodes with >= 3 test examples below F1 0.5 (default model): {len(weak)}")
    for dim, code, f in weak:
        print(f"  {dim}.{code}: {f:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
