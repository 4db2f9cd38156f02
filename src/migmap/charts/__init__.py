"""Charts: one Altair / Vega-Lite specification per picture, rendered offline to PNG or SVG.

>>> from migmap.analysis import gap_map
>>> from migmap.charts import heatmap, to_svg
>>> to_svg(heatmap(gap_map([]))).startswith("<svg")
True
"""

from .bias import contribution_mix, funder_share
from .gapmap import heatmap
from .geo import choropleth, world_topojson
from .network import network_picture
from .render import data_uri, save, spec, to_html, to_png, to_svg
from .trends import timeline

__all__ = [
    "choropleth",
    "contribution_mix",
    "data_uri",
    "funder_share",
    "heatmap",
    "network_picture",
    "save",
    "spec",
    "timeline",
    "to_html",
    "to_png",
    "to_svg",
    "world_topojson",
]
