"""A self-contained HTML report: charts embedded as PNG data URIs, no scripts, no network.

>>> from migmap.reports.html import environment
>>> environment().get_template("report.html").name
'report.html'
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from jinja2 import Environment, PackageLoader

from migmap import templating
from migmap.charts.render import data_uri

from .content import CHARTS, ReportData, initiative_row


@lru_cache(maxsize=1)
def environment() -> Environment:
    return templating.environment(PackageLoader("migmap.reports", "templates"))


def chart_images(data: ReportData, progress: Callable[[str, int, int], None] | None = None) -> dict[str, str]:
    """Chart name -> PNG data URI, for the charts the report holds."""
    out = {}
    names = [n for n in CHARTS if n in data.charts]
    for i, name in enumerate(names):
        out[name] = data_uri(data.charts[name])
        if progress:
            progress("charts", i + 1, len(names))
    return out


def render_html(data: ReportData, for_print: bool = False, images: dict[str, str] | None = None) -> str:
    """The report as one HTML string (``for_print`` adds page rules used by the PDF)."""
    images = images if images is not None else chart_images(data)
    return (
        environment()
        .get_template("report.html")
        .render(
            d=data,
            images=images,
            for_print=for_print,
            rows=[initiative_row(i) for i in data.initiatives],
            bias_groups=[(dim, data.bias.by.get(dim, {})) for dim in ("stages", "actor_type", "sector", "public_partners")],
        )
    )
