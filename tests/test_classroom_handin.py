"""Handing in from JupyterLab: one file with the learner's checked sheets, in a folder they see."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from helpers.classroom import handin as handin_module
from helpers.classroom.errors import ClassroomError
from helpers.classroom.handin import STATIC_TEXT, HandInView, show_hand_in
from helpers.classroom.submission import hand_in, parse_submission
from helpers.exercises.sheet import read_sheet
from tests.classroom_samples import as_version_1, make_course

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def course(tmp_path):
    return make_course(tmp_path / "course")


@pytest.fixture
def learner(tmp_path, monkeypatch):
    """A learner's machine: their own home, their answers folder and a working folder."""
    home = tmp_path / "home"
    work = home / "work"
    work.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("CSTO_ANSWERS_DIR", str(home / "answers"))
    monkeypatch.setenv("CSTO_STUDENT_ID", "ana")
    monkeypatch.delenv("CSTO_SUBMIT_DIR", raising=False)
    monkeypatch.chdir(work)
    return home


def test_hand_in_writes_only_the_checked_sheets_into_the_working_folder(course, learner):
    course.save("ana", learner / "answers")
    (learner / "answers" / "extra__ana.json").write_text('{"schema": "other"}', encoding="utf-8")
    done = hand_in(banks_dir=course.banks, now=datetime(2025, 3, 1, 14, 5, 9, tzinfo=UTC))
    assert done.path == learner / "work" / "csto-submission-ana.json"
    data = json.loads(done.path.read_text(encoding="utf-8"))
    assert {key: data[key] for key in ("schema", "schema_version", "student_id",
                                       "submitted_at")} == {
        "schema": "csto-submission", "schema_version": 1, "student_id": "ana",
        "submitted_at": "2025-03-01T14:05:09Z"}
    saved = json.loads((learner / "answers" / "sample__ana.json").read_text(encoding="utf-8"))
    assert data["sheets"] == [saved]
    assert done.included == ["sample"]
    assert done.left_out == [("extra", "its answer sheet cannot be used: extra__ana.json is not "
                                       "a CSTO answer sheet (expected \"schema\": "
                                       "\"csto-answer-sheet\")")]
    message = done.message()
    assert message.splitlines()[0] == (
        f"Wrote csto-submission-ana.json with 1 answer sheet (sample) for student 'ana', into "
        f"the folder {learner / 'work'}.")
    assert "Not included: extra (its answer sheet cannot be used" in message
    submission = parse_submission(data, done.path.name)
    assert submission.submitted_at == datetime(2025, 3, 1, 14, 5, 9, tzinfo=UTC)


def test_handing_in_again_replaces_the_file_atomically(course, learner):
    course.save("ana", learner / "answers")
    first = hand_in(banks_dir=course.banks).path
    course.save("ana", learner / "answers", "extra")
    second = hand_in(banks_dir=course.banks)
    assert second.path == first and second.included == ["extra", "sample"]
    assert [path.name for path in first.parent.iterdir()] == ["csto-submission-ana.json"]


def test_sheets_of_another_student_never_travel(course, learner):
    course.save("ana", learner / "answers")
    other = course.save("ben", learner / "answers", "extra")
    other.rename(learner / "answers" / "extra__ana.json")  # ben's sheet under ana's name
    done = hand_in(banks_dir=course.banks)
    assert done.included == ["sample"]
    assert done.left_out[0][0] == "extra"
    assert "belongs to student 'ben', not 'ana'" in done.left_out[0][1]


def test_a_read_only_working_folder_sends_the_file_home_and_says_so(course, learner, tmp_path):
    course.save("ana", learner / "answers")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    done = hand_in(banks_dir=course.banks, folder=blocked / "sub")
    assert done.path == learner / "csto-submission-ana.json"
    assert done.note.startswith(f"Your working folder {blocked / 'sub'} cannot be written")
    assert done.note.endswith("so the file is in your home folder instead.")


def test_the_folder_can_be_set_for_a_whole_class(course, learner, tmp_path, monkeypatch):
    course.save("ana", learner / "answers")
    monkeypatch.setenv("CSTO_SUBMIT_DIR", str(tmp_path / "to-upload"))
    assert hand_in(banks_dir=course.banks).path == tmp_path / "to-upload" / \
        "csto-submission-ana.json"


def test_nothing_to_hand_in_or_no_student_id_is_said_in_words(course, learner, monkeypatch):
    with pytest.raises(ClassroomError, match="Nothing to hand in: no usable answer sheet of "
                                             "student 'ana'"):
        hand_in(banks_dir=course.banks)
    monkeypatch.delenv("CSTO_STUDENT_ID")
    with pytest.raises(ClassroomError, match="No student id yet"):
        hand_in(banks_dir=course.banks)
    assert not list((learner / "work").iterdir())


def test_the_button_says_where_before_and_what_after(course, learner):
    view = HandInView(None, None, course.banks)
    assert view.button.description == "Hand in my answers"
    assert f"writes csto-submission-ana.json into {learner / 'work'}" in view.status.value
    assert 'role="status" aria-live="polite"' in view.status.value
    view.press()
    assert "<strong>Not handed in.</strong> Nothing to hand in" in view.status.value
    course.save("ana", learner / "answers")
    view.press()
    assert "<strong>Handed in.</strong> Wrote csto-submission-ana.json with 1 answer sheet" \
        in view.status.value
    assert str(learner / "work") in view.status.value
    assert not view.button.disabled


def test_static_output_has_no_path_and_no_object_representation(course, learner, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw: shown.append(data))
    assert show_hand_in(banks_dir=course.banks) is None
    assert shown[0]["text/plain"] == STATIC_TEXT
    assert shown[0][handin_module.WIDGET_VIEW]["model_id"]
    assert "/" not in STATIC_TEXT


@pytest.mark.parametrize("notebook", sorted((REPO / "exercises").glob("*_exercises.ipynb")),
                         ids=lambda path: path.stem)
def test_every_exercise_notebook_ends_with_the_hand_in_section(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    heading, button = cells[-2], cells[-1]
    assert heading.cell_type == "markdown" and heading.source.startswith("## Hand in\n")
    assert button.source.endswith("show_hand_in(answers_dir=answers_dir)")
    assert [output.get("data", {}).get("text/plain") for output in button.outputs] == [
        STATIC_TEXT], "stored output: the static text only (run helpers.store again)"


def test_a_handed_in_file_reads_back_as_the_learners_sheets(course, learner):
    course.save("ana", learner / "answers")
    done = hand_in(banks_dir=course.banks)
    data = json.loads(done.path.read_text(encoding="utf-8"))
    copy = learner / "copy.json"
    copy.write_text(json.dumps(data["sheets"][0]), encoding="utf-8")
    assert read_sheet(copy).answers == read_sheet(learner / "answers" / "sample__ana.json").answers


def test_a_version_1_sheet_is_handed_in_as_written_with_its_bank_version(course, learner):
    """Grading compares a version-1 sheet's bank version with the bank's: handing it in must not
    turn it into a sheet whose every answer seems given before a change."""
    path = course.save("ana", learner / "answers")
    as_version_1(path, "0123456789ab")
    done = hand_in(banks_dir=course.banks)
    data = json.loads(done.path.read_text(encoding="utf-8"))
    assert data["sheets"] == [json.loads(path.read_text(encoding="utf-8"))]
    assert (data["sheets"][0]["schema_version"], data["sheets"][0]["bank_version"]) == (
        1, "0123456789ab")
