"""A world choropleth of initiatives per country, from the TopoJSON shipped in this package.

The map is world-atlas 2.0.2 ``countries-110m.json`` (ISC licence, see
``world-atlas-LICENSE.md``); features are keyed by ISO 3166 numeric codes.

    >>> from migmap.analysis import geography
    >>> choropleth(geography([])).to_dict()["title"]["text"]
    'No initiatives in this slice to place on the map'
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import altair as alt
import pycountry

from migmap.analysis.geography import Geography
from migmap.domain.countries import country_name

from .palette import SEQUENTIAL, base_config


@lru_cache(maxsize=1)
def world_topojson() -> dict[str, Any]:
    """The bundled world map (read once; nothing is downloaded)."""
    text = resources.files("migmap.charts").joinpath("countries-110m.json").read_text(encoding="utf-8")
    return json.loads(text)


def numeric_code(alpha3: str) -> str | None:
    """ISO alpha-3 -> the zero-padded numeric code used by the map (``'NPL'`` -> ``'524'``)."""
    found = pycountry.countries.get(alpha_3=alpha3)
    return found.numeric if found else None


def choropleth(geo: Geography, width: int = 640) -> alt.LayerChart:
    """Countries shaded by the number of initiatives working there (any role)."""
    values = []
    for code, n in geo.countries.items():
        num = numeric_code(code)
        if num:
            values.append({"id": num, "initiatives": n, "country": country_name(code)})
    if not geo.total:
        title = "No initiatives in this slice to place on the map"
    else:
        top = geo.top_countries(3)
        title = "Most mapped: " + ", ".join(f"{name} ({k})" for _, name, k in top)
    world = alt.Data(values=world_topojson(), format=alt.DataFormat(type="topojson", feature="countries"))
    background = alt.Chart(world).mark_geoshape(fill="#eeeeee", stroke="white", strokeWidth=0.4)
    high = max([v["initiatives"] for v in values] + [1])
    shaded = (
        alt.Chart(world)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .transform_lookup(lookup="id", from_=alt.LookupData(alt.Data(values=values), "id", ["initiatives", "country"]))
        .transform_filter("isValid(datum.initiatives)")
        .encode(
            color=alt.Color(
                "initiatives:Q", scale=alt.Scale(scheme=SEQUENTIAL, domain=[0, high]), title="Initiatives", legend=alt.Legend(format="d", tickMinStep=1)
            ),
            tooltip=["country:N", "initiatives:Q"],
        )
    )
    return (
        alt.layer(background, shaded)
        .project(type="equalEarth")
        .properties(
            title=alt.Title(title, subtitle=f"{geo.total} initiatives in {len(geo.countries)} countries (origin, transit or destination); grey: none mapped"),
            width=width,
            height=int(width * 0.5),
        )
        .configure(**base_config())
    )
