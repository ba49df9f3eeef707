"""Item analysis a teacher can act on: attempts kept with their time, first-try and final
correctness, discrimination, option shares by text, flags, and an accessible chart."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.charts import PALETTE, description_of
from helpers.exercises import load_bank, load_quiz
from helpers.exercises.analysis import (
    NEGATIVE_DISCRIMINATION,
    item_analysis,
    item_analysis_figure,
)
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


def class_of(course: dict[str, Path], strong: int = 2, weak: int = 3) -> None:
    """Strong students who miss Q1, weak ones who get only Q1 (after a wrong try)."""
    for number in range(1, strong + 1):
        quiz = quiz_of(course, f"strong{number}")
        for question_id, answer in KEY.items():
            quiz.submit(question_id, "a" if question_id == "treaty_city" else answer)
    for number in range(1, weak + 1):
        quiz = quiz_of(course, f"weak{number}")
        quiz.submit("treaty_city", "a")
        quiz.submit("treaty_city", "b")
        quiz.submit("members", ["d"])
        quiz.submit("force_size", 1960)


def test_first_try_final_discrimination_option_shares_and_flags(course):
    class_of(course, strong=4, weak=8)
    grades = grade_folder(course["answers"], str(course["banks"]), str(course["data"]))
    items = grades.items.set_index(["student_id", "question_id"])
    assert items.loc[("weak1", "treaty_city"), ["first_try_correct", "correct", "attempts"]] \
        .tolist() == [False, True, 2]
    analysis = grades.analysis.set_index("question_id")
    city = analysis.loc["treaty_city"]
    assert (city["share_correct"], city["share_correct_first_try"]) == (round(8 / 12, 3), 0.0)
    assert city["discrimination"] < NEGATIVE_DISCRIMINATION
    assert (city["answered"], city["note"]) == (12, "")
    assert "negative discrimination" in city["flags"]
    assert "distractor nobody chose: c) Minsk" in city["flags"]
    members = analysis.loc["members"]
    assert members["discrimination"] > 0 and members["flags"] == ""
    rapid = analysis.loc["rapid_force"]
    assert rapid["discrimination"] == 1.0, "only the strong answered it (unanswered scores 0)"
    assert (rapid["answered"], rapid["flags"]) == (4, ""), "4 right first tries prove little"
    assert rapid["note"] == "too few answers to judge (4 answered; flags need at least 10)"
    assert analysis.loc["members", "prompt"] == "Which are full members?"
    options = grades.options.set_index(["question_id", "option_id"])
    assert options.loc[("members", "d"), ["option", "chosen", "share"]].tolist() == [
        "Georgia", 8, round(8 / 12, 3)]
    assert options.loc[("treaty_city", "b"), ["option", "key", "chosen"]].tolist() == [
        "Tashkent", True, 8]


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


def test_a_class_of_five_gets_figures_but_no_flags(course):
    """Five students: the figures are there, but the answers are too few to judge anything."""
    class_of(course)
    analysis = grade_folder(course["answers"], str(course["banks"]),
                            str(course["data"])).analysis.set_index("question_id")
    city = analysis.loc["treaty_city"]
    assert (city["share_correct"], city["share_correct_first_try"]) == (0.6, 0.0)
    assert city["discrimination"] < NEGATIVE_DISCRIMINATION
    assert city["flags"] == ""
    assert city["note"] == "too few answers to judge (5 answered; flags need at least 10)"
    assert (analysis["flags"] == "").all()
    assert analysis.loc["thoughts", "note"] == "", "a reflection is not judged at all"


SAMPLE_GRADED = ("treaty_city", "members", "force_size", "rapid_force", "timeline", "roles",
                 "before_2022")


def analysis_of(course: dict[str, Path], q1_right: list[bool]) -> pd.Series:
    """The item analysis of Q1 in a class where student i does ``i % 7`` of the other six
    questions right and Q1 as ``q1_right[i]`` says (everyone answers everything)."""
    bank = load_bank("sample", course["banks"])
    rows = []
    for index, first in enumerate(q1_right):
        for position, question_id in enumerate(SAMPLE_GRADED):
            right = first if position == 0 else position <= index % 7
            rows.append({"student_id": f"s{index:02d}", "exercise": "sample",
                         "question_id": question_id, "type": bank.question(question_id).kind,
                         "answered": True, "answer": "", "score": float(right),
                         "correct": right, "first_try_correct": right, "attempts": 1,
                         "changed_since_answer": False})
    options = pd.DataFrame(columns=["exercise", "question_id", "option_id", "option", "key",
                                    "chosen", "answered", "share"])
    analysis = item_analysis(pd.DataFrame(rows), {"sample": bank}, options)
    return analysis.set_index("question_id").loc["treaty_city"]


def test_a_slightly_negative_discrimination_is_not_flagged(course):
    city = analysis_of(course, [index < 13 for index in range(30)])
    assert NEGATIVE_DISCRIMINATION < city["discrimination"] < 0
    assert (city["flags"], city["note"]) == ("", "")


@pytest.mark.parametrize(("students", "judged"), [(9, False), (10, True), (30, True)])
def test_a_clearly_negative_discrimination_is_flagged_from_ten_answers(course, students,
                                                                       judged):
    """The weakest students (i % 7 <= 2) get Q1 right, the strongest get it wrong."""
    city = analysis_of(course, [index % 7 <= 2 for index in range(students)])
    assert city["discrimination"] < NEGATIVE_DISCRIMINATION
    assert ("negative discrimination" in city["flag_kinds"]) is judged
    assert (city["note"] == "") is judged
    if not judged:
        assert city["note"] == ("too few answers to judge (9 answered; flags need at least "
                                "10)")


def test_the_chart_is_labelled_accessible_and_says_how_many_answered(course, tmp_path):
    class_of(course, strong=4, weak=8)
    grades = grade_folder(course["answers"], str(course["banks"]), str(course["data"]))
    fig = item_analysis_figure(grades.analysis)
    assert fig.layout.title.text == ("Item analysis: share of answers that are correct, "
                                     "first try and final")
    assert fig.layout.xaxis.title.text == "Answers that are correct (%)"
    assert fig.layout.yaxis.title.text.startswith("Question (exercise, number, prompt")
    first, final = fig.data
    assert (first.name, final.name) == ("First try", "Final answer")
    assert (first.marker.color, final.marker.color) == (PALETTE[1], PALETTE[0])
    assert "sample Q1: Where was the Collective Security Treaty signed? (12 answered)" in final.y
    city = list(final.y).index("sample Q1: Where was the Collective Security Treaty signed? "
                               "(12 answered)")
    assert first.text[city] == "0%" and first.textposition == "outside", "0% bars are labelled"
    assert final.text[city] == "67%"
    description = description_of(fig)
    assert description.startswith("Horizontal bar chart of 7 graded questions from 1 exercise")
    assert "each label gives how many answered" in description
    assert "Flagged for review (reasons in item_analysis.csv):" in description
    assert "Q1 (negative discrimination, distractor nobody chose)" in description
    assert description.endswith(  # only the 4 strong students answered Q4 to Q7
        "Too few answers to judge (fewer than 10, so not flagged): sample Q4, sample Q5, sample "
        "Q6, sample Q7.")


def test_csto_grade_writes_the_option_shares_file(course, tmp_path, capsys):
    class_of(course)
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
