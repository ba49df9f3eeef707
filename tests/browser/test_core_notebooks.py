"""Each core notebook, run in JupyterLab: no errors; charts, maps and widgets drawn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.lab import error_outputs, open_notebook, plots, run_all, widget_count

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MIN_COUNTRY_SHAPES = 5


def uses_widgets(notebook: Path) -> bool:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return any(
        "widgets" in "".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"
    )


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_notebook_runs_and_draws_in_jupyterlab(notebook: Path, lab: str, browser_page):
    open_notebook(browser_page, lab, f"notebooks/{notebook.name}")
    run_all(browser_page)
    browser_page.shoot()

    errors = error_outputs(browser_page)
    browser_page.check(not errors, f"{notebook.name}: error outputs after Run All: {errors}")

    figures = plots(browser_page)
    browser_page.check(bool(figures), f"{notebook.name}: no plotly figure was rendered")
    blank = [figure["title"] for figure in figures if figure["marks"] == 0]
    browser_page.check(not blank, f"{notebook.name}: figures with no drawn marks: {blank}")
    online_maps = [figure["title"] for figure in figures if figure["geo"]]
    browser_page.check(
        not online_maps,
        f"{notebook.name}: maps drawn with plotly geo (shapes fetched online): {online_maps}",
    )
    for figure in figures:
        if figure["xtitle"].startswith("Longitude"):
            browser_page.check(
                figure["fills"] >= MIN_COUNTRY_SHAPES,
                f"{notebook.name}: map {figure['title']!r} drew {figure['fills']} country shapes",
            )
    if uses_widgets(notebook):
        browser_page.check(widget_count(browser_page) > 0, f"{notebook.name}: no widget rendered")
    browser_page.check(
        not browser_page.blocked, f"{notebook.name}: the page tried to reach the internet"
    )
