"""A quiz: one exercise notebook's questions, the learner's answer sheet, and how to show them.

Exercise notebooks call ``load_quiz("01_history", answers=answers, answers_dir=answers_dir)`` and
``quiz.show()``. With ``answers`` None the learner gets widgets (and a static worksheet where no
widgets can run); with ``answers`` given (a papermill parameter: a mapping of question id to
answer, or the path of an answer sheet) the same checking core marks them and the notebook prints
a deterministic report. Every checked answer is saved at once to the learner's sheet.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from helpers.exercises.bank import Bank, load_bank
from helpers.exercises.errors import ExerciseError, SheetError
from helpers.exercises.questions import Question, Result, TableSource, check, dataset_tables
from helpers.exercises.report import (
    INDENT,
    Score,
    answer_block,
    heading,
    question_heading,
    score_of,
    worksheet,
)
from helpers.exercises.sheet import (
    AnswerSheet,
    Attempt,
    SavedAnswer,
    read_sheet,
    resolve_answers_dir,
    sheet_lock,
    sheet_path,
    utc_now,
    write_sheet,
)
from helpers.exercises.student import known_student_id, remember_student_id, validate_student_id
from helpers.exercises.versions import (
    CHANGED_NOTICE,
    changed_since_answer,
    open_sheet,
    reconcile,
    sheet_problems,
)
from helpers.params import ParameterError, check_data_dir
from helpers.problems import brief

PathLike = str | os.PathLike[str]


def load_quiz(
    name: str,
    answers: Mapping[str, object] | PathLike | None = None,
    answers_dir: PathLike | None = None,
    *,
    student_id: str | None = None,
    banks_dir: PathLike | None = None,
    data_dir: PathLike | None = None,
) -> Quiz:
    """The quiz for one exercise notebook, with the learner's saved answers restored.

    With ``answers`` given, they are checked at once. They are saved only if ``answers_dir`` is
    given too, so that a headless run with the key never overwrites a learner's own sheet.
    ``data_dir`` points the data questions at a copy of the dataset (checked at once).
    """
    bank = load_bank(name, banks_dir)
    if data_dir is not None:
        check_data_dir(data_dir)
    if answers is None:
        return Quiz(bank, answers_dir=answers_dir, student_id=student_id or known_student_id(),
                    data_dir=data_dir)
    given, sheet_student = _answers_parameter(answers, bank, dataset_tables(data_dir))
    saving = answers_dir is not None
    quiz = Quiz(bank, answers_dir=answers_dir, data_dir=data_dir,
                student_id=(student_id or sheet_student or known_student_id()) if saving else None)
    quiz.check_given(given, saving)
    return quiz


class Quiz:
    """The state of one exercise notebook for one learner: the bank, the sheet, the results."""

    def __init__(
        self,
        bank: Bank,
        *,
        answers_dir: PathLike | None = None,
        student_id: str | None = None,
        data_dir: PathLike | None = None,
    ) -> None:
        self.bank = bank
        self.answers_dir = resolve_answers_dir(answers_dir)
        self.tables = dataset_tables(data_dir)
        self.sheet = AnswerSheet("", bank.name)
        self.sheet_file: Path | None = None
        self.warnings: list[str] = []
        self.given: dict[str, object] | None = None
        self.problems: dict[str, str] = {}
        self.saving_note = ""
        self._student_listeners: list[Callable[[], None]] = []
        if student_id is not None:
            self.set_student(student_id, remember=False)

    @property
    def student_id(self) -> str | None:
        return self.sheet.student_id or None

    def on_student_set(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` once the learner has given an id (the widgets then show questions)."""
        self._student_listeners.append(listener)

    def set_student(self, student_id: object, *, remember: bool = True) -> None:
        """Use this id from now on, open (or start) its sheet, and remember the id if asked."""
        sid = validate_student_id(student_id)
        if remember:
            try:
                remember_student_id(sid)
            except OSError as error:
                self.warnings.append(f"Your id could not be remembered ({error.strerror}); "
                                     "you will be asked again next time.")
        try:
            self.sheet, messages = open_sheet(self.answers_dir, self.bank, sid, self.tables)
            self.sheet_file = sheet_path(self.answers_dir, self.bank.name, sid)
        except OSError as error:
            self.sheet, self.sheet_file = AnswerSheet(sid, self.bank.name), None
            messages = [f"Your answer sheet folder {self.answers_dir} cannot be used "
                        f"({error.strerror}); answers are kept in this session only."]
        self._warn(messages)
        for listener in self._student_listeners:
            listener()

    def saved(self, question_id: str) -> SavedAnswer | None:
        """The latest saved answer to a question (restored from disk when the quiz opened)."""
        return self.sheet.answers.get(question_id)

    def change_notice(self, question_id: str) -> str | None:
        """``CHANGED_NOTICE`` when the question's key or options changed after the saved answer
        was given (it has been checked again against the current version), else None."""
        saved = self.saved(question_id)
        question = self.bank.question(question_id)
        return CHANGED_NOTICE if saved and changed_since_answer(saved, question) else None

    def results(self) -> dict[str, Result]:
        return {qid: saved.result for qid, saved in self.sheet.answers.items()}

    def score(self) -> Score:
        return score_of(self.bank, self.results())

    def submit(self, question_id: str, answer: object) -> Result:
        """Check an answer, count the attempt and save it; ExerciseError if it cannot be checked.

        A refused answer changes nothing: the previously saved answer stays on the sheet.
        """
        question = self.bank.question(question_id)
        normalized = question.normalize(answer)
        result = check(question, normalized, self.tables)
        self._save_attempt(question, normalized, result)
        return result

    def _save_attempt(self, question: Question, answer: object, result: Result) -> None:
        """Add one attempt to the sheet on disk, holding its lock from reading to writing.

        Another kernel on the same notebook (a second tab, a headless run) may have saved in the
        meantime: its answers and attempts are read back, this attempt is counted on top of
        them, and answers known only in this session (say, after a damaged file was set aside)
        are kept. Without a sheet file, or when the disk fails, the attempt lives in memory.
        """
        def add_attempt(sheet: AnswerSheet) -> None:
            previous = sheet.answers.get(question.id)
            saved = SavedAnswer(answer, (previous.attempts if previous else 0) + 1, result,
                                question.version, previous.history if previous else [])
            saved.add_attempt(Attempt(saved.attempts, utc_now(), result.score, result.correct,
                                      question.version, answer if result.graded else None))
            sheet.answers[question.id] = saved

        if self.sheet_file is None or self.student_id is None:
            add_attempt(self.sheet)
            return
        try:
            with sheet_lock(self.sheet_file):
                on_disk, messages = open_sheet(self.answers_dir, self.bank, self.student_id,
                                               self.tables)
                on_disk.answers = {**self.sheet.answers, **on_disk.answers}
                add_attempt(on_disk)
                write_sheet(self.sheet_file, on_disk)
            self.sheet = on_disk
            self._warn(messages)
        except OSError as error:
            add_attempt(self.sheet)
            reason = error.strerror or "another session kept it locked"
            self.warnings.append(f"Your answer could not be saved to {self.sheet_file.name} "
                                 f"({reason}); it is kept in this session only.")

    def _warn(self, messages: list[str]) -> None:
        """Add messages for the learner, each once (a save may meet what opening already said)."""
        self.warnings += [text for text in messages if text not in self.warnings]

    def check_given(self, given: Mapping[str, object], saving: bool) -> None:
        """Check answers passed as a parameter; refused ones are reported, not fatal."""
        self.given = dict(given)
        for qid, answer in given.items():
            try:
                self.submit(qid, answer)
            except ExerciseError as error:
                self.problems[str(qid)] = str(error)
        if not saving:
            self.saving_note = "Answers not saved (pass answers_dir to save an answer sheet)."
        elif self.sheet_file is None:
            self.saving_note = ("Answers not saved: no student id (pass student_id or set "
                                "CSTO_STUDENT_ID).")
        else:
            self.saving_note = f"Answers saved to {self.sheet_file.name}."

    def show(self, *question_ids: str) -> None:
        """Show some questions (default: all): widgets, or the report when answers were given."""
        questions = self._select(question_ids)
        if self.given is not None:
            print(self.report(questions, summary=not question_ids))
            return
        from helpers.exercises.widgets import display_quiz

        display_quiz(self, questions)

    def show_score(self) -> None:
        print(self.score().text())

    def report(self, questions: list[Question] | None = None, *, summary: bool = True) -> str:
        """The checked answers as text: each question, the answer, the verdict and feedback."""
        questions = list(self.bank.questions) if questions is None else questions
        lines = [heading(self.bank)]
        if summary:
            count = len(self.given or {})
            lines.append(f"Checked {count} answer{'s' if count != 1 else ''} given as a parameter.")
            lines += [f"Not checked: {message}" for qid, message in self.problems.items()
                      if qid not in self.bank.ids]
        for question in questions:
            lines += ["", question_heading(self.bank, question)]
            saved = self.saved(question.id)
            if question.id in self.problems:
                lines.append(f"   Not checked — {self.problems[question.id]}")
            elif saved is None:
                lines.append("   No answer given.")
            else:
                lines += answer_block(question, saved.answer, saved.result)
                notice = self.change_notice(question.id)
                lines += [INDENT + notice] if notice else []
        if summary:
            lines += ["", self.score().text(), self.saving_note, *self.warnings]
        return "\n".join(lines).rstrip()

    def worksheet(self, questions: list[Question] | None = None) -> str:
        return worksheet(self.bank, self.bank.questions if questions is None else questions)

    def _select(self, question_ids: tuple[str, ...]) -> list[Question]:
        if not question_ids:
            return list(self.bank.questions)
        return [self.bank.question(qid) for qid in question_ids]


def _answers_parameter(
    answers: Mapping[str, object] | PathLike, bank: Bank, tables: TableSource
) -> tuple[dict[str, object], str | None]:
    """The ``answers`` parameter as a mapping, plus the student id when it names a sheet.

    Text starting with ``{`` (or ``[``) is JSON, as ``papermill -p answers '{"q1": "a"}'``
    passes it (papermill's ``-p`` gives text); other text is the path of a sheet.
    """
    if isinstance(answers, Mapping):
        return dict(answers), None
    if isinstance(answers, str) and answers.lstrip().startswith(("{", "[")):
        expected = """expected a JSON object such as '{"question_id": "a"}'"""
        if len(answers) > 1_000_000:
            raise ParameterError(f"Parameter answers has {len(answers):,} characters; {expected}.")
        try:
            given = json.loads(answers)
        except (ValueError, RecursionError) as error:  # ValueError: JSONDecodeError, long numbers
            reason = getattr(error, "msg", type(error).__name__)
            raise ParameterError(
                f"Parameter answers={brief(answers)} is not valid JSON ({reason}); {expected}."
            ) from None
        if not isinstance(given, dict):
            raise ParameterError(f"Parameter answers={brief(answers)}: {expected}.")
        return given, None
    if not isinstance(answers, str | os.PathLike):
        raise ParameterError(
            f"Parameter answers={brief(answers)} is not usable: expected None, a mapping of "
            "question id to answer, a JSON object as text, or the path of an answer sheet (.json)."
        )
    path = Path(answers).expanduser()
    try:
        sheet = read_sheet(path)
    except SheetError as error:
        raise ParameterError(f"Parameter answers={str(answers)!r}: {error}") from None
    problems = sheet_problems(sheet, bank, path.name)
    if problems:
        raise ParameterError(f"Parameter answers={str(answers)!r}: {problems[0]}.")
    reconcile(sheet, bank, tables)  # answers that no longer fit are left out, as on opening
    return {qid: saved.answer for qid, saved in sheet.answers.items()}, sheet.student_id
