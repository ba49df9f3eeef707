"""A sheet against the current bank: answers belong to questions, not to a version of the bank.

Each question has its own version (``Question.version``, a fingerprint of its key, options and
tolerance). When a bank is edited during a term:

* a reworded prompt, hint, explanation or feedback keeps the version: nothing happens;
* a changed key or options changes the version: the saved answer is checked again against the
  new key, and the learner is told the question changed since they answered;
* a question removed from the bank keeps its answer in the sheet, archived;
* an answer that does not fit its question (an option it named is gone, or the sheet was edited
  by hand) is archived with a message, and the rest of the sheet stays.

Only a sheet that cannot be read, or that belongs to another exercise or student, is set aside
as a whole (renamed ``.bad-<n>``).
"""

from __future__ import annotations

import os
from pathlib import Path

from helpers.exercises.bank import Bank
from helpers.exercises.errors import ExerciseError, SheetError
from helpers.exercises.questions import Question, TableSource, check
from helpers.exercises.sheet import (
    UNVERSIONED,
    AnswerSheet,
    SavedAnswer,
    move_aside,
    read_sheet,
    sheet_path,
)

CHANGED_NOTICE = ("This question changed since you answered; your answer was checked again "
                  "against the current version.")
REMOVED = "the question is no longer in the exercise"
NO_LONGER_FITS = "the answer does not fit the question as it is now"


def changed_since_answer(saved: SavedAnswer, question: Question) -> bool:
    """Whether the question's key or options changed after this answer was given."""
    return saved.question_version != question.version


def reconcile(sheet: AnswerSheet, bank: Bank, tables: TableSource | None = None) -> list[str]:
    """Bring a sheet up to the current bank in memory; the messages for the learner.

    Answers to removed questions, and answers that no longer fit their question, move to
    ``sheet.archived``; answers to changed questions are checked again (a data question that
    cannot be computed keeps its stored result). Nothing is written here.
    """
    messages = []
    for question_id in [qid for qid in sheet.answers if qid not in bank.ids]:
        sheet.archive(question_id, REMOVED)
    for number, question in enumerate(bank.questions, 1):
        saved = sheet.answers.get(question.id)
        if saved is None:
            continue
        try:
            saved.answer = question.normalize(saved.answer)
        except ExerciseError as error:
            sheet.archive(question.id, f"{NO_LONGER_FITS}: {error}")
            messages.append(
                f"Your answer to Q{number} does not fit the question as it is now, so it was "
                "set aside (kept in your answer sheet, under \"archived\"); please answer it "
                "again."
            )
            continue
        if saved.question_version is None and sheet.legacy_bank_version == bank.version:
            saved.question_version = question.version  # a version-1 sheet of this very bank
        elif saved.question_version != question.version:
            _check_again(saved, question, tables)
    sheet.legacy_bank_version = None
    return messages


def _check_again(saved: SavedAnswer, question: Question, tables: TableSource | None) -> None:
    try:
        result = check(question, saved.answer, tables)
    except ExerciseError:  # the dataset cannot serve a data question now: keep what was shown
        result = saved.result
    if saved.question_version is None:  # answered before questions had versions
        unchanged = (result.score, result.correct) == (saved.result.score, saved.result.correct)
        saved.question_version = question.version if unchanged else UNVERSIONED
    saved.result = result


def sheet_problems(sheet: AnswerSheet, bank: Bank, name: str,
                   student_id: str | None = None) -> list[str]:
    """Why a readable sheet cannot be used for this bank (and student) at all: empty if it can.

    Single answers that no longer fit are not problems of the sheet: ``reconcile`` archives them.
    """
    problems = []
    if sheet.bank != bank.name:
        problems.append(f"{name} belongs to exercise {sheet.bank!r}, not {bank.name!r}")
    if student_id is not None and sheet.student_id != student_id:
        problems.append(f"{name} belongs to student {sheet.student_id!r}, not {student_id!r}")
    return problems


def open_sheet(directory: Path, bank: Bank, student_id: str,
               tables: TableSource | None = None) -> tuple[AnswerSheet, list[str]]:
    """The student's sheet for this bank, reconciled with it, and messages for the learner.

    A sheet that cannot be used at all is renamed ``.bad-<n>`` (never deleted) and a fresh one
    is started; the message says where the old file is.
    """
    path = sheet_path(directory, bank.name, student_id)
    if not os.path.lexists(path):
        return AnswerSheet(student_id, bank.name), []
    try:
        sheet = read_sheet(path)
        problems = sheet_problems(sheet, bank, path.name, student_id)
    except SheetError as error:
        problems = [str(error).rstrip(".")]
    if not problems:
        return sheet, reconcile(sheet, bank, tables)
    kept = move_aside(path)
    return AnswerSheet(student_id, bank.name), [
        f"Your saved answers for exercise {bank.name!r} could not be used: {problems[0]}. "
        f"Nothing was deleted: the file is kept as {kept.name} in {directory}. "
        "You start with a fresh answer sheet."
    ]
