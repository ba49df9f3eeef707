"""Shared fixtures: the repository's paths, a scratch copy of the dataset, an isolated cache."""

from __future__ import annotations

import compileall
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers import data
from helpers.runner.kernel_sockets import notice_replies_after_sends

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


def pytest_configure(config: pytest.Config) -> None:
    """Kernels started by papermill and nbval inherit this environment: answer sheets and
    validation stamps written while testing go to a scratch folder, never to the user's home."""
    scratch = Path(tempfile.mkdtemp(prefix="csto-tests-"))
    os.environ.setdefault("CSTO_ANSWERS_DIR", str(scratch / "answers"))
    os.environ.setdefault("CSTO_STUDENT_ID", "test-student")
    os.environ.setdefault("CSTO_CACHE_DIR", str(scratch / "cache"))
    # The runner's fix: without it a kernel reply that arrives while the client sends an Output
    # widget's state is noticed only when the wait times out (see helpers.runner.kernel_sockets).
    notice_replies_after_sends()
    # Every kernel imports the helpers. Where PYTHONDONTWRITEBYTECODE is set, none of them would
    # cache the compiled code and each would compile the helpers again (about 0.1 s of CPU).
    compileall.compile_dir(REPO / "src" / "helpers", quiet=1)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep tests that share an expensive fixture on one worker under pytest-xdist.

    ``make test`` runs the suite with ``--dist loadgroup``. A module- or session-scoped fixture
    of ours (a JupyterLab server, a whole-course build, a site) is built once per worker that
    needs it, so every test using one (or using two that other tests share) gets the same
    ``xdist_group``, and so do the cells of one notebook under nbval, which run in order in one
    kernel; the other tests spread freely. A fixture every test uses is set aside: grouping by
    it would serialise the suite.
    """
    shared = {item: _shared_fixtures(item) for item in items}
    everywhere = set.intersection(*shared.values()) if shared else set()
    group_of = _joined_groups([names - everywhere for names in shared.values()])
    for item, names in shared.items():
        if getattr(item, "_fixtureinfo", None) is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
        elif names - everywhere:
            item.add_marker(pytest.mark.xdist_group(group_of[min(names - everywhere)]))


def _shared_fixtures(item: pytest.Item) -> set[str]:
    """Instances of our module- and session-scoped fixtures that ``item`` uses: a session
    fixture by where it is defined, a module fixture (one instance per module) by the module."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return set()
    module = item.nodeid.split("::")[0]
    return {
        f"{module if definition.scope == 'module' else definition.baseid or '.'}::{name}"
        for name, definitions in info.name2fixturedefs.items()
        for definition in definitions[-1:]
        if definition.scope in {"session", "module"}
        and getattr(definition.func, "__module__", "").startswith("tests")
    }


def _joined_groups(name_sets: list[set[str]]) -> dict[str, str]:
    """Each name's group: names used together are joined, transitively; a group is named after
    its smallest name, so every worker computes the same names."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    for names in filter(None, name_sets):
        first, *others = sorted(names)
        for name in [first, *others]:
            parent[root(name)] = root(first)
    smallest: dict[str, str] = {}
    for name in sorted(parent):
        smallest.setdefault(root(name), name)
    return {name: smallest[root(name)] for name in parent}


@pytest.fixture(autouse=True)
def isolated_cache(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
):
    """Each test starts with an empty in-memory cache and its own validation-stamp folder.

    Kernels of notebook tests keep the session's stamp folder instead: a stamp is keyed by the
    data's content and the rules' source, so sharing one changes no result, and it spares each
    kernel validating the whole dataset again (about 3 s of CPU per notebook run)."""
    if request.node.get_closest_marker("notebook") is None:
        monkeypatch.setenv("CSTO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("CSTO_DATA_DIR", raising=False)
    data.clear_cache()
    yield
    data.clear_cache()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the course dataset, for tests that damage it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
