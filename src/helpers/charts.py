"""Chart conventions shared by every figure in the course.

Every figure carries a title, labelled axes, a colour-blind-safe palette and a text description
(the notebook's alt text). ``style`` refuses a figure without them, so no chart can slip through
without its description; ``show`` displays the figure and prints the description beside it, so the
description also reaches readers of the exported HTML and is compared by nbval.
"""

from __future__ import annotations

import html
import json
import pkgutil
import re
from functools import cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

# Okabe and Ito's palette: distinguishable under the common forms of colour blindness.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
NEUTRAL = "#BBBBBB"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
_TEMPLATE = "simple_white"
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


def new_figure(data: Any = None) -> go.Figure:
    """A figure for :func:`style` to finish, holding ``data`` (a trace or a list of traces).

    It starts without plotly's default template, which ``style`` replaces anyway: building that
    template, validating settings for every kind of trace, cost each notebook about 0.15 s.
    """
    return go.Figure(data=data, layout={"template": {}})


def style(
    fig: go.Figure,
    *,
    title: str,
    x_label: str,
    y_label: str,
    description: str,
    height: int = 480,
) -> go.Figure:
    """Apply the course's look and attach the text description; every argument is required."""
    for name, value in {
        "title": title,
        "x_label": x_label,
        "y_label": y_label,
        "description": description,
    }.items():
        if not value or not value.strip():
            raise ValueError(
                f"Chart {name} is empty; every chart needs a {name} for accessibility."
            )
    # Assigned, not passed to update_layout, which would merge it into plotly's default template.
    fig.layout.template = course_template({trace.type for trace in fig.data})
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left"},
        colorway=list(PALETTE),
        height=height,
        margin={"l": 70, "r": 30, "t": 70, "b": 60},
        font={"size": 13},
        meta={"description": description},
        legend={"title": {"text": ""}},
    )
    fig.update_xaxes(title_text=x_label)
    fig.update_yaxes(title_text=y_label)
    # The template draws shapes with line width 0: a reference line left at the default would be
    # described but not drawn.
    fig.for_each_shape(lambda shape: shape.update(line_width=2) if not shape.line.width else None)
    _readable_bar_text(fig)
    return fig


def course_template(trace_types: set[str]) -> dict[str, Any]:
    """Plotly's simple_white, keeping the trace settings of the given kinds of trace only.

    The full template holds settings for 24 kinds of trace where a course chart draws one or two.
    Building it as a plotly object validated all 24 the first time (about 0.1 s of each notebook),
    every figure copied it, and every chart output carried its 8 KB: most of a chart's size on a
    page. The settings of the kinds a figure draws are the same, so it looks the same.
    """
    template = _simple_white()
    kinds = sorted(trace_types & template["data"].keys())
    return {"layout": template["layout"], "data": {kind: template["data"][kind] for kind in kinds}}


@cache
def _simple_white() -> dict[str, Any]:
    """The template as data, read from plotly's own file as ``plotly.io.templates`` reads it."""
    raw = pkgutil.get_data("plotly", f"package_data/templates/{_TEMPLATE}.json")
    if raw is None:
        raise RuntimeError(f"plotly's {_TEMPLATE} template cannot be read from its package")
    return json.loads(raw)


def ink_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (a #RRGGBB hex): dark text on light
    bars, light text on dark ones (WCAG contrast ratio, the larger of the two)."""
    luminance = _luminance(colour)
    on_black = (luminance + 0.05) / 0.05
    on_white = 1.05 / (luminance + 0.05)
    return "#000000" if on_black >= on_white else "#FFFFFF"


def _readable_bar_text(fig: go.Figure) -> None:
    """Give the words written inside bars the ink that reads best on each bar's colour."""
    for position, trace in enumerate(fig.data):
        if trace.type != "bar" or (trace.text is None and trace.texttemplate is None):
            continue
        colour = trace.marker.color if trace.marker.color is not None else (
            PALETTE[position % len(PALETTE)]
        )
        if isinstance(colour, str) and _HEX.fullmatch(colour):
            trace.insidetextfont.color = ink_on(colour)
        elif isinstance(colour, list | tuple) and all(
            isinstance(c, str) and _HEX.fullmatch(c) for c in colour
        ):
            trace.insidetextfont.color = [ink_on(c) for c in colour]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def description_of(fig: go.Figure) -> str:
    """The text description attached by ``style``."""
    meta = fig.layout.meta
    if not isinstance(meta, dict) or not meta.get("description"):
        raise ValueError("This figure has no description; build it through helpers.charts.style().")
    return str(meta["description"])


def show(fig: go.Figure) -> None:
    """Display a figure as plotly's own mimetype, then its description as a paragraph.

    The mimetype output is drawn by JupyterLab's bundled plotly extension without any network and
    by the course website's own copy of plotly.js; its text/plain part is the description, so
    screen readers and plain-text views get words instead of a blank. The description follows as
    HTML (a printed line would break mid-word in JupyterLab, which breaks printed text anywhere)
    with the same words as its plain text.
    """
    from IPython.display import display

    description = description_of(fig)
    bundle = {
        PLOTLY_MIMETYPE: json.loads(pio.to_json(fig, validate=False)),
        "text/plain": f"Chart: {fig.layout.title.text}. {description}",
    }
    display(bundle, raw=True)
    display(
        {
            "text/html": f"<p><strong>Chart description:</strong> {html.escape(description)}</p>",
            "text/plain": f"Chart description: {description}",
        },
        raw=True,
    )
