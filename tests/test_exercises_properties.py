"""Property-based tests: whatever a student's sheet or answer holds, whatever text a CSV cell
holds, the kit raises nothing but its own errors and grading still writes the gradebook.

Hypothesis runs derandomized (the same examples on every run), with no example database and no
deadline, so the suite is deterministic and bounded in time in CI.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from fastjsonschema import JsonSchemaValueException
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers.exercises import ExerciseError, check, load_quiz, progress_table
from helpers.exercises.bank import bank_from_plain
from helpers.exercises.errors import AnswerError, BankError, SheetError
from helpers.exercises.grading import grade_folder, write_outputs
from helpers.exercises.sheet import _QUICK, _detailed, read_sheet
from helpers.files import FORMULA_TRIGGERS, neutralise_formula, write_csv_atomic
from tests.exercise_samples import (
    KEY,
    SAMPLE_PLAIN,
    plain_bank,
    sample_tables,
    version_1_sheet,
    write_bank,
    write_data_package,
)

BOUNDED = settings(derandomize=True, database=None, deadline=None, max_examples=60,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])
FEW = settings(BOUNDED, max_examples=25)
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text(max_size=30))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)
BANK = bank_from_plain(SAMPLE_PLAIN, "sample.yaml")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("course")
    return {"banks": write_bank(root / "banks").parent, "data": write_data_package(root / "data"),
            "root": root}


@pytest.fixture(scope="module")
def good_sheet(course) -> dict:
    folder = course["root"] / "model"
    quiz = load_quiz("sample", answers=KEY, answers_dir=folder, student_id="alice",
                     banks_dir=course["banks"], data_dir=course["data"])
    assert not quiz.problems
    return json.loads((folder / "sample__alice.json").read_text(encoding="utf-8"))


PATHS = [(), ("schema_version",), ("student_id",), ("bank",), ("answers",), ("archived",),
         ("answers", "treaty_city"), ("answers", "treaty_city", "answer"),
         ("answers", "members", "answer"), ("answers", "roles", "answer"),
         ("answers", "timeline", "answer"), ("answers", "force_size", "attempts"),
         ("answers", "members", "result"), ("answers", "members", "result", "score"),
         ("answers", "members", "history"), ("answers", "members", "history", 0),
         ("answers", "members", "history", 0, "answer"), ("answers", "thoughts", "answer"),
         ("answers", "members", "question_version"), ("answers", "new_question")]


def mutated(sheet: dict, path: tuple, value: object) -> object:
    """The sheet with the value at ``path`` replaced (the whole sheet when the path is empty)."""
    if not path:
        return value
    changed = copy.deepcopy(sheet)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8")


@BOUNDED
@given(path=st.sampled_from(PATHS), value=json_values)
def test_any_json_in_a_sheet_is_read_or_refused_with_a_sheet_error(
    tmp_path_factory, good_sheet, path, value
):
    file = tmp_path_factory.mktemp("sheet") / "sample__alice.json"
    write_json(file, mutated(good_sheet, path, value))
    with contextlib.suppress(SheetError):
        read_sheet(file)


@BOUNDED
@given(path=st.sampled_from(PATHS), value=json_values, version=st.sampled_from([1, 2]))
def test_the_quick_sheet_check_accepts_exactly_what_the_detailed_one_accepts(
    good_sheet, path, value, version
):
    """Sheets are checked by a validator built from a merged form of the schema (for speed); it
    must accept and refuse the very sheets the schema as written does."""
    assume(version == 2 or "history" not in path)  # version-1 sheets keep no attempts
    base = good_sheet if version == 2 else version_1_sheet(good_sheet, "000000000000")
    data = mutated(base, path, value)
    verdicts = []
    for validator in (_QUICK[version], _detailed(version)):
        try:
            validator(data)
            verdicts.append(True)
        except JsonSchemaValueException:
            verdicts.append(False)
    assert verdicts[0] == verdicts[1], (path, value)


@FEW
@given(path=st.sampled_from(PATHS), value=json_values)
def test_grading_progress_and_opening_survive_any_json_in_a_sheet(
    tmp_path_factory, course, good_sheet, path, value
):
    folder = tmp_path_factory.mktemp("collected")
    shutil.copy(course["root"] / "model" / "sample__alice.json", folder / "sample__alice.json")
    write_json(folder / "sample__mallory.json",
               mutated({**good_sheet, "student_id": "mallory"}, path, value))
    grades = grade_folder(folder, str(course["banks"]), str(course["data"]))
    assert "alice" in set(grades.gradebook["student_id"]), "the good sheet is always graded"
    write_outputs(grades, folder / "grades")
    assert (folder / "grades" / "gradebook.csv").exists()

    table = progress_table(folder, "mallory", course["banks"])
    assert len(table) == 1
    quiz = load_quiz("sample", answers_dir=folder, student_id="mallory",
                     banks_dir=course["banks"], data_dir=course["data"])
    quiz.submit("treaty_city", "b")  # the learner can always go on answering
    assert read_sheet(folder / "sample__mallory.json").answers["treaty_city"].answer == "b"


@BOUNDED
@given(question_id=st.sampled_from(BANK.ids), answer=json_values)
def test_any_json_as_an_answer_is_checked_or_refused_with_an_answer_error(question_id, answer):
    try:
        result = check(BANK.question(question_id), answer, sample_tables)
    except AnswerError:
        return
    assert result.verdict in ("Correct", "Partly right", "Not quite", "Saved")


@FEW
@given(question_id=st.sampled_from(BANK.ids), answer=json_values)
def test_every_answer_the_kit_accepts_is_saved_in_a_sheet_it_can_read_back(
    tmp_path_factory, course, question_id, answer
):
    folder = tmp_path_factory.mktemp("answers")
    quiz = load_quiz("sample", answers_dir=folder, student_id="alice",
                     banks_dir=course["banks"], data_dir=course["data"])
    try:
        quiz.submit(question_id, answer)
    except ExerciseError:
        return
    assert question_id in read_sheet(folder / "sample__alice.json").answers


@BOUNDED
@given(text=st.text(max_size=40))
def test_any_text_in_a_csv_cell_arrives_whole_and_never_as_a_formula(tmp_path_factory, text):
    path = write_csv_atomic(tmp_path_factory.mktemp("csv") / "cells.csv",
                            pd.DataFrame({"answer": [text], "score": [-1.5]}))
    with path.open(encoding="utf-8", newline="") as stream:
        header, row = list(csv.reader(stream))
    assert header == ["answer", "score"]
    assert row == [neutralise_formula(text), "-1.5"]
    if row[0] == text:  # left alone: a plain number, or nothing a spreadsheet would run
        stripped = text.lstrip(" \t\r\n\f\v\"'\u00a0\u3000")
        assert stripped[:1] not in FORMULA_TRIGGERS or PLAIN_NUMBER.fullmatch(text)
    else:
        assert row[0] == "'" + text


FIELDS = ["id", "type", "prompt", "options", "answer", "items", "left", "right", "tables",
          "solution", "tolerance", "relative_tolerance", "unit", "model_answer",
          "option_feedback", "wrong_feedback", "hint", "source", "explanation"]


@BOUNDED
@given(index=st.integers(0, len(SAMPLE_PLAIN["questions"]) - 1),
       field=st.sampled_from(FIELDS), value=json_values)
def test_any_value_in_a_bank_field_loads_or_is_a_bank_error(index, field, value):
    plain = plain_bank()
    plain["questions"][index] = {**plain["questions"][index], field: value}
    with contextlib.suppress(BankError):
        bank_from_plain(plain, "sample.yaml")
