"""Offline HTML pages from executed notebooks, the course index, and a check for remote fetches.

Classrooms often have no network, so a page must open from disk and draw everything:
- plotly figures are stored in the notebooks as the ``application/vnd.plotly.v1+json`` mimetype,
  which nbconvert does not draw; they become divs drawn by plotly.js, and plotly.js itself is
  included inline once in each page that has a figure, never fetched from a CDN;
- ipywidgets views need a widget manager fetched from a CDN to draw, so their outputs and the
  saved widget state are removed; each exploration prints a static default result next to its
  widget, and that output stays;
- nbconvert's lab template loads require.js, MathJax and mermaid from CDNs; the template below
  drops those blocks.
``find_remote_references`` scans a page for anything a browser would fetch from the network.
"""

from __future__ import annotations

import copy
import functools
import html
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import nbformat
import plotly.io
import plotly.offline
from nbconvert import HTMLExporter

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
WIDGET_VIEW_MIMETYPE = "application/vnd.jupyter.widget-view+json"
COURSE_TITLE = "The Collective Security Treaty Organization: a course in notebooks"
INDEX_NAME = "index.html"

WIDGET_NOTE = (
    '<p class="csto-widget-note"><em>An interactive control appears here when the notebook is '
    "opened in JupyterLab. This page shows its default result.</em></p>"
)

_STYLE = """
.csto-nav { display: flex; flex-wrap: wrap; gap: 1em; justify-content: space-between;
  margin: 1em auto; max-width: 1100px; padding: 0.5em 1em; border: 1px solid #767676;
  border-radius: 4px; font-family: sans-serif; }
.csto-nav a { color: #0b5394; }
.csto-nav a:focus { outline: 3px solid #0b5394; outline-offset: 2px; }
.csto-widget-note { color: #404040; }
"""

_PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- macro course_nav(nav) -%}
<nav class="csto-nav" aria-label="Course pages">
{% if nav.previous -%}
<a rel="prev" href="{{ nav.previous.href }}">&larr; Previous: {{ nav.previous.title | e }}</a>
{%- else %}<span></span>{% endif %}
<a href="{{ nav.index_href }}">Course index</a>
{% if nav.next -%}
<a rel="next" href="{{ nav.next.href }}">Next: {{ nav.next.title | e }} &rarr;</a>
{%- else %}<span></span>{% endif %}
</nav>
{%- endmacro -%}
{% block html_head_js %}
{%- if resources.csto.plotly_js %}
<script type="text/javascript">{{ resources.csto.plotly_js }}</script>
{%- endif %}
{% endblock html_head_js %}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
{% block extra_css %}
<style type="text/css">{{ resources.csto.style }}</style>
{% endblock extra_css %}
{% block body_header %}{{ super() }}{{ course_nav(resources.csto.nav) }}{% endblock body_header %}
{% block body_footer %}{{ course_nav(resources.csto.nav) }}{{ super() }}{% endblock body_footer %}
"""


@dataclass(frozen=True)
class PageLink:
    title: str
    href: str


@dataclass(frozen=True)
class PageNav:
    """Links from one page to its neighbours and the index, relative to the page itself."""

    index_href: str
    previous: PageLink | None
    next: PageLink | None


@dataclass(frozen=True)
class Page:
    """One page of the course: where it lives in the build and what it is called."""

    relpath: str
    title: str
    label: str


def page_navigation(pages: list[Page]) -> list[PageNav]:
    """Previous/next/index links for each page, in course order."""

    def link(source: Page, target: Page) -> PageLink:
        return PageLink(target.title, _relative_href(source.relpath, target.relpath))

    return [
        PageNav(
            index_href=_relative_href(page.relpath, INDEX_NAME),
            previous=link(page, pages[i - 1]) if i > 0 else None,
            next=link(page, pages[i + 1]) if i + 1 < len(pages) else None,
        )
        for i, page in enumerate(pages)
    ]


def export_page(executed: nbformat.NotebookNode, title: str, nav: PageNav, source_dir: Path) -> str:
    """The executed notebook as a self-contained HTML page that needs no network.

    ``source_dir`` is the notebook's own folder, so images it references are embedded.
    """
    notebook = copy.deepcopy(executed)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["title"] = title
    figures = _replace_outputs(notebook)
    resources = {
        "metadata": {"name": title, "path": str(source_dir)},
        "csto": {
            "nav": nav,
            "style": _STYLE,
            "plotly_js": _plotly_js() if figures else "",
        },
    }
    body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    return body


def index_page(pages: list[Page]) -> str:
    """The course's front page: every page in order, with its title."""
    items = "\n".join(
        f'    <li><a href="{html.escape(page.relpath)}">{html.escape(page.label)}: '
        f"{html.escape(page.title)}</a></li>"
        for page in pages
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(COURSE_TITLE)}</title>
<style>
body {{ font-family: sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em;
  line-height: 1.5; color: #1a1a1a; }}
a {{ color: #0b5394; }}
a:focus {{ outline: 3px solid #0b5394; outline-offset: 2px; }}
</style>
</head>
<body>
<main>
  <h1>{html.escape(COURSE_TITLE)}</h1>
  <p>Read the pages in this order. Each page is a notebook run from start to finish;
  open the notebooks themselves in JupyterLab to use the interactive controls.</p>
  <ol>
{items}
  </ol>
</main>
</body>
</html>
"""


def find_remote_references(page: str) -> list[str]:
    """Everything in ``page`` that a browser would fetch from the network, as readable strings.

    Covers src/href-like attributes of tags that load resources (script, link, img, iframe,
    media) and url()/@import in style sheets and style attributes. Ordinary links (``<a href>``)
    are not fetches and are allowed.
    """
    finder = _RemoteReferenceFinder()
    finder.feed(page)
    finder.close()
    return finder.found


class _RemoteReferenceFinder(HTMLParser):
    _LOADING_TAGS = frozenset(
        {"script", "link", "img", "iframe", "frame", "source", "audio", "video", "track"}
        | {"embed", "object", "image", "input"}
    )
    _LOADING_ATTRS = frozenset({"src", "href", "srcset", "data", "poster", "xlink:href"})
    _CSS_REMOTE = re.compile(
        r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.IGNORECASE
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value:
                continue
            if name == "style":
                self._add_css(f"<{tag} style>", value)
            elif tag in self._LOADING_TAGS and name in self._LOADING_ATTRS and _is_remote(value):
                self.found.append(f"<{tag} {name}={value}>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._add_css("<style>", data)

    def _add_css(self, where: str, css: str) -> None:
        self.found.extend(f"{where} {url}" for url in self._CSS_REMOTE.findall(css))


def _is_remote(value: str) -> bool:
    return any(
        part.strip().lower().startswith(("http:", "https:", "//")) for part in value.split(",")
    )


def _replace_outputs(notebook: nbformat.NotebookNode) -> int:
    """Turn plotly outputs into drawn divs and widget views into a note; return the figure count."""
    figures = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            data = output.get("data", {})
            if WIDGET_VIEW_MIMETYPE in data:
                output["data"] = _static_part(data)
            elif PLOTLY_MIMETYPE in data:
                figures += 1
                output["data"] = {"text/html": _figure_div(data[PLOTLY_MIMETYPE], figures)}
    return figures


def _static_part(bundle: dict) -> dict:
    """What a widget's output can show without a widget manager.

    A static rendering offered in the same bundle (HTML, an image) is kept; otherwise a note says
    where the control is. The plain-text part is only the widget's repr (``IntSlider(...)``).
    """
    static = {
        mimetype: content
        for mimetype, content in bundle.items()
        if mimetype not in (WIDGET_VIEW_MIMETYPE, "text/plain")
    }
    return static or {"text/html": WIDGET_NOTE}


def _figure_div(figure: dict, number: int) -> str:
    """A div drawn by the page's inline plotly.js; numbered ids keep the page deterministic."""
    spec = dict(figure)
    config = spec.pop("config", None)
    return plotly.io.to_html(
        spec,
        config=config,
        include_plotlyjs=False,
        include_mathjax=False,
        full_html=False,
        div_id=f"figure-{number}",
        validate=False,
    )


def _relative_href(from_page: str, to_page: str) -> str:
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def warm_up() -> None:
    """Do the one-off set-up of exporting now, once per worker process.

    Templates, code highlighting and plotly.js are loaded on first use; the first page a process
    exported took about 0.4 s longer, which the timings charged to whichever notebook came first.
    """
    figure = {"data": [{"type": "bar", "y": [1]}], "layout": {}}
    cell = nbformat.v4.new_code_cell("print(1)", execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("display_data", data={PLOTLY_MIMETYPE: figure}),
    ]
    sample = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A *page*"), cell])
    sample.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    nav = PageNav(INDEX_NAME, None, None)
    find_remote_references(export_page(sample, "Warm-up", nav, Path.cwd()))


@functools.cache
def _plotly_js() -> str:
    return plotly.offline.get_plotlyjs()


@functools.cache
def _exporter() -> HTMLExporter:
    return HTMLExporter(
        template_name="lab",
        template_file="csto_offline.html.j2",
        extra_loaders=[jinja2.DictLoader({"csto_offline.html.j2": _PAGE_TEMPLATE})],
        embed_images=True,
    )
