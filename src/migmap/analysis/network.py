"""The network of actors and initiatives: who works with whom, and who bridges stages.

The graph is bipartite: actor nodes (``actor:<name>``, private and public) link to the
initiative nodes (``initiative:<id>``) they take part in. From it:

- **degree**: an actor's number of initiatives, and its number of distinct partners;
- **betweenness**: on the actor co-participation graph (actors linked when they share
  an initiative), normalised; high values mark brokers between otherwise separate groups;
- **bridging actors**: actors whose initiatives span several stages of the cycle;
- **communities**: greedy modularity communities of the co-participation graph.

    >>> net = actor_network([])
    >>> net.graph.number_of_nodes(), net.message
    (0, 'No initiatives in this slice (all initiatives): the network is empty.')
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from networkx.algorithms.community import greedy_modularity_communities

from migmap.domain.filters import Filters
from migmap.domain.models import Initiative
from migmap.framework import load_framework


def actor_key(name: str) -> str:
    return "actor:" + name.strip().casefold()


@dataclass
class ActorStats:
    key: str
    name: str
    kind: str
    type: str | None
    initiatives: int
    partners: int
    betweenness: float
    stages: list[str]
    community: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "type": self.type,
            "initiatives": self.initiatives,
            "partners": self.partners,
            "betweenness": round(self.betweenness, 6),
            "stages": self.stages,
            "community": self.community,
        }


@dataclass
class ActorNetwork:
    graph: nx.Graph  # bipartite: actors and initiatives
    actors: list[ActorStats] = field(default_factory=list)
    communities: list[list[str]] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)

    @property
    def n_initiatives(self) -> int:
        return sum(1 for _, d in self.graph.nodes(data=True) if d.get("bipartite") == "initiative")

    @property
    def message(self) -> str:
        if not self.n_initiatives:
            return f"No initiatives in this slice ({self.filters.describe()}): the network is empty."
        public = sum(1 for a in self.actors if a.kind == "public")
        return (
            f"{len(self.actors)} actors ({len(self.actors) - public} private, {public} public) in "
            f"{self.n_initiatives} initiatives; {len(self.communities)} communities of actors that work together."
        )

    def bridging(self, min_stages: int = 2) -> list[ActorStats]:
        """Actors active in at least ``min_stages`` stages, most stages first."""
        out = [a for a in self.actors if len(a.stages) >= min_stages]
        return sorted(out, key=lambda a: (-len(a.stages), -a.initiatives, -a.betweenness, a.name))

    def top(self, by: str = "betweenness", n: int = 10) -> list[ActorStats]:
        """The ``n`` actors with the highest ``betweenness``, ``initiatives`` or ``partners``."""
        if by not in ("betweenness", "initiatives", "partners"):
            raise ValueError(f"unknown ranking {by!r}; use betweenness, initiatives or partners")
        return sorted(self.actors, key=lambda a: (-getattr(a, by), -a.initiatives, a.name))[:n]

    def to_dict(self) -> dict[str, Any]:
        nodes = [{"id": n, **_scalar_attrs(d)} for n, d in self.graph.nodes(data=True)]
        edges = [{"source": u, "target": v, **_scalar_attrs(d)} for u, v, d in self.graph.edges(data=True)]
        return {
            "filters": self.filters.describe(),
            "message": self.message,
            "actors": [a.to_dict() for a in self.actors],
            "bridging": [a.name for a in self.bridging()],
            "communities": self.communities,
            "nodes": nodes,
            "edges": edges,
        }

    def to_graphml(self) -> str:
        """The bipartite graph as GraphML text (list attributes joined with ``;``)."""
        g = nx.Graph()
        for n, d in self.graph.nodes(data=True):
            g.add_node(n, **_scalar_attrs(d))
        for u, v, d in self.graph.edges(data=True):
            g.add_edge(u, v, **_scalar_attrs(d))
        buf = io.BytesIO()
        nx.write_graphml(g, buf, encoding="utf-8")
        return buf.getvalue().decode("utf-8")


def _scalar_attrs(d: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        if v is None:
            continue
        out[k] = ";".join(map(str, v)) if isinstance(v, (list, tuple, set)) else v
    return out


def co_participation(graph: nx.Graph) -> nx.Graph:
    """Actors linked when they share an initiative; ``weight`` = number of shared initiatives."""
    actors = [n for n, d in graph.nodes(data=True) if d.get("bipartite") == "actor"]
    g = nx.Graph()
    g.add_nodes_from(actors)
    for n, d in graph.nodes(data=True):
        if d.get("bipartite") != "initiative":
            continue
        members = sorted(graph.neighbors(n))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                w = g[a][b]["weight"] + 1 if g.has_edge(a, b) else 1
                g.add_edge(a, b, weight=w)
    return g


def actor_network(items: Iterable[Initiative], filters: Filters | None = None) -> ActorNetwork:
    """Build the network of ``items`` (already filtered) and its measures; pure."""
    stage_order = load_framework()["stages"].codes
    g = nx.Graph()
    for item in items:
        inode = f"initiative:{item.id}"
        g.add_node(inode, bipartite="initiative", label=item.name, stages=list(item.stages), actor_type=item.actor_type)
        actors = list(item.actors)
        names = {a.name.casefold() for a in actors}
        if item.lead_actor.casefold() not in names:  # the lead is always part of the network
            g.add_node(actor_key(item.lead_actor), bipartite="actor", label=item.lead_actor, kind="private", type=item.actor_type)
            g.add_edge(actor_key(item.lead_actor), inode, role="lead")
        for a in actors:
            key = actor_key(a.name)
            if key not in g:
                g.add_node(key, bipartite="actor", label=a.name, kind=a.kind, type=a.public_type if a.kind == "public" else a.actor_type)
            g.add_edge(key, inode, role=a.role)
    co = co_participation(g)
    betweenness = nx.betweenness_centrality(co, normalized=True) if co.number_of_nodes() > 2 else dict.fromkeys(co, 0.0)
    communities: list[list[str]] = []
    membership: dict[str, int] = {}
    if co.number_of_edges():
        found = greedy_modularity_communities(co, weight="weight")
        ranked = sorted((sorted(c) for c in found if len(c) > 1), key=lambda c: (-len(c), c))
        for i, c in enumerate(ranked):
            communities.append([g.nodes[n]["label"] for n in c])
            for n in c:
                membership[n] = i
    stats = []
    for n in co.nodes:
        d = g.nodes[n]
        stages = {s for i in g.neighbors(n) for s in g.nodes[i]["stages"]}
        stats.append(
            ActorStats(
                key=n,
                name=d["label"],
                kind=d.get("kind", "private"),
                type=d.get("type"),
                initiatives=g.degree(n),
                partners=co.degree(n),
                betweenness=float(betweenness.get(n, 0.0)),
                stages=[s for s in stage_order if s in stages],
                community=membership.get(n),
            )
        )
        g.nodes[n]["betweenness"] = float(betweenness.get(n, 0.0))
        g.nodes[n]["community"] = membership.get(n, -1)
    stats.sort(key=lambda a: (-a.initiatives, -a.betweenness, a.name))
    return ActorNetwork(g, stats, communities, filters or Filters())
