"""Every chart: a Vega-Lite spec with framework labels and a finding, rendered offline to PNG and SVG."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from migmap import charts
from migmap.analysis import actor_network, funder_bias, gap_map, geography, trends
from migmap.charts.palette import OKABE_ITO
from migmap.domain import Initiative

from ..conftest import DATA


@pytest.fixture(scope="module")
def items():
    import yaml

    return [Initiative.model_validate({**r, "version": 1}) for r in yaml.safe_load((DATA / "sample.yaml").read_text())]


@pytest.fixture(scope="module")
def all_charts(items):
    return {
        "heatmap": charts.heatmap(gap_map(items)),
        "mix": charts.contribution_mix(funder_bias(items)),
        "share": charts.funder_share(funder_bias(items)),
        "choropleth": charts.choropleth(geography(items)),
        "network": charts.network_picture(actor_network(items)),
        "timeline": charts.timeline(trends(items)),
    }


def test_specs_use_labels_not_codes_and_state_a_finding(all_charts):
    heat = json.dumps(charts.spec(all_charts["heatmap"]))
    assert "Long-term options" in heat and "Business association" in heat
    assert '"long_term"' not in heat and '"business_association"' not in heat
    assert charts.spec(all_charts["heatmap"])["title"]["text"] == [
        "Most common: Pre-departure × Small or medium-sized firm (1)",
        "26 of 35 combinations are empty",
    ]
    assert charts.spec(all_charts["mix"])["title"]["text"] == "Business is only a funder in 17% of initiatives"
    assert charts.spec(all_charts["choropleth"])["title"]["text"].startswith("Most mapped:")
    assert charts.spec(all_charts["timeline"])["title"]["text"] == "Starts peaked in 2021 with 1 new initiatives"


def test_categorical_colours_are_okabe_ito(all_charts):
    mix = json.dumps(charts.spec(all_charts["mix"]))
    assert all(c in mix for c in OKABE_ITO[:4])


def test_choropleth_uses_the_bundled_map(all_charts):
    spec = json.dumps(charts.spec(all_charts["choropleth"]))
    assert '"url"' not in spec and "topojson" in spec
    topo = charts.world_topojson()
    assert len(topo["objects"]["countries"]["geometries"]) == 177
    assert charts.geo.numeric_code("NPL") == "524"


def test_render_png_and_svg(all_charts, tmp_path):
    for name, chart in all_charts.items():
        png = charts.to_png(chart)
        assert png[:8] == b"\x89PNG\r\n\x1a\n", name
        assert len(png) > 5000, name
    svg = charts.to_svg(all_charts["heatmap"])
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and "Pre-departure" in svg
    out = charts.save(all_charts["timeline"], tmp_path / "t.svg")
    assert out.read_text().startswith("<svg")
    assert charts.save(all_charts["timeline"], tmp_path / "t.json").read_text().startswith("{")


def test_bad_format_is_a_clear_error(all_charts, tmp_path):
    from migmap.domain import MigmapError

    with pytest.raises(MigmapError, match="use one of: png, svg, json, html"):
        charts.save(all_charts["heatmap"], tmp_path / "x.gif")


def test_empty_slices_render_too():
    for chart in (
        charts.heatmap(gap_map([])),
        charts.contribution_mix(funder_bias([])),
        charts.choropleth(geography([])),
        charts.network_picture(actor_network([])),
        charts.timeline(trends([])),
    ):
        assert charts.to_svg(chart).startswith("<svg")
