"""Funder bias charts: contributions per stage (stacked) and the funding-only share per stage.

>>> from migmap.analysis import funder_bias
>>> contribution_mix(funder_bias([])).to_dict()["title"]["text"]
'No initiatives in this slice, so no contribution mix'
"""

from __future__ import annotations

import altair as alt

from migmap.analysis.bias import FunderBias
from migmap.analysis.wording import label
from migmap.framework import load_framework

from .palette import base_config, category_colours


def contribution_mix(bias: FunderBias) -> alt.Chart:
    """Per stage, how many initiatives bring each contribution (an initiative may bring several)."""
    mix = bias.mix
    fw = load_framework()
    contribs = list(fw["contributions"].codes)
    clabels = [label("contributions", c) for c in contribs]
    stages = [label("stages", s) for s in mix.rows]
    values = [
        {
            "stage": label("stages", c.row),
            "contribution": label("contributions", c.col),
            "count": c.count,
            "order": contribs.index(c.col),
            "share": round(c.row_share * 100),
        }
        for c in mix.cells
        if c.count
    ]
    if bias.overall.share is None:
        title = "No initiatives in this slice, so no contribution mix"
    else:
        title = f"Business is only a funder in {bias.overall.share:.0%} of initiatives"
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("stage:N", sort=stages, title=None),
            x=alt.X("count:Q", title="Initiatives bringing each contribution", stack="zero", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("contribution:N", sort=clabels, scale=alt.Scale(domain=clabels, range=category_colours(len(clabels))), title="Contribution"),
            order=alt.Order("order:Q"),
            tooltip=["stage:N", "contribution:N", "count:Q", alt.Tooltip("share:Q", title="% of stage")],
        )
        .properties(
            title=alt.Title(title, subtitle="Contributions of the private actors per stage; an initiative can bring several"),
            width=460,
            height=34 * max(len(stages), 1),
        )
        .configure(**base_config())
    )
    return chart


def funder_share(bias: FunderBias, breakdown: str = "stages") -> alt.Chart:
    """The funding-only share per group of ``breakdown`` with its 95% bootstrap interval."""
    groups = bias.by.get(breakdown, {})
    values = [
        {"group": label(breakdown, code) if breakdown != "start_year" else str(code), "share": p.share, "low": p.low, "high": p.high, "n": p.n}
        for code, p in groups.items()
        if p.share is not None
    ]
    order = [v["group"] for v in values]
    top = bias.highest(breakdown, min_n=1)
    title = (
        f"Funding-only is most common for {label(breakdown, top[0]) if breakdown != 'start_year' else top[0]} ({top[1].share:.0%})"
        if top
        else "No initiatives in this slice"
    )
    base = alt.Chart(alt.Data(values=values)).encode(y=alt.Y("group:N", sort=order, title=None))
    bars = base.mark_bar(color=category_colours(1)[0]).encode(
        x=alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Share of initiatives where business only funds"),
        tooltip=["group:N", alt.Tooltip("share:Q", format=".0%"), alt.Tooltip("low:Q", format=".0%"), alt.Tooltip("high:Q", format=".0%"), "n:Q"],
    )
    rules = base.mark_rule(color="#222").encode(x="low:Q", x2="high:Q")
    overall = bias.overall.share
    layers = [bars, rules]
    if overall is not None:
        layers.append(alt.Chart(alt.Data(values=[{"x": overall}])).mark_rule(strokeDash=[4, 3], color="#D55E00").encode(x="x:Q"))
    return (
        alt.layer(*layers)
        .properties(
            title=alt.Title(title, subtitle="Bars: share; black lines: 95% bootstrap interval; dashed: all initiatives"),
            width=420,
            height=30 * max(len(values), 1),
        )
        .configure(**base_config())
    )
