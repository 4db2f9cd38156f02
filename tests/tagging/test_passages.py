from migmap.tagging.passages import group_passages, is_relevant, organisations, relevance, split_passages

from .documents import LONG_REPORT_PAGES


def test_split_keeps_pages_and_joins_headings():
    ps = split_passages(enumerate(LONG_REPORT_PAGES, start=1))
    assert [p.page for p in ps] == [1, 2, 2, 2, 3]
    assert ps[0].text.startswith("Private sector engagement along the migration cycle This report")
    assert [p.index for p in ps] == list(range(len(ps)))


def test_long_paragraphs_are_cut_at_sentences():
    para = " ".join(f"Sentence number {i} is about refugees and a company." for i in range(60))
    ps = split_passages([(4, para)], max_words=100)
    assert len(ps) > 3 and all(len(p.text.split()) <= 100 for p in ps)
    assert all(p.text.endswith(".") for p in ps)


def test_relevance_needs_migrants_a_private_actor_and_an_activity():
    assert is_relevant("The company Acme Ltd launched a programme hiring refugees in Kenya.")
    assert relevance("The government launched a programme for refugees.") == 0.0
    assert relevance("The company Acme Ltd launched a new product line.") == 0.0


def test_grouping_one_draft_per_initiative():
    drafts = group_passages(split_passages(enumerate(LONG_REPORT_PAGES, start=1)))
    assert [d.organisation for d in drafts] == ["Zain Ltd", "Remitly Inc"]
    assert [len(d.passages) for d in drafts] == [2, 1]
    assert drafts[0].pages == [2]
    assert drafts[0].title.startswith("In 2019 the telecom operator Zain Ltd launched")


def test_organisations_prefer_corporate_names():
    assert organisations("Refugees work at Acme Foods GmbH in Berlin; Acme Foods GmbH is proud.")[0] == "Acme Foods GmbH"
