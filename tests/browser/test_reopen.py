"""Opening, saving, closing and reopening exercise notebooks in JupyterLab with the course's
settings: no "modified" mark on opening, no widget error after a reopen or a reload, no news
pop-up, and no widget views saved into the file."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from tests.browser.lab import (
    ACTIVE,
    open_notebook,
    run_all,
    run_menu_command,
    wait_for_idle_kernel,
)
from tests.browser.session import BrowserPage

REPO = Path(__file__).resolve().parents[2]
EXERCISES = sorted(path.name for path in (REPO / "exercises").glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_ERROR = "Error displaying widget"


def modified_tabs(session: BrowserPage) -> list[str]:
    return session.page.eval_on_selector_all(
        ".lm-TabBar-tab.jp-mod-dirty", "nodes => nodes.map(n => n.textContent)")


def shows_widget_error(session: BrowserPage) -> bool:
    return WIDGET_ERROR in session.page.locator(ACTIVE).inner_text()


def news_shown(session: BrowserPage) -> bool:
    toasts = session.page.locator(".jp-Notification-Toast, .Toastify__toast")
    return any("news" in toasts.nth(n).inner_text().lower() for n in range(toasts.count()))


def settled(session: BrowserPage) -> None:
    """Let the widgets render and the kernel's report of its language reach the notebook (either
    can mark it modified or show an error), then look. open_notebook has already waited for the
    kernel to be attached and idle, so both come within milliseconds; a second is ample."""
    session.page.wait_for_timeout(1000)


@pytest.mark.browser
def test_stored_exercise_notebooks_open_unmodified_without_widget_errors(
    lab: str, browser_page: BrowserPage
):
    for name in EXERCISES:
        open_notebook(browser_page, lab, f"exercises/{name}")
        settled(browser_page)
        browser_page.check(not modified_tabs(browser_page), f"{name} is marked modified on opening")
        browser_page.check(not shows_widget_error(browser_page), f"{name} shows a widget error")
        shut_down_kernels(lab)  # one kernel at a time, as a learner moving on would leave it
    browser_page.check(not news_shown(browser_page), "a 'Jupyter news' pop-up is shown")


def shut_down_kernels(lab: str) -> None:
    """What a culled or restarted kernel leaves: no widget model survives."""
    base, token = lab.split("|")
    with urllib.request.urlopen(f"{base}/api/kernels?token={token}") as reply:
        kernels = json.load(reply)
    for kernel in kernels:
        request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}",
                                         method="DELETE")
        urllib.request.urlopen(request).close()


@pytest.mark.browser
def test_a_saved_exercise_reopens_and_reloads_cleanly(
    lab: str, browser_page: BrowserPage, course_copy: Path
):
    notebook = "exercises/00_demo_exercises.ipynb"
    page = browser_page.page
    open_notebook(browser_page, lab, notebook)
    run_all(browser_page)
    page.locator(f"{ACTIVE} .csto-option").first.click()
    page.locator(f"{ACTIVE} .jp-MarkdownCell").first.click()  # the notebook, not a control
    run_menu_command(browser_page, "File", "Save Notebook")
    page.wait_for_function("() => !document.querySelector('.lm-TabBar-tab.jp-mod-dirty')",
                           timeout=30_000)
    saved = json.loads((course_copy / notebook).read_text(encoding="utf-8"))
    views = [o for c in saved["cells"] for o in c.get("outputs", []) if WIDGET_VIEW in
             o.get("data", {})]
    browser_page.check(not views, f"widget views were saved into the notebook: {views[:1]}")
    browser_page.check("widgets" not in saved["metadata"], "widget state was saved")

    run_menu_command(browser_page, "File", "Close Tab")
    shut_down_kernels(lab)
    open_notebook(browser_page, lab, notebook)
    settled(browser_page)
    browser_page.check(not shows_widget_error(browser_page), "widget error after reopening")
    browser_page.check(not modified_tabs(browser_page), "modified mark after reopening")

    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(f"{ACTIVE} .jp-Cell", timeout=90_000)
    wait_for_idle_kernel(browser_page)
    settled(browser_page)
    browser_page.check(not shows_widget_error(browser_page), "widget error after a reload")
    browser_page.check(not modified_tabs(browser_page), "modified mark after a reload")
    browser_page.check("Static view" in page.locator(ACTIVE).inner_text(),
                       "the exercise's text face is not shown before the cells are run")
