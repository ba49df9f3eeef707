"""A learner's answers are private files, even in a home folder others can read.

Many hubs create homes readable by all (Debian's useradd does, with its default umask), so the
course cannot rely on the home's mode: it keeps the sheets in a folder for the owner only (0700)
and makes them readable by the owner only (0600).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.exercises import load_bank, load_quiz
from helpers.exercises.sheet import sheet_path


@pytest.fixture
def shared_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CSTO_ANSWERS_DIR", raising=False)
    monkeypatch.delenv("CSTO_STUDENT_ID", raising=False)
    old = os.umask(0o022)
    try:
        yield home
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_answers_are_for_their_owner_only(shared_home: Path):
    bank = load_bank("00_demo")
    question = next(q for q in bank.questions if q.kind == "single")
    quiz = load_quiz("00_demo")
    quiz.set_student("maria.k")
    quiz.submit(question.id, question.answer)
    course = shared_home / ".csto-course"
    sheet = sheet_path(course / "answers", "00_demo", "maria.k")
    assert sheet.is_file()
    assert (mode(course / "answers"), mode(sheet)) == (0o700, 0o600)


def test_a_sheet_saved_readable_by_all_becomes_private(shared_home: Path):
    bank = load_bank("00_demo")
    question = next(q for q in bank.questions if q.kind == "single")
    quiz = load_quiz("00_demo", student_id="maria.k")
    quiz.submit(question.id, question.answer)
    sheet = sheet_path(shared_home / ".csto-course" / "answers", "00_demo", "maria.k")
    sheet.chmod(0o644)  # as an older version of the course left it
    quiz.submit(question.id, question.answer)
    assert mode(sheet) == 0o600
