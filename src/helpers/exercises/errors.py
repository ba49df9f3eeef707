"""Errors of the exercise kit; each message says what was wrong, where, and what was expected."""

from __future__ import annotations


class ExerciseError(ValueError):
    """Base class, so a caller can catch every exercise-kit problem in one place."""


class AnswerError(ExerciseError):
    """An answer that cannot be checked: wrong type, out of range, or for an unknown question.

    The answer is not saved; whatever was saved before for that question stays as it was.
    """


class BankError(ExerciseError):
    """A question bank file that is missing, unreadable or inconsistent (an authoring mistake)."""


class SheetError(ExerciseError):
    """An answer sheet that cannot be used: not JSON, not a sheet, another bank/version/student."""


class DataCheckError(ExerciseError):
    """A data question whose correct answer could not be computed from the dataset."""
