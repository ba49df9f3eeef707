"""The exercise in JupyterLab: it only collects answers and shows results; the core checks them.

Each question is one course control (helpers.lab.controls): plain HTML form controls that keep the
keyboard from JupyterLab's notebook shortcuts, lay out at any width (long options wrap inside their
own box) and are labelled for screen readers. Every result starts with the verdict in words;
colour is only an extra cue.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import traitlets as t
from IPython.display import display

from helpers.exercises.errors import ExerciseError
from helpers.exercises.questions import (
    CORRECT,
    NOT_QUITE,
    PARTLY,
    SAVED,
    Question,
    Result,
    prompt_says,
)
from helpers.exercises.quiz import Quiz
from helpers.exercises.report import question_heading
from helpers.lab.controls import CourseControl
from helpers.widget_views import WIDGET_VIEW

TONES = {CORRECT: "correct", PARTLY: "partly", NOT_QUITE: "wrong", SAVED: "saved"}
ALL_THAT_APPLY = "Select all that apply."
ID_MESSAGE = ("Enter the id your teacher gave you, or when studying alone a name of your own: "
              "letters, digits, '.', '-' or '_', no spaces. It is asked once and remembered.")


def display_quiz(quiz: Quiz, questions: list[Question]) -> QuizView:
    """Display the widgets, with the static worksheet as the text fallback of the same output.

    Where widgets cannot render (papermill, a plain HTML export) readers get the worksheet text
    instead of a widget placeholder.
    """
    view = QuizView(quiz, questions)
    bundle = {
        "text/plain": quiz.worksheet(questions),
        WIDGET_VIEW: {
            "version_major": 2,
            "version_minor": 0,
            "model_id": view.box.model_id,
        },
    }
    display(bundle, raw=True)
    return view


class QuestionControl(CourseControl):
    """One question's controls: ``spec`` says what to draw, ``answer`` and ``result`` sync.

    ``hint`` stays empty until the learner asks for it, so the widget state a saved or executed
    notebook carries (and the course site's downloads) never hold the hints in advance.
    """

    control = t.Unicode("question").tag(sync=True)
    spec = t.Dict().tag(sync=True)
    answer = t.Any(None).tag(sync=True)
    result = t.Dict().tag(sync=True)
    hint = t.Unicode().tag(sync=True)


class StudentIdControl(CourseControl):
    """The student-id prompt: a text field whose Enter, like its button, submits the id."""

    control = t.Unicode("student-id").tag(sync=True)
    spec = t.Dict().tag(sync=True)
    error = t.Unicode().tag(sync=True)


class QuizView:
    """The whole exercise: a student-id prompt until an id is known, then the questions."""

    def __init__(self, quiz: Quiz, questions: list[Question]) -> None:
        self.quiz, self.questions = quiz, questions
        self.status = w.HTML()
        self.box = w.VBox(layout=w.Layout(width="100%"))
        self.views: dict[str, QuestionView] = {}
        self.id_prompt: StudentIdControl | None = None
        quiz.on_student_set(self._build)
        self._build()

    def _build(self) -> None:
        title = w.HTML(f"<h3>Exercise {html.escape(self.quiz.bank.name)}: "
                       f"{html.escape(self.quiz.bank.title)}</h3>")
        if self.quiz.student_id is None:
            self.id_prompt = self._id_prompt()
            self.box.children = [title, self.id_prompt]
            return
        self.id_prompt = None
        self.views = {q.id: QuestionView(self.quiz, q, self.refresh_status) for q in self.questions}
        self.refresh_status()
        self.box.children = [title, self.status, *(v.control for v in self.views.values())]

    def refresh_status(self) -> None:
        sheet = self.quiz.sheet_file
        where = (f"in {html.escape(sheet.name)}, in the folder {html.escape(str(sheet.parent))}"
                 if sheet else "for this session only")
        lines = [f"Answers are saved as you check them, for student "
                 f"<strong>{html.escape(self.quiz.student_id or '')}</strong>, {where}. "
                 f"{html.escape(self.quiz.score().text())}"]
        lines += [f"<strong>Warning:</strong> {html.escape(text)}" for text in self.quiz.warnings]
        self.status.value = "<br>".join(lines)

    def _id_prompt(self) -> StudentIdControl:
        prompt = StudentIdControl(spec={
            "message": ID_MESSAGE,
            "label": "Your student id",
            "placeholder": "for example maria.k",
            "action": "Save my id",
        })

        def on_action(message: dict[str, Any]) -> None:
            if message.get("action") == "save-id":
                self.save_id(message.get("value"))

        prompt.on_action(on_action)
        return prompt

    def save_id(self, value: object) -> None:
        """Use this id (the questions then appear), or say in the prompt why it is refused."""
        if self.id_prompt is None:
            return
        try:
            self.quiz.set_student(value)
        except ExerciseError as error:
            self.id_prompt.error = f"Id not saved — {error}"


class QuestionView:
    """One question: its prompt and input, Check and Hint buttons, and the feedback area."""

    def __init__(self, quiz: Quiz, question: Question, after_check: Any) -> None:
        self.quiz, self.question, self.after_check = quiz, question, after_check
        self.control = QuestionControl(spec=question_spec(quiz, question))
        self.control.on_action(self._on_action)
        saved = quiz.saved(question.id)
        if saved is not None:
            self.control.answer = saved.answer
            self.show_result(saved.result, saved.attempts)

    def _on_action(self, message: dict[str, Any]) -> None:
        if message.get("action") == "check":
            self.check(message.get("answer"))
        elif message.get("action") == "hint":
            self.control.hint = self.question.hint

    def check(self, answer: object) -> None:
        """Check an answer as the learner gave it; say in words why it cannot be checked."""
        self.control.answer = answer
        try:
            unfinished = unfinished_answer(self.question, answer)
            if unfinished:
                raise ExerciseError(unfinished)
            result = self.quiz.submit(self.question.id, answer)
        except ExerciseError as error:
            self.control.result = {"verdict": "Cannot check this answer", "tone": "refused",
                                   "feedback": str(error), "source": "", "attempts": 0}
        else:
            saved = self.quiz.saved(self.question.id)
            self.show_result(result, saved.attempts if saved else 1)
        self.after_check()

    def show_result(self, result: Result, attempts: int) -> None:
        """The verdict in words, the feedback and its source, the attempts, and (for a saved
        answer checked again after its question's key or options changed) a notice saying so."""
        self.control.result = {
            "verdict": result.verdict,
            "tone": TONES.get(result.verdict, "refused"),
            "feedback": result.feedback,
            "source": result.source,
            "attempts": attempts,
            "notice": self.quiz.change_notice(self.question.id) or "",
        }


def question_spec(quiz: Quiz, question: Question) -> dict[str, Any]:
    """What the front end draws for one question: heading, choices, labels, the button's words."""
    spec: dict[str, Any] = {
        "id": question.id,
        "kind": question.kind,
        "heading": question_heading(quiz.bank, question),
        "has_hint": bool(question.hint),
        "action": "Save reflection" if question.kind == "reflection" else "Check answer",
    }
    options = getattr(question, "options", {})
    if question.kind == "single":
        spec |= {"legend": "Your answer (choose one)",
                 "options": [[key, f"{key}) {text}"] for key, text in options.items()]}
    elif question.kind == "multiple":
        says_it = prompt_says(question.prompt, ALL_THAT_APPLY)
        spec |= {"legend": "Your answer" if says_it else "Your answer (select all that apply)",
                 "options": [[key, f"{key}) {text}"] for key, text in options.items()]}
    elif question.kind == "ordering":
        spec |= {"legend": "Choose one item for each position, earliest first",
                 "rows": [[str(n), f"Position {n}"] for n in range(1, len(question.items) + 1)],
                 "choices": _pairs(question.items), "blank": "— choose —"}
    elif question.kind == "matching":
        spec |= {"legend": "Choose a match for each item",
                 "rows": _pairs(question.left), "choices": _pairs(question.right),
                 "blank": "— choose —"}
    elif question.kind == "reflection":
        spec |= {"legend": "Your reflection", "placeholder": "A few sentences in your own words"}
    else:
        unit = getattr(question, "unit", "")
        kind = "a number" if getattr(question, "answer_type", "number") == "number" else "text"
        spec |= {"legend": "Your answer", "placeholder": f"{kind} ({unit})" if unit else kind}
        if question.kind == "data":
            spec["note"] = (f"{question.choice_lines()[0]} Work in a new cell, after "
                            "from helpers.data import load_table.")
    return spec


def _pairs(mapping: dict[str, str]) -> list[list[str]]:
    return [[key, text] for key, text in mapping.items()]


def unfinished_answer(question: Question, answer: object) -> str:
    """What the learner still has to fill in before checking makes sense ('' if nothing)."""
    if question.kind == "single" and answer in (None, ""):
        return "Choose one of the options first."
    if question.kind == "ordering" and isinstance(answer, list):
        empty = [str(n) for n, item in enumerate(answer, 1) if not item]
        if empty:
            return f"Choose an item for every position (still empty: {', '.join(empty)})."
    return ""

