"""Shared fixtures: the repository's paths, a scratch copy of the dataset, an isolated cache."""

from __future__ import annotations

import compileall
import os
import shutil
import tempfile
from functools import partial
from pathlib import Path

import pytest

from helpers import data
from helpers.runner.kernel_sockets import notice_replies_after_sends
from tests import nbval_replay
from tests.notebook_runs import RUNS_ENV
from tests.xdist_groups import assign_groups, check_grouping_works

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


SCRATCH_ENV = "CSTO_TEST_SCRATCH"


def pytest_configure(config: pytest.Config) -> None:
    """Kernels started by papermill and nbval inherit this environment: answer sheets and
    validation stamps written while testing go to a scratch folder, never to the user's home.

    The scratch folder is the session's: the first process makes it (pytest-xdist's controller,
    whose environment its workers inherit) and removes it at the end; the workers share it, so a
    notebook run or a validation stamp made by one serves them all (tests/notebook_runs.py)."""
    if not os.environ.get(SCRATCH_ENV):
        os.environ[SCRATCH_ENV] = tempfile.mkdtemp(prefix="csto-tests-")
        config.add_cleanup(partial(shutil.rmtree, os.environ[SCRATCH_ENV], ignore_errors=True))
    scratch = Path(os.environ[SCRATCH_ENV])
    os.environ.setdefault("CSTO_ANSWERS_DIR", str(scratch / "answers"))
    os.environ.setdefault("CSTO_STUDENT_ID", "test-student")
    os.environ.setdefault("CSTO_CACHE_DIR", str(scratch / "cache"))
    os.environ.setdefault(RUNS_ENV, str(scratch / "runs"))
    # nbval compares the stored outputs with the run the notebook tests share (one execution).
    nbval_replay.install()
    # The runner's fix: without it a kernel reply that arrives while the client sends an Output
    # widget's state is noticed only when the wait times out (see helpers.runner.kernel_sockets).
    notice_replies_after_sends()
    # Every kernel imports the helpers. Where PYTHONDONTWRITEBYTECODE is set, none of them would
    # cache the compiled code and each would compile the helpers again (about 0.1 s of CPU).
    compileall.compile_dir(REPO / "src" / "helpers", quiet=1)
    if config.getoption("dist", "no") == "loadgroup":
        check_grouping_works()


WORKERS_PER_CORE = 2


@pytest.hookimpl(optionalhook=True)  # known only where pytest-xdist is loaded
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (what ``make test`` uses): two workers per core, not pytest-xdist's one.

    Much of the suite waits rather than computes: on a JupyterLab or a hub to start, on a
    browser to draw, on a kernel to answer. With one worker per core, half the machine's CPU
    time went unused; a second worker per core fills it. PYTEST_XDIST_AUTO_NUM_WORKERS, when
    set, still decides (pytest-xdist's own hook reads it)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return WORKERS_PER_CORE * len(os.sched_getaffinity(0))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist, tests sharing a server, a build or a kernel stay on one worker.

    Without the plugin (``-p no:xdist``) there are no workers to keep together, and no
    ``xdist_group`` marker that --strict-markers would accept."""
    if config.pluginmanager.hasplugin("xdist"):
        assign_groups(items)


@pytest.fixture(autouse=True)
def isolated_cache(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
):
    """Each test starts with an empty in-memory cache; tests marked ``own_stamps`` also get
    an empty validation-stamp folder of their own.

    The others, and the kernels they start, share the session's stamp folder: a stamp is keyed by
    the data's content and the rules' source, so sharing one changes no result, and it spares each
    test or kernel that reads the course data validating all of it again (0.7 to 3 s of CPU).
    What sharing cannot serve is a test that changes a rule in memory (the key does not see it)
    or that counts validations: such a test is marked ``own_stamps``, as the data-layer tests are.
    """
    if request.node.get_closest_marker("own_stamps") is not None:
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
