"""Item analysis a teacher can act on: attempts kept with their time, first-try and final
correctness, discrimination, option shares by text, flags, and an accessible chart."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.charts import PALETTE, description_of
from helpers.exercises import load_quiz
from helpers.exercises.analysis import item_analysis_figure
from helpers.exercises.grading import grade_folder
from helpers.exercises.grading import main as grade
from helpers.exercises.sheet import HISTORY_LIMIT, read_sheet
from tests.exercise_samples import KEY, plain_bank, write_bank, write_data_package


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    data = write_data_package(tmp_path / "data")
    monkeypatch.setenv("CSTO_DATA_DIR", str(data))
    return {"banks": write_bank(tmp_path / "banks").parent, "data": data,
            "answers": tmp_path / "answers"}


def quiz_of(course: dict[str, Path], student: str, banks: Path | None = None):
    return load_quiz("sample", answers_dir=course["answers"], student_id=student,
                     banks_dir=banks or course["banks"])


def test_each_attempt_is_kept_with_its_utc_time_first_and_latest_bounded(course):
    quiz = quiz_of(course, "alice")
    for number in range(25):
        quiz.submit("force_size", 1000 + number)
    saved = read_sheet(course["answers"] / "sample__alice.json").answers["force_size"]
    assert saved.attempts == 25
    assert len(saved.history) == HISTORY_LIMIT
    assert [attempt.number for attempt in saved.history] == [1, *range(7, 26)]
    assert saved.history[0].answer == 1000.0 and saved.history[-1].answer == 1024.0
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a.at) for a in saved.history)
    quiz.submit("thoughts", "A long reflection. " * 50)
    reflection = read_sheet(course["answers"] / "sample__alice.json").answers["thoughts"]
    assert reflection.history[0].answer is None, "reflection text is not copied into history"


def class_of_five(course: dict[str, Path]) -> None:
    """Two strong students who miss Q1, three weak ones who get only Q1 (after a wrong try)."""
    for student in ("strong1", "strong2"):
        quiz = quiz_of(course, student)
        for question_id, answer in KEY.items():
            quiz.submit(question_id, "a" if question_id == "treaty_city" else answer)
    for student in ("weak1", "weak2", "weak3"):
        quiz = quiz_of(course, student)
        quiz.submit("treaty_city", "a")
        quiz.submit("treaty_city", "b")
        quiz.submit("members", ["d"])
        quiz.submit("force_size", 1960)


def test_first_try_final_discrimination_option_shares_and_flags(course):
    class_of_five(course)
    grades = grade_folder(course["answers"], str(course["banks"]), str(course["data"]))
    items = grades.items.set_index(["student_id", "question_id"])
    assert items.loc[("weak1", "treaty_city"), ["first_try_correct", "correct", "attempts"]] \
        .tolist() == [False, True, 2]
    analysis = grades.analysis.set_index("question_id")
    city = analysis.loc["treaty_city"]
    assert (city["share_correct"], city["share_correct_first_try"]) == (0.6, 0.0)
    assert city["discrimination"] < 0
    assert "negative discrimination" in city["flags"]
    assert "distractor nobody chose: c) Minsk" in city["flags"]
    rapid = analysis.loc["rapid_force"]
    assert rapid["discrimination"] == 1.0, "only the strong answered it (unanswered scores 0)"
    assert rapid["answered"] == 2
    assert "everyone who answered was right at the first try" in rapid["flags"]
    assert analysis.loc["members", "discrimination"] > 0
    assert analysis.loc["members", "prompt"] == "Which are full members?"
    options = grades.options.set_index(["question_id", "option_id"])
    assert options.loc[("members", "d"), ["option", "chosen", "share"]].tolist() == [
        "Georgia", 3, 0.6]
    assert options.loc[("treaty_city", "b"), ["option", "key", "chosen"]].tolist() == [
        "Tashkent", True, 3]


def test_first_try_is_judged_by_the_current_key(course, tmp_path):
    quiz = quiz_of(course, "alice")
    quiz.submit("treaty_city", "c")
    quiz.submit("treaty_city", "b")
    plain = plain_bank()
    plain["questions"][0]["answer"] = "c"
    banks = write_bank(tmp_path / "changed", plain).parent
    grades = grade_folder(course["answers"], str(banks), str(course["data"]))
    row = grades.items.set_index("question_id").loc["treaty_city"]
    assert (row["first_try_correct"], row["correct"], row["changed_since_answer"]) == (
        True, False, True)
    assert grades.analysis["discrimination"].isna().all(), "one student: no discrimination"


def test_the_chart_is_labelled_accessible_and_says_how_many_answered(course, tmp_path):
    class_of_five(course)
    grades = grade_folder(course["answers"], str(course["banks"]), str(course["data"]))
    fig = item_analysis_figure(grades.analysis)
    assert fig.layout.title.text == ("Item analysis: share of answers that are correct, "
                                     "first try and final")
    assert fig.layout.xaxis.title.text == "Answers that are correct (%)"
    assert fig.layout.yaxis.title.text.startswith("Question (exercise, number, prompt")
    first, final = fig.data
    assert (first.name, final.name) == ("First try", "Final answer")
    assert (first.marker.color, final.marker.color) == (PALETTE[1], PALETTE[0])
    assert "sample Q1: Where was the Collective Security Treaty signed? (5 answered)" in final.y
    city = list(final.y).index("sample Q1: Where was the Collective Security Treaty signed? "
                               "(5 answered)")
    assert first.text[city] == "0%" and first.textposition == "outside", "0% bars are labelled"
    assert final.text[city] == "60%"
    description = description_of(fig)
    assert description.startswith("Horizontal bar chart of 7 graded questions from 1 exercise")
    assert "each label gives how many answered" in description
    assert "Flagged for review (reasons in item_analysis.csv):" in description
    assert "Q1 (negative discrimination, distractor nobody chose)" in description


def test_csto_grade_writes_the_option_shares_file(course, tmp_path, capsys):
    class_of_five(course)
    assert grade([str(course["answers"]), "--out", str(tmp_path / "g"),
                  "--banks-dir", str(course["banks"])]) == 0
    options = pd.read_csv(tmp_path / "g" / "item_options.csv")
    assert list(options.columns) == ["exercise", "question_id", "option_id", "option", "key",
                                     "chosen", "answered", "share"]
    analysis = pd.read_csv(tmp_path / "g" / "item_analysis.csv")
    assert {"prompt", "share_correct_first_try", "discrimination", "flags",
            "answers_given_before_a_change"} <= set(analysis.columns)
    page = (tmp_path / "g" / "item_analysis.html").read_text(encoding="utf-8")
    assert '<p id="item-analysis-description">Horizontal bar chart' in page
