"""Answer sheets: one small JSON file per student and exercise notebook, written atomically.

A sheet (schema version 2) records, for each question, the latest answer, how many attempts were
made, the result shown, the version of the question it answered and its last attempts with their
UTC times; answers to questions that left the bank, or that no longer fit their question, stay in
the sheet under ``archived``. Version-1 sheets (one version for the whole bank) are read and
migrated; every sheet written is version 2.

Sheets come from students, so they are untrusted: ``read_sheet`` accepts only a regular file of
bounded size whose JSON nests a few levels and fits ``SHEET_SCHEMA``. A sheet that cannot be used
is never overwritten or deleted: it is renamed with a ``.bad-<n>`` suffix (helpers.exercises.
versions.open_sheet says so) and the learner starts a fresh one.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fastjsonschema
from filelock import FileLock

from helpers.exercises.bounded import load_json, read_limited, shown
from helpers.exercises.errors import ExerciseError, SheetError
from helpers.exercises.questions import MAX_TEXT_ANSWER, Result
from helpers.exercises.student import course_home, validate_student_id
from helpers.files import private_folder, write_text_atomic

ANSWERS_ENV = "CSTO_ANSWERS_DIR"
SCHEMA = "csto-answer-sheet"
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
MAX_SHEET_BYTES = 1 << 20  # a full sheet of the course is a few kilobytes
MAX_ANSWERS = 200
MAX_CHOICES = 100
HISTORY_LIMIT = 20  # attempts kept per question: the first one and the latest ones
ARCHIVE_LIMIT = 50  # set-aside and removed-question answers kept, the newest ones
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # attempt times: UTC to the second, 2025-03-01T09:30:00Z
LOCK_TIMEOUT = 30.0  # seconds; a save waits this long for another session's save to finish
UNVERSIONED = "unversioned"  # answered before questions had versions, and graded otherwise now

_SHORT = {"type": "string", "maxLength": 200, "description": "text of at most 200 characters"}
_TEXT = {"type": "string", "maxLength": MAX_TEXT_ANSWER,
         "description": f"text of at most {MAX_TEXT_ANSWER:,} characters"}
_TIME = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$",
         "description": "a UTC time such as 2025-03-01T09:30:00Z"}
_COUNT = {"type": "integer", "minimum": 1, "maximum": 1_000_000,
          "description": "a whole number of attempts from 1 to 1,000,000"}
_VERSION = {"type": "string", "maxLength": 64, "description": "a question version"}
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
_SCORE = {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "null"}],
          "description": "a score from 0 to 1, or null"}
_CORRECT = {"type": ["boolean", "null"], "description": "true, false or null"}
_RESULT = {
    "type": "object",
    "description": "a checked result (verdict, feedback, source, score, correct)",
    "required": ["verdict", "feedback", "source", "score", "correct"],
    "properties": {"verdict": _SHORT, "feedback": _TEXT, "source": _TEXT, "hint": _TEXT,
                   "score": _SCORE, "correct": _CORRECT},
}
_ATTEMPT = {
    "type": "object",
    "description": "an attempt (n, at, score, correct, question_version, answer)",
    "required": ["n", "at", "score", "correct", "question_version"],
    "properties": {"n": _COUNT, "at": _TIME, "score": _SCORE, "correct": _CORRECT,
                   "question_version": _VERSION, "answer": _ANSWER},
}
_RECORD_V1 = {
    "type": "object",
    "description": "a saved answer (answer, attempts, result)",
    "required": ["answer", "attempts", "result"],
    "properties": {"answer": _ANSWER, "attempts": _COUNT, "result": _RESULT},
}
_RECORD = {
    **_RECORD_V1,
    "required": ["answer", "attempts", "result", "question_version"],
    "properties": {
        **_RECORD_V1["properties"],
        "question_version": _VERSION,
        "history": {"type": "array", "maxItems": HISTORY_LIMIT, "items": _ATTEMPT,
                    "description": f"a list of at most {HISTORY_LIMIT} attempts"},
    },
}
_ARCHIVED = {
    **_RECORD,
    "description": "an archived answer (question_id, reason, at, answer, attempts, result)",
    "required": [*_RECORD["required"], "question_id", "reason", "at"],
    "properties": {**_RECORD["properties"], "question_id": _SHORT, "at": _TIME,
                   "reason": {**_TEXT, "maxLength": 2_000,
                              "description": "text of at most 2,000 characters"}},
}


def _answers(record: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "maxProperties": MAX_ANSWERS, "propertyNames": _SHORT,
            "additionalProperties": record,
            "description": f"a mapping of at most {MAX_ANSWERS} question ids to answers"}


_COMMON = {
    "student_id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                   "description": "a student id of 1 to 64 letters, digits, '.', '-' or '_'"},
    "bank": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$",
             "description": "an exercise name such as 01_history"},
}
SHEET_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "CSTO course answer sheet, version 2",
    "type": "object",
    "required": ["schema", "schema_version", "student_id", "bank", "answers"],
    "properties": {
        **_COMMON,
        "answers": _answers(_RECORD),
        "archived": {"type": "array", "maxItems": ARCHIVE_LIMIT, "items": _ARCHIVED,
                     "description": f"a list of at most {ARCHIVE_LIMIT} archived answers"},
    },
}
SHEET_SCHEMA_V1 = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "CSTO course answer sheet, version 1 (read and migrated)",
    "type": "object",
    "required": ["schema", "schema_version", "student_id", "bank", "bank_version", "answers"],
    "properties": {**_COMMON, "bank_version": _SHORT, "answers": _answers(_RECORD_V1)},
}
_SCHEMAS = {1: SHEET_SCHEMA_V1, 2: SHEET_SCHEMA}
# Keywords that apply to values of one type only (JSON Schema ignores them for other types).
_TYPED_KEYWORDS = {"maxLength", "pattern", "minimum", "maximum", "items", "maxItems",
                   "maxProperties", "propertyNames", "additionalProperties", "properties",
                   "required"}


def _quick_schema(schema: Any) -> Any:
    """The same schema with every "anyOf" of branches of distinct single types (text, number,
    list, mapping, null) written as one schema with a list of types. Each keyword of a branch
    applies to values of the branch's type only, so the result accepts exactly the same sheets,
    and a validator no longer tries (and fails) branch after branch."""
    if isinstance(schema, list):
        return [_quick_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    merged = {key: _quick_schema(value) for key, value in schema.items()}
    branches = merged.get("anyOf", [])
    types = [branch.get("type") for branch in branches]
    keywords = [key for branch in branches for key in branch if key not in ("type", "description")]
    if (branches and all(isinstance(kind, str) for kind in types) and len(set(types)) == len(types)
            and not {"number", "integer"} <= set(types) and set(keywords) <= _TYPED_KEYWORDS
            and len(set(keywords)) == len(keywords) and not set(keywords) & set(merged)):
        merged.pop("anyOf")
        merged["type"] = types
        for branch in branches:
            merged |= {key: value for key, value in branch.items()
                       if key not in ("type", "description")}
    return merged


# Compiled once, from the course's own schemas (fastjsonschema: fast, and light to import). The
# quick validators say only yes or no, from the merged schemas: building the detailed message of
# every branch an "anyOf" tries costs more than the rest of the check, so a whole class's sheets
# are checked quickly and the detailed validator runs only on a sheet that fails, for its message.
_QUICK = {version: fastjsonschema.compile(_quick_schema(schema), detailed_exceptions=False)
          for version, schema in _SCHEMAS.items()}


@functools.cache
def _detailed(version: int) -> Callable[[object], object]:
    return fastjsonschema.compile(_SCHEMAS[version])


def utc_now() -> str:
    """The time of an attempt, in UTC to the second (what the sheet stores)."""
    return datetime.now(UTC).strftime(TIME_FORMAT)


@dataclass
class Attempt:
    """One check of an answer: when, how it scored, against which version of the question.

    ``answer`` is kept for graded questions (so a first try can be checked again after the key
    changes) and left out for reflections, whose text can be long.
    """

    number: int
    at: str
    score: float | None
    correct: bool | None
    question_version: str
    answer: Any = None

    def to_dict(self) -> dict[str, Any]:
        data = {"n": self.number, "at": self.at, "score": self.score, "correct": self.correct,
                "question_version": self.question_version}
        return data if self.answer is None else {**data, "answer": self.answer}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attempt:
        return cls(int(data["n"]), data["at"], _score(data["score"]), data["correct"],
                   data["question_version"], data.get("answer"))


@dataclass
class SavedAnswer:
    """One question's latest answer, its attempts, the result shown, and the version of the
    question it answered (None until a version-1 sheet is reconciled with its bank)."""

    answer: Any
    attempts: int
    result: Result
    question_version: str | None = None
    history: list[Attempt] = field(default_factory=list)

    @property
    def first_attempt(self) -> Attempt | None:
        """The first try, when the sheet has it (sheets before version 2 kept no history)."""
        first = self.history[0] if self.history else None
        return first if first is not None and first.number == 1 else None

    def add_attempt(self, attempt: Attempt) -> None:
        """Record an attempt, keeping the first one and the latest ones (``HISTORY_LIMIT``)."""
        kept = [*self.history, attempt]
        if len(kept) > HISTORY_LIMIT:
            first = kept[:1] if kept[0].number == 1 else []
            kept = first + kept[len(first) - HISTORY_LIMIT:]
        self.history = kept

    def to_dict(self) -> dict[str, Any]:
        return {"answer": self.answer, "attempts": self.attempts,
                "question_version": self.question_version or UNVERSIONED,
                "result": self.result.to_dict(),
                "history": [attempt.to_dict() for attempt in self.history]}

    @classmethod
    def from_dict(cls, question_id: str, data: dict[str, Any]) -> SavedAnswer:
        return cls(data["answer"], int(data["attempts"]),
                   Result.from_dict(question_id, data["result"]),
                   data.get("question_version"),
                   [Attempt.from_dict(item) for item in data.get("history", [])])


@dataclass
class ArchivedAnswer:
    """An answer kept out of grading: its question left the bank, or it no longer fits it."""

    question_id: str
    reason: str
    at: str
    saved: SavedAnswer

    def to_dict(self) -> dict[str, Any]:
        record = {**self.saved.to_dict(), "history": []}
        return {"question_id": self.question_id, "reason": self.reason, "at": self.at, **record}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArchivedAnswer:
        return cls(data["question_id"], data["reason"], data["at"],
                   SavedAnswer.from_dict(data["question_id"], data))


@dataclass
class AnswerSheet:
    """A student's answers to one exercise notebook."""

    student_id: str
    bank: str
    answers: dict[str, SavedAnswer] = field(default_factory=dict)
    archived: list[ArchivedAnswer] = field(default_factory=list)
    legacy_bank_version: str | None = None  # the whole-bank version of a version-1 sheet

    def archive(self, question_id: str, reason: str) -> None:
        """Move an answer out of grading into ``archived`` (the newest ``ARCHIVE_LIMIT`` kept)."""
        saved = self.answers.pop(question_id)
        self.archived = [*self.archived, ArchivedAnswer(question_id, reason, utc_now(), saved)]
        self.archived = self.archived[-ARCHIVE_LIMIT:]

    def to_json(self) -> str:
        data = {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "student_id": self.student_id,
            "bank": self.bank,
            "answers": {qid: saved.to_dict() for qid, saved in self.answers.items()},
            "archived": [item.to_dict() for item in self.archived],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_data(cls, data: object, name: str) -> AnswerSheet:
        """Rebuild a sheet from parsed JSON, validated against its schema first (types, sizes,
        ids), so nothing later meets a value of the wrong kind; SheetError names the field."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise SheetError(f"{name} is not a CSTO answer sheet (expected \"schema\": "
                             f"\"{SCHEMA}\").")
        version = data.get("schema_version")
        if isinstance(version, bool) or version not in READABLE_VERSIONS:
            raise SheetError(f"{name} has schema version {shown(version)}; this course reads "
                             f"versions {' and '.join(map(str, READABLE_VERSIONS))}.")
        try:
            _QUICK[version](data)
        except fastjsonschema.JsonSchemaValueException as quick:
            raise SheetError(_described(name, _explained(version, data) or quick)) from None
        try:
            if validate_student_id(data["student_id"]) != data["student_id"]:
                raise ExerciseError("spaces or a line break around it")
        except ExerciseError as error:
            raise SheetError(f"{name}, field student_id: not usable ({error})") from None
        return cls(
            data["student_id"],
            data["bank"],
            {qid: SavedAnswer.from_dict(qid, record) for qid, record in data["answers"].items()},
            [ArchivedAnswer.from_dict(item) for item in data.get("archived", [])],
            data.get("bank_version"),
        )


def _explained(version: int, data: object) -> fastjsonschema.JsonSchemaValueException | None:
    """The detailed error for a sheet the quick validator refused (field, rule, definition)."""
    try:
        _detailed(version)(data)
    except fastjsonschema.JsonSchemaValueException as problem:
        return problem
    return None


def _score(value: object) -> float | None:
    return None if value is None else float(value)


def _described(name: str, problem: fastjsonschema.JsonSchemaValueException) -> str:
    """One line naming the file, the field (as a path) and what was expected there."""
    definition = problem.definition or {}
    path = " → ".join(str(step) for step in (problem.path or [])[1:]) or "(the whole sheet)"
    if problem.rule == "required" and isinstance(problem.value, dict):
        missing = [key for key in definition.get("required", []) if key not in problem.value]
        return f"{name}, field {path}: {shown(missing[0] if missing else '?')} is a required " \
               "property."
    expected = definition.get("description") or f"a value that fits {problem.rule}"
    return f"{name}, field {path}: expected {expected}; found {shown(problem.value)}."


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
    return AnswerSheet.from_data(read_sheet_data(path), path.name)


def read_sheet_data(path: Path) -> Any:
    """The JSON data of a sheet file, read within the bounds ``read_sheet`` describes but not yet
    checked to be a sheet (``AnswerSheet.from_data`` does that): for passing a sheet on exactly
    as it was written, a version-1 sheet with its bank version."""
    raw = read_limited(path, MAX_SHEET_BYTES, lambda reason: SheetError(f"{path.name} {reason}."))
    return load_sheet_json(raw, path.name)


def load_sheet_json(raw: bytes, name: str) -> Any:
    """The JSON data of a sheet file (or of a file that carries sheets, such as a submission),
    not yet checked to be a sheet: UTF-8, nested at most a few levels, ordinary numbers only;
    SheetError naming ``name`` otherwise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SheetError(f"{name} is not a text file (not UTF-8).") from None
    return load_json(text, lambda reason: SheetError(f"{name} {reason}."))


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
    while os.path.lexists(target := path.with_name(f"{path.name}.bad-{number}")):
        number += 1
    os.replace(path, target)
    return target
