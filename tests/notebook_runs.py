"""Running a notebook headless the way the tests need it, in one place, and once per session.

Every test that executes a notebook goes through ``execute``: the notebook runs from its own
folder with the python3 kernel, and a cell that does not finish within ``CELL_TIMEOUT`` seconds
fails the test with the cell named, instead of leaving the suite waiting.

A run is shared by the whole test session, pytest-xdist's workers included: the same notebook
run with the same parameters in the same environment is executed once, by whichever test asks
first (the others wait for it), and every test gets its own copy. What decides a run is the
notebook's content, the parameters and the ``CSTO_`` variables its kernel inherits (data folder,
answers folder, student id); the validation stamps' folder only changes how fast it runs. The
course's code and data cannot change during a session, so they need no place in the key.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import nbformat
import papermill as pm
from filelock import FileLock

from helpers.runner.kernel_start import with_kernel_start_retry

CELL_TIMEOUT = 300
# A folder every process of the test session shares (set by tests/conftest.py); without it,
# each run executes.
RUNS_ENV = "CSTO_TEST_RUNS"
_NOT_IN_KEY = {"CSTO_CACHE_DIR"}


def execute(notebook: Path, output: Path, parameters: dict) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``parameters`` into ``output`` and return the executed notebook.

    A failing run raises papermill's error, with the executed copy (traceback included) left at
    ``output``; failing runs are not shared.
    """
    shutil.copyfile(shared_run(notebook, parameters, keep_failed=output), output)
    return nbformat.read(output, as_version=4)


def shared_run(notebook: Path, parameters: dict, keep_failed: Path) -> Path:
    """The session's executed copy of ``notebook`` run with ``parameters``; executed now if no
    test has asked for it yet. If the run fails, its executed copy is left at ``keep_failed``
    and papermill's error is raised."""
    runs = os.environ.get(RUNS_ENV)
    if not runs:
        _run(notebook, keep_failed, parameters)
        return keep_failed
    stored = Path(runs) / f"{run_key(notebook, parameters)}.ipynb"
    stored.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(stored.with_suffix(".lock")):
        if not stored.exists():
            partial = stored.with_suffix(".partial.ipynb")
            try:
                _run(notebook, partial, parameters)
            except BaseException:
                if partial.exists():
                    shutil.move(partial, keep_failed)
                raise
            os.replace(partial, stored)
    return stored


def run_key(notebook: Path, parameters: dict) -> str:
    """What decides a run: the notebook (path and content), the parameters, the environment."""
    digest = hashlib.sha256()
    path = notebook.resolve()
    environment = {
        name: value
        for name, value in os.environ.items()
        if name.startswith("CSTO_") and name not in _NOT_IN_KEY and name != RUNS_ENV
    }
    for part in (
        str(path).encode(),
        path.read_bytes(),
        json.dumps(parameters, sort_keys=True, default=str).encode(),
        json.dumps(environment, sort_keys=True).encode(),
    ):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()[:32]


def _run(notebook: Path, output: Path, parameters: dict) -> None:
    with_kernel_start_retry(lambda: pm.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(notebook.parent),
        progress_bar=False,
        execution_timeout=CELL_TIMEOUT,
        # As the runner does: no rewrite of the whole notebook after every cell, and no wait for
        # the kernel's interpreter to tear down once every output is in.
        request_save_on_cell_execute=False,
        shutdown_kernel="immediate",
    ))


def output_text(notebook: dict | nbformat.NotebookNode) -> str:
    """The text of every output of a notebook, failing on any error output."""
    texts = []
    for cell in notebook["cells"]:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            texts.append("".join(text))
    return "\n".join(texts)
