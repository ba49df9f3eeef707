"""Running a notebook headless the way the tests need it, in one place.

Every test that executes a notebook goes through ``execute``: the notebook runs from its own
folder with the python3 kernel, and a cell that does not finish within ``CELL_TIMEOUT`` seconds
fails the test with the cell named, instead of leaving the suite waiting.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm

CELL_TIMEOUT = 300


def execute(notebook: Path, output: Path, parameters: dict) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``parameters`` into ``output`` and return the executed notebook."""
    pm.execute_notebook(
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
    )
    return nbformat.read(output, as_version=4)


def output_text(notebook: dict | nbformat.NotebookNode) -> str:
    """The text of every output of a notebook, failing on any error output."""
    texts = []
    for cell in notebook["cells"]:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            texts.append("".join(text))
    return "\n".join(texts)
