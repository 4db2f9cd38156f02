from migmap.tagging.gazetteer import country_mentions, find_countries


def test_names_common_names_and_demonyms():
    text = "Syrian refugees in Türkiye, Venezuelans in Colombia and workers from the Philippines in the UAE"
    assert find_countries(text) == ["SYR", "TUR", "VEN", "COL", "PHL", "ARE"]


def test_longest_name_wins_and_words_are_whole():
    assert find_countries("Nigeria and Niger, South Sudan") == ["NGA", "NER", "SSD"]
    assert find_countries("a Germanic language") == []


def test_ambiguous_names_need_a_place_context():
    assert find_countries("Michael Jordan visited") == []
    assert find_countries("refugees in Jordan") == ["JOR"]
    assert find_countries("roast turkey") == []


def test_mentions_keep_the_words_as_evidence():
    assert country_mentions("Afghan evacuees in the United States; Afghans in Germany") == {
        "AFG": ["Afghan", "Afghans"],
        "USA": ["United States"],
        "DEU": ["Germany"],
    }


def test_rohingya_map_to_myanmar():
    assert find_countries("Rohingya refugees in Bangladesh") == ["MMR", "BGD"]
