"""The runner end to end on a small synthetic course.

One good build with its site (a subset by number, with parameters, two workers); a build with a
failing notebook on top of an earlier good build; two runs on one build folder at once; and a
build folder holding files that no run wrote. The site itself is tested in test_site_build.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from helpers.runner.cli import main
from tests.runner_course import BROKEN, CHART, EXERCISES, MEMBERS, make_course

pytestmark = pytest.mark.notebook

# Independent of the code under test: any script/link/img whose src or href is an absolute or
# protocol-relative URL would make the browser go to the network.
REMOTE_FETCH = re.compile(
    r"<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE
)
LOCK = ".build.lock"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(args))
    return status, out.getvalue()


def html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def finished_copy(relpath: str) -> tuple[str, str]:
    """``wait_for`` and ``wait_text`` parameters (as YAML, like every -p value): wait for this
    notebook's executed copy in its final form, where papermill's input path is relative."""
    return f".build.tmp-*/{relpath}", yaml.safe_dump(f'"{relpath}"').splitlines()[0]


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """Notebooks 0 and 1 (three notebooks; the broken one is left out) on two workers.

    The first notebook waits until the exercise notebook's executed copy is final, so it
    certainly finishes after it: the summary is in course order only if the runner restores it.
    """
    root = make_course(tmp_path_factory.mktemp("course"))
    wait_for, wait_text = finished_copy(EXERCISES)
    status, summary = run(
        "--root", str(root), "-j", "2", "-p", "country", "KAZ",
        "-p", "wait_for", f"{root}/{wait_for}", "-p", "wait_text", wait_text, "0", "1",
    )  # fmt: skip
    return root, status, summary


def summary_rows(summary: str) -> list[list[str]]:
    lines = summary.splitlines()
    end = lines.index("")
    return [line.split() for line in lines[2:end] if not line.startswith(" ")]


def test_good_build_succeeds_with_the_selected_subset_in_course_order(good_build):
    root, status, summary = good_build
    assert status == 0, summary
    rows = summary_rows(summary)
    assert [row[0] for row in rows] == [
        "notebooks/00_members",
        "exercises/00_members_exercises",
        "notebooks/01_chart",
        "site",
    ]
    assert all(row[1] == "ok" for row in rows)
    assert rows[0][3] == str(root / "build" / "notebooks" / "00_members.html")
    assert rows[-1][3] == str(root / "build" / "index.html")
    assert "All 3 notebooks ran and the site was built" in summary
    assert not (root / "build" / "notebooks" / "02_broken.ipynb").exists()


def test_parallel_results_keep_course_order_though_finished_out_of_order(good_build):
    root, _, summary = good_build
    build = root / "build"
    first, second = build / MEMBERS, build / EXERCISES
    assert first.stat().st_mtime >= second.stat().st_mtime, "the first notebook finished last"
    assert summary.index("notebooks/00_members") < summary.index("exercises/00_members_exercises")


def test_parameters_applied(good_build):
    root, _, _ = good_build
    executed = nbformat.read(root / "build" / MEMBERS, as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "Country KAZ in 2022" in printed
    assert "Country KAZ in 2022" in html(root / "build" / "notebooks" / "00_members.html")
    assert executed.metadata.papermill.parameters["country"] == "KAZ"
    exercise = nbformat.read(root / "build" / EXERCISES, as_version=4)
    assert "wait_for" not in exercise.metadata.papermill.parameters, "only where declared"
    assert executed.metadata.papermill.input_path == MEMBERS


def test_executed_copies_hold_no_widget_state_or_path_of_the_build_machine(good_build):
    """The executed copies are the site's downloads: a widget's saved state (the hand-in line
    names the folder the build ran in), a view of a model no kernel has, or a machine path
    would travel with them."""
    root, _, _ = good_build
    chart = nbformat.read(root / "build" / CHART, as_version=4)
    assert "widgets" not in chart.metadata
    slider = [o for c in chart.cells for o in c.get("outputs", []) if "IntSlider" in str(o)]
    assert slider and set(slider[0]["data"]) == {"text/plain"}, "its text, not a dead view"
    for relpath in (CHART, EXERCISES):  # MEMBERS was given a path of it as a parameter
        assert str(root) not in (root / "build" / relpath).read_text(encoding="utf-8"), relpath


def test_exercises_run_blank_with_a_throwaway_answers_folder(good_build):
    root, _, _ = good_build
    page = html(root / "build" / "exercises" / "00_members_exercises.html")
    assert "answers parameter: None" in page
    folder = re.search(r"answers folder: (\S+)", page).group(1)
    assert "csto-answers-" in folder
    assert folder != os.environ.get("CSTO_ANSWERS_DIR")
    assert not Path(folder).exists(), "the answers folder is removed after the run"


def test_pages_open_offline(good_build):
    root, _, _ = good_build
    pages = sorted((root / "build").rglob("*.html"))
    assert {page.relative_to(root / "build").as_posix() for page in pages} >= {
        "index.html",
        "search.html",
        "notebooks/00_members.html",
        "exercises/00_members_exercises.html",
        "notebooks/01_chart.html",
    }
    for page in pages:
        assert REMOTE_FETCH.findall(html(page)) == [], page


def test_no_staging_folders_or_sphinx_leftovers(good_build):
    root, _, _ = good_build
    assert sorted(p.name for p in root.iterdir()) == [LOCK, "build", "exercises", "notebooks"]
    build = root / "build"
    assert not (build / ".buildinfo").exists() and not (build / "_sources").exists()
    listed = json.loads((build / ".csto-run-build").read_text(encoding="utf-8"))["files"]
    on_disk = {
        p.relative_to(build).as_posix()
        for p in build.rglob("*")
        if p.is_file() and p.name != ".csto-run-build"
    }
    assert set(listed) == on_disk, "the marker lists every file the build wrote"


def test_failing_notebook_keeps_earlier_build_and_reports_cell_and_error(tmp_path):
    root = make_course(tmp_path / "course")
    status, _ = run("--root", str(root), "--no-site", "notebooks/00_members")
    assert status == 0
    build = root / "build"
    earlier = {p.relative_to(build): p.read_bytes() for p in build.rglob("*") if p.is_file()}

    status, summary = run("--root", str(root), "-j", "2", "members", "broken")

    assert status == 1
    rows = summary_rows(summary)
    assert [row[:2] for row in rows] == [
        ["notebooks/00_members", "ok"],
        ["notebooks/02_broken", "FAILED"],
    ], "no site is built from a failed run"
    failed_copy = root / "build.failed" / BROKEN
    assert rows[-1][3] == str(failed_copy)
    assert "cell 3 (In [2]): ZeroDivisionError: division by zero" in summary
    assert "The earlier build in" in summary and "build.failed" in summary

    after = {p.relative_to(build): p.read_bytes() for p in build.rglob("*") if p.is_file()}
    assert after == earlier, "the earlier good build must be untouched"

    executed = json.loads(failed_copy.read_text(encoding="utf-8"))
    errors = [
        o for c in executed["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"
    ]
    assert errors and errors[0]["ename"] == "ZeroDivisionError" and errors[0]["traceback"]
    assert "never reached" not in json.dumps([c.get("outputs") for c in executed["cells"]])
    assert (root / "build.failed" / MEMBERS).exists(), "the other notebook still ran"
    assert not (root / "build.failed" / CHART).exists()


def test_two_runs_on_one_build_folder(tmp_path):
    """The second run stops at once with one line; the first publishes; nothing is left over."""
    root = make_course(tmp_path / "course")
    flag = tmp_path / "second-run-done"
    first = subprocess.Popen(
        [sys.executable, "-m", "helpers.runner.cli", "--root", str(root), "--no-site",
         "-p", "wait_for", str(flag), "-p", "wait_text", "done", "notebooks/00_members"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not list(root.glob(".build.tmp-*/notebooks")) and time.monotonic() < deadline:
            time.sleep(0.1)  # the first run holds the lock and is running its notebook
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            second = main(["--root", str(root), "--no-site", "notebooks/00_members"])
        flag.write_text("done", encoding="utf-8")
        out, err = first.communicate(timeout=300)
    finally:
        first.kill()
    assert second == 2
    message = errors.getvalue().strip()
    assert message.count("\n") == 0, "one line"
    assert "another csto-run is writing it now" in message and str(root / "build") in message
    assert first.returncode == 0, out + err
    assert (root / "build" / MEMBERS).exists()
    assert sorted(p.name for p in root.iterdir()) == [LOCK, "build", "exercises", "notebooks"]


def test_files_no_run_wrote_are_kept(tmp_path):
    root = make_course(tmp_path / "course")
    assert run("--root", str(root), "--no-site", "notebooks/00_members")[0] == 0
    build = root / "build"
    (build / "notes.txt").write_text("my notes", encoding="utf-8")
    (build / "notebooks" / "mine").mkdir()
    (build / "notebooks" / "mine" / "draft.ipynb").write_text("{}", encoding="utf-8")
    # a killed run left its staging folder and a retired build holding a user's file
    (root / ".build.tmp-killed" / "notebooks").mkdir(parents=True)
    (root / ".build.old-killed" / "build").mkdir(parents=True)
    (root / ".build.old-killed" / "build" / "rescued.txt").write_text("x", encoding="utf-8")

    status, summary = run("--root", str(root), "--no-site", "notebooks/00_members")

    assert status == 0
    assert (build / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert (build / "notebooks" / "mine" / "draft.ipynb").read_text(encoding="utf-8") == "{}"
    assert (build / "rescued.txt").exists(), "a user file left by a killed run is kept"
    assert "Kept 3 file(s) that csto-run did not write" in summary
    assert "notes.txt" in summary
    assert sorted(p.name for p in root.iterdir()) == [LOCK, "build", "exercises", "notebooks"]

    status, _ = run("--root", str(root), "-j", "1", "--no-site", "broken")
    assert status == 1
    (root / "build.failed" / "why.txt").write_text("my reading notes", encoding="utf-8")
    assert run("--root", str(root), "--no-site", "notebooks/00_members")[0] == 0
    assert (root / "build.failed" / "why.txt").exists(), "kept when the failed copies go"
    assert not (root / "build.failed" / BROKEN).exists()
