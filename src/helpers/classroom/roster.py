"""The class roster: who is enrolled, and how the LMS knows them.

A roster is a CSV file with a header row. Columns (header names are case-insensitive, any order):

- ``id`` (required): the student id the learner enters in the exercise notebooks, which is on
  every answer sheet (letters, digits, ``.``, ``-``, ``_``).
- ``name``: the name shown in the LMS files (Canvas's "Student" column, Moodle's "Full name").
- ``email``: exported as Moodle's "Email address" and Canvas's "SIS Login ID" (match on it when
  your LMS logs students in by email).
- ``lms_id``: the number the LMS gives the student: the Canvas user id (Canvas's "ID" column, also
  in the names of a Canvas submissions zip) or, for Moodle, the participant number in the names of
  the "Download all submissions" zip (the grading worksheet shows it as "Participant NNN").
- ``section``: exported as Canvas's "Section".

The roster is the teacher's own file, but it is checked like any input: a missing, invalid or
repeated id, a repeated ``lms_id``, text that is not UTF-8 and cells that a spreadsheet would run
as a formula each give a line naming the line and column; the rest of the roster is used.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers.bounded_read import UnusableFile, read_bounded
from helpers.classroom.errors import ClassroomError
from helpers.exercises.errors import ExerciseError
from helpers.exercises.student import validate_student_id
from helpers.files import neutralise_formula

COLUMNS = ("id", "name", "email", "lms_id", "section")
MAX_ROSTER_BYTES = 10_000_000
_LMS_ID = re.compile(r"[0-9]{1,20}")


@dataclass(frozen=True)
class Student:
    """One roster row; empty text where the roster has no value."""

    id: str
    name: str = ""
    email: str = ""
    lms_id: str = ""
    section: str = ""
    line: int = 0


@dataclass
class Roster:
    """The usable rows by student id, the LMS ids that map to them, and what was wrong."""

    source: str
    students: dict[str, Student] = field(default_factory=dict)
    by_lms_id: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def __contains__(self, student_id: object) -> bool:
        return student_id in self.students

    def student_for_lms_id(self, lms_id: str) -> str | None:
        return self.by_lms_id.get(lms_id)


def read_roster(path: str | os.PathLike[str]) -> Roster:
    """Read and check a roster; ClassroomError only if there is no usable header or file."""
    path = Path(path)
    try:
        raw = read_bounded(path, MAX_ROSTER_BYTES)
    except UnusableFile as problem:
        raise ClassroomError(f"Roster {str(path)!r} cannot be read ({problem}); expected a CSV "
                             "of one row per student.") from None
    roster = Roster(path.name)
    text = _decode(raw, roster)
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    columns = _header_columns(header, path.name)
    for extra in sorted(set(columns) - set(COLUMNS)):
        roster.problems.append(f"{path.name}: column {extra!r} is not used (the roster's "
                               f"columns are {', '.join(COLUMNS)}).")
    try:
        for row in rows:
            _add_row(roster, columns, row, rows.line_num)
    except csv.Error as error:
        roster.problems.append(f"{path.name}, line {rows.line_num}: not valid CSV ({error}); "
                               "the lines after it are not read.")
    return roster


def _decode(raw: bytes, roster: Roster) -> str:
    """UTF-8 (with or without the byte-order mark Excel adds); other bytes become U+FFFD, with a
    line for each line that had them, so names stay readable and ids fail their check."""
    text = raw.decode("utf-8-sig", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if "\ufffd" in line:
            roster.problems.append(
                f"{roster.source}, line {number}: not UTF-8 text (unreadable characters are "
                "shown as \ufffd); save the roster as \"CSV UTF-8\" from your spreadsheet.")
    return text


def _header_columns(header: list[str] | None, name: str) -> list[str]:
    columns = [cell.strip().lower() for cell in header or []]
    if "id" not in columns:
        raise ClassroomError(
            f"Roster {name}: the first row must be a header with an 'id' column; found "
            f"{header!r}. Expected columns: {', '.join(COLUMNS)} (only id is required).")
    repeated = sorted({column for column in columns if column and columns.count(column) > 1})
    if repeated:
        raise ClassroomError(f"Roster {name}: column(s) {', '.join(repeated)} appear more than "
                             "once in the header; each column must appear once.")
    return columns


def _add_row(roster: Roster, columns: list[str], row: list[str], line: int) -> None:
    if not any(cell.strip() for cell in row):
        return
    where = f"{roster.source}, line {line}"
    if len(row) > len(columns):
        roster.problems.append(f"{where}: {len(row)} cells but the header has {len(columns)}; "
                               "the extra cells are ignored.")
    cells = {column: (row[index].strip() if index < len(row) else "")
             for index, column in enumerate(columns) if column in COLUMNS}
    for column, value in cells.items():
        if column != "id" and neutralise_formula(value) != value:
            roster.problems.append(
                f"{where}, column {column}: {value!r} would run as a formula in a spreadsheet; "
                "it is kept as plain text and neutralised in every CSV written.")
    if not cells["id"]:
        roster.problems.append(f"{where}: no id (expected the student id used in the "
                               "exercise notebooks, such as s1042); row skipped.")
        return
    try:
        student_id = validate_student_id(cells["id"])
    except ExerciseError as error:
        roster.problems.append(f"{where}, column id: {error} Row skipped.")
        return
    if student_id in roster.students:
        first = roster.students[student_id].line
        roster.problems.append(f"{where}: id {student_id!r} is already on line {first}; "
                               "this row is skipped.")
        return
    lms_id = _checked_lms_id(roster, cells.get("lms_id", ""), where)
    roster.students[student_id] = Student(
        student_id, cells.get("name", ""), cells.get("email", ""), lms_id,
        cells.get("section", ""), line)
    if lms_id:
        roster.by_lms_id[lms_id] = student_id
    if cells.get("email") and "@" not in cells["email"]:
        roster.problems.append(f"{where}, column email: {cells['email']!r} is not an email "
                               "address (no @).")


def _checked_lms_id(roster: Roster, value: str, where: str) -> str:
    if not value:
        return ""
    if not _LMS_ID.fullmatch(value):
        roster.problems.append(f"{where}, column lms_id: {value!r} is not an LMS id (expected "
                               "the number Canvas or Moodle gives the student); left empty.")
        return ""
    if value in roster.by_lms_id:
        other = roster.students[roster.by_lms_id[value]]
        roster.problems.append(f"{where}, column lms_id: {value} is already the id of "
                               f"{other.id!r} on line {other.line}; left empty for this row.")
        return ""
    return value
