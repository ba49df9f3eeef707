"""The course website built by Sphinx from a small course's executed notebooks (no kernel runs).

Each test reads the built files the way a browser would get them; the browser itself, axe-core
and the whole course are in tests/browser/test_offline_course.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import plotly.offline
import pytest

from helpers.runner.discovery import discover_notebooks
from helpers.site.build import SiteReport, build_site
from helpers.site.offline import find_remote_references
from helpers.site.settings import SiteSettings
from tests.site_course import (
    BANK,
    EXERCISES,
    FIGURE_DESCRIPTION,
    FIGURE_TITLE,
    INTRO,
    SECRETS,
    make_site_course,
)

PAGE = {
    "intro": "notebooks/00_intro.html",
    "exercises": "exercises/00_intro_exercises.html",
    "chart": "notebooks/01_chart.html",
}
HREF = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>', re.IGNORECASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteReport]:
    root = make_site_course(tmp_path_factory.mktemp("course"))
    report = build_site(discover_notebooks(root), root / "build", root)
    assert report.ok, report.failure
    return root / "build", report


def read(site: tuple[Path, SiteReport], page: str) -> str:
    return (site[0] / page).read_text(encoding="utf-8")


def links(text: str) -> list[str]:
    return [html.unescape(href) for href in HREF.findall(text)]


def test_every_page_is_built(site):
    _, report = site
    assert report.pages == sorted(
        [
            "TERMS.html",
            "data/README.html",
            "exercises/00_intro_exercises.html",
            "genindex.html",
            "guide/teachers_guide.html",
            "index.html",
            "notebooks/00_intro.html",
            "notebooks/01_chart.html",
            "search.html",
        ]
    )


def test_home_page_says_what_the_course_is_and_where_to_start(site):
    home = read(site, "index.html")
    assert "Collective Security Treaty Organization" in home
    start = home.index("Where to start")
    assert 'href="notebooks/00_intro.html"' in home[start:]
    assert "Introducing the members" in home
    assert 'href="exercises/00_intro_exercises.html"' in home
    for reference in ("data/README.html", "guide/teachers_guide.html", "TERMS.html"):
        assert f'href="{reference}"' in home


def test_sidebar_lists_the_chapters_in_reading_order(site):
    page = read(site, PAGE["chart"])
    sidebar = page[page.index('class="bd-links') :]
    sidebar = sidebar[: sidebar.index("</nav>")]
    order = [href for href in links(sidebar) if href.endswith(".html") or href == "#"]
    assert order == [
        "../index.html",
        "00_intro.html",
        "../exercises/00_intro_exercises.html",
        "#",  # this page
        "../data/README.html",
        "../guide/teachers_guide.html",
        "../TERMS.html",
    ]


def test_previous_and_next_follow_the_reading_order(site):
    exercises = read(site, PAGE["exercises"])
    previous = re.search(r'<a class="left-prev"\s+href="([^"]+)"', exercises)
    following = re.search(r'<a class="right-next"\s+href="([^"]+)"', exercises)
    assert previous.group(1) == "../notebooks/00_intro.html"
    assert following.group(1) == "../notebooks/01_chart.html"


def test_page_has_its_own_table_of_contents(site):
    page = read(site, PAGE["intro"])
    toc = page[page.index('id="pst-page-toc-nav"') :]
    for heading in ("#overview", "#discussion-questions", "#key-points"):
        assert f'href="{heading}"' in toc[: toc.index("</nav>")]


def test_code_is_folded_with_a_way_to_show_it(site):
    page = read(site, PAGE["intro"])
    cells = re.findall(r'<div class="cell [^"]*"', page)
    folded = re.findall(r'<details class="admonition hide above-input">\s*<summary>', page)
    assert len(cells) == 2 and len(folded) == 2, "the parameters cell and the other code cell"
    assert "Show code" in page and "In [" not in page
    assert "Pashinyan leads the government" in page, "outputs stay in view"


def test_objectives_key_points_and_discussion_are_callouts(site):
    page = read(site, PAGE["intro"])
    assert re.search(r'<section class="csto-callout csto-key-points" id="key-points">', page)
    assert re.search(r'<section class="csto-callout csto-discussion" id="discussion-q', page)
    objectives = page[page.index('class="csto-callout csto-objectives') :]
    assert objectives.index("Learning objectives") < objectives.index("read a chart of members")
    assert objectives.index("find a member") < objectives.index("</div>")


def test_figure_is_drawn_by_the_one_local_plotly_js_with_its_caption(site):
    build = site[0]
    page = read(site, PAGE["chart"])
    figure = page[page.index("<figure") : page.index("</figure>")]
    assert 'aria-describedby="csto-figure-1-description"' in figure
    caption = figure[figure.index("<figcaption>") :]
    assert FIGURE_TITLE in caption and "<b>" not in caption
    assert f'id="csto-figure-1-description">{FIGURE_DESCRIPTION}</span>' in caption
    assert "Chart description:" not in page, "the printed description became the caption"
    assert '<script type="application/json" class="csto-plot-data"' in figure
    assert re.search(r'<script defer="defer" src="../_static/plotly.min.js', page)
    banner = plotly.offline.get_plotlyjs()[:200]
    assert (build / "_static" / "plotly.min.js").read_text(encoding="utf-8").startswith(banner)
    shipped = [
        p for p in build.rglob("*") if p.is_file() and banner in p.read_text("utf-8", "ignore")
    ]
    assert shipped == [build / "_static" / "plotly.min.js"], "plotly.js is shipped once"
    assert "plotly.min.js" not in read(site, PAGE["intro"]), "pages without figures skip it"


def test_widgets_show_their_static_form_and_fetch_nothing(site):
    page = read(site, PAGE["chart"])
    assert "IntSlider" not in page and "VBox" not in page
    assert "In JupyterLab, an interactive control here" in page
    assert "The static table of members" in page
    for page_path in site[1].pages:
        text = read(site, page_path)
        assert "widget-view+json" not in text and "widget-state+json" not in text, page_path
        assert "require.js" not in text and "embed-amd" not in text, page_path
        assert find_remote_references(text) == [], page_path


def test_exercise_page_shows_every_question_and_how_to_answer(site):
    page = read(site, PAGE["exercises"])
    shown = html.unescape(page)
    for question in BANK["questions"]:
        assert question["prompt"] in shown, question["id"]
        for field in ("options", "items", "left", "right"):
            for text in question.get(field, {}).values():
                assert text in shown, (question["id"], text)
    assert "<b>state</b>" not in page, "bank text is text, not HTML"
    assert "How to answer" in page and "JupyterLab" in page
    assert "Score:" not in page and "your score so far appears here" in page
    assert re.search(r'<a href="00_intro_exercises.ipynb" download[^>]*>', page)
    assert (site[0] / EXERCISES).is_file(), "the download is the executed notebook"


def test_no_answer_feedback_hint_or_model_answer_in_any_built_file(site):
    build = site[0]
    for path in build.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".txt", ".inv", ".json"}:
            text = path.read_text(encoding="utf-8", errors="ignore")
            leaked = [secret for secret in SECRETS if secret in text]
            assert not leaked, f"{path.relative_to(build)}: {leaked}"


def test_links_go_to_pages_and_broken_ones_are_repaired_or_reported(site):
    _, report = site
    page = read(site, PAGE["intro"])
    hrefs = links(page)
    assert "../exercises/00_intro_exercises.html" in hrefs, "repaired by its number"
    assert "01_chart.html" in hrefs
    assert "../data/README.html#members" in hrefs
    assert 'id="members"' in read(site, "data/README.html")
    assert "licence text" in page and "vanished page" in page, "kept as text"
    assert not any(h.endswith(("LICENSE", "missing.md")) for h in hrefs)
    for page_path in report.pages:
        for href in links(read(site, page_path)):
            if href.endswith((".ipynb", ".md")):
                assert re.search(
                    rf'<a[^>]*href="{re.escape(href)}"[^>]*download', read(site, page_path)
                ), f"{page_path}: {href} is not a download"
    assert report.notes == [
        f"{INTRO}: the link to ../exercises/00_start_here_exercises.ipynb is to a file that does "
        f"not exist; linked to {EXERCISES} instead.",
        f"{INTRO}: the link to ../LICENSE is to a file that is not part of the site; shown as "
        "plain text.",
        f"{INTRO}: the link to ../missing.md is to a file that does not exist; shown as plain "
        "text.",
    ]


def test_the_teachers_guide_is_a_page_linking_to_pages(site):
    guide = read(site, "guide/teachers_guide.html")
    assert "<h1>Teacher" in guide
    assert "../exercises/00_intro_exercises.html" in links(guide)


def test_notebook_pages_offer_their_executed_notebook(site):
    page = read(site, PAGE["intro"])
    assert re.search(r'href="00_intro.ipynb" download="00_intro.ipynb"', page)
    assert (site[0] / INTRO).is_file()


def test_search_works_from_disk(site):
    search = read(site, "search.html")
    assert re.search(r'<script src="searchindex.js', search), "loaded as a script, not fetched"
    assert "pashinyan" in read(site, "searchindex.js").lower()


def test_nothing_of_the_build_machinery_is_left(site):
    build, _ = site
    leftovers = [".buildinfo", "_sources", ".doctrees", "jupyter_execute", "conf.py"]
    assert [name for name in leftovers if (build / name).exists()] == []
    assert not (build.parent / "jupyter_execute").exists()


def test_launch_buttons_when_the_teacher_sets_an_address(tmp_path):
    root = make_site_course(tmp_path / "course")
    settings = SiteSettings(
        jupyterhub_url="https://hub.example.edu",
        repository_url="https://github.com/example/csto-course",
    )
    notebooks = [nb for nb in discover_notebooks(root) if nb.relpath == INTRO]
    report = build_site(notebooks, root / "build", root, settings)
    assert report.ok, report.failure
    page = (root / "build" / PAGE["intro"]).read_text(encoding="utf-8")
    launch = [
        unquote(href) for href in links(page) if href.startswith("https://hub.example.edu/")
    ]
    assert launch and "git-pull?repo=https://github.com/example/csto-course" in launch[0]
    assert "urlpath=lab/tree/csto-course/notebooks/00_intro.ipynb" in launch[0]


def test_no_launch_buttons_by_default(site):
    assert "git-pull" not in read(site, PAGE["intro"]) and "binder" not in read(site, PAGE["intro"])
