"""The demonstration exercise notebook, run headless: with the key, with wrong answers, blank.

The runs use a tiny data package (through CSTO_DATA_DIR, which the kernel inherits) so that the
data question has a known answer whatever the course dataset holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import papermill as pm
import pytest

from helpers.exercises import load_bank, load_quiz
from helpers.exercises.questions import dataset_tables
from tests.exercise_samples import write_data_package
from tests.notebook_runs import execute, output_text

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "exercises" / "00_demo_exercises.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WRONG_SCORE = ("Score: 1.73 out of 6 graded questions (28.9%); 5 answered. "
               "Reflections saved: 0 of 1.")

WRONG = {
    "treaty_signed": "a",
    "full_members": ["a", "b", "c"],
    "kazakhstan_force_size": 1960,
    "timeline": ["charter", "treaty", "rapid_reaction", "kyrgyz_request", "kazakhstan"],
    "people_roles": {"zas": "secretary_general", "pashinyan": "armenia_pm"},
    "crises_deployed": "several",
}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = write_data_package(tmp_path / "data")
    monkeypatch.setenv("CSTO_DATA_DIR", str(directory))
    monkeypatch.setenv("CSTO_STUDENT_ID", "test-student")
    return directory


def run(tmp_path: Path, parameters: dict) -> str:
    """Execute the demo and return the text of all its outputs."""
    return output_text(execute(DEMO, tmp_path / "executed.ipynb", parameters))


@pytest.mark.notebook
def test_demo_with_the_full_key_scores_full_marks(data_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("CSTO_DATA_DIR")  # this run gets the dataset through its parameter
    bank = load_bank("00_demo")
    key = {q.id: q.expected(dataset_tables(str(data_dir))) for q in bank.questions}
    printed = run(tmp_path, {"answers": key, "answers_dir": str(tmp_path / "answers"),
                             "data_dir": str(data_dir)})
    assert ("Score: 6 out of 6 graded questions (100%); 6 answered. "
            "Reflections saved: 1 of 1.") in printed
    assert printed.count("Correct — ") == 6
    assert "Correct — The crises table records a CSTO deployment in 1 of its crises." in printed
    assert "Answers saved to 00_demo__test-student.json." in printed
    assert (tmp_path / "answers" / "00_demo__test-student.json").exists()
    assert str(tmp_path) not in printed, "no absolute paths in the report"


@pytest.mark.notebook
def test_demo_with_wrong_answers_reports_score_and_feedback(data_dir, tmp_path):
    answers_dir = tmp_path / "answers"
    printed = run(tmp_path, {"answers": WRONG, "answers_dir": str(answers_dir)})
    assert WRONG_SCORE in printed
    for expected in (
        "Not quite — The date is right, but the paper places the signing in Tashkent",
        "Partly right — You selected 2 of the 3 right options. 1 of your selections is not "
        "right. Azerbaijan is not a member",
        "Not quite — 1,960 is the number of Russian peacekeepers sent to Karabakh",
        "Partly right — 3 of 5 items are in the right position.",
        "Partly right — 2 of 4 pairs are right. Look again at: Kassym-Jomart Tokayev; "
        "Islam Karimov.",
        "Not checked — Question 'crises_deployed' (data question) expects a number",
        "Q7 [reflection]",
        "No answer given.",
    ):
        assert expected in printed, expected
    assert re.search(r"Source: Weitz 2022, section Background, footnotes 2 and 3\.", printed)

    # The sheet written by that run, given back as the parameter, gives the same report.
    again = run(tmp_path, {"answers": str(answers_dir / "00_demo__test-student.json")})
    assert WRONG_SCORE in again
    assert "Answers not saved (pass answers_dir to save an answer sheet)." in again


@pytest.mark.notebook
def test_demo_blank_shows_the_static_worksheet(data_dir, tmp_path):
    printed = run(tmp_path, {"answers_dir": str(tmp_path / "answers")})
    assert load_quiz("00_demo").worksheet() in printed
    assert "Progress of student 'test-student'" in printed
    assert not (tmp_path / "answers").exists(), "opening the notebook writes nothing"


@pytest.mark.notebook
def test_demo_with_a_bad_answers_parameter_stops_early(data_dir, tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        run(tmp_path, {"answers": 42})
    assert caught.value.ename == "ParameterError"
    assert "Parameter answers=42 is not usable" in caught.value.evalue


def test_stored_demo_is_current_deterministic_and_free_of_widget_ids():
    notebook = json.loads(DEMO.read_text(encoding="utf-8"))
    quiz_cell = next(c for c in notebook["cells"] if "load_quiz" in "".join(c["source"]))
    assert "nbval-check-output" in quiz_cell["metadata"]["tags"]
    stored = "".join(quiz_cell["outputs"][0]["data"]["text/plain"])
    assert stored == load_quiz("00_demo").worksheet(), (
        "the stored outputs are stale: run python -m helpers.exercises.authoring "
        "store-outputs exercises/00_demo_exercises.ipynb"
    )
    text = json.dumps(notebook)
    assert WIDGET_VIEW not in text
    assert not re.search(r"(/root/|/work/|/tmp/|/home/)", text)
    parameters = next(c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", []))
    assert "answers = None" in "".join(parameters["source"])
    assert "answers_dir = None" in "".join(parameters["source"])
    assert "data_dir = None" in "".join(parameters["source"])
