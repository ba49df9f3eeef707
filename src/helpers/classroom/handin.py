"""The hand-in button of an exercise notebook: one press writes the learner's submission file.

Before the press, the line under the button says which file will be written and where; after
it, what was written, where, and which exercises were left out, in words (screen readers hear it:
the line is a polite live region). The button is a standard ipywidgets button, so Tab reaches it
and Enter or Space presses it. Where widgets cannot run (a headless run, a static page) the output
is a short text saying how to hand in, with no path in it, so stored outputs stay the same on
every machine.
"""

from __future__ import annotations

import html
import os
from typing import Any

from helpers.classroom.submission import hand_in, submission_name, working_folder
from helpers.exercises.errors import ExerciseError
from helpers.exercises.student import known_student_id
from helpers.widget_views import WIDGET_VIEW

BUTTON_LABEL = "Hand in my answers"
STATIC_TEXT = (
    f'Hand in: open this notebook in JupyterLab and press "{BUTTON_LABEL}" to write one '
    "submission file (csto-submission-<your id>.json) with the answer sheets of every exercise "
    "notebook you have worked on into your working folder, then upload that file to your course "
    "page."
)

PathLike = str | os.PathLike[str]


def show_hand_in(answers_dir: PathLike | None = None, *, folder: PathLike | None = None,
                 banks_dir: PathLike | None = None) -> None:
    """Display the hand-in button and its status line (the text above where widgets cannot run).

    Returns nothing, so the notebook cell shows no object representation after the button.
    """
    from IPython.display import display

    view = HandInView(answers_dir, folder, banks_dir)
    display({"text/plain": STATIC_TEXT,
             WIDGET_VIEW: {"version_major": 2, "version_minor": 0,
                           "model_id": view.box.model_id}}, raw=True)


class HandInView:
    """A button and a status line; the status says in words what will be or was written."""

    def __init__(self, answers_dir: PathLike | None, folder: PathLike | None,
                 banks_dir: PathLike | None) -> None:
        import ipywidgets as w

        self.answers_dir, self.folder, self.banks_dir = answers_dir, folder, banks_dir
        self.button = w.Button(description=BUTTON_LABEL, button_style="primary", icon="upload",
                               tooltip="Write one submission file with all your answer sheets "
                                       "into your working folder",
                               layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.button.on_click(self.press)
        self.box = w.VBox([self.button, self.status])
        self._show(self.plan(), "")

    def plan(self) -> str:
        """What a press will do, before it is pressed."""
        student = known_student_id()
        name = submission_name(student) if student else "csto-submission-<your id>.json"
        return (f"Pressing the button writes {name} into {working_folder(self.folder)} (your "
                "working folder), replacing any earlier one. Upload that file to the assignment "
                "on your course page.")

    def press(self, _: Any = None) -> None:
        self.button.disabled = True
        try:
            done = hand_in(answers_dir=self.answers_dir, folder=self.folder,
                           banks_dir=self.banks_dir)
            self._show(done.message(), "Handed in.")
        except ExerciseError as error:  # ClassroomError is one
            self._show(str(error), "Not handed in.")
        finally:
            self.button.disabled = False

    def _show(self, text: str, verdict: str) -> None:
        lines = "<br>".join(html.escape(line) for line in text.splitlines())
        lead = f"<strong>{html.escape(verdict)}</strong> " if verdict else ""
        self.status.value = f'<div role="status" aria-live="polite">{lead}{lines}</div>'
