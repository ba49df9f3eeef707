"""axe-core on the course's controls inside JupyterLab: no serious or critical violation in an
exercise (questions, feedback, the student-id prompt) or an explorer; and Enter in the id box
submits it."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tests.browser.lab import ACTIVE, open_notebook, run_all
from tests.browser.session import BrowserPage

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AUDIT = """async ([selector, tags]) => {
  const result = await axe.run({include: [[selector]]}, {runOnly: {type: 'tag', values: tags}});
  const bad = result.violations.filter(v => ['serious', 'critical'].includes(v.impact));
  return {checked: result.passes.reduce((n, rule) => n + rule.nodes.length, 0),
          violations: bad.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                     nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))};
}"""
OURS = f"{ACTIVE} .csto-control"


def audit(session: BrowserPage, what: str) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make setup` (npm ci installs axe-core)")
    session.page.add_script_tag(path=str(AXE))
    report = session.page.evaluate(AUDIT, [OURS, WCAG])
    session.check(report["checked"] > 10, f"{what}: axe checked only {report['checked']} nodes")
    session.check(not report["violations"],
                  f"{what}: serious or critical violations: "
                  f"{json.dumps(report['violations'], indent=1)}")


@pytest.mark.browser
def test_an_exercise_with_feedback_has_no_serious_violation(lab: str, browser_page: BrowserPage):
    page = browser_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_notebook(browser_page, lab, "exercises/00_demo_exercises.ipynb")
    run_all(browser_page)
    for button in ("Check answer", "Show hint"):
        page.locator(f"{ACTIVE} button:has-text('{button}')").first.click()
    page.locator(f"{ACTIVE} .csto-option").first.click()
    page.locator(f"{ACTIVE} button:has-text('Check answer')").first.click()
    page.wait_for_selector(f"{ACTIVE} .csto-tone-correct, {ACTIVE} .csto-tone-wrong")
    audit(browser_page, "exercise 00")


@pytest.mark.browser
def test_explorer_controls_have_no_serious_violation(lab: str, browser_page: BrowserPage):
    open_notebook(browser_page, lab, "notebooks/02_structure.ipynb")  # a list and a year range
    run_all(browser_page)
    audit(browser_page, "explorer of 02")


@pytest.mark.browser
def test_the_id_prompt_submits_on_enter_and_explains_a_refusal(
    lab: str, browser_page: BrowserPage, course_copy: Path, tmp_path: Path
):
    """A learner with no id yet: the prompt says the rule, Enter submits, a refusal is in words."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "import os\n"
        "os.environ.pop('CSTO_STUDENT_ID', None)\n"
        f"os.environ['HOME'] = {str(tmp_path)!r}\n"
        "from helpers.exercises import load_quiz\n"
        f"load_quiz('00_demo', answers_dir={str(tmp_path / 'answers')!r}).show()"
    )]
    nbformat.write(notebook, course_copy / "exercises" / "new_learner.ipynb")
    page = browser_page.page
    open_notebook(browser_page, lab, "exercises/new_learner.ipynb")
    run_all(browser_page)
    field = page.locator(f"{ACTIVE} .csto-student-id input")
    field.wait_for(timeout=30_000)
    prompt = page.locator(f"{ACTIVE} .csto-student-id").inner_text()
    browser_page.check("no spaces" in prompt, f"the prompt does not state the rule: {prompt}")
    audit(browser_page, "student-id prompt")

    field.focus()
    page.keyboard.type("maria k")
    page.keyboard.press("Enter")
    error = page.locator(f"{ACTIVE} .csto-student-id [role='alert']")
    page.wait_for_function(
        f"() => document.querySelector(\"{ACTIVE} .csto-student-id [role='alert']\")"
        ".textContent.includes('Id not saved')", timeout=15_000)
    browser_page.check("'maria k'" in error.inner_text(), error.inner_text())

    page.keyboard.press("Control+a")
    page.keyboard.type("maria.k")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{ACTIVE} [data-question]", timeout=15_000)
    browser_page.check(
        (tmp_path / ".csto-course" / "student.json").is_file(), "the id was not remembered")
