"""The widget view: it collects answers, shows the core's verdict in words, saves and restores."""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as w
import pytest

from helpers.exercises import load_quiz
from helpers.exercises.widgets import QuizView
from tests.exercise_samples import sample_tables, write_bank


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CSTO_STUDENT_ID", raising=False)
    return {"banks": write_bank(tmp_path / "banks").parent, "answers": tmp_path / "answers"}


def open_view(setup: dict[str, Path], student: str | None = "alice") -> QuizView:
    quiz = load_quiz("sample", answers_dir=setup["answers"], student_id=student,
                     banks_dir=setup["banks"])
    quiz.tables = sample_tables
    return QuizView(quiz, list(quiz.bank.questions))


def controls(widget: w.Widget) -> list[w.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += controls(child)
    return found


def test_checking_in_the_widget_gives_feedback_in_words_and_saves(setup):
    view = open_view(setup)
    question = view.views["treaty_city"]
    question.input.radio.value = "a"
    question.check_button.click()
    assert "<strong>Not quite —</strong>" in question.feedback.value
    assert "Attempts: 1" in question.feedback.value
    question.input.radio.value = "b"
    question.check_button.click()
    assert "<strong>Correct —</strong>" in question.feedback.value
    assert "Attempts: 2" in question.feedback.value
    sheet = json.loads((setup["answers"] / "sample__alice.json").read_text(encoding="utf-8"))
    assert sheet["answers"]["treaty_city"]["answer"] == "b"
    assert "1 out of 7 graded questions" in view.status.value


def test_reopened_widgets_show_the_saved_answers_and_feedback(setup):
    view = open_view(setup)
    view.views["members"].input.boxes["a"].value = True
    view.views["timeline"].input.slots[0].value = "treaty"
    view.views["timeline"].input.slots[1].value = "charter"
    view.views["timeline"].input.slots[2].value = "kazakhstan"
    view.views["roles"].input.pairs["zas"].value = "sg"
    view.views["thoughts"].input.text.value = "A member asked."
    for qid in ("members", "timeline", "roles", "thoughts"):
        view.views[qid].check_button.click()

    again = open_view(setup)  # a new kernel, the notebook run again
    assert [box.value for box in again.views["members"].input.boxes.values()] == [
        True, False, False, False]
    assert [slot.value for slot in again.views["timeline"].input.slots] == [
        "treaty", "charter", "kazakhstan"]
    assert again.views["roles"].input.pairs["zas"].value == "sg"
    assert again.views["thoughts"].input.text.value == "A member asked."
    assert "Partly right —" in again.views["roles"].feedback.value
    assert "A member asked, all agreed" in again.views["thoughts"].feedback.value


def test_an_answer_the_core_refuses_is_explained_and_not_saved(setup):
    view = open_view(setup)
    question = view.views["force_size"]
    question.input.text.value = "about two thousand"
    question.check_button.click()
    assert "Cannot check this answer —" in question.feedback.value
    assert "expects a number" in question.feedback.value
    assert not (setup["answers"] / "sample__alice.json").exists()
    question.input.text.value = "2500"
    question.check_button.click()
    assert "Correct —" in question.feedback.value


def test_an_unfinished_ordering_is_named_in_words(setup):
    view = open_view(setup)
    question = view.views["timeline"]
    question.input.slots[0].value = "treaty"
    question.check_button.click()
    assert "Choose an item for every position (still empty: 2, 3)." in question.feedback.value
    assert not (setup["answers"] / "sample__alice.json").exists()


def test_the_student_id_is_asked_first_then_the_questions_appear(setup):
    view = open_view(setup, student=None)
    texts = [c for c in controls(view.box) if isinstance(c, w.Text)]
    assert [t.description for t in texts] == ["Your student id:"]
    button = next(c for c in controls(view.box) if isinstance(c, w.Button))
    texts[0].value = "not valid!"
    button.click()
    assert "Id not saved —" in view.box.children[1].children[0].value
    texts[0].value = "maria.k"
    button.click()
    assert set(view.views) == {
        "treaty_city", "members", "force_size", "rapid_force", "timeline", "roles",
        "before_2022", "thoughts"}
    remembered = Path(setup["answers"]).parent / "home/.csto-course/student.json"
    assert json.loads(remembered.read_text(encoding="utf-8")) == {"student_id": "maria.k"}


def test_every_control_is_labelled(setup):
    view = open_view(setup)
    labelled = (w.Text, w.Textarea, w.Dropdown, w.RadioButtons, w.Checkbox, w.Button)
    found = [c for c in controls(view.box) if isinstance(c, labelled)]
    assert len(found) > 20
    assert all(c.description.strip() for c in found), [c for c in found if not c.description]


def test_the_hint_button_shows_the_hint(setup):
    view = open_view(setup)
    hint_button = view.views["treaty_city"].box.children[2].children[1]
    assert hint_button.description == "Show hint"
    hint_button.click()
    assert "Read the Background section." in view.views["treaty_city"].hint.value
