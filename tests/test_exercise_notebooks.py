"""Every exercise notebook of the course (exercises/01-07) against its bank, its core notebook and
a headless run: with the full key, with typical wrong answers, and blank.

Each exercises/NN_<stem>_exercises.ipynb has its bank exercises/banks/NN_<stem>.yaml and its core
notebook notebooks/NN_<stem>.ipynb, and needs one file here, tests/exercise_wrong_answers/
NN_<stem>.yaml:

    answers:            # typical wrong answers, question id -> answer (any may be left out)
      treaty_city: a
    score: "Score: 0 out of 8 graded questions (0%); 1 answered. Reflections saved: 0 of 1."
    feedback:           # text the report must show, e.g. the feedback naming each misconception
      - "Not quite — The date is right, but ..."
    core_shows:         # optional: data question id -> text the stored core notebook shows, where
      q_id: "no date given: {answer}"   # {answer} is the answer computed from the dataset

The key is never copied here: it is derived from the sealed bank through the kit, on the course
dataset, so it follows the bank and the data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from helpers.exercises import check, load_bank, load_quiz
from helpers.exercises.bank import Bank
from helpers.exercises.questions import dataset_tables
from tests.notebook_runs import execute, output_text

REPO = Path(__file__).resolve().parents[1]
EXERCISES = sorted((REPO / "exercises").glob("0[1-7]_*_exercises.ipynb"))
WRONG_ANSWERS = REPO / "tests" / "exercise_wrong_answers"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
ORDER_OR_MATCH = {"ordering", "matching"}


def bank_name(notebook: Path) -> str:
    return notebook.stem.removesuffix("_exercises")


def core_notebook(notebook: Path) -> Path:
    return REPO / "notebooks" / f"{bank_name(notebook)}.ipynb"


def wrong_answers(notebook: Path) -> dict:
    path = WRONG_ANSWERS / f"{bank_name(notebook)}.yaml"
    assert path.is_file(), f"{notebook.name} needs its typical wrong answers in {path.name}"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def full_key(bank: Bank) -> dict[str, object]:
    """Every question's right answer (the model answer for reflections), from the kit."""
    tables = dataset_tables()
    return {question.id: question.expected(tables) for question in bank.questions}


def run(notebook: Path, tmp_path: Path, parameters: dict) -> str:
    """Execute an exercise notebook headless and return the text of all its outputs."""
    return output_text(execute(notebook, tmp_path / notebook.name, parameters))


NOTEBOOKS = [pytest.param(notebook, id=bank_name(notebook)) for notebook in EXERCISES]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_bank_follows_the_course_conventions(notebook: Path):
    bank = load_bank(bank_name(notebook))
    kinds = [question.kind for question in bank.questions]
    assert bank.notebook == notebook.name
    assert 6 <= len(kinds) <= 10, f"{len(kinds)} questions; expected 6 to 10"
    assert len(set(kinds)) >= 4, f"question types {sorted(set(kinds))}; expected at least four"
    assert kinds.count("data") >= 2, "expected at least two data questions"
    assert ORDER_OR_MATCH & set(kinds), "expected an ordering or a matching question"
    assert kinds[-1] == "reflection", "expected a closing reflection with a model answer"
    tables = dataset_tables()
    for question in bank.questions:  # raises DataCheckError if a solution fails on the dataset
        question.expected(tables)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_exercise_and_core_notebooks_link_to_each_other(notebook: Path):
    core = core_notebook(notebook)
    assert core.is_file(), f"{notebook.name} has no core notebook {core.name}"
    assert f"../notebooks/{core.name}" in notebook.read_text(encoding="utf-8")
    assert f"../exercises/{notebook.name}" in core.read_text(encoding="utf-8")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_stored_notebook_is_blank_current_and_deterministic(notebook: Path):
    stored = json.loads(notebook.read_text(encoding="utf-8"))
    quiz_cell = next(c for c in stored["cells"] if "load_quiz" in "".join(c["source"]))
    assert "nbval-check-output" in quiz_cell["metadata"]["tags"]
    shown = "".join(quiz_cell["outputs"][0]["data"]["text/plain"])
    assert shown == load_quiz(bank_name(notebook)).worksheet(), (
        "the stored outputs are stale: run python -m helpers.exercises.authoring "
        f"store-outputs exercises/{notebook.name}"
    )
    text = json.dumps(stored)
    assert WIDGET_VIEW not in text
    assert not re.search(r"(/root/|/work/|/tmp/|/home/)", text)
    parameters = next(c for c in stored["cells"] if "parameters" in c["metadata"].get("tags", []))
    for line in ("answers = None", "answers_dir = None", "data_dir = None"):
        assert line in "".join(parameters["source"])


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_typical_wrong_answers_are_wrong(notebook: Path):
    """Each typical wrong answer scores below full marks, so its feedback is what learners see."""
    bank = load_bank(bank_name(notebook))
    answers = wrong_answers(notebook)["answers"]
    for question_id, answer in answers.items():
        question = bank.question(question_id)
        if question.kind != "reflection":
            assert not check(question, answer).correct, f"{question_id}: {answer!r} is right"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_data_answers_match_what_the_core_notebook_shows(notebook: Path):
    shows = wrong_answers(notebook).get("core_shows", {})
    bank, tables = load_bank(bank_name(notebook)), dataset_tables()
    printed = output_text(json.loads(core_notebook(notebook).read_text(encoding="utf-8")))
    for question_id, template in shows.items():
        question = bank.question(question_id)
        expected = template.format(answer=question.describe(question.expected(tables)))
        assert expected in printed, f"{core_notebook(notebook).name} does not show {expected!r}"


@pytest.mark.notebook
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_full_key_scores_full_marks(
    notebook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("CSTO_STUDENT_ID", "test-student")  # the kernel inherits it
    bank = load_bank(bank_name(notebook))
    graded = sum(question.kind != "reflection" for question in bank.questions)
    reflections = len(bank.questions) - graded
    printed = run(notebook, tmp_path, {"answers": full_key(bank),
                                       "answers_dir": str(tmp_path / "answers")})
    score = f"Score: {graded} out of {graded} graded questions (100%); {graded} answered."
    if reflections:
        score += f" Reflections saved: {reflections} of {reflections}."
    assert score in printed
    assert printed.count("Correct — ") == graded
    assert f"Answers saved to {bank.name}__test-student.json." in printed
    assert str(tmp_path) not in printed, "no absolute paths in the report"


@pytest.mark.notebook
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_typical_wrong_answers_get_their_score_and_feedback(notebook: Path, tmp_path: Path):
    case = wrong_answers(notebook)
    printed = run(notebook, tmp_path, {"answers": case["answers"]})
    assert case["score"] in printed
    for feedback in case["feedback"]:
        assert feedback in printed, feedback
    assert "Not checked" not in printed, "every typical wrong answer must be checkable"


@pytest.mark.notebook
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_blank_run_shows_the_worksheet(notebook: Path, tmp_path: Path):
    printed = run(notebook, tmp_path, {"answers_dir": str(tmp_path / "answers")})
    assert load_quiz(bank_name(notebook)).worksheet() in printed
    assert not (tmp_path / "answers").exists(), "opening the notebook writes nothing"
