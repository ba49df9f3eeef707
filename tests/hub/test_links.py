"""nbgitpuller links in the format nbgitpuller's own link generator makes."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from helpers.hub.links import main, nbgitpuller_link


def test_link_pulls_the_course_and_opens_the_first_notebook():
    link = nbgitpuller_link("https://hub.example.edu/", "https://github.com/example/csto-course.git")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "hub.example.edu", "/hub/user-redirect/git-pull")
    # The clone's folder is named, so that it is the one the link opens (nbgitpuller alone would
    # clone into csto-course.git).
    assert parse_qs(parts.query) == {
        "repo": ["https://github.com/example/csto-course.git"],
        "branch": ["main"],
        "targetPath": ["csto-course"],
        "urlpath": ["lab/tree/csto-course/notebooks/00_start_here.ipynb"],
    }
    assert "urlpath=lab%2Ftree%2Fcsto-course%2F" in link


def test_a_hub_under_a_base_path_and_another_notebook():
    link = nbgitpuller_link("https://uni.example/jupyter", "https://git.example/t/course",
                            branch="term-2", open_path="exercises/01_history_exercises.ipynb")
    parts = urlsplit(link)
    assert parts.path == "/jupyter/hub/user-redirect/git-pull"
    query = parse_qs(parts.query)
    assert query["urlpath"] == ["lab/tree/course/exercises/01_history_exercises.ipynb"]
    assert query["branch"] == ["term-2"]
    named = parse_qs(urlsplit(nbgitpuller_link("https://uni.example", "https://git.example/t/course",
                                               folder="csto-2025")).query)
    assert (named["targetPath"], named["urlpath"]) == (
        ["csto-2025"], ["lab/tree/csto-2025/notebooks/00_start_here.ipynb"])


def test_the_readme_shows_a_link_the_command_makes():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    shown = next(line for line in readme.splitlines()
                 if line.startswith("https://hub.example.edu/hub/user-redirect/git-pull?"))
    assert shown == nbgitpuller_link("https://hub.example.edu",
                                     "https://github.com/example/csto-course")


@pytest.mark.parametrize(("hub", "repo", "named"), [
    ("hub.example.edu", "https://github.com/example/csto-course", "hub='hub.example.edu'"),
    ("https://hub.example.edu", "https://github.com/", "repo='https://github.com/'"),
])
def test_bad_input_is_named(hub: str, repo: str, named: str, capsys: pytest.CaptureFixture):
    assert main(["--hub", hub, "--repo", repo]) == 2
    assert named in capsys.readouterr().err
