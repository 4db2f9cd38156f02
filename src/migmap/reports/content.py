"""What goes into a report: the analyses of one slice, its charts and its initiatives.

A :class:`ReportData` is built by :func:`migmap.services.analysis.build_report_data`
and rendered by :mod:`migmap.reports.html`, :mod:`~migmap.reports.pdf` or
:mod:`~migmap.reports.markdown`; the renderers never query the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from migmap.analysis.bias import FunderBias
from migmap.analysis.gapmap import GapMap
from migmap.analysis.gaps import GapReport
from migmap.analysis.geography import Geography
from migmap.analysis.network import ActorNetwork
from migmap.analysis.trends import Trends
from migmap.analysis.wording import label
from migmap.domain.countries import country_name
from migmap.domain.filters import Filters
from migmap.domain.models import Initiative

#: Chart names, in the order they appear in a report.
CHARTS = ("gap_map", "contribution_mix", "funder_share", "choropleth", "network", "timeline")


@dataclass
class ReportData:
    title: str
    filters: Filters
    gap_map: GapMap
    gaps: GapReport
    bias: FunderBias
    geography: Geography
    network: ActorNetwork
    trends: Trends
    initiatives: list[Initiative]
    generated: dt.date = field(default_factory=dt.date.today)
    charts: dict[str, Any] = field(default_factory=dict)  # name -> Altair chart

    @property
    def is_empty(self) -> bool:
        return self.gap_map.is_empty

    @property
    def scope(self) -> str:
        return self.filters.describe()

    def highlights(self) -> list[str]:
        """The few sentences a reader should take away."""
        if self.is_empty:
            return [self.gap_map.message]
        out = [self.bias.finding]
        out += [g.sentence for g in self.gaps.gaps[:3]]
        top = self.geography.top_countries(3)
        if top:
            out.append("Most initiatives work in " + ", ".join(f"{name} ({n})" for _, name, n in top) + ".")
        bridges = self.network.bridging()
        if bridges:
            names = ", ".join(a.name for a in bridges[:3])
            out.append(f"Actors that span the most stages of the cycle: {names}.")
        return out


def initiative_row(item: Initiative) -> dict[str, Any]:
    """One initiative as plain text for the report's list."""
    return {
        "id": item.id,
        "name": item.name,
        "lead_actor": item.lead_actor,
        "actor_type": label("actor_type", item.actor_type),
        "stages": ", ".join(label("stages", s) for s in item.stages),
        "contributions": ", ".join(label("contributions", c) for c in item.contributions),
        "countries": ", ".join(country_name(c.code) for c in item.countries),
        "years": f"{item.start_year or '?'}–{item.end_year or ''}".rstrip("–") if item.end_year else f"{item.start_year or '?'}–",
        "sources": [{"url": str(s.url), "title": s.title or str(s.url)} for s in item.sources],
        "last_verified": item.last_verified.isoformat() if item.last_verified else "not verified",
    }
