"""The actor network of the sample: nodes, degrees, bridges, communities, exports."""

from __future__ import annotations

import io

import networkx as nx

from migmap.analysis import actor_network
from migmap.services.analysis import compute_network


def test_sample_network(sample_db, raw):
    net = compute_network(sample_db)
    names = {a["name"].casefold() for r in raw for a in r["actors"]}
    assert {a.name.casefold() for a in net.actors} == names
    assert net.n_initiatives == 6
    by = {a.name: a for a in net.actors}
    assert by["Zeta Chamber of Commerce"].stages == ["pre_departure", "long_term", "return_reintegration"]
    assert by["Zeta Chamber of Commerce"].partners == 0
    assert by["Alpha Recruiters Ltd"].partners == 1 and by["International Labour Office"].kind == "public"
    assert [a.name for a in net.bridging()][0] == "Zeta Chamber of Commerce"
    assert len(net.communities) == 5  # five partnerships, zeta alone
    assert net.message.startswith("11 actors (6 private, 5 public) in 6 initiatives")


def test_shared_actor_bridges_and_betweenness(sample_db, items):
    # make one NGO partner in two initiatives and a company partner in two: a chain a-b-c
    from migmap.domain import Initiative

    base = {i.id: i.record() for i in items}
    alpha = base["alpha-fair-recruitment"]
    beta = base["beta-connect"]
    beta["actors"].append({**alpha["actors"][1]})  # the ILO also works with Beta
    extra = Initiative.model_validate({**beta, "version": 1})
    others = [i for i in items if i.id != "beta-connect"]
    net = actor_network([*others, extra])
    by = {a.name: a for a in net.actors}
    ilo = by["International Labour Office"]
    assert ilo.partners == 3 and ilo.initiatives == 2
    assert ilo.betweenness > 0 and net.top("betweenness", 1)[0].name == "International Labour Office"


def test_graphml_and_json_round_trip(sample_db):
    net = compute_network(sample_db)
    g = nx.read_graphml(io.BytesIO(net.to_graphml().encode("utf-8")))
    assert g.number_of_nodes() == net.graph.number_of_nodes()
    assert g.nodes["initiative:zeta-returnee-jobs"]["stages"] == "return_reintegration;pre_departure;long_term"
    d = net.to_dict()
    assert len(d["edges"]) == net.graph.number_of_edges() and d["bridging"][0] == "Zeta Chamber of Commerce"


def test_empty_network():
    net = actor_network([])
    assert net.actors == [] and net.communities == [] and "empty" in net.message
