"""The course's additions to Sphinx + MyST-NB + sphinx-book-theme (Jupyter Book's stack).

- Callouts: a section headed "Key points" or "Discussion questions", and the "Learning
  objectives" paragraph with its list, get a callout's class, recognised from the notebooks'
  own headings; the headings stay in the page's table of contents.
- Figures: pages that hold a figure load the site's one copy of plotly.js and the small script
  that draws each figure from its JSON; pages without figures load neither.
- Downloads: notebook pages link to the executed notebook beside them, with ``download``.
- Folded code: MyST-NB's toggle is named by an aria-label ("Toggle hidden content") that differs
  from its visible text; here it is named by that text (WCAG 2.5.3, label in name).
"""

from __future__ import annotations

import posixpath
from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode
from sphinx.application import Sphinx

from helpers.site.outputs import FIGURE_DATA_CLASS

PLOTLY_JS = "plotly.min.js"
FIGURES_JS = "csto-figures.js"
CALLOUT_SECTIONS = {
    "key points": "csto-key-points",
    "discussion questions": "csto-discussion",
    "learning objectives": "csto-objectives",
    "objectives": "csto-objectives",
}
_OBJECTIVES_LEAD = "learning objectives"
_STATIC = Path(__file__).parent / "static"
_TEMPLATES = Path(__file__).parent / "templates"


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", mark_callouts)
    app.connect("html-page-context", add_page_assets)
    app.config.html_static_path.append(str(_STATIC))
    app.config.templates_path.append(str(_TEMPLATES))
    app.add_css_file("csto.css")
    app.add_node(HideCodeCellNode, override=True, html=(visit_folded_code, depart_folded_code))
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def mark_callouts(app: Sphinx, doctree: nodes.document) -> None:
    """Give the objectives, key points and discussion questions the classes the CSS styles."""
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        kind = CALLOUT_SECTIONS.get(_words(title)) if title is not None else None
        if kind:
            section["classes"] += ["csto-callout", kind]
    for paragraph in list(doctree.findall(nodes.paragraph)):
        lead = next((child for child in paragraph.children if child.astext().strip()), None)
        if isinstance(lead, nodes.strong) and _words(lead).startswith(_OBJECTIVES_LEAD):
            _wrap_objectives(paragraph)


def _wrap_objectives(paragraph: nodes.paragraph) -> None:
    """Put the "Learning objectives" paragraph and the list after it into one callout box."""
    parent = paragraph.parent
    if parent is None or "csto-callout" in parent.get("classes", []):
        return
    position = parent.index(paragraph)
    members = [paragraph]
    following = parent.children[position + 1] if position + 1 < len(parent.children) else None
    if isinstance(following, nodes.bullet_list | nodes.enumerated_list):
        members.append(following)
    box = nodes.container(classes=["csto-callout", "csto-objectives"])
    for member in members:
        parent.remove(member)
        box += member
    parent.insert(position, box)


def visit_folded_code(translator: Any, node: HideCodeCellNode) -> None:
    classes = " ".join(node["classes"])
    translator.body.append(
        f'<details class="admonition hide {classes}">\n<summary>'
        f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>'
        f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>'
        "</summary>\n"
    )


def depart_folded_code(translator: Any, node: HideCodeCellNode) -> None:
    translator.body.append("</details>\n")


def add_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """plotly.js and the drawing script for pages with figures; the notebook download link."""
    if doctree is not None and _has_figures(doctree):
        app.add_js_file(PLOTLY_JS, priority=600, defer="defer")
        app.add_js_file(FIGURES_JS, priority=601, defer="defer")
    source = Path(app.env.doc2path(pagename)) if pagename in app.env.all_docs else None
    if source is not None and source.suffix == ".ipynb":
        name = posixpath.basename(pagename) + ".ipynb"
        context["csto_download"] = {"href": name, "name": name}


def _has_figures(doctree: nodes.document) -> bool:
    return any(
        FIGURE_DATA_CLASS in node.astext()
        for node in doctree.findall(nodes.raw)
        if "html" in node.get("format", "")
    )


def _words(node: nodes.Node) -> str:
    return " ".join(node.astext().lower().replace(".", " ").replace(":", " ").split())
