"""Answering a course exercise in JupyterLab from the keyboard alone, as a keyboard-only learner
does: Tab from control to control, arrows in a radio group or a list, Space to tick, typing in a
text field, Enter on a button."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from helpers.exercises import load_bank
from helpers.exercises.questions import dataset_tables
from tests.browser.lab import ACTIVE
from tests.browser.session import BrowserPage

FIRST_CONTROL = f"{ACTIVE} .csto-question input, {ACTIVE} .csto-question select"
FOCUSED = """() => {
  const e = document.activeElement;
  const q = e.closest('[data-question]');
  return {
    tag: e.tagName.toLowerCase(), type: e.type || '', value: e.value ?? '',
    text: e.textContent.trim(), checked: !!e.checked, inQuiz: !!e.closest('.csto-control'),
    question: q ? q.dataset.question : null, row: e.dataset ? e.dataset.row || null : null,
    choices: e.tagName === 'SELECT' ? [...e.options].map(o => o.value) : null,
    radios: e.type === 'radio' ? [...q.querySelectorAll('input[type=radio]')].map(r => r.value)
      : null,
    checkedRadio: e.type === 'radio'
      ? (q.querySelector('input[type=radio]:checked') || {}).value || null : null,
  };
}"""
CELLS = f"""() => [...document.querySelectorAll("{ACTIVE} .jp-Cell")].map(c =>
  c.classList.contains('jp-CodeCell') ? 'code'
  : c.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw')"""
# Keys that are JupyterLab notebook shortcuts in command mode (insert, delete, change cell type).
SHORTCUT_KEYS = ["a", "b", "d", "d", "r", "m", "y", "Enter", "Escape"]


def key_answers(bank_name: str, data_dir: Path) -> dict[str, Any]:
    """The right answer to every question, as a learner would enter it."""
    tables = dataset_tables(data_dir)
    answers: dict[str, Any] = {}
    for question in load_bank(bank_name).questions:
        if question.kind == "reflection":
            answers[question.id] = "The members agreed on one case and not on the other."
            continue
        expected = question.expected(tables)
        if isinstance(expected, float) and expected.is_integer():
            expected = int(expected)
        answers[question.id] = expected
    return answers


def cell_kinds(session: BrowserPage) -> list[str]:
    return session.page.evaluate(CELLS)


def stored_cell_kinds(notebook: Path) -> list[str]:
    return [cell["cell_type"] for cell in json.loads(notebook.read_text("utf-8"))["cells"]]


def focused(session: BrowserPage) -> dict[str, Any]:
    return session.page.evaluate(FOCUSED)


def press(session: BrowserPage, key: str, times: int = 1) -> None:
    for _ in range(times):
        session.page.keyboard.press(key)


def feedback_text(session: BrowserPage, question_id: str) -> str:
    return session.page.locator(
        f"{ACTIVE} [data-question='{question_id}'] .csto-feedback").inner_text()


def answer_all_by_keyboard(session: BrowserPage, answers: dict[str, Any],
                           noise_before: str | None = None, seconds: float = 120) -> list[str]:
    """Tab through the whole exercise answering every question and pressing its Check button.

    The focus starts on the first control of the first question; from there only keys are
    pressed. ``noise_before`` names a question whose radio group first receives every notebook
    shortcut key. Returns the ids of the questions checked, in order.
    """
    page = session.page
    page.locator(FIRST_CONTROL).first.focus()
    checked: list[str] = []
    done: set[tuple[str, str]] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = focused(session)
        if not now["inQuiz"]:
            return checked
        qid, answer = now["question"], answers.get(now["question"])
        if now["type"] == "radio" and (qid, "radio") not in done:
            done.add((qid, "radio"))
            if qid == noise_before:
                press_each(session, SHORTCUT_KEYS)
            if now["checkedRadio"] is None:
                press(session, "Space")  # selects the focused (first) option
            moves = now["radios"].index(answer) - now["radios"].index(focused(session)["value"])
            press(session, "ArrowDown" if moves > 0 else "ArrowUp", abs(moves))
        elif now["type"] == "checkbox" and (now["value"] in answer) != now["checked"]:
            press(session, "Space")
        elif now["tag"] == "select":
            wanted = answer[int(now["row"]) - 1] if isinstance(answer, list) else answer[now["row"]]
            moves = now["choices"].index(wanted) - now["choices"].index(now["value"])
            press(session, "ArrowDown" if moves > 0 else "ArrowUp", abs(moves))
        elif now["tag"] in ("input", "textarea") and now["type"] in ("text", "textarea"):
            if not now["value"]:
                page.keyboard.type(str(answer))
        elif now["tag"] == "button" and now["text"] in ("Check answer", "Save reflection"):
            press(session, "Enter")
            page.wait_for_function(
                f"() => document.querySelector(\"{ACTIVE} [data-question='{qid}'] "
                ".csto-feedback\").innerText.trim().length > 0", timeout=15_000)
            checked.append(qid)
        press(session, "Tab")
    session.check(False, f"the exercise was not finished with the keyboard in {seconds} s")
    return checked


def press_each(session: BrowserPage, keys: list[str]) -> None:
    for key in keys:
        session.page.keyboard.press(key)
