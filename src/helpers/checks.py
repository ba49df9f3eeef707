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
import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from helpers.problems import Problem

PACKAGE_FILE = "datapackage.json"
DATE_FORMS = {4: "year", 7: "month", 10: "day"}
DATE_EXPECTED = "a date written YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)"
SPELL_TABLE = "membership"
SPELL_GROUP = ("iso3", "framework")


def read_descriptor(data_dir: Path) -> dict[str, Any]:
    """Read datapackage.json, raising a located Problem list instead of a JSON traceback."""
    path = data_dir / PACKAGE_FILE
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageUnreadable(
            [Problem(PACKAGE_FILE, None, None, None, f"a readable JSON data package ({error})")]
        ) from error
    if not isinstance(descriptor.get("resources"), list):
        raise PackageUnreadable(
            [Problem(PACKAGE_FILE, None, "resources", None, "a list of table descriptions")]
        )
    return descriptor


class PackageUnreadable(Exception):
    """datapackage.json itself cannot be used, so nothing else can be checked."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def check_package(data_dir: Path, descriptor: dict[str, Any]) -> list[Problem]:
    """Return every problem in the package: files first, then schema, then convention rules."""
    resources = descriptor["resources"]
    problems: list[Problem] = []
    rows_by_table: dict[str, list[dict[str, str]]] = {}
    for resource in resources:
        file_problems, rows = _check_file(data_dir, resource)
        problems += file_problems
        if rows is not None:
            rows_by_table[resource["name"]] = rows
    broken = {r["name"] for r in resources} - set(rows_by_table)
    problems += _frictionless_problems(data_dir, descriptor, broken)
    problems += _convention_problems(resources, rows_by_table)
    return problems


def _check_file(
    data_dir: Path, resource: dict[str, Any]
) -> tuple[list[Problem], list[dict[str, str]] | None]:
    """Check that a table's file exists, is UTF-8, is not empty and has the schema's columns."""
    name = resource["path"]
    path = data_dir / name
    expected_columns = [field["name"] for field in resource["schema"]["fields"]]
    if not path.is_file():
        return [
            Problem(name, None, None, None, f"the file to exist (table {resource['name']!r})")
        ], None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        return [
            Problem(name, line, None, f"byte 0x{byte}", "UTF-8 text (save the file as UTF-8)")
        ], None
    if not text.strip():
        return [
            Problem(
                name, None, None, "an empty file", f"a header row: {', '.join(expected_columns)}"
            )
        ], None
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = list(reader.fieldnames or [])
    if header != expected_columns:
        return _header_problems(name, header, expected_columns), None
    return [], list(reader)


def _header_problems(name: str, header: list[str], expected: list[str]) -> list[Problem]:
    problems = [
        Problem(name, 1, column, None, "this column (it is missing or renamed)")
        for column in expected
        if column not in header
    ]
    problems += [
        Problem(name, 1, column, column, f"only the columns {', '.join(expected)}")
        for column in header
        if column not in expected
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

    Foreign keys that point into a broken table cannot be checked meaningfully, so they are left
    until that file is fixed rather than reported as a flood of false alarms.
    """
    from frictionless import Package  # imported here: it is slow to import and rarely needed

    healthy = json.loads(json.dumps(descriptor))
    healthy["resources"] = [r for r in healthy["resources"] if r["name"] not in broken]
    for resource in healthy["resources"]:
        schema = resource["schema"]
        schema["foreignKeys"] = [
            key
            for key in schema.get("foreignKeys", [])
            if key["reference"]["resource"] not in broken
        ]
    package = Package(healthy, basepath=str(data_dir))
    report = package.validate()
    problems = [
        Problem(PACKAGE_FILE, None, None, None, str(error.message)) for error in report.errors
    ]
    by_name = {r["name"]: r["path"] for r in healthy["resources"]}
    for task in report.tasks:
        file = by_name.get(task.name, task.name)
        problems += [_problem_from_frictionless(file, error) for error in task.errors]
    return problems


def _problem_from_frictionless(file: str, error: Any) -> Problem:
    info = error.to_descriptor()
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
