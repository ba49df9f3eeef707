"""Answer sheets: one small JSON file per student and exercise notebook, written atomically.

A sheet records each answer, its attempts and its checked result, plus the schema version, the
bank and the bank's version, and the student id. A sheet that cannot be used (not JSON, another
bank or version, another student) is never overwritten or deleted: ``open_sheet`` renames it with
a ``.bad-<n>`` suffix, says so, and starts a fresh sheet.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.exercises.bank import Bank
from helpers.exercises.errors import ExerciseError, SheetError
from helpers.exercises.questions import Result
from helpers.exercises.student import course_home, validate_student_id
from helpers.files import write_text_atomic

ANSWERS_ENV = "CSTO_ANSWERS_DIR"
SCHEMA = "csto-answer-sheet"
SCHEMA_VERSION = 1


@dataclass
class SavedAnswer:
    """One question's latest answer, how many times it was checked, and the result shown."""

    answer: Any
    attempts: int
    result: Result


@dataclass
class AnswerSheet:
    student_id: str
    bank: str
    bank_version: str
    answers: dict[str, SavedAnswer] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "student_id": self.student_id,
            "bank": self.bank,
            "bank_version": self.bank_version,
            "answers": {
                qid: {"answer": saved.answer, "attempts": saved.attempts,
                      "result": saved.result.to_dict()}
                for qid, saved in self.answers.items()
            },
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_data(cls, data: object, name: str) -> AnswerSheet:
        """Rebuild a sheet from parsed JSON; SheetError says which field is wrong."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise SheetError(f"{name} is not a CSTO answer sheet (expected \"schema\": "
                             f"\"{SCHEMA}\").")
        if data.get("schema_version") != SCHEMA_VERSION:
            raise SheetError(f"{name} has schema version {data.get('schema_version')!r}; this "
                             f"course reads version {SCHEMA_VERSION}.")
        for key in ("student_id", "bank", "bank_version"):
            if not isinstance(data.get(key), str):
                raise SheetError(f"{name}, field {key!r}: expected text; found "
                                 f"{data.get(key)!r}.")
        try:
            student_id = validate_student_id(data["student_id"])
        except ExerciseError as error:
            raise SheetError(f"{name}, field 'student_id': {error}") from None
        answers = data.get("answers")
        if not isinstance(answers, dict):
            raise SheetError(f"{name}, field 'answers': expected a mapping; found {answers!r}.")
        sheet = cls(student_id, data["bank"], data["bank_version"])
        for qid, record in answers.items():
            try:
                attempts = record["attempts"]
                if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
                    raise TypeError(f"attempts must be a whole number from 1, not {attempts!r}")
                result = Result.from_dict(qid, record["result"])
                sheet.answers[qid] = SavedAnswer(record["answer"], attempts, result)
            except (KeyError, TypeError) as error:
                raise SheetError(f"{name}, answer to {qid!r} is damaged ({error}).") from None
        return sheet


def resolve_answers_dir(answers_dir: str | os.PathLike[str] | None = None) -> Path:
    """The argument, else ``CSTO_ANSWERS_DIR``, else ~/.csto-course/answers (per user)."""
    if answers_dir is not None:
        return Path(answers_dir).expanduser()
    if os.environ.get(ANSWERS_ENV):
        return Path(os.environ[ANSWERS_ENV]).expanduser()
    return course_home() / "answers"


def sheet_path(directory: Path, bank_name: str, student_id: str) -> Path:
    return directory / f"{bank_name}__{student_id}.json"


def read_sheet(path: Path) -> AnswerSheet:
    """Parse one sheet file; SheetError (naming the file) if it is unreadable or not a sheet."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SheetError(f"{path.name} is not a text file (not UTF-8).") from None
    except OSError as error:
        raise SheetError(f"{path.name} cannot be read ({error.strerror}).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SheetError(f"{path.name} is not valid JSON ({error.msg} at line {error.lineno}, "
                         f"column {error.colno}).") from None
    return AnswerSheet.from_data(data, path.name)


def sheet_problems(sheet: AnswerSheet, bank: Bank, name: str,
                   student_id: str | None = None) -> list[str]:
    """Why a well-formed sheet does not fit this bank (and student): empty if it fits."""
    problems = []
    if sheet.bank != bank.name:
        problems.append(f"{name} belongs to exercise {sheet.bank!r}, not {bank.name!r}")
    elif sheet.bank_version != bank.version:
        problems.append(f"{name} was written for another version of exercise {bank.name!r} "
                        f"(version {sheet.bank_version}; the current one is {bank.version})")
    if student_id is not None and sheet.student_id != student_id:
        problems.append(f"{name} belongs to student {sheet.student_id!r}, not {student_id!r}")
    if problems:
        return problems
    for qid, saved in sheet.answers.items():
        try:
            bank.question(qid).normalize(saved.answer)
        except ExerciseError as error:
            problems.append(f"{name} holds an answer that cannot be checked: {error}")
    return problems


def write_sheet(path: Path, sheet: AnswerSheet) -> None:
    write_text_atomic(path, sheet.to_json(), private=True)


def move_aside(path: Path) -> Path:
    """Rename an unusable sheet to ``<name>.bad-<n>`` (the first free n); never delete it."""
    number = 1
    while (target := path.with_name(f"{path.name}.bad-{number}")).exists():
        number += 1
    os.replace(path, target)
    return target


def open_sheet(directory: Path, bank: Bank, student_id: str) -> tuple[AnswerSheet, str | None]:
    """The student's sheet for this bank; a fresh one and a warning if the old one is unusable."""
    path = sheet_path(directory, bank.name, student_id)
    fresh = AnswerSheet(student_id, bank.name, bank.version)
    if not path.exists():
        return fresh, None
    try:
        sheet = read_sheet(path)
        problems = sheet_problems(sheet, bank, path.name, student_id)
    except SheetError as error:
        problems = [str(error).rstrip(".")]
    if not problems:
        return sheet, None
    kept = move_aside(path)
    warning = (
        f"Your saved answers for exercise {bank.name!r} could not be used: {problems[0]}. "
        f"Nothing was deleted: the file is kept as {kept.name} in {directory}. "
        "You start with a fresh answer sheet."
    )
    return fresh, warning
