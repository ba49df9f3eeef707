"""The HTML course built by csto-run, opened from disk with the network blocked: every page loads,
every chart and map draws, and the index links every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers.runner.cli import main as csto_run
from tests.browser.lab import plots
from tests.browser.session import BrowserPage

REPO = Path(__file__).resolve().parents[2]
MIN_COUNTRY_SHAPES = 5


@pytest.fixture(scope="session")
def html_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole course built once by the runner, as `make run` builds it."""
    output = tmp_path_factory.mktemp("course-html") / "build"
    status = csto_run(["--root", str(REPO), "--output", str(output)])
    assert status == 0, f"csto-run failed with exit status {status}"
    return output


def course_pages() -> list[str]:
    """The pages the runner writes: one per notebook and exercise notebook."""
    notebooks = sorted(REPO.glob("notebooks/[0-9][0-9]_*.ipynb"))
    exercises = sorted(REPO.glob("exercises/[0-9][0-9]_*.ipynb"))
    return [f"{path.parent.name}/{path.stem}.html" for path in [*notebooks, *exercises]]


@pytest.mark.browser
def test_index_links_every_page(html_course: Path, browser_page: BrowserPage):
    browser_page.page.goto((html_course / "index.html").as_uri())
    links = browser_page.page.eval_on_selector_all(
        "a", "nodes => nodes.map(n => n.getAttribute('href'))"
    )
    missing = [page for page in course_pages() if page not in links]
    browser_page.check(not missing, f"index.html does not link: {missing}")
    browser_page.check(not browser_page.blocked, "index.html tried to reach the internet")


@pytest.mark.browser
@pytest.mark.parametrize("page", course_pages())
def test_page_draws_offline(page: str, html_course: Path, browser_page: BrowserPage):
    path = html_course / page
    browser_page.check(path.is_file(), f"{page} was not written by the runner")
    browser_page.page.goto(path.as_uri(), wait_until="load")
    browser_page.page.wait_for_timeout(500)
    browser_page.shoot()
    errors = [line for line in browser_page.console if line.startswith("pageerror")]
    browser_page.check(not errors, f"{page}: script errors {errors}")
    browser_page.check(not browser_page.blocked, f"{page} tried to reach the internet")
    stored = path.read_text(encoding="utf-8")
    expected_figures = len(re.findall(r'class="[^"]*plotly-graph-div', stored))
    figures = plots(browser_page, within="body")
    browser_page.check(
        len(figures) == expected_figures,
        f"{page}: {len(figures)} of {expected_figures} figures drawn",
    )
    blank = [figure["title"] for figure in figures if figure["marks"] == 0]
    browser_page.check(not blank, f"{page}: figures with no drawn marks: {blank}")
    for figure in figures:
        if figure["xtitle"].startswith("Longitude"):
            browser_page.check(
                figure["fills"] >= MIN_COUNTRY_SHAPES,
                f"{page}: map {figure['title']!r} drew {figure['fills']} country shapes",
            )
