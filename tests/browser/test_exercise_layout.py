"""Exercise and table layout on laptop and desktop screens, with the file browser open: options
wrap inside their own boxes and never overlap, the chosen option looks chosen without colour,
tables keep dates whole and scroll inside their own area."""

from __future__ import annotations

import pytest

from tests.browser.lab import ACTIVE, open_notebook, run_all
from tests.browser.session import BrowserPage

SIZES = [(1280, 800), (1920, 1080)]
NOTEBOOK = "exercises/01_history_exercises.ipynb"
OPTION_BOXES = """nodes => nodes.map(o => {
  const box = o.getBoundingClientRect(), mark = o.querySelector('input').getBoundingClientRect();
  const area = o.closest('.jp-OutputArea-output').getBoundingClientRect();
  return {question: o.closest('[data-question]').dataset.question, text: o.innerText.slice(0, 40),
          box: [box.left, box.top, box.right, box.bottom],
          mark: [mark.left, mark.top, mark.right, mark.bottom], areaRight: area.right};
})"""
LOOK = """o => { const s = getComputedStyle(o);
  return {weight: Number(s.fontWeight), border: parseFloat(s.borderTopWidth)}; }"""


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def open_file_browser(session: BrowserPage) -> None:
    if not session.page.locator(".jp-FileBrowser").first.is_visible():
        session.page.click(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='filebrowser']")
    session.check(session.page.locator(".jp-FileBrowser").first.is_visible(),
                  "the file browser is not open")


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_options_never_overlap_and_the_chosen_one_looks_chosen(
    lab: str, browser_page: BrowserPage, width: int, height: int
):
    page = browser_page.page
    page.set_viewport_size({"width": width, "height": height})
    open_notebook(browser_page, lab, NOTEBOOK)
    open_file_browser(browser_page)
    run_all(browser_page)
    options = page.eval_on_selector_all(f"{ACTIVE} .csto-option", OPTION_BOXES)
    browser_page.check(len(options) >= 12, f"only {len(options)} option boxes rendered")

    crossing = [(a["text"], b["text"]) for n, a in enumerate(options) for b in options[n + 1:]
                if overlap(a["box"], b["box"])]
    browser_page.check(not crossing, f"option boxes overlap at {width}x{height}: {crossing}")
    hidden = [o["text"] for o in options
              if not (o["mark"][2] - o["mark"][0] > 5 and o["box"][0] <= o["mark"][0]
                      and o["mark"][2] <= o["box"][2] and o["box"][1] <= o["mark"][1]
                      and o["mark"][3] <= o["box"][3])]
    browser_page.check(not hidden, f"radio or tick box outside its option: {hidden}")
    spilled = [o["text"] for o in options if o["box"][2] > o["areaRight"] + 1]
    browser_page.check(not spilled, f"options wider than the output area: {spilled}")

    first = page.locator(f"{ACTIVE} .csto-question:has(input[type=radio]) .csto-option")
    first.nth(1).click()
    chosen, other = first.nth(1).evaluate(LOOK), first.nth(0).evaluate(LOOK)
    browser_page.check(chosen["weight"] >= 600 > other["weight"] and
                       chosen["border"] > other["border"],
                       f"the chosen option does not stand out without colour: {chosen} {other}")
    first.nth(1).scroll_into_view_if_needed()
    if (width, height) == SIZES[0]:
        browser_page.shoot()


TABLE_REPORT = """wraps => wraps.map(w => {
  const table = w.querySelector('table');
  const area = w.closest('.jp-OutputArea-output').getBoundingClientRect();
  const dates = [...table.querySelectorAll('td')].filter(
    td => /^\\d{4}(-\\d{2}){0,2}$/.test(td.textContent.trim()));
  const lines = td => { const r = document.createRange(); r.selectNodeContents(td);
                        return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; };
  const texts = [...table.querySelectorAll('td')].filter(td => /[a-z] [a-z]/i.test(td.textContent));
  return {caption: (table.caption || {}).textContent || '',
          wide: w.scrollWidth > w.clientWidth + 1,
          scrolls: getComputedStyle(w).overflowX === 'auto',
          inside: w.getBoundingClientRect().right <= area.right + 1,
          brokenDates: dates.filter(td => lines(td) > 1).map(td => td.textContent),
          rightText: texts.filter(td => getComputedStyle(td).textAlign !== 'left').length};
})"""


@pytest.mark.browser
@pytest.mark.parametrize("notebook", ["notebooks/05_kazakhstan.ipynb",
                                      "notebooks/07_synthesis.ipynb"])
def test_tables_left_align_text_keep_dates_whole_and_scroll_when_wide(
    lab: str, browser_page: BrowserPage, notebook: str
):
    page = browser_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_notebook(browser_page, lab, notebook)
    open_file_browser(browser_page)
    run_all(browser_page)
    tables = page.eval_on_selector_all(f"{ACTIVE} .csto-table-scroll", TABLE_REPORT)
    browser_page.check(bool(tables), f"{notebook}: no course table rendered")
    for table in tables:
        name = table["caption"][:60]
        browser_page.check(table["inside"] and table["scrolls"],
                           f"{notebook}: table {name!r} is not kept inside the output area")
        browser_page.check(not table["brokenDates"],
                           f"{notebook}: dates broken across lines in {name!r}: "
                           f"{table['brokenDates']}")
        browser_page.check(table["rightText"] == 0,
                           f"{notebook}: {table['rightText']} text cells not left-aligned in "
                           f"{name!r}")
    if notebook.startswith("notebooks/07"):
        browser_page.check(any(t["wide"] for t in tables),
                           "07's truth table fits without scrolling: the test proves nothing")
        truth = page.locator(f"{ACTIVE} .csto-table-scroll:has(th:text-is('Consistency'))").first
        truth.scroll_into_view_if_needed()
        browser_page.shoot()
