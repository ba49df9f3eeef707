"""The submission file: every answer sheet of one learner, in one file to upload to the LMS.

``hand_in`` writes ``csto-submission-<student id>.json`` into the learner's working folder::

    {"schema": "csto-submission", "schema_version": 1, "student_id": "s1042",
     "submitted_at": "2025-03-01T14:05:09Z", "sheets": [<answer sheet>, ...]}

Each sheet is exactly what the exercise kit reads back (``helpers.exercises.sheet``); only sheets
the kit accepts for this student go in, so a damaged sheet never travels. Handing in again
replaces the file (written atomically, so an upload never picks up half a file).

The working folder is the folder the notebook runs in (where JupyterLab's file browser shows the
notebook), or ``CSTO_SUBMIT_DIR`` when set. When that folder cannot be written (a read-only course
folder on a hub), the file goes to the learner's home folder instead, and the message says so.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from helpers.classroom.errors import ClassroomError
from helpers.exercises.bank import bank_names, load_bank
from helpers.exercises.errors import ExerciseError, SheetError
from helpers.exercises.sheet import (
    TIME_FORMAT,
    AnswerSheet,
    read_sheet_data,
    resolve_answers_dir,
    sheet_path,
)
from helpers.exercises.student import known_student_id, validate_student_id
from helpers.exercises.versions import sheet_problems
from helpers.files import write_text_atomic

SCHEMA = "csto-submission"
SCHEMA_VERSION = 1
SUBMIT_DIR_ENV = "CSTO_SUBMIT_DIR"
MAX_SHEETS = 100
NOT_STARTED = "not started"

PathLike = str | os.PathLike[str]


def submission_name(student_id: str) -> str:
    return f"csto-submission-{student_id}.json"


def working_folder(folder: PathLike | None = None) -> Path:
    """Where the submission goes: the argument, else ``CSTO_SUBMIT_DIR``, else the current folder
    (a notebook's kernel runs in the notebook's folder), else the home folder if that one is
    read-only."""
    if folder is not None:
        return Path(folder).expanduser()
    if os.environ.get(SUBMIT_DIR_ENV):
        return Path(os.environ[SUBMIT_DIR_ENV]).expanduser()
    current = Path.cwd()
    return current if os.access(current, os.W_OK) else Path.home()


@dataclass
class HandIn:
    """What one hand-in wrote: the file, the sheets in it, and the exercises left out and why."""

    path: Path
    student_id: str
    included: list[str]
    left_out: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""

    def message(self) -> str:
        """The outcome in words, for the status line under the button."""
        count = len(self.included)
        lines = [f"Wrote {self.path.name} with {count} answer "
                 f"sheet{'s' if count != 1 else ''} ({', '.join(self.included)}) for student "
                 f"{self.student_id!r}, into the folder {self.path.parent}."]
        if self.note:
            lines.append(self.note)
        unstarted = [name for name, why in self.left_out if why == NOT_STARTED]
        if unstarted:
            lines.append(f"Not started (nothing to hand in): {', '.join(unstarted)}.")
        lines += [f"Not included: {name} ({why})." for name, why in self.left_out
                  if why != NOT_STARTED]
        lines.append("Upload this file to the assignment on your course page. Handing in again "
                     "replaces it with your latest answers.")
        return "\n".join(lines)


def hand_in(
    *,
    student_id: str | None = None,
    answers_dir: PathLike | None = None,
    folder: PathLike | None = None,
    banks_dir: PathLike | None = None,
    now: datetime | None = None,
) -> HandIn:
    """Write the learner's submission file; ClassroomError if there is nothing to hand in or no
    folder can take it."""
    sid = validate_student_id(student_id) if student_id else known_student_id()
    if sid is None:
        raise ClassroomError("No student id yet: enter your id in an exercise notebook first "
                             "(or set CSTO_STUDENT_ID), then hand in.")
    answers = resolve_answers_dir(answers_dir)
    sheets, included, left_out = [], [], []
    for name, sheet_or_reason in _learner_sheets(answers, sid, banks_dir):
        if isinstance(sheet_or_reason, str):
            left_out.append((name, sheet_or_reason))
        else:
            sheets.append(sheet_or_reason)
            included.append(name)
    if not sheets:
        raise ClassroomError(f"Nothing to hand in: no usable answer sheet of student {sid!r} "
                             f"in {answers}. Answer some questions first.")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    text = json.dumps({"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "student_id": sid,
                       "submitted_at": moment.strftime(TIME_FORMAT), "sheets": sheets},
                      indent=1, ensure_ascii=False) + "\n"
    path, note = _write_with_fallback(working_folder(folder), submission_name(sid), text)
    return HandIn(path, sid, included, left_out, note)


def _learner_sheets(
    answers: Path, student_id: str, banks_dir: PathLike | None
) -> Iterator[tuple[str, dict | str]]:
    """Each exercise with the learner's sheet as JSON data, or why it is left out."""
    for name in bank_names(banks_dir):
        path = sheet_path(answers, name, student_id)
        if not path.exists():
            yield name, NOT_STARTED
            continue
        try:
            data = read_sheet_data(path)
            sheet = AnswerSheet.from_data(data, path.name)
            problems = sheet_problems(sheet, load_bank(name, banks_dir), path.name, student_id)
        except SheetError as error:
            problems = [str(error).rstrip(".")]
        if problems:
            yield name, f"its answer sheet cannot be used: {problems[0]}"
        else:
            yield name, data  # as written: a version-1 sheet keeps its bank version


def _write_with_fallback(folder: Path, name: str, text: str) -> tuple[Path, str]:
    try:
        return write_text_atomic(folder / name, text), ""
    except OSError as error:
        home = Path.home()
        if folder.resolve() == home.resolve():
            raise ClassroomError(f"Could not write {name} to {folder} "
                                 f"({error.strerror}).") from None
        try:
            path = write_text_atomic(home / name, text)
        except OSError as second:
            raise ClassroomError(f"Could not write {name} to {folder} ({error.strerror}) nor to "
                                 f"your home folder {home} ({second.strerror}).") from None
        return path, (f"Your working folder {folder} cannot be written ({error.strerror}), so "
                      "the file is in your home folder instead.")


@dataclass
class Submission:
    """A submission file as read back by the teacher: whose, when, and its sheets (unchecked
    JSON data: each one goes through the kit's sheet reader before it is used)."""

    student_id: str
    submitted_at: datetime
    sheets: list[object]


def parse_submission(data: object, name: str) -> Submission:
    """Check the envelope of a submission file; SheetError names the file and the field."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise SheetError(f"{name} is not a CSTO submission file (expected \"schema\": "
                         f"\"{SCHEMA}\").")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise SheetError(f"{name} has submission schema version {data.get('schema_version')!r};"
                         f" this course reads version {SCHEMA_VERSION}.")
    try:
        student_id = validate_student_id(data.get("student_id"))
    except ExerciseError as error:
        raise SheetError(f"{name}, field 'student_id': {error}") from None
    stamp = data.get("submitted_at")
    try:
        submitted_at = datetime.strptime(str(stamp), TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise SheetError(f"{name}, field 'submitted_at': expected a UTC time such as "
                         f"2025-03-01T14:05:09Z; found {stamp!r}.") from None
    sheets = data.get("sheets")
    if not isinstance(sheets, list) or len(sheets) > MAX_SHEETS:
        raise SheetError(f"{name}, field 'sheets': expected a list of at most {MAX_SHEETS} "
                         f"answer sheets; found {type(sheets).__name__}"
                         + (f" of {len(sheets)}" if isinstance(sheets, list) else "") + ".")
    return Submission(student_id, submitted_at, sheets)
