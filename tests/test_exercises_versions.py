"""Editing a bank never throws away students' work: each question has its own version.

Rewording keeps answers as they are; a changed key or options checks the answer again and says
so; a removed question's answer is archived in the sheet; an answer that no longer fits is set
aside alone; version-1 sheets (one version for the whole bank) are read and migrated.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.exercises import load_bank, load_quiz
from helpers.exercises.grading import main as grade
from helpers.exercises.sheet import read_sheet
from helpers.exercises.versions import CHANGED_NOTICE, REMOVED
from tests.exercise_samples import (
    KEY,
    plain_bank,
    version_1_sheet,
    write_bank,
    write_data_package,
)


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return tmp_path / "answers"


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample dataset for every quiz and grading run here (as CSTO_DATA_DIR)."""
    directory = write_data_package(tmp_path / "data")
    monkeypatch.setenv("CSTO_DATA_DIR", str(directory))
    return directory


def edited(tmp_path: Path, name: str, change) -> Path:
    """The sample bank with one edit, sealed into its own banks folder."""
    plain = plain_bank()
    change(plain)
    return write_bank(tmp_path / name, plain).parent


def question(plain: dict, question_id: str) -> dict:
    return next(entry for entry in plain["questions"] if entry["id"] == question_id)


def open_quiz(banks: Path, answers: Path):
    return load_quiz("sample", answers_dir=answers, student_id="alice", banks_dir=banks)


def answered(tmp_path: Path, answers: Path) -> Path:
    """Alice answers every question with the key, with the original bank; its folder."""
    banks = write_bank(tmp_path / "original").parent
    quiz = open_quiz(banks, answers)
    for question_id, answer in KEY.items():
        quiz.submit(question_id, answer)
    return banks


def reword(plain: dict) -> None:
    for entry in plain["questions"]:
        entry["prompt"] += " (reworded)"
        entry["source"] += " See also the glossary."
        entry["hint"] = "A new hint."
        if "explanation" in entry:
            entry["explanation"] = "Explained afresh: " + entry["explanation"]
    question(plain, "treaty_city")["option_feedback"] = {"c": "Minsk hosts CIS bodies."}
    question(plain, "force_size")["wrong_feedback"] = {1960: "That is Karabakh."}
    question(plain, "force_size")["unit"] = "troops"
    question(plain, "thoughts")["model_answer"] = "Another model answer."


def test_rewording_every_question_keeps_every_answer_without_a_word(tmp_path, answers):
    original = load_bank("sample", answered(tmp_path, answers))
    banks = edited(tmp_path, "reworded", reword)
    reworded = load_bank("sample", banks)
    assert [q.version for q in reworded.questions] == [q.version for q in original.questions]
    assert reworded.version != original.version
    quiz = open_quiz(banks, answers)
    assert quiz.warnings == []
    assert quiz.score().text() == ("Score: 7 out of 7 graded questions (100%); 7 answered. "
                                   "Reflections saved: 1 of 1.")
    assert all(quiz.change_notice(qid) is None for qid in KEY)
    assert CHANGED_NOTICE not in load_quiz(
        "sample", answers=str(answers / "sample__alice.json"), banks_dir=banks).report()


@pytest.mark.parametrize(
    ("question_id", "change", "verdict"),
    [
        ("treaty_city", lambda q: q.update(answer="c"), "Not quite"),
        ("treaty_city", lambda q: q["options"].update(d="Dushanbe"), "Correct"),
        ("treaty_city", lambda q: q["options"].update(b="Tashkent (Uzbekistan)"), "Correct"),
        ("members", lambda q: q.update(answer=["a", "b"]), "Partly right"),
        ("force_size", lambda q: q.update(relative_tolerance=0.01), "Correct"),
        ("force_size", lambda q: q.update(answer=2000), "Not quite"),
        ("timeline", lambda q: q.update(answer=["charter", "treaty", "kazakhstan"]),
         "Partly right"),
        ("roles", lambda q: q["right"].update(pm="Prime Minister"), "Correct"),
        ("before_2022", lambda q: q["solution"]["filters"][0].update(value=2011), "Not quite"),
    ],
)
def test_a_changed_key_or_options_checks_the_answer_again_and_says_so(
    tmp_path, answers, capsys, question_id, change, verdict
):
    original = load_bank("sample", answered(tmp_path, answers)).question(question_id)
    banks = edited(tmp_path, "changed", lambda plain: change(question(plain, question_id)))
    assert load_bank("sample", banks).question(question_id).version != original.version
    quiz = open_quiz(banks, answers)
    assert quiz.saved(question_id).result.verdict == verdict
    assert quiz.change_notice(question_id) == CHANGED_NOTICE
    assert [qid for qid in KEY if quiz.change_notice(qid)] == [question_id], "only that one"
    report = load_quiz("sample", answers=str(answers / "sample__alice.json"), answers_dir=None,
                       banks_dir=banks).report()
    assert CHANGED_NOTICE not in report, "answers given as a parameter are answered anew"

    folder = answers  # the teacher grades the same sheets against the current bank
    assert grade([str(folder), "--out", str(tmp_path / "g"), "--banks-dir", str(banks)]) == 0
    printed = capsys.readouterr().out
    assert "1 answers were given before their question's key or options changed" in printed
    items = pd.read_csv(tmp_path / "g" / "gradebook_items.csv").set_index("question_id")
    assert items["changed_since_answer"].to_dict() == {qid: qid == question_id for qid in KEY}

    quiz.submit(question_id, KEY[question_id])  # answering again clears the notice
    assert quiz.change_notice(question_id) is None


def test_the_report_shows_the_notice_under_the_checked_answer(tmp_path, answers):
    answered(tmp_path, answers)
    banks = edited(tmp_path, "changed", lambda plain: question(plain, "treaty_city").update(
        answer="c"))
    quiz = open_quiz(banks, answers)
    quiz.given = {}  # the notebook's report view of the saved answers
    lines = quiz.report().splitlines()
    at = lines.index("   Your answer: b) Tashkent")
    assert lines[at + 1].startswith("   Not quite — ")
    assert lines[at + 2] == "   " + CHANGED_NOTICE


def test_a_removed_question_keeps_its_answer_archived_and_is_not_graded(tmp_path, answers,
                                                                        capsys):
    answered(tmp_path, answers)
    banks = edited(tmp_path, "removed", lambda plain: plain["questions"].pop(0))
    quiz = open_quiz(banks, answers)
    assert quiz.warnings == []
    assert quiz.saved("treaty_city") is None
    assert grade([str(answers), "--out", str(tmp_path / "g"), "--banks-dir", str(banks)]) == 0
    assert ("1 answers to questions no longer in their exercise (treaty_city) are kept in the "
            "sheets, not graded.") in capsys.readouterr().out
    quiz.submit("members", ["a", "b", "c"])
    archived = json.loads((answers / "sample__alice.json").read_text(encoding="utf-8"))["archived"]
    assert [(a["question_id"], a["answer"], a["reason"]) for a in archived] == [
        ("treaty_city", "b", REMOVED)]
    assert read_sheet(answers / "sample__alice.json").answers["members"].attempts == 2


def test_an_answer_that_no_longer_fits_is_set_aside_alone(tmp_path, answers):
    answered(tmp_path, answers)

    def drop_option(plain: dict) -> None:
        entry = question(plain, "treaty_city")
        entry.update(options={"a": "Moscow", "c": "Minsk", "d": "Tashkent"}, answer="d",
                     option_feedback={})

    quiz = open_quiz(edited(tmp_path, "dropped", drop_option), answers)
    assert quiz.warnings == [
        "Your answer to Q1 does not fit the question as it is now, so it was set aside (kept in "
        "your answer sheet, under \"archived\"); please answer it again."]
    assert quiz.saved("treaty_city") is None
    assert len(quiz.sheet.answers) == len(KEY) - 1, "every other answer stays"
    assert (tmp_path / "answers" / "sample__alice.json").exists()


def version_1(path: Path, bank_version: str) -> None:
    """Rewrite a sheet as the course wrote it before questions had versions."""
    sheet = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(version_1_sheet(sheet, bank_version)), encoding="utf-8")


@pytest.mark.parametrize("same_bank", [True, False])
def test_a_version_1_sheet_is_read_and_migrated_without_notices(tmp_path, answers, same_bank):
    banks = answered(tmp_path, answers)
    path = answers / "sample__alice.json"
    version_1(path, load_bank("sample", banks).version if same_bank else "0123456789ab")
    quiz = open_quiz(banks, answers)
    assert quiz.warnings == []
    assert all(quiz.change_notice(qid) is None for qid in KEY)
    assert quiz.score().percent == 100.0
    quiz.submit("treaty_city", "a")
    migrated = json.loads(path.read_text(encoding="utf-8"))
    assert migrated["schema_version"] == 2 and "bank_version" not in migrated
    assert migrated["answers"]["treaty_city"]["attempts"] == 2
    assert migrated["answers"]["members"]["question_version"] == load_bank(
        "sample", banks).question("members").version


def test_a_version_1_sheet_whose_key_changed_since_gets_the_notice(tmp_path, answers):
    answered(tmp_path, answers)
    version_1(answers / "sample__alice.json", "0123456789ab")
    banks = edited(tmp_path, "changed", lambda plain: question(plain, "treaty_city").update(
        answer="c"))
    quiz = open_quiz(banks, answers)
    assert quiz.change_notice("treaty_city") == CHANGED_NOTICE
    assert quiz.change_notice("members") is None
    quiz.submit("members", ["a"])
    reopened = open_quiz(banks, answers)
    assert reopened.change_notice("treaty_city") == CHANGED_NOTICE, "until it is answered again"


def test_a_version_1_sheet_with_an_unfit_answer_sets_only_that_answer_aside(tmp_path, answers):
    answered(tmp_path, answers)
    path = answers / "sample__alice.json"
    version_1(path, "0123456789ab")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["answers"]["members"]["answer"] = ["a", "z"]
    path.write_text(json.dumps(data), encoding="utf-8")
    quiz = open_quiz(write_bank(tmp_path / "again").parent, answers)
    assert len(quiz.warnings) == 1 and "Your answer to Q2 does not fit" in quiz.warnings[0]
    assert sorted(quiz.sheet.answers) == sorted(set(KEY) - {"members"})
