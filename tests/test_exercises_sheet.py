"""Answer sheets: saved at once, restored after a restart, never lost, never half-written."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from helpers.exercises import AnswerError, ExerciseError, Quiz, load_bank, load_quiz
from helpers.exercises.questions import MAX_TEXT_ANSWER
from helpers.exercises.sheet import HISTORY_LIMIT, MAX_SHEET_BYTES, read_sheet
from helpers.exercises.student import known_student_id, remember_student_id
from helpers.params import ParameterError
from tests.exercise_samples import KEY, plain_bank, sample_tables, write_bank


@pytest.fixture
def banks(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "banks").parent


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return tmp_path / "answers"


def open_quiz(banks: Path, answers: Path, student: str = "alice") -> Quiz:
    """What an exercise notebook does when it (re)opens, with the in-memory dataset."""
    quiz = load_quiz("sample", answers_dir=answers, student_id=student, banks_dir=banks)
    quiz.tables = sample_tables
    return quiz


def test_each_answer_is_saved_at_once_with_schema_version_and_student(banks, answers):
    quiz = open_quiz(banks, answers)
    quiz.submit("treaty_city", "a")
    sheet = json.loads((answers / "sample__alice.json").read_text(encoding="utf-8"))
    assert sheet["schema"] == "csto-answer-sheet"
    assert sheet["schema_version"] == 2
    assert sheet["student_id"] == "alice"
    saved = sheet["answers"]["treaty_city"]
    assert saved["answer"] == "a"
    assert saved["result"]["verdict"] == "Not quite"
    assert saved["question_version"] == load_bank("sample", banks).question("treaty_city").version
    assert [(a["n"], a["answer"], a["correct"]) for a in saved["history"]] == [(1, "a", False)]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", saved["history"][0]["at"])
    assert sheet["archived"] == []


def test_answers_attempts_and_feedback_survive_a_kernel_restart(banks, answers):
    quiz = open_quiz(banks, answers)
    quiz.submit("treaty_city", "a")
    quiz.submit("treaty_city", "b")
    quiz.submit("members", ["a", "b"])
    quiz.submit("thoughts", "A member asked.")
    del quiz  # the kernel restarts: nothing survives in memory

    reopened = open_quiz(banks, answers)
    saved = reopened.saved("treaty_city")
    assert (saved.answer, saved.attempts, saved.result.verdict) == ("b", 2, "Correct")
    assert reopened.saved("members").result.score == 0.6667
    assert reopened.saved("thoughts").answer == "A member asked."
    assert reopened.score().text() == (
        "Score: 1.67 out of 7 graded questions (23.8%); 2 answered. Reflections saved: 1 of 1."
    )
    assert reopened.warnings == []


def test_two_kernels_on_one_notebook_do_not_wipe_each_others_answers(banks, answers):
    first, second = open_quiz(banks, answers), open_quiz(banks, answers)
    first.submit("treaty_city", "b")
    second.submit("members", ["a"])
    first.submit("force_size", 2500)
    saved = json.loads((answers / "sample__alice.json").read_text(encoding="utf-8"))["answers"]
    assert sorted(saved) == ["force_size", "members", "treaty_city"]


def test_a_refused_answer_keeps_the_saved_one(banks, answers):
    quiz = open_quiz(banks, answers)
    quiz.submit("force_size", 2500)
    before = (answers / "sample__alice.json").read_bytes()
    with pytest.raises(AnswerError, match="expects a number"):
        quiz.submit("force_size", "lots")
    with pytest.raises(AnswerError, match="Unknown question id 'nope'"):
        quiz.submit("nope", 1)
    assert (answers / "sample__alice.json").read_bytes() == before
    assert quiz.saved("force_size").answer == 2500.0


def test_no_temporary_file_is_left_behind(banks, answers):
    quiz = open_quiz(banks, answers)
    for question_id, answer in KEY.items():
        quiz.submit(question_id, answer)
    assert sorted(path.name for path in answers.iterdir()) == [
        ".sample__alice.json.lock", "sample__alice.json"]


def test_a_failed_write_leaves_the_old_sheet_intact_and_warns(banks, answers, monkeypatch):
    quiz = open_quiz(banks, answers)
    quiz.submit("treaty_city", "b")
    before = (answers / "sample__alice.json").read_bytes()

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    result = quiz.submit("members", ["a"])
    assert result.verdict == "Partly right", "the learner still gets feedback"
    assert (answers / "sample__alice.json").read_bytes() == before
    assert sorted(path.name for path in answers.iterdir()) == [
        ".sample__alice.json.lock", "sample__alice.json"]
    assert "could not be saved to sample__alice.json (No space left on device)" in quiz.warnings[0]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"schema": "csto-answer-sheet", "answers": {', "is not valid JSON"),
        ("[1, 2, 3]", "is not a CSTO answer sheet"),
        (b"\xff\xfe\x00", "is not a text file"),
    ],
)
def test_a_corrupted_sheet_is_moved_aside_and_the_learner_starts_fresh(
    banks, answers, content, reason
):
    answers.mkdir()
    path = answers / "sample__alice.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    quiz = open_quiz(banks, answers)
    assert quiz.sheet.answers == {}
    assert reason in quiz.warnings[0]
    assert "kept as sample__alice.json.bad-1" in quiz.warnings[0]
    kept = answers / "sample__alice.json.bad-1"
    assert kept.read_bytes() == (content if isinstance(content, bytes) else content.encode())
    quiz.submit("treaty_city", "b")  # the fresh sheet is saved beside the kept one
    assert json.loads(path.read_text(encoding="utf-8"))["answers"]["treaty_city"]["answer"] == "b"


def test_a_second_bad_sheet_does_not_overwrite_the_first_one_kept(banks, answers):
    answers.mkdir()
    for number in (1, 2):
        (answers / "sample__alice.json").write_text(f"broken {number}", encoding="utf-8")
        open_quiz(banks, answers)
    assert (answers / "sample__alice.json.bad-1").read_text(encoding="utf-8") == "broken 1"
    assert (answers / "sample__alice.json.bad-2").read_text(encoding="utf-8") == "broken 2"


def rewrite(path: Path, **fields: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, **fields}), encoding="utf-8")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"bank": "01_history"}, "belongs to exercise '01_history', not 'sample'"),
        ({"student_id": "bob"}, "belongs to student 'bob', not 'alice'"),
        ({"schema_version": 99}, "has schema version 99"),
        ({"answers": {"members": {"answer": "a", "attempts": 1, "result": {}}}},
         "field answers → members: 'question_version' is a required property"),
    ],
)
def test_a_foreign_sheet_is_moved_aside_with_a_clear_warning(banks, answers, fields, reason):
    open_quiz(banks, answers).submit("treaty_city", "b")
    rewrite(answers / "sample__alice.json", **fields)
    before = (answers / "sample__alice.json").read_bytes()
    quiz = open_quiz(banks, answers)
    assert reason in quiz.warnings[0]
    assert "Nothing was deleted" in quiz.warnings[0]
    assert quiz.saved("treaty_city") is None
    assert (answers / "sample__alice.json.bad-1").read_bytes() == before


def test_an_answer_the_bank_cannot_check_is_set_aside_and_the_rest_stays(banks, answers):
    first = open_quiz(banks, answers)
    first.submit("treaty_city", "b")
    first.submit("members", ["a"])
    data = json.loads((answers / "sample__alice.json").read_text(encoding="utf-8"))
    data["answers"]["treaty_city"]["answer"] = "z"
    (answers / "sample__alice.json").write_text(json.dumps(data), encoding="utf-8")
    quiz = open_quiz(banks, answers)
    assert quiz.warnings == [
        "Your answer to Q1 does not fit the question as it is now, so it was set aside (kept in "
        "your answer sheet, under \"archived\"); please answer it again."]
    assert quiz.saved("treaty_city") is None
    assert quiz.saved("members").answer == ["a"]
    quiz.submit("force_size", 2500)
    kept = json.loads((answers / "sample__alice.json").read_text(encoding="utf-8"))
    assert [(a["question_id"], a["answer"]) for a in kept["archived"]] == [("treaty_city", "z")]
    assert kept["archived"][0]["reason"].startswith("the answer does not fit the question")
    assert sorted(kept["answers"]) == ["force_size", "members"]
    assert quiz.warnings == [quiz.warnings[0]], "the message is given once"


def test_student_id_is_asked_once_and_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CSTO_STUDENT_ID", raising=False)
    assert known_student_id() is None
    remember_student_id(" maria.k ")
    assert known_student_id() == "maria.k"
    monkeypatch.setenv("CSTO_STUDENT_ID", "s1042")
    assert known_student_id() == "s1042", "the environment variable overrides the remembered id"


@pytest.mark.parametrize("bad", ["", "../etc/passwd", "has space", "a" * 65, 42])
def test_a_student_id_that_cannot_name_a_file_is_refused(bad):
    with pytest.raises(ExerciseError, match="is not usable: expected 1 to 64 letters"):
        remember_student_id(bad)


def test_answers_dir_comes_from_argument_then_environment_then_home(
    banks, tmp_path, monkeypatch
):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CSTO_ANSWERS_DIR", raising=False)
    assert Quiz(load_bank("sample", banks)).answers_dir == tmp_path / "home/.csto-course/answers"
    monkeypatch.setenv("CSTO_ANSWERS_DIR", str(tmp_path / "env"))
    assert Quiz(load_bank("sample", banks)).answers_dir == tmp_path / "env"
    assert Quiz(load_bank("sample", banks), answers_dir=tmp_path / "arg").answers_dir == (
        tmp_path / "arg"
    )


def test_headless_answers_are_saved_only_where_asked(banks, answers, tmp_path, monkeypatch):
    monkeypatch.setenv("CSTO_ANSWERS_DIR", str(tmp_path / "learner"))
    quiz = load_quiz("sample", answers={"treaty_city": "b"}, banks_dir=banks)
    assert "Answers not saved (pass answers_dir" in quiz.report()
    assert not (tmp_path / "learner").exists(), "the key must not touch a learner's sheet"
    quiz = load_quiz("sample", answers={"treaty_city": "b"}, answers_dir=answers,
                     student_id="alice", banks_dir=banks)
    assert "Answers saved to sample__alice.json." in quiz.report()
    assert (answers / "sample__alice.json").exists()


def test_answers_parameter_can_name_a_sheet(banks, answers):
    quiz = open_quiz(banks, answers)
    quiz.submit("treaty_city", "a")
    quiz.submit("members", ["a", "b", "c"])
    report = load_quiz("sample", answers=str(answers / "sample__alice.json"),
                       banks_dir=banks).report()
    assert "Checked 2 answers given as a parameter." in report
    assert "Your answer: a) Moscow" in report
    assert "Score: 1 out of 7 graded questions (14.3%); 2 answered." in report


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.json", "missing.json cannot be used: expected the file to exist"),
        (lambda d: (d / "x.json").write_text("nope") and d / "x.json", "x.json is not valid JSON"),
    ],
)
def test_answers_parameter_naming_a_bad_file_stops_with_the_parameter_named(
    banks, tmp_path, make, message
):
    with pytest.raises(ParameterError, match=rf"Parameter answers=.*{message}"):
        load_quiz("sample", answers=str(make(tmp_path)), banks_dir=banks)


def test_answers_parameter_of_the_wrong_kind_is_refused(banks):
    with pytest.raises(ParameterError, match="expected None, a mapping of question id"):
        load_quiz("sample", answers=42, banks_dir=banks)


def test_a_sheet_from_before_an_edit_of_the_bank_works_as_a_parameter(banks, answers, tmp_path):
    open_quiz(banks, answers).submit("treaty_city", "b")
    changed = plain_bank(title="Changed title")
    other_banks = write_bank(tmp_path / "other", changed).parent
    quiz = load_quiz("sample", answers=str(answers / "sample__alice.json"), banks_dir=other_banks)
    assert quiz.saved("treaty_city").result.verdict == "Correct"


def test_a_data_dir_that_does_not_exist_is_refused_at_once(banks, tmp_path):
    with pytest.raises(ParameterError, match=r"Parameter data_dir=.*nowhere.*is not usable"):
        load_quiz("sample", banks_dir=banks, data_dir=tmp_path / "nowhere")


def test_the_fullest_sheet_the_kit_writes_stays_well_under_the_size_cap(banks, answers):
    quiz = open_quiz(banks, answers)
    longest = {**KEY, "thoughts": "\U0001f600" * MAX_TEXT_ANSWER}
    for _ in range(HISTORY_LIMIT + 5):
        for question_id, answer in longest.items():
            quiz.submit(question_id, answer)
    size = (answers / "sample__alice.json").stat().st_size
    assert size < MAX_SHEET_BYTES / 4, size
    assert read_sheet(answers / "sample__alice.json").answers["thoughts"].attempts == 25
