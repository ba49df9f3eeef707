"""Chart conventions: no figure without title, axis labels and description; offline maps."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from helpers import charts, maps


def test_style_requires_every_accessibility_part():
    with pytest.raises(ValueError, match="description"):
        charts.style(go.Figure(), title="T", x_label="x", y_label="y", description=" ")
    fig = charts.style(go.Figure(), title="T", x_label="Year", y_label="Share", description="D.")
    assert fig.layout.xaxis.title.text == "Year"
    assert fig.layout.yaxis.title.text == "Share"
    assert list(fig.layout.colorway) == list(charts.PALETTE)
    assert charts.description_of(fig) == "D."


def test_show_prints_the_description_and_emits_the_plotly_mimetype(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    fig = charts.style(
        go.Figure(go.Bar(x=[1], y=[2])), title="T", x_label="x", y_label="y", description="One bar."
    )
    charts.show(fig)
    assert "Chart description: One bar." in capsys.readouterr().out
    bundle = shown[0]
    assert bundle[charts.PLOTLY_MIMETYPE]["data"][0]["type"] == "bar"
    assert "One bar." in bundle["text/plain"]


def test_category_map_draws_shapes_from_the_shipped_file_only():
    fig = maps.category_map(
        {"ARM": "member", "UZB": "former member"},
        title="Members",
        description="Armenia is a member; Uzbekistan a former member.",
        order=["member", "former member"],
        names={"ARM": "Armenia"},
    )
    serialised = json.dumps(fig.to_plotly_json(), default=str)
    assert "geo" not in {trace.type for trace in fig.data}
    assert all(trace.type == "scatter" for trace in fig.data)
    assert "http" not in serialised
    member = [t for t in fig.data if t.name == "member"]
    assert member and member[0].fill == "toself" and len(member[0].x) > 10
    assert fig.layout.xaxis.title.text.startswith("Longitude")


def test_category_map_rejects_a_country_without_shape():
    with pytest.raises(KeyError, match="XYZ"):
        maps.category_map({"XYZ": "member"}, title="T", description="D")
