"""Parameters: each bad value is named with what is allowed, before anything runs.

Notebook checks (helpers.params), the values csto-run reads from -p and parameter files (dates,
switches, nulls, long numbers, deep nesting, YAML aliases), and the exercise notebooks' answers
parameter given as JSON text on papermill's command line.
"""

from __future__ import annotations

import ast
import contextlib
import datetime
import io
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from papermill.translators import PythonTranslator

from helpers.exercises import load_bank, load_quiz
from helpers.params import (
    ParameterError,
    check_choice,
    check_choices,
    check_data_dir,
    check_flag,
    check_year_window,
)
from helpers.runner.cli import main
from helpers.runner.discovery import discover_notebooks
from helpers.runner.errors import RunnerInputError
from helpers.runner.parameters import parameters_per_notebook, parse_cli_pairs, read_parameter_file
from tests.exercise_samples import write_bank, write_data_package
from tests.notebook_runs import output_text
from tests.runner_course import make_course

REPO = Path(__file__).resolve().parents[1]


def test_unknown_country_is_named_with_allowed_values():
    with pytest.raises(ParameterError, match=r"country='XXX'.*Allowed values: ARM, RUS"):
        check_choice("country", "XXX", ["RUS", "ARM"])


def test_list_parameter_reports_only_the_bad_items():
    assert check_choices("countries", "ARM", ["ARM"]) == ["ARM"]
    with pytest.raises(ParameterError, match=r"unknown value\(s\) \['ZZZ'\]"):
        check_choices("countries", ["ARM", "ZZZ"], ["ARM", "RUS"])
    with pytest.raises(ParameterError, match="non-empty list"):
        check_choices("countries", [], ["ARM"])


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (1980, 2000, r"start_year=1980 is outside .* 1992 to 2022"),
        (1995, 2030, r"end_year=2030 is outside"),
        (2010, 2000, r"reversed"),
        ("2000", 2010, r"start_year='2000' must be a whole year"),
        (True, 2010, r"must be a whole year"),
    ],
)
def test_bad_year_windows(start, end, message):
    with pytest.raises(ParameterError, match=message):
        check_year_window("start_year", start, "end_year", end, (1992, 2022))


def test_good_year_window_passes():
    assert check_year_window("start_year", 1992, "end_year", 2022, (1992, 2022)) == (1992, 2022)


def test_missing_data_dir_names_the_parameter(tmp_path):
    with pytest.raises(ParameterError, match=r"data_dir=.*nowhere.*is not a directory"):
        check_data_dir(tmp_path / "nowhere")


def test_data_dir_without_package_is_refused(tmp_path):
    with pytest.raises(ParameterError, match=r"has no datapackage\.json"):
        check_data_dir(tmp_path)


def test_flag_must_be_true_or_false():
    assert check_flag("include_after_paper", True) is True
    with pytest.raises(ParameterError, match=r"include_after_paper='yes' must be true or false"):
        check_flag("include_after_paper", "yes")


def test_a_data_dir_that_is_not_a_path_is_named_not_a_type_error():
    for value in (5, ["data"], {"path": "data"}):
        with pytest.raises(ParameterError, match=r"data_dir=.* is not a folder path"):
            check_data_dir(value)
    with pytest.raises(ParameterError, match=r"data_dir='a\\x00b' is not usable"):
        check_data_dir("a\x00b")


def test_huge_or_deep_values_are_quoted_briefly():
    with pytest.raises(ParameterError) as caught:
        check_year_window("start_year", 10**5000, "end_year", 2022, (1992, 2022))
    assert "start_year=<a whole number of about 5,000 digits> is outside" in str(caught.value)
    deep: list = []
    for _ in range(10_000):
        deep = [deep]
    for check in (lambda: check_choice("country", deep, ["ARM"]), lambda: check_flag("x", deep)):
        with pytest.raises(ParameterError) as caught:
            check()
        assert len(str(caught.value)) < 200


# ---------------------------------------------------------------- csto-run: -p values and files


def cli_value(text: str, name: str = "x") -> object:
    return parse_cli_pairs([(name, text)])[name]


def cli_problem(text: str, name: str = "x") -> str:
    with pytest.raises(RunnerInputError) as caught:
        parse_cli_pairs([(name, text)])
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"Parameter {name!r}")
    return message


def test_a_date_stays_text_as_papermill_reads_it():
    assert cli_value("2022-01-05", "start") == "2022-01-05"
    assert cli_value("[2022-01-05, 2022-01-11]") == ["2022-01-05", "2022-01-11"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!!timestamp 2022-01-05", "the value holds a date (2022-01-05); expected text, a number"),
        ("1" * 40, "the value is a number of 40 digits; expected at most 15"),
        ("1" * 5000, "the value is a number of 5,000 digits; expected at most 15"),
        (".inf", "the value is .inf; expected a finite number"),
        (".NaN", "the value is .NaN; expected a finite number"),
        ("[" * 5000 + "]" * 5000, "the value is nested more than 10 levels deep"),
        (
            "[&a [x, x], *a, *a]",
            "the value uses the YAML alias *a; expected each value written out",
        ),
        ("{1: ARM}", "a mapping in the value has the key 1; expected text keys"),
        ("!!binary aGk=", "the value holds binary data"),
        ("!!set {ARM, KAZ}", "the value holds a set"),
        ("x" * 20_000, "the value has 20,000 characters; expected at most 10,000"),
        ("[ARM, KAZ", "cannot read the value '[ARM, KAZ' (expected ',' or ']'"),
        ("!!python/name:os.system", "cannot read the value '!!python/name:os.system'"),
    ],
)
def test_a_value_papermill_could_not_write_is_one_line_naming_the_parameter(text, expected):
    assert expected in cli_problem(text)


def test_every_bad_value_is_reported_at_once():
    with pytest.raises(RunnerInputError) as caught:
        parse_cli_pairs([("a", ".inf"), ("b", "2010"), ("c", "[&x 1, *x]")])
    lines = str(caught.value).splitlines()
    assert [line.split(":")[0] for line in lines] == ["Parameter 'a'", "Parameter 'c'"]


def parameter_file(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "analysis.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def file_problem(path: Path) -> str:
    with pytest.raises(RunnerInputError) as caught:
        read_parameter_file(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"Parameter file {path}")
    return message


LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in itertools.pairwise("abcdefghi")]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (LAUGHS, "parameter 'b', line 2: the value uses the YAML alias *a"),
        ("base: &base {country: ARM}\nother:\n  <<: *base\n", "parameter 'other', line 3"),
        ("countries: " + "[" * 3000 + "]" * 3000, "parameter 'countries', line 1: the value is"),
        ("year: " + "9" * 30, "parameter 'year', line 1: the value is a number of 30 digits"),
        ("start: !!timestamp 2022-01-05\n", "the value holds a date (2022-01-05)"),
        ("1992: start\n", "the name 1992 is not text; expected parameter names"),
        ("- country\n", "expected a mapping of parameter names to values"),
        ("a: 1\n---\nb: 2\n", "not valid YAML (but found another document on line 2)"),
        (b"country: Zaf\xff\n", "byte 0xff is not UTF-8 text; expected a YAML file saved as UTF-8"),
        ("x: " + "a" * 1_000_000, "found 1,000,003 bytes; expected a file of at most 1,000,000"),
    ],
)
def test_a_parameter_file_built_to_expand_or_break_is_one_line(tmp_path, text, expected):
    assert expected in file_problem(parameter_file(tmp_path, text))


def test_a_date_in_a_parameter_file_stays_text(tmp_path):
    path = parameter_file(tmp_path, "start: 2022-01-05\nissues: [crimea_2014]\n")
    assert read_parameter_file(path) == {"start": "2022-01-05", "issues": ["crimea_2014"]}


@pytest.mark.timeout(60)
def test_a_parameter_file_that_is_a_pipe_or_a_folder_is_named(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    assert "cannot read it (found a named pipe; expected a regular file)" in file_problem(
        tmp_path / "pipe.yaml"
    )
    (tmp_path / "folder.yaml").mkdir()
    assert "found a folder" in file_problem(tmp_path / "folder.yaml")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_course(tmp_path_factory.mktemp("course"))


def run_cli(course: Path, *args: str) -> tuple[int, str]:
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        status = main(["--root", str(course), "-o", str(course / "build"), *args])
    return status, errors.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-p", "year", "2022-01-05"],
            "Parameter 'year' for notebooks/00_members.ipynb: got '2022-01-05' (text), expected "
            "an integer (the notebook declares year = 2022).",
        ),
        (
            ["-p", "country", "yes"],
            "got True (true or false), expected text (the notebook declares country: str = 'ARM')."
            " YAML reads true/false, yes/no and on/off as a switch, and null, ~ or nothing as "
            "none; to pass text, quote it",
        ),
        (["-p", "country", "null"], "got None (none), expected text"),
        (["-p", "year", "9" * 400], "Parameter 'year': the value is a number of 400 digits"),
        (["-p", "year", "[" * 50 + "]" * 50], "Parameter 'year': the value is nested more than"),
    ],
)
def test_csto_run_stops_before_papermill_with_one_line(course, args, message):
    status, errors = run_cli(course, *args)
    assert status == 2 and message in errors
    assert len(errors.strip().splitlines()) == 1
    assert sorted(p.name for p in course.iterdir()) == ["exercises", "notebooks"]


def test_csto_run_refuses_a_billion_laughs_file_before_running(course, tmp_path):
    status, errors = run_cli(course, "-f", str(parameter_file(tmp_path, LAUGHS)))
    assert status == 2 and "the value uses the YAML alias *a" in errors
    assert sorted(p.name for p in course.iterdir()) == ["exercises", "notebooks"]


def test_a_date_goes_to_a_text_parameter_as_text(course):
    notebooks = discover_notebooks(course)
    given = parse_cli_pairs([("country", "2022-01-05")])
    assert parameters_per_notebook(notebooks, given)[0] == {"country": "2022-01-05"}


def test_values_given_by_other_callers_are_checked_too(course):
    notebooks = discover_notebooks(course)
    with pytest.raises(RunnerInputError, match=r"'country': the value holds a date \(2022-01-05"):
        parameters_per_notebook(notebooks, {"country": datetime.date(2022, 1, 5)})


# ---------------------------------------------------------------- property-based

BOUNDED = settings(max_examples=150, derandomize=True, deadline=None, database=None)


@BOUNDED
@given(text=st.text(max_size=80))
def test_any_text_as_a_value_is_a_value_papermill_writes_back_exactly_or_one_line(text):
    try:
        value = cli_value(text)
    except RunnerInputError as error:
        assert "\n" not in str(error)
        return
    assert ast.literal_eval(PythonTranslator.translate(value)) == value
    json.dumps(value, allow_nan=False)


@BOUNDED
@given(text=st.text(max_size=200) | st.from_regex(r"\A(\w+: .{0,30}\n){1,4}\Z"))
def test_any_text_as_a_parameter_file_is_a_mapping_or_one_line(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("file") / "p.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        values = read_parameter_file(path)
    except RunnerInputError as error:
        assert "\n" not in str(error)
        return
    for value in values.values():
        assert ast.literal_eval(PythonTranslator.translate(value)) == value


# ---------------------------------------------------------------- answers as JSON text


@pytest.fixture
def banks(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "banks").parent


def test_answers_as_json_text_are_checked_like_a_mapping(banks):
    report = load_quiz("sample", answers='{"treaty_city": "b"}', banks_dir=banks).report()
    assert "Checked 1 answer given as a parameter." in report
    assert "Your answer: b) Tashkent" in report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"treaty_city": "b"', "is not valid JSON (Expecting ',' delimiter)"),
        ('["treaty_city", "b"]', """expected a JSON object such as '{"question_id": "a"}'"""),
        ("[" * 100_000, "is not valid JSON (RecursionError)"),
        ('{"x": ' + "1" * 5000 + "}", "is not valid JSON (ValueError)"),
    ],
)
def test_answers_json_text_that_is_not_an_object_is_named(banks, text, expected):
    with pytest.raises(ParameterError) as caught:
        load_quiz("sample", answers=text, banks_dir=banks)
    assert str(caught.value).startswith("Parameter answers=") and expected in str(caught.value)
    assert len(str(caught.value)) < 300


@pytest.mark.notebook
def test_papermill_command_line_with_answers_as_json(tmp_path):
    """The form the exercise notebooks document: papermill ... -p answers '{"id": "b"}'."""
    notebook = REPO / "exercises" / "00_demo_exercises.ipynb"
    executed = tmp_path / "executed.ipynb"
    environment = {**os.environ, "CSTO_DATA_DIR": str(write_data_package(tmp_path / "data"))}
    key = load_bank("00_demo").question("treaty_signed").answer
    subprocess.run(
        [sys.executable, "-m", "papermill", str(notebook), str(executed), "-k", "python3",
         "--cwd", str(notebook.parent), "--no-progress-bar", "--execution-timeout", "300",
         "-p", "answers", json.dumps({"treaty_signed": key})],
        check=True, env=environment, capture_output=True, timeout=600,
    )  # fmt: skip
    printed = output_text(nbformat.read(executed, as_version=4))
    assert "Checked 1 answer given as a parameter." in printed
    assert "Correct — " in printed


def test_a_parameter_file_setting_hundreds_of_names_is_refused_in_one_line(tmp_path):
    path = parameter_file(tmp_path, "".join(f"p{n}: {n}\n" for n in range(500)))
    assert "the file sets 500 parameters; expected at most 100" in file_problem(path)
