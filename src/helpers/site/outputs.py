"""Outputs of an executed notebook in the form a static page can show, and code folded away.

MyST-NB renders the mimetypes it knows and silently drops the rest: plotly's own mimetype would
vanish (every chart gone), and a widget view would pull require.js and the widget manager from
CDNs. So before the site is built, each executed notebook is rewritten:

- a plotly figure becomes a ``<figure>``: a div drawn by the site's one shared copy of plotly.js,
  the figure's JSON beside it (inert, ``type="application/json"``), and a ``<figcaption>`` holding
  the chart's title and its text description, tied to the figure with ``aria-describedby``;
- a widget view becomes its static form: the HTML the widget offered as fallback, or a note that
  the control works in JupyterLab (its plain text is only a repr such as ``VBox(...)``);
- every code cell is folded behind a "show code" toggle: the reader sees prose and results, and
  can open any cell to see how it was made.

The notebooks in the course are never edited; only the copies the site is built from.
"""

from __future__ import annotations

import html
import json
import re

import nbformat

from helpers.widget_views import WIDGET_VIEW

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
FIGURE_DATA_CLASS = "csto-plot-data"
FOLD_TAG = "hide-input"
# helpers.charts.show writes this paragraph after each figure; on the site, the figure's caption.
DESCRIPTION_PREFIX = "Chart description:"
_CHART_PREFIX = "Chart:"
_MARKUP = re.compile(r"<[^>]*>")  # plotly titles may hold <b>, <br>, <sup>
_STATIC_MIMETYPES = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown")

WIDGET_NOTE = (
    '<p class="csto-widget-note">In JupyterLab, an interactive control here lets you change '
    "what the output above shows. This page shows its default.</p>"
)


def static_outputs(notebook: nbformat.NotebookNode) -> int:
    """Rewrite the outputs of ``notebook`` in place for a static page; returns the figure count.

    Figure ids count from 1 in page order, so a page built twice is byte-for-byte the same.
    """
    notebook.metadata.pop("widgets", None)
    figures = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        outputs = cell.get("outputs", [])
        for position, output in enumerate(outputs):
            data = output.get("data", {})
            if PLOTLY_MIMETYPE in data:
                figures += 1
                following = outputs[position + 1] if position + 1 < len(outputs) else None
                description = _description_in(following)
                output["data"] = {"text/html": figure_html(data, figures, description)}
                output["metadata"] = {}
            elif WIDGET_VIEW in data:
                output["data"] = static_widget(data)
                output["metadata"] = {}
            elif _is_description(output) and kept and _is_figure(kept[-1]):
                # Its first line is already the caption of the figure just before it.
                rest = _description_text(output).partition("\n")[2]
                if not rest.strip():
                    continue
                output["text"] = rest  # only a printed description has more lines
            kept.append(output)
        cell.outputs = kept
    return figures


def fold_code(notebook: nbformat.NotebookNode) -> None:
    """Fold every code cell's source behind a toggle (MyST-NB's ``hide-input`` tag)."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if FOLD_TAG not in tags:
                tags.append(FOLD_TAG)


def figure_html(bundle: dict, number: int, description: str | None = None) -> str:
    """A figure drawn by the site's plotly.js, its caption and description in words."""
    figure = bundle[PLOTLY_MIMETYPE]
    figure_id = f"csto-figure-{number}"
    title = _title_of(figure)
    if description is None:
        description = _plain_text(bundle.get("text/plain", ""))
        prefix = f"{_CHART_PREFIX} {title}."
        description = description.removeprefix(prefix).strip()
    payload = json.dumps(
        {"data": figure.get("data", []), "layout": figure.get("layout", {})},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    # Nothing inside the JSON may close the script element or open a comment.
    payload = payload.replace("</", "<\\/").replace("<!--", "<\\!--")
    caption = f'<span class="csto-figure-title">{html.escape(title)}</span> ' if title else ""
    return (
        f'<figure class="csto-figure" aria-describedby="{figure_id}-description">'
        f'<div class="csto-plot" id="{figure_id}"></div>'
        f'<script type="application/json" class="{FIGURE_DATA_CLASS}" '
        f'data-target="{figure_id}">{payload}</script>'
        f"<figcaption>{caption}"
        f'<span id="{figure_id}-description">{html.escape(description)}</span>'
        "</figcaption></figure>"
    )


def static_widget(bundle: dict) -> dict:
    """What a widget's output can show without a widget manager.

    A static rendering offered in the same bundle (HTML, an image) is kept; otherwise a note says
    where the control is. The plain-text part is only the widget's repr (``IntSlider(...)``).
    """
    static = {mimetype: bundle[mimetype] for mimetype in _STATIC_MIMETYPES if mimetype in bundle}
    return static or {"text/html": WIDGET_NOTE}


def _description_in(following: dict | None) -> str | None:
    """The description ``helpers.charts.show`` wrote right after a figure, if any."""
    if following is None or not _is_description(following):
        return None
    first_line = _description_text(following).partition("\n")[0]
    return first_line.removeprefix(DESCRIPTION_PREFIX).strip()


def _description_text(output: dict) -> str:
    """The text of a chart description ('' for any other output): a paragraph whose plain text
    starts with the prefix, or a printed line in notebooks stored before descriptions were
    paragraphs."""
    if output.get("output_type") == "stream":
        text = _plain_text(output.get("text", ""))
    elif output.get("output_type") == "display_data":
        text = _plain_text(output.get("data", {}).get("text/plain", ""))
    else:
        return ""
    return text if text.startswith(DESCRIPTION_PREFIX) else ""


def _is_description(output: dict) -> bool:
    return bool(_description_text(output))


def _is_figure(output: dict) -> bool:
    return 'class="csto-figure"' in _plain_text(output.get("data", {}).get("text/html", ""))


def _title_of(figure: dict) -> str:
    title = figure.get("layout", {}).get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(_MARKUP.sub(" ", _plain_text(text)).split())


def _plain_text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")
