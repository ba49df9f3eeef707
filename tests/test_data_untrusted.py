"""The data layer against hostile or badly damaged input: every case is a located problem.

A dataset comes from analysts who extend it by hand and from colleagues who share copies. Whatever
is in it, the loader reads nothing outside the data folder, never blocks or runs without bound,
and reports a problem list (file, line, field, value, expected) instead of a traceback. Cases that
need the real schema damage a copy of the course's data; the property-based tests use a tiny
package so that each example is quick.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import checks, data
from helpers.datadir import MAX_DESCRIPTOR_BYTES, MAX_TABLE_BYTES
from helpers.problems import DataValidationError

# These tests count validations and change rules in memory, which a shared stamp would hide.
pytestmark = pytest.mark.own_stamps

SECRET = "SECRET-CONTENT-OF-AN-OUTSIDE-FILE"
# Deterministic and bounded: the same examples on every run, a fixed number of them, no deadline
# (a slow shared machine must not fail a test), no example database written into the repository.
BOUNDED = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---------------------------------------------------------------- helpers


def problems_of(directory: Path, table: str = "countries") -> str:
    with pytest.raises(DataValidationError) as caught:
        data.load_table(table, directory)
    return str(caught.value)


def edit_descriptor(directory: Path, change: Callable[[dict[str, Any]], object]) -> None:
    path = directory / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor), encoding="utf-8")


def resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def fields(descriptor: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return resource(descriptor, name)["schema"]["fields"]


_recording: list[list[str]] = []


def _audit(event: str, arguments: tuple[Any, ...]) -> None:
    if event == "open" and _recording and isinstance(arguments[0], str | bytes | os.PathLike):
        _recording[-1].append(os.fsdecode(arguments[0]))


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one records only inside opened()


@contextlib.contextmanager
def opened() -> Iterator[list[str]]:
    """Every file path opened (by Python code, pandas or Frictionless) inside the block."""
    paths: list[str] = []
    _recording.append(paths)
    try:
        yield paths
    finally:
        _recording.pop()


# ---------------------------------------------------------------- resource paths


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/etc/passwd", "not an absolute path"),
        ("../../../../etc/passwd", "without '..'"),
        ("sub/../../outside.csv", "without '..'"),
        ("http://127.0.0.1:9/countries.csv", "not a URL (the course works offline)"),
        ("file:///etc/passwd", "not a URL"),
        ("C:\\Windows\\win.ini", "not an absolute path"),
        ("~/countries.csv", "not an absolute path"),
        ("$HOME/countries.csv", "letters, digits"),
        ("countries.xlsx", "a .csv file"),
    ],
)
def test_a_resource_path_must_stay_inside_the_data_folder(data_copy, path, expected):
    edit_descriptor(data_copy, lambda d: resource(d, "countries").__setitem__("path", path))
    with opened() as paths:
        message = problems_of(data_copy)
    assert (
        f"datapackage.json, at resources[{_index(data_copy, 'countries')}] (table 'countries')"
        f".path: found {path!r}; expected a path inside the data folder"
        in message
        or f".path: found {path!r}; expected a .csv file" in message
    )
    assert expected in message
    assert "root:" not in message
    assert not [p for p in paths if "passwd" in p or "win.ini" in p]


def _index(directory: Path, name: str) -> int:
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    return [r["name"] for r in descriptor["resources"]].index(name)


def test_a_link_out_of_the_data_folder_is_never_read(data_copy, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text(f"iso3,cow_code,name,region,notes\n{SECRET},1,x,y,z\n", encoding="utf-8")
    (data_copy / "countries.csv").unlink()
    (data_copy / "countries.csv").symlink_to(outside)
    with opened() as paths:
        message = problems_of(data_copy)
    assert "countries.csv: expected a path inside the data folder" in message
    assert "it is a link to a file outside the folder (table 'countries')" in message
    assert SECRET not in message and str(outside) not in message
    assert str(outside) not in paths


def test_a_link_that_stays_inside_the_folder_is_followed(data_copy):
    (data_copy / "tables").mkdir()
    (data_copy / "countries.csv").rename(data_copy / "tables" / "countries.csv")
    (data_copy / "countries.csv").symlink_to(data_copy / "tables" / "countries.csv")
    assert "ARM" in set(data.load_table("countries", data_copy)["iso3"])


def test_a_descriptor_that_links_out_is_not_read(data_copy, tmp_path):
    outside = tmp_path / "elsewhere.json"
    outside.write_text(f'{{"{SECRET}": 1}}', encoding="utf-8")
    (data_copy / "datapackage.json").unlink()
    (data_copy / "datapackage.json").symlink_to(outside)
    with opened() as paths:
        message = problems_of(data_copy)
    assert "datapackage.json: expected a path inside the data folder" in message
    assert SECRET not in message and str(outside) not in paths


@pytest.mark.timeout(60)
def test_a_named_pipe_is_reported_not_read(data_copy):
    (data_copy / "countries.csv").unlink()
    os.mkfifo(data_copy / "countries.csv")  # opening it to read would wait for a writer forever
    message = problems_of(data_copy)
    assert "countries.csv: found 'a named pipe'; expected a regular file (table 'countries')" in (
        message
    )


def test_a_folder_where_a_table_should_be_is_reported(data_copy):
    (data_copy / "countries.csv").unlink()
    (data_copy / "countries.csv").mkdir()
    assert "countries.csv: found 'a folder'; expected a regular file" in problems_of(data_copy)


def test_a_link_to_a_device_is_reported_not_read(data_copy):
    (data_copy / "countries.csv").unlink()
    (data_copy / "countries.csv").symlink_to("/dev/zero")  # reading it never ends
    assert "it is a link to a file outside the folder" in problems_of(data_copy)


def test_profile_and_schema_references_are_never_fetched(data_copy):
    """Frictionless follows a profile URL or a schema path; the course hands it neither."""

    def point_away(descriptor: dict[str, Any]) -> None:
        descriptor["profile"] = "http://127.0.0.1:9/profile.json"
        resource(descriptor, "countries")["profile"] = "/etc/passwd"
        resource(descriptor, "countries")["schema"]["$ref"] = "http://127.0.0.1:9/schema.json"

    edit_descriptor(data_copy, point_away)
    with opened() as paths:
        assert "ARM" in set(data.load_table("countries", data_copy)["iso3"])
    assert not [p for p in paths if "passwd" in p]


# ---------------------------------------------------------------- descriptor shapes


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: [], "datapackage.json: found 'a list'; expected a JSON object"),
        (lambda d: "text", "datapackage.json: found 'text'; expected a JSON object"),
        (lambda d: 42, "datapackage.json: found 'a number'; expected a JSON object"),
        (lambda d: None, "datapackage.json: found 'nothing'; expected a JSON object"),
        (
            lambda d: {**d, "resources": {}},
            "at resources: found 'an object'; expected a non-empty list",
        ),
        (lambda d: {**d, "resources": []}, "at resources: found 'a list'; expected a non-empty"),
        (
            lambda d: {**d, "resources": ["countries.csv"]},
            "at resources[0]: found 'countries.csv'; expected a table description",
        ),
    ],
)
def test_a_descriptor_of_the_wrong_shape_is_one_problem(data_copy, change, expected):
    path = data_copy / "datapackage.json"
    path.write_text(json.dumps(change(json.loads(path.read_text()))), encoding="utf-8")
    message = problems_of(data_copy)
    assert expected in message
    assert message.count("\n  - ") == 1


@pytest.mark.parametrize(
    ("change", "at", "expected"),
    [
        (
            lambda d: resource(d, "countries").__setitem__("schema", "countries.schema.json"),
            ".schema: found 'countries.schema.json'",
            "expected a Table Schema object",
        ),
        (
            lambda d: resource(d, "countries")["schema"].__setitem__("fields", "iso3"),
            ".schema.fields: found 'iso3'",
            "expected a non-empty list",
        ),
        (
            lambda d: fields(d, "countries").__setitem__(0, "iso3"),
            ".schema.fields[0]: found 'iso3'",
            "expected a field description",
        ),
        (
            lambda d: fields(d, "countries")[1].pop("name"),
            ".schema.fields[1].name: found 'nothing'",
            "expected the column's name, as text",
        ),
        (
            lambda d: fields(d, "countries")[1].__setitem__("type", "widget"),
            ".schema.fields[1] (field 'cow_code').type: found 'widget'",
            "expected one of string, number, integer",
        ),
        (
            lambda d: fields(d, "countries").append(dict(fields(d, "countries")[0])),
            ".schema.fields[5].name: found 'iso3'",
            "expected a field name used only once",
        ),
        (
            lambda d: fields(d, "countries")[2].__setitem__("name", '=HYPERLINK("x")'),
            ".name: found '=HYPERLINK(\"x\")'",
            "expected a plain column name, not starting with = + - @",
        ),
        (
            lambda d: fields(d, "countries")[2].__setitem__("constraints", "required"),
            "(field 'name').constraints: found 'text'",
            "expected an object",
        ),
        (
            lambda d: fields(d, "countries")[1]["constraints"].__setitem__("minimum", "one"),
            "(field 'cow_code').constraints.minimum: found 'one'",
            "expected an integer",
        ),
        (
            lambda d: fields(d, "countries")[0]["constraints"].__setitem__("pattern", "[A-Z"),
            "(field 'iso3').constraints.pattern: found '[A-Z'",
            "expected a regular expression (unterminated character set",
        ),
        (
            lambda d: fields(d, "countries")[2].__setitem__("trueValues", "yes"),
            "(field 'name').trueValues: found 'text'",
            "expected a list of texts",
        ),
        (
            lambda d: resource(d, "countries")["schema"].__setitem__("primaryKey", ["code"]),
            ".schema.primaryKey: found 'code'",
            "expected a field of table 'countries'",
        ),
        (
            lambda d: resource(d, "countries")["schema"].__setitem__("primaryKey", 3),
            ".schema.primaryKey: found 'a number'",
            "expected a field name or a list of field names",
        ),
        (
            lambda d: resource(d, "membership")["schema"].__setitem__("foreignKeys", "iso3"),
            "(table 'membership').schema.foreignKeys: found 'text'",
            "expected a list of foreign keys",
        ),
        (
            lambda d: resource(d, "membership")["schema"].__setitem__(
                "foreignKeys", [{"fields": "iso3", "reference": "countries"}]
            ),
            "(table 'membership').schema.foreignKeys[0]",
            'expected an object {"fields": [...], "reference"',
        ),
        (
            lambda d: resource(d, "membership")["schema"].__setitem__(
                "foreignKeys", [{"fields": "iso3", "reference": {"resource": "nations"}}]
            ),
            "foreignKeys[0].reference.resource: found 'nations'",
            "expected the name of a table in this package",
        ),
        (
            lambda d: resource(d, "membership")["schema"].__setitem__(
                "foreignKeys",
                [{"fields": "iso3", "reference": {"resource": "countries", "fields": "code"}}],
            ),
            "foreignKeys[0].reference.fields: found 'code'",
            "expected a field of table 'countries'",
        ),
        (
            lambda d: resource(d, "membership")["schema"].__setitem__(
                "foreignKeys",
                [
                    {
                        "fields": ["iso3", "framework"],
                        "reference": {"resource": "countries", "fields": "iso3"},
                    }
                ],
            ),
            "(table 'membership').schema.foreignKeys[0]:",
            "expected as many fields as the reference has",
        ),
        (
            lambda d: d["resources"].append(dict(resource(d, "countries"))),
            ".name: found 'countries'",
            "expected a table name used only once",
        ),
        (
            lambda d: resource(d, "countries").__setitem__("name", 7),
            ".name: found 'a number'",
            "expected the table's name, as text",
        ),
        (
            lambda d: resource(d, "countries").__setitem__("path", ["countries.csv"]),
            "(table 'countries').path: found 'a list'",
            "expected a path inside the data folder",
        ),
    ],
)
def test_a_schema_damaged_by_hand_is_a_located_problem(data_copy, change, at, expected):
    edit_descriptor(data_copy, change)
    message = problems_of(data_copy)
    line = next((line for line in message.splitlines() if at in line), message)
    assert line.startswith("  - datapackage.json, at resources[")
    assert expected in line


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("format", "xlsx", "expected 'csv' or no format"),
        ("encoding", "latin-1", "expected 'utf-8' or no encoding"),
        ("compression", "gz", "expected no compression"),
        ("dialect", {"delimiter": ";"}, "expected ',' (the course reads comma-separated files"),
        ("dialect", {"header": False}, "expected True (the course reads comma-separated"),
        ("dialect", "dialect.json", "expected an object such as"),
        ("data", [["ARM"]], "expected no inline data"),
    ],
)
def test_a_description_of_how_to_read_the_file_must_match_how_the_course_reads_it(
    data_copy, key, value, expected
):
    """A table described as Excel, Latin-1, gzip or ;-separated is not what the course reads."""
    edit_descriptor(data_copy, lambda d: resource(d, "countries").__setitem__(key, value))
    message = problems_of(data_copy)
    assert "(table 'countries')." in message and expected in message


def test_what_frictionless_refuses_in_a_schema_is_reported(data_copy):
    edit_descriptor(
        data_copy, lambda d: fields(d, "countries")[0]["constraints"].__setitem__("required", "y")
    )
    message = problems_of(data_copy)
    assert "datapackage.json: expected a valid Table Schema (Field is not valid: 'y' is not" in (
        message
    )


def test_a_repeated_key_in_the_descriptor_is_reported(data_copy):
    path = data_copy / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('"path": "countries.csv"', '"path": "countries.csv", "path": "x.csv"', 1),
        encoding="utf-8",
    )
    message = problems_of(data_copy)
    assert "datapackage.json: found 'path'; expected each key once in an object" in message
    assert "(in the object named 'countries')" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000, "datapackage.json: found 'JSON nested too deep'"),
        ('{"resources": ' + "[" * 40 + "]" * 40 + "}", "expected JSON nested at most 32 levels"),
        (
            '{"resources": ' + "7" * 5000 + "}",
            "found 'a number of more than 4,300 digits'; expected numbers",
        ),
        ("\ufeff{}", "at resources: found 'nothing'"),
        ('{"resources": "\xff"}'.encode("latin-1"), "line 1: found 'byte 0xff'; expected UTF-8"),
    ],
)
def test_descriptor_text_built_to_break_the_reader_is_one_problem(data_copy, text, expected):
    path = data_copy / "datapackage.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    assert expected in problems_of(data_copy)


def test_a_huge_descriptor_is_refused_unread(data_copy):
    with (data_copy / "datapackage.json").open("r+b") as handle:
        handle.truncate(MAX_DESCRIPTOR_BYTES + 1)  # sparse: costs no disk
    message = problems_of(data_copy)
    assert f"datapackage.json: found '{MAX_DESCRIPTOR_BYTES + 1:,} bytes'" in message
    assert f"expected a file of at most {MAX_DESCRIPTOR_BYTES:,} bytes" in message


# ---------------------------------------------------------------- CSV damage


def test_a_byte_order_mark_and_windows_line_ends_load_as_the_plain_file(data_copy):
    plain = data.load_table("countries", data_copy)
    path = data_copy / "countries.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    data.clear_cache()
    assert data.load_table("countries", data_copy).equals(plain)


def test_nul_characters_are_reported_at_their_line(data_copy):
    path = data_copy / "countries.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b",", b"\x00,", 1)
    path.write_bytes(b"\n".join(lines))
    message = problems_of(data_copy)
    assert "countries.csv, line 4: found 'a NUL character'; expected text" in message
    assert message.count("\n  - ") == 1, "the NUL is the problem, not what follows from it"


def test_a_carriage_return_alone_is_reported_where_readers_would_disagree(data_copy):
    path = data_copy / "countries.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace(",", ',"a\rb",', 1).replace(",,", ",", 1)
    path.write_bytes("\n".join(lines).encode() + b"\n")
    message = problems_of(data_copy)
    assert "countries.csv, line 5: found 'a carriage return alone'; expected lines that end" in (
        message
    )


def test_an_endless_line_is_one_short_problem(data_copy):
    path = data_copy / "countries.csv"
    path.write_text(path.read_text() + '"' + "x" * 300_000 + '"\n', encoding="utf-8")
    message = problems_of(data_copy)
    assert "found 'a line of 300,002 characters'; expected lines of at most 100,000" in message
    assert len(message) < 500


def test_a_cell_longer_than_the_message_is_cut_in_the_message(data_copy):
    table = list(csv.reader(io.StringIO((data_copy / "countries.csv").read_text())))
    table[1][0] = "Z" * 5000  # iso3 must be three capitals
    with (data_copy / "countries.csv").open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)
    message = problems_of(data_copy)
    assert "(5,000 characters)" in message
    assert max(len(line) for line in message.splitlines()) < 400


def test_a_huge_table_is_refused_unread(data_copy):
    with (data_copy / "countries.csv").open("r+b") as handle:
        handle.truncate(MAX_TABLE_BYTES + 1)
    message = problems_of(data_copy)
    assert f"countries.csv: found '{MAX_TABLE_BYTES + 1:,} bytes'" in message


def test_all_tables_together_are_bounded(data_copy, monkeypatch):
    sizes = sorted((p.stat().st_size, p.name) for p in data_copy.glob("*.csv"))
    monkeypatch.setattr(checks, "MAX_PACKAGE_BYTES", sum(size for size, _ in sizes) - 1)
    message = problems_of(data_copy)
    assert "expected tables of at most" in message and "bytes together (this one passes it)" in (
        message
    )


def test_a_short_row_is_one_problem_naming_the_missing_cells(data_copy):
    path = data_copy / "membership.csv"
    path.write_text(path.read_text(encoding="utf-8") + "zz_short,ARM\n", encoding="utf-8")
    message = problems_of(data_copy, "membership")
    rows = sum(1 for _ in path.open(encoding="utf-8"))
    assert f"membership.csv, line {rows}: found '" in message
    assert "cells missing'; expected a cell for every column (missing: framework, status" in (
        message
    )
    assert 'constraint "required"' not in message


def test_a_long_row_is_reported(data_copy):
    path = data_copy / "countries.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "countries.csv, line 3: found 'extra'; expected no more cells" in problems_of(data_copy)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("iso3,cow_code,,region,notes", "line 1: found 'column 3 without a name'"),
        ("iso3,cow_code,iso3,region,notes", "line 1, column 'iso3': found 'iso3'; expected each"),
        (
            'iso3,cow_code,"=HYPERLINK(""http://x"")",region,notes',
            "line 1, column '=HYPERLINK(\"http://x\")': found '=HYPERLINK(\"http://x\")'; "
            "expected only",
        ),
    ],
)
def test_a_header_with_an_empty_repeated_or_formula_name_is_reported(data_copy, header, expected):
    path = data_copy / "countries.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([header, *lines[1:]]) + "\n", encoding="utf-8")
    message = problems_of(data_copy)
    assert f"countries.csv, {expected}" in message
    assert "countries.csv, line 1, column 'name': expected this column" in message


def test_a_file_named_csv_holding_something_else_is_reported(data_copy):
    """A spreadsheet saved under the table's name: binary, so it cannot be read as text."""
    (data_copy / "countries.csv").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    message = problems_of(data_copy)
    assert "countries.csv, line 1: found 'a NUL character'" in message or (
        "expected UTF-8 text" in message
    )


# ---------------------------------------------------------------- the validation stamp


def test_the_on_disk_stamp_skips_validation_of_unchanged_files(data_copy, monkeypatch):
    data.load_table("countries", data_copy)  # validates and writes the stamp
    data.clear_cache()  # as a new kernel would start
    monkeypatch.setattr(checks, "check_package", lambda *a: pytest.fail("validated again"))
    assert len(data.load_table("countries", data_copy)) > 0


def test_the_stamp_never_covers_a_changed_file(data_copy, monkeypatch):
    data.load_table("countries", data_copy)
    data.clear_cache()
    calls = []
    real = checks.check_package
    monkeypatch.setattr(checks, "check_package", lambda *a: calls.append(1) or real(*a))
    path = data_copy / "countries.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # same table, other bytes
    data.load_table("countries", data_copy)
    assert calls == [1]


# ---------------------------------------------------------------- property-based: anything goes

TINY_DESCRIPTOR = {
    "name": "tiny",
    "resources": [
        {
            "name": "states",
            "path": "states.csv",
            "schema": {
                "fields": [
                    {"name": "iso3", "type": "string", "constraints": {"pattern": "^[A-Z]{3}$"}},
                    {"name": "note", "type": "string"},
                    {"name": "seats", "type": "integer"},
                    {"name": "member", "type": "boolean"},
                ],
                "primaryKey": ["iso3"],
            },
        },
        {
            "name": "spells",
            "path": "spells.csv",
            "schema": {
                "fields": [
                    {"name": "iso3", "type": "string"},
                    {"name": "start", "type": "string"},
                    {"name": "start_precision", "type": "string"},
                ],
                "foreignKeys": [
                    {"fields": "iso3", "reference": {"resource": "states", "fields": "iso3"}}
                ],
            },
        },
    ],
}


def write_tiny(directory: Path, note: str = "plain", descriptor: object = TINY_DESCRIPTOR) -> None:
    directory.mkdir(exist_ok=True)
    (directory / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with (directory / "states.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows([["iso3", "note", "seats", "member"], ["ARM", note, "3", "true"]])
    (directory / "spells.csv").write_text(
        "iso3,start,start_precision\nARM,1992-05-15,day\n", encoding="utf-8"
    )


def load_everything(directory: Path) -> dict[str, Any] | None:
    """Every table, or None when the course reported problems; anything else fails the test."""
    data.clear_cache()
    try:
        return data.load_all(directory)
    except DataValidationError as error:
        assert error.problems and "Traceback" not in str(error)
        return None


def test_the_tiny_package_loads(tmp_path):
    write_tiny(tmp_path / "tiny")
    tables = load_everything(tmp_path / "tiny")
    assert tables is not None and tables["states"]["note"].tolist() == ["plain"]


cell_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from(["\x00", "\r", "\n", '"', ",", "\ufeff", "=", "\u2028"]),
    max_size=60,
)


@BOUNDED
@given(note=cell_text)
def test_any_text_in_a_cell_loads_as_itself_or_is_a_problem(tmp_path, note):
    write_tiny(tmp_path / "tiny", note=note)
    tables = load_everything(tmp_path / "tiny")
    if "\x00" in note or re.search("\r(?!\n)", note):
        assert tables is None
    elif note:
        assert tables is not None and tables["states"]["note"].tolist() == [note]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@BOUNDED
@given(descriptor=json_values)
def test_any_json_as_the_descriptor_is_loaded_or_reported(tmp_path, descriptor):
    write_tiny(tmp_path / "tiny", descriptor=descriptor)
    assert load_everything(tmp_path / "tiny") is None


def _places(value: object, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _places(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _places(child, (*path, index))


TINY_PLACES = [place for place in _places(TINY_DESCRIPTOR) if place]
SCHEMA_KEYS = st.sampled_from(
    ["name", "type", "constraints", "enum", "trueValues", "missingValues", "primaryKey",
     "foreignKeys", "reference", "fields", "path", "format", "dialect", "pattern", "required"]
)  # fmt: skip


@BOUNDED
@given(
    place=st.sampled_from(TINY_PLACES),
    replacement=json_values,
    extra=st.none() | st.tuples(SCHEMA_KEYS, json_values),
)
def test_any_hand_edit_of_a_valid_descriptor_is_loaded_or_reported(
    tmp_path, place, replacement, extra
):
    """One value anywhere in a valid descriptor replaced by any JSON, perhaps a key added."""
    descriptor = json.loads(json.dumps(TINY_DESCRIPTOR))
    parent = descriptor
    for step in place[:-1]:
        parent = parent[step]
    parent[place[-1]] = replacement
    if extra is not None and isinstance(parent, dict):
        parent[extra[0]] = extra[1]
    write_tiny(tmp_path / "tiny", descriptor=descriptor)
    load_everything(tmp_path / "tiny")


@BOUNDED
@given(content=st.binary(max_size=200) | cell_text.map(str.encode))
def test_any_bytes_as_a_table_file_are_loaded_or_reported(tmp_path, content):
    write_tiny(tmp_path / "tiny")
    (tmp_path / "tiny" / "spells.csv").write_bytes(content)
    load_everything(tmp_path / "tiny")


# ---------------------------------------------------------------- messages stay readable


def test_thousands_of_problems_list_the_first_two_hundred(tmp_path):
    write_tiny(tmp_path / "tiny")
    rows = "".join(f"x{n},note,{n},true\n" for n in range(400))  # every iso3 breaks its pattern
    (tmp_path / "tiny" / "states.csv").write_text("iso3,note,seats,member\n" + rows)
    with pytest.raises(DataValidationError) as caught:
        data.load_all(tmp_path / "tiny")
    lines = str(caught.value).splitlines()
    assert len(caught.value.problems) >= 400
    assert len(lines) == 1 + 200 + 1
    assert lines[-1].startswith(f"  - ... and {len(caught.value.problems) - 200:,} more")


def test_a_name_built_to_flood_the_report_is_cut(tmp_path):
    descriptor = json.loads(json.dumps(TINY_DESCRIPTOR))
    descriptor["resources"][0]["name"] = "s" * 100_000
    descriptor["resources"][0]["path"] = "/etc/passwd"
    write_tiny(tmp_path / "tiny", descriptor=descriptor)
    with pytest.raises(DataValidationError) as caught:
        data.load_all(tmp_path / "tiny")
    assert max(len(line) for line in str(caught.value).splitlines()) < 400
