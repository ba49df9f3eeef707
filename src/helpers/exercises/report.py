"""Plain-text renderings shared by the headless report, the static worksheet and progress.

Plain text is what papermill stores, what nbval compares and what a screen reader reads, so the
wording is deterministic: no timings, no absolute paths, the verdict always in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from helpers.exercises.bank import Bank
from helpers.exercises.questions import Question, Result, format_number

INDENT = "   "


@dataclass(frozen=True)
class Score:
    """Points earned on the graded questions, and how many reflections were written."""

    earned: float
    possible: int
    answered: int
    reflections_saved: int
    reflections: int

    @property
    def percent(self) -> float:
        return round(100 * self.earned / self.possible, 1) if self.possible else 0.0

    def text(self) -> str:
        line = (f"Score: {format_number(round(self.earned, 2))} out of {self.possible} graded "
                f"questions ({format_number(self.percent)}%); {self.answered} answered.")
        if self.reflections:
            line += f" Reflections saved: {self.reflections_saved} of {self.reflections}."
        return line


def score_of(bank: Bank, results: Mapping[str, Result]) -> Score:
    """Sum the latest result of each question; unanswered graded questions count as 0."""
    graded = [q for q in bank.questions if q.kind != "reflection"]
    scored = [results[q.id] for q in graded if q.id in results]
    reflections = [q for q in bank.questions if q.kind == "reflection"]
    return Score(
        earned=sum(result.score or 0.0 for result in scored),
        possible=len(graded),
        answered=len(scored),
        reflections_saved=sum(q.id in results for q in reflections),
        reflections=len(reflections),
    )


def heading(bank: Bank) -> str:
    return f"Exercise {bank.name}: {bank.title}"


def question_heading(bank: Bank, question: Question) -> str:
    number = bank.questions.index(question) + 1
    return f"Q{number} [{question.label}] {question.prompt}"


def worksheet(bank: Bank, questions: Iterable[Question]) -> str:
    """The questions as a printable worksheet: the static face of the interactive exercise."""
    lines = [heading(bank),
             "(Static view. Run this notebook in JupyterLab to answer and get feedback.)"]
    for question in questions:
        lines += ["", question_heading(bank, question)]
        lines += [INDENT + line for line in question.choice_lines()]
    return "\n".join(lines)


def answer_block(question: Question, answer: object, result: Result) -> list[str]:
    """The learner's answer and the feedback on it, indented under the question heading."""
    return [f"{INDENT}Your answer: {question.describe(answer)}", INDENT + result.text()]
