"""Execute one notebook with papermill; runs inside a worker process.

Whatever goes wrong in one notebook is caught here and returned as a failed result, so that one
broken notebook never stops the others. The executed copy is always kept, traceback included,
because it is what a reader opens to see what went wrong.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.queues import Queue
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat
import papermill
from jupyter_client.channels import AsyncZMQSocketChannel

from helpers.runner.discovery import Notebook
from helpers.runner.errors import describe_error

KERNEL_NAME = "python3"
# The kernel's own log goes to our stderr. It prints a warning about its local TCP sockets for
# every notebook, and an error each time the client's routine shutdown interrupts it; both would
# break the progress display and say nothing wrong. Real failures reach the result regardless.
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
_PAPERMILL_MARKER_TAGS = frozenset({"injected-parameters", "papermill-error-cell-tag"})


@dataclass(frozen=True)
class NotebookTask:
    """Everything a worker needs to run one notebook into the build."""

    notebook: Notebook
    parameters: dict[str, Any]
    build_dir: Path
    cell_timeout: int | None = None


@dataclass(frozen=True)
class Failure:
    """Where and why a notebook failed. ``cell`` counts cells of the source notebook from 1."""

    error: str
    cell: int | None = None
    execution_count: int | None = None

    def location(self) -> str:
        if self.cell is None:
            return ""
        prompt = f" (In [{self.execution_count}])" if self.execution_count else ""
        return f"cell {self.cell}{prompt}"


@dataclass(frozen=True)
class NotebookResult:
    """The outcome for one notebook; paths are relative to the build folder."""

    key: str
    seconds: float
    notebook_relpath: str
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


ProgressQueue = Queue  # carries (notebook key, cell number, cell count) from workers


def read_replies_in_slices(
    channel: type[AsyncZMQSocketChannel] = AsyncZMQSocketChannel, slice_seconds: float = 0.5
) -> None:
    """Make the kernel client re-check its sockets at least every ``slice_seconds``.

    Observed here (pyzmq 27, jupyter_client 8.10, nbclient 0.11): on cells that emit many widget
    messages, the client now and then misses the wake-up for a reply that has already arrived, and
    reads it only when its wait times out. A cell the kernel finished in 0.2 s then took the whole
    600 s cell timeout, or hung for ever with no timeout. A fresh poll finds such a reply at once,
    so waiting in short slices bounds the delay without changing what is received. Applied once
    per worker process; idempotent.
    """
    if getattr(channel.get_msg, "reads_in_slices", False):
        return
    read_once = channel.get_msg

    async def get_msg(self: AsyncZMQSocketChannel, timeout: float | None = None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await read_once(
                    self, slice_seconds if left is None else min(slice_seconds, left)
                )
            except Empty:
                if left is not None and left <= slice_seconds:
                    raise

    get_msg.reads_in_slices = True  # type: ignore[attr-defined]
    channel.get_msg = get_msg  # type: ignore[method-assign]


def run_notebook(task: NotebookTask, progress: ProgressQueue | None = None) -> NotebookResult:
    """Execute ``task.notebook`` into the build folder, keeping the executed copy either way."""
    started = time.perf_counter()
    notebook = task.notebook
    executed_path = task.build_dir / notebook.relpath
    executed_path.parent.mkdir(parents=True, exist_ok=True)
    failure = _execute(task, executed_path, progress)
    try:
        executed = nbformat.read(executed_path, as_version=4)
        failure = failure or _first_error(executed)
        _write_relative_paths(executed, notebook, executed_path)
    except Exception as error:
        failure = failure or Failure(f"unreadable once executed: {describe_error(error)}")
    return NotebookResult(
        key=notebook.key,
        seconds=time.perf_counter() - started,
        notebook_relpath=notebook.relpath,
        failure=failure,
    )


def _execute(task: NotebookTask, output: Path, progress: ProgressQueue | None) -> Failure | None:
    """Run papermill; cell errors are read back from the executed copy, other errors kept here."""
    source = task.notebook.path
    try:
        papermill.execute_notebook(
            str(source),
            str(output),
            parameters=task.parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(source.parent),
            progress_bar=False,
            # Saving after every cell re-validated and rewrote the whole notebook each time, about
            # a second per notebook; papermill still saves at the end, error or not.
            request_save_on_cell_execute=False,
            execution_timeout=task.cell_timeout,
            extra_arguments=_KERNEL_ARGUMENTS,
            on_cell_start=_cell_reporter(task, progress),
        )
    except papermill.PapermillExecutionError:
        return None
    except Exception as error:
        return Failure(describe_error(error))
    return None


def _cell_reporter(task: NotebookTask, progress: ProgressQueue | None) -> Callable[..., None]:
    cell_count = _cell_count(task)
    if progress is not None:
        progress.put((task.notebook.key, 0, cell_count))

    def report(cell: Any, cell_index: int) -> None:
        if progress is not None:
            progress.put((task.notebook.key, cell_index + 1, cell_count))

    return report


def _cell_count(task: NotebookTask) -> int:
    """Cells papermill will run: the source's, plus the cell it injects for given parameters."""
    cells = len(nbformat.read(task.notebook.path, as_version=4).cells)
    return cells + (1 if task.parameters else 0)


def _first_error(executed: nbformat.NotebookNode) -> Failure | None:
    """The first error output, located by its cell's position in the source notebook.

    Papermill adds cells (injected parameters, error banners), so positions in the executed copy
    would not match what the author sees; skipping those cells restores the source numbering.
    """
    source_cells = [
        cell
        for cell in executed.cells
        if not _PAPERMILL_MARKER_TAGS & set(cell.get("metadata", {}).get("tags", []))
    ]
    for number, cell in enumerate(source_cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return Failure(
                    error=f"{output.get('ename')}: {output.get('evalue')}",
                    cell=number,
                    execution_count=cell.get("execution_count"),
                )
    return None


def _write_relative_paths(
    executed: nbformat.NotebookNode, notebook: Notebook, executed_path: Path
) -> None:
    """Replace papermill's machine paths with course-relative ones, then save atomically.

    The build is moved into place after the run, so the temporary folder papermill recorded would
    point nowhere; relative paths stay true wherever the build is copied.
    """
    record = executed.metadata.get("papermill")
    if record is None:
        return
    record["input_path"] = notebook.relpath
    record["output_path"] = notebook.relpath
    partial = executed_path.with_name(f".{executed_path.name}.partial")
    nbformat.write(executed, partial)
    os.replace(partial, executed_path)
