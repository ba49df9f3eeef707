"""An exercise answered in JupyterLab: feedback in words, saved, restored after a restart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.exercises import load_bank
from tests.browser.lab import (
    ACTIVE,
    open_notebook,
    run_all,
    run_menu_command,
    wait_for_idle_kernel,
)
from tests.browser.session import BrowserPage

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = "exercises/00_demo_exercises.ipynb"
BANK = "00_demo"


def first_single_choice(bank_name: str):
    """The first single-choice question of a bank, with one wrong option and the right one."""
    question = next(q for q in load_bank(bank_name).questions if q.kind == "single")
    wrong = next(key for key in question.options if key != question.answer)
    return question, wrong, question.answer


def sheet_on_disk(answers_dir: Path) -> dict:
    sheets = [json.loads(path.read_text(encoding="utf-8")) for path in answers_dir.glob("*.json")]
    return next((sheet for sheet in sheets if sheet.get("bank") == BANK), {})


@pytest.mark.browser
def test_answer_feedback_saving_and_restore(lab: str, browser_page: BrowserPage, answers_dir: Path):
    question, wrong, right = first_single_choice(BANK)
    page = browser_page.page
    open_notebook(browser_page, lab, NOTEBOOK)
    run_all(browser_page)

    radios = page.locator(f"{ACTIVE} [data-question='{question.id}'] .csto-options").first
    browser_page.check(radios.count() == 1, "the single-choice question did not render")
    check_button = page.locator(f"{ACTIVE} button:has-text('Check answer')").first
    feedback = page.locator(f"{ACTIVE} div[role='status']").first

    # A wrong answer, chosen with the mouse: the verdict is said in words.
    radios.locator(f"label:has-text('{wrong})')").click()
    check_button.click()
    page.wait_for_function(
        f"() => document.querySelector(\"{ACTIVE} div[role='status']\").innerText"
        ".includes('Not quite')",
        timeout=15_000,
    )
    # Other tests in the session may have answered this question already: count from here.
    attempts = int(re.search(r"Attempts: (\d+)", feedback.inner_text()).group(1))

    # The right answer, chosen and checked from the keyboard alone.
    radios.locator(f"input[value='{right}']").focus()
    page.keyboard.press("Space")
    check_button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector(\"{ACTIVE} div[role='status']\").innerText"
        ".includes('Correct')",
        timeout=15_000,
    )
    browser_page.check(f"Attempts: {attempts + 1}" in feedback.inner_text(),
                       "attempts were not counted")

    saved = sheet_on_disk(answers_dir).get("answers", {}).get(question.id, {})
    browser_page.check(saved.get("answer") == right, f"the sheet on disk holds {saved!r}")

    # Restart the kernel, reload the page, run again: the answer and feedback come back.
    run_menu_command(browser_page, "Kernel", "Restart Kernel…")
    page.click(".jp-Dialog .jp-mod-accept")
    wait_for_idle_kernel(browser_page)
    open_notebook(browser_page, lab, NOTEBOOK)
    run_all(browser_page)
    restored = page.locator(f"{ACTIVE} div[role='status']").first
    restored.wait_for(timeout=15_000)
    browser_page.check("Correct" in restored.inner_text(), "feedback not restored after restart")
    checked = page.locator(f"{ACTIVE} [data-question='{question.id}'] input:checked")
    browser_page.check(checked.count() == 1 and checked.get_attribute("value") == right,
                       "the saved answer is not selected after restart")
    browser_page.shoot()
