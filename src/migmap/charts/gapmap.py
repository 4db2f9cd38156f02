"""The gap map as a heat map: framework labels on both axes, counts in the cells.

>>> from migmap.analysis import gap_map
>>> chart = heatmap(gap_map([]))
>>> chart.to_dict()["title"]["text"]
['No initiatives in this slice']
"""

from __future__ import annotations

import altair as alt

from migmap.analysis.gapmap import GapMap
from migmap.analysis.wording import dimension_label, label

from .palette import SEQUENTIAL, base_config


def finding(gm: GapMap) -> str:
    """A title that states what the map shows."""
    return "; ".join(finding_lines(gm))


def finding_lines(gm: GapMap) -> list[str]:
    if gm.is_empty:
        return ["No initiatives in this slice"]
    cells = gm.cells_in_scope  # codes the filters leave out are not shown, and not empty
    top = max(cells, key=lambda c: (c.count, -gm.rows.index(c.row), -gm.cols.index(c.col)))
    empty = sum(1 for c in cells if c.count == 0)
    return [
        f"Most common: {label(gm.rows_dim, top.row)} × {label(gm.cols_dim, top.col)} ({top.count})",
        "No combination is empty" if not empty else f"{empty} of {len(cells)} combinations {'is' if empty == 1 else 'are'} empty",
    ]


def heatmap(gm: GapMap, width: int | None = None) -> alt.Chart:
    """Rows × columns with a count in each cell; empty cells stay visible (white, '0')."""
    rows = [label(gm.rows_dim, r) for r in gm.rows_in_scope]
    cols = [label(gm.cols_dim, c) for c in gm.cols_in_scope]
    values = [
        {
            "row": label(gm.rows_dim, c.row),
            "col": label(gm.cols_dim, c.col),
            "count": c.count,
            "share": round(c.row_share * 100),
        }
        for c in gm.cells_in_scope
    ]
    high = max([c.count for c in gm.cells_in_scope] + [1])
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("col:N", sort=cols, title=dimension_label(gm.cols_dim), axis=alt.Axis(labelAngle=-35, orient="top")),
        y=alt.Y("row:N", sort=rows, title=dimension_label(gm.rows_dim)),
    )
    rect = base.mark_rect(stroke="#ddd").encode(
        color=alt.condition(
            "datum.count == 0",
            alt.value("#ffffff"),
            alt.Color("count:Q", scale=alt.Scale(scheme=SEQUENTIAL, domain=[0, high]), title="Initiatives", legend=alt.Legend(format="d", tickMinStep=1)),
        ),
        tooltip=[
            alt.Tooltip("row:N", title="Row"),
            alt.Tooltip("col:N", title="Column"),
            alt.Tooltip("count:Q", title="Initiatives"),
            alt.Tooltip("share:Q", title="% of row"),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text="count:Q",
        color=alt.condition(f"datum.count > {high * 0.55}", alt.value("white"), alt.value("#222")),
        opacity=alt.condition("datum.count == 0", alt.value(0.45), alt.value(1.0)),
    )
    subtitle = [f"{gm.total} initiatives ({gm.filters.describe()})", "an initiative with several codes counts in each; white: none mapped"]
    return (
        (rect + text)
        .properties(
            title=alt.Title(finding_lines(gm), subtitle=subtitle),
            width=width or max(62 * len(cols), 300),
            height=34 * len(rows),
        )
        .configure(**base_config())
    )
