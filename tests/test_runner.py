"""The runner's parts that need no kernel: selection, parameter checks, bad input, summary.

Executing tests are in test_runner_build.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import queue
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers.runner.build import BuildReport
from helpers.runner.cli import main
from helpers.runner.discovery import discover_notebooks, select_notebooks
from helpers.runner.errors import RunnerInputError
from helpers.runner.execute import Failure, NotebookResult, read_replies_in_slices
from helpers.runner.parameters import (
    ParameterSpec,
    declared_parameters,
    parameters_per_notebook,
    parse_cli_pairs,
)
from helpers.runner.progress import SilentProgress, TerminalProgress, progress_display
from helpers.runner.summary import summary_table
from helpers.site.build import SiteReport
from tests.runner_course import make_course


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_course(tmp_path_factory.mktemp("course"))


def keys(notebooks) -> list[str]:
    return [notebook.key for notebook in notebooks]


# Discovery and selection


def test_notebooks_in_reading_order_with_titles(course: Path):
    notebooks = discover_notebooks(course)
    assert keys(notebooks) == [
        "notebooks/00_members",
        "exercises/00_members_exercises",
        "notebooks/01_chart",
        "notebooks/02_broken",
    ]
    assert notebooks[0].title == "Members and years"
    assert notebooks[0].number == 0 and notebooks[1].is_exercise


@pytest.mark.parametrize(
    ("selectors", "expected"),
    [
        (["0"], ["notebooks/00_members", "exercises/00_members_exercises"]),
        (["01"], ["notebooks/01_chart"]),
        (["notebooks/0"], ["notebooks/00_members"]),
        (["exercises/00"], ["exercises/00_members_exercises"]),
        (["02_broken", "members"], ["notebooks/00_members", "notebooks/02_broken"]),
        (["notebooks/01_chart.ipynb"], ["notebooks/01_chart"]),
        (
            ["2", "0", "2"],
            ["notebooks/00_members", "exercises/00_members_exercises", "notebooks/02_broken"],
        ),
    ],
)
def test_subset_by_number_or_name_in_course_order(course, selectors, expected):
    assert keys(select_notebooks(discover_notebooks(course), selectors)) == expected


def test_unknown_notebook_is_named(course):
    with pytest.raises(RunnerInputError, match=r"Unknown notebook '9', 'chrat'.*01_chart"):
        select_notebooks(discover_notebooks(course), ["9", "chrat", "1"])


# Parameters


def spec(type_name: str, default: str) -> ParameterSpec:
    return ParameterSpec("x", type_name, default)


@pytest.mark.parametrize(
    ("type_name", "default", "good", "bad"),
    [
        ("None", "2022", [1992], ["1992", 19.5, True, None]),
        ("int", "2022", [2010], [2010.5, False]),
        ("float", "0.5", [1, 0.25], ["half", True]),
        ("str", "'ARM'", ["KAZ"], [2010, None, ["ARM"]]),
        ("None", "'ARM'", ["KAZ"], [1]),
        ("Optional[str]", "None", ["KAZ", None], [3]),
        ("str | None", "None", ["KAZ", None], [3]),
        ("list[str]", "['ARM']", [["ARM", "KAZ"]], ["ARM"]),
        ("None", "('a', 'b')", [["a"]], ["a"]),
        ("bool", "False", [True], [1, "yes"]),
    ],
)
def test_parameter_types_from_annotation_or_default(type_name, default, good, bad):
    parameter = spec(type_name, default)
    assert all(parameter.accepts(value) for value in good)
    assert not any(parameter.accepts(value) for value in bad)


@pytest.mark.parametrize(
    ("type_name", "default"), [("None", "None"), ("None", "date.today()"), ("Literal['a']", "'a'")]
)
def test_parameters_that_cannot_be_checked_accept_anything(type_name, default):
    assert spec(type_name, default).accepts(object())


def parameters_notebook(source: str) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    return new_notebook(cells=[new_code_cell("x = 0"), cell])


def test_parameters_read_whatever_their_comments_and_layout():
    source = (
        "data_dir = None  # None = the course's data/ folder\n"
        "countries: list[str] = [\n    'ARM',  # founding member\n    'KAZ',\n]\n"
        "year = 2022  # type: int\n"
        "label = title = 'same'\n"
        "import os\n"
    )
    declared = declared_parameters(parameters_notebook(source), Path("n.ipynb"))
    assert list(declared) == ["data_dir", "countries", "year", "label", "title"]
    assert declared["countries"].type_name == "list[str]"
    assert declared["countries"].default == "['ARM', 'KAZ']"
    assert declared["year"].type_name == "int"
    assert declared["data_dir"].accepts("/elsewhere/data")


def test_parameters_cell_that_is_not_python_is_reported():
    with pytest.raises(RunnerInputError, match=r"n.ipynb: the cell tagged 'parameters' is not"):
        declared_parameters(parameters_notebook("%matplotlib inline\nx = 1"), Path("n.ipynb"))


def test_cli_values_are_yaml_scalars():
    values = parse_cli_pairs(
        [
            ("a", "2010"),
            ("b", "0.5"),
            ("c", "true"),
            ("d", "KAZ"),
            ("e", "[ARM, KAZ]"),
            ("f", '"2010"'),
            ("g", "null"),
        ]
    )
    assert values == {
        "a": 2010,
        "b": 0.5,
        "c": True,
        "d": "KAZ",
        "e": ["ARM", "KAZ"],
        "f": "2010",
        "g": None,
    }


def test_parameters_go_only_to_notebooks_that_declare_them(course):
    notebooks = discover_notebooks(course)
    applied = parameters_per_notebook(notebooks, {"country": "KAZ", "answers": None})
    assert applied == [{"country": "KAZ"}, {"answers": None}, {}, {}]


def test_every_parameter_problem_is_reported_at_once(course):
    notebooks = discover_notebooks(course)
    with pytest.raises(RunnerInputError) as caught:
        parameters_per_notebook(notebooks, {"year": "1992", "contry": "KAZ"})
    message = str(caught.value)
    assert "Parameter 'year' for notebooks/00_members.ipynb: got '1992'" in message
    assert "expected an integer" in message
    assert "Unknown parameter 'contry'" in message and "country" in message


# Reading kernel replies


class FlakyChannel:
    """Stands in for the kernel client's channel: the reply shows up only on a later poll."""

    def __init__(self, empty_polls: int) -> None:
        self.empty_polls = empty_polls
        self.waits: list[float | None] = []

    async def get_msg(self, timeout: float | None = None) -> dict:
        self.waits.append(timeout)
        if len(self.waits) <= self.empty_polls:
            raise queue.Empty
        return {"msg_type": "execute_reply"}


def test_a_reply_missed_by_one_poll_is_read_by_the_next():
    read_replies_in_slices(FlakyChannel, slice_seconds=0.01)
    read_replies_in_slices(FlakyChannel, slice_seconds=0.01)  # applying twice changes nothing
    channel = FlakyChannel(empty_polls=3)
    assert asyncio.run(channel.get_msg(timeout=None)) == {"msg_type": "execute_reply"}
    assert channel.waits == [0.01] * 4


def test_waiting_in_slices_still_ends_at_the_timeout():
    read_replies_in_slices(FlakyChannel, slice_seconds=0.01)
    channel = FlakyChannel(empty_polls=10**6)
    with pytest.raises(queue.Empty):
        asyncio.run(channel.get_msg(timeout=0.05))
    assert all(wait <= 0.01 for wait in channel.waits) and len(channel.waits) >= 2


# Bad input on the command line: exit status 2, a clear message, nothing run or written


def run_cli(course: Path, *args: str) -> tuple[int, str]:
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        status = main(["--root", str(course), "-o", str(course / "build"), *args])
    return status, errors.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "contry", "KAZ"], "Unknown parameter 'contry': none of the selected notebooks"),
        (["-p", "year", "soon"], "got 'soon' (text), expected an integer"),
        (["-p", "country", "2010"], "quote it: -p country '\"2010\"'"),
        (["-p", "answers", "x", "1"], "Unknown parameter 'answers'"),
        (["-p", "year", "[1992"], "cannot read the value '[1992'"),
        (["7"], "Unknown notebook '7'"),
        (["-f", "missing.yaml"], "missing.yaml: cannot read it"),
    ],
)
def test_bad_input_stops_before_running(course, args, message):
    status, errors = run_cli(course, *args)
    assert status == 2
    assert message in errors
    assert sorted(p.name for p in course.iterdir()) == ["exercises", "notebooks"]


def test_bad_value_in_parameter_file(course, tmp_path):
    parameters = tmp_path / "analysis.yaml"
    parameters.write_text("year: last year\n", encoding="utf-8")
    status, errors = run_cli(course, "-f", str(parameters))
    assert status == 2 and "Parameter 'year'" in errors and "'last year'" in errors
    parameters.write_text("- year\n", encoding="utf-8")
    status, errors = run_cli(course, "-f", str(parameters))
    assert status == 2 and "expected a mapping of parameter names to values" in errors


def test_unwritable_output_directory(course, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    status = main(["--root", str(course), "-o", str(blocker / "build")])
    assert status == 2
    status_existing = main(["--root", str(course), "-o", str(blocker)])
    assert status_existing == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.parametrize("target", [".", "notebooks"])
def test_output_directory_with_other_files_is_never_replaced(course, target, capsys):
    assert main(["--root", str(course), "-o", str(course / target)]) == 2
    assert "holds files that csto-run did not write" in capsys.readouterr().err
    assert sorted(p.name for p in course.iterdir()) == ["exercises", "notebooks"]
    assert (course / "notebooks" / "00_members.ipynb").exists()


def test_unwritable_output_directory_message(course, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    main(["--root", str(course), "-o", str(blocker / "build")])
    assert f"{blocker} is a file, not a folder" in capsys.readouterr().err


def test_list_shows_parameters(course, capsys):
    assert main(["--root", str(course), "--list", "0"]) == 0
    listing = capsys.readouterr().out
    assert "notebooks/00_members: Members and years" in listing
    assert "country: str = 'ARM', year = 2022" in listing
    assert "01_chart" not in listing


# Summary and progress


def test_summary_names_notebook_cell_and_error(tmp_path):
    results = [
        NotebookResult("notebooks/00_a", 1.25, "notebooks/00_a.ipynb"),
        NotebookResult(
            "notebooks/01_b",
            2.0,
            "notebooks/01_b.ipynb",
            Failure("ZeroDivisionError: division by zero", cell=3, execution_count=2),
        ),
    ]
    report = BuildReport(results, tmp_path / "build.failed", tmp_path / "build", 3.0)
    table = summary_table(report, cwd=tmp_path).splitlines()
    assert table[0].split() == ["notebook", "status", "seconds", "output"]
    assert table[2].split() == ["notebooks/00_a", "ok", "1.2", "build.failed/notebooks/00_a.ipynb"]
    assert table[3].split() == [
        "notebooks/01_b",
        "FAILED",
        "2.0",
        "build.failed/notebooks/01_b.ipynb",
    ]
    assert table[4].strip() == "cell 3 (In [2]): ZeroDivisionError: division by zero"
    assert "1 of 2 notebooks FAILED. Nothing was written to build/." in table[-1]


def test_summary_shows_the_site_its_notes_and_kept_files(tmp_path):
    results = [NotebookResult("notebooks/00_a", 1.25, "notebooks/00_a.ipynb")]
    site = SiteReport(4.0, ["index.html"], ["notebooks/00_a.ipynb: the link to x.ipynb ..."])
    report = BuildReport(
        results, tmp_path / "build", tmp_path / "build", 6.0, site, ["notes.txt"]
    )
    table = summary_table(report, cwd=tmp_path).splitlines()
    assert table[2].split() == ["notebooks/00_a", "ok", "1.2", "build/notebooks/00_a.html"]
    assert table[3].split() == ["site", "ok", "4.0", "build/index.html"]
    assert table[4].strip() == "notebooks/00_a.ipynb: the link to x.ipynb ..."
    assert "the site was built" in table[-2] and "open build/index.html" in table[-2]
    assert table[-1] == "Kept 1 file(s) that csto-run did not write: build/notes.txt."


def test_summary_of_a_failed_site(tmp_path):
    results = [NotebookResult("notebooks/00_a", 1.25, "notebooks/00_a.ipynb")]
    site = SiteReport(4.0, failure="Sphinx could not build the site: boom")
    report = BuildReport(results, tmp_path / "build.failed", tmp_path / "build", 6.0, site)
    table = summary_table(report, cwd=tmp_path).splitlines()
    assert table[3].split() == ["site", "FAILED", "4.0"]
    assert table[4].strip() == "Sphinx could not build the site: boom"
    assert table[-1].startswith("The site FAILED. Nothing was written to build/.")


def test_progress_shown_on_a_terminal_only():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert type(progress_display(2, io.StringIO())) is SilentProgress
    screen = Terminal()
    progress = progress_display(2, screen)
    assert isinstance(progress, TerminalProgress)
    progress.cell("notebooks/00_a", 3, 9)
    assert "notebooks/00_a cell 3/9" in screen.getvalue()
    progress.finished("notebooks/00_a", False, 1.0)
    assert "FAILED notebooks/00_a (1.0 s)" in screen.getvalue()
