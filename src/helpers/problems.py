"""One report for everything wrong with a dataset, so a user fixes all problems in one pass."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the dataset, located as precisely as the check allows.

    ``line`` is the line of the CSV file (the header is line 1), which is what a user sees in an
    editor; it is None for problems with a whole file or column.
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
        if self.column:
            where += f", column {self.column!r}"
        found = "" if self.value is None else f"found {self.value!r}; "
        return f"{where}: {found}expected {self.expected}"


class DataValidationError(ValueError):
    """Raised with every problem found in the dataset, not only the first."""

    def __init__(self, data_dir: str, problems: list[Problem]) -> None:
        self.data_dir = data_dir
        self.problems = sorted(set(problems), key=_sort_key)
        count = len(self.problems)
        lines = [f"The dataset in {data_dir} has {count} problem{'s' if count != 1 else ''}:"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


def _sort_key(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.line or 0, problem.column or "", problem.expected)
