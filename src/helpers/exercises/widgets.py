"""ipywidgets views: they only collect answers and show results; the core does all the checking.

Accessibility: every control carries a description (its visible label, read by screen readers),
standard ipywidgets controls are reachable and operable from the keyboard, and every result
starts with the verdict in words; colour is only an extra cue.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
from IPython.display import display

from helpers.exercises.errors import ExerciseError
from helpers.exercises.questions import CORRECT, NOT_QUITE, PARTLY, SAVED, Question, Result
from helpers.exercises.quiz import Quiz
from helpers.exercises.report import question_heading

# Okabe-Ito colours, as in helpers.charts: distinguishable with common colour-vision deficiencies.
VERDICT_COLOURS = {CORRECT: "#009E73", PARTLY: "#E69F00", NOT_QUITE: "#D55E00", SAVED: "#0072B2"}
_BLANK = ("— choose —", None)


def display_quiz(quiz: Quiz, questions: list[Question]) -> QuizView:
    """Display the widgets, with the static worksheet as the text fallback of the same output.

    Where widgets cannot render (papermill, a plain HTML export) readers get the worksheet text
    instead of a widget placeholder.
    """
    view = QuizView(quiz, questions)
    bundle = {
        "text/plain": quiz.worksheet(questions),
        "application/vnd.jupyter.widget-view+json": {
            "version_major": 2,
            "version_minor": 0,
            "model_id": view.box.model_id,
        },
    }
    display(bundle, raw=True)
    return view


class QuizView:
    """The whole exercise: a student-id prompt until an id is known, then the questions."""

    def __init__(self, quiz: Quiz, questions: list[Question]) -> None:
        self.quiz, self.questions = quiz, questions
        self.status = w.HTML()
        self.box = w.VBox()
        self.views: dict[str, QuestionView] = {}
        quiz.on_student_set(self._build)
        self._build()

    def _build(self) -> None:
        title = w.HTML(f"<h3>Exercise {html.escape(self.quiz.bank.name)}: "
                       f"{html.escape(self.quiz.bank.title)}</h3>")
        if self.quiz.student_id is None:
            self.box.children = [title, self._id_prompt()]
            return
        self.views = {q.id: QuestionView(self.quiz, q, self.refresh_status) for q in self.questions}
        self.refresh_status()
        self.box.children = [title, self.status, *(v.box for v in self.views.values())]

    def refresh_status(self) -> None:
        where = self.quiz.sheet_file.name if self.quiz.sheet_file else "this session only"
        lines = [f"Answers are saved as you check them, for student "
                 f"<strong>{html.escape(self.quiz.student_id or '')}</strong> "
                 f"({html.escape(where)}). {html.escape(self.quiz.score().text())}"]
        lines += [f"<strong>Warning:</strong> {html.escape(text)}" for text in self.quiz.warnings]
        self.status.value = "<br>".join(lines)

    def _id_prompt(self) -> w.Widget:
        entry = w.Text(description="Your student id:", placeholder="for example maria.k",
                       **_wide())
        save = w.Button(description="Save my id", tooltip="Remember this id and show the questions")
        message = w.HTML("Enter the id your teacher gave you (or any name you like when "
                         "studying alone). It is asked once and remembered.")

        def on_save(_: Any) -> None:
            try:
                self.quiz.set_student(entry.value)
            except ExerciseError as error:
                message.value = f"<strong>Id not saved —</strong> {html.escape(str(error))}"

        save.on_click(on_save)
        return w.VBox([message, w.HBox([entry, save])])


class QuestionView:
    """One question: its prompt, an input, Check and Hint buttons, and the feedback area."""

    def __init__(self, quiz: Quiz, question: Question, after_check: Any) -> None:
        self.quiz, self.question, self.after_check = quiz, question, after_check
        self.input = INPUTS[question.kind](question)
        self.feedback = w.HTML()
        self.hint = w.HTML()
        action = "Save reflection" if question.kind == "reflection" else "Check answer"
        self.check_button = w.Button(description=action, button_style="primary",
                                     tooltip=f"{action} for question {question.id}")
        self.check_button.on_click(self._on_check)
        buttons = [self.check_button]
        if question.hint:
            hint_button = w.Button(description="Show hint", tooltip="Show a hint for this question")
            hint_button.on_click(self._on_hint)
            buttons.append(hint_button)
        heading = w.HTML(f"<h4>{html.escape(question_heading(quiz.bank, question))}</h4>")
        self.box = w.VBox([heading, self.input.box, w.HBox(buttons), self.hint, self.feedback])
        saved = quiz.saved(question.id)
        if saved is not None:
            self.input.restore(saved.answer)
            self.show_result(saved.result, saved.attempts)

    def _on_check(self, _: Any) -> None:
        try:
            unfinished = self.input.unfinished()
            if unfinished:
                raise ExerciseError(unfinished)
            result = self.quiz.submit(self.question.id, self.input.value())
        except ExerciseError as error:
            self.feedback.value = _box("#000000", "Cannot check this answer —", str(error))
        else:
            saved = self.quiz.saved(self.question.id)
            self.show_result(result, saved.attempts if saved else 1)
        self.after_check()

    def _on_hint(self, _: Any) -> None:
        self.hint.value = f"<em>Hint:</em> {html.escape(self.question.hint)}"

    def show_result(self, result: Result, attempts: int) -> None:
        extra = f"<br><em>Source:</em> {html.escape(result.source)}" if result.source else ""
        extra += f"<br><small>Attempts: {attempts}</small>"
        self.feedback.value = _box(VERDICT_COLOURS.get(result.verdict, "#000000"),
                                   f"{result.verdict} —", result.feedback, extra)


def _box(colour: str, verdict: str, text: str, extra: str = "") -> str:
    return (f'<div role="status" aria-live="polite" style="border-left: 6px solid {colour}; '
            f'padding: 4px 10px; margin: 4px 0"><strong>{html.escape(verdict)}</strong> '
            f"{html.escape(text)}{extra}</div>")


def _wide() -> dict[str, Any]:
    """A fresh layout per control (a shared Layout model would tie their sizes together)."""
    return {"layout": w.Layout(width="auto"), "style": {"description_width": "initial"}}


class _Input:
    """Collects one answer; ``value`` is passed to the core unchanged, which validates it."""

    box: w.Widget

    def value(self) -> object:
        raise NotImplementedError

    def restore(self, answer: Any) -> None:
        raise NotImplementedError

    def unfinished(self) -> str:
        """What the learner still has to fill in before checking makes sense ('' if nothing)."""
        return ""


class _SingleInput(_Input):
    def __init__(self, question: Any) -> None:
        options = [(f"{key}) {text}", key) for key, text in question.options.items()]
        self.radio = w.RadioButtons(options=options, value=None, description="Your answer:",
                                    **_wide())
        self.box = self.radio

    def value(self) -> object:
        return self.radio.value

    def restore(self, answer: Any) -> None:
        self.radio.value = answer


class _MultipleInput(_Input):
    def __init__(self, question: Any) -> None:
        self.boxes = {key: w.Checkbox(value=False, description=f"{key}) {text}", indent=False,
                                      **_wide())
                      for key, text in question.options.items()}
        self.box = w.VBox([w.HTML("Select all that apply:"), *self.boxes.values()])

    def value(self) -> object:
        return [key for key, box in self.boxes.items() if box.value]

    def restore(self, answer: Any) -> None:
        for key, box in self.boxes.items():
            box.value = key in answer


class _TextInput(_Input):
    """Numbers and data answers are typed as text; the core says what it could not read."""

    def __init__(self, question: Any) -> None:
        unit = getattr(question, "unit", "")
        kind = "a number" if getattr(question, "answer_type", "number") == "number" else "text"
        placeholder = f"{kind} ({unit})" if unit else kind
        self.text = w.Text(description="Your answer:", placeholder=placeholder, **_wide())
        parts: list[w.Widget] = [self.text]
        if question.kind == "data":
            parts.insert(0, w.HTML(f"{html.escape(question.choice_lines()[0])} Work in a new "
                                   "cell, after <code>from helpers.data import load_table</code>."))
        self.box = w.VBox(parts)

    def value(self) -> object:
        return self.text.value

    def restore(self, answer: Any) -> None:
        if isinstance(answer, float):
            answer = str(int(answer)) if answer.is_integer() else repr(answer)
        self.text.value = str(answer)


class _OrderingInput(_Input):
    def __init__(self, question: Any) -> None:
        options = [_BLANK, *((text, key) for key, text in question.items.items())]
        self.slots = [w.Dropdown(options=options, value=None, description=f"Position {n}:",
                                 **_wide())
                      for n in range(1, len(question.items) + 1)]
        self.box = w.VBox([w.HTML("Choose one item for each position, earliest first:"),
                           *self.slots])

    def value(self) -> object:
        return [slot.value for slot in self.slots if slot.value is not None]

    def unfinished(self) -> str:
        empty = [str(n) for n, slot in enumerate(self.slots, 1) if slot.value is None]
        if not empty:
            return ""
        return f"Choose an item for every position (still empty: {', '.join(empty)})."

    def restore(self, answer: Any) -> None:
        for slot, item in zip(self.slots, answer, strict=False):
            slot.value = item


class _MatchingInput(_Input):
    def __init__(self, question: Any) -> None:
        options = [_BLANK, *((text, key) for key, text in question.right.items())]
        self.pairs = {key: w.Dropdown(options=options, value=None, description=f"{text}:",
                                      **_wide())
                      for key, text in question.left.items()}
        self.box = w.VBox(list(self.pairs.values()))

    def value(self) -> object:
        return {key: pick.value for key, pick in self.pairs.items()}

    def restore(self, answer: Any) -> None:
        for key, value in answer.items():
            self.pairs[key].value = value


class _ReflectionInput(_Input):
    def __init__(self, question: Any) -> None:
        self.text = w.Textarea(description="Your reflection:", rows=5,
                               placeholder="A few sentences in your own words",
                               layout=w.Layout(width="95%"), style={"description_width": "initial"})
        self.box = self.text

    def value(self) -> object:
        return self.text.value

    def restore(self, answer: Any) -> None:
        self.text.value = answer


INPUTS: dict[str, type[_Input]] = {
    "single": _SingleInput,
    "multiple": _MultipleInput,
    "numeric": _TextInput,
    "data": _TextInput,
    "ordering": _OrderingInput,
    "matching": _MatchingInput,
    "reflection": _ReflectionInput,
}
