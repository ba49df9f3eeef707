"""Question types and the one checking function, in pure Python (no widgets).

``check(question, answer)`` is the single answer channel: the widgets, a papermill parameter, the
answer key and the grading command all go through it, so a question is right or wrong in the same
way everywhere. Answers are first normalised (and refused with a clear message if they have the
wrong type or name something that does not exist), then scored from 0 to 1 with feedback in words.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from functools import cached_property
from typing import Any, ClassVar

from helpers.exercises.bounded import shown
from helpers.exercises.errors import AnswerError, BankError, DataCheckError, ExerciseError
from helpers.exercises.solutions import Solution, parse_solution

TableSource = Callable[[str], Any]
"""Returns a dataset table (a pandas DataFrame) by name; tests pass small in-memory tables.
A name the dataset does not have raises KeyError."""

CORRECT = "Correct"
PARTLY = "Partly right"
NOT_QUITE = "Not quite"
SAVED = "Saved"
MAX_SHORT_ANSWER = 200
MAX_TEXT_ANSWER = 20_000
TRY_AGAIN = "Try again, with the source as your guide."


@dataclass(frozen=True)
class Result:
    """The outcome of checking one answer, with everything a learner needs to read.

    ``score`` and ``correct`` are None for reflections, which are saved but not graded.
    """

    question_id: str
    verdict: str
    feedback: str
    source: str
    score: float | None = None
    correct: bool | None = None
    hint: str = ""

    @property
    def graded(self) -> bool:
        return self.score is not None

    def text(self) -> str:
        """The verdict in words, then the feedback and the source, as one line of text."""
        line = f"{self.verdict} — {self.feedback}"
        return f"{line} Source: {self.source}" if self.source else line

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "feedback": self.feedback,
            "source": self.source,
            "score": self.score,
            "correct": self.correct,
            "hint": self.hint,
        }

    @classmethod
    def from_dict(cls, question_id: str, data: Mapping[str, Any]) -> Result:
        """Rebuild a saved result; raises KeyError or TypeError on a damaged record."""
        score = data["score"]
        if score is not None and not isinstance(score, int | float):
            raise TypeError(f"score must be a number or null, not {score!r}")
        return cls(
            question_id,
            str(data["verdict"]),
            str(data["feedback"]),
            str(data["source"]),
            None if score is None else float(score),
            data["correct"] if isinstance(data["correct"], bool) else None,
            str(data.get("hint", "")),
        )


def check(question: Question, answer: object, tables: TableSource | None = None) -> Result:
    """Check one answer: normalise it (AnswerError if unusable), then score it with feedback.

    ``tables`` serves data questions; by default they read the course dataset.
    """
    return question.evaluate(question.normalize(answer), tables or dataset_tables())


def dataset_tables(data_dir: str | os.PathLike[str] | None = None) -> TableSource:
    """Tables from the course dataset (or the copy in ``data_dir``), loaded only when asked for."""

    def load(name: str) -> Any:
        from helpers.data import load_table

        return load_table(name, data_dir)

    return load


class BatchTables:
    """Tables for checking many answers against one unchanging dataset (grading a class): each
    data question's answer is computed once per version of the question, and so is a failure
    to compute it."""

    def __init__(self, tables: TableSource) -> None:
        self._tables = tables
        self._answers: dict[str, float | str | ExerciseError] = {}

    def __call__(self, name: str) -> Any:
        return self._tables(name)

    def expected(self, question: DataQuestion) -> float | str:
        if question.version not in self._answers:
            try:
                self._answers[question.version] = question.expected(self._tables)
            except ExerciseError as error:
                self._answers[question.version] = error
        known = self._answers[question.version]
        if isinstance(known, ExerciseError):
            raise type(known)(str(known))
        return known


def prompt_says(prompt: str, instruction: str) -> bool:
    """Whether a question's prompt already gives this instruction ("Select all that apply."),
    so that a widget or a page does not say it a second time."""
    return instruction.casefold().rstrip(".") in prompt.casefold()


def format_number(value: float) -> str:
    """A number as people write it: 2,500 rather than 2500.0."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, kw_only=True)
class Question:
    """What every question has: an id, a prompt, where the answer comes from, a hint."""

    id: str
    prompt: str
    source: str
    hint: str = ""
    explanation: str = ""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    secret_fields: ClassVar[tuple[str, ...]] = ("answer", "explanation")
    # What decides whether an answer is right; rewording anything else keeps the version.
    key_fields: ClassVar[tuple[str, ...]] = ("answer",)

    @cached_property
    def version(self) -> str:
        """A short fingerprint of the key fields: it changes when the key, the options or the
        tolerance change, and not when the prompt, a hint, the explanation or feedback does."""
        fields = {name: _canonical(getattr(self, name)) for name in self.key_fields}
        text = json.dumps({"type": self.kind, **fields}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def normalize(self, answer: object) -> Any:
        """The answer in canonical, JSON-ready form; AnswerError if it cannot be checked."""
        raise NotImplementedError

    def evaluate(self, answer: Any, tables: TableSource) -> Result:
        """Score a normalised answer."""
        raise NotImplementedError

    def expected(self, tables: TableSource) -> Any:
        """The correct answer in the same form ``normalize`` returns."""
        raise NotImplementedError

    def describe(self, answer: Any) -> str:
        """A normalised answer in words, for reports, the key and the item analysis."""
        raise NotImplementedError

    def explained(self, expected: Any) -> str:
        """The explanation shown with a right answer (data questions insert their value)."""
        return self.explanation

    def choice_lines(self) -> list[str]:
        """How the learner answers: the choices, or what kind of answer is expected."""
        raise NotImplementedError

    def _refuse(self, expected: str, got: object) -> AnswerError:
        return AnswerError(f"Question {self.id!r} ({self.label}) expects {expected}; "
                           f"got {shown(got)}.")

    def _graded(self, score: float, notes: list[str], explanation: str | None = None) -> Result:
        """Turn a score into a verdict in words: the explanation when right, pointers when not."""
        score = round(min(max(score, 0.0), 1.0), 4)
        if score >= 1.0:
            feedback = explanation if explanation is not None else self.explanation
            return Result(self.id, CORRECT, feedback, self.source, 1.0, True)
        verdict = PARTLY if score > 0 else NOT_QUITE
        feedback = " ".join([*notes, TRY_AGAIN])
        return Result(self.id, verdict, feedback, self.source, score, False, self.hint)


def _number(question: Question, answer: object) -> float:
    """Accept a real number, or text that is one ("2500"); refuse words, booleans, NaN."""
    value: float | None = None
    try:
        if isinstance(answer, int | float) and not isinstance(answer, bool):
            value = float(answer)
        elif isinstance(answer, str) and len(answer) <= MAX_SHORT_ANSWER:
            value = float(answer.strip().replace(" ", ""))
    except (ValueError, OverflowError):
        value = None
    if value is None or not math.isfinite(value):
        raise question._refuse("a number such as 2500 or 12.5", answer)
    return value


def _within(value: float, expected: float, tolerance: float, relative: float | None) -> bool:
    """Inside the tolerance, edge included (so 10% of 2,500 accepts exactly 2,250 and 2,750)."""
    allowed = max(tolerance, (relative or 0.0) * abs(expected))
    gap = abs(value - expected)
    return gap <= allowed or math.isclose(gap, allowed, rel_tol=1e-9, abs_tol=1e-12)


def _direction(value: float, expected: float) -> str:
    return "Your answer is too high." if value > expected else "Your answer is too low."


def _tolerance_words(tolerance: float, relative: float | None) -> str:
    if relative:
        return f"within {format_number(relative * 100)}% of the answer"
    if tolerance:
        return f"within ±{format_number(tolerance)} of the answer"
    return "the exact value only"


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    options: dict[str, str]
    answer: str
    option_feedback: dict[str, str] = field(default_factory=dict)

    kind: ClassVar[str] = "single"
    label: ClassVar[str] = "single choice"
    secret_fields: ClassVar[tuple[str, ...]] = ("answer", "explanation", "option_feedback")
    key_fields: ClassVar[tuple[str, ...]] = ("options", "answer")

    def normalize(self, answer: object) -> str:
        if not isinstance(answer, str) or answer not in self.options:
            raise self._refuse(f"one option id out of {_ids(self.options)}", answer)
        return answer

    def evaluate(self, answer: str, tables: TableSource) -> Result:
        notes = [self.option_feedback[answer]] if answer in self.option_feedback else []
        return self._graded(1.0 if answer == self.answer else 0.0, notes)

    def expected(self, tables: TableSource) -> str:
        return self.answer

    def describe(self, answer: str) -> str:
        return f"{answer}) {self.options[answer]}"

    def choice_lines(self) -> list[str]:
        return [f"{key}) {text}" for key, text in self.options.items()]


@dataclass(frozen=True, kw_only=True)
class MultipleSelect(Question):
    """Select all that apply; partial credit is (right picks - wrong picks) / right options."""

    options: dict[str, str]
    answer: tuple[str, ...]
    option_feedback: dict[str, str] = field(default_factory=dict)

    kind: ClassVar[str] = "multiple"
    label: ClassVar[str] = "multiple select"
    secret_fields: ClassVar[tuple[str, ...]] = ("answer", "explanation", "option_feedback")
    key_fields: ClassVar[tuple[str, ...]] = ("options", "answer")

    def normalize(self, answer: object) -> list[str]:
        if isinstance(answer, str) or not isinstance(answer, list | tuple | set | frozenset):
            raise self._refuse(f"a list of option ids (any of {_ids(self.options)})", answer)
        unknown = [item for item in answer if not _known(item, self.options)]
        if unknown:
            raise self._refuse(f"option ids out of {_ids(self.options)}", unknown)
        return [key for key in self.options if key in answer]

    def evaluate(self, answer: list[str], tables: TableSource) -> Result:
        chosen, right = set(answer), set(self.answer)
        wrong = [key for key in answer if key not in right]
        hits = len(chosen & right)
        notes = [f"You selected {hits} of the {len(right)} right options."]
        if wrong:
            notes.append(f"{len(wrong)} of your selections {'is' if len(wrong) == 1 else 'are'}"
                         " not right.")
        notes += [self.option_feedback[key] for key in wrong if key in self.option_feedback]
        return self._graded((hits - len(wrong)) / len(right), notes)

    def expected(self, tables: TableSource) -> list[str]:
        return list(self.answer)

    def describe(self, answer: list[str]) -> str:
        return "; ".join(f"{key}) {self.options[key]}" for key in answer) or "(nothing selected)"

    def choice_lines(self) -> list[str]:
        return [f"[ ] {key}) {text}" for key, text in self.options.items()]


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    """A number, right within an absolute ``tolerance`` or a ``relative_tolerance`` (0.1 = 10%)."""

    answer: float
    tolerance: float = 0.0
    relative_tolerance: float | None = None
    unit: str = ""
    wrong_feedback: dict[float, str] = field(default_factory=dict)

    kind: ClassVar[str] = "numeric"
    label: ClassVar[str] = "number"
    secret_fields: ClassVar[tuple[str, ...]] = ("answer", "explanation", "wrong_feedback")
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "tolerance", "relative_tolerance")

    def normalize(self, answer: object) -> float:
        return _number(self, answer)

    def evaluate(self, answer: float, tables: TableSource) -> Result:
        if _within(answer, self.answer, self.tolerance, self.relative_tolerance):
            return self._graded(1.0, [])
        known = [text for value, text in self.wrong_feedback.items() if math.isclose(value, answer)]
        return self._graded(0.0, [*known, _direction(answer, self.answer)])

    def expected(self, tables: TableSource) -> float:
        return self.answer

    def describe(self, answer: float) -> str:
        return f"{format_number(answer)} {self.unit}".strip()

    def accepted_range(self) -> str:
        return _tolerance_words(self.tolerance, self.relative_tolerance)

    def choice_lines(self) -> list[str]:
        return [_typed_answer("a number", self.unit)]


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """Put items in order (a timeline). Partial credit: the share of pairs in the right order."""

    items: dict[str, str]
    answer: tuple[str, ...]

    kind: ClassVar[str] = "ordering"
    label: ClassVar[str] = "ordering"
    key_fields: ClassVar[tuple[str, ...]] = ("items", "answer")

    def normalize(self, answer: object) -> list[str]:
        expected = f"every item id exactly once, as a list, out of {_ids(self.items)}"
        if isinstance(answer, str) or not isinstance(answer, list | tuple):
            raise self._refuse(expected, answer)
        unknown = [item for item in answer if not _known(item, self.items)]
        repeated = sorted({str(item) for item in answer if list(answer).count(item) > 1})
        missing = [item for item in self.items if item not in answer]
        if unknown or repeated or missing:
            problems = [
                f"{name} {values}"
                for name, values in (("unknown", unknown), ("repeated", repeated),
                                     ("missing", missing))
                if values
            ]
            raise self._refuse(f"{expected} ({'; '.join(problems)})", answer)
        return list(answer)

    def evaluate(self, answer: list[str], tables: TableSource) -> Result:
        rank = {item: position for position, item in enumerate(self.answer)}
        pairs = [(a, b) for i, a in enumerate(answer) for b in answer[i + 1:]]
        in_order = sum(rank[a] < rank[b] for a, b in pairs)
        placed = sum(a == b for a, b in zip(answer, self.answer, strict=True))
        notes = [f"{placed} of {len(answer)} items are in the right position."]
        return self._graded(in_order / len(pairs), notes)

    def expected(self, tables: TableSource) -> list[str]:
        return list(self.answer)

    def describe(self, answer: list[str]) -> str:
        return " → ".join(self.items[item] for item in answer)

    def choice_lines(self) -> list[str]:
        return [f"- {text}" for text in self.items.values()]


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Match each left item (a person, an event) to one right item (a role, a year)."""

    left: dict[str, str]
    right: dict[str, str]
    answer: dict[str, str]

    kind: ClassVar[str] = "matching"
    label: ClassVar[str] = "matching"
    key_fields: ClassVar[tuple[str, ...]] = ("left", "right", "answer")

    def normalize(self, answer: object) -> dict[str, str]:
        if not isinstance(answer, Mapping):
            raise self._refuse(
                f"a mapping from {_ids(self.left)} to {_ids(self.right)}", answer
            )
        unknown_left = [key for key in answer if not _known(key, self.left)]
        if unknown_left:
            raise self._refuse(f"left-hand ids out of {_ids(self.left)}", unknown_left)
        chosen = {key: value for key, value in answer.items() if value not in (None, "")}
        unknown_right = [value for value in chosen.values() if not _known(value, self.right)]
        if unknown_right:
            raise self._refuse(f"right-hand ids out of {_ids(self.right)}", unknown_right)
        return {key: chosen[key] for key in self.left if key in chosen}

    def evaluate(self, answer: dict[str, str], tables: TableSource) -> Result:
        wrong = [key for key, value in self.answer.items() if answer.get(key) != value]
        right = len(self.left) - len(wrong)
        notes = [f"{right} of {len(self.left)} pairs are right."]
        if wrong:
            notes.append("Look again at: " + "; ".join(self.left[key] for key in wrong) + ".")
        return self._graded(right / len(self.left), notes)

    def expected(self, tables: TableSource) -> dict[str, str]:
        return dict(self.answer)

    def describe(self, answer: dict[str, str]) -> str:
        pairs = [f"{self.left[key]} → {self.right[value]}" for key, value in answer.items()]
        return "; ".join(pairs) or "(nothing matched)"

    def choice_lines(self) -> list[str]:
        return [f"- {text} → ?" for text in self.left.values()] + [
            "  choose from: " + "; ".join(self.right.values())
        ]


@dataclass(frozen=True, kw_only=True)
class DataQuestion(Question):
    """A question about the dataset whose right answer is computed when the answer is checked.

    ``solution`` is a declarative description (helpers.exercises.solutions) that the kit
    interprets on the named ``tables``; because it runs at check time, a question stays right
    when the dataset is extended, and nothing from the bank is ever executed as code. The
    explanation may say ``{answer}`` where the computed value belongs.
    """

    tables: tuple[str, ...]
    solution: Solution
    answer_type: str = "number"
    tolerance: float = 0.0
    relative_tolerance: float | None = None
    unit: str = ""

    kind: ClassVar[str] = "data"
    label: ClassVar[str] = "data question"
    secret_fields: ClassVar[tuple[str, ...]] = ("solution", "explanation")
    key_fields: ClassVar[tuple[str, ...]] = ("tables", "solution_form", "answer_type",
                                             "tolerance", "relative_tolerance")

    @property
    def solution_form(self) -> object:
        """What the solution computes (without where it is written, which is not the key)."""
        return self.solution.form
    answer_types: ClassVar[tuple[str, ...]] = ("number", "text")

    def normalize(self, answer: object) -> float | str:
        if self.answer_type == "number":
            return _number(self, answer)
        if isinstance(answer, int) and not isinstance(answer, bool) and abs(answer) < 10**15:
            answer = str(answer)
        if (not isinstance(answer, str) or not answer.strip() or len(answer) > MAX_SHORT_ANSWER
                or not _writable(answer)):
            raise self._refuse(f"a short text answer (at most {MAX_SHORT_ANSWER} characters)",
                               answer)
        return answer.strip()

    def expected(self, tables: TableSource) -> float | str:
        value = self.solution.compute(tables)
        value = value.item() if hasattr(value, "item") else value
        try:
            return self.normalize(value)
        except AnswerError:
            raise DataCheckError(
                f"The solution of data question {self.id!r} gave {value!r}, which is not a "
                f"{self.answer_type} answer."
            ) from None

    def explained(self, expected: float | str) -> str:
        return self.explanation.replace("{answer}", self.describe(expected))

    def evaluate(self, answer: float | str, tables: TableSource) -> Result:
        expected = tables.expected(self) if isinstance(tables, BatchTables) else (
            self.expected(tables))
        explanation = self.explained(expected)
        if isinstance(expected, float) and isinstance(answer, float):
            right = _within(answer, expected, self.tolerance, self.relative_tolerance)
            notes = [] if right else [_direction(answer, expected)]
        else:
            right = str(answer).casefold() == str(expected).casefold()
            notes = []
        return self._graded(1.0 if right else 0.0, notes, explanation)

    def describe(self, answer: float | str) -> str:
        if isinstance(answer, float):
            return f"{format_number(answer)} {self.unit}".strip()
        return answer

    def accepted_range(self) -> str:
        if self.answer_type != "number":
            return "the same text, ignoring case"
        return _tolerance_words(self.tolerance, self.relative_tolerance)

    def choice_lines(self) -> list[str]:
        tables = ", ".join(f'load_table("{name}")' for name in self.tables)
        kind = "a number" if self.answer_type == "number" else "a short text"
        return [f"Compute it from the dataset with {tables}.", _typed_answer(kind, self.unit)]


@dataclass(frozen=True, kw_only=True)
class Reflection(Question):
    """Free text, saved but not graded; a model answer is shown once the learner commits."""

    model_answer: str

    kind: ClassVar[str] = "reflection"
    label: ClassVar[str] = "reflection"
    secret_fields: ClassVar[tuple[str, ...]] = ("model_answer", "explanation")
    key_fields: ClassVar[tuple[str, ...]] = ()  # any text is an answer; rewording changes none

    def normalize(self, answer: object) -> str:
        if (not isinstance(answer, str) or not answer.strip() or len(answer) > MAX_TEXT_ANSWER
                or not _writable(answer)):
            raise self._refuse("some text: your own reflection, in a few sentences (at most "
                               f"{MAX_TEXT_ANSWER:,} characters)", answer)
        return answer.strip()

    def evaluate(self, answer: str, tables: TableSource) -> Result:
        feedback = (
            "Your reflection is saved; it is not graded. A model answer to compare with yours: "
            + self.model_answer
        )
        return Result(self.id, SAVED, feedback, self.source)

    def expected(self, tables: TableSource) -> str:
        return self.model_answer

    def describe(self, answer: str) -> str:
        return answer

    def choice_lines(self) -> list[str]:
        return ["Answer in a few sentences of your own."]


def _typed_answer(kind: str, unit: str) -> str:
    return f"Answer with {kind} ({unit})." if unit else f"Answer with {kind}."


QUESTION_TYPES: dict[str, type[Question]] = {
    kind.kind: kind
    for kind in (SingleChoice, MultipleSelect, Numeric, Ordering, Matching, DataQuestion,
                 Reflection)
}


def _canonical(value: object) -> object:
    """A key field in plain JSON terms (a solution as its parts, tuples as lists)."""
    if is_dataclass(value) and not isinstance(value, type):
        return _canonical(asdict(value))
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def _writable(text: str) -> bool:
    """Whether text can be saved as UTF-8 (a Python string may hold unpaired surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _known(item: object, mapping: Mapping[str, Any]) -> bool:
    """Whether ``item`` is one of the ids (an answer of any other type, even unhashable, is not)."""
    return isinstance(item, str) and item in mapping


def _ids(mapping: Mapping[str, Any]) -> str:
    return ", ".join(repr(key) for key in mapping)


def parse_question(data: Mapping[str, Any], where: str) -> Question:
    """Build a question from its bank entry, refusing anything inconsistent with a clear message.

    ``where`` names the bank file; the message adds the question id and the field.
    """
    if not isinstance(data, Mapping):
        raise BankError(f"{where}: each question must be a mapping of fields; found {data!r}.")
    fields = _Fields(data, f"{where}, question {data.get('id', '?')!r}")
    kind = fields.text("type")
    if kind not in QUESTION_TYPES:
        raise fields.error("type", f"one of {', '.join(QUESTION_TYPES)}", kind)
    common = {
        "id": fields.text("id"),
        "prompt": fields.text("prompt"),
        "source": fields.text("source"),
        "hint": fields.text("hint", ""),
        "explanation": fields.text("explanation", "" if kind == "reflection" else None),
    }
    question = _BUILDERS[kind](fields, common)
    fields.finish()
    return question


class _Fields:
    """Reads one question's fields, remembering which were used so typos are reported."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        self.data, self.where, self.used = dict(data), where, set()

    def error(self, name: str, expected: str, found: object) -> BankError:
        return BankError(f"{self.where}, field {name!r}: expected {expected}; found {found!r}.")

    def raw(self, name: str, default: Any = None) -> Any:
        self.used.add(name)
        if name not in self.data:
            if default is None:
                raise self.error(name, "a value (the field is required)", None)
            return default
        return self.data[name]

    def text(self, name: str, default: str | None = None) -> str:
        value = self.raw(name, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self.error(name, "non-empty text", value)
        return value.strip()

    def number(self, name: str, default: float | None = None) -> float:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self.error(name, "a number, zero or more", value)
        return float(value)

    def mapping(self, name: str, default: dict[str, str] | None = None) -> dict[str, str]:
        value = self.raw(name, default)
        if not isinstance(value, Mapping) or (default is None and not value):
            raise self.error(name, "a non-empty mapping of id: text", value)
        bad = {k: v for k, v in value.items() if not isinstance(k, str) or not isinstance(v, str)}
        if bad:
            raise self.error(name, "text ids and text values (quote ids such as 'y' or 'no')", bad)
        return dict(value)

    def ids(self, name: str, allowed: Mapping[str, str]) -> tuple[str, ...]:
        value = self.raw(name)
        if isinstance(value, str) or not isinstance(value, list) or not value:
            raise self.error(name, "a non-empty list of ids", value)
        unknown = [item for item in value if item not in allowed]
        if unknown or len(set(value)) != len(value):
            raise self.error(name, f"distinct ids out of {_ids(allowed)}", value)
        return tuple(value)

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.error(unknown[0], "only the fields this question type knows", unknown)


def _single(fields: _Fields, common: dict[str, Any]) -> Question:
    options = fields.mapping("options")
    answer = fields.text("answer")
    if answer not in options:
        raise fields.error("answer", f"one of the option ids {_ids(options)}", answer)
    feedback = _feedback_for(fields, options)
    return SingleChoice(**common, options=options, answer=answer, option_feedback=feedback)


def _multiple(fields: _Fields, common: dict[str, Any]) -> Question:
    options = fields.mapping("options")
    answer = fields.ids("answer", options)
    feedback = _feedback_for(fields, options)
    ordered = tuple(key for key in options if key in answer)
    return MultipleSelect(**common, options=options, answer=ordered, option_feedback=feedback)


def _feedback_for(fields: _Fields, options: Mapping[str, str]) -> dict[str, str]:
    feedback = fields.mapping("option_feedback", {})
    unknown = [key for key in feedback if key not in options]
    if unknown:
        raise fields.error("option_feedback", f"option ids out of {_ids(options)}", unknown)
    return {key: feedback[key] for key in options if key in feedback}


def _tolerances(fields: _Fields) -> dict[str, Any]:
    tolerance = fields.number("tolerance", 0.0)
    relative = fields.raw("relative_tolerance", "absent")
    if relative == "absent":
        return {"tolerance": tolerance, "relative_tolerance": None}
    relative = fields.number("relative_tolerance")
    if tolerance:
        raise fields.error("relative_tolerance", "either tolerance or relative_tolerance", relative)
    return {"tolerance": 0.0, "relative_tolerance": relative}


def _numeric(fields: _Fields, common: dict[str, Any]) -> Question:
    answer = fields.raw("answer")
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        raise fields.error("answer", "a number", answer)
    wrong = fields.raw("wrong_feedback", {})
    if not isinstance(wrong, dict):
        raise fields.error("wrong_feedback", "a mapping of number: text", wrong)
    try:  # the key is JSON, whose mapping keys are text: "1960" stands for 1960
        feedback = {float(k): v for k, v in wrong.items() if isinstance(v, str)}
    except (AttributeError, TypeError, ValueError):
        feedback = {}
    if len(feedback) != len(wrong):
        raise fields.error("wrong_feedback", "a mapping of number: text", wrong)
    return Numeric(
        **common,
        answer=float(answer),
        unit=fields.text("unit", ""),
        wrong_feedback=feedback,
        **_tolerances(fields),
    )


def _ordering(fields: _Fields, common: dict[str, Any]) -> Question:
    items = fields.mapping("items")
    answer = fields.ids("answer", items)
    if len(answer) != len(items) or len(items) < 2:
        raise fields.error("answer", f"every item id exactly once, out of {_ids(items)}", answer)
    if answer == tuple(items):
        raise fields.error("items", "a display order that differs from the answer", list(items))
    return Ordering(**common, items=items, answer=answer)


def _matching(fields: _Fields, common: dict[str, Any]) -> Question:
    left, right = fields.mapping("left"), fields.mapping("right")
    answer = fields.mapping("answer")
    if set(answer) != set(left) or any(value not in right for value in answer.values()):
        raise fields.error(
            "answer", f"each of {_ids(left)} matched to one of {_ids(right)}", answer
        )
    ordered = {key: answer[key] for key in left}  # the key is stored sorted; show left's order
    return Matching(**common, left=left, right=right, answer=ordered)


def _data(fields: _Fields, common: dict[str, Any]) -> Question:
    tables = fields.raw("tables")
    if isinstance(tables, str) or not isinstance(tables, list) or not tables or not all(
        isinstance(name, str) and name.isidentifier() for name in tables
    ):
        raise fields.error("tables", "a list of table names such as [crises]", tables)
    answer_type = fields.text("answer_type", "number")
    if answer_type not in DataQuestion.answer_types:
        raise fields.error("answer_type", " or ".join(DataQuestion.answer_types), answer_type)
    solution = parse_solution(fields.raw("solution"), fields.where, tuple(tables), answer_type)
    return DataQuestion(
        **common,
        tables=tuple(tables),
        solution=solution,
        answer_type=answer_type,
        unit=fields.text("unit", ""),
        **_tolerances(fields),
    )


def _reflection(fields: _Fields, common: dict[str, Any]) -> Question:
    return Reflection(**common, model_answer=fields.text("model_answer"))


_BUILDERS: dict[str, Callable[[_Fields, dict[str, Any]], Question]] = {
    "single": _single,
    "multiple": _multiple,
    "numeric": _numeric,
    "ordering": _ordering,
    "matching": _matching,
    "data": _data,
    "reflection": _reflection,
}
