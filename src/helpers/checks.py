"""Checks a data package: its files, its Frictionless schema, and the rules a schema cannot say.

The schema (types, required fields, enums, primary and foreign keys) is checked by Frictionless,
the standard tool for data packages, so that `frictionless validate data/datapackage.json` and the
course agree. What Frictionless cannot express is checked here, driven by the dataset's naming
conventions rather than by table names, so that an extended copy of the data is held to the same
rules: a date field ``X`` with its ``X_precision``; ``start``/``end`` pairs; ``*_low``/``*_best``/
``*_high`` estimates; ``;``-separated ``source_ids``; ``in_paper`` rows; membership spells.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from helpers.bounded_read import UnusableFile
from helpers.datadir import MAX_PACKAGE_BYTES, read_data_file
from helpers.descriptor import PACKAGE_FILE, frictionless_descriptor
from helpers.problems import Problem

DATE_FORMS = {4: "year", 7: "month", 10: "day"}
DATE_EXPECTED = "a date written YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)"
SPELL_TABLE = "membership"
SPELL_GROUP = ("iso3", "framework")
# A line this long is damage (a lost quote joins the rest of the file into one cell), not data.
MAX_LINE_CHARACTERS = 100_000
# A carriage return not followed by a line feed ends a line for some CSV readers and not for
# others (Frictionless splits a quoted cell there, Python's csv does not), so the same file would
# be checked as one table and loaded as another.
_BARE_CARRIAGE_RETURN = re.compile(r"\r(?!\n)")


class TableUnreadable(Exception):
    """A table's file cannot be read as CSV at all; its rows cannot be checked."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def check_package(data_dir: Path, descriptor: dict[str, Any]) -> list[Problem]:
    """Return every problem in the package: files first, then schema, then convention rules.

    ``descriptor`` has passed :func:`helpers.descriptor.descriptor_problems`.
    """
    resources = descriptor["resources"]
    problems: list[Problem] = []
    rows_by_table: dict[str, list[dict[str, str]]] = {}
    budget = MAX_PACKAGE_BYTES
    for resource in resources:
        file_problems, rows, size = _check_file(data_dir, resource, budget)
        budget -= size
        problems += file_problems
        if rows is not None:
            rows_by_table[resource["name"]] = rows
    broken = {r["name"] for r in resources} - set(rows_by_table)
    problems += _frictionless_problems(data_dir, descriptor, broken)
    problems += _convention_problems(resources, rows_by_table)
    return problems


def read_table(
    data_dir: Path, resource: dict[str, Any]
) -> tuple[list[str], list[dict[str, str]], int]:
    """The header, the rows and the size in bytes of a table's CSV file, read as the checks read it.

    The loader builds its DataFrames from these same rows, so what was checked is what is loaded.
    A row shorter than the header gets empty cells and a longer one loses its extra cells here;
    Frictionless reports both. Raises :class:`TableUnreadable` for a file that is not UTF-8 CSV
    text within the bounds.
    """
    name, table = resource["path"], resource["name"]
    try:
        raw = read_data_file(data_dir, name)
    except UnusableFile as unusable:
        raise TableUnreadable(
            [Problem(name, None, None, unusable.found, f"{unusable.expected} (table {table!r})")]
        ) from None
    text = _text_of(name, raw).removeprefix("\ufeff")
    if not text.strip():
        columns = ", ".join(field["name"] for field in resource["schema"]["fields"])
        raise TableUnreadable(
            [Problem(name, None, None, "an empty file", f"a header row: {columns}")]
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        cells = [row for row in reader if row]
    except csv.Error as error:
        raise TableUnreadable(
            [Problem(name, reader.line_num, None, None, f"well-formed CSV ({error})")]
        ) from None
    width = len(header)
    rows = [
        dict(zip(header, row[:width] + [""] * (width - len(row)), strict=True)) for row in cells
    ]
    return header, rows, len(raw)


def _text_of(name: str, raw: bytes) -> str:
    """The file as text, if it is UTF-8 without NUL characters and without endless lines."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        raise TableUnreadable(
            [Problem(name, line, None, f"byte 0x{byte}", "UTF-8 text (save the file as UTF-8)")]
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise TableUnreadable(
            [Problem(name, line, None, "a NUL character", "text (is this a binary file?)")]
        )
    bare = _BARE_CARRIAGE_RETURN.search(text)
    if bare:
        line = text.count("\n", 0, bare.start()) + 1
        expected = "lines that end in a line feed, as Windows or Unix editors save them"
        raise TableUnreadable([Problem(name, line, None, "a carriage return alone", expected)])
    lines = text.split("\n")
    long_lines = [i for i, line in enumerate(lines, start=1) if len(line) > MAX_LINE_CHARACTERS]
    if long_lines:
        length = len(lines[long_lines[0] - 1])
        raise TableUnreadable(
            [
                Problem(
                    name,
                    long_lines[0],
                    None,
                    f"a line of {length:,} characters",
                    f"lines of at most {MAX_LINE_CHARACTERS:,} characters (a lost quote?)",
                )
            ]
        )
    return text


def _check_file(
    data_dir: Path, resource: dict[str, Any], budget: int
) -> tuple[list[Problem], list[dict[str, str]] | None, int]:
    """Read a table's file and check it has the schema's columns; the rows if it can be checked.

    ``budget`` is what is left of the bound on the size of all the tables together.
    """
    name = resource["path"]
    expected_columns = [field["name"] for field in resource["schema"]["fields"]]
    try:
        header, rows, size = read_table(data_dir, resource)
    except TableUnreadable as unreadable:
        return unreadable.problems, None, 0
    if size > budget:
        expected = f"tables of at most {MAX_PACKAGE_BYTES:,} bytes together (this one passes it)"
        return [Problem(name, None, None, f"{size:,} bytes", expected)], None, size
    if header != expected_columns:
        return _header_problems(name, header, expected_columns), None, size
    return [], rows, size


def _header_problems(name: str, header: list[str], expected: list[str]) -> list[Problem]:
    problems = [
        Problem(name, 1, None, f"column {index} without a name", "a name for every column")
        for index, column in enumerate(header, start=1)
        if not column.strip()
    ]
    problems += [
        Problem(name, 1, column, column, "each column name once")
        for index, column in enumerate(header)
        if column in header[:index] and column.strip()
    ]
    problems += [
        Problem(name, 1, column, None, "this column (it is missing or renamed)")
        for column in expected
        if column not in header
    ]
    problems += [
        Problem(name, 1, column, column, f"only the columns {', '.join(expected)}")
        for column in dict.fromkeys(header)
        if column.strip() and column not in expected
    ]
    if not problems:
        problems.append(
            Problem(
                name,
                1,
                None,
                ", ".join(header),
                f"the columns in this order: {', '.join(expected)}",
            )
        )
    return problems


def _frictionless_problems(
    data_dir: Path, descriptor: dict[str, Any], broken: set[str]
) -> list[Problem]:
    """Validate types, constraints and keys with Frictionless, skipping tables already broken.

    Frictionless raises for a schema it cannot use (an unknown field type, a bad constraint); that
    becomes a problem in the list like any other.
    """
    from frictionless import FrictionlessException, Package  # slow to import, rarely needed

    healthy = frictionless_descriptor(descriptor, broken)
    if not healthy["resources"]:
        return []
    try:
        report = Package(healthy, basepath=str(data_dir)).validate()
    except FrictionlessException as exception:
        return [
            _problem_from_exception(reason) for reason in exception.reasons or [exception.error]
        ]
    except Exception as error:  # Frictionless meeting a schema it does not guard against
        expected = f"a data package Frictionless can check ({type(error).__name__}: {error})"
        return [Problem(PACKAGE_FILE, None, None, None, expected)]
    problems = [_problem_from_exception(error) for error in report.errors]
    by_name = {r["name"]: r["path"] for r in healthy["resources"]}
    for task in report.tasks:
        problems += _task_problems(by_name.get(task.name, task.name), task.errors)
    return problems


def _task_problems(file: str, errors: list[Any]) -> list[Problem]:
    """One table's problems; a short row is one problem, not one per cell it lacks.

    Frictionless reports each missing cell, and again each required one as empty; for a row cut
    short by a lost comma that is a screenful saying one thing.
    """
    infos = [error.to_descriptor() for error in errors]
    missing: dict[int, list[str]] = {}
    for info in infos:
        if info.get("type") == "missing-cell":
            missing.setdefault(info.get("rowNumber", 0), []).append(info.get("fieldName", "?"))
    problems = [
        Problem(
            file,
            line,
            None,
            f"{len(names)} cells missing",
            f"a cell for every column (missing: {', '.join(names)})",
        )
        for line, names in missing.items()
    ]
    for info in infos:
        line = info.get("rowNumber", 0)
        if info.get("type") == "missing-cell" or (
            '"required"' in info.get("note", "") and info.get("fieldName") in missing.get(line, [])
        ):
            continue
        problems.append(_problem_from_frictionless(file, info))
    return problems


def _problem_from_exception(error: Any) -> Problem:
    """A problem with the descriptor as Frictionless words it, e.g. an unsupported field type."""
    return Problem(PACKAGE_FILE, None, None, None, f"a valid Table Schema ({error.message})")


def _problem_from_frictionless(file: str, info: dict[str, Any]) -> Problem:
    kind = info.get("type", "")
    line = info.get("rowNumber")
    if kind == "foreign-key":
        reference = info.get("referenceName", "?")
        fields = ", ".join(info.get("referenceFieldNames", []))
        return Problem(
            file,
            line,
            ", ".join(info.get("fieldNames", [])),
            ", ".join(str(v) for v in info.get("fieldCells", [])),
            f"a value that exists in table {reference!r} ({fields})",
        )
    if kind == "primary-key":
        return Problem(file, line, None, None, f"a unique key ({info.get('note', '')})")
    column = info.get("fieldName")
    value = info.get("cell")
    return Problem(file, line, column, value, _expected_from_note(kind, info.get("note", "")))


def _expected_from_note(kind: str, note: str) -> str:
    readable = {
        "type-error": "a value of the field's type",
        "constraint-error": "a value meeting the field's constraint",
        "missing-cell": "a value in every column of the row",
        "extra-cell": "no more cells than there are columns",
        "blank-row": "no blank rows",
    }.get(kind, kind.replace("-", " "))
    return f"{readable} ({note})" if note else readable


def _convention_problems(
    resources: list[dict[str, Any]], rows_by_table: dict[str, list[dict[str, str]]]
) -> list[Problem]:
    problems: list[Problem] = []
    sources = rows_by_table.get("sources", [])
    source_in_paper = {row.get("source_id", ""): row.get("in_paper", "") for row in sources}
    for resource in resources:
        rows = rows_by_table.get(resource["name"])
        if rows is None:
            continue
        columns = [field["name"] for field in resource["schema"]["fields"]]
        file = resource["path"]
        for line, row in enumerate(rows, start=2):
            problems += _date_problems(file, line, row, columns)
            problems += _estimate_problems(file, line, row, columns)
            if "source_ids" in columns and sources:
                problems += _source_problems(file, line, row, source_in_paper)
        if resource["name"] == SPELL_TABLE:
            problems += _overlap_problems(file, rows)
    return problems


def _date_problems(
    file: str, line: int, row: dict[str, str], columns: list[str]
) -> Iterator[Problem]:
    for column in columns:
        if f"{column}_precision" not in columns:
            continue
        text = row.get(column, "")
        precision = row.get(f"{column}_precision", "")
        if not text:
            if precision:
                yield Problem(
                    file, line, f"{column}_precision", precision, f"empty, as {column!r} is empty"
                )
            continue
        if parse_date_text(text) is None:
            yield Problem(file, line, column, text, DATE_EXPECTED)
        elif precision != DATE_FORMS[len(text)]:
            yield Problem(
                file,
                line,
                f"{column}_precision",
                precision,
                f"{DATE_FORMS[len(text)]!r}, the precision of {column}={text!r}",
            )
    for start, end in (("start", "end"),):
        if (
            start in columns
            and end in columns
            and _ends_before(row.get(start, ""), row.get(end, ""))
        ):
            yield Problem(file, line, end, row[end], f"an end not before the start {row[start]!r}")


def parse_date_text(text: str) -> date | None:
    """Return the first day of the period a date text names, or None if it is not a real date."""
    if len(text) not in DATE_FORMS:
        return None
    parts = text.split("-")
    if not all(part.isdigit() for part in parts):
        return None
    year, month, day = (int(p) for p in [*parts, "1", "1"][:3])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _ends_before(start: str, end: str) -> bool:
    """Compare at the coarser of the two precisions: 2012 does not end before 2012-06-20."""
    if not start or not end or parse_date_text(start) is None or parse_date_text(end) is None:
        return False
    width = min(len(start), len(end))
    return end[:width] < start[:width]


def _estimate_problems(
    file: str, line: int, row: dict[str, str], columns: list[str]
) -> Iterator[Problem]:
    for column in columns:
        if not column.endswith("_best"):
            continue
        stem = column.removesuffix("_best")
        trio = [row.get(f"{stem}_{part}", "") for part in ("low", "best", "high")]
        numbers = [_number(value) for value in trio]
        present = [n for n in numbers if n is not None]
        if present != sorted(present):
            yield Problem(
                file, line, f"{stem}_low/_best/_high", " / ".join(trio), "low <= best <= high"
            )


def _number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _source_problems(
    file: str, line: int, row: dict[str, str], source_in_paper: dict[str, str]
) -> Iterator[Problem]:
    ids = split_ids(row.get("source_ids", ""))
    if not ids:
        yield Problem(file, line, "source_ids", "", "at least one source id from sources.csv")
    for source_id in ids:
        if source_id not in source_in_paper:
            yield Problem(
                file, line, "source_ids", source_id, "a source_id that exists in sources.csv"
            )
    if (
        row.get("in_paper") == "false"
        and ids
        and all(source_in_paper.get(source_id) == "true" for source_id in ids)
    ):
        yield Problem(
            file,
            line,
            "source_ids",
            row["source_ids"],
            "an external source (in_paper=false in sources.csv) on a row marked in_paper=false",
        )


def split_ids(text: str) -> list[str]:
    """Split a ``;``-separated id list, the dataset's way of citing several sources on one row."""
    return [part.strip() for part in text.split(";") if part.strip()]


def _overlap_problems(file: str, rows: Iterable[dict[str, str]]) -> Iterator[Problem]:
    """A state cannot hold two spells in one framework at once; touching ends are allowed."""
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, str]]]] = {}
    for line, row in enumerate(rows, start=2):
        if parse_date_text(row.get("start", "")) is not None:
            groups.setdefault(tuple(row.get(k, "") for k in SPELL_GROUP), []).append((line, row))
    for spells in groups.values():
        spells.sort(key=lambda item: item[1]["start"])
        for (_, earlier), (line, later) in itertools.pairwise(spells):
            end = earlier.get("end", "")
            width = min(len(end), len(later["start"])) if end else 0
            if not end or later["start"][:width] < end[:width]:
                yield Problem(
                    file,
                    line,
                    "start",
                    later["start"],
                    f"a start not before the end ({end or 'open'}) of spell "
                    f"{earlier.get('spell_id', '?')!r} for the same state and framework",
                )
