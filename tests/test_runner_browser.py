"""The built HTML course in a real Chromium with every off-machine request blocked.

Scanning the HTML for URLs (test_runner_build.py) cannot see what scripts fetch at run time;
this opens the pages from disk and checks that the plotly figure is actually drawn offline.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.runner.cli import main
from tests.browser.session import CHROMIUM, BrowserPage
from tests.runner_course import make_course

pytestmark = [
    pytest.mark.notebook,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not found"),
]


@pytest.fixture(scope="module")
def built_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_course(tmp_path_factory.mktemp("course"))
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--root", str(root), "-j", "1", "0", "1"]) == 0
    return root / "build"


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium, tmp_path: Path) -> Iterator[BrowserPage]:
    session = BrowserPage.open(chromium, tmp_path / "page.png")
    try:
        yield session
    finally:
        session.close()


def test_chart_draws_offline_from_the_index(built_course: Path, page: BrowserPage):
    page.page.goto((built_course / "index.html").as_uri())
    page.page.get_by_role("link", name="Notebook 01: A chart of members").click()
    page.page.wait_for_load_state("load")
    bars = page.page.locator(".plotly-graph-div .bars path")
    with contextlib.suppress(Exception):  # page.check below reports with a screenshot
        bars.nth(1).wait_for(state="attached", timeout=15_000)
    page.check(bars.count() == 2, "the bar chart should draw both bars from inline plotly.js")
    title = page.page.locator(".plotly-graph-div .gtitle").first.text_content()
    page.check(title == "Members", f"the chart title should be drawn, found {title!r}")
    page.check(page.blocked == [], "no request may leave the machine")
    page.check(not any("pageerror" in line for line in page.console), "no script errors")


def test_previous_link_walks_back_through_the_course(built_course: Path, page: BrowserPage):
    page.page.goto((built_course / "notebooks" / "01_chart.html").as_uri())
    page.page.get_by_role("link", name="Previous: Exercises on members").first.click()
    page.page.wait_for_load_state("load")
    page.check("answers parameter: None" in page.page.content(), "the exercise page opens")
    page.check(page.blocked == [], "no request may leave the machine")
