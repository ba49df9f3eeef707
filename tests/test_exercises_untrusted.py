"""Answer sheets are untrusted: crafted, special or oversized files are named and skipped by
grading and progress, set aside when the learner opens the notebook, and never stop a class."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from helpers.exercises import load_quiz, progress_table
from helpers.exercises.grading import main as grade
from helpers.exercises.sheet import MAX_SHEET_BYTES, read_sheet
from tests.exercise_samples import KEY, write_bank, write_data_package


@pytest.fixture
def course(tmp_path: Path) -> dict[str, Path]:
    return {"banks": write_bank(tmp_path / "banks").parent,
            "data": write_data_package(tmp_path / "data"),
            "answers": tmp_path / "answers"}


def save(course: dict[str, Path], student: str, answers: dict, folder: Path) -> Path:
    quiz = load_quiz("sample", answers=answers, answers_dir=folder, student_id=student,
                     banks_dir=course["banks"], data_dir=course["data"])
    assert not quiz.problems, quiz.problems
    return folder / f"sample__{student}.json"


def good_sheet(course: dict[str, Path], tmp_path: Path, student: str = "mallory") -> dict:
    folder = tmp_path / "model"
    return json.loads(save(course, student, {"treaty_city": "b", "members": ["a"]}, folder)
                      .read_text(encoding="utf-8"))


def with_answer(sheet: dict, question: str, value: object) -> dict:
    changed = json.loads(json.dumps(sheet))
    changed["answers"][question]["answer"] = value
    return changed


def nested(depth: int) -> str:
    return '{"schema": "csto-answer-sheet", "x": ' + "[" * depth + "]" * depth + "}"


Maker = Callable[[Path, dict], None]


def text(content: str) -> Maker:
    return lambda path, sheet: path.write_text(content, encoding="utf-8")


def json_of(change: Callable[[dict], dict]) -> Maker:
    return lambda path, sheet: path.write_text(json.dumps(change(sheet)), encoding="utf-8")


def fifo(path: Path, sheet: dict) -> None:
    os.mkfifo(path)


def folder_named(path: Path, sheet: dict) -> None:
    path.mkdir()
    (path / "inside.json").write_text(json.dumps(sheet), encoding="utf-8")


def link_to(target: str) -> Maker:
    return lambda path, sheet: path.symlink_to(target)


def link_to_huge(path: Path, sheet: dict) -> None:
    huge = path.parent.parent / "huge.bin"
    with huge.open("wb") as stream:
        stream.truncate(50 * MAX_SHEET_BYTES)  # sparse: large but costs no disk
    path.symlink_to(huge)


def too_big(path: Path, sheet: dict) -> None:
    padded = {**sheet, "padding": "x" * MAX_SHEET_BYTES}
    path.write_text(json.dumps(padded), encoding="utf-8")


# (what the file is, how to make it from a good sheet, what the report says)
# Sheets that fit the schema but hold an answer of the wrong shape for its question: only that
# answer is set aside (archived in the sheet); the rest of the sheet is used.
UNFIT: list[tuple[str, Maker, str]] = [
    ("a list where one option id is expected",
     json_of(lambda s: with_answer(s, "treaty_city", ["b", "c"])), "got ['b', 'c']"),
    ("a mapping where one option id is expected",
     json_of(lambda s: with_answer(s, "treaty_city", {"b": "c"})), "got {'b': 'c'}"),
    ("a number where one option id is expected",
     json_of(lambda s: with_answer(s, "treaty_city", 10**12)), "got 1000000000000."),
]
CRAFTED: list[tuple[str, Maker, str]] = [
    ("a mapping inside a multiple-select answer",
     json_of(lambda s: with_answer(s, "members", ["a", {"b": "c"}])),
     "field answers → members → answer: expected an answer: text, a number, a list of ids, or "
     "a mapping of id to id; found ['a', {'b': 'c'}]"),
    ("an attempts count of 5,000 digits",
     lambda path, sheet: path.write_text(
         json.dumps(sheet).replace('"attempts": 1', '"attempts": ' + "9" * 5000), encoding="utf-8"),
     "holds a number of 5,000 characters (at most 40)"),
    ("an attempts count that is text",
     json_of(lambda s: {**s, "answers": {**s["answers"], "members": {
         **s["answers"]["members"], "attempts": "1"}}}),
     "field answers → members → attempts: expected a whole number of attempts"),
    ("JSON nested 100,000 deep", text(nested(100_000)), "nests 100,001 levels deep"),
    ("NaN as a score", lambda path, sheet: path.write_text(
        json.dumps(sheet).replace('"score": 1.0', '"score": NaN'), encoding="utf-8"),
     "holds NaN, which is not a number JSON allows"),
    ("a number too large for a float", lambda path, sheet: path.write_text(
        json.dumps(sheet).replace('"score": 1.0', '"score": 1e999'), encoding="utf-8"),
     "holds a number too large to use (1e999)"),
    ("a student id with a line break",
     json_of(lambda s: {**s, "student_id": "mallory\n"}), "field student_id"),
    ("a file over the size cap", too_big,
     f" bytes; expected a file of at most {MAX_SHEET_BYTES:,} bytes"),
    ("a FIFO", fifo, "cannot be used: found a named pipe; expected a regular file"),
    ("a folder named like a sheet", folder_named,
     "cannot be used: found a folder; expected a regular file"),
    ("a link to /etc/passwd", link_to("/etc/passwd"),
     "cannot be used: found a symbolic link; expected a regular file"),
    ("a link to a huge file", link_to_huge,
     "cannot be used: found a symbolic link; expected a regular file"),
    ("not UTF-8", lambda path, sheet: path.write_bytes(b"\xff\xfe{}"), "not UTF-8"),
    ("an unpaired surrogate escape", json_of(lambda s: with_answer(s, "treaty_city", "\ud800")),
     "holds text that is not valid Unicode (an unpaired surrogate escape)"),
    ("a list of 100,000 ids",
     json_of(lambda s: with_answer(s, "members", ["a"] * 100_000)),
     "field answers → members → answer: expected an answer: text, a number, a list of ids, or "
     "a mapping of id to id; found ['a', 'a', "),
]
IDS = [case[0] for case in CRAFTED]


@pytest.mark.parametrize(("what", "make", "reason"), CRAFTED, ids=IDS)
def test_grading_names_and_skips_a_crafted_sheet_and_grades_the_rest(
    course, tmp_path, capsys, what, make, reason
):
    folder = tmp_path / "collected"
    save(course, "alice", KEY, folder)
    make(folder / "sample__mallory.json", good_sheet(course, tmp_path))
    out = tmp_path / "grades"
    assert grade([str(folder), "--out", str(out), "--banks-dir", str(course["banks"]),
                  "--data-dir", str(course["data"])]) == 0
    printed = capsys.readouterr().out
    assert "Graded 1 answer sheets from 1 students." in printed
    assert "  - sample__mallory.json: " in printed and reason in printed, printed
    assert len(printed) < 5_000, "the report stays short whatever the file holds"
    assert pd.read_csv(out / "gradebook.csv").to_dict("records") == [
        {"student_id": "alice", "sample": 100.0}]


@pytest.mark.parametrize(("what", "make", "reason"), CRAFTED, ids=IDS)
def test_opening_the_notebook_sets_a_crafted_sheet_aside_and_keeps_the_others(
    course, tmp_path, what, make, reason
):
    answers = course["answers"]
    other = save(course, "mallory", {"treaty_city": "b"}, answers).rename(
        answers / "kept_aside_by_hand.json")
    second = answers / "second__mallory.json"
    second.write_text("untouched", encoding="utf-8")
    path = answers / "sample__mallory.json"
    make(path, good_sheet(course, tmp_path))
    quiz = load_quiz("sample", answers_dir=answers, student_id="mallory",
                     banks_dir=course["banks"])
    assert quiz.sheet.answers == {}
    warning = quiz.warnings[0]
    assert reason in warning, warning
    assert f"kept as sample__mallory.json.bad-1 in {answers}" in warning
    assert os.path.lexists(answers / "sample__mallory.json.bad-1")
    assert not os.path.lexists(path)
    assert second.read_text(encoding="utf-8") == "untouched"
    assert other.exists()
    assert Path("/etc/passwd").exists()
    quiz.tables = lambda name: pd.DataFrame()
    quiz.submit("treaty_city", "b")
    assert read_sheet(path).answers["treaty_city"].answer == "b"


@pytest.mark.parametrize(("what", "make", "reason"), CRAFTED, ids=IDS)
def test_progress_names_a_crafted_sheet_and_leaves_it_where_it_is(
    course, tmp_path, what, make, reason
):
    answers = course["answers"]
    answers.mkdir()
    path = answers / "sample__mallory.json"
    make(path, good_sheet(course, tmp_path))
    table = progress_table(answers, "mallory", course["banks"])
    status = table.loc[0, "status"]
    assert status.startswith("answer sheet not usable: ") and reason in status, status
    assert os.path.lexists(path) and not os.path.lexists(path.with_name(path.name + ".bad-1"))


def test_a_folder_of_nothing_but_bad_sheets_is_a_clear_message(course, tmp_path, capsys):
    folder = tmp_path / "collected"
    folder.mkdir()
    sheet = good_sheet(course, tmp_path)
    for number, (_, make, _) in enumerate(CRAFTED):
        make(folder / f"bad{number}.json", sheet)
    assert grade([str(folder), "--out", str(tmp_path / "g"),
                  "--banks-dir", str(course["banks"])]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"csto-grade: No usable answer sheets in {folder}")
    assert "Traceback" not in error
    assert error.count("\n  - bad") == len(CRAFTED)
    assert not (tmp_path / "g").exists()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_sheets_and_their_folder_are_private_to_their_owner(course, tmp_path):
    answers = course["answers"]
    answers.mkdir(mode=0o755)
    answers.chmod(0o755)  # as an older version or a hand-made folder left it
    (answers / "sample__alice.json").write_text("{}", encoding="utf-8")
    (answers / "sample__alice.json").chmod(0o644)
    quiz = load_quiz("sample", answers_dir=answers, student_id="alice", banks_dir=course["banks"])
    quiz.tables = lambda name: pd.DataFrame()
    quiz.submit("treaty_city", "b")
    assert mode(answers) == 0o700
    assert mode(answers / "sample__alice.json") == 0o600
    assert mode(answers / "sample__alice.json.bad-1") == 0o644, "a kept file is left as it was"
    fresh = tmp_path / "fresh" / "answers"
    save(course, "bob", {"treaty_city": "a"}, fresh)
    assert (mode(fresh), mode(fresh / "sample__bob.json")) == (0o700, 0o600)


@pytest.mark.parametrize(("what", "make", "shown"), UNFIT, ids=[case[0] for case in UNFIT])
def test_an_answer_of_the_wrong_shape_is_left_out_and_the_rest_of_the_sheet_counts(
    course, tmp_path, capsys, what, make, shown
):
    folder = tmp_path / "collected"
    save(course, "alice", KEY, folder)
    make(folder / "sample__mallory.json", good_sheet(course, tmp_path))
    assert grade([str(folder), "--out", str(tmp_path / "g"), "--banks-dir", str(course["banks"]),
                  "--data-dir", str(course["data"])]) == 0
    printed = capsys.readouterr().out
    assert "Graded 2 answer sheets from 2 students." in printed
    line = next(line for line in printed.splitlines() if "sample__mallory.json" in line)
    assert line.startswith("  - sample__mallory.json, question 'treaty_city': the answer does "
                           "not fit the question as it is now: Question 'treaty_city' (single "
                           "choice) expects one option id out of 'a', 'b', 'c'; ")
    assert shown in line and len(line) < 300
    book = pd.read_csv(tmp_path / "g" / "gradebook.csv").set_index("student_id")["sample"]
    assert book.to_dict() == {"alice": 100.0, "mallory": 4.8}, "members (1 of 3) still counts"

    answers = course["answers"]
    answers.mkdir()
    make(answers / "sample__mallory.json", good_sheet(course, tmp_path))
    table = progress_table(answers, "mallory", course["banks"])
    assert table.loc[0, "answered"] == 1
    assert table.loc[0, "status"] == ("in progress; 1 answer does not fit its question as it is "
                                      "now and is not counted")
    quiz = load_quiz("sample", answers_dir=answers, student_id="mallory",
                     banks_dir=course["banks"])
    assert quiz.warnings == [
        "Your answer to Q1 does not fit the question as it is now, so it was set aside (kept in "
        "your answer sheet, under \"archived\"); please answer it again."]
    assert quiz.saved("treaty_city") is None and quiz.saved("members").answer == ["a"]
    assert not os.path.lexists(answers / "sample__mallory.json.bad-1")
