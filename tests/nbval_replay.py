"""nbval compares the stored outputs with the session's shared run of each notebook.

nbval starts a kernel of its own for every notebook and runs it cell by cell, while the notebook
tests run the same notebooks with the same (default) parameters through papermill. So nbval is
handed, in place of its kernel, a stand-in that answers each cell with the outputs of that shared
run (tests.notebook_runs): nbval then checks for errors and compares outputs exactly as it does
with a live kernel. A cell the shared run did not reach (an earlier cell failed) fails, saying so.

What the stand-in cannot reproduce is output that nbclient routes elsewhere while a cell runs
(into an Output widget, or replaced by clear_output); no course notebook produces such output
while it runs, since the explorers draw only when a control changes.
"""

from __future__ import annotations

import tempfile
import uuid
from collections import deque
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat
import papermill as pm
from nbval import plugin

from tests.notebook_runs import shared_run


class ReplayKernel:
    """Answers nbval's requests from an executed notebook instead of a running kernel."""

    def __init__(self, executed: nbformat.NotebookNode, failure: str | None = None) -> None:
        self._cells = [cell for cell in executed.cells if cell.cell_type == "code"]
        self._position = 0
        self._failure = failure
        self._messages: deque[dict[str, Any]] = deque()

    def execute_cell_input(self, cell_input: str, allow_stdin: bool | None = None) -> str:
        cell = self._find(cell_input)
        if cell is None or cell.metadata.get("papermill", {}).get("status") == "pending":
            reason = f" ({self._failure})" if self._failure else ""
            raise RuntimeError(f"the shared run of this notebook did not reach this cell{reason}")
        msg_id = uuid.uuid4().hex
        for output in cell.outputs:
            self._messages.append(_message(output, msg_id))
        self._messages.append(_message({"output_type": "status"}, msg_id))
        return msg_id

    def _find(self, source: str) -> nbformat.NotebookNode | None:
        """The next executed cell with this source (nbval skips some cells, never reorders)."""
        for position in range(self._position, len(self._cells)):
            if self._cells[position].source == source:
                self._position = position + 1
                return self._cells[position]
        return None

    def get_message(self, stream: str, timeout: float | None = None) -> dict[str, Any]:
        if not self._messages:
            raise Empty
        return self._messages.popleft()

    def await_reply(self, msg_id: str, timeout: float | None = None) -> None:
        return None

    def await_idle(self, parent_id: str, timeout: float | None = None) -> None:
        while self._messages and self._messages.popleft()["msg_type"] != "status":
            pass

    def is_alive(self) -> bool:
        return True

    def interrupt(self) -> None:
        return None

    def stop(self) -> None:
        return None


def _message(output: dict[str, Any], msg_id: str) -> dict[str, Any]:
    """The iopub message that would have produced ``output``."""
    kind = output["output_type"]
    if kind == "status":
        content: dict[str, Any] = {"execution_state": "idle"}
    elif kind == "stream":
        content = {"name": output["name"], "text": output["text"]}
    elif kind == "error":
        content = {key: output[key] for key in ("ename", "evalue", "traceback")}
    else:  # display_data, execute_result
        content = {"data": output["data"], "metadata": output.get("metadata", {})}
        if kind == "execute_result":
            content["execution_count"] = output.get("execution_count")
    return {"msg_type": kind, "parent_header": {"msg_id": msg_id}, "content": content}


def _setup(self: plugin.IPyNbFile) -> None:
    """nbval's IPyNbFile.setup, with the shared run in place of a new kernel."""
    notebook = Path(str(self.fspath))
    with tempfile.TemporaryDirectory() as scratch:
        failed = Path(scratch) / notebook.name
        try:
            executed = nbformat.read(shared_run(notebook, {}, keep_failed=failed), as_version=4)
            failure = None
        except pm.PapermillExecutionError as error:
            executed = nbformat.read(failed, as_version=4)
            failure = f"cell {error.cell_index} raised {error.ename}"
    self.kernel = ReplayKernel(executed, failure)
    self.setup_sanitize_files()


def install() -> None:
    """Make nbval replay the shared runs; called once per test process."""
    plugin.IPyNbFile.setup = _setup
