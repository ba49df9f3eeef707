"""Named computations a data question may ask for when filters and one aggregation are not enough.

A bank names one of these with plain arguments (``compute: qca_contradictions`` with
``arguments: {paper_cases_only: false}``); the code lives here, in the course's reviewed helpers,
never in the bank. Each entry says which tables it reads, which arguments it takes, what kind of
answer it gives, and the pandas a learner would write for it (shown in the answer key).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Argument:
    """One argument of a computation: its type and, for text, the values allowed."""

    kind: type
    choices: tuple[str, ...] = ()
    low: int = 0
    high: int = 0

    def problem(self, value: object) -> str | None:
        """Why ``value`` does not fit (in words), or None when it does."""
        if self.kind is bool:
            return None if isinstance(value, bool) else "true or false"
        if self.kind is int:
            if isinstance(value, int) and not isinstance(value, bool) and (
                self.low <= value <= self.high
            ):
                return None
            return f"a whole number from {self.low} to {self.high}"
        if isinstance(value, str) and value in self.choices:
            return None
        return "one of " + ", ".join(self.choices)


@dataclass(frozen=True)
class Computation:
    """A reviewed computation on named tables, with the pandas it stands for."""

    summary: str
    tables: tuple[str, ...]
    arguments: Mapping[str, Argument]
    answer_type: str
    run: Callable[..., object]
    pandas: Callable[[Mapping[str, Any]], str]

    def code(self, arguments: Mapping[str, Any]) -> str:
        """The pandas a learner would write, with the bank's arguments filled in."""
        return self.pandas(arguments)


def _russia_peak_share_year(cow_nmc: pd.DataFrame, membership: pd.DataFrame, *, measure: str,
                            first_year: int, last_year: int) -> str:
    from helpers import capabilities

    shares = capabilities.russia_share(cow_nmc, membership, measure, (first_year, last_year))
    return str(shares.loc[shares["russia_share_pct"].idxmax(), "year"])


def _qca_truth_table(crisis_conditions: pd.DataFrame, crises: pd.DataFrame,
                     paper_cases_only: bool) -> pd.DataFrame:
    from helpers import qca

    matrix = qca.condition_matrix(crisis_conditions, crises)
    return qca.truth_table(qca.paper_cases(matrix) if paper_cases_only else matrix)


def _qca_configurations(crisis_conditions: pd.DataFrame, crises: pd.DataFrame, *,
                        paper_cases_only: bool) -> int:
    return len(_qca_truth_table(crisis_conditions, crises, paper_cases_only))


def _qca_contradictions(crisis_conditions: pd.DataFrame, crises: pd.DataFrame, *,
                        paper_cases_only: bool) -> int:
    truth = _qca_truth_table(crisis_conditions, crises, paper_cases_only)
    return int(truth["contradictory"].sum())


def _peak_share_code(arguments: Mapping[str, Any]) -> str:
    measure, first, last = (arguments[name] for name in ("measure", "first_year", "last_year"))
    return (
        "from helpers import capabilities\n"
        f'shares = capabilities.russia_share(cow_nmc, membership, "{measure}", ({first}, {last}))\n'
        'answer = str(shares.loc[shares["russia_share_pct"].idxmax(), "year"])\n'
    )


def _truth_table_code(last_line: str) -> Callable[[Mapping[str, Any]], str]:
    def code(arguments: Mapping[str, Any]) -> str:
        lines = ["from helpers import qca",
                 "matrix = qca.condition_matrix(crisis_conditions, crises)"]
        if arguments["paper_cases_only"]:
            lines.append("matrix = qca.paper_cases(matrix)  # the crises the paper discusses")
        return "\n".join([*lines, "truth = qca.truth_table(matrix)", last_line]) + "\n"

    return code


_YEARS = Argument(int, low=1900, high=2100)
_PAPER_CASES = {"paper_cases_only": Argument(bool)}

COMPUTATIONS: dict[str, Computation] = {
    "russia_peak_share_year": Computation(
        summary="the year in which Russia's share of the members' combined measure peaked",
        tables=("cow_nmc", "membership"),
        arguments={"measure": Argument(str, choices=("milex", "milper")),
                   "first_year": _YEARS, "last_year": _YEARS},
        answer_type="text",
        run=_russia_peak_share_year,
        pandas=_peak_share_code,
    ),
    "qca_configurations": Computation(
        summary="the number of rows (observed configurations) of the crises' truth table",
        tables=("crisis_conditions", "crises"),
        arguments=_PAPER_CASES,
        answer_type="number",
        run=_qca_configurations,
        pandas=_truth_table_code("answer = len(truth)"),
    ),
    "qca_contradictions": Computation(
        summary="the number of contradictory rows of the crises' truth table",
        tables=("crisis_conditions", "crises"),
        arguments=_PAPER_CASES,
        answer_type="number",
        run=_qca_contradictions,
        pandas=_truth_table_code('answer = int(truth["contradictory"].sum())'),
    ),
}
