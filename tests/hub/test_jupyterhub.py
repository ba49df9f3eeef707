"""A class on a real JupyterHub: two students answer in their own servers, a teacher grades.

Each student logs in through the hub's login page in Chromium, gets their own JupyterLab
(running as their Unix user), follows the course's nbgitpuller link (which clones the course
into their home and opens an exercise notebook) and answers two questions through the widgets.
Then: each sheet is in its owner's home and nowhere else, readable by its owner only; neither
student can read or overwrite the other's answers with the course's tools; the teacher collects
the sheets and grades them, and the gradebook has both students with their scores.
"""

from __future__ import annotations

import csv
import json
import re
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpers.exercises import load_bank
from helpers.exercises.bank import Bank
from helpers.exercises.questions import CORRECT, NOT_QUITE, Question, check, dataset_tables
from helpers.exercises.report import score_of
from helpers.exercises.sheet import read_sheet, sheet_path
from helpers.hub.links import nbgitpuller_link
from tests.browser.lab import ACTIVE, run_all, wait_for_idle_kernel
from tests.browser.session import BrowserPage
from tests.hub.conftest import COURSE_FOLDER, STUDENTS, Hub
from tests.hub.users import VENV_BIN, base_env, run_as

pytestmark = [pytest.mark.hub, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "build" / "browser-artifacts"
BANK = "00_demo"
NOTEBOOK = f"exercises/{BANK}_exercises.ipynb"


@dataclass
class Answered:
    """What a student typed into the widgets, and the feedback they saw."""

    answers: dict[str, object]
    feedback: dict[str, str]


def chosen_answers(bank: Bank, right: bool) -> dict[str, object]:
    """The first single-choice question answered right; the first numeric one right or wrong."""
    single = next(q for q in bank.questions if q.kind == "single")
    numeric = next(q for q in bank.questions if q.kind == "numeric")
    return {single.id: single.answer, numeric.id: numeric.answer if right else numeric.answer * 3}


def answer_question(session: BrowserPage, question: Question, answer: object) -> str:
    """Answer one question through the exercise widgets and return the feedback they show.

    The one place that knows how a question looks, kept to what any accessible form has: the
    question is the nearest block around its prompt that has a button; an option is chosen by its
    label, a number typed into the text box, then the "Check answer" button pressed and the
    status area read.
    """
    page = session.page
    prompt = page.locator(ACTIVE).get_by_text(question.prompt, exact=False).first
    box = prompt.locator("xpath=ancestor::*[.//button][1]")
    if question.kind == "single":
        box.get_by_label(question.options[answer]).check()
    elif question.kind in ("numeric", "data"):
        box.get_by_role("textbox").fill(f"{answer:g}" if isinstance(answer, float) else str(answer))
    else:
        raise NotImplementedError(f"answering a {question.kind} question in the browser")
    box.get_by_role("button", name="Check answer").click()
    feedback = box.get_by_role("status")
    expect(feedback).to_have_text(re.compile(r"\S"), timeout=30_000)
    return feedback.inner_text()


def log_in(session: BrowserPage, hub: Hub, user: str) -> None:
    page = session.page
    page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
    page.get_by_label("Username:").fill(user)
    page.get_by_label("Password:").fill(hub.passwords[user])
    page.get_by_role("button", name="Sign in").click()
    # The hub starts the user's server and then opens JupyterLab in it.
    page.wait_for_url(re.compile(rf"/user/{user}/lab"), timeout=180_000)
    page.wait_for_selector("#jp-main-dock-panel", timeout=120_000)


def follow_course_link(session: BrowserPage, hub: Hub, user: str) -> None:
    """The link a teacher hands out: nbgitpuller clones the course and opens the notebook."""
    page = session.page
    page.goto(nbgitpuller_link(hub.url, hub.course_repo, open_path=NOTEBOOK),
              wait_until="domcontentloaded")
    page.wait_for_url(re.compile(rf"/user/{user}/lab/tree/{COURSE_FOLDER}/{NOTEBOOK}"),
                      timeout=180_000)
    page.wait_for_selector(f"{ACTIVE} .jp-Cell", timeout=120_000)
    wait_for_idle_kernel(session)


@pytest.fixture(scope="module")
def answered(hub: Hub, chromium) -> dict[str, Answered]:
    """Each student logs in, opens the exercise notebook, runs it and answers two questions."""
    bank = load_bank(BANK)
    done = {}
    for user, right in zip(STUDENTS, (True, False), strict=True):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        session = BrowserPage.open(chromium, ARTIFACTS / f"hub-{user}.png")
        try:
            log_in(session, hub, user)
            follow_course_link(session, hub, user)
            run_all(session)
            answers = chosen_answers(bank, right)
            feedback = {qid: answer_question(session, bank.question(qid), answer)
                        for qid, answer in answers.items()}
            session.shoot()
        except Exception as error:
            shot = session.shoot()
            raise AssertionError(
                f"{user} in the browser at {session.page.url}: {error}\nscreenshot: {shot}\n"
                f"hub log:\n{hub.log_tail()}") from error
        finally:
            session.close()
        done[user] = Answered(answers, feedback)
    return done


def test_students_get_feedback_in_their_own_servers(answered: dict[str, Answered]):
    bank = load_bank(BANK)
    tables = dataset_tables()
    for user, what in answered.items():
        for qid, answer in what.answers.items():
            question = bank.question(qid)
            verdict = check(question, question.normalize(answer), tables).verdict
            assert verdict in (CORRECT, NOT_QUITE)
            assert what.feedback[qid].startswith(verdict), (user, qid, what.feedback[qid])


def test_each_sheet_is_in_its_owners_home_only(hub: Hub, answered: dict[str, Answered]):
    homes = [hub.home(user) for user in [*STUDENTS, hub.teacher]]
    for user, what in answered.items():
        home = hub.home(user)
        sheet = sheet_path(home / ".csto-course" / "answers", BANK, user)
        found = sorted(p for root in [*homes, REPO] for p in root.rglob(sheet.name))
        assert found == [sheet], f"{user}'s sheet should be in their home only: {found}"
        saved = read_sheet(sheet)
        assert saved.student_id == user
        assert {qid: s.answer for qid, s in saved.answers.items()} == {
            qid: load_bank(BANK).question(qid).normalize(a) for qid, a in what.answers.items()}
        status = sheet.stat()
        assert status.st_uid == home.stat().st_uid
        assert stat.S_IMODE(status.st_mode) == 0o600, "a sheet must be readable by its owner only"
        assert stat.S_IMODE(sheet.parent.stat().st_mode) == 0o700


def _as_student(hub: Hub, user: str, script: str, *args: str,
                extra: dict | None = None) -> subprocess.CompletedProcess[str]:
    env = {**base_env(hub.home(user)), "CSTO_STUDENT_ID": user, **(extra or {})}
    return run_as(user, [str(VENV_BIN / "python"), "-c", script, *args], env, check=False)


OPEN_AND_ANSWER = """
import json, sys
from helpers.exercises import load_quiz
kwargs = json.loads(sys.argv[1])
quiz = load_quiz("00_demo", **kwargs)
print(json.dumps({"saved": sorted(quiz.sheet.answers), "warnings": quiz.warnings}))
quiz.submit(sys.argv[2], sys.argv[3])
print(json.dumps({"file": str(quiz.sheet_file), "warnings": quiz.warnings}))
"""


def test_a_student_cannot_reach_anothers_answers(hub: Hub, answered: dict[str, Answered]):
    ana, ben = STUDENTS
    bank = load_bank(BANK)
    single = next(q for q in bank.questions if q.kind == "single")
    wrong = next(key for key in single.options if key != single.answer)
    ben_dir = hub.home(ben) / ".csto-course" / "answers"
    ben_sheet = sheet_path(ben_dir, BANK, ben)
    before = ben_sheet.read_bytes()

    attempts = {
        "answers_dir": (json.dumps({"answers_dir": str(ben_dir)}), {}),
        "answers_dir and id": (json.dumps({"answers_dir": str(ben_dir), "student_id": ben}), {}),
        "CSTO_ANSWERS_DIR": ("{}", {"CSTO_ANSWERS_DIR": str(ben_dir)}),
    }
    for how, (kwargs, extra) in attempts.items():
        done = _as_student(hub, ana, OPEN_AND_ANSWER, kwargs, single.id, wrong, extra=extra)
        assert done.returncode == 0, done.stderr
        opened, answered_now = (json.loads(line) for line in done.stdout.splitlines()[:2])
        assert opened["saved"] == [], f"{how}: {ana} saw {ben}'s answers"
        assert any("(Permission denied)" in w for w in answered_now["warnings"]), (how, done)

    # Reading the other's sheet as the answers parameter, or grading their folder.
    done = _as_student(hub, ana, OPEN_AND_ANSWER, json.dumps({"answers": str(ben_sheet)}),
                       single.id, wrong)
    assert done.returncode != 0 and "(Permission denied)" in done.stderr
    grades = hub.home(ana) / "grades"
    grade = run_as(ana, [str(VENV_BIN / "csto-grade"), str(ben_dir), "--out", str(grades)],
                   base_env(hub.home(ana)), check=False)
    assert grade.returncode != 0 and not grades.exists()

    # Naming the other student only writes a sheet with that name in one's own home.
    done = _as_student(hub, ana, OPEN_AND_ANSWER, json.dumps({"student_id": ben}), single.id,
                       wrong)
    assert done.returncode == 0, done.stderr
    written = Path(json.loads(done.stdout.splitlines()[1])["file"])
    assert written.is_relative_to(hub.home(ana))
    assert ben_sheet.read_bytes() == before, f"{ben}'s sheet was changed"


def test_teacher_collects_and_grades(hub: Hub, answered: dict[str, Answered]):
    """The hub's admin (root) collects the sheets from the students' homes into the teacher's
    folder; the teacher grades them as their own Unix user. The sheet the other student wrote
    under a classmate's id (above) is reported, not collected."""
    teacher_home = hub.home(hub.teacher)
    collected = teacher_home / "collected"
    homes = f"{hub.home(STUDENTS[0]).parent}/cstohub-*/.csto-course/answers"
    subprocess.run([str(VENV_BIN / "csto-collect"), homes, "--out", str(collected)], check=True,
                   capture_output=True, text=True)
    for user in STUDENTS:
        own = read_sheet(sheet_path(hub.home(user) / ".csto-course" / "answers", BANK, user))
        taken = read_sheet(sheet_path(collected, BANK, user))
        assert taken.answers == own.answers, (
            f"the sheet collected for {user} is not the one in {user}'s home")
    report = (collected / "collect_report.txt").read_text(encoding="utf-8")
    assert (f"the sheet of student '{STUDENTS[1]}' is in the answers folder of user "
            f"'{STUDENTS[0]}'") in report
    subprocess.run(["chown", "-R", f"{hub.teacher}:", str(collected)], check=True)

    grades = teacher_home / "grades"
    run_as(hub.teacher, [str(VENV_BIN / "csto-grade"), str(collected), "--out", str(grades)],
           base_env(teacher_home))
    with (grades / "gradebook.csv").open(encoding="utf-8") as stream:
        book = {row["student_id"]: row for row in csv.DictReader(stream)}
    assert sorted(book) == sorted(STUDENTS)
    bank, tables = load_bank(BANK), dataset_tables()
    for user, what in answered.items():
        results = {qid: check(bank.question(qid), bank.question(qid).normalize(answer), tables)
                   for qid, answer in what.answers.items()}
        assert float(book[user][BANK]) == score_of(bank, results).percent, user
    assert float(book[STUDENTS[0]][BANK]) > float(book[STUDENTS[1]][BANK])
