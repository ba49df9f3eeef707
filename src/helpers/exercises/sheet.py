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

from filelock import FileLock
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from helpers.exercises.bank import Bank
from helpers.exercises.bounded import load_json, read_limited, shown
from helpers.exercises.errors import ExerciseError, SheetError
from helpers.exercises.questions import MAX_TEXT_ANSWER, Result
from helpers.exercises.student import course_home, validate_student_id
from helpers.files import private_folder, write_text_atomic

ANSWERS_ENV = "CSTO_ANSWERS_DIR"
SCHEMA = "csto-answer-sheet"
SCHEMA_VERSION = 1
MAX_SHEET_BYTES = 1 << 20  # a full sheet of the course is a few kilobytes
LOCK_TIMEOUT = 30.0  # seconds; a save waits this long for another session's save to finish
MAX_ANSWERS = 200
MAX_CHOICES = 100

_SHORT = {"type": "string", "maxLength": 200, "description": "text of at most 200 characters"}
_TEXT = {"type": "string", "maxLength": MAX_TEXT_ANSWER,
         "description": f"text of at most {MAX_TEXT_ANSWER:,} characters"}
_ANSWER = {
    "description": "an answer: text, a number, a list of ids, or a mapping of id to id",
    "anyOf": [
        _TEXT,
        {"type": "number", "description": "a number"},
        {"type": "array", "maxItems": MAX_CHOICES, "items": _SHORT,
         "description": f"a list of at most {MAX_CHOICES} ids"},
        {"type": "object", "maxProperties": MAX_CHOICES, "propertyNames": _SHORT,
         "additionalProperties": {"anyOf": [_SHORT, {"type": "null"}],
                                  "description": "an id or null"},
         "description": f"a mapping of at most {MAX_CHOICES} ids to ids"},
    ],
}
_RESULT = {
    "type": "object",
    "description": "a checked result (verdict, feedback, source, score, correct)",
    "required": ["verdict", "feedback", "source", "score", "correct"],
    "properties": {
        "verdict": _SHORT, "feedback": _TEXT, "source": _TEXT, "hint": _TEXT,
        "score": {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "null"}],
                  "description": "a score from 0 to 1, or null"},
        "correct": {"type": ["boolean", "null"], "description": "true, false or null"},
    },
}
_RECORD = {
    "type": "object",
    "description": "a saved answer (answer, attempts, result)",
    "required": ["answer", "attempts", "result"],
    "properties": {
        "answer": _ANSWER,
        "attempts": {"type": "integer", "minimum": 1, "maximum": 1_000_000,
                     "description": "a whole number of attempts from 1 to 1,000,000"},
        "result": _RESULT,
    },
}
SHEET_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["schema", "schema_version", "student_id", "bank", "bank_version", "answers"],
    "properties": {
        "student_id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                       "description": "a student id of 1 to 64 letters, digits, '.', '-' or '_'"},
        "bank": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$",
                 "description": "an exercise name such as 01_history"},
        "bank_version": _SHORT,
        "answers": {"type": "object", "maxProperties": MAX_ANSWERS,
                    "propertyNames": _SHORT, "additionalProperties": _RECORD,
                    "description": f"a mapping of at most {MAX_ANSWERS} question ids to answers"},
    },
}
_VALIDATOR = Draft202012Validator(SHEET_SCHEMA)


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
        """Rebuild a sheet from parsed JSON, validated against ``SHEET_SCHEMA`` first (types,
        sizes, ids), so nothing later meets a value of the wrong kind; SheetError names the
        field."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise SheetError(f"{name} is not a CSTO answer sheet (expected \"schema\": "
                             f"\"{SCHEMA}\").")
        if data.get("schema_version") != SCHEMA_VERSION:
            raise SheetError(f"{name} has schema version {shown(data.get('schema_version'))}; "
                             f"this course reads version {SCHEMA_VERSION}.")
        problem = best_match(_VALIDATOR.iter_errors(data))
        if problem is not None:
            raise SheetError(_described(name, problem))
        try:
            if validate_student_id(data["student_id"]) != data["student_id"]:
                raise ExerciseError("spaces or a line break around it")
        except ExerciseError as error:
            raise SheetError(f"{name}, field student_id: not usable ({error})") from None
        sheet = cls(data["student_id"], data["bank"], data["bank_version"])
        for qid, record in data["answers"].items():
            result = Result.from_dict(qid, record["result"])
            sheet.answers[qid] = SavedAnswer(record["answer"], int(record["attempts"]), result)
        return sheet


def _described(name: str, problem: Any) -> str:
    """One line naming the file, the field (as a path) and what was expected there."""
    path = " → ".join(str(step) for step in problem.absolute_path) or "(the whole sheet)"
    if problem.validator == "required":
        return f"{name}, field {path}: {problem.message}."
    expected = problem.schema.get("description") or (
        f"a value that fits {problem.validator} {shown(problem.validator_value)}")
    return f"{name}, field {path}: expected {expected}; found {shown(problem.instance)}."


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
    """Parse one sheet file; SheetError (naming the file) if it is unreadable or not a sheet.

    The file is untrusted: it must be a regular file (not a link, FIFO or folder) of at most
    ``MAX_SHEET_BYTES``, UTF-8 JSON that nests at most a few levels and fits the schema.
    """
    def refused(reason: str) -> SheetError:
        return SheetError(f"{path.name} {reason}.")

    raw = read_limited(path, MAX_SHEET_BYTES, refused)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SheetError(f"{path.name} is not a text file (not UTF-8).") from None
    return AnswerSheet.from_data(load_json(text, refused), path.name)


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
    """Save a sheet readable by its owner only (0600, in a 0700 folder): on a hub, homes may be
    readable by everyone, and a sheet holds a student's answers."""
    private_folder(path.parent)
    write_text_atomic(path, sheet.to_json(), mode=0o600)


def sheet_lock(path: Path) -> FileLock:
    """The lock every read-merge-write of this sheet holds, so that two sessions saving at once
    (two tabs, a tab and a headless run) never lose an answer or an attempt.

    The lock file is hidden beside the sheet, private like it, and left in place (removing it
    on release would let a third session lock a file the second one is about to lock).
    Waiting longer than ``LOCK_TIMEOUT`` raises ``filelock.Timeout``, an OSError.
    """
    private_folder(path.parent)
    return FileLock(path.with_name(f".{path.name}.lock"), timeout=LOCK_TIMEOUT, mode=0o600)


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
    if not os.path.lexists(path):
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
