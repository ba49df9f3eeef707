"""Maps drawn from shapes shipped in data/geo/, so they draw with no network.

Plotly's geo traces fetch their world outlines from the internet when the chart is rendered and
show an empty frame offline. These maps are ordinary filled scatter traces on longitude/latitude
axes instead: the shapes travel inside the figure itself, in JupyterLab and in exported HTML alike.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import NEUTRAL, PALETTE, new_figure, style
from helpers.datadir import resolve_data_dir

SHAPES_FILE = "eurasia_countries.geojson"
CAPITALS_FILE = "capitals.csv"
# A window on the region the course is about: from Belarus past Central Asia to Lake Baikal.
DEFAULT_EXTENT = {"lon": (20.0, 120.0), "lat": (33.0, 72.0)}
# The South Caucasus, enlarged in an inset: at the scale of the whole region Armenia is a speck.
CAUCASUS_INSET = {"lon": (38.5, 51.0), "lat": (37.5, 44.0)}
# The inset sits over the lower right of the main map (north-east China and Mongolia, outside
# the course's story), so the main map keeps the whole width of the figure.
INSET_DOMAIN = {"x": (0.72, 1.0), "y": (0.0, 0.42)}


@cache
def _read_shapes(path: Path) -> dict[str, list[list[list[float]]]]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {
        feature["properties"]["iso3"]: [
            polygon[0] for polygon in feature["geometry"]["coordinates"]
        ]
        for feature in features
    }


def country_shapes(
    data_dir: str | os.PathLike[str] | None = None,
) -> dict[str, list[list[list[float]]]]:
    """Outer rings of each country's polygons, keyed by ISO alpha-3 code."""
    path = resolve_data_dir(data_dir) / "geo" / SHAPES_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"Map shapes not found: {path}. Expected data/geo/{SHAPES_FILE} in the data folder."
        )
    return _read_shapes(path)


def capitals(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Capital cities (iso3, capital, lon, lat) for labelling maps."""
    return pd.read_csv(resolve_data_dir(data_dir) / "geo" / CAPITALS_FILE)


# Each category of a map gets a fill pattern as well as a colour, so that no category is told by
# colour alone (the legend shows both); the first category is solid.
PATTERNS = ("", "/", "x", ".", "\\", "+", "|", "-")


def _outline_trace(
    rings: list[list[list[float]]],
    name: str,
    colour: str,
    hover: str,
    show_legend: bool,
    pattern: str = "",
) -> go.Scatter:
    lons: list[float | None] = []
    lats: list[float | None] = []
    for ring in rings:
        lons += [point[0] for point in ring] + [None]
        lats += [point[1] for point in ring] + [None]
    return go.Scatter(
        x=lons,
        y=lats,
        mode="lines",
        fill="toself",
        fillcolor=colour,
        fillpattern={"shape": pattern, "fgcolor": "#222222", "fgopacity": 0.7, "solidity": 0.3}
        if pattern
        else None,
        line={"color": "#555555", "width": 0.6},
        name=name,
        legendgroup=name,
        showlegend=show_legend,
        hoverinfo="text",
        text=hover,
    )


def category_map(
    categories: Mapping[str, str],
    *,
    title: str,
    description: str,
    order: list[str] | None = None,
    names: Mapping[str, str] | None = None,
    extent: Mapping[str, tuple[float, float]] = DEFAULT_EXTENT,
    inset: Mapping[str, tuple[float, float]] | None = CAUCASUS_INSET,
    data_dir: str | os.PathLike[str] | None = None,
) -> go.Figure:
    """Shade countries by category (e.g. member, suspended), each with its colour and its fill
    pattern; other countries stay grey.

    ``categories`` maps ISO codes to a category label; ``order`` fixes the legend order and the
    palette colours; ``names`` gives country names for hover text. ``inset`` is a window drawn
    again, enlarged, in the lower left corner (None for none); the description says so.
    """
    shapes = country_shapes(data_dir)
    unknown = sorted(set(categories) - set(shapes))
    if unknown:
        raise KeyError(f"No map shape for country code(s) {unknown}; known codes: {sorted(shapes)}")
    labels = order or sorted(set(categories.values()))
    colours = dict(zip(labels, PALETTE, strict=False))
    patterns = dict(zip(labels, PATTERNS, strict=False))
    names = names or {}
    fig = new_figure()
    for iso3, rings in shapes.items():
        if iso3 not in categories:
            fig.add_trace(
                _outline_trace(rings, "other states", NEUTRAL, names.get(iso3, iso3), False)
            )
    seen: set[str] = set()
    for label in labels:
        for iso3 in sorted(code for code, value in categories.items() if value == label):
            hover = f"{names.get(iso3, iso3)}: {label}"
            fig.add_trace(
                _outline_trace(
                    shapes[iso3], label, colours[label], hover, label not in seen, patterns[label]
                )
            )
            seen.add(label)
    _frame(fig, extent)
    if inset is not None:
        west, east = inset["lon"]
        description += (f" An inset at the lower right enlarges the South Caucasus "
                        f"({west:g} to {east:g} degrees east), outlined on the map.")
    fig = style(
        fig,
        title=title,
        x_label="Longitude (degrees east)",
        y_label="Latitude (degrees north)",
        description=description,
        height=560,
    )
    # The legend in rows under the map, so that the map has the figure's whole width.
    fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.16,
                              "yanchor": "top"})
    if inset is not None:
        _add_inset(fig, inset)
    return fig


def _add_inset(fig: go.Figure, window: Mapping[str, tuple[float, float]]) -> None:
    """Draw the country shapes that reach into ``window`` again on their own small axes, beside
    the main map, and outline the window on the main map."""
    (west, east), (south, north) = window["lon"], window["lat"]
    # A white card, the inset's first trace, hides the main map's shapes beneath the inset.
    fig.add_trace(go.Scatter(x=[west, east, east, west, west],
                             y=[south, south, north, north, south], fill="toself",
                             fillcolor="#ffffff", mode="none", hoverinfo="skip",
                             showlegend=False, xaxis="x2", yaxis="y2"))
    for trace in list(fig.data)[:-1]:
        inside = [x for x, y in zip(trace.x, trace.y, strict=True)
                  if x is not None and west <= x <= east and south <= y <= north]
        if inside:
            fig.add_trace(go.Scatter(trace).update(showlegend=False, xaxis="x2", yaxis="y2"))
    mid_latitude = (south + north) / 2
    frame = {"showgrid": False, "zeroline": False, "showticklabels": False, "ticks": "",
             "showline": True, "mirror": True, "linecolor": "#000000", "linewidth": 1.5}
    fig.update_layout(
        xaxis2={"domain": list(INSET_DOMAIN["x"]), "range": [west, east], "anchor": "y2",
                **frame},
        yaxis2={"domain": list(INSET_DOMAIN["y"]), "range": [south, north], "anchor": "x2",
                "scaleanchor": "x2", "scaleratio": 1 / math.cos(math.radians(mid_latitude)),
                "constrain": "domain", **frame},
    )
    fig.add_shape(type="rect", x0=west, x1=east, y0=south, y1=north, xref="x", yref="y",
                  line={"color": "#000000", "width": 2}, fillcolor="rgba(0,0,0,0)")
    fig.add_annotation(text="South Caucasus, enlarged", xref="x2 domain", yref="y2 domain",
                       x=0, y=1, xanchor="left", yanchor="bottom", showarrow=False,
                       bgcolor="#ffffff")


def add_points(
    fig: go.Figure,
    points: pd.DataFrame,
    *,
    lon: str,
    lat: str,
    label: str,
    hover: str,
    name: str,
    colour: str = PALETTE[5],
) -> go.Figure:
    """Overlay labelled markers (bases, capitals) on a map from ``category_map``."""
    fig.add_trace(
        go.Scatter(
            x=points[lon],
            y=points[lat],
            mode="markers+text",
            marker={"symbol": "diamond", "size": 11, "color": colour, "line": {"width": 1}},
            text=points[label],
            textposition="top center",
            hovertext=points[hover],
            hoverinfo="text",
            name=name,
        )
    )
    return fig


def _frame(fig: go.Figure, extent: Mapping[str, tuple[float, float]]) -> None:
    """Fix the window and keep shapes in proportion at the region's mid-latitude."""
    mid_latitude = sum(extent["lat"]) / 2
    # constrain="range": a wider or taller figure shows more of the region rather than leaving
    # empty bands, so the inset in the corner always sits on the map.
    fig.update_xaxes(range=list(extent["lon"]), constrain="range", showgrid=False, zeroline=False)
    fig.update_yaxes(
        range=list(extent["lat"]),
        scaleanchor="x",
        scaleratio=1 / math.cos(math.radians(mid_latitude)),
        constrain="range",
        showgrid=False,
        zeroline=False,
    )
