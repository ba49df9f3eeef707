"""A small class for the classroom tests: two exercises built from the sample bank, sheets saved
the way the exercise notebooks save them, and LMS downloads named the way Moodle and Canvas name
the files in them."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from helpers.exercises.quiz import load_quiz
from helpers.exercises.sheet import sheet_path
from tests.exercise_samples import (
    KEY,
    plain_bank,
    version_1_sheet,
    write_bank,
    write_data_package,
)

EXERCISES = ("extra", "sample")
HALF_KEY = {qid: KEY[qid] for qid in ("treaty_city", "members", "force_size")}


@dataclass(frozen=True)
class Course:
    banks: Path
    data: Path

    def save(self, student: str, folder: Path, exercise: str = "sample",
             answers: dict | None = None, at: str | None = None) -> Path:
        """Answer as a learner would in the exercise notebook; return the sheet's path.

        ``at`` (a UTC time such as 2025-03-01T09:30:00Z) becomes the time of every attempt the
        sheet records, so tests can say which of two sheets is the later one.
        """
        quiz = load_quiz(exercise, answers=KEY if answers is None else answers,
                         answers_dir=folder, student_id=student, banks_dir=self.banks,
                         data_dir=self.data)
        assert not quiz.problems, quiz.problems
        path = sheet_path(folder, exercise, student)
        if at is not None:
            set_attempt_times(path, at)
        return path


def set_attempt_times(sheet: Path, when: str) -> None:
    """Give every attempt a sheet records this time (sheets without attempt times are left)."""
    data = json.loads(sheet.read_text(encoding="utf-8"))
    for record in data["answers"].values():
        for attempt in record.get("history", []):
            attempt["at"] = when
    sheet.write_text(json.dumps(data), encoding="utf-8")


def as_version_1(sheet: Path, bank_version: str = "000000000000") -> None:
    """Rewrite a sheet as the course wrote it before questions had versions: no attempt times."""
    data = json.loads(sheet.read_text(encoding="utf-8"))
    sheet.write_text(json.dumps(version_1_sheet(data, bank_version)), encoding="utf-8")


def make_course(directory: Path) -> Course:
    banks = directory / "banks"
    write_bank(banks)
    write_bank(banks, plain_bank(bank="extra", title="Extra questions",
                                 notebook="extra_exercises.ipynb"))
    return Course(banks, write_data_package(directory / "data"))


def moodle_name(full_name: str, participant: int, filename: str, folders: bool = True) -> str:
    """Moodle's "Download all submissions": a folder per participant, or a flat prefix."""
    prefix = f"{full_name}_{participant}_assignsubmission_file_"
    return f"{prefix}/{filename}" if folders else f"{prefix}{filename}"


def canvas_name(sortable: str, user_id: int, attachment_id: int, filename: str,
                late: bool = False) -> str:
    """Canvas's "Download Submissions": sortable name, LATE mark, user id, attachment id."""
    return f"{sortable}{'_late' if late else ''}_{user_id}_{attachment_id}_{filename}"


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path
