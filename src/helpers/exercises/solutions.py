"""Declarative solutions of data questions: what to compute, never code to run.

A data question's ``solution`` in a bank is data the kit interprets, so a bank from a colleague
can be reviewed by reading its unsealed form and nothing in it is ever executed. Three forms:

* a query: ``table``, optional ``filters`` (each a ``column``, an ``op`` from a closed set and a
  ``value``; ``year: true`` compares the year of an ISO date text, ``if_missing: other_column``
  reads another column where this one is empty), optionally ``group_by`` a column with a
  ``per_group`` aggregation, then one ``aggregate`` over ``column``;
* ``sum_of``: a list of such queries whose numbers are added up;
* ``compute``: a named computation from ``helpers.exercises.computations`` with plain
  ``arguments``.

The same description gives the pandas a learner would write (``Solution.pandas``), shown in the
answer key; each operation is written once below, as a function and as the code it stands for.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from helpers.exercises.computations import COMPUTATIONS
from helpers.exercises.errors import BankError, DataCheckError

TableSource = Callable[[str], Any]
Mask = Callable[[pd.Series, Any], pd.Series]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_TEXT = 200
MAX_VALUES = 50
MAX_PARTS = 5

_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}
_UNARY: dict[str, tuple[Mask, str]] = {
    "is true": (lambda s, _: s.fillna(False), "{s}.fillna(False)"),
    "is not true": (lambda s, _: ~s.fillna(False), "~{s}.fillna(False)"),
    "is false": (lambda s, _: ~s.fillna(True), "~{s}.fillna(True)"),
    "is missing": (lambda s, _: s.isna(), "{s}.isna()"),
    "is not missing": (lambda s, _: s.notna(), "{s}.notna()"),
}
_LISTS: dict[str, tuple[Mask, str]] = {
    "in": (lambda s, v: s.isin(v), "{s}.isin({v})"),
    "not in": (lambda s, v: s.notna() & ~s.isin(v), "({s}.notna() & ~{s}.isin({v}))"),
}
OPERATORS: dict[str, tuple[Mask, str]] = {
    **{op: (function, f"({{s}} {op} {{v}})") for op, function in _COMPARISONS.items()},
    **_LISTS,
    **_UNARY,
}
_TRUE_FALSE_OPS = ("is true", "is not true", "is false")

# Over the rows (or over the per-group values): function and code, ``{c}`` the column's code.
AGGREGATES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "count": (len, "len({c})"),
    "sum": (lambda s: s.sum(), "{c}.sum()"),
    "mean": (lambda s: s.mean(), "{c}.mean()"),
    "min": (lambda s: s.min(), "{c}.min()"),
    "max": (lambda s: s.max(), "{c}.max()"),
    "nunique": (lambda s: s.nunique(), "{c}.nunique()"),
    "share": (lambda s: s.fillna(False).mean(), "{c}.fillna(False).mean()"),
    "repeated": (lambda s: int((s.value_counts() > 1).sum()),
                 "int(({c}.value_counts() > 1).sum())"),
    "joined": (lambda s: ";".join(sorted(s.dropna().astype(str))),
               '";".join(sorted({c}.dropna().astype(str)))'),
}
PER_GROUP = ("count", "sum", "mean", "min", "max", "nunique")
OVER_GROUPS = ("count", "sum", "mean", "min", "max")
TEXT_AGGREGATES = ("joined",)


def _shown(value: object) -> str:
    """A short repr for messages: a hostile bank must not flood the screen."""
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


class _Where:
    """Names the bank file, the question and the field in every message."""

    def __init__(self, where: str) -> None:
        self.where = where

    def error(self, field: str, expected: str, found: object) -> BankError:
        return BankError(f"{self.where}, field {field!r}: expected {expected}; "
                         f"found {_shown(found)}.")

    def failed(self, field: str, error: Exception) -> DataCheckError:
        return DataCheckError(f"{self.where}, field {field!r}: the answer could not be computed "
                              f"from the dataset ({type(error).__name__}: {error}).")


def _code_value(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_code_value(item) for item in value) + "]"
    return repr(value)


@dataclass(frozen=True)
class Filter:
    """Keep the rows where ``column`` (or its year, or another column where it is empty)
    satisfies ``op`` with ``value``. Rows with a missing value never match a comparison."""

    column: str
    op: str
    value: Any
    year: bool
    if_missing: str | None
    field: str

    def columns(self) -> list[tuple[str, str]]:
        named = [(self.column, f"{self.field}.column")]
        return named + ([(self.if_missing, f"{self.field}.if_missing")] if self.if_missing else [])

    def series_code(self, table: str) -> str:
        code = f'{table}["{self.column}"]'
        if self.if_missing:
            code += f'.fillna({table}["{self.if_missing}"])'
        return code + ('.str[:4].astype("Int64")' if self.year else "")

    def code(self, table: str) -> str:
        return OPERATORS[self.op][1].format(s=self.series_code(table), v=_code_value(self.value))

    def mask(self, frame: pd.DataFrame, where: _Where) -> pd.Series:
        series = frame[self.column]
        if self.op in _TRUE_FALSE_OPS and not pd.api.types.is_bool_dtype(series):
            raise where.error(f"{self.field}.op", f"a true/false column for {self.op!r}",
                              f"column {self.column!r} of type {series.dtype}")
        try:
            if self.if_missing:
                series = series.fillna(frame[self.if_missing])
            if self.year:
                series = series.str[:4].astype("Int64")
            return OPERATORS[self.op][0](series, self.value)
        except Exception as error:  # a dataset that does not fit the comparison
            raise where.failed(self.field, error) from None


@dataclass(frozen=True)
class Query:
    """Rows of one table, filtered, optionally grouped, reduced to one value."""

    table: str
    filters: tuple[Filter, ...]
    aggregate: str
    column: str | None
    group_by: str | None
    per_group: str | None
    field: str

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.table,)

    @property
    def answer_type(self) -> str:
        return "text" if self.aggregate in TEXT_AGGREGATES else "number"

    def columns(self) -> list[tuple[str, str]]:
        named = [pair for item in self.filters for pair in item.columns()]
        for name in ("column", "group_by"):
            if getattr(self, name):
                named.append((getattr(self, name), f"{self.field}.{name}"))
        return named

    def run(self, frames: Mapping[str, pd.DataFrame], where: _Where) -> object:
        frame = frames[self.table]
        for column, field in self.columns():
            if column not in frame.columns:
                known = ", ".join(map(str, frame.columns))
                raise BankError(f"{where.where}, field {field!r}: no column {column!r} in table "
                                f"{self.table!r} (its columns: {known}).")
        masks = [item.mask(frame, where) for item in self.filters]
        try:
            rows = frame
            if masks:
                mask = masks[0]
                for more in masks[1:]:
                    mask = mask & more
                rows = frame[mask]
            if self.group_by is None:
                values = rows if self.aggregate == "count" else rows[self.column]
            else:
                groups = rows.groupby(self.group_by)
                values = (groups.size() if self.per_group == "count"
                          else AGGREGATES[self.per_group][0](groups[self.column]))
            return AGGREGATES[self.aggregate][0](values)
        except Exception as error:
            raise where.failed(f"{self.field}.aggregate", error) from None

    def code(self, result: str = "answer") -> list[str]:
        lines = ["rows = " + self.table]
        if len(self.filters) == 1:
            lines = [f"rows = {self.table}[{self.filters[0].code(self.table)}]"]
        elif self.filters:
            terms = [item.code(self.table) for item in self.filters]
            lines = [f"rows = {self.table}[", f"    {terms[0]}",
                     *(f"    & {term}" for term in terms[1:]), "]"]
        if self.group_by is None:
            values = "rows" if self.aggregate == "count" else f'rows["{self.column}"]'
        else:
            grouped = f'rows.groupby("{self.group_by}")'
            per_group = (f"{grouped}.size()" if self.per_group == "count"
                         else AGGREGATES[self.per_group][1].format(c=f'{grouped}["{self.column}"]'))
            lines.append(f"per_group = {per_group}")
            values = "per_group"
        return [*lines, f"{result} = " + AGGREGATES[self.aggregate][1].format(c=values)]


@dataclass(frozen=True)
class SumOf:
    """Several queries whose numbers are added (say, undated rows of two tables)."""

    parts: tuple[Query, ...]

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(table for part in self.parts for table in part.tables))

    answer_type = "number"

    def run(self, frames: Mapping[str, pd.DataFrame], where: _Where) -> object:
        return sum(part.run(frames, where) for part in self.parts)

    def code(self) -> list[str]:
        names = [f"part_{number}" for number in range(1, len(self.parts) + 1)]
        lines = [line for part, name in zip(self.parts, names, strict=True)
                 for line in part.code(name)]
        return [*lines, "answer = " + " + ".join(names)]


@dataclass(frozen=True)
class Computed:
    """A named computation of the course's own code, with plain arguments."""

    name: str
    arguments: Mapping[str, Any]

    @property
    def tables(self) -> tuple[str, ...]:
        return COMPUTATIONS[self.name].tables

    @property
    def answer_type(self) -> str:
        return COMPUTATIONS[self.name].answer_type

    def run(self, frames: Mapping[str, pd.DataFrame], where: _Where) -> object:
        computation = COMPUTATIONS[self.name]
        try:
            return computation.run(*(frames[name] for name in computation.tables),
                                   **self.arguments)
        except Exception as error:
            raise where.failed("solution.compute", error) from None

    def code(self) -> list[str]:
        return COMPUTATIONS[self.name].code(self.arguments).splitlines()


@dataclass(frozen=True)
class Solution:
    """A data question's solution, with where it comes from (for messages)."""

    form: Query | SumOf | Computed
    where: str

    @property
    def tables(self) -> tuple[str, ...]:
        return self.form.tables

    def compute(self, tables: TableSource) -> object:
        """The answer on the given tables; BankError for a name the dataset does not have,
        DataCheckError when the data does not allow the computation."""
        where = _Where(self.where)
        frames = {}
        for name in self.tables:
            try:
                frames[name] = tables(name)
            except KeyError:
                raise BankError(f"{self.where}, field 'solution': no table {name!r} in the "
                                "dataset.") from None
            except Exception as error:
                raise DataCheckError(f"{self.where}: table {name!r} could not be loaded "
                                     f"({type(error).__name__}: {error}).") from None
        return self.form.run(frames, where)

    def pandas(self) -> str:
        """The pandas a learner would write for it, after ``load_table`` of each table."""
        loads = [f'{name} = load_table("{name}")' for name in self.tables]
        return "\n".join(["from helpers.data import load_table", *loads, *self.form.code()])


def parse_solution(raw: object, where: str, tables: tuple[str, ...], answer_type: str) -> Solution:
    """Read a bank's ``solution`` field; BankError names the file, question and field."""
    place = _Where(where)
    if not isinstance(raw, Mapping):
        raise place.error("solution", "a declarative solution: a mapping with table (and "
                          "filters, column, aggregate), sum_of or compute; code is never run",
                          raw)
    if "compute" in raw:
        form: Query | SumOf | Computed = _computed(raw, place)
    elif "sum_of" in raw:
        form = _sum_of(raw, place)
    else:
        form = _query(raw, "solution", place)
    for name in form.tables:
        if name not in tables:
            raise place.error("tables", "every table the solution reads "
                              f"({', '.join(form.tables)})", list(tables))
    if form.answer_type != answer_type:
        raise place.error("answer_type", f"{form.answer_type!r}, the kind of answer the solution "
                          "gives", answer_type)
    return Solution(form, where)


def _keys(raw: Mapping[Any, Any], allowed: tuple[str, ...], field: str, place: _Where) -> None:
    unknown = [key for key in raw if key not in allowed]
    if unknown:
        raise place.error(f"{field}.{unknown[0]}" if isinstance(unknown[0], str) else field,
                          f"only the fields {', '.join(allowed)}", unknown)


def _name(raw: Mapping[Any, Any], key: str, field: str, place: _Where,
          required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise place.error(f"{field}.{key}", "a column or table name such as crisis_id", value)
    return value


def _choice(raw: Mapping[Any, Any], key: str, choices: tuple[str, ...] | dict[str, Any],
            field: str, place: _Where) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or value not in choices:
        raise place.error(f"{field}.{key}", "one of " + ", ".join(choices), value)
    return value


def _query(raw: object, field: str, place: _Where) -> Query:
    if not isinstance(raw, Mapping):
        raise place.error(field, "a mapping with table, filters, column and aggregate", raw)
    _keys(raw, ("table", "filters", "column", "aggregate", "group_by", "per_group"), field, place)
    table = _name(raw, "table", field, place)
    filters = raw.get("filters", [])
    if not isinstance(filters, list) or len(filters) > MAX_VALUES:
        raise place.error(f"{field}.filters", f"a list of at most {MAX_VALUES} filters", filters)
    aggregate = _choice(raw, "aggregate", AGGREGATES, field, place)
    group_by = _name(raw, "group_by", field, place, required=False)
    per_group = None
    if group_by is not None:
        per_group = _choice(raw, "per_group", PER_GROUP, field, place)
        if aggregate not in OVER_GROUPS:
            raise place.error(f"{field}.aggregate", "one of " + ", ".join(OVER_GROUPS)
                              + " over the groups", aggregate)
    elif "per_group" in raw:
        raise place.error(f"{field}.per_group", "per_group only together with group_by",
                          raw["per_group"])
    needs_column = not (aggregate == "count" if group_by is None else per_group == "count")
    column = _name(raw, "column", field, place, required=needs_column)
    assert table is not None
    return Query(table, tuple(_filter(item, f"{field}.filters[{number}]", place)
                              for number, item in enumerate(filters)),
                 aggregate, column, group_by, per_group, field)


def _filter(raw: object, field: str, place: _Where) -> Filter:
    if not isinstance(raw, Mapping):
        raise place.error(field, "a mapping with column, op and value", raw)
    _keys(raw, ("column", "op", "value", "year", "if_missing"), field, place)
    column = _name(raw, "column", field, place)
    op = _choice(raw, "op", OPERATORS, field, place)
    year = raw.get("year", False)
    if not isinstance(year, bool) or (year and op not in _COMPARISONS):
        raise place.error(f"{field}.year", "true or false (true only with a comparison such as "
                          "<=)", year)
    if_missing = _name(raw, "if_missing", field, place, required=False)
    value = raw.get("value")
    if op in _UNARY:
        if "value" in raw:
            raise place.error(f"{field}.value", f"no value with {op!r}", value)
    elif op in _LISTS:
        if not isinstance(value, list) or not 0 < len(value) <= MAX_VALUES or not all(
            _plain(item) for item in value
        ):
            raise place.error(f"{field}.value", f"a list of 1 to {MAX_VALUES} plain values", value)
    elif year and not (isinstance(value, int) and not isinstance(value, bool)
                       and 1 <= value <= 9999):
        raise place.error(f"{field}.value", "a year such as 2021", value)
    elif not _plain(value):
        raise place.error(f"{field}.value", f"a plain value (text of up to {MAX_TEXT} "
                          "characters, a number, true or false)", value)
    assert column is not None
    return Filter(column, op, value, year, if_missing, field)


def _plain(value: object) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_TEXT and value.isprintable()
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return abs(value) < 10**15
    return isinstance(value, float) and math.isfinite(value)


def _sum_of(raw: Mapping[Any, Any], place: _Where) -> SumOf:
    _keys(raw, ("sum_of",), "solution", place)
    parts = raw["sum_of"]
    if not isinstance(parts, list) or not 2 <= len(parts) <= MAX_PARTS:
        raise place.error("solution.sum_of", f"a list of 2 to {MAX_PARTS} queries", parts)
    queries = tuple(_query(part, f"solution.sum_of[{number}]", place)
                    for number, part in enumerate(parts))
    for number, query in enumerate(queries):
        if query.answer_type != "number":
            raise place.error(f"solution.sum_of[{number}].aggregate", "an aggregate that gives "
                              "a number", query.aggregate)
    return SumOf(queries)


def _computed(raw: Mapping[Any, Any], place: _Where) -> Computed:
    _keys(raw, ("compute", "arguments"), "solution", place)
    name = _choice(raw, "compute", COMPUTATIONS, "solution", place)
    arguments = raw.get("arguments", {})
    specs = COMPUTATIONS[name].arguments
    if not isinstance(arguments, Mapping):
        raise place.error("solution.arguments", "a mapping of " + ", ".join(specs), arguments)
    _keys(arguments, tuple(specs), "solution.arguments", place)
    for argument, spec in specs.items():
        problem = spec.problem(arguments.get(argument))
        if problem:
            raise place.error(f"solution.arguments.{argument}", problem, arguments.get(argument))
    return Computed(name, dict(arguments))
