"""``make bench``: where the time goes, measured on this machine; never a test.

Prints, against the targets:
- the floor: an empty notebook executed by the runner (kernel start and shutdown, papermill);
- each notebook's time, its ratio to the floor (target: at most 2.0x) and its time outside its
  cells beyond the floor's (target: at most 0.3 s), with its slowest cells when it misses; and
  its CPU time (client and kernel), which a busy machine changes far less than the wall time;
- the whole course built serially and in parallel (target: parallel at most 0.6x serial);
- ``import helpers`` plus the submodules the notebooks import, against a bare
  ``import pandas, plotly.express, ipywidgets`` (target: at most 1.2x), each the median of
  several fresh interpreters, with the slowest extra modules when it misses;
- loading and validating every table: cold, in a fresh process with the validation stamp on
  disk, and cached in memory (target: under a millisecond per table);
- the classroom loop: collecting and grading 300 students' sheets (``helpers.classroom.bench``);
- with ``--suite`` (``make bench SUITE=1``), the wall time of ``make test`` (target: 6 minutes).

The machine's load average is printed at the start and the end: on a shared machine the wall
times are only as good as the quiet they were measured in.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pkgutil
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat

import helpers
from helpers.classroom import bench as classroom_bench
from helpers.runner.build import BuildReport, available_cores, build_course
from helpers.runner.discovery import Notebook, discover_notebooks, find_course_root
from helpers.runner.errors import RunnerInputError
from helpers.runner.notebook_times import Timing, cell_durations, empty_notebook, time_notebooks

NOTEBOOK_TARGET = 2.0
OUTSIDE_TARGET = 0.3
PARALLEL_TARGET = 0.6
IMPORT_TARGET = 1.2
CACHED_TABLE_TARGET_MS = 1.0
SUITE_TARGET_SECONDS = 360
ROUNDS = 3
IMPORT_REPEATS = 7
BARE_IMPORTS = "import pandas, plotly.express, ipywidgets"
_HELPERS_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(helpers(?:\.\w+)*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w \t,]+))"
    r"|import[ \t]+(helpers(?:\.\w+)*))",
    re.MULTILINE,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print everything; exit status 1 if any notebook failed to run."""
    parser = argparse.ArgumentParser(description="Print timings of the course on this machine.")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="runs of each notebook")
    parser.add_argument("--suite", action="store_true", help="also time `make test`")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # each figure shows as soon as it is measured
    print(
        f"Benchmarks on this machine: {available_cores()} cores, Python "
        f"{platform.python_version()}; {_load()}"
    )
    try:
        root = find_course_root(Path.cwd())
        notebooks = discover_notebooks(root)
    except RunnerInputError as error:
        print(f"No notebooks to time: {error}")
        root, notebooks = Path.cwd(), []
    with tempfile.TemporaryDirectory(prefix="csto-bench-") as scratch:
        all_ran = _time_each_notebook(notebooks, max(1, args.rounds), Path(scratch))
        if notebooks:
            all_ran = _time_course_build(notebooks, Path(scratch)) and all_ran
    _time_imports(notebooks)
    _time_tables()
    classroom_bench.print_figures()
    if args.suite:
        _time_test_suite(root)
    print(f"\nAt the end: {_load()}")
    return 0 if all_ran else 1


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def _time_each_notebook(notebooks: list[Notebook], rounds: int, scratch: Path) -> bool:
    floor, timings = time_notebooks(
        empty_notebook(scratch),
        notebooks,
        rounds,
        scratch,
        on_round=lambda number: print(f"  round {number} of {rounds} ...", end="\r"),
    )
    print(
        f"\nFloor (an empty notebook through the runner), median of {rounds}: "
        f"{floor.wall:.2f} s, CPU {floor.cpu_seconds:.2f} s"
    )
    if not timings:
        return not floor.failed
    print(
        f"\nEach notebook, median of {rounds} runs. Targets: time at most {NOTEBOOK_TARGET}x "
        f"the floor; time outside the cells at most {OUTSIDE_TARGET} s beyond the floor's."
    )
    width = max(len(timing.notebook.key) for timing in timings)
    print(
        f"  {'notebook':<{width}}  {'time':>7}  {'ratio':>6}  {'':2}  {'outside cells':>13}  "
        f"{'beyond floor':>12}  {'':2}  {'CPU':>6}  {'ratio':>5}"
    )
    for timing in timings:
        _print_timing(timing, floor, width)
    missed = [t for t in timings if not t.failed and not _within(t, floor)]
    print(
        f"  {len(timings) - len(missed)} of {len(timings)} notebooks meet both targets"
        + (f"; missed: {', '.join(t.notebook.key for t in missed)}" if missed else "")
    )
    for timing in missed:
        _print_slowest_cells(timing)
    return not floor.failed and not any(timing.failed for timing in timings)


def _within(timing: Timing, floor: Timing) -> bool:
    return (
        timing.wall <= NOTEBOOK_TARGET * floor.wall
        and timing.outside_cells - floor.outside_cells <= OUTSIDE_TARGET
    )


def _print_timing(timing: Timing, floor: Timing, width: int) -> None:
    if timing.failed:
        print(f"  {timing.notebook.key:<{width}}  FAILED to run: csto-run shows the traceback")
        return
    ratio = timing.wall / floor.wall
    beyond = timing.outside_cells - floor.outside_cells
    print(
        f"  {timing.notebook.key:<{width}}  {timing.wall:5.2f} s  {ratio:5.2f}x  "
        f"{_mark(ratio <= NOTEBOOK_TARGET)}  {timing.outside_cells:11.2f} s  {beyond:+10.2f} s  "
        f"{_mark(beyond <= OUTSIDE_TARGET)}  {timing.cpu_seconds:4.2f} s  "
        f"{timing.cpu_seconds / floor.cpu_seconds:4.1f}x"
    )


def _mark(met: bool) -> str:
    return "ok" if met else "!!"


def _print_slowest_cells(timing: Timing, count: int = 3) -> None:
    """Where a missing notebook's time went, from its last run: its slowest cells."""
    if timing.last_executed is None:
        return
    timed = cell_durations(timing.last_executed)
    print(f"    {timing.notebook.key}: {len(timed)} code cells; the slowest in the last run:")
    for duration, number, first_line in sorted(timed, reverse=True)[:count]:
        print(f"      cell {number}: {duration:.2f} s  {first_line[:60]}")


def _time_course_build(notebooks: list[Notebook], scratch: Path) -> bool:
    defaults: list[dict] = [{}] * len(notebooks)
    serial = build_course(notebooks, defaults, scratch / "serial", jobs=1, site=False)
    parallel = build_course(
        notebooks, defaults, scratch / "parallel", jobs=available_cores(), site=False
    )
    ratio = parallel.seconds / serial.seconds
    print(
        f"\nWhole course ({len(notebooks)} notebooks, no website): serial {serial.seconds:.1f} s, "
        f"parallel on {available_cores()} cores {parallel.seconds:.1f} s, ratio {ratio:.2f} "
        f"(target: at most {PARALLEL_TARGET}): {_verdict(ratio <= PARALLEL_TARGET)}"
    )
    return _all_ok(serial) and _all_ok(parallel)


def _time_test_suite(root: Path) -> None:
    """``make test`` as a teacher or a developer runs it, start to end."""
    print(f"\nThe whole test suite (`make test`), from {_load()}")
    started = time.perf_counter()
    done = subprocess.run(["make", "-s", "test"], cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    summary = (done.stdout.strip().splitlines() or ["no output"])[-1]
    within = seconds <= SUITE_TARGET_SECONDS
    print(
        f"  {seconds:.0f} s ({seconds / 60:.1f} min; target: at most "
        f"{SUITE_TARGET_SECONDS / 60:.0f} min): {_verdict(within)}; pytest says: {summary}"
    )


def _time_imports(notebooks: Sequence[Notebook]) -> None:
    modules = _helpers_modules(notebooks)
    statement = "import " + ", ".join(modules)
    helpers_times, bare_times = [], []
    for _ in range(IMPORT_REPEATS):  # interleaved, so drift in machine load hits both alike
        helpers_times.append(_import_seconds(statement))
        bare_times.append(_import_seconds(BARE_IMPORTS))
    ours, bare = statistics.median(helpers_times), statistics.median(bare_times)
    ratio = ours / bare
    print(f"\nImport time, median of {IMPORT_REPEATS} fresh interpreters")
    print(f"  {statement}: {ours:.3f} s")
    print(f"  {BARE_IMPORTS}: {bare:.3f} s")
    print(
        f"  ratio {ratio:.2f} (target: at most {IMPORT_TARGET}): {_verdict(ratio <= IMPORT_TARGET)}"
    )
    if ratio > IMPORT_TARGET:
        _print_extra_imports(statement)


def _helpers_modules(notebooks: Sequence[Notebook]) -> list[str]:
    """The helpers modules the notebooks import; all of them if there are no notebooks yet."""
    found: set[str] = {"helpers"}
    for notebook in notebooks:
        node = nbformat.read(notebook.path, as_version=4)
        for cell in node.cells:
            if cell.cell_type == "code":
                found.update(_imported_modules(cell.source))
    if len(found) == 1:
        found.update(
            f"helpers.{info.name}"
            for info in pkgutil.iter_modules(helpers.__path__)
            if info.name != "runner"
        )
    return sorted(found)


def _imported_modules(source: str) -> set[str]:
    modules = set()
    for package, grouped_names, names, plain in _HELPERS_IMPORT.findall(source):
        if plain:
            modules.add(plain)
            continue
        modules.add(package)
        for name in re.split(r"[\s,]+", (grouped_names or names).strip()):
            if name and _is_module(f"{package}.{name}"):
                modules.add(f"{package}.{name}")
    return modules


def _is_module(name: str) -> bool:
    """True for ``helpers.data``; false for ``helpers.data.load_table``, a function."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _import_seconds(statement: str) -> float:
    code = f"import time\nt = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def _print_extra_imports(statement: str, count: int = 8) -> None:
    """The modules our import pulls in beyond the bare one, by their own import time."""
    ours, bare = _import_profile(statement), _import_profile(BARE_IMPORTS)
    extra = sorted(((t, m) for m, t in ours.items() if m not in bare), reverse=True)[:count]
    print("  slowest modules beyond the bare imports (python -X importtime, self time):")
    for microseconds, module in extra:
        print(f"    {microseconds / 1000:7.1f} ms  {module}")


def _import_profile(statement: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    profile = {}
    for line in done.stderr.splitlines():
        parts = [part.strip() for part in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[0].isdigit():
            profile[parts[2]] = int(parts[0])
    return profile


_TABLES_SCRIPT = """
import json, statistics, time
from helpers.data import load_table, table_names
start = time.perf_counter()
names = table_names()
for name in names:
    load_table(name)
first = time.perf_counter() - start
cached = {}
for name in names:
    runs = []
    for _ in range(25):
        start = time.perf_counter()
        load_table(name)
        runs.append(time.perf_counter() - start)
    cached[name] = statistics.median(runs)
print(json.dumps({"first": first, "cached": cached}))
"""


def _time_tables() -> None:
    print("\nLoading and validating every table with helpers.data.load_table")
    with tempfile.TemporaryDirectory(prefix="csto-bench-cache-") as cache:
        environment = {**os.environ, "CSTO_CACHE_DIR": cache}
        runs = []
        for _ in range(2):  # the first validates and writes its stamp; the second finds it
            done = subprocess.run(
                [sys.executable, "-c", _TABLES_SCRIPT],
                capture_output=True,
                text=True,
                env=environment,
            )
            if done.returncode != 0:
                last_line = (done.stderr.strip().splitlines() or ["no message"])[-1]
                print(f"  skipped: loading the tables failed ({last_line})")
                return
            runs.append(json.loads(done.stdout))
    cold, stamped = runs
    cached_ms = {name: seconds * 1000 for name, seconds in stamped["cached"].items()}
    slowest = max(cached_ms, key=cached_ms.__getitem__)
    within = cached_ms[slowest] < CACHED_TABLE_TARGET_MS
    print(
        f"  cold (fresh process, full validation), {len(cached_ms)} tables: {cold['first']:.3f} s"
    )
    print(f"  fresh process, validation stamp on disk: {stamped['first']:.3f} s")
    print(
        f"  cached in memory: median {statistics.median(cached_ms.values()):.3f} ms per table, "
        f"slowest {slowest} {cached_ms[slowest]:.3f} ms (target: under "
        f"{CACHED_TABLE_TARGET_MS:g} ms each): {_verdict(within)}"
    )


def _verdict(met: bool) -> str:
    return "target met" if met else "TARGET MISSED"


def _all_ok(report: BuildReport) -> bool:
    failed = [result.key for result in report.results if not result.ok]
    if failed:
        print(f"  failed to run: {', '.join(failed)}; run csto-run to read the tracebacks")
    return not failed


if __name__ == "__main__":
    sys.exit(main())
