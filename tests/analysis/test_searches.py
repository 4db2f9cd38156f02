"""The search record: logged searches say, per gap-map cell, whether it was searched and what was found."""

from __future__ import annotations

import pytest

from migmap.analysis.gapmap import gap_map
from migmap.analysis.gaps import find_gaps
from migmap.analysis.searches import InvalidSearchLog, Search, SearchLog, load_search_log
from migmap.data import bundled_files
from migmap.io.readers import read_path

from .conftest import as_items

HEALTH = Search("s1", "2026-12-07", "clinics for refugees", {"sector": ("health",)}, screened=4, included=("a",), excluded={"X": "NGO lead"})
ARRIVAL_HEALTH = Search("s2", "2026-12-07", "urgent care on arrival", {"stages": ("arrival",), "sector": ("health",)}, screened=2)
STUDENTS = Search("s3", "2026-12-07", "student loans", {"stages": ("pre_departure",), "migrant_groups": ("students",)}, screened=1, included=("b",))


def test_a_cell_counts_searches_aimed_at_both_of_its_codes():
    log = SearchLog([HEALTH, ARRIVAL_HEALTH, STUDENTS])
    arrival = log.for_cell("stages", "arrival", "sector", "health")
    assert (arrival.searches, arrival.screened, arrival.included) == (2, 6, 1)
    # a search naming no stage looked at every stage; one naming another stage did not
    assert log.for_cell("stages", "transit", "sector", "health").searches == 1
    # a search that never named the sector is not a search for that sector
    assert log.for_cell("stages", "pre_departure", "sector", "finance_remittances").sentence == "never searched"
    assert log.for_cell("stages", "pre_departure", "migrant_groups", "students").sentence == "searched once, 1 candidate screened, 1 included"
    assert SearchLog([ARRIVAL_HEALTH]).for_cell("stages", "arrival", "sector", "health").sentence.endswith("none fits")


def test_an_invalid_log_names_every_problem_with_file_and_entry(tmp_path):
    bad = tmp_path / "log.yaml"
    bad.write_text("- {id: a, date: 2026-01-01, query: q, targets: {stages: [arival], sectr: [x]}, screened: -1}\n- 5\n- {id: a, date: 2026-01-02, query: r}\n")
    with pytest.raises(InvalidSearchLog) as info:
        load_search_log([bad])
    text = [str(p) for p in info.value.problems]
    assert any("log.yaml:1: targets.stages: unknown code(s) 'arival'" in t for t in text)
    assert any("log.yaml:1: targets.sectr: not a dimension" in t for t in text)
    assert any("log.yaml:1: screened" in t for t in text)
    assert any("log.yaml:2: entry" in t for t in text)


def test_the_bundled_log_is_valid_and_every_included_record_is_in_the_map():
    log = load_search_log()
    assert len(log) >= 100
    ids = {r.data.get("id") for p in bundled_files() for r in read_path(p).records}
    assert log.included_ids() <= ids, sorted(log.included_ids() - ids)[:5]


def test_gaps_say_whether_each_gap_was_searched(raw):
    gm = gap_map(as_items(raw), "stages", "sector")
    log = SearchLog([HEALTH])
    report = find_gaps(gm, search_log=log, thin=5, min_expected=0)
    assert report.gaps
    for g in report.gaps:
        expected = "searched once" if g.col == "health" else "never searched"
        assert report.search_of(g).sentence.startswith(expected)
        assert report.to_dict()["gaps"][report.gaps.index(g)]["search"]["searched"] == (g.col == "health")
    assert any(n.startswith("Search record:") for n in report.notes)
    assert find_gaps(gm).searches == {}
