"""On a hub, csto-collect takes a student's sheets from their own home only.

The hub test proves it with real Unix users (as root); this one runs anywhere, with the owner of
an answers folder and the machine's users given by the test instead of the system.
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from helpers.classroom import collect as collecting
from helpers.classroom import folders
from helpers.classroom.folders import answers_folder_owner
from helpers.exercises import load_bank, load_quiz
from helpers.exercises.sheet import sheet_path

USERS = {"ana", "ben"}


def answer_as(answers: Path, student: str) -> None:
    question = next(q for q in load_bank("00_demo").questions if q.kind == "single")
    load_quiz("00_demo", answers_dir=answers, student_id=student).submit(question.id,
                                                                          question.answer)


def test_a_sheet_naming_another_user_is_not_taken_from_a_home(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    homes = {user: tmp_path / "home" / user / ".csto-course" / "answers" for user in USERS}
    answer_as(homes["ana"], "ana")
    answer_as(homes["ben"], "ben")
    answer_as(homes["ana"], "ben")  # ana, under ben's id, in her own folder
    answer_as(homes["ana"], "guest.7")  # an id that is nobody's user name
    owners = {folder: user for user, folder in homes.items()}
    monkeypatch.setattr(collecting, "answers_folder_owner", lambda folder: owners.get(folder))
    monkeypatch.setattr(collecting, "is_user", lambda name: name in USERS)

    result = collecting.collect([str(tmp_path / "home" / "*" / ".csto-course" / "answers")],
                                tmp_path / "collected")

    ben = sheet_path(tmp_path / "collected", "00_demo", "ben")
    assert ben.read_bytes() == sheet_path(homes["ben"], "00_demo", "ben").read_bytes()
    assert sheet_path(tmp_path / "collected", "00_demo", "guest.7").is_file()
    skipped = "\n".join(result.report.lines["skipped"])
    assert "the sheet of student 'ben' is in the answers folder of user 'ana'" in skipped
    assert "duplicates" not in result.report.lines


def test_only_a_users_own_answers_folder_has_an_owner(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path / "home" / "ana"
    entry = pwd.struct_passwd(("ana", "x", os.getuid(), os.getgid(), "", str(home), "/bin/sh"))
    monkeypatch.setattr(folders.pwd, "getpwuid", lambda uid: entry)
    own = home / ".csto-course" / "answers"
    elsewhere = tmp_path / "copies" / ".csto-course" / "answers"
    for folder in (own, elsewhere):
        folder.mkdir(parents=True)
    assert answers_folder_owner(own) == "ana"
    assert answers_folder_owner(elsewhere) is None  # not in the home of the folder's owner
    assert answers_folder_owner(home) is None  # not an answers folder
