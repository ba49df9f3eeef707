"""Errors of the classroom tools (hand-in, collecting, LMS export).

``ClassroomError`` is an ``ExerciseError``, so ``csto-grade`` reports a bad roster or LMS option
the same way it reports any other problem with its input.
"""

from __future__ import annotations

from helpers.exercises.errors import ExerciseError


class ClassroomError(ExerciseError):
    """A problem that stops one classroom command; the message names the file or option."""
