"""The engine on evidence built in memory (no database): ranking, gaps, models, never-partners."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from migmap.advice import Evidence, Question, load_knowledge, recommend
from migmap.advice.engine import WEIGHTS, gap_of, is_never_partner
from migmap.analysis import gap_map
from migmap.domain.models import Initiative
from migmap.framework import load_framework

SAMPLE = Path(__file__).parents[1] / "data" / "sample.yaml"
FW = load_framework()
ALL = list(itertools.product(FW["stages"].codes, FW["public_partners"].codes, FW["goals"].codes))


def sample_items() -> list[Initiative]:
    raw = yaml.safe_load(SAMPLE.read_text())
    return [Initiative.model_validate({**r, "version": 1}) for r in raw]


def evidence_from(items: list[Initiative], q: Question) -> Evidence:
    """Evidence computed with the pure gap map (the same objects the service builds in SQL)."""
    by_stage = {s: gap_map([i for i in items if s in i.stages], rows="actor_type", cols="sector") for s in q.stages}
    watch = [i for i in items if is_never_partner(i) and set(i.stages) & set(q.stages)]
    return Evidence.from_maps(q, gap_map(items), by_stage, {}, {i.id: i for i in items}, watch)


@pytest.mark.parametrize("stage,asker,goal", ALL)
def test_every_combination_answers_with_three_ranked_options_on_no_evidence(stage, asker, goal):
    q = Question.build(asker, stage, goal)
    rec = recommend(q, Evidence.empty())
    assert len(rec.options) >= 3
    assert [o.rank for o in rec.options] == list(range(1, len(rec.options) + 1))
    assert [o.score for o in rec.options] == sorted((o.score for o in rec.options), reverse=True)
    for o in rec.options:
        d = o.to_dict()
        assert d["rationale"]["why"] and d["rationale"]["fired"].startswith(o.entry.id)
        assert d["actor_type"] != "micro_informal" and o.stage == stage and goal in o.entry.goals
        assert d["evidence"] == {"count": 0, "examples": []}
        assert o.gap.level == "unmapped"
    assert rec.thin and "evidence is thin" in rec.evidence_note


def test_score_is_the_documented_weighted_sum():
    q = Question.build("origin_government", "pre_departure", "migrant_rights", offers="regulation")
    rec = recommend(q, evidence_from(sample_items(), q))
    for o in rec.options:
        assert o.score == pytest.approx(WEIGHTS["fit"] * o.fit + WEIGHTS["gap"] * o.gap.score + WEIGHTS["models"] * o.models, abs=1e-6)


def test_gap_counts_and_levels_come_from_the_stage_by_actor_type_cell():
    items = sample_items()
    overall = gap_map(items)
    q = Question.build("donor_agency", "arrival", "service_quality")
    kb = load_knowledge()
    # two arrival initiatives in the sample: a foundation (gamma) and a multinational (delta)
    g = gap_of(kb.entry("ar-reception-standards"), overall, q)  # sme
    assert (g.count, g.stage_total, g.level, g.score) == (0, 2, "empty", 1.0)
    g = gap_of(kb.entry("ar-first-accounts"), overall, q)  # multinational: 1 of 2 = 50% >= 1.5 x 1/6
    assert (g.count, g.stage_total, g.level) == (1, 2, "well_covered") and g.score == 0.0
    assert "1 of 2 mapped initiatives at the arrival stage (50%) are led by a multinational" in g.text


def test_under_served_cells_have_the_larger_gap():
    items = sample_items()
    q = Question.build("ngo_civil_society", "long_term", "service_quality")
    rec = recommend(q, evidence_from(items, q), limit=10)
    by_id = {o.entry.id: o for o in rec.options}
    # long-term in the sample: alpha (sme), epsilon (investment_fund), zeta (business_association)
    assert by_id["lt-blended-finance"].gap.count == 1 and by_id["lt-sourcing"].gap.count == 0
    assert by_id["lt-sourcing"].gap.level == "empty" and by_id["lt-blended-finance"].gap.level == "well_covered"
    assert by_id["lt-sourcing"].gap.score > by_id["lt-blended-finance"].gap.score
    assert "1 of 3 mapped initiatives at the long-term options stage (33%) are led by an investment fund" in by_id["lt-blended-finance"].gap.text
    assert by_id["lt-blended-finance"].evidence_count == 1
    assert by_id["lt-blended-finance"].examples[0].id == "epsilon-refugee-fund"


def test_control_contractors_are_risks_to_watch_and_never_examples():
    items = sample_items()
    q = Question.build("destination_government", "arrival", "service_quality")
    rec = recommend(q, evidence_from(items, q), limit=10)
    assert [w.id for w in rec.risks_to_watch] == ["delta-reception-contract"]
    assert "control contractor" in rec.risks_to_watch[0].reason
    for o in rec.options:
        assert "delta-reception-contract" not in [x.id for x in o.examples]
    d = rec.to_dict()
    assert d["risks_to_watch"][0]["business_roles"] == ["control_contractor", "service_provider"]
    assert "1 initiative in the slice is a control contractor" in d["evidence_note"]


def test_offers_and_asker_change_the_fit():
    q1 = Question.build("origin_government", "return_reintegration", "service_quality", offers="guarantees")
    q2 = Question.build("origin_government", "return_reintegration", "service_quality", offers="convening")
    r1, r2 = recommend(q1, Evidence.empty(), limit=10), recommend(q2, Evidence.empty(), limit=10)
    assert r1.options[0].entry.id in ("rr-guarantee-fund", "rr-diaspora-investment")
    assert r2.options[0].entry.id == "rr-employer-networks"


def test_json_has_exactly_the_documented_keys():
    q = Question.build("donor_agency", "transit", "safer_migration", countries="SRB")
    d = recommend(q, evidence_from(sample_items(), q)).to_dict()
    assert set(d) == {"question", "options", "risks_to_watch", "evidence_note"}
    for o in d["options"]:
        assert set(o) == {
            "rank",
            "score",
            "actor_type",
            "sector",
            "contributions",
            "modalities",
            "tools",
            "rationale",
            "gap",
            "evidence",
            "risks",
            "safeguards",
        }
        assert set(o["evidence"]) == {"count", "examples"}
        assert all(set(x) == {"id", "name"} for x in o["evidence"]["examples"])
        assert set(o["gap"]) == {"level", "score", "count", "stage_total", "share", "text"}
        assert {"rule", "why", "fired", "gap_addressed", "sources"} <= set(o["rationale"])


def test_informal_intermediaries_and_migrant_owned_micro_firms_are_watched_differently():
    base = sample_items()[5].model_dump()  # zeta: returnees, return stage
    broker = Initiative.model_validate({**base, "id": "broker", "name": "Village brokers", "actor_type": "micro_informal", "themes": ["recruitment"]})
    shop = Initiative.model_validate({**base, "id": "shop", "name": "Returnee shop", "actor_type": "micro_informal", "themes": ["entrepreneurship"]})
    q = Question.build("origin_government", "return_reintegration", "service_quality")
    rec = recommend(q, evidence_from([*sample_items(), broker, shop], q))
    reasons = {w.id: w.reason for w in rec.risks_to_watch}
    assert reasons["broker"].startswith("informal intermediary (may include unlicensed brokers or smugglers)")
    assert reasons["shop"].startswith("micro or informal business: never proposed as a partner, but it may be among those")
    assert not {"broker", "shop"} & {x.id for o in rec.options for x in o.examples}
