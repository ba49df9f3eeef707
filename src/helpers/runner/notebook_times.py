"""Time notebooks the way the runner executes them, robustly enough for a shared machine.

Each notebook is executed by ``run_notebook`` (what a runner worker does) in rounds: every round
runs the floor (an empty notebook) and then every notebook once, so a change in the machine's load
during the measurement falls on all of them alike, and each figure is the median over the rounds.
Beside the wall time, the CPU time of the client and its kernel is measured: it hardly changes
with the load, which makes it the better figure for comparing two runs on a busy machine.
"""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

import helpers
from helpers.runner.build import DEFAULT_CELL_TIMEOUT
from helpers.runner.discovery import Notebook, discover_notebooks
from helpers.runner.execute import ANSWERS_DIR_ENV, NotebookTask, run_notebook


@dataclass
class Timing:
    """One notebook's runs: wall seconds, seconds spent in its cells, CPU seconds."""

    notebook: Notebook
    seconds: list[float] = field(default_factory=list)
    in_cells: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    failed: bool = False
    last_executed: Path | None = None

    @property
    def wall(self) -> float:
        return statistics.median(self.seconds)

    @property
    def outside_cells(self) -> float:
        """Kernel start and shutdown, papermill, reading and writing the notebook."""
        return statistics.median(s - c for s, c in zip(self.seconds, self.in_cells, strict=True))

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(self.cpu)


def empty_notebook(scratch: Path) -> Notebook:
    """The floor: a notebook without cells, which costs only the kernel and the runner."""
    path = scratch / "floor" / "notebooks" / "00_empty.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    empty = nbformat.v4.new_notebook()
    empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(empty, path)
    return discover_notebooks(path.parents[1])[0]


def time_notebooks(
    floor: Notebook,
    notebooks: Sequence[Notebook],
    rounds: int,
    scratch: Path,
    on_round: Callable[[int], None] = lambda _: None,
) -> tuple[Timing, list[Timing]]:
    """Run the floor and every notebook ``rounds`` times, interleaved; return their timings."""
    floor_timing, timings = Timing(floor), [Timing(notebook) for notebook in notebooks]
    with _like_a_runner_worker(scratch):
        for number in range(rounds):
            on_round(number + 1)
            for timing in [floor_timing, *timings]:
                _run_once(timing, scratch / f"round-{number}")
    return floor_timing, timings


@contextmanager
def _like_a_runner_worker(scratch: Path) -> Iterator[None]:
    """The worker's setting: a throw-away answers folder, the dataset's validation stamp
    already written (every run after a learner's first finds it), and the helpers compiled
    (Python caches compiled modules unless PYTHONDONTWRITEBYTECODE says not to)."""
    compileall.compile_dir(Path(helpers.__file__).parent, quiet=1)
    from helpers.data import table_names  # writes the validation stamp if there is none

    table_names()
    saved = os.environ.get(ANSWERS_DIR_ENV)
    os.environ[ANSWERS_DIR_ENV] = tempfile.mkdtemp(prefix="answers-", dir=scratch)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(ANSWERS_DIR_ENV, None)
        else:
            os.environ[ANSWERS_DIR_ENV] = saved


def _run_once(timing: Timing, build: Path) -> None:
    before = _cpu_seconds()
    result = run_notebook(NotebookTask(timing.notebook, {}, build, DEFAULT_CELL_TIMEOUT))
    timing.cpu.append(_cpu_seconds() - before)
    timing.seconds.append(result.seconds)
    timing.last_executed = build / result.notebook_relpath
    timing.in_cells.append(sum(duration for duration, _, _ in cell_durations(timing.last_executed)))
    timing.failed = timing.failed or not result.ok


def _cpu_seconds() -> float:
    """CPU used by this process and by its finished children (the kernels it ran)."""
    usages = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def cell_durations(executed: Path) -> list[tuple[float, int, str]]:
    """(seconds, cell number, first line) of each code cell, as papermill timed it."""
    if not executed.exists():
        return []
    node = nbformat.read(executed, as_version=4)
    return [
        (
            cell.metadata.get("papermill", {}).get("duration") or 0.0,
            number,
            (cell.source.strip().splitlines() or [""])[0],
        )
        for number, cell in enumerate(node.cells, start=1)
        if cell.cell_type == "code"
    ]
