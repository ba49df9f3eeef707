"""Grids of categories (rows x columns, one label per cell) drawn as labelled heatmaps.

Several questions in the course have this shape: which stance did each member take on each issue,
how is each crisis coded on each condition. A heatmap alone would say it in colour only; here every
cell also carries its label in words, colours come from the colour-blind-safe palette, and a cell
with no data says so ("not coded") rather than staying blank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import NEUTRAL, PALETTE, new_figure, style

# Lighter palette colours first, so the black cell labels stay readable on them.
GRID_COLOURS = (PALETTE[4], PALETTE[1], PALETTE[2], PALETTE[6], PALETTE[3], PALETTE[5], PALETTE[0])
MISSING = "not coded"


def category_grid(
    cells: pd.DataFrame,
    *,
    row: str,
    column: str,
    category: str,
    order: Sequence[str],
    row_order: Sequence[str],
    column_order: Sequence[str],
    title: str,
    x_label: str,
    y_label: str,
    description: str,
    labels: Mapping[str, str] | None = None,
    hover: str | None = None,
    missing: str = MISSING,
) -> go.Figure:
    """Draw one labelled cell per (row, column); cells absent from ``cells`` show as not coded.

    ``order`` lists the categories (it fixes legend order and colours); ``labels`` gives each
    category's words in the cell (default: the category itself); ``hover`` names a column whose
    text is shown when the pointer rests on a cell; ``missing`` is the words for a cell with no
    category, in the legend and the cell (use the words the chart's table uses).
    """
    if len(order) > len(GRID_COLOURS):
        raise ValueError(
            f"At most {len(GRID_COLOURS)} categories fit the palette; got {len(order)}."
        )
    unknown = sorted(set(cells[category].dropna().astype(str)) - set(order))
    if unknown:
        raise ValueError(f"Category values {unknown} are not in order={list(order)}.")
    labels = {**{value: value for value in order}, **(labels or {}), MISSING: missing}
    keys = [*order, MISSING]
    colours = [*GRID_COLOURS[: len(order)], NEUTRAL]
    lookup = {
        (str(r[row]), str(r[column])): (str(r[category]), "" if hover is None else str(r[hover]))
        for _, r in cells.iterrows()
        if pd.notna(r[category])
    }
    codes, texts, hovers = [], [], []
    for row_key in row_order:
        found = [lookup.get((row_key, column_key), (MISSING, "")) for column_key in column_order]
        codes.append([keys.index(value) for value, _ in found])
        texts.append([labels[value] for value, _ in found])
        hovers.append([note or labels[value] for value, note in found])
    fig = new_figure(
        go.Heatmap(
            z=codes,
            x=list(column_order),
            y=list(row_order),
            text=texts,
            customdata=hovers,
            texttemplate="%{text}",
            textfont={"size": 12, "color": "#000000"},
            hovertemplate="%{y} / %{x}: %{customdata}<extra></extra>",
            colorscale=_steps(colours),
            zmin=-0.5,
            zmax=len(keys) - 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    for key, colour in zip(keys, colours, strict=True):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 12, "color": colour},
                name=labels[key],
            )
        )
    fig.update_yaxes(autorange="reversed", type="category", automargin=True)
    fig.update_xaxes(type="category", automargin=True)
    return style(
        fig,
        title=title,
        x_label=x_label,
        y_label=y_label,
        description=description,
        height=max(320, 90 + 48 * len(row_order)),
    )


def _steps(colours: Sequence[str]) -> list[list[float | str]]:
    """A stepwise colour scale: code i gets colours[i] exactly, with no blending between codes."""
    count = len(colours)
    scale: list[list[float | str]] = []
    for index, colour in enumerate(colours):
        scale += [[index / count, colour], [(index + 1) / count, colour]]
    return scale
