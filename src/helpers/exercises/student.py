"""The learner's id: asked once, remembered in ~/.csto-course/student.json, put on every sheet.

``CSTO_STUDENT_ID`` overrides the remembered id, which suits shared machines, classroom set-ups
and tests. Ids are restricted to letters, digits, dot, dash and underscore because they become
part of the answer sheet's file name.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from helpers.exercises.errors import ExerciseError
from helpers.files import write_text_atomic

STUDENT_ENV = "CSTO_STUDENT_ID"
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def course_home() -> Path:
    """The per-user folder of the course (each JupyterHub user has their own home)."""
    return Path.home() / ".csto-course"


def validate_student_id(value: object) -> str:
    """The id stripped of spaces; ExerciseError with the rule if it cannot name a file."""
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str) or not _VALID_ID.fullmatch(text):
        raise ExerciseError(
            f"Student id {value!r} is not usable: expected 1 to 64 letters, digits, '.', '-' or "
            "'_', starting with a letter or digit (for example 'maria.k' or 's1042')."
        )
    return text


def known_student_id() -> str | None:
    """The id from ``CSTO_STUDENT_ID``, else the remembered one, else None (ask the learner)."""
    if os.environ.get(STUDENT_ENV):
        return validate_student_id(os.environ[STUDENT_ENV])
    try:
        stored = json.loads((course_home() / "student.json").read_text(encoding="utf-8"))
        return validate_student_id(stored["student_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember_student_id(value: object) -> str:
    """Check and store the id, so the learner is not asked again in the next notebook."""
    student_id = validate_student_id(value)
    text = json.dumps({"student_id": student_id}, indent=2) + "\n"
    write_text_atomic(course_home() / "student.json", text)
    return student_id
