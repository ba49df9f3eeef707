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


def test_show_emits_the_plotly_mimetype_then_the_description_as_a_paragraph(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    fig = charts.style(
        go.Figure(go.Bar(x=[1], y=[2])), title="T", x_label="x", y_label="y",
        description="One bar & a <word>.",
    )
    charts.show(fig)
    bundle, description = shown
    assert bundle[charts.PLOTLY_MIMETYPE]["data"][0]["type"] == "bar"
    assert "One bar" in bundle["text/plain"]
    # A paragraph wraps between words; printed text in JupyterLab breaks anywhere.
    assert description == {
        "text/html": "<p><strong>Chart description:</strong> One bar &amp; a &lt;word&gt;.</p>",
        "text/plain": "Chart description: One bar & a <word>.",
    }


def test_the_template_is_simple_white_for_the_kinds_of_trace_drawn_only():
    import plotly.io as pio

    fig = go.Figure([go.Bar(x=[1], y=[2]), go.Scatter(x=[1], y=[2])])
    fig = charts.style(fig, title="T", x_label="x", y_label="y", description="D.")
    template = fig.layout.template.to_plotly_json()
    full = pio.templates["simple_white"].to_plotly_json()
    assert sorted(template["data"]) == ["bar", "scatter"]
    assert template["data"]["bar"] == full["data"]["bar"]
    assert template["layout"] == full["layout"]
    # A chart's output carries the template: the full one was most of a small chart's size.
    output = json.loads(fig.to_json())
    assert len(json.dumps(output["layout"]["template"])) < len(json.dumps(full)) / 2


def test_reference_lines_are_drawn():
    fig = go.Figure(go.Bar(x=[1], y=[2]))
    fig.add_vline(x=1, line_dash="dash")
    fig.add_hline(y=1, line_width=4)
    fig = charts.style(fig, title="T", x_label="x", y_label="y", description="D.")
    assert [shape.line.width for shape in fig.layout.shapes] == [2, 4]


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


def test_category_map_reaches_past_100_east_and_enlarges_the_south_caucasus():
    fig = maps.category_map(
        {"ARM": "member", "KAZ": "member"}, title="Members", description="Two members.",
        order=["member"], names={"ARM": "Armenia"},
    )
    assert fig.layout.xaxis.range[1] > 100
    inset = [trace for trace in fig.data if trace.xaxis == "x2"]
    assert "Armenia: member" in {trace.text for trace in inset}
    assert not any(trace.showlegend for trace in inset)
    assert [trace.name for trace in fig.data if trace.showlegend] == ["member"]
    assert fig.layout.xaxis2.range == (38.5, 51.0)
    assert charts.description_of(fig).startswith("Two members. An inset at the lower right")


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        rgb = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("colour", [*charts.PALETTE, charts.NEUTRAL])
def test_words_on_bars_meet_aa_contrast_on_every_palette_colour(colour):
    assert contrast(charts.ink_on(colour), colour) >= 4.5


def test_style_gives_words_inside_bars_readable_ink():
    light, dark = charts.PALETTE[6], charts.PALETTE[0]  # yellow, blue
    fig = go.Figure(
        [
            go.Bar(
                x=[1],
                y=["a"],
                text=["on yellow"],
                marker={"color": light},
                insidetextfont={"color": "#FFFFFF"},
            ),
            go.Bar(x=[1, 2], y=["a", "b"], text=["x", "y"], marker={"color": [light, dark]}),
            go.Bar(x=[1], y=["a"], text=["default colour"]),
        ]
    )
    charts.style(fig, title="T", x_label="x", y_label="y", description="D.")
    assert fig.data[0].insidetextfont.color == "#000000", "dark text on a light bar"
    assert list(fig.data[1].insidetextfont.color) == ["#000000", "#FFFFFF"]
    assert fig.data[2].insidetextfont.color == charts.ink_on(charts.PALETTE[2])


def test_map_categories_differ_by_pattern_not_colour_alone():
    fig = maps.category_map(
        {"ARM": "member", "UZB": "former member", "AFG": "observer"},
        title="Members",
        description="Three standings.",
        order=["member", "former member", "observer"],
    )
    patterns = {
        trace.name: trace.fillpattern.shape or ""
        for trace in fig.data
        if trace.showlegend is not False and trace.name != "other states"
    }
    assert set(patterns) == {"member", "former member", "observer"}
    assert len(set(patterns.values())) == 3, patterns
