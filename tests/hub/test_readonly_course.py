"""Nothing in the course needs write access to the course folder (on hubs it is often read-only).

A copy of the course is made read-only (chmod -R a-w) and used by an ordinary user, as a student
on a hub would: root ignores file modes, so when the tests run as root they create a throwaway
user and run every step as that user. The steps are the suite's key parts: a core notebook and an
exercise notebook under papermill (outputs elsewhere), loading data with its validation cache,
answering questions, csto-key and csto-grade. Each must work, the course copy must be left
exactly as it was, and what the course keeps (answers, cache) must be in the user's home.
"""

from __future__ import annotations

import csv
import json
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.exercises import load_bank
from helpers.exercises.questions import dataset_tables
from tests.hub.users import (
    VENV_BIN,
    base_env,
    ensure_user,
    is_root,
    passage_for,
    remove_user,
    run_as,
    unusable_checkout,
)

pytestmark = pytest.mark.notebook

REPO = Path(__file__).resolve().parents[2]
READER = "cstohub-reader"
CORE = "01_history"
BANK = "01_history"
ANSWERED = ("paper_shell", "uzbekistan_start")


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str | None, Path]]:
    """(user to run as, or None for the current one; that user's home)."""
    if not is_root():
        yield None, tmp_path_factory.mktemp("home")
        return
    home = Path(ensure_user(READER).pw_dir)
    try:
        with passage_for([READER]):
            problem = unusable_checkout(READER)
            if problem:
                pytest.fail(problem)
            yield READER, home
    finally:
        remove_user(READER)


@pytest.fixture(scope="module")
def readonly_course() -> Iterator[Path]:
    """notebooks/, exercises/ and data/ copied, then made read-only for everyone."""
    root = Path(tempfile.mkdtemp(prefix="csto-readonly-"))
    root.chmod(0o755)
    course = root / "course"
    for part in ("notebooks", "exercises", "data"):
        shutil.copytree(REPO / part, course / part,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for path in [course, *course.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield course
    finally:
        for path in [course, *course.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
        shutil.rmtree(root)


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {str(path.relative_to(folder)): (path.stat().st_mode, path.stat().st_size,
                                            path.stat().st_mtime_ns)
            for path in [folder, *folder.rglob("*")]}


def key_answers() -> dict[str, object]:
    tables = dataset_tables()
    return {q.id: q.expected(tables) for q in load_bank(BANK).questions}


def test_the_course_runs_from_a_read_only_folder(reader, readonly_course: Path):
    user, home = reader
    course = readonly_course
    before = snapshot(course)
    env = {**base_env(home), "CSTO_DATA_DIR": str(course / "data"),
           "CSTO_BANKS_DIR": str(course / "exercises" / "banks")}
    out = home / "out"
    run_as(user, ["mkdir", "-p", str(out)], env)
    papermill = [str(VENV_BIN / "papermill"), "--kernel", "python3", "--no-progress-bar"]

    # A core notebook and an exercise notebook (answered with the key, saved in the home).
    run_as(user, [*papermill, "--cwd", str(course / "notebooks"),
                  str(course / "notebooks" / f"{CORE}.ipynb"), str(out / f"{CORE}.ipynb")], env)
    answers = json.dumps({"answers": key_answers(), "answers_dir": str(home / "run-answers")})
    exercise = f"{BANK}_exercises.ipynb"
    run_as(user, [*papermill, "--cwd", str(course / "exercises"), "-y", answers,
                  str(course / "exercises" / exercise), str(out / exercise)],
           {**env, "CSTO_STUDENT_ID": "reader-run"})
    printed = (out / exercise).read_text(encoding="utf-8")
    assert "(100%)" in printed and "Answers saved to" in printed

    # Answering as a learner does: the id is asked once and remembered, answers are autosaved.
    bank = load_bank(BANK)
    script = (
        "import sys, json\n"
        "from helpers.data import load_table\n"
        "from helpers.exercises import load_quiz\n"
        "load_table('crises')\n"
        f"quiz = load_quiz({BANK!r})\n"
        "quiz.set_student('reader.1')\n"
        "for qid, answer in json.loads(sys.argv[1]).items():\n"
        "    print(qid, quiz.submit(qid, answer).verdict)\n"
    )
    given = {qid: bank.question(qid).answer for qid in ANSWERED}
    done = run_as(user, [str(VENV_BIN / "python"), "-c", script, json.dumps(given)], env)
    assert done.stdout.count("Correct") == len(ANSWERED), done.stdout

    # The teacher's tools, with their outputs outside the course.
    run_as(user, [str(VENV_BIN / "csto-key"), "--out", str(out / "key.html")], env)
    sheets = home / ".csto-course" / "answers"
    run_as(user, [str(VENV_BIN / "csto-grade"), str(sheets), "--out", str(out / "grades")], env)

    # Run from inside the read-only course, their default outputs cannot be written there: each
    # says so and where to write instead, with no traceback and nothing half-written.
    for tool, default in (("csto-key", "answer-key.html"), ("csto-grade", "grades")):
        arguments = [str(sheets)] if tool == "csto-grade" else []
        done = run_as(user, [str(VENV_BIN / tool), *arguments], env, cwd=course, check=False)
        assert done.returncode == 1, done.stdout
        assert "cannot write" in done.stderr and default in done.stderr, done.stderr
        assert "--out" in done.stderr and "Traceback" not in done.stderr, done.stderr

    assert snapshot(course) == before, "the read-only course folder was changed"
    assert json.loads((home / ".csto-course" / "student.json").read_text())["student_id"] == \
        "reader.1"
    assert (sheets / f"{BANK}__reader.1.json").is_file()
    assert (home / "run-answers" / f"{BANK}__reader-run.json").is_file()
    stamps = list((home / ".cache" / "csto-course" / "validated").glob("*.ok"))
    assert stamps, "the data validation stamp is not in the user's cache folder"
    assert "Answer key" in (out / "key.html").read_text(encoding="utf-8")
    with (out / "grades" / "gradebook.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["student_id"] for row in rows] == ["reader.1"]
    sheet = sheets / f"{BANK}__reader.1.json"
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    assert sheet.stat().st_uid == home.stat().st_uid
