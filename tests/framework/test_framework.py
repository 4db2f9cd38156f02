"""The framework YAML is the contract of FRAMEWORK.md; codes used in the package must agree with it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz

from migmap.framework import TAG_DIMENSIONS, load_framework

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "migmap"
SPEC = Path(__file__).resolve().parents[3] / "shared" / "FRAMEWORK.md"

#: The codes of FRAMEWORK.md (the public contract), written out so that the test runs anywhere.
CONTRACT = {
    "stages": ["pre_departure", "transit", "arrival", "long_term", "return_reintegration"],
    "contributions": ["funding", "expertise", "access", "advocacy"],
    "business_roles": ["service_provider", "employer", "investor", "philanthropist", "control_contractor"],
    "actor_type": ["multinational", "sme", "micro_informal", "social_enterprise", "foundation", "business_association", "investment_fund"],
    "sector": [
        "recruitment_employment",
        "finance_remittances",
        "telecom_tech",
        "transport_travel",
        "housing_hospitality",
        "education_training",
        "health",
        "legal_professional",
        "security_border",
        "manufacturing_agriculture",
        "retail_consumer",
        "media_communication",
        "energy_construction",
        "multi_sector",
    ],
    "migrant_groups": [
        "labour_migrants",
        "refugees_asylum",
        "idps",
        "irregular_migrants",
        "students",
        "returnees",
        "diaspora",
        "trafficking_survivors",
        "migrants_general",
    ],
    "modalities": [
        "knowledge_dialogue",
        "technical_assistance",
        "grant_cofunding",
        "blended_finance",
        "contracting_ppp",
        "core_business_partnership",
        "standards_certification",
        "private_only",
    ],
    "public_partners": [
        "donor_agency",
        "origin_government",
        "transit_government",
        "destination_government",
        "local_government",
        "international_organisation",
        "ngo_civil_society",
    ],
    "themes": [
        "information_awareness",
        "recruitment",
        "skills_training",
        "documentation_legal",
        "travel_transport",
        "finance_remittances",
        "housing_shelter",
        "health",
        "education",
        "employment",
        "entrepreneurship",
        "connectivity_digital",
        "protection_rescue",
        "migration_control",
        "investment",
        "social_inclusion",
    ],
    "goals": ["safer_migration", "migrant_rights", "service_quality"],
}


def test_every_dimension_and_code_of_the_contract_is_in_the_yaml():
    fw = load_framework()
    assert list(fw.names) == list(TAG_DIMENSIONS)
    for dim, codes in CONTRACT.items():
        assert list(fw.codes(dim)) == codes, dim


def test_every_code_has_label_definition_and_keywords():
    fw = load_framework()
    for dim in fw.dimensions:
        assert dim.label and dim.description
        for code in dim:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", code.code)
            assert code.label and code.definition, f"{dim.code}.{code.code}"
            assert code.keywords, f"{dim.code}.{code.code} has no keywords"


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/FRAMEWORK.md is not beside this checkout")
def test_codes_agree_with_the_spec_file_when_present():
    text = SPEC.read_text(encoding="utf-8")
    spec_codes = set(re.findall(r"`([a-z][a-z0-9_]+)`", text))
    fw = load_framework()
    for dim in CONTRACT:
        missing = [c for c in fw.codes(dim) if c not in spec_codes]
        assert not missing, f"codes of {dim} not in FRAMEWORK.md: {missing}"


def _string_literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def _yaml_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _yaml_strings(k)
            yield from _yaml_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _yaml_strings(v)


def test_no_code_like_string_in_the_package_is_a_near_miss_of_a_framework_code():
    """A literal such as 'pre-departure' or 'long_terms' where a code is meant fails here."""
    fw = load_framework()
    codes = fw.all_codes()
    names = set(fw.names) | {n.rstrip("s") for n in fw.names} | {n + "s" for n in fw.names}
    problems = []
    candidates = []
    for path in PACKAGE.rglob("*.py"):
        candidates += [(f"{path.relative_to(PACKAGE)}:{line}", s) for line, s in _string_literals(path)]
    for path in PACKAGE.rglob("*.yaml"):
        if path.name == "framework.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        candidates += [(str(path.relative_to(PACKAGE)), s) for s in _yaml_strings(data)]
    for where, s in candidates:
        if not re.fullmatch(r"[a-z]+([_-][a-z]+)+", s) or s in codes or s in names:
            continue
        for code in codes:
            hyphenated = "-" in s
            if (hyphenated and s.replace("-", "_") == code) or (not hyphenated and "_" in code and fuzz.ratio(s, code) >= 90):
                problems.append(f"{where}: {s!r} looks like the code {code!r}")
    assert not problems, "\n".join(problems)
