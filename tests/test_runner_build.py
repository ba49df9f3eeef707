"""The runner end to end on a small synthetic course: two builds, five notebook runs in all.

One good build (a subset by number, with parameters, two workers) and one build with a failing
notebook on top of an earlier good build.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path

import nbformat
import plotly.offline
import pytest

from helpers.runner.cli import main
from tests.runner_course import BROKEN, CHART, EXERCISES, MEMBERS, make_course

pytestmark = pytest.mark.notebook

# Independent of the code under test: any script/link/img whose src or href is an absolute or
# protocol-relative URL would make the browser go to the network.
REMOTE_FETCH = re.compile(
    r"<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE
)


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(args))
    return status, out.getvalue()


def html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """Notebooks 0 and 1 (three notebooks; the broken one is left out) on two workers.

    The first notebook waits until the exercise notebook's page is written, so it certainly
    finishes after it: the summary is in course order only if the runner restores that order.
    """
    root = make_course(tmp_path_factory.mktemp("course"))
    exercise_page = f"{root}/.build.tmp-*/exercises/00_members_exercises.html"
    status, summary = run(
        "--root", str(root), "-j", "2", "-p", "country", "KAZ",
        "-p", "wait_for", exercise_page, "0", "1",
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
    ]
    assert all(row[1] == "ok" for row in rows)
    assert rows[0][3] == str(root / "build" / "notebooks" / "00_members.html")
    assert "All 3 notebooks ran" in summary
    assert not (root / "build" / "notebooks" / "02_broken.ipynb").exists()


def test_parallel_results_keep_course_order_though_finished_out_of_order(good_build):
    root, _, summary = good_build
    build = root / "build"
    first, second = (
        build / "notebooks/00_members.html",
        build / "exercises/00_members_exercises.html",
    )
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
    assert len(pages) == 4
    for page in pages:
        assert REMOTE_FETCH.findall(html(page)) == [], page


def test_chart_page_carries_plotly_js_once_and_no_widget_view(good_build):
    root, _, _ = good_build
    banner = plotly.offline.get_plotlyjs()[:200]
    chart = html(root / "build" / "notebooks" / "01_chart.html")
    assert chart.count(banner) == 1
    assert chart.count("Plotly.newPlot(") == 1
    assert "application/vnd.jupyter.widget-view+json" not in chart
    assert "static default result" in chart
    assert banner not in html(root / "build" / "notebooks" / "00_members.html")


def test_index_and_previous_next_links(good_build):
    root, _, _ = good_build
    index = html(root / "build" / "index.html")
    order = [
        index.index('href="notebooks/00_members.html"'),
        index.index('href="exercises/00_members_exercises.html"'),
        index.index('href="notebooks/01_chart.html"'),
    ]
    assert order == sorted(order)
    assert "Members and years" in index and "A chart of members" in index
    middle = html(root / "build" / "exercises" / "00_members_exercises.html")
    assert 'href="../notebooks/00_members.html"' in middle
    assert 'href="../notebooks/01_chart.html"' in middle
    assert 'href="../index.html"' in middle


def test_no_staging_folders_left(good_build):
    root, _, _ = good_build
    assert sorted(p.name for p in root.iterdir()) == ["build", "exercises", "notebooks"]


def test_failing_notebook_keeps_earlier_build_and_reports_cell_and_error(tmp_path):
    root = make_course(tmp_path / "course")
    status, _ = run("--root", str(root), "notebooks/00_members")
    assert status == 0
    build = root / "build"
    earlier = {p.relative_to(build): p.read_bytes() for p in build.rglob("*") if p.is_file()}

    status, summary = run("--root", str(root), "-j", "2", "members", "broken")

    assert status == 1
    rows = summary_rows(summary)
    assert [row[:2] for row in rows if row[0].startswith("notebooks/")] == [
        ["notebooks/00_members", "ok"],
        ["notebooks/02_broken", "FAILED"],
    ]
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
