"""Render a chart specification (Altair chart or Vega-Lite dict) to PNG, SVG or a file.

Rendering is offline (vl-convert bundles Vega); the world map is read from the package.

    >>> import altair as alt
    >>> png = to_png(alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q"))
    >>> png[:4] == b"\\x89PNG"
    True
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import vl_convert as vlc

from migmap.domain.errors import MigmapError

FORMATS = ("png", "svg", "json", "html")


def spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite specification of an Altair chart (a dict passes through)."""
    return chart if isinstance(chart, dict) else chart.to_dict()


def to_png(chart: Any, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(spec(chart), scale=scale)


def to_svg(chart: Any) -> str:
    return vlc.vegalite_to_svg(spec(chart))


def to_html(chart: Any) -> str:
    """A standalone HTML page with the chart rendered as inline SVG (no scripts, no network)."""
    return f"<!doctype html><meta charset='utf-8'><body>{to_svg(chart)}</body>"


def data_uri(chart: Any, scale: float = 2.0) -> str:
    """A ``data:image/png;base64,...`` URI, to embed in a self-contained page."""
    return "data:image/png;base64," + base64.b64encode(to_png(chart, scale)).decode("ascii")


def save(chart: Any, path: str | Path, fmt: str | None = None) -> Path:
    """Write the chart to ``path`` as png, svg, json (the spec) or html, by ``fmt`` or the suffix."""
    import json

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise MigmapError(f"cannot write a chart as {fmt!r} ({path}); use one of: {', '.join(FORMATS)}")
    if fmt == "png":
        path.write_bytes(to_png(chart))
    elif fmt == "svg":
        path.write_text(to_svg(chart), encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(chart), encoding="utf-8")
    else:
        path.write_text(json.dumps(spec(chart), indent=2), encoding="utf-8")
    return path
