"""Build the course: run the notebooks in parallel into a staging folder, build the website from
them, then move the whole into place.

The build folder is the unit of atomicity. Everything is written into a hidden staging folder
beside it and swapped into place only when every notebook ran and the site was built, so a good
``build/`` from an earlier run is never left half-overwritten. A failed run leaves the earlier
build untouched and keeps its own executed copies, tracebacks included, in ``build.failed/`` for
reading. helpers.runner.folders locks the folder for the run and keeps any file no run wrote.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.runner.discovery import Notebook
from helpers.runner.execute import (
    Failure,
    NotebookResult,
    NotebookTask,
    ProgressQueue,
    read_replies_in_slices,
    run_notebook,
)
from helpers.runner.folders import (
    build_lock,
    check_output_dir,
    failed_dir,
    make_staging,
    publish,
    remove_leftovers,
    remove_written,
)
from helpers.runner.progress import SilentProgress
from helpers.site.build import SiteReport, build_site
from helpers.site.settings import read_settings

ANSWERS_DIR_ENV = "CSTO_ANSWERS_DIR"
DEFAULT_CELL_TIMEOUT = 600


@dataclass(frozen=True)
class BuildReport:
    """The results in course order, the site, and where the build ended up.

    ``site`` is None when no site was built (a notebook failed, or none was asked for);
    ``kept`` lists the files that no run wrote, found in the folder this build replaced and kept.
    """

    results: list[NotebookResult]
    location: Path
    output_dir: Path
    seconds: float
    site: SiteReport | None = None
    kept: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results) and (self.site is None or self.site.ok)


def available_cores() -> int:
    """Cores this process may use (respects CPU affinity, e.g. in containers)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def build_course(
    notebooks: Sequence[Notebook],
    parameters: Sequence[dict[str, Any]],
    output_dir: Path,
    jobs: int | None = None,
    progress: SilentProgress | None = None,
    cell_timeout: int | None = DEFAULT_CELL_TIMEOUT,
    site: bool = True,
) -> BuildReport:
    """Execute ``notebooks`` (each with its own ``parameters``) and build the course website.

    Results come back in the order of ``notebooks`` whatever order the workers finish in. With
    ``site`` false (timings, tests of the runner alone) only the executed notebooks are written.
    """
    started = time.perf_counter()
    output_dir = output_dir.absolute()
    check_output_dir(output_dir)
    settings = read_settings(notebooks[0].root) if site and notebooks else None
    with build_lock(output_dir):
        remove_leftovers(output_dir)
        staging = make_staging(output_dir)
        try:
            tasks = [
                NotebookTask(notebook, dict(values), staging, cell_timeout)
                for notebook, values in zip(notebooks, parameters, strict=True)
            ]
            results = _run_all(tasks, jobs or available_cores(), progress or SilentProgress())
            report = None
            if all(result.ok for result in results) and settings is not None:
                report = build_site(notebooks, staging, notebooks[0].root, settings)
            if all(result.ok for result in results) and (report is None or report.ok):
                location, kept = output_dir, publish(staging, output_dir)
                remove_written(failed_dir(output_dir))
            else:
                location = failed_dir(output_dir)
                kept = publish(staging, location)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    seconds = time.perf_counter() - started
    return BuildReport(results, location, output_dir, seconds, report, kept)


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
            failure=Failure(f"the worker process failed: {type(error).__name__}: {error}"),
        )


def _show_cell_events(cell_events: ProgressQueue | None, progress: SilentProgress) -> None:
    while cell_events is not None:
        try:
            key, number, count = cell_events.get_nowait()
        except queue.Empty:
            return
        progress.cell(key, number, count)
