"""One report for everything wrong with a dataset, so a user fixes all problems in one pass."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass

# A value quoted in a message is cut to this many characters: a damaged file can hold a cell of
# megabytes, and one line of the report must stay one readable line.
SHOWN_CHARACTERS = 80
# The message lists this many problems; all of them stay in ``DataValidationError.problems``.
MAX_LISTED = 200


class _Brief(reprlib.Repr):
    """``reprlib`` with small limits, and whole numbers too long for ``repr`` told by size."""

    def __init__(self) -> None:
        super().__init__()  # keyword arguments only from Python 3.12
        self.maxlevel, self.maxdict, self.maxlist, self.maxtuple = 3, 4, 6, 6
        self.maxstring = self.maxlong = self.maxother = 60

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 200:  # past ~60 digits; past 4,300 digits repr() itself refuses
            return f"<a whole number of about {int(x.bit_length() * 0.30103):,} digits>"
        return super().repr_int(x, level)


_BRIEF = _Brief()


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the dataset, located as precisely as the check allows.

    ``line`` is the line of the CSV file (the header is line 1), which is what a user sees in an
    editor; it is None for problems with a whole file or column. In a JSON file such as
    datapackage.json, ``column`` holds the place in the document instead, written as a path
    (``resources[2].schema.fields[0].type``).
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column and self.file.endswith(".json"):
            where += f", at {self.column}"
        elif self.column:
            where += f", column {quoted(self.column)}"
        found = "" if self.value is None else f"found {quoted(self.value)}; "
        return f"{where}: {found}expected {self.expected}"


def quoted(text: str) -> str:
    """The text quoted on one line, cut to its start and its length when it is too long."""
    if len(text) <= SHOWN_CHARACTERS:
        return repr(text)
    return f"{text[: SHOWN_CHARACTERS - 20]!r}... ({len(text):,} characters)"


def brief(value: object) -> str:
    """``repr`` of any value, kept short: long texts and large or deep structures are cut."""
    return _BRIEF.repr(value)


class DataValidationError(ValueError):
    """Raised with every problem found in the dataset, not only the first."""

    def __init__(self, data_dir: str, problems: list[Problem]) -> None:
        self.data_dir = data_dir
        self.problems = sorted(set(problems), key=_sort_key)
        count = len(self.problems)
        lines = [f"The dataset in {data_dir} has {count:,} problem{'s' if count != 1 else ''}:"]
        lines += [f"  - {problem}" for problem in self.problems[:MAX_LISTED]]
        if count > MAX_LISTED:
            lines.append(
                f"  - ... and {count - MAX_LISTED:,} more (the first {MAX_LISTED} are listed; so "
                "many often share one cause, such as a wrong separator or a shifted column)"
            )
        super().__init__("\n".join(lines))


def _sort_key(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.line or 0, problem.column or "", problem.expected)
