"""The report as Markdown, with the charts written as PNG files next to it.

The images go to ``<name>_charts/`` beside the Markdown file and are linked relatively,
so the folder can be moved as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from migmap.analysis.wording import label
from migmap.charts.render import to_png

from .content import CHARTS, ReportData, initiative_row

_CAPTIONS = {
    "gap_map": "Gap map",
    "contribution_mix": "Contributions per stage",
    "funder_share": "Funding-only share per stage",
    "choropleth": "Where initiatives work",
    "network": "Actor network",
    "timeline": "Initiatives started per year",
}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(data: ReportData, path: str | Path, progress: Callable[[str, int, int], None] | None = None) -> Path:
    """Write the Markdown report to ``path`` and its charts to ``<stem>_charts/``."""
    path = Path(path)
    chart_dir = path.parent / f"{path.stem}_charts"
    names = [n for n in CHARTS if n in data.charts]
    if names:
        chart_dir.mkdir(parents=True, exist_ok=True)
    images = {}
    for i, name in enumerate(names):
        (chart_dir / f"{name}.png").write_bytes(to_png(data.charts[name]))
        images[name] = f"{chart_dir.name}/{name}.png"
        if progress:
            progress("charts", i + 1, len(names))
    lines = [f"# {data.title}", "", f"Scope: {data.scope}. Generated {data.generated.isoformat()} by migmap.", ""]
    lines += ["## Highlights", ""] + [f"- {h}" for h in data.highlights()] + [""]
    if data.is_empty:
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    def img(name: str) -> list[str]:
        return [f"![{_CAPTIONS[name]}]({images[name]})", ""] if name in images else []

    gm = data.gap_map
    lines += ["## Gap map", "", gm.message, ""] + img("gap_map")
    header = [label(gm.cols_dim, c) for c in gm.cols_in_scope]
    lines.append("| | " + " | ".join(map(_cell, header)) + " | Total |")
    lines.append("|---" * (len(header) + 2) + "|")
    for r in gm.rows_in_scope:
        counts = [str(gm.cell(r, c).count) for c in gm.cols_in_scope]
        lines.append(f"| {_cell(label(gm.rows_dim, r))} | " + " | ".join(counts) + f" | {gm.row_totals[r]} |")
    lines.append("")
    lines += ["## Gaps", ""]
    lines += [
        f"{i}. {g.sentence} (residual {g.residual:.1f}{'; ' + s.sentence if (s := data.gaps.search_of(g)) else ''})"
        for i, g in enumerate(data.gaps.gaps[:15], 1)
    ] or ["No gaps found."]
    lines += [""] + [f"> {n}" for n in data.gaps.notes] + [""]
    lines += ["## Funder bias", "", data.bias.finding, ""] + img("contribution_mix") + img("funder_share")
    lines += ["| Stage | Initiatives | Funding only | 95% interval |", "|---|---|---|---|"]
    for code, p in data.bias.by.get("stages", {}).items():
        if p.share is not None:
            lines.append(f"| {label('stages', code)} | {p.n} | {p.share:.0%} | {p.low:.0%}–{p.high:.0%} |")
    lines.append("")
    geo = data.geography
    lines += ["## Geography and time", "", geo.message, ""] + img("choropleth")
    if geo.corridors:
        from migmap.domain.countries import country_name

        lines += ["| Corridor (origin → destination) | Initiatives |", "|---|---|"]
        lines += [f"| {country_name(o)} → {country_name(d)} | {k} |" for o, d, k in geo.top_corridors(10)]
        lines.append("")
    lines += [data.trends.message, ""] + img("timeline")
    net = data.network
    lines += ["## Network", "", net.message, ""] + img("network")
    lines += ["| Actor | Kind | Initiatives | Partners | Stages | Betweenness |", "|---|---|---|---|---|---|"]
    for a in net.top("betweenness", 10):
        lines.append(f"| {_cell(a.name)} | {a.kind} | {a.initiatives} | {a.partners} | {len(a.stages)} | {a.betweenness:.3f} |")
    lines += ["", f"## Initiatives ({len(data.initiatives)})", ""]
    for row in map(initiative_row, data.initiatives):
        sources = "; ".join(f"[{_cell(s['title'])}]({s['url']})" for s in row["sources"])
        lines.append(f"- **{_cell(row['name'])}** ({_cell(row['lead_actor'])}; {row['stages']}; {row['countries']}; {row['years']}). Sources: {sources}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
