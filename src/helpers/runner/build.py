"""Build the course: run the notebooks in parallel into a staging folder, then move it into place.

The build folder is the unit of atomicity. Everything is written into a hidden staging folder
beside it and renamed into place only when every notebook succeeded, so a good ``build/`` from an
earlier run is never left half-overwritten. A failed run leaves the earlier build untouched and
keeps its own executed copies, tracebacks included, in ``build.failed/`` for reading.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.runner.discovery import Notebook
from helpers.runner.errors import RunnerInputError
from helpers.runner.execute import (
    Failure,
    NotebookResult,
    NotebookTask,
    ProgressQueue,
    read_replies_in_slices,
    run_notebook,
)
from helpers.runner.html import INDEX_NAME, Page, index_page, page_navigation, warm_up
from helpers.runner.progress import SilentProgress

ANSWERS_DIR_ENV = "CSTO_ANSWERS_DIR"
DEFAULT_CELL_TIMEOUT = 600
FAILED_SUFFIX = ".failed"
# Marks a folder as a build, the only kind of folder a build may replace: without it, a slip
# such as ``-o .`` or ``-o ~/Documents`` would swap away (and delete) the user's own files.
BUILD_MARKER = ".csto-run-build"


@dataclass(frozen=True)
class BuildReport:
    """The results in course order and where the executed notebooks and pages ended up."""

    results: list[NotebookResult]
    location: Path
    output_dir: Path
    seconds: float

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)


def available_cores() -> int:
    """Cores this process may use (respects CPU affinity, e.g. in containers)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def prepare_staging_dir(output_dir: Path) -> Path:
    """Check that the course can be written at ``output_dir`` and create the staging folder.

    Done before any notebook runs, so an unwritable or wrong destination costs nothing.
    """
    output_dir = output_dir.absolute()
    if output_dir.exists() and not output_dir.is_dir():
        raise RunnerInputError(
            f"Output directory {output_dir}: exists and is not a folder. Expected a folder, or "
            "a path that does not exist yet, to write the course into; choose another with -o."
        )
    for folder in (output_dir, _failed_dir(output_dir)):
        if folder.is_dir() and any(folder.iterdir()) and not (folder / BUILD_MARKER).exists():
            raise RunnerInputError(
                f"Output directory {output_dir}: {folder} holds files that csto-run did not "
                f"write (it has no {BUILD_MARKER} file), and a build replaces the whole folder. "
                "Expected a new or empty folder or an earlier build; choose another with -o."
            )
    blocking_file = next((p for p in output_dir.parents if p.exists() and not p.is_dir()), None)
    if blocking_file is not None:
        raise RunnerInputError(
            f"Output directory {output_dir}: {blocking_file} is a file, not a folder. Expected "
            "a path inside folders you can write to; choose another with -o."
        )
    try:
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=output_dir.parent, prefix=f".{output_dir.name}.tmp-"))
    except OSError as error:
        raise RunnerInputError(
            f"Output directory {output_dir}: cannot write in {output_dir.parent} "
            f"({error.strerror or error}). Expected a folder you can write to; choose another "
            "with -o."
        ) from error
    staging.chmod(0o777 & ~_current_umask())  # mkdtemp makes it private; a build is not
    (staging / BUILD_MARKER).write_text(
        "Written by csto-run. The next build replaces this whole folder.\n", encoding="utf-8"
    )
    return staging


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def build_course(
    notebooks: Sequence[Notebook],
    parameters: Sequence[dict[str, Any]],
    output_dir: Path,
    jobs: int | None = None,
    progress: SilentProgress | None = None,
    cell_timeout: int | None = DEFAULT_CELL_TIMEOUT,
) -> BuildReport:
    """Execute ``notebooks`` (each with its own ``parameters``) and write the offline course.

    Results come back in the order of ``notebooks`` whatever order the workers finish in.
    """
    started = time.perf_counter()
    output_dir = output_dir.absolute()
    staging = prepare_staging_dir(output_dir)
    try:
        pages = [_page(notebook) for notebook in notebooks]
        tasks = [
            NotebookTask(notebook, dict(values), staging, nav, cell_timeout)
            for notebook, values, nav in zip(
                notebooks, parameters, page_navigation(pages), strict=True
            )
        ]
        results = _run_all(tasks, jobs or available_cores(), progress or SilentProgress())
        (staging / INDEX_NAME).write_text(index_page(pages), encoding="utf-8")
        if all(result.ok for result in results):
            location = _publish(staging, output_dir)
        else:
            location = _keep_failed(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildReport(results, location, output_dir, time.perf_counter() - started)


def _page(notebook: Notebook) -> Page:
    kind = "Exercises" if notebook.is_exercise else "Notebook"
    number = notebook.number
    label = kind if number is None else f"{kind} {number:02d}"
    return Page(notebook.relpath.removesuffix(".ipynb") + ".html", notebook.title, label)


def _run_all(
    tasks: list[NotebookTask], jobs: int, progress: SilentProgress
) -> list[NotebookResult]:
    """Run the tasks on a pool of worker processes, keeping results in task order.

    Workers are spawned (not forked) so no state of this process leaks into them, and exercise
    notebooks get a throw-away answers folder instead of writing answer sheets into $HOME.
    """
    context = multiprocessing.get_context("spawn")
    cell_events = context.Queue() if progress.wants_cells else None
    results: dict[int, NotebookResult] = {}
    with (
        tempfile.TemporaryDirectory(prefix="csto-answers-") as answers_dir,
        ProcessPoolExecutor(
            max_workers=max(1, min(jobs, len(tasks))),
            mp_context=context,
            initializer=_start_worker,
            initargs=(answers_dir, cell_events),
        ) as pool,
    ):
        positions = {pool.submit(_run_in_worker, task): i for i, task in enumerate(tasks)}
        waiting: set[Future[NotebookResult]] = set(positions)
        try:
            while waiting:
                done, waiting = wait(waiting, timeout=0.25, return_when=FIRST_COMPLETED)
                _show_cell_events(cell_events, progress)
                for future in done:
                    result = _collect(future, tasks[positions[future]])
                    results[positions[future]] = result
                    progress.finished(result.key, result.ok, result.seconds)
        finally:
            progress.close()
    return [results[position] for position in range(len(tasks))]


_worker_cell_events: ProgressQueue | None = None


def _start_worker(answers_dir: str, cell_events: ProgressQueue | None) -> None:
    global _worker_cell_events
    os.environ[ANSWERS_DIR_ENV] = answers_dir
    _worker_cell_events = cell_events
    read_replies_in_slices()
    warm_up()


def _run_in_worker(task: NotebookTask) -> NotebookResult:
    return run_notebook(task, _worker_cell_events)


def _collect(future: Future[NotebookResult], task: NotebookTask) -> NotebookResult:
    """The worker's result, or a failed one if the worker itself died (e.g. out of memory)."""
    try:
        return future.result()
    except Exception as error:
        return NotebookResult(
            key=task.notebook.key,
            seconds=0.0,
            notebook_relpath=task.notebook.relpath,
            html_relpath=None,
            failure=Failure(f"the worker process failed: {type(error).__name__}: {error}"),
        )


def _show_cell_events(cell_events: ProgressQueue | None, progress: SilentProgress) -> None:
    while cell_events is not None:
        try:
            key, number, count = cell_events.get_nowait()
        except queue.Empty:
            return
        progress.cell(key, number, count)


def _publish(staging: Path, output_dir: Path) -> Path:
    """Swap the finished build into place; the old one is removed only after the swap."""
    if output_dir.exists():
        retired = Path(tempfile.mkdtemp(dir=output_dir.parent, prefix=f".{output_dir.name}.old-"))
        os.replace(output_dir, retired / output_dir.name)
        os.replace(staging, output_dir)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, output_dir)
    shutil.rmtree(_failed_dir(output_dir), ignore_errors=True)
    return output_dir


def _keep_failed(staging: Path, output_dir: Path) -> Path:
    """Keep the failed run's executed copies beside the (untouched) earlier build."""
    failed = _failed_dir(output_dir)
    if failed.exists():
        shutil.rmtree(failed)
    os.replace(staging, failed)
    return failed


def _failed_dir(output_dir: Path) -> Path:
    return output_dir.with_name(output_dir.name + FAILED_SUFFIX)
