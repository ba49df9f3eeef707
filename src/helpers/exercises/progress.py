"""A learner's progress across every exercise notebook, read from their answer sheets."""

from __future__ import annotations

import os

import pandas as pd

from helpers.exercises.bank import bank_names, load_bank
from helpers.exercises.errors import SheetError
from helpers.exercises.report import score_of
from helpers.exercises.sheet import read_sheet, resolve_answers_dir, sheet_path
from helpers.exercises.student import known_student_id
from helpers.exercises.versions import reconcile, sheet_problems

PathLike = str | os.PathLike[str]


def progress_table(
    answers_dir: PathLike | None = None,
    student_id: str | None = None,
    banks_dir: PathLike | None = None,
) -> pd.DataFrame:
    """One row per exercise notebook: questions, answered, correct, score and status.

    Read-only: an unusable sheet is reported in ``status`` and left where it is (the exercise
    notebook itself moves it aside when the learner opens it); answers to changed questions are
    counted as checked against the current version.
    """
    student = student_id or known_student_id()
    directory = resolve_answers_dir(answers_dir)
    rows = []
    for name in bank_names(banks_dir):
        bank = load_bank(name, banks_dir)
        row = {"exercise": name, "title": bank.title, "questions": len(bank.questions),
               "answered": 0, "correct": 0, "score_percent": 0.0, "status": "not started"}
        path = sheet_path(directory, name, student) if student else None
        if path is not None and os.path.lexists(path):
            try:
                sheet = read_sheet(path)
                problems = sheet_problems(sheet, bank, path.name, student)
            except SheetError as error:
                problems = [str(error).rstrip(".")]
            if problems:
                row["status"] = f"answer sheet not usable: {problems[0]}"
            else:
                unfit = len(reconcile(sheet, bank))
                results = {qid: saved.result for qid, saved in sheet.answers.items()}
                score = score_of(bank, results)
                answered = score.answered + score.reflections_saved
                status = "complete" if answered == len(bank.questions) else "in progress"
                if unfit == 1:
                    status += "; 1 answer does not fit its question as it is now and is not counted"
                elif unfit:
                    status += (f"; {unfit} answers do not fit their questions as they are now "
                               "and are not counted")
                row |= {
                    "answered": answered,
                    "correct": sum(bool(result.correct) for result in results.values()),
                    "score_percent": score.percent,
                    "status": status,
                }
        rows.append(row)
    return pd.DataFrame(rows)


def show_progress(
    answers_dir: PathLike | None = None,
    student_id: str | None = None,
    banks_dir: PathLike | None = None,
) -> None:
    """Print the progress table with a one-line summary in words."""
    student = student_id or known_student_id()
    table = progress_table(answers_dir, student, banks_dir)
    if student is None:
        print("No student id yet: open an exercise notebook and enter your id (or set "
              "CSTO_STUDENT_ID) to keep your answers and see your progress here.")
    else:
        done = int(table["answered"].sum())
        print(f"Progress of student {student!r}: {done} of {int(table['questions'].sum())} "
              f"questions answered across {len(table)} exercise notebooks.")
    for row in table.itertuples():
        print(f"- {row.exercise} ({row.title}): {row.answered} of {row.questions} answered, "
              f"{row.correct} correct, score {row.score_percent:g}%; {row.status}.")
