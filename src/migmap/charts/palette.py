"""Colour-blind-safe colours: Okabe-Ito for categories, single-hue ramps for counts.

>>> category_colours(3)
['#0072B2', '#E69F00', '#009E73']
"""

from __future__ import annotations

#: Okabe & Ito (2008), distinguishable with every common colour-vision deficiency.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
#: Sequential scheme for counts (single hue, readable in grey scale).
SEQUENTIAL = "blues"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


def category_colours(n: int) -> list[str]:
    """``n`` colours (repeats after 8, which the charts avoid by grouping)."""
    return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(n)]


def base_config() -> dict:
    """Shared Vega-Lite config: fonts, sizes, no chart border."""
    return {
        "font": FONT,
        "view": {"stroke": None},
        "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 11, "subtitleColor": "#444"},
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260},
        "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260},
    }
