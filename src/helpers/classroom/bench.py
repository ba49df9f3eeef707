"""Benchmark of the classroom loop (part of ``make bench``; never a test).

Generates a class of 300 students x every exercise notebook (answer sheets made by the exercise
kit, with varied answers), lays them out as home folders on a hub and as a Canvas submissions zip,
then times ``csto-collect`` and ``csto-grade`` (with the Canvas and Moodle files) as the teacher
runs them, each in a fresh process, and prints each one's wall time, CPU time (wall time grows
when other work shares the machine) and peak memory (maximum resident set).
Target: collect + grade under 10 s and under 500 MB.

Usage: ``python -m helpers.classroom.bench [--students 300]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from helpers.classroom.submission import SCHEMA, SCHEMA_VERSION, submission_name
from helpers.exercises.bank import bank_names, load_bank
from helpers.exercises.questions import dataset_tables
from helpers.exercises.quiz import load_quiz
from helpers.exercises.sheet import read_sheet, sheet_path

STUDENTS = 300
TARGET_SECONDS = 10.0
TARGET_MB = 500.0
VARIANTS = 4  # every question / the first half / every other one / all but the last


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    output: str


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=STUDENTS)
    args = parser.parse_args(argv)
    print_figures(args.students)
    return 0


def print_figures(students: int = STUDENTS) -> None:
    exercises = bank_names()
    print(f"\nClassroom: {students} students x {len(exercises)} exercise notebooks "
          f"(target: collect + grade under {TARGET_SECONDS:g} s and {TARGET_MB:g} MB; load "
          f"average at the start: {load_average()})")
    with tempfile.TemporaryDirectory(prefix="csto-bench-class-") as scratch:
        root = Path(scratch)
        started = time.perf_counter()
        sheets = generate_class(root, students, exercises)
        print(f"  generated {sheets} answer sheets in {time.perf_counter() - started:.1f} s "
              "(not timed below)")
        roster = write_roster(root, students)
        hub = run_command("helpers.classroom.collect", f"{root}/home/*/.csto-course/answers",
                          "--roster", str(roster), "--out", str(root / "collected"))
        show("collect from hub home folders", hub)
        canvas = run_command("helpers.classroom.collect", str(write_canvas_zip(root)),
                             "--roster", str(roster), "--out", str(root / "from-canvas"))
        show("collect from a Canvas zip of submission files", canvas)
        grade = run_command("helpers.exercises.grading", str(root / "collected"),
                            "--out", str(root / "grades"), "--roster", str(roster),
                            "--canvas", str(root / "grades" / "canvas.csv"),
                            "--moodle", str(root / "grades" / "moodle.csv"))
        show("grade (gradebook, item analysis, Canvas and Moodle files)", grade)
    total, peak = hub.seconds + grade.seconds, max(hub.peak_mb, grade.peak_mb)
    met = total < TARGET_SECONDS and peak < TARGET_MB
    print(f"  collect + grade: {total:.2f} s ({hub.cpu_seconds + grade.cpu_seconds:.2f} s of "
          f"CPU), peak {peak:.0f} MB: {'target met' if met else 'TARGET MISSED'}")
    print(f"  load average (1, 5, 15 min) at the end: {load_average()}")


def load_average() -> str:
    """How busy the machine was: wall times grow with it, CPU times do not."""
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "not available"


def show(what: str, run: Run) -> None:
    print(f"  {what}: {run.seconds:.2f} s ({run.cpu_seconds:.2f} s of CPU), peak memory "
          f"{run.peak_mb:.0f} MB")
    print(f"    {run.output.splitlines()[0] if run.output else '(no output)'}")


def run_command(module: str, *args: str) -> Run:
    """Run ``python -m module args`` and measure its wall time and peak resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", module, *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        print(f"  python -m {module} failed ({process.returncode}):\n{output}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def generate_class(root: Path, students: int, exercises: list[str]) -> int:
    """One sheet per student and exercise in ``root/home/<id>/.csto-course/answers``, from a
    few answer patterns saved through the exercise kit, then given each student's id."""
    tables = dataset_tables()
    templates = root / "templates"
    count = 0
    for exercise in exercises:
        bank = load_bank(exercise)
        key = {question.id: question.expected(tables) for question in bank.questions}
        ids = list(key)
        patterns = [ids, ids[: len(ids) // 2], ids[::2], ids[:-1]]
        sheets = []
        for number, chosen in enumerate(patterns[:VARIANTS]):
            load_quiz(exercise, answers={qid: key[qid] for qid in chosen},
                      answers_dir=templates, student_id=f"template{number}")
            sheets.append(read_sheet(sheet_path(templates, exercise, f"template{number}")))
        for index in range(students):
            student = student_id(index)
            sheet = sheets[index % VARIANTS]
            sheet.student_id = student
            folder = root / "home" / student / ".csto-course" / "answers"
            folder.mkdir(parents=True, exist_ok=True)
            sheet_path(folder, exercise, student).write_text(sheet.to_json(), encoding="utf-8")
            count += 1
    return count


def student_id(index: int) -> str:
    return f"s{index + 1:04d}"


def write_roster(root: Path, students: int) -> Path:
    lines = ["id,name,email,lms_id"] + [
        f"{student_id(i)},Student {i + 1},{student_id(i)}@example.edu,{10_000 + i}"
        for i in range(students)]
    path = root / "roster.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_canvas_zip(root: Path) -> Path:
    """Each student's sheets as one submission file, named inside the zip as Canvas names it."""
    path = root / "canvas-submissions.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, home in enumerate(sorted((root / "home").iterdir())):
            answers = home / ".csto-course" / "answers"
            sheets = [json.loads(sheet.read_text(encoding="utf-8"))
                      for sheet in sorted(answers.glob("*.json"))]
            submission = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION,
                          "student_id": home.name, "submitted_at": "2025-03-01T12:00:00Z",
                          "sheets": sheets}
            name = f"student{index}_{10_000 + index}_{90_000 + index}_" \
                   f"{submission_name(home.name)}"
            archive.writestr(name, json.dumps(submission))
    return path


if __name__ == "__main__":
    sys.exit(main())
