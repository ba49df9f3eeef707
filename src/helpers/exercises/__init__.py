"""The exercise kit: questions with instant, sourced feedback, saved answers, keys and grades.

Exercise notebooks need two lines::

    quiz = load_quiz("01_history", answers=answers, answers_dir=answers_dir)
    quiz.show()

The checking core (``check``, the question types, banks, sheets) is pure Python; widgets are
imported only when ``show`` displays them. Teachers use the ``csto-key`` and ``csto-grade``
commands; learners see their progress with ``show_progress()``.
"""

from helpers.exercises.bank import Bank, bank_names, load_bank
from helpers.exercises.errors import (
    AnswerError,
    BankError,
    DataCheckError,
    ExerciseError,
    SheetError,
)
from helpers.exercises.progress import progress_table, show_progress
from helpers.exercises.questions import Result, check
from helpers.exercises.quiz import Quiz, load_quiz

__all__ = [
    "AnswerError",
    "Bank",
    "BankError",
    "DataCheckError",
    "ExerciseError",
    "Quiz",
    "Result",
    "SheetError",
    "bank_names",
    "check",
    "load_bank",
    "load_quiz",
    "progress_table",
    "show_progress",
]
