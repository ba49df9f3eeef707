"""The build folder without running notebooks: output-path problems in one line, the lock, and
a publish that keeps every file no run wrote."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from helpers.runner.cli import main
from helpers.runner.errors import RunnerInputError
from helpers.runner.folders import (
    BUILD_MARKER,
    build_lock,
    check_output_dir,
    make_staging,
    publish,
    remove_written,
    written_files,
)
from tests.runner_course import make_course


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_course(tmp_path_factory.mktemp("course"))


def run_cli(course: Path, output: Path) -> tuple[int, str]:
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        status = main(["--root", str(course), "-o", str(output), "--no-site", "0"])
    return status, errors.getvalue()


def one_line(message: str) -> str:
    assert message.startswith("csto-run: error: Output folder ")
    assert message.strip().count("\n") == 0, f"expected one line, got:\n{message}"
    return message


def write(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def output_is_a_file(tmp: Path) -> Path:
    return write(tmp / "a-file")


def parent_is_a_file(tmp: Path) -> Path:
    return write(tmp / "a-file") / "build"


def folder_of_the_users(tmp: Path) -> Path:
    return write(tmp / "mine" / "thesis.docx").parent


def failed_folder_of_the_users(tmp: Path) -> Path:
    return write(tmp / "mine.failed" / "notes.txt").parent.with_name("mine")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (output_is_a_file, "exists and is a file, not a folder"),
        (parent_is_a_file, "a-file is a file, not a folder"),
        (folder_of_the_users, "holds files that csto-run did not write"),
        (failed_folder_of_the_users, "mine.failed holds files that csto-run did not write"),
    ],
)
def test_output_problems_in_one_line_before_anything_runs(course, tmp_path, make, expected):
    output = make(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    status, message = run_cli(course, output)
    assert status == 2
    assert expected in one_line(message)
    assert "choose another with -o" in message
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, "untouched"


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs a read-only /sys")
def test_output_where_nothing_can_be_written(course):
    status, message = run_cli(course, Path("/sys/csto-build"))
    assert status == 2
    assert "cannot write in /sys" in one_line(message)
    assert "Expected a folder you can write to" in message


def test_an_empty_folder_or_an_earlier_build_is_accepted(tmp_path):
    (tmp_path / "empty").mkdir()
    check_output_dir(tmp_path / "empty")
    staging = make_staging(tmp_path / "build")
    publish(staging, tmp_path / "build")
    check_output_dir(tmp_path / "build")


def test_the_lock_refuses_a_second_holder(tmp_path):
    output = tmp_path / "build"
    refused = pytest.raises(RunnerInputError, match="another csto-run is writing it now")
    with build_lock(output), refused as caught, build_lock(output):
        pass
    assert str(tmp_path / ".build.lock") in str(caught.value)
    with build_lock(output):  # released: the next run gets it
        pass


def build_with(tmp_path: Path, files: dict[str, str]) -> Path:
    staging = make_staging(tmp_path / "build")
    for relative, text in files.items():
        write(staging / relative, text)
    publish(staging, tmp_path / "build")
    return tmp_path / "build"


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in folder.rglob("*")
        if p.is_file() and p.name != BUILD_MARKER
    }


def test_publish_replaces_what_a_run_wrote_and_keeps_the_rest(tmp_path):
    old = {"index.html": "old", "notebooks/a.html": "old", "gone.html": "old"}
    build = build_with(tmp_path, old)
    write(build / "notes.txt", "mine")
    write(build / "notebooks" / "mine" / "draft.md", "mine too")
    write(build / "index.html.bak", "a copy I made")

    staging = make_staging(build)
    write(staging / "index.html", "new")
    write(staging / "notebooks" / "a.html", "new")
    kept = publish(staging, build)

    assert tree(build) == {
        "index.html": "new",
        "notebooks/a.html": "new",
        "notes.txt": "mine",
        "notebooks/mine/draft.md": "mine too",
        "index.html.bak": "a copy I made",
    }
    assert sorted(kept) == ["index.html.bak", "notebooks/mine/draft.md", "notes.txt"]
    assert sorted(written_files(build)) == ["index.html", "notebooks/a.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"], "no staging or old folder left"


def test_a_kept_file_never_overwrites_a_new_one(tmp_path):
    build = build_with(tmp_path, {"index.html": "old"})
    write(build / "extra.html", "mine")
    write(build / "data" / "x.csv", "mine, inside a folder the next build writes as a file")
    staging = make_staging(build)
    write(staging / "extra.html", "the build's")
    write(staging / "data", "the build's file")
    publish(staging, build)
    assert tree(build) == {
        "extra.html": "the build's",
        "extra.html.kept": "mine",
        "data": "the build's file",
        "data.kept/x.csv": "mine, inside a folder the next build writes as a file",
    }


def test_remove_written_leaves_the_users_files_and_their_folders(tmp_path):
    build = build_with(tmp_path, {"notebooks/a.ipynb": "run", "index.html": "run"})
    write(build / "notebooks" / "why.txt", "mine")
    remove_written(build)
    assert tree(build) == {"notebooks/why.txt": "mine"}
    remove_written(build)  # idempotent
    assert tree(build) == {"notebooks/why.txt": "mine"}


def test_a_folder_with_nothing_of_the_user_goes_entirely(tmp_path):
    build = build_with(tmp_path, {"notebooks/a.ipynb": "run"})
    remove_written(build)
    assert not build.exists()


def test_marker_from_before_builds_listed_their_files(tmp_path):
    """Such a marker said the next build replaces the whole folder: all of it counts as written."""
    build = tmp_path / "build"
    write(build / BUILD_MARKER, "Written by csto-run. The next build replaces this whole folder.\n")
    write(build / "index.html", "old")
    assert written_files(build) == ["index.html"]


@pytest.mark.parametrize("listed", [["../outside.txt"], ["/etc/passwd"], [3, None]])
def test_marker_cannot_point_outside_its_folder(tmp_path, listed):
    build = tmp_path / "build"
    write(tmp_path / "outside.txt", "keep me")
    write(build / BUILD_MARKER, json.dumps({"files": listed}))
    assert written_files(build) == []
    remove_written(build)
    assert (tmp_path / "outside.txt").exists()


def test_staging_is_readable_by_others_like_any_build(tmp_path):
    staging = make_staging(tmp_path / "build")
    mask = os.umask(0)
    os.umask(mask)
    assert staging.stat().st_mode & 0o777 == 0o777 & ~mask
