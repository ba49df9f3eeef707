"""``csto-collect``: gather students' answer sheets into one folder for ``csto-grade``.

Sources, any number and mix of them:

- a glob of answer folders on a hub, quoted so the shell leaves it alone:
  ``'/home/*/.csto-course/answers'``;
- a folder of answer sheets and/or submission files (``csto-submission-<id>.json``, written by the
  hand-in button); zips in it are read as LMS downloads;
- an LMS bulk download: Moodle's "Download all submissions" zip or Canvas's "Download
  Submissions" zip (see ``helpers.classroom.lms_zip`` for their layouts).

Every sheet is checked with the exercise kit's reader before it is kept. Hidden files (the lock
and temporary files beside answer sheets) are skipped and counted. Two sheets for one
student and exercise: the latest is kept (by the time the sheet itself records for its last
attempt, else the hand-in time of a submission, else the file's time; the report says which) and
both are reported. An unreadable folder, a junk
file, a zip that is not one, an unsafe zip entry, a sheet whose LMS uploader is another student
on the roster, a student missing from the roster: each is a line in the report, never the end of
the run. The folder is built beside its destination and moved into place only when complete, so
a failed run leaves nothing half-written.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from helpers.bounded_read import UnusableFile, read_bounded_file
from helpers.classroom.errors import ClassroomError
from helpers.classroom.folders import (
    MAX_FILE_BYTES,
    answers_folder_owner,
    expand_folders,
    has_wildcards,
    is_user,
)
from helpers.classroom.lms_zip import Uploader, read_members
from helpers.classroom.roster import Roster, read_roster
from helpers.classroom.submission import SCHEMA as SUBMISSION_SCHEMA
from helpers.classroom.submission import parse_submission
from helpers.exercises.bank import bank_names
from helpers.exercises.errors import ExerciseError, SheetError
from helpers.exercises.sheet import (
    MAX_SHEET_BYTES,
    TIME_FORMAT,
    AnswerSheet,
    load_sheet_json,
    sheet_path,
)
from helpers.files import write_text_atomic

REPORT_NAME = "collect_report.txt"
_STAGED = "csto-staged-{:06d}.json"
# Report sections: key -> (heading in the report, short name in the terminal summary).
SECTIONS = {
    "sources": ("Sources", "sources"),
    "duplicates": ("Two or more sheets for one student and exercise: the latest is kept",
                   "duplicates"),
    "skipped": ("Not collected", "not collected"),
    "not_on_roster": ("Not on the roster (collected; csto-grade lists them)", "not on the roster"),
    "not_collected": ("On the roster, but no sheet collected", "on the roster without a sheet"),
    "roster": ("Roster problems", "roster problems"),
    "notes": ("Notes", "notes"),
}


@dataclass(frozen=True)
class Candidate:
    """One readable sheet: whose, for which exercise, where it came from and how recent it is."""

    student_id: str
    exercise: str
    staged: Path
    origin: str
    time: datetime
    basis: str

    def described(self) -> str:
        return f"{self.origin} ({self.basis} {self.time:%Y-%m-%d %H:%M:%S} UTC)"


@dataclass
class Report:
    """Lines by section; written as the report file and summarised on the terminal."""

    lines: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, section: str, line: str) -> None:
        self.lines[section].append(line)

    def count(self, section: str) -> int:
        return len(self.lines.get(section, []))

    def text(self, headline: str) -> str:
        parts = ["csto-collect report", headline]
        for key, (title, _) in SECTIONS.items():
            if self.lines.get(key):
                parts += ["", f"{title} ({len(self.lines[key])})"]
                parts += [f"- {line}" for line in self.lines[key]]
        return "\n".join(parts) + "\n"


class Collector:
    """Reads sources into a staging folder; ``finish`` keeps the latest sheet of each pair."""

    def __init__(self, staging: Path, roster: Roster | None, exercises: list[str]) -> None:
        self.staging, self.roster, self.exercises = staging, roster, exercises
        self.incoming = staging / ".incoming"
        self.incoming.mkdir()
        self.report = Report()
        self.candidates: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        self.not_on_roster: dict[str, str] = {}
        self.unmapped_uploaders: set[Uploader] = set()
        self.files_read = 0
        self.accepted = 0
        self.hidden = 0
        self._counter = 0

    def add_source(self, source: str) -> None:
        path = Path(source).expanduser()
        before = (self.files_read, self.accepted, self.hidden)
        if has_wildcards(source):
            what = self._add_pattern(source)
        elif path.is_symlink():
            self.report.add("skipped", f"{source}: symbolic link, not followed.")
            return
        elif path.is_dir():
            what = "folder"
            self._add_folder(path)
        elif path.is_file() and path.suffix.lower() == ".zip":
            what = "zip"
            self._add_zip(path)
        elif path.is_file():
            what = "file"
            self._add_file(path)
        else:
            self.report.add("skipped", f"{source}: no such file or folder.")
            return
        files, sheets = self.files_read - before[0], self.accepted - before[1]
        self.report.add("sources", f"{source} ({what}): {_count(files, 'file')} read, "
                                   f"{_count(sheets, 'answer sheet')} found in them.")
        if self.hidden > before[2]:
            self.report.add("notes", f"{source}: {_count(self.hidden - before[2], 'hidden file')}"
                                     " skipped (the lock and temporary files of answer sheets).")

    def _add_pattern(self, pattern: str) -> str:
        expansion = expand_folders(pattern)
        for line in expansion.problems:
            self.report.add("skipped", line)
        for line in expansion.missing:
            self.report.add("notes", line)
        for folder in expansion.folders:
            self._add_folder(folder)
        return f"{len(expansion.folders)} folders"

    def _add_folder(self, folder: Path) -> None:
        home_of = answers_folder_owner(folder)
        try:
            with os.scandir(folder) as entries:
                found = sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            self.report.add("skipped", f"{folder}: folder cannot be read ({error.strerror}); "
                                       "nothing in it is collected.")
            return
        for entry in found:
            path = Path(entry.path)
            if entry.name.startswith("."):
                self.hidden += 1
            elif entry.is_symlink():
                self.report.add("skipped", f"{path}: symbolic link, not followed.")
            elif entry.is_dir(follow_symlinks=False):
                self.report.add("skipped", f"{path}: sub-folder, not searched (give it as a "
                                           "source of its own).")
            elif entry.name.lower().endswith(".zip"):
                self._add_zip(path)
            elif entry.name.lower().endswith(".json"):
                self._add_file(path, home_of)
            else:
                self.report.add("skipped", f"{path}: not a .json file (not an answer sheet or "
                                           "submission).")

    def _add_file(self, path: Path, home_of: str | None = None) -> None:
        try:
            data, status = read_bounded_file(path, MAX_FILE_BYTES, follow_symlinks=False)
        except UnusableFile as error:
            self.report.add("skipped", f"{path}: not read ({error}).")
            return
        self.files_read += 1
        self._add_bytes(data, str(path), datetime.fromtimestamp(status.st_mtime, UTC),
                        "file time", home_of=home_of)

    def _add_zip(self, path: Path) -> None:
        problems: list[str] = []
        try:
            for member in read_members(path, problems):
                self.files_read += 1
                self._add_bytes(member.data, f"{path.name}: {member.name}", member.time,
                                "zip entry time", member.uploader)
        except zipfile.BadZipFile:
            problems.append(f"{path}: not a zip file, or a damaged one; nothing in it is "
                            "collected.")
        except OSError as error:
            problems.append(f"{path}: cannot be read ({error.strerror}).")
        for line in problems:
            self.report.add("skipped", line)

    def _add_bytes(self, data: bytes, origin: str, time: datetime, basis: str,
                   uploader: Uploader | None = None, home_of: str | None = None) -> None:
        """A sheet, or a submission holding sheets: each sheet goes on through ``_add_sheet``."""
        try:
            parsed = load_sheet_json(data, origin)
        except SheetError as error:
            self.report.add("skipped", str(error))
            return
        if not (isinstance(parsed, dict) and parsed.get("schema") == SUBMISSION_SCHEMA):
            self._add_sheet(parsed, data, origin, time, basis, uploader, home_of=home_of)
            return
        try:
            submission = parse_submission(parsed, origin)
        except SheetError as error:
            self.report.add("skipped", str(error))
            return
        for number, sheet in enumerate(submission.sheets, start=1):
            self._add_sheet(sheet, json.dumps(sheet, ensure_ascii=False).encode(),
                            f"{origin} (sheet {number})", submission.submitted_at,
                            "hand-in time", uploader, submission.student_id, home_of)

    def _add_sheet(self, data: object, raw: bytes, origin: str, time: datetime, basis: str,
                   uploader: Uploader | None, handed_in_by: str | None = None,
                   home_of: str | None = None) -> None:
        """Check one sheet (``data``, parsed from ``raw``) as the kit reads it, then stage
        ``raw`` as a candidate; ``raw`` is what csto-grade reads later."""
        if len(raw) > MAX_SHEET_BYTES:
            self.report.add("skipped", f"{origin}: not read (found {len(raw):,} bytes; expected "
                                       f"an answer sheet of at most {MAX_SHEET_BYTES:,} bytes).")
            return
        try:
            sheet = AnswerSheet.from_data(data, origin)
        except SheetError as error:
            self.report.add("skipped", str(error))
            return
        reason = self._identity_problem(sheet.student_id, sheet.bank, uploader, handed_in_by,
                                        home_of)
        if reason:
            self.report.add("skipped", f"{origin}: {reason}; not collected.")
            return
        if self.roster is not None and sheet.student_id not in self.roster:
            self.not_on_roster.setdefault(sheet.student_id, origin)
        if sheet.legacy_bank_version is not None:
            self.report.add("notes", f"{origin}: saved before questions had versions (answer "
                                     "sheet schema version 1, exercise version "
                                     f"{sheet.legacy_bank_version}); collected as it is, and "
                                     "csto-grade checks its answers against the current "
                                     "questions.")
        saved = saved_time(sheet)
        if saved is not None:
            time, basis = saved, "saved time in the sheet"
        self._counter += 1
        staged = self.incoming / _STAGED.format(self._counter)
        staged.write_bytes(raw)
        self.candidates[(sheet.student_id, sheet.bank)].append(
            Candidate(sheet.student_id, sheet.bank, staged, origin, time, basis))
        self.accepted += 1

    def _identity_problem(self, student: str, exercise: str, uploader: Uploader | None,
                          handed_in_by: str | None, home_of: str | None = None) -> str | None:
        """Why a readable sheet is not kept: unknown exercise, or it is not the uploader's (or
        not the home owner's)."""
        if exercise not in self.exercises:
            return (f"answer sheet of an unknown exercise {exercise!r} (this course has "
                    f"{', '.join(self.exercises)})")
        if home_of is not None and student != home_of and is_user(student):
            return (f"the sheet of student {student!r} is in the answers folder of user "
                    f"{home_of!r}, and {student!r} is another user here (a student's sheets are "
                    "collected from their own home only)")
        if handed_in_by is not None and student != handed_in_by:
            return f"the submission of {handed_in_by!r} holds a sheet of student {student!r}"
        if uploader is None:
            return None
        on_roster = self.roster.student_for_lms_id(uploader.lms_id) if self.roster else None
        if on_roster is None:
            self.unmapped_uploaders.add(uploader)
        elif on_roster != student:
            return (f"uploaded by {uploader.describe()}, who is {on_roster!r} on the roster, but "
                    f"the sheet is student {student!r}'s (correct the roster's lms_id, or ask "
                    f"{on_roster!r} to hand in under their own id)")
        return None

    def finish(self) -> int:
        """Keep the latest sheet of each student and exercise under its standard name; report
        the rest. Returns the number of sheets kept."""
        for (student, exercise), found in sorted(self.candidates.items()):
            ordered = sorted(found, key=lambda candidate: (candidate.time, candidate.origin))
            kept = ordered[-1]
            os.replace(kept.staged, sheet_path(self.staging, exercise, student))
            if len(ordered) > 1:
                tie = " (same time: kept the last by name)" if ordered[-2].time == kept.time else ""
                others = "; ".join(candidate.described() for candidate in ordered[:-1])
                self.report.add("duplicates", f"student {student!r}, exercise {exercise}: kept "
                                              f"{kept.described()}{tie}; also found {others}.")
                for candidate in ordered[:-1]:
                    candidate.staged.unlink()
        shutil.rmtree(self.incoming)
        self._report_roster()
        return len(self.candidates)

    def _report_roster(self) -> None:
        for uploader in sorted(self.unmapped_uploaders, key=lambda u: (u.system, int(u.lms_id))):
            where = "the roster's lms_id column" if self.roster else "a roster (no --roster)"
            self.report.add("notes", f"{uploader.describe()} is not in {where}: their sheets "
                                     "are filed under the student id written in them.")
        if self.roster is None:
            return
        self.report.lines["roster"] += self.roster.problems
        for student, origin in sorted(self.not_on_roster.items()):
            self.report.add("not_on_roster", f"student {student!r} (first seen in {origin}).")
        students = {student for student, _ in self.candidates}
        for student in self.roster.students.values():
            if student.id not in students:
                name = f" ({student.name})" if student.name else ""
                self.report.add("not_collected", f"{student.id}{name}")


def saved_time(sheet: AnswerSheet) -> datetime | None:
    """When the sheet says it was last saved: its latest attempt time (sheets keep the UTC time
    of each attempt from schema version 2 on); None for a sheet without times (schema version
    1, or no answer yet)."""
    times = [attempt.at for saved in sheet.answers.values() for attempt in saved.history]
    try:
        return datetime.strptime(max(times), TIME_FORMAT).replace(tzinfo=UTC) if times else None
    except ValueError:
        return None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass
class Collection:
    out: Path
    sheets: int
    students: int
    report: Report
    headline: str


def collect(sources: list[str], out: str | os.PathLike[str], *,
            roster: str | os.PathLike[str] | None = None,
            banks_dir: str | None = None) -> Collection:
    """Collect ``sources`` into the folder ``out`` (replacing an earlier collection there)."""
    out = Path(out)
    _check_destination(out)
    class_roster = read_roster(roster) if roster is not None else None
    exercises = bank_names(banks_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.collecting-"))
    try:
        collector = Collector(staging, class_roster, exercises)
        for source in sources:
            collector.add_source(source)
        sheets = collector.finish()
        students = len({student for student, _ in collector.candidates})
        headline = (f"Collected {_count(sheets, 'answer sheet')} of "
                    f"{_count(students, 'student')} into {out}.")
        write_text_atomic(staging / REPORT_NAME, collector.report.text(headline))
        _publish(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Collection(out, sheets, students, collector.report, headline)


def _check_destination(out: Path) -> None:
    """Refuse an ``--out`` that is a file or a folder holding anything but an earlier
    collection, so collecting never deletes a file it did not write."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise ClassroomError(f"--out {str(out)!r} exists and is not a folder; give a new or "
                             "empty folder, or one an earlier csto-collect wrote.")
    if not out.is_dir():
        return
    names = os.listdir(out)
    foreign = sorted(name for name in names
                     if name != REPORT_NAME and not (name.endswith(".json")
                                                     and (out / name).is_file()))
    if foreign or (names and REPORT_NAME not in names):
        example = (foreign or sorted(names))[0]
        raise ClassroomError(f"--out {str(out)!r} holds files csto-collect did not write (for "
                             f"example {example!r}); give a new or empty folder, or one an "
                             "earlier csto-collect wrote (it is then replaced).")


def _publish(staging: Path, out: Path) -> None:
    """Move the finished folder into place; an earlier collection is swapped out, then removed.

    The folder stays private to the teacher (mode 0700, as created): it holds every student's
    answers."""
    if not out.exists():
        os.rename(staging, out)
        return
    previous = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.previous-"))
    os.rename(out, previous / out.name)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(previous / out.name, out)
        raise
    shutil.rmtree(previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="csto-collect", description=__doc__.splitlines()[0],
        epilog="Example: csto-collect '/home/*/.csto-course/answers' moodle-download.zip "
               "--roster roster.csv --out collected")
    parser.add_argument("sources", nargs="+",
                        help="answer folders (a quoted glob such as "
                             "'/home/*/.csto-course/answers'), folders of submission files, or "
                             "Moodle/Canvas submission zips")
    parser.add_argument("--out", type=Path, default=Path("collected"),
                        help="folder for the collected sheets and the report (default: "
                             "./collected; an earlier collection there is replaced)")
    parser.add_argument("--roster", type=Path,
                        help="class roster CSV (columns id, name, email, lms_id, section)")
    parser.add_argument("--banks-dir", help="folder of question banks (default: exercises/banks)")
    args = parser.parse_args(argv)
    try:
        result = collect(args.sources, args.out, roster=args.roster, banks_dir=args.banks_dir)
    except (ExerciseError, OSError) as error:
        message = (f"{error.filename}: {error.strerror}" if isinstance(error, OSError)
                   and error.strerror else str(error))
        print(f"csto-collect: {message}", file=sys.stderr)
        return 1
    print(result.headline)
    for line in result.report.lines.get("sources", []):
        print(f"  {line}")
    counts = [f"{short}: {result.report.count(key)}" for key, (_, short) in SECTIONS.items()
              if key != "sources" and result.report.count(key)]
    print(f"Report: {result.out / REPORT_NAME}" + (f" ({'; '.join(counts)})" if counts else ""))
    return 0 if result.sheets else 1


if __name__ == "__main__":
    sys.exit(main())
