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
from typing import Any

import nbformat
import papermill

from helpers.runner.discovery import Notebook
from helpers.runner.errors import describe_error
from helpers.runner.kernel_sockets import notice_replies_after_sends
from helpers.runner.kernel_start import with_kernel_start_retry

KERNEL_NAME = "python3"
ANSWERS_DIR_ENV = "CSTO_ANSWERS_DIR"
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


_worker_cell_events: ProgressQueue | None = None


def start_worker(answers_dir: str, cell_events: ProgressQueue | None) -> None:
    """Set up a worker process of the runner's pool.

    The pool's workers import this module only (not the site builder's Sphinx), which saves
    each of them about a second of CPU at start.
    """
    global _worker_cell_events
    os.environ[ANSWERS_DIR_ENV] = answers_dir
    _worker_cell_events = cell_events


def run_in_worker(task: NotebookTask) -> NotebookResult:
    return run_notebook(task, _worker_cell_events)


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
        write_relative_paths(executed, notebook, executed_path)
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
    notice_replies_after_sends()
    try:
        with_kernel_start_retry(lambda: papermill.execute_notebook(
            str(source),
            str(output),
            parameters=task.parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(source.parent),
            progress_bar=False,
            # Saving after every cell re-validated and rewrote the whole notebook each time, about
            # a second per notebook; papermill still saves at the end, error or not.
            request_save_on_cell_execute=False,
            # Once the last reply is in, every output has been received; a graceful shutdown
            # then only waits while the kernel's interpreter tears down pandas and plotly,
            # measured at 0.3 to 2.5 s (past 2.5 s jupyter_client sends SIGTERM).
            shutdown_kernel="immediate",
            execution_timeout=task.cell_timeout,
            extra_arguments=_KERNEL_ARGUMENTS,
            on_cell_start=_cell_reporter(task, progress),
        ))
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


def write_relative_paths(
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
