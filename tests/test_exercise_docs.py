"""What the exercise notebooks tell their readers matches what the course does."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from helpers.exercises import load_bank

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "exercises").glob("[0-9][0-9]_*_exercises.ipynb"))


def markdown(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_the_documented_papermill_command_names_this_notebook_and_real_questions(notebook):
    commands = re.findall(r"`(papermill [^`]+)`", markdown(notebook))
    assert commands, f"{notebook.name} documents no papermill command"
    words = shlex.split(commands[0])
    assert words[1] == f"exercises/{notebook.name}"
    answers = json.loads(words[words.index("answers") + 1])
    bank = load_bank(notebook.name.removesuffix("_exercises.ipynb"))
    for question_id, answer in answers.items():
        question = bank.question(question_id)
        question.normalize(answer)  # an answer the question accepts (right or wrong)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_the_keyboard_help_says_what_the_controls_do(notebook):
    text = " ".join(markdown(notebook).split())
    assert "the arrow keys move the choice within a group or a list" in text
    assert "notebook shortcuts are off" in text
