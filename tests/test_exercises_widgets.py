"""The widget view: it collects answers, shows the core's verdict in words, saves and restores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.exercises import load_quiz
from helpers.exercises.widgets import QuizView
from tests.exercise_samples import plain_bank, sample_tables, write_bank


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


def send(control, **message) -> None:
    """What the front end sends when the learner presses a button (or Enter)."""
    control._handle_custom_msg(message, [])


def test_checking_in_the_widget_gives_feedback_in_words_and_saves(setup):
    view = open_view(setup)
    question = view.views["treaty_city"].control
    send(question, action="check", answer="a")
    assert question.result["verdict"] == "Not quite"
    assert question.result["attempts"] == 1
    assert "The joint staff sits in Moscow" in question.result["feedback"]
    send(question, action="check", answer="b")
    assert question.result["verdict"] == "Correct"
    assert question.result["attempts"] == 2
    sheet = json.loads((setup["answers"] / "sample__alice.json").read_text(encoding="utf-8"))
    assert sheet["answers"]["treaty_city"]["answer"] == "b"
    assert "1 out of 7 graded questions" in view.status.value


def test_the_status_line_names_the_sheet_and_its_folder(setup):
    view = open_view(setup)
    assert "sample__alice.json" in view.status.value
    assert f"in the folder {setup['answers']}" in view.status.value


def test_reopened_widgets_show_the_saved_answers_and_feedback(setup):
    view = open_view(setup)
    answers = {
        "members": ["a"],
        "timeline": ["treaty", "charter", "kazakhstan"],
        "roles": {"zas": "sg", "tokayev": None, "pashinyan": None},
        "thoughts": "A member asked.",
        "force_size": "2500",
    }
    for qid, answer in answers.items():
        send(view.views[qid].control, action="check", answer=answer)

    again = open_view(setup)  # a new kernel, the notebook run again
    assert again.views["members"].control.answer == ["a"]
    assert again.views["timeline"].control.answer == ["treaty", "charter", "kazakhstan"]
    assert again.views["roles"].control.answer == {"zas": "sg"}
    assert again.views["thoughts"].control.answer == "A member asked."
    assert again.views["force_size"].control.answer == 2500
    assert again.views["roles"].control.result["verdict"] == "Partly right"
    assert "A member asked, all agreed" in again.views["thoughts"].control.result["feedback"]


def test_an_answer_the_core_refuses_is_explained_and_not_saved(setup):
    view = open_view(setup)
    question = view.views["force_size"].control
    send(question, action="check", answer="about two thousand")
    assert question.result["verdict"] == "Cannot check this answer"
    assert "expects a number" in question.result["feedback"]
    assert not (setup["answers"] / "sample__alice.json").exists()
    send(question, action="check", answer="2500")
    assert question.result["verdict"] == "Correct"


@pytest.mark.parametrize(
    ("qid", "answer", "message"),
    [
        ("timeline", ["treaty", None, None],
         "Choose an item for every position (still empty: 2, 3)."),
        ("treaty_city", None, "Choose one of the options first."),
    ],
)
def test_an_unfinished_answer_is_named_in_words(setup, qid, answer, message):
    view = open_view(setup)
    send(view.views[qid].control, action="check", answer=answer)
    assert view.views[qid].control.result["feedback"] == message
    assert not (setup["answers"] / "sample__alice.json").exists()


def test_the_student_id_is_asked_first_then_the_questions_appear(setup):
    view = open_view(setup, student=None)
    prompt = view.id_prompt
    assert prompt is not None and prompt.spec["label"] == "Your student id"
    assert "no spaces" in prompt.spec["message"]
    send(prompt, action="save-id", value="maria k")
    assert prompt.error.startswith("Id not saved — ")
    assert "'maria k'" in prompt.error
    assert view.views == {}
    send(prompt, action="save-id", value="maria.k")
    assert set(view.views) == {
        "treaty_city", "members", "force_size", "rapid_force", "timeline", "roles",
        "before_2022", "thoughts"}
    assert view.id_prompt is None
    remembered = Path(setup["answers"]).parent / "home/.csto-course/student.json"
    assert json.loads(remembered.read_text(encoding="utf-8")) == {"student_id": "maria.k"}


def test_every_question_says_what_to_do_with_its_controls(setup):
    view = open_view(setup)
    specs = {qid: question.control.spec for qid, question in view.views.items()}
    assert all(spec["legend"].strip() for spec in specs.values())
    assert specs["treaty_city"]["options"] == [["a", "a) Moscow"], ["b", "b) Tashkent"],
                                               ["c", "c) Minsk"]]
    assert specs["timeline"]["rows"] == [["1", "Position 1"], ["2", "Position 2"],
                                         ["3", "Position 3"]]
    assert specs["roles"]["rows"][0] == ["zas", "Stanislav Zas"]
    assert specs["treaty_city"]["has_hint"] is True
    assert specs["thoughts"]["action"] == "Save reflection"


def test_a_hint_reaches_the_page_only_when_asked_for(setup):
    view = open_view(setup)
    question = view.views["treaty_city"]
    assert "Read the Background section." not in json.dumps(question.control.get_state())
    question._on_action({"action": "hint"})
    assert question.control.hint == "Read the Background section."


def test_select_all_that_apply_is_said_once(setup, tmp_path):
    view = open_view(setup)
    assert view.views["members"].control.spec["legend"] == "Your answer (select all that apply)"

    plain = plain_bank()
    plain["questions"][1]["prompt"] = "Which are full members? Select all that apply."
    banks = write_bank(tmp_path / "said", plain).parent
    quiz = load_quiz("sample", answers_dir=setup["answers"], student_id="alice", banks_dir=banks)
    spec = QuizView(quiz, list(quiz.bank.questions)).views["members"].control.spec
    assert (spec["heading"] + " " + spec["legend"]).casefold().count("select all that apply") == 1


def test_an_answer_checked_again_after_its_question_changed_says_so(setup):
    view = open_view(setup)
    send(view.views["treaty_city"].control, action="check", answer="b")
    assert view.views["treaty_city"].control.result["notice"] == ""

    plain = plain_bank()
    plain["questions"][0]["options"]["d"] = "Yerevan"  # new options: a new version
    write_bank(setup["banks"], plain)
    again = open_view(setup)
    notice = again.views["treaty_city"].control.result["notice"]
    assert notice.startswith("This question changed since you answered")
    assert again.views["members"].control.result == {}  # never answered: nothing to say
    send(again.views["treaty_city"].control, action="check", answer="b")
    assert again.views["treaty_city"].control.result["notice"] == ""  # answered anew
