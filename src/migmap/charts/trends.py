"""Timeline: initiatives started per year, by stage.

>>> from migmap.analysis import trends
>>> timeline(trends([])).to_dict()["title"]["text"]
'No dated initiatives in this slice'
"""

from __future__ import annotations

import altair as alt

from migmap.analysis.trends import Trends
from migmap.analysis.wording import dimension_label, label

from .palette import base_config, category_colours


def timeline(t: Trends) -> alt.Chart:
    """Stacked bars of starts per year, coloured by code of the dimension (stages by default)."""
    labels = [label(t.dimension, c) for c in t.codes]
    values = [{"year": y, "code": label(t.dimension, c), "count": t.count(y, c), "order": t.codes.index(c)} for y in t.years for c in t.codes if t.count(y, c)]
    if not t.years:
        title = "No dated initiatives in this slice"
    else:
        peak = max(t.per_year.items(), key=lambda kv: (kv[1], kv[0]))
        title = f"Starts peaked in {peak[0]} with {peak[1]} new initiatives"
    return (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Start year", axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("count:Q", title="Initiatives started", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("code:N", sort=labels, scale=alt.Scale(domain=labels, range=category_colours(len(labels))), title=dimension_label(t.dimension)),
            order=alt.Order("order:Q"),
            tooltip=["year:O", "code:N", "count:Q"],
        )
        .properties(
            title=alt.Title(title, subtitle=t.message + " An initiative at several stages counts in each."), width=max(14 * len(t.years), 360), height=240
        )
        .configure(**base_config())
    )
