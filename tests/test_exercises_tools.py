"""The teacher's commands (answer key, gradebook) and the learner's progress view."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.exercises import progress_table, show_progress
from helpers.exercises.grading import main as grade
from helpers.exercises.key import main as key
from helpers.exercises.quiz import load_quiz
from tests.exercise_samples import (
    KEY,
    plain_bank,
    version_1_sheet,
    write_bank,
    write_data_package,
)


@pytest.fixture
def course(tmp_path: Path) -> dict[str, Path]:
    return {"banks": write_bank(tmp_path / "banks").parent,
            "data": write_data_package(tmp_path / "data"),
            "answers": tmp_path / "answers"}


def answer(course: dict[str, Path], student: str, answers: dict, folder: Path | None = None):
    """A learner answers through the quiz, exactly as the notebook would save it."""
    quiz = load_quiz("sample", answers=answers, answers_dir=folder or course["answers"],
                     student_id=student, banks_dir=course["banks"], data_dir=course["data"])
    assert not quiz.problems, quiz.problems


def test_key_as_html_holds_answers_explanations_sources_and_computed_data(course, tmp_path):
    out = tmp_path / "key" / "answer-key.html"
    assert key(["--out", str(out), "--banks-dir", str(course["banks"]),
                "--data-dir", str(course["data"])]) == 0
    page = out.read_text(encoding="utf-8")
    for expected in (
        "<strong>Answer:</strong> b) Tashkent",
        "It was signed in Tashkent in May 1992.",
        "<strong>Source:</strong> Weitz 2022, section Background, footnote 3.",
        "a) Moscow: The joint staff sits in Moscow",
        "<strong>Answer:</strong> 2,500 people",
        "<strong>Accepted:</strong> within 10% of the answer",
        "The table records 2 crises before 2022.",
        "1,960: 1,960 is the Russian force in Karabakh.",
        "<strong>Answer:</strong> Treaty → Charter → Kazakhstan deployment",
        "Stanislav Zas → Secretary General",
        "<strong>Answer:</strong> 2</p>",  # computed from the data package at key time
        'rows = crises[(crises[&quot;year&quot;] &lt; 2022)]\nanswer = len(rows)',
        'crises = load_table(&quot;crises&quot;)',
        "<strong>Model answer:</strong> A member asked, all agreed",
    ):
        assert expected in page, expected
    assert "http" not in page, "the key must open offline"


def test_key_as_notebook_and_for_named_banks(course, tmp_path):
    out = tmp_path / "key.ipynb"
    assert key(["sample", "--out", str(out), "--banks-dir", str(course["banks"]),
                "--data-dir", str(course["data"])]) == 0
    notebook = nbformat.read(out, as_version=4)
    nbformat.validate(notebook)
    assert len(notebook.cells) == 2 + 8
    assert "b) Tashkent" in notebook.cells[2].source


def test_key_says_when_a_data_answer_cannot_be_computed(course, tmp_path):
    empty = tmp_path / "nodata"
    empty.mkdir()
    out = tmp_path / "key.html"
    assert key(["--out", str(out), "--banks-dir", str(course["banks"]),
                "--data-dir", str(empty)]) == 0
    assert "could not be computed from the dataset" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--out", "key.pdf"], "expected a file name ending in .html or .ipynb"),
     (["01_history", "--out", "key.html"], "No question bank '01_history'")],
)
def test_key_refuses_bad_arguments_with_a_message(course, tmp_path, capsys, args, message):
    args = [a if not a.startswith("key.") else str(tmp_path / a) for a in args]
    assert key([*args, "--banks-dir", str(course["banks"])]) == 1
    assert message in capsys.readouterr().err


WRONG = {**KEY, "treaty_city": "a", "members": ["a", "d"], "force_size": 1960,
         "timeline": ["charter", "treaty", "kazakhstan"], "before_2022": 3}


@pytest.fixture
def sheets(course, tmp_path) -> Path:
    """A collected folder: three usable sheets and one of each kind of fault."""
    folder = tmp_path / "collected"
    answer(course, "alice", KEY, folder)
    answer(course, "bob", WRONG, folder)
    answer(course, "carol", {"treaty_city": "a", "members": ["a", "b"]}, folder)
    (folder / "broken.json").write_text('{"schema": "csto-answer-sheet",', encoding="utf-8")
    (folder / "notes.json").write_text('{"hello": "teacher"}', encoding="utf-8")
    shutil.copy(folder / "sample__alice.json", folder / "x_alice_copy.json")
    shutil.copy(folder / "sample__alice.json", folder / "sample__mallory.json")
    unknown = json.loads((folder / "sample__bob.json").read_text(encoding="utf-8"))
    (folder / "unknown.json").write_text(json.dumps({**unknown, "bank": "99_missing"}))
    old = version_1_sheet({**unknown, "student_id": "dave"}, "000000000000")
    (folder / "old_version.json").write_text(json.dumps(old))
    tampered = {**unknown, "student_id": "erin"}
    tampered["answers"]["treaty_city"]["answer"] = "z"
    (folder / "tampered.json").write_text(json.dumps(tampered))
    return folder


def test_grading_a_folder_with_faults(course, sheets, tmp_path, capsys):
    out = tmp_path / "grades"
    assert grade([str(sheets), "--out", str(out), "--banks-dir", str(course["banks"]),
                  "--data-dir", str(course["data"])]) == 0
    printed = capsys.readouterr().out
    assert "Graded 5 answer sheets from 5 students." in printed
    for name, reason in [
        ("broken.json", "is not valid JSON"),
        ("notes.json", "is not a CSTO answer sheet"),
        ("x_alice_copy.json", "duplicate: a sheet of student 'alice' for exercise "
                               "'sample' was already read from sample__alice.json"),
        ("sample__mallory.json", "its name says student 'mallory', exercise 'sample', but it "
                                 "holds the answers of student 'alice' to exercise 'sample'"),
        ("unknown.json", "unknown exercise '99_missing'"),
    ]:
        assert f"  - {name}: " in printed and reason in printed, name
    assert "  - old_version.json" not in printed, "a version-1 sheet is read and graded"
    assert ("Saved before questions had versions (answer sheet schema version 1), checked "
            "against the current questions: old_version.json (exercise version "
            "000000000000).") in printed
    assert ("Not graded: 1 answers that do not fit their question (kept in the sheets):\n"
            "  - tampered.json, question 'treaty_city': the answer does not fit the question as "
            "it is now: Question 'treaty_city' (single choice) expects one option id out of 'a', "
            "'b', 'c'; got 'z'.") in printed

    book = pd.read_csv(out / "gradebook.csv")
    assert book.to_dict("records") == [
        {"student_id": "alice", "sample": 100.0},
        {"student_id": "bob", "sample": 38.1},  # 1 + 1 + 2/3 (timeline) of 7 graded
        {"student_id": "carol", "sample": 9.5},  # 2/3 of one question
        {"student_id": "dave", "sample": 38.1},  # bob's answers in a version-1 sheet
        {"student_id": "erin", "sample": 38.1},  # bob's, the unfit (and wrong) one left out
    ]
    items = pd.read_csv(out / "gradebook_items.csv")
    assert len(items) == 5 * 8
    bob = items[(items["student_id"] == "bob") & (items["question_id"] == "members")].iloc[0]
    assert (bob["answer"], bob["score"], bob["attempts"]) == ("a) Armenia; d) Georgia", 0.0, 1)

    analysis = pd.read_csv(out / "item_analysis.csv").set_index("question_id")
    assert analysis.loc["treaty_city", "prompt"] == (
        "Where was the Collective Security Treaty signed?")
    assert analysis.loc["treaty_city", "share_correct"] == 0.25
    assert analysis.loc["treaty_city", "most_common_wrong_answer"] == "a) Moscow"
    assert analysis.loc["treaty_city", "times_given"] == 3
    assert pd.isna(analysis.loc["treaty_city", "flags"]), "four answers: nothing to flag yet"
    assert analysis.loc["treaty_city", "note"] == ("too few answers to judge (4 answered; flags "
                                                   "need at least 10)")
    assert analysis.loc["force_size", "answered"] == 4
    assert analysis.loc["force_size", "share_correct"] == 0.25
    assert pd.isna(analysis.loc["thoughts", "share_correct"])
    options = pd.read_csv(out / "item_options.csv")
    city = options[options["question_id"] == "treaty_city"]
    assert city[["option_id", "option", "key", "chosen", "share"]].to_dict("records") == [
        {"option_id": "a", "option": "Moscow", "key": False, "chosen": 3, "share": 0.75},
        {"option_id": "b", "option": "Tashkent", "key": True, "chosen": 1, "share": 0.25},
        {"option_id": "c", "option": "Minsk", "key": False, "chosen": 0, "share": 0.0},
    ]

    chart = (out / "item_analysis.html").read_text(encoding="utf-8")
    assert "Item analysis: share of answers that are correct, first try and final" in chart
    assert ("Lowest final share: sample Q2: Which are full members? (5 answered), 20%; "
            "highest: sample Q4: How many troops does the Rapid Deployment Force have? "
            "(4 answered), 100%.") in chart
    assert "<script src=" not in chart, "plotly.js must be inline, not fetched"
    assert len(chart) > 1_000_000


def test_grading_a_folder_without_usable_sheets_fails_with_the_reasons(course, tmp_path, capsys):
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "junk.json").write_text("junk", encoding="utf-8")
    assert grade([str(folder), "--out", str(tmp_path / "g"),
                  "--banks-dir", str(course["banks"])]) == 1
    error = capsys.readouterr().err
    assert "No usable answer sheets" in error and "junk.json: junk.json is not valid JSON" in error
    assert not (tmp_path / "g").exists()


def test_grading_rechecks_answers_with_the_current_key(course, tmp_path, capsys):
    folder = tmp_path / "collected"
    answer(course, "alice", {"treaty_city": "b"}, folder)
    sheet = json.loads((folder / "sample__alice.json").read_text(encoding="utf-8"))
    sheet["answers"]["treaty_city"]["answer"] = "a"  # edited by hand; stored result says right
    (folder / "sample__alice.json").write_text(json.dumps(sheet), encoding="utf-8")
    assert grade([str(folder), "--out", str(tmp_path / "g"), "--banks-dir",
                  str(course["banks"]), "--data-dir", str(course["data"])]) == 0
    assert pd.read_csv(tmp_path / "g" / "gradebook.csv")["sample"].tolist() == [0.0]


def test_progress_across_exercise_notebooks(course, tmp_path, capsys):
    second = plain_bank(bank="second", title="Second set")
    write_bank(course["banks"], second)
    answer(course, "alice", KEY)
    load_quiz("second", answers={"treaty_city": "a"}, answers_dir=course["answers"],
              student_id="alice", banks_dir=course["banks"])
    table = progress_table(course["answers"], "alice", course["banks"])
    assert table.to_dict("records") == [
        {"exercise": "sample", "title": "Sample questions", "questions": 8, "answered": 8,
         "correct": 7, "score_percent": 100.0, "status": "complete"},
        {"exercise": "second", "title": "Second set", "questions": 8, "answered": 1,
         "correct": 0, "score_percent": 0.0, "status": "in progress"},
    ]
    show_progress(course["answers"], "alice", course["banks"])
    printed = capsys.readouterr().out
    assert "Progress of student 'alice': 9 of 16 questions answered across 2 exercise " \
           "notebooks." in printed
    assert ("- second (Second set): 1 of 8 answered, 0 correct, score 0%; in progress."
            in printed)
    (course["answers"] / "second__alice.json").write_text("oops", encoding="utf-8")
    table = progress_table(course["answers"], "alice", course["banks"])
    assert table.loc[1, "status"].startswith("answer sheet not usable: second__alice.json is not")
    assert (course["answers"] / "second__alice.json").exists(), "progress only reads"


def test_progress_without_a_student_id(course, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CSTO_STUDENT_ID", raising=False)
    show_progress(course["answers"], banks_dir=course["banks"])
    printed = capsys.readouterr().out
    assert printed.startswith("No student id yet")
    assert "not started" in printed


def out_cases(tmp_path: Path, existing_folder_is_bad: bool) -> list[tuple[Path, str]]:
    a_file = tmp_path / "taken.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    folder = tmp_path / "folder.html"
    folder.mkdir()
    cases = [(a_file / "key.html", "cannot write"),
             (Path("/proc/csto-test/key.html"), "cannot write")]
    if existing_folder_is_bad:
        cases.append((folder, "is a folder; expected a file name ending in .html or .ipynb"))
    else:
        cases.append((a_file, "is a file; expected a folder for the gradebook files"))
    return cases


def test_key_out_problems_are_one_line_messages(course, tmp_path, capsys):
    for out, message in out_cases(tmp_path, existing_folder_is_bad=True):
        assert key(["--out", str(out), "--banks-dir", str(course["banks"]),
                    "--data-dir", str(course["data"])]) == 1, out
        error = capsys.readouterr().err
        assert error.startswith(f"csto-key: --out {str(out)!r}") and message in error, error
        assert error.count("\n") == 1 and "Traceback" not in error


def test_grade_out_problems_are_one_line_messages(course, tmp_path, capsys):
    folder = tmp_path / "collected"
    answer(course, "alice", KEY, folder)
    for out, message in out_cases(tmp_path, existing_folder_is_bad=False):
        assert grade([str(folder), "--out", str(out), "--banks-dir", str(course["banks"]),
                      "--data-dir", str(course["data"])]) == 1, out
        error = capsys.readouterr().err
        assert error.startswith(f"csto-grade: --out {str(out)!r}") and message in error, error
        assert error.count("\n") == 1 and "Traceback" not in error
    existing = tmp_path / "grades"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine", encoding="utf-8")
    assert grade([str(folder), "--out", str(existing), "--banks-dir", str(course["banks"]),
                  "--data-dir", str(course["data"])]) == 0
    assert (existing / "notes.txt").read_text(encoding="utf-8") == "mine", "only our files change"


def test_grading_an_unreadable_or_missing_folder_is_a_message(course, tmp_path, capsys):
    assert grade([str(tmp_path / "nowhere"), "--out", str(tmp_path / "g"),
                  "--banks-dir", str(course["banks"])]) == 1
    assert "is not a folder of answer sheets" in capsys.readouterr().err
