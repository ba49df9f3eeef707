"""A whole exercise completed with the keyboard alone in JupyterLab; no notebook shortcut fires
while a course control has the focus, so the notebook's cells are unchanged afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.exercises import load_bank
from tests.browser.lab import ACTIVE, open_notebook, run_all
from tests.browser.quiz import (
    answer_all_by_keyboard,
    cell_kinds,
    feedback_text,
    key_answers,
    press_each,
    stored_cell_kinds,
)
from tests.browser.session import BrowserPage

NOTEBOOK = "exercises/00_demo_exercises.ipynb"
BANK = "00_demo"


@pytest.mark.browser
def test_a_whole_exercise_by_keyboard(lab: str, browser_page: BrowserPage, course_copy: Path):
    page = browser_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_notebook(browser_page, lab, NOTEBOOK)
    run_all(browser_page)
    stored = stored_cell_kinds(course_copy / NOTEBOOK)
    browser_page.check(cell_kinds(browser_page) == stored, "cells differ before answering")

    questions = load_bank(BANK).questions
    single = next(q.id for q in questions if q.kind == "single")
    answers = key_answers(BANK, course_copy / "data")
    checked = answer_all_by_keyboard(browser_page, answers, noise_before=single)

    browser_page.check(checked == [q.id for q in questions],
                       f"checked {checked}, expected every question in order")
    verdicts = {qid: feedback_text(browser_page, qid).split(" —")[0] for qid in checked}
    wrong = {qid: v for qid, v in verdicts.items() if v not in ("Correct", "Saved")}
    browser_page.check(not wrong, f"questions not marked right from the keyboard: {wrong}")
    graded = sum(q.kind != "reflection" for q in questions)
    status = page.locator(f"{ACTIVE} .jupyter-widgets:has-text('Score:')").first.inner_text()
    browser_page.check(f"Score: {graded} out of {graded} graded" in status, status)
    browser_page.check(cell_kinds(browser_page) == stored,
                       f"the notebook's cells changed: {cell_kinds(browser_page)} != {stored}")
    browser_page.shoot()


@pytest.mark.browser
def test_shortcut_keys_in_an_explorer_list_choose_an_entry(lab: str, browser_page: BrowserPage,
                                                           course_copy: Path):
    """Typing 'r' in 05's Contributor list jumps to Russia; it used to make the cell raw."""
    page = browser_page.page
    notebook = "notebooks/05_kazakhstan.ipynb"
    open_notebook(browser_page, lab, notebook)
    run_all(browser_page)
    stored = stored_cell_kinds(course_copy / notebook)
    contributor = page.locator(f"{ACTIVE} .csto-control select").first
    contributor.focus()
    press_each(browser_page, ["r"])
    chosen = contributor.evaluate("s => s.options[s.selectedIndex].textContent")
    browser_page.check(chosen.startswith("R"), f"'r' chose {chosen!r}, not an entry with R")
    press_each(browser_page, ["a", "b", "d", "d", "m", "y", "Escape", "ArrowDown"])
    browser_page.check(cell_kinds(browser_page) == stored, "a notebook shortcut changed the cells")
    browser_page.check(page.locator(f"{ACTIVE} .csto-control select").count() >= 1,
                       "the explorer's list vanished")
