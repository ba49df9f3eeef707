"""Grades into the LMS: the gradebook as a Canvas gradebook import and a Moodle grade import.

``csto-grade FOLDER --roster roster.csv --canvas canvas.csv --moodle moodle.csv`` writes both.
One column per exercise notebook ("CSTO 01_history", ...), holding the score in percent.

- Canvas (Grades > Import): the columns Canvas's own export has, ``Student, ID, SIS User ID,
  SIS Login ID, Section``, then the exercises, and a "Points Possible" row of 100. Canvas finds
  each student by ``ID`` (the Canvas user id: the roster's ``lms_id``), else by ``SIS Login ID``
  (the roster's ``email``), else by name. A column Canvas does not know becomes a new assignment.
- Moodle (Grades > Import > CSV file): ``ID number, Email address, Full name``, then the
  exercises. In the import form, identify users by mapping "ID number" to the user's ID number
  (the roster's ``id``) or "Email address" to the email address, and map each exercise column to
  a grade item (or a new one) with a maximum of 100.

Students are mapped through the roster (``helpers.classroom.roster``): each roster student gets a
row; an exercise with no sheet gets a blank (the LMS leaves the grade as it is) or an explicit 0,
as the teacher chooses with ``--missing``. Students in the gradebook but not on the roster are
listed and left out of both files. Without a roster, every graded student gets a row identified
by the student id alone (in Canvas's "SIS User ID" and Moodle's "ID number"). Every file goes
through ``helpers.files.write_csv_atomic``, which neutralises formulas.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.classroom.errors import ClassroomError
from helpers.classroom.roster import Roster, Student, read_roster
from helpers.files import write_csv_atomic

MISSING = {"blank": "", "zero": "0"}
POINTS_POSSIBLE = "100"
CANVAS_STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_STUDENT_COLUMNS = ["ID number", "Email address", "Full name"]


def exercise_column(exercise: str) -> str:
    return f"CSTO {exercise}"


def add_lms_options(parser: argparse.ArgumentParser) -> None:
    """The LMS options of ``csto-grade``."""
    group = parser.add_argument_group("grades into the LMS")
    group.add_argument("--roster", type=Path,
                       help="class roster CSV (columns id, name, email, lms_id, section; only id "
                            "is required): maps students to their LMS accounts")
    group.add_argument("--canvas", type=Path, metavar="FILE.csv",
                       help="also write a Canvas gradebook import CSV")
    group.add_argument("--moodle", type=Path, metavar="FILE.csv",
                       help="also write a Moodle grade import CSV")
    group.add_argument("--missing", choices=sorted(MISSING), default="blank",
                       help="grade of a roster student with no sheet for an exercise: blank "
                            "(the LMS keeps what it has; the default) or zero")


@dataclass
class LmsExport:
    """The LMS files asked for, with the roster read before any grading starts."""

    roster: Roster | None
    canvas: Path | None
    moodle: Path | None
    missing: str

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> LmsExport:
        """Read the roster and check the output names; ClassroomError names the bad option."""
        targets = [("--canvas", args.canvas), ("--moodle", args.moodle)]
        for option, path in targets:
            if path is not None and path.is_dir():
                raise ClassroomError(f"{option} {str(path)!r} is a folder; give a file name "
                                     "such as grades.csv.")
        if args.canvas is not None and args.canvas == args.moodle:
            raise ClassroomError(f"--canvas and --moodle both name {str(args.canvas)!r}; give "
                                 "two different files.")
        roster = read_roster(args.roster) if args.roster is not None else None
        return cls(roster, args.canvas, args.moodle, args.missing)

    def write(self, gradebook: pd.DataFrame) -> list[str]:
        """Write the files asked for; the lines say what was written and who was left out
        (nothing at all without LMS files or a roster)."""
        if self.roster is None and self.canvas is None and self.moodle is None:
            return []
        rows, outsiders = lms_students(gradebook, self.roster)
        exercises = [column for column in gradebook.columns if column != "student_id"]
        cells, absent = grade_cells(gradebook, rows, exercises, MISSING[self.missing])
        with_roster = self.roster is not None
        lines = []
        what = (f"{len(rows)} students x {len(exercises)} exercises, scores in percent; "
                f"missing sheets {'left blank' if self.missing == 'blank' else 'given 0'}")
        if self.canvas is not None:
            write_csv_atomic(self.canvas, canvas_table(rows, exercises, cells, with_roster))
            lines.append(f"Canvas gradebook import: {self.canvas} ({what}). In Canvas: Grades "
                         "> Import.")
        if self.moodle is not None:
            write_csv_atomic(self.moodle, moodle_table(rows, exercises, cells))
            lines.append(f"Moodle grade import: {self.moodle} ({what}). In Moodle: Grades > "
                         "Import > CSV file; map \"ID number\" (or \"Email address\") to the "
                         "user, and each CSTO column to a grade item out of 100.")
        if self.roster is None:
            lines.append("No roster: each student is identified by their student id alone "
                         "(Canvas's \"SIS User ID\", Moodle's \"ID number\").")
        else:
            lines += [f"Roster: {problem}" for problem in self.roster.problems]
            if outsiders:
                lines.append(f"Not on the roster {self.roster.source} (left out of the LMS "
                             f"files): {', '.join(outsiders)}.")
            if absent:
                lines.append(f"On the roster with no answer sheet at all: {', '.join(absent)}.")
        return lines


def lms_students(gradebook: pd.DataFrame, roster: Roster | None) -> tuple[list[Student], list[str]]:
    """The students who get a row (roster order, or the gradebook's without a roster), and the
    graded students missing from the roster."""
    graded = [str(student) for student in gradebook["student_id"]]
    if roster is None:
        return [Student(student) for student in graded], []
    rows = sorted(roster.students.values(), key=lambda student: student.line)
    return rows, [student for student in graded if student not in roster]


def grade_cells(gradebook: pd.DataFrame, rows: list[Student], exercises: list[str],
                missing: str) -> tuple[dict[str, list[str]], list[str]]:
    """Each row's scores as text (at most two decimals; ``missing`` where there is no sheet),
    and the students with no sheet at all."""
    graded = {str(record["student_id"]): record for record in gradebook.to_dict("records")}
    cells, absent = {}, []
    for student in rows:
        record = graded.get(student.id)
        if record is None:
            absent.append(student.id)
        cells[student.id] = [
            missing if record is None or pd.isna(record[exercise])
            else f"{round(float(record[exercise]), 2):g}"
            for exercise in exercises]
    return cells, absent


def canvas_table(rows: list[Student], exercises: list[str], cells: dict[str, list[str]],
                 with_roster: bool) -> pd.DataFrame:
    """Canvas's gradebook columns, a "Points Possible" row, then one row per student."""
    columns = CANVAS_STUDENT_COLUMNS + [exercise_column(exercise) for exercise in exercises]
    records = [["Points Possible", "", "", "", ""] + [POINTS_POSSIBLE] * len(exercises)]
    for student in rows:
        identity = ([student.name or student.id, student.lms_id, "", student.email,
                     student.section] if with_roster else [student.id, "", student.id, "", ""])
        records.append(identity + cells[student.id])
    return pd.DataFrame(records, columns=columns, dtype=object)


def moodle_table(rows: list[Student], exercises: list[str],
                 cells: dict[str, list[str]]) -> pd.DataFrame:
    """Moodle's identifier columns, then one row per student."""
    columns = MOODLE_STUDENT_COLUMNS + [exercise_column(exercise) for exercise in exercises]
    records = [[student.id, student.email, student.name or student.id] + cells[student.id]
               for student in rows]
    return pd.DataFrame(records, columns=columns, dtype=object)
