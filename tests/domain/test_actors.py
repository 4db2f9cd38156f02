"""One actor per organisation: name keys, acronyms, country offices, likely duplicates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from migmap.domain.actors import NameIndex, acronyms, actor_key, find_offices, likely_duplicates, split_office
from migmap.domain.models import Actor, InitiativeCreate

from ..conftest import record


@pytest.mark.parametrize(
    "names",
    [
        ["International Organization for Migration (IOM)", "International Organization for Migration", "the international organisation for migration"],
        ["International Rescue Committee", "International Rescue Committee (IRC)", "INTERNATIONAL RESCUE COMMITTEE"],
        ["Airbnb", "Airbnb, Inc.", "Airbnb Inc", "AIRBNB INC."],
        ["Example GmbH", "Example", "Example AG", "Example S.A.", "Example Ltd.", "Example plc", "Example LLC", "Example SE", "The Example Company"],
        ["Verité", "Verite", "VERITÉ"],
        ["Ben & Jerry's", "Ben and Jerrys"],
        ["U.S. Department of State", "US Department of State"],
        ["Ministry of Labour (Kenya)", "Ministry of Labor, Kenya"],
    ],
)
def test_spellings_of_one_organisation_share_a_key(names):
    assert len({actor_key(n) for n in names}) == 1, {n: actor_key(n) for n in names}


@pytest.mark.parametrize(
    "a, b",
    [
        ("Mastercard", "Mastercard Foundation"),
        ("Western Union", "Western Union Foundation"),
        ("Airbnb", "Airbnb.org"),
        ("BRAC", "BRAC Bank"),
        ("UNHCR", "UNHCR Italy"),
        ("Government of Canada", "Government of Panama"),
    ],
)
def test_different_organisations_keep_different_keys(a, b):
    assert actor_key(a) != actor_key(b)


def test_acronyms_in_parentheses_and_alone():
    assert acronyms("International Organization for Migration (IOM)") == {"iom"}
    assert acronyms("Swedish International Development Cooperation Agency (Sida)") == {"sida"}
    assert acronyms("Norwegian Agency for Development Cooperation (Norad)") == {"norad"}
    assert acronyms("UNHCR") == {"unhcr"}
    # a translation or a qualifier in parentheses is no acronym, and stays in the key
    assert acronyms("Turkish Red Crescent (Kızılay)") == set()
    assert actor_key("Tascor (Capita)") == "tascor capita"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("UNHCR Italy", ("UNHCR", "Italy")),
        ("IOM Niger", ("IOM", "Niger")),
        ("Save the Children UK", ("Save the Children", "UK")),
        ("IOM Office in Niger", ("IOM", "Niger")),
        ("Oxfam (Italy)", ("Oxfam", "Italy")),
        ("IKEA Italia", ("IKEA", "Italia")),
        ("Walmart de México", ("Walmart", "México")),
        ("Mercy Corps - Jordan", ("Mercy Corps", "Jordan")),
        ("Bank of Ghana", None),
        ("Government of Canada", None),
        ("Italy", None),
        ("Airbnb", None),
    ],
)
def test_country_offices(name, expected):
    assert split_office(name) == expected


def test_offices_resolve_to_their_organisation():
    names = ["UNHCR", "UNHCR Italy", "UNHCR Romania", "International Organization for Migration (IOM)", "IOM Niger", "Social Finance UK"]
    assert find_offices(names) == {"UNHCR Italy": "UNHCR", "UNHCR Romania": "UNHCR", "IOM Niger": "International Organization for Migration (IOM)"}
    index = NameIndex(names)
    assert index.find("International Organization for Migration") == "International Organization for Migration (IOM)"
    assert index.find("IOM") == "International Organization for Migration (IOM)"
    assert index.find("Social Finance") is None


def test_likely_duplicates_and_why():
    names = [
        "International Organization for Migration (IOM)",
        "International Organization for Migration",
        "IOM",
        "USAID",
        "United States Agency for International Development",
        "Sida",
        "Swedish International Development Cooperation Agency (Sida)",
        "European Union (EU Emergency Trust Fund for Africa)",
        "European Union Emergency Trust Fund for Africa",
        "Rwanda Ministry in charge of Emergency Management",
        "Ministry in charge of Emergency Management (MIDIMAR), Rwanda",
        "BRAC",
        "BRAC (microfinance programme)",
    ]
    found = {(p.a, p.b): p.reason for p in likely_duplicates(names)}
    assert found[("International Organization for Migration", "International Organization for Migration (IOM)")] == "same key"
    assert found[("International Organization for Migration", "IOM")] == "acronym"
    assert found[("International Organization for Migration (IOM)", "IOM")] == "acronym"
    assert found[("United States Agency for International Development", "USAID")] == "acronym"
    assert found[("Sida", "Swedish International Development Cooperation Agency (Sida)")] == "acronym"
    assert found[("European Union (EU Emergency Trust Fund for Africa)", "European Union Emergency Trust Fund for Africa")] == "similar"
    assert found[("Ministry in charge of Emergency Management (MIDIMAR), Rwanda", "Rwanda Ministry in charge of Emergency Management")] == "same words"
    assert found[("BRAC", "BRAC (microfinance programme)")] == "same name apart from parentheses"
    assert len(found) == 8


def test_what_is_not_a_duplicate():
    names = [
        "UNHCR",
        "UNHCR Italy",
        "UNHCR Greece",
        "IOM Niger",
        "IOM Nigeria",
        "Mastercard",
        "Mastercard Foundation",
        "Western Union",
        "Western Union Foundation",
        "Government of Canada",
        "Government of Panama",
        "Federation of Bangladesh Chambers of Commerce and Industry",
        "Federation of Nepalese Chambers of Commerce and Industry (FNCCI)",
        "Airbnb",
        "Airbnb.org",
    ]
    assert likely_duplicates(names) == []


def test_a_name_given_as_another_actors_alias_is_a_duplicate():
    pairs = likely_duplicates(["UN Refugee Agency", "UNHCR"], aliases={"UNHCR": ["UN Refugee Agency"]})
    assert [(p.a, p.b, p.reason) for p in pairs] == [("UN Refugee Agency", "UNHCR", "alias")]


def test_cutoff_widens_the_similar_names():
    names = ["Vodafone Foundation", "Vodafone Group Foundation"]
    assert likely_duplicates(names) == []
    assert [p.reason for p in likely_duplicates(names, cutoff=80)] == ["similar"]


_words = st.lists(st.sampled_from(["Global", "Refugee", "Jobs", "Fund", "Alpha", "Nord", "Acme", "Works"]), min_size=1, max_size=4)


@given(_words, st.sampled_from(["", " Inc.", ", Ltd", " GmbH", " S.A.", " plc", " LLC"]), st.booleans(), st.booleans())
def test_key_ignores_case_the_and_legal_forms(words, legal, the, upper):
    base = " ".join(words)
    name = ("The " if the else "") + base + legal
    name = name.upper() if upper else name
    assert actor_key(name) == actor_key(base)


def test_actor_model_aliases_and_office():
    a = Actor(name="International Organization for Migration (IOM)", kind="public", aliases="IOM; iom; International Organization for Migration (IOM); OIM")
    assert a.aliases == ["IOM", "OIM"] and a.wikidata is None
    office = Actor(name="UNHCR Italy", kind="public", office_of="UNHCR", wikidata="Q1065")
    assert office.office_of == "UNHCR" and office.wikidata == "Q1065"
    with pytest.raises(ValueError, match="office_of"):
        Actor(name="UNHCR", kind="public", office_of="unhcr")
    with pytest.raises(ValueError, match="Q12345"):
        Actor(name="UNHCR", kind="public", wikidata="12345")
    rec = InitiativeCreate.model_validate(record(actors=[{"name": "UNHCR Italy", "kind": "public", "office_of": "UNHCR", "aliases": ["UNHCR Rome"]}]))
    assert rec.actors[1].office_of == "UNHCR" and rec.actors[1].aliases == ["UNHCR Rome"]
