"""Two sessions saving to one answer sheet at once (two tabs, a tab and a headless run) never lose
an answer or an attempt: every read-merge-write of a sheet holds its lock."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from helpers.exercises.sheet import read_sheet
from tests.exercise_samples import write_bank

SAVES = 200
SESSION = textwrap.dedent("""
    import sys
    from helpers.exercises import load_quiz

    banks, answers, first, own = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    quiz = load_quiz("sample", answers_dir=answers, student_id="alice", banks_dir=banks)
    for number in range({saves}):
        quiz.submit("force_size", first + number)   # the question both sessions answer
        quiz.submit(own, f"{{first}}-{{number}}" if own == "thoughts" else number)
    assert not quiz.warnings, quiz.warnings
""").format(saves=SAVES)


def test_two_processes_saving_200_times_each_lose_nothing(tmp_path: Path):
    banks = write_bank(tmp_path / "banks").parent
    answers = tmp_path / "answers"
    sessions = [
        subprocess.Popen([sys.executable, "-c", SESSION, str(banks), str(answers), str(first), own],
                         stderr=subprocess.PIPE, text=True)
        for first, own in ((1000, "rapid_force"), (2000, "thoughts"))
    ]
    for session in sessions:
        _, error = session.communicate(timeout=600)
        assert session.returncode == 0, error

    saved = read_sheet(answers / "sample__alice.json").answers
    assert saved["force_size"].attempts == 2 * SAVES, "every attempt of both sessions counts"
    assert saved["force_size"].answer in (1000 + SAVES - 1, 2000 + SAVES - 1), (
        "the final answer is the last one a session saved"
    )
    assert (saved["rapid_force"].answer, saved["rapid_force"].attempts) == (SAVES - 1, SAVES)
    assert (saved["thoughts"].answer, saved["thoughts"].attempts) == (f"2000-{SAVES - 1}", SAVES)
    assert sorted(path.name for path in answers.iterdir()) == [
        ".sample__alice.json.lock", "sample__alice.json"]


def test_a_save_that_cannot_get_the_lock_keeps_the_answer_in_the_session(tmp_path, monkeypatch):
    from helpers.exercises import load_quiz, sheet

    banks = write_bank(tmp_path / "banks").parent
    answers = tmp_path / "answers"
    quiz = load_quiz("sample", answers_dir=answers, student_id="alice", banks_dir=banks)
    quiz.submit("treaty_city", "a")
    monkeypatch.setattr(sheet, "LOCK_TIMEOUT", 0.2)
    with sheet.sheet_lock(answers / "sample__alice.json"):  # another session, stuck mid-save
        result = quiz.submit("treaty_city", "b")
    assert result.verdict == "Correct", "the learner still gets feedback"
    assert quiz.saved("treaty_city").attempts == 2
    assert quiz.warnings == ["Your answer could not be saved to sample__alice.json (another "
                             "session kept it locked); it is kept in this session only."]
    assert read_sheet(answers / "sample__alice.json").answers["treaty_city"].answer == "a"
