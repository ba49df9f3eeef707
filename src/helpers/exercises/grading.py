"""``csto-grade``: a folder of answer sheets -> gradebook, per-question grades, item analysis.

Every answer is checked again with the current bank (a sheet's stored scores are not trusted), so
the gradebook follows the key. Sheets that are malformed, duplicated, for an unknown exercise or
for another version of one are reported by file name and skipped; they never stop the run.
"""

from __future__ import annotations

import argparse
import html
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import PALETTE, description_of, style
from helpers.exercises.bank import Bank, bank_names, load_bank
from helpers.exercises.errors import ExerciseError, SheetError
from helpers.exercises.questions import TableSource, check, dataset_tables
from helpers.exercises.report import score_of
from helpers.exercises.sheet import AnswerSheet, read_sheet, sheet_problems
from helpers.files import write_csv_atomic, write_text_atomic

OUTPUT_FILES = ("gradebook.csv", "gradebook_items.csv", "item_analysis.csv", "item_analysis.html")


@dataclass
class Grades:
    gradebook: pd.DataFrame
    items: pd.DataFrame
    analysis: pd.DataFrame
    graded_files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def grade_folder(folder: Path, banks_dir: str | None = None,
                 data_dir: str | None = None) -> Grades:
    """Read every ``*.json`` in ``folder`` and grade the usable sheets."""
    if not folder.is_dir():
        raise ExerciseError(f"{str(folder)!r} is not a folder of answer sheets.")
    banks = {name: load_bank(name, banks_dir) for name in bank_names(banks_dir)}
    tables = dataset_tables(data_dir)
    seen: dict[tuple[str, str], str] = {}
    rows: list[dict[str, object]] = []
    book: list[dict[str, object]] = []
    grades = Grades(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    for path in sorted(folder.glob("*.json")):
        try:
            sheet = read_sheet(path)
        except SheetError as error:
            grades.skipped.append((path.name, str(error)))
            continue
        reason = _unusable(sheet, banks, path.name, seen)
        if reason:
            grades.skipped.append((path.name, reason))
            continue
        seen[(sheet.student_id, sheet.bank)] = path.name
        bank = banks[sheet.bank]
        sheet_rows = _grade_sheet(sheet, bank, tables)
        rows += sheet_rows
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
    grades.items = pd.DataFrame(rows).drop(columns="result")
    grades.analysis = item_analysis(grades.items)
    return grades


def _unusable(sheet: AnswerSheet, banks: dict[str, Bank], name: str,
              seen: dict[tuple[str, str], str]) -> str | None:
    if sheet.bank not in banks:
        return f"unknown exercise {sheet.bank!r} (known: {', '.join(banks)})"
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
        rows.append({
            "student_id": sheet.student_id,
            "exercise": bank.name,
            "question_id": question.id,
            "type": question.kind,
            "answered": saved is not None,
            "answer": question.describe(saved.answer) if saved else "",
            "score": result.score if result else (None if question.kind == "reflection" else 0.0),
            "correct": result.correct if result else (None if question.kind == "reflection"
                                                      else False),
            "attempts": saved.attempts if saved else 0,
            "result": result,
        })
    return rows


def item_analysis(items: pd.DataFrame) -> pd.DataFrame:
    """Per question: answers, share correct, mean score and the most common wrong answer."""
    rows = []
    for (exercise, qid), group in items.groupby(["exercise", "question_id"], sort=False):
        answered = group[group["answered"]]
        graded = group["type"].iloc[0] != "reflection"
        wrong = Counter(answered.loc[answered["correct"].eq(False), "answer"])
        common = min(wrong.items(), key=lambda pair: (-pair[1], pair[0])) if wrong else ("", 0)
        rows.append({
            "exercise": exercise,
            "question_id": qid,
            "type": group["type"].iloc[0],
            "students": len(group),
            "answered": len(answered),
            "share_correct": (round(float(answered["correct"].eq(True).mean()), 3)
                              if graded and len(answered) else None),
            "mean_score": round(float(pd.to_numeric(group["score"]).mean()), 3) if graded else None,
            "most_common_wrong_answer": common[0],
            "times_given": common[1],
        })
    return pd.DataFrame(rows)


def item_analysis_figure(analysis: pd.DataFrame) -> go.Figure:
    """Bars of the share of correct answers per graded question, lowest easy to spot."""
    graded = analysis[analysis["share_correct"].notna()]
    labels = graded["exercise"] + " · " + graded["question_id"]
    percent = (graded["share_correct"].astype(float) * 100).round(1)
    fig = go.Figure(go.Bar(x=percent, y=labels, orientation="h", marker_color=PALETTE[0],
                           text=[f"{value:g}%" for value in percent], textposition="auto"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100])
    if graded.empty:
        description = "No graded question has been answered yet, so there are no bars."
    else:
        low, high = percent.idxmin(), percent.idxmax()
        description = (
            f"Horizontal bar chart of {len(graded)} graded questions from "
            f"{graded['exercise'].nunique()} exercise notebook(s). Each bar is the share of "
            f"the answers given that are correct. Lowest: {labels[low]} ({percent[low]:g}%); "
            f"highest: {labels[high]} ({percent[high]:g}%)."
        )
    return style(fig, title="Item analysis: share of answers that are correct",
                 x_label="Answers that are correct (%)", y_label="Question (exercise · id)",
                 description=description, height=max(320, 40 * len(graded) + 160))


def write_outputs(grades: Grades, out: Path) -> tuple[list[Path], str]:
    """Write the three CSV files (formulas neutralised) and the offline chart page (plotly.js
    inline, no CDN).

    Returns the files written and the chart's text description.
    """
    tables = {
        "gradebook.csv": grades.gradebook,
        "gradebook_items.csv": grades.items,
        "item_analysis.csv": grades.analysis,
    }
    written = [write_csv_atomic(out / name, table) for name, table in tables.items()]
    fig = item_analysis_figure(grades.analysis)
    chart = fig.to_html(include_plotlyjs=True, full_html=False, div_id="item-analysis")
    page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Item analysis</title>\n</head>\n<body>\n<h1>Item analysis</h1>\n"
            f"<p>{html.escape(description_of(fig))}</p>\n{chart}\n</body>\n</html>\n")
    written.append(write_text_atomic(out / "item_analysis.html", page))
    return written, description_of(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="csto-grade", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder of collected answer sheets (*.json)")
    parser.add_argument("--out", type=Path, default=Path("grades"),
                        help="folder for the gradebook files (default: ./grades)")
    parser.add_argument("--banks-dir", help="folder of question banks (default: exercises/banks)")
    parser.add_argument("--data-dir", help="dataset folder for data questions (default: data/)")
    args = parser.parse_args(argv)
    try:
        grades = grade_folder(args.folder, args.banks_dir, args.data_dir)
        written, description = write_outputs(grades, args.out)
    except ExerciseError as error:
        print(f"csto-grade: {error}", file=sys.stderr)
        return 1
    students = grades.gradebook["student_id"].nunique()
    print(f"Graded {len(grades.graded_files)} answer sheets from {students} students.")
    if grades.skipped:
        print(f"Skipped {len(grades.skipped)} files:")
        for name, reason in grades.skipped:
            print(f"  - {name}: {reason}")
    print(f"Wrote {', '.join(path.name for path in written)} to {args.out}.")
    print(f"Chart (item_analysis.html): {description}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
