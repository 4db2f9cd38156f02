"""The knowledge base: every code is a framework code, every stage x goal has choices, every entry cites."""

from __future__ import annotations

import copy

import pytest
import yaml

from migmap.advice.knowledge import KnowledgeError, knowledge_text, load_knowledge, parse_knowledge
from migmap.framework import load_framework


def test_every_stage_and_goal_has_at_least_three_entries():
    fw = load_framework()
    cov = load_knowledge().coverage()
    for stage in fw["stages"].codes:
        for goal in fw["goals"].codes:
            assert cov.get((stage, goal), 0) >= 3, (stage, goal)


def test_entries_use_framework_codes_and_never_propose_control_or_informal_actors():
    fw = load_framework()
    kb = load_knowledge()
    for e in kb.entries:
        assert e.stage in fw["stages"].codes
        assert e.actor_type in fw["actor_type"].codes and e.actor_type != "micro_informal"
        assert e.sector in fw["sector"].codes and e.sector != "security_border"
        assert set(e.contributions) <= set(fw["contributions"].codes)
        assert set(e.modalities) <= set(fw["modalities"].codes)
        assert set(e.askers) <= set(fw["public_partners"].codes)


def test_contributions_go_beyond_funding_at_every_stage():
    """The report's point: business brings expertise, access and advocacy, not only money."""
    kb = load_knowledge()
    for stage in load_framework()["stages"].codes:
        entries = kb.for_stage(stage)
        assert all(set(e.contributions) - {"funding"} for e in entries), stage


def test_every_entry_has_a_rationale_with_basis_and_cites_the_report_or_a_named_framework():
    kb = load_knowledge()
    named = {"ecdpm", "kampala", "iris", "ilo", "gcm", "gcr", "ungp", "dhaka", "employerpays"}
    assert set(kb.sources) == named
    assert kb.sources["ecdpm"].basis == "R" and "Bisong" in kb.sources["ecdpm"].short
    for e in kb.entries:
        assert e.rationale and e.basis, e.id
        assert e.sources and {c.source for c in e.sources} <= named, e.id
        assert e.tools and e.risks and e.safeguards, e.id
    assert set(kb.universal_safeguards) == {"diligence", "privacy", "voice", "exit", "line"}


def test_the_tools_named_in_the_issue_are_in_the_knowledge_base():
    text = " ".join(t.lower() for e in load_knowledge().entries for t in (*e.tools, e.title))
    for tool in (
        "licensing",
        "iris standard",
        "connectivity",
        "procurement",
        "reception",
        "hiring",
        "skills recognition",
        "blended finance",
        "guarantee",
        "employer networks",
    ):
        assert tool in text, tool


def _raw():
    return yaml.safe_load(knowledge_text())


def test_a_near_miss_code_is_refused_naming_the_entry_and_field():
    raw = _raw()
    raw["entries"][0]["stage"] = "pre-departure"
    with pytest.raises(KnowledgeError) as info:
        parse_knowledge(raw)
    msg = str(info.value)
    assert "pd-fair-recruitment" in msg and "stage" in msg and "allowed: " in msg


def test_an_informal_actor_or_unquoted_comma_is_refused():
    raw = _raw()
    raw["entries"][1]["actor_type"] = "micro_informal"
    with pytest.raises(KnowledgeError, match="never proposed as a partner"):
        parse_knowledge(raw)
    raw = _raw()
    raw["risks"]["fees"] = {"label": "Fees", "text": "a", "b": None}
    with pytest.raises(KnowledgeError, match="quote texts"):
        parse_knowledge(raw)


def test_unknown_source_or_missing_field_is_refused():
    raw = _raw()
    raw["entries"][2]["sources"] = ["nobody"]
    with pytest.raises(KnowledgeError, match="unknown code 'nobody'"):
        parse_knowledge(raw)
    raw = _raw()
    del raw["entries"][3]["rationale"]
    with pytest.raises(KnowledgeError, match="missing field 'rationale'"):
        parse_knowledge(copy.deepcopy(raw))
