"""A picture of the actor network: private and public actors linked when they share an initiative.

Positions come from a seeded spring layout, so the picture is the same on every run.

    >>> from migmap.analysis import actor_network
    >>> network_picture(actor_network([])).to_dict()["title"]["text"]
    'No initiatives in this slice, so no network'
"""

from __future__ import annotations

import altair as alt
import networkx as nx

from migmap.analysis.network import ActorNetwork, co_participation

from .palette import OKABE_ITO, base_config


def network_picture(net: ActorNetwork, max_actors: int = 150, size: int = 560) -> alt.LayerChart:
    """Actors as dots (colour: private / public; size: initiatives), links for shared initiatives.

    Only the ``max_actors`` most connected actors are drawn, to keep the picture readable."""
    co = co_participation(net.graph)
    # draw the largest group of connected actors: small separate pairs would squeeze it into a dot
    largest = max(nx.connected_components(co), key=len) if co.number_of_nodes() else set()
    pool = [a for a in net.actors if a.key in largest] if len(largest) > 2 else net.actors
    keep = [a.key for a in sorted(pool, key=lambda a: (-a.partners, -a.initiatives, a.name))[:max_actors]]
    sub = co.subgraph(keep)
    pos = nx.spring_layout(sub, seed=7, k=None) if sub.number_of_nodes() else {}
    stats = {a.key: a for a in net.actors}
    named = {a.key for a in net.top("betweenness", 5) if a.betweenness > 0}
    nodes = [
        {
            "x": float(pos[n][0]),
            "y": float(pos[n][1]),
            "name": stats[n].name,
            "kind": "Public actor" if stats[n].kind == "public" else "Private actor",
            "initiatives": stats[n].initiatives,
            "partners": stats[n].partners,
            "label": stats[n].name if n in named else "",
        }
        for n in sub.nodes
    ]
    edges = [
        {"x": float(pos[u][0]), "y": float(pos[u][1]), "x2": float(pos[v][0]), "y2": float(pos[v][1]), "w": d.get("weight", 1)}
        for u, v, d in sub.edges(data=True)
    ]
    if not net.n_initiatives:
        title = "No initiatives in this slice, so no network"
    else:
        top = net.top("betweenness", 1)
        broker = f"; the main broker is {top[0].name}" if top and top[0].betweenness > 0 else ""
        title = f"{len(net.communities)} groups of actors that work together{broker}"
    axis = alt.Axis(title=None, labels=False, ticks=False, domain=False, grid=False)
    link = (
        alt.Chart(alt.Data(values=edges))
        .mark_rule(color="#999", opacity=0.5)
        .encode(
            x=alt.X("x:Q", axis=axis),
            y=alt.Y("y:Q", axis=axis),
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("w:Q", legend=None, scale=alt.Scale(range=[0.6, 3])),
        )
    )
    dots = (
        alt.Chart(alt.Data(values=nodes))
        .mark_circle(opacity=0.9, stroke="white", strokeWidth=0.6)
        .encode(
            x=alt.X("x:Q", axis=axis),
            y=alt.Y("y:Q", axis=axis),
            color=alt.Color("kind:N", scale=alt.Scale(domain=["Private actor", "Public actor"], range=[OKABE_ITO[0], OKABE_ITO[1]]), title=None),
            size=alt.Size("initiatives:Q", scale=alt.Scale(range=[40, 400], zero=False), title="Initiatives", legend=alt.Legend(format="d", tickMinStep=1)),
            tooltip=["name:N", "kind:N", "initiatives:Q", "partners:Q"],
        )
    )
    labels = alt.Chart(alt.Data(values=[n for n in nodes if n["label"]])).mark_text(dy=-10, fontSize=10, color="#222").encode(x="x:Q", y="y:Q", text="label:N")
    shown = (
        f"{len(nodes)} of {len(net.actors)} actors shown (the most connected of the largest group)" if len(net.actors) > len(nodes) else f"{len(nodes)} actors"
    )
    return (
        alt.layer(link, dots, labels)
        .properties(title=alt.Title(title, subtitle=[shown, "labelled: the actors that most often connect others"]), width=size, height=int(size * 0.75))
        .configure(**base_config())
    )
