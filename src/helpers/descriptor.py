"""datapackage.json, read and checked for the shape the course relies on before anything uses it.

A descriptor edited by hand can be anything JSON allows: a list, a string, a schema that is a
string, a field without a name. Each is reported here as a located problem, so that the checks and
the loader after it can index into the descriptor without meeting a type they did not expect.
Frictionless validates the rest of the Table Schema (field types, constraints, formats) later,
with the data; this module also builds the copy of the descriptor that Frictionless gets, holding
only the properties the course reads, so that Frictionless reads exactly what the course reads and
never follows a profile or schema reference to another file or to the network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from helpers.bounded_read import UnusableFile
from helpers.datadir import check_resource_path, read_data_file
from helpers.problems import Problem, brief

PACKAGE_FILE = "datapackage.json"
# Generous bounds: the course's descriptor lists 25 tables of at most 30 fields, 6 levels deep.
MAX_TABLES = 200
MAX_FIELDS = 1000
MAX_DEPTH = 32
MAX_PATTERN = 1000
FIELD_TYPES = (
    "string", "number", "integer", "boolean", "object", "array", "list", "date", "time",
    "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# How the course reads every table; a descriptor saying otherwise describes files it cannot read.
READING = {
    "format": ("csv",),
    "mediatype": ("text/csv",),
    "encoding": ("utf-8", "utf-8-sig", "utf8"),
}
DIALECT = {
    "delimiter": ",",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
    "headerRows": [1],
    "skipInitialSpace": False,
}
LINE_TERMINATORS = ("\n", "\r\n", "\r")
# Field properties handed to Frictionless; the rest (title, description...) only documents.
FIELD_PROPERTIES = (
    "name", "type", "format", "constraints", "trueValues", "falseValues", "missingValues",
    "bareNumber", "groupChar", "decimalChar", "floatNumber",
)  # fmt: skip


class PackageUnreadable(Exception):
    """datapackage.json itself cannot be used, so nothing else can be checked."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def read_descriptor(data_dir: Path) -> dict[str, Any]:
    """Read datapackage.json and check its shape, raising every problem found as a list."""
    try:
        raw = read_data_file(data_dir, PACKAGE_FILE, suffix=".json")
    except UnusableFile as unusable:
        raise PackageUnreadable([_problem(None, unusable.found, unusable.expected)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        raise PackageUnreadable(
            [Problem(PACKAGE_FILE, line, None, f"byte 0x{byte}", "UTF-8 text")]
        ) from None
    duplicates: list[Problem] = []
    try:
        descriptor = json.loads(text, object_pairs_hook=_object_noting(duplicates))
    except json.JSONDecodeError as error:
        raise PackageUnreadable(
            [
                Problem(
                    PACKAGE_FILE,
                    error.lineno,
                    None,
                    None,
                    f"a readable JSON data package ({error.msg}, column {error.colno})",
                )
            ]
        ) from None
    except RecursionError:
        raise PackageUnreadable(
            [_problem(None, "JSON nested too deep", f"JSON nested at most {MAX_DEPTH} levels")]
        ) from None
    except ValueError:  # the one ValueError json.loads raises besides JSONDecodeError
        found, expected = "a number of more than 4,300 digits", "numbers Python can read"
        raise PackageUnreadable([_problem(None, found, expected)]) from None
    problems = duplicates + descriptor_problems(descriptor)
    if problems:
        raise PackageUnreadable(problems)
    return descriptor


def _object_noting(duplicates: list[Problem]) -> Any:
    """A JSON object hook that keeps the last of repeated keys, as JSON readers do, and notes it.

    Readers differ on which of two ``"path"`` keys wins, so a repeated key is reported rather
    than trusted.
    """

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) < len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    named = f" (in the object named {brief(obj['name'])})" if "name" in obj else ""
                    duplicates.append(_problem(None, key, f"each key once in an object{named}"))
                seen.add(key)
        return obj

    return hook


def descriptor_problems(descriptor: object) -> list[Problem]:
    """Every way the descriptor's shape differs from what the course needs, located by path."""
    if not isinstance(descriptor, dict):
        return [
            _problem(None, _kind(descriptor), "a JSON object with a list of tables in 'resources'")
        ]
    if _deeper_than(descriptor, MAX_DEPTH):
        return [_problem(None, None, f"JSON nested at most {MAX_DEPTH} levels")]
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return [_problem("resources", _kind(resources), "a non-empty list of table descriptions")]
    if len(resources) > MAX_TABLES:
        return [_problem("resources", f"{len(resources)} tables", f"at most {MAX_TABLES}")]
    problems = []
    for index, resource in enumerate(resources):
        problems += _resource_problems(f"resources[{index}]", resource)
    if problems:
        return problems
    names = [resource["name"] for resource in resources]
    problems += [
        _problem(f"resources[{index}].name", name, "a table name used only once")
        for index, name in enumerate(names)
        if names.index(name) != index
    ]
    fields_by_table = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in resources}
    for index, resource in enumerate(resources):
        problems += _key_problems(f"resources[{index}]", resource, fields_by_table)
    return problems


def _resource_problems(at: str, resource: object) -> list[Problem]:
    if not isinstance(resource, dict):
        return [
            _problem(at, _text_or_kind(resource), "a table description with name, path and schema")
        ]
    name = resource.get("name")
    if not isinstance(name, str) or not name:
        return [_problem(f"{at}.name", _kind(name), "the table's name, as text")]
    at = f"{at} (table {brief(name)})"
    problems = []
    try:
        check_resource_path(resource.get("path"))
    except UnusableFile as unusable:
        problems.append(
            _problem(f"{at}.path", _text_or_kind(resource.get("path")), unusable.expected)
        )
    if "data" in resource:
        problems.append(_problem(f"{at}.data", None, "no inline data: a path to a CSV file"))
    problems += _reading_problems(at, resource)
    schema = resource.get("schema")
    if not isinstance(schema, dict):
        return [*problems, _problem(f"{at}.schema", _text_or_kind(schema), "a Table Schema object")]
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return [
            *problems,
            _problem(f"{at}.schema.fields", _text_or_kind(fields), "a non-empty list"),
        ]
    if len(fields) > MAX_FIELDS:
        return [
            *problems,
            _problem(f"{at}.schema.fields", f"{len(fields)} fields", f"at most {MAX_FIELDS}"),
        ]
    for index, field in enumerate(fields):
        problems += _field_problems(f"{at}.schema.fields[{index}]", field)
    field_names = [f.get("name") if isinstance(f, dict) else None for f in fields]
    problems += [
        _problem(f"{at}.schema.fields[{index}].name", name, "a field name used only once")
        for index, name in enumerate(field_names)
        if isinstance(name, str) and field_names.index(name) != index
    ]
    missing = schema.get("missingValues", [""])
    if not isinstance(missing, list) or not all(isinstance(v, str) for v in missing):
        problems.append(
            _problem(f"{at}.schema.missingValues", _kind(missing), 'a list of texts such as [""]')
        )
    return problems


def _reading_problems(at: str, resource: dict[str, Any]) -> Iterator[Problem]:
    """Properties that would make Frictionless read the file differently from the course."""
    for key, allowed in READING.items():
        value = resource.get(key)
        if value is not None and (not isinstance(value, str) or value.lower() not in allowed):
            yield _problem(f"{at}.{key}", _text_or_kind(value), f"{allowed[0]!r} or no {key}")
    for key in ("compression", "innerpath", "extrapaths"):
        if resource.get(key) not in (None, "", "no"):
            yield _problem(f"{at}.{key}", _text_or_kind(resource[key]), f"no {key}")
    if resource.get("scheme") not in (None, "file"):
        yield _problem(f"{at}.scheme", _text_or_kind(resource["scheme"]), "'file' or no scheme")
    dialect = resource.get("dialect", {})
    if not isinstance(dialect, dict):
        yield _problem(f"{at}.dialect", _kind(dialect), 'an object such as {"delimiter": ","}')
        return
    for key, value in dialect.items():
        if key == "lineTerminator" and value in LINE_TERMINATORS:
            continue
        if DIALECT.get(key, object()) != value:
            expected = (
                f"{DIALECT[key]!r} (the course reads comma-separated files with one header row)"
                if key in DIALECT
                else "no such dialect property (the course reads plain comma-separated files)"
            )
            yield _problem(f"{at}.dialect.{key}", _text_or_kind(value), expected)


def _field_problems(at: str, field: object) -> list[Problem]:
    if not isinstance(field, dict):
        return [_problem(at, _text_or_kind(field), "a field description with a name and a type")]
    name = field.get("name")
    if not isinstance(name, str) or not name.strip():
        return [_problem(f"{at}.name", _text_or_kind(name), "the column's name, as text")]
    at = f"{at} (field {brief(name)})"
    problems = []
    if name.startswith(FORMULA_START) or any(ord(c) < 32 for c in name):
        problems.append(
            _problem(f"{at}.name", name, "a plain column name, not starting with = + - @")
        )
    kind = field.get("type", "string")
    if kind not in FIELD_TYPES:
        problems.append(
            _problem(f"{at}.type", _text_or_kind(kind), f"one of {', '.join(FIELD_TYPES)}")
        )
    constraints = field.get("constraints", {})
    if isinstance(constraints, dict):
        problems += _constraint_problems(f"{at}.constraints", constraints, kind)
    else:
        problems.append(_problem(f"{at}.constraints", _kind(constraints), "an object"))
    for key in ("trueValues", "falseValues", "missingValues"):
        values = field.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            problems.append(
                _problem(f"{at}.{key}", _kind(values), 'a list of texts such as ["true"]')
            )
    return problems


def _constraint_problems(at: str, constraints: dict[str, Any], kind: object) -> list[Problem]:
    """Constraints Frictionless would fail on with a Python error rather than a report."""
    problems = []
    enum = constraints.get("enum", [])
    if not (
        isinstance(enum, list)
        and all(isinstance(v, str | int | float | bool) for v in enum)
        and len(set(map(str, enum))) == len(enum)
    ):
        problems.append(
            _problem(f"{at}.enum", None, 'a list of distinct values such as ["a", "b"]')
        )
    pattern = constraints.get("pattern", "")
    if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN:
        problems.append(
            _problem(
                f"{at}.pattern",
                _text_or_kind(pattern),
                f"a regular expression of at most {MAX_PATTERN} characters",
            )
        )
    else:
        try:
            re.compile(pattern)
        except re.error as error:
            problems.append(_problem(f"{at}.pattern", pattern, f"a regular expression ({error})"))
    for key in ("minimum", "maximum") if kind in ("integer", "number") else ():
        value = constraints.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int | float):
            words = "an integer" if kind == "integer" else "a number"
            problems.append(_problem(f"{at}.{key}", _text_or_kind(value), words))
    for key in ("minLength", "maxLength"):
        value = constraints.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(_problem(f"{at}.{key}", _text_or_kind(value), "a whole number >= 0"))
    return problems


def _key_problems(
    at: str, resource: dict[str, Any], fields_by_table: dict[str, list[str]]
) -> list[Problem]:
    """Primary and foreign keys: the right shape, naming fields that exist."""
    name = resource["name"]
    at = f"{at} (table {brief(name)}).schema"
    schema = resource["schema"]
    own = fields_by_table[name]
    problems = []
    if "primaryKey" in schema:
        problems += _field_list_problems(f"{at}.primaryKey", schema["primaryKey"], own, name)
    foreign = schema.get("foreignKeys", [])
    if not isinstance(foreign, list):
        return [*problems, _problem(f"{at}.foreignKeys", _kind(foreign), "a list of foreign keys")]
    for index, key in enumerate(foreign):
        where = f"{at}.foreignKeys[{index}]"
        reference = key.get("reference") if isinstance(key, dict) else None
        if not isinstance(reference, dict):
            problems.append(
                _problem(
                    where,
                    None,
                    'an object {"fields": [...], "reference": '
                    '{"resource": TABLE, "fields": [...]}}',
                )
            )
            continue
        target = reference.get("resource", "")
        if not isinstance(target, str) or (target and target not in fields_by_table):
            problems.append(
                _problem(
                    f"{where}.reference.resource",
                    _text_or_kind(target),
                    'the name of a table in this package ("" for this table)',
                )
            )
            continue
        target = target or name
        found = _field_list_problems(f"{where}.fields", key.get("fields"), own, name)
        found += _field_list_problems(
            f"{where}.reference.fields", reference.get("fields"), fields_by_table[target], target
        )
        if not found and len(_as_list(key["fields"])) != len(_as_list(reference["fields"])):
            found.append(_problem(where, None, "as many fields as the reference has"))
        problems += found
    return problems


def _field_list_problems(at: str, value: object, fields: list[str], table: str) -> list[Problem]:
    names = _as_list(value)
    if not names or not all(isinstance(n, str) for n in names):
        return [_problem(at, _text_or_kind(value), "a field name or a list of field names")]
    return [
        _problem(at, name, f"a field of table {table!r}") for name in names if name not in fields
    ]


def frictionless_descriptor(descriptor: dict[str, Any], skipped: set[str]) -> dict[str, Any]:
    """The copy of a checked descriptor that Frictionless validates with the data.

    It holds the tables not in ``skipped`` (tables whose files are already known to be broken)
    with what the course reads: path, fields, keys, missing values, and the CSV dialect the course
    reads with. Foreign keys into a skipped table are left out: they cannot be checked until that
    file is fixed, and would otherwise flood the report with false alarms.
    """
    resources = []
    for resource in descriptor["resources"]:
        if resource["name"] in skipped:
            continue
        schema = resource["schema"]
        copy = {
            "fields": [
                {k: v for k, v in field.items() if k in FIELD_PROPERTIES}
                for field in schema["fields"]
            ],
            "missingValues": schema.get("missingValues", [""]),
            "foreignKeys": [
                key
                for key in schema.get("foreignKeys", [])
                if key["reference"].get("resource", "") not in skipped
            ],
        }
        if "primaryKey" in schema:
            copy["primaryKey"] = schema["primaryKey"]
        resources.append(
            {
                "name": resource["name"],
                "path": resource["path"],
                "format": "csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": copy,
            }
        )
    return json.loads(json.dumps({"resources": resources}))


def _problem(at: str | None, found: str | None, expected: str) -> Problem:
    return Problem(PACKAGE_FILE, None, at, found, expected)


def _as_list(value: object) -> list[object]:
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, list) else []


def _kind(value: object) -> str:
    """What a JSON value is, in words; the value itself may be large."""
    kinds = {dict: "an object", list: "a list", str: "text", bool: "true or false",
             int: "a number", float: "a number", type(None): "nothing"}  # fmt: skip
    return kinds.get(type(value), type(value).__name__)


def _text_or_kind(value: object) -> str:
    return value if isinstance(value, str) else _kind(value)


def _deeper_than(value: object, limit: int) -> bool:
    """Whether the JSON value nests more than ``limit`` levels; iterative, so depth is no risk."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack += [(child, depth + 1) for child in item.values()]
        elif isinstance(item, list):
            stack += [(child, depth + 1) for child in item]
    return False
