"""``csto-grade``: a folder of answer sheets -> gradebook, per-question grades, item analysis.

Every answer is checked again with the current bank (a sheet's stored scores are not trusted), so
the gradebook follows the key; answers given before a question's key or options changed are
marked. Sheets that are malformed, duplicated, misnamed or for an unknown exercise are reported
by file name and skipped; they never stop the run, and the gradebook is written for the rest.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.charts import description_of
from helpers.classroom.lms import LmsExport, add_lms_options
from helpers.exercises.analysis import item_analysis, item_analysis_figure, option_shares
from helpers.exercises.bank import Bank, bank_names, load_bank
from helpers.exercises.errors import ExerciseError
from helpers.exercises.questions import (
    BatchTables,
    Question,
    TableSource,
    check,
    dataset_tables,
)
from helpers.exercises.report import score_of
from helpers.exercises.sheet import AnswerSheet, SavedAnswer, read_sheet
from helpers.exercises.versions import REMOVED, changed_since_answer, reconcile, sheet_problems
from helpers.files import write_csv_atomic, write_text_atomic

OUTPUT_FILES = ("gradebook.csv", "gradebook_items.csv", "item_analysis.csv", "item_options.csv",
                "item_analysis.html")


@dataclass
class Grades:
    gradebook: pd.DataFrame
    items: pd.DataFrame
    analysis: pd.DataFrame
    options: pd.DataFrame = field(default_factory=pd.DataFrame)
    graded_files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # Answers this run leaves out of grading (file, question, why); the sheets keep them.
    archived: list[tuple[str, str, str]] = field(default_factory=list)
    # Sheets saved before questions had versions (file, the whole exercise's version then).
    older: list[tuple[str, str]] = field(default_factory=list)


def grade_folder(folder: Path, banks_dir: str | None = None,
                 data_dir: str | None = None) -> Grades:
    """Read every ``*.json`` in ``folder`` and grade the usable sheets against the current banks.

    ExerciseError only when nothing can be graded at all (no folder, no usable sheet, a bank
    that cannot be read); one bad sheet is listed in ``skipped`` and the rest are graded.
    """
    if not folder.is_dir():
        raise ExerciseError(f"{str(folder)!r} is not a folder of answer sheets.")
    try:
        names = sorted(name for name in os.listdir(folder) if name.endswith(".json"))
    except OSError as error:
        raise ExerciseError(f"{str(folder)!r} cannot be read ({error.strerror}).") from None
    banks = {name: load_bank(name, banks_dir) for name in bank_names(banks_dir)}
    tables = BatchTables(dataset_tables(data_dir))
    seen: dict[tuple[str, str], str] = {}
    rows: list[dict[str, object]] = []
    book: list[dict[str, object]] = []
    grades = Grades(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    for path in (folder / name for name in names):
        try:
            sheet = read_sheet(path)
            reason = _unusable(sheet, banks, path.name, seen)
            if reason is None:
                bank = banks[sheet.bank]
                older = sheet.legacy_bank_version
                kept = list(sheet.archived)
                reconcile(sheet, bank, tables)
                archived_now = [item for item in sheet.archived
                                if not any(item is old for old in kept)]
                sheet_rows = _grade_sheet(sheet, bank, tables)
        except ExerciseError as error:  # one sheet never stops the class's gradebook
            reason = str(error)
        if reason is not None:
            grades.skipped.append((path.name, reason))
            continue
        seen[(sheet.student_id, sheet.bank)] = path.name
        rows += sheet_rows
        grades.archived += [(path.name, item.question_id, item.reason) for item in archived_now]
        if older is not None:
            grades.older.append((path.name, older))
        results = {r["question_id"]: r["result"] for r in sheet_rows if r["result"] is not None}
        book.append({"student_id": sheet.student_id, "exercise": bank.name,
                     "score_percent": score_of(bank, results).percent})
        grades.graded_files.append(path.name)
    if not book:
        raise ExerciseError(f"No usable answer sheets in {folder}"
                            + "".join(f"\n  - {name}: {why}" for name, why in grades.skipped))
    order = [name for name in banks if any(entry["exercise"] == name for entry in book)]
    grades.gradebook = (pd.DataFrame(book)
                        .pivot(index="student_id", columns="exercise", values="score_percent")
                        .reindex(columns=order).sort_index().reset_index())
    grades.gradebook.columns.name = None
    answers = pd.DataFrame(rows)
    grades.options = option_shares(answers, banks)
    grades.items = answers.drop(columns=["result", "raw"])
    grades.analysis = item_analysis(grades.items, banks, grades.options)
    return grades


def _unusable(sheet: AnswerSheet, banks: dict[str, Bank], name: str,
              seen: dict[tuple[str, str], str]) -> str | None:
    if sheet.bank not in banks:
        return f"unknown exercise {sheet.bank!r} (known: {', '.join(banks)})"
    named_bank, separator, named_student = name.removesuffix(".json").partition("__")
    if separator and named_bank in banks and (named_bank, named_student) != (
        sheet.bank, sheet.student_id
    ):
        return (f"its name says student {named_student!r}, exercise {named_bank!r}, but it holds "
                f"the answers of student {sheet.student_id!r} to exercise {sheet.bank!r}; "
                "rename it or collect it again")
    problems = sheet_problems(sheet, banks[sheet.bank], name)
    if problems:
        return problems[0]
    first = seen.get((sheet.student_id, sheet.bank))
    if first:
        return (f"duplicate: a sheet of student {sheet.student_id!r} for exercise "
                f"{sheet.bank!r} was already read from {first}")
    return None


def _grade_sheet(sheet: AnswerSheet, bank: Bank, tables: TableSource) -> list[dict[str, object]]:
    rows = []
    for question in bank.questions:
        saved = sheet.answers.get(question.id)
        result = check(question, saved.answer, tables) if saved else None
        graded = question.kind != "reflection"
        rows.append({
            "student_id": sheet.student_id,
            "exercise": bank.name,
            "question_id": question.id,
            "type": question.kind,
            "answered": saved is not None,
            "answer": question.describe(saved.answer) if saved else "",
            "score": result.score if result else (0.0 if graded else None),
            "correct": result.correct if result else (False if graded else None),
            "first_try_correct": _first_try(saved, question, tables) if saved and graded
            else None,
            "attempts": saved.attempts if saved else 0,
            "changed_since_answer": bool(saved and changed_since_answer(saved, question)),
            "result": result,
            "raw": saved.answer if saved else None,
        })
    return rows


def _first_try(saved: SavedAnswer, question: Question, tables: TableSource) -> bool | None:
    """Whether the first attempt was right, judged by the current key; None when not known
    (a sheet from before attempts were kept, or a first answer that no longer fits)."""
    first = saved.first_attempt
    if first is None:
        return check(question, saved.answer, tables).correct if saved.attempts == 1 else None
    if first.question_version == question.version:
        return first.correct
    try:
        return check(question, question.normalize(first.answer), tables).correct
    except ExerciseError:
        return None


def check_out_folder(out: Path) -> None:
    """Refuse an ``--out`` that cannot hold the gradebook, before any grading work is done."""
    if out.exists() and not out.is_dir():
        raise ExerciseError(f"--out {str(out)!r} is a file; expected a folder for the gradebook "
                            "files (it is created if missing).")
    existing = next((parent for parent in (out, *out.parents) if parent.exists()), Path("."))
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise ExerciseError(f"--out {str(out)!r}: cannot write in {str(existing)!r} "
                            "(no permission, or not a folder).")


def write_outputs(grades: Grades, out: Path) -> tuple[list[Path], str]:
    """Write the CSV files (formulas neutralised) and the offline chart page (plotly.js inline,
    no CDN).

    Returns the files written and the chart's text description; ExerciseError with one line
    if the folder cannot be written.
    """
    check_out_folder(out)
    try:
        return _write_outputs(grades, out)
    except OSError as error:
        raise ExerciseError(f"--out {str(out)!r}: cannot write the gradebook there "
                            f"({error.strerror or error}).") from None


def _write_outputs(grades: Grades, out: Path) -> tuple[list[Path], str]:
    tables = {
        "gradebook.csv": grades.gradebook,
        "gradebook_items.csv": grades.items,
        "item_analysis.csv": grades.analysis,
        "item_options.csv": grades.options,
    }
    written = [write_csv_atomic(out / name, table) for name, table in tables.items()]
    fig = item_analysis_figure(grades.analysis)
    chart = fig.to_html(include_plotlyjs=True, full_html=False, div_id="item-analysis")
    page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Item analysis</title>\n</head>\n<body>\n<h1>Item analysis</h1>\n"
            f'<p id="item-analysis-description">{html.escape(description_of(fig))}</p>\n'
            f"{chart}\n</body>\n</html>\n")
    written.append(write_text_atomic(out / "item_analysis.html", page))
    return written, description_of(fig)


def report_lines(grades: Grades, written: list[Path], out: Path, description: str) -> list[str]:
    """What ``csto-grade`` prints: counts, every skipped file with its reason, what was written."""
    students = grades.gradebook["student_id"].nunique()
    lines = [f"Graded {len(grades.graded_files)} answer sheets from {students} students."]
    changed = int(grades.items["changed_since_answer"].sum())
    if changed:
        lines.append(f"{changed} answers were given before their question's key or options "
                     "changed; they are checked against the current version "
                     "(column changed_since_answer).")
    if grades.older:
        lines.append("Saved before questions had versions (answer sheet schema version 1), "
                     "checked against the current questions: "
                     + ", ".join(f"{name} (exercise version {version})"
                                 for name, version in grades.older) + ".")
    removed = sorted({qid for _, qid, why in grades.archived if why == REMOVED})
    if removed:
        count = sum(why == REMOVED for _, _, why in grades.archived)
        lines.append(f"{count} answers to questions no longer in their exercise "
                     f"({', '.join(removed)}) are kept in the sheets, not graded.")
    unfit = [(name, qid, why) for name, qid, why in grades.archived if why != REMOVED]
    if unfit:
        lines.append(f"Not graded: {len(unfit)} answers that do not fit their question (kept in "
                     "the sheets):")
        lines += [f"  - {name}, question {qid!r}: {why}" for name, qid, why in unfit]
    if grades.skipped:
        lines.append(f"Skipped {len(grades.skipped)} files:")
        lines += [f"  - {name}: {reason}" for name, reason in grades.skipped]
    lines.append(f"Wrote {', '.join(path.name for path in written)} to {out}.")
    lines.append(f"Chart (item_analysis.html): {description}")
    return lines


def build_parser() -> argparse.ArgumentParser:
    """The command's options (kept separate so that other options can be added to it)."""
    parser = argparse.ArgumentParser(prog="csto-grade", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder of collected answer sheets (*.json)")
    parser.add_argument("--out", type=Path, default=Path("grades"),
                        help="folder for the gradebook files (default: ./grades)")
    parser.add_argument("--banks-dir", help="folder of question banks (default: exercises/banks)")
    parser.add_argument("--data-dir", help="dataset folder for data questions (default: data/)")
    add_lms_options(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        check_out_folder(args.out)
        lms = LmsExport.from_args(args)
        grades = grade_folder(args.folder, args.banks_dir, args.data_dir)
        written, description = write_outputs(grades, args.out)
        lms_lines = lms.write(grades.gradebook)
    except ExerciseError as error:
        print(f"csto-grade: {error}", file=sys.stderr)
        return 1
    print("\n".join([*report_lines(grades, written, args.out, description), *lms_lines]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
