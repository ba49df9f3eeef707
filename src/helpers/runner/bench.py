"""``make bench``: where the time goes, measured in one run on this machine; never a test.

Prints, against the issue's targets:
- the floor: an empty notebook executed by the same runner (kernel start, papermill, export);
- each notebook's time and its ratio to the floor (target: at most 1.5x), with its slowest
  cells when it misses the target;
- the whole suite's wall time, serial and parallel (target: parallel at most 0.6x serial);
- ``import helpers`` plus the submodules the notebooks import, against a bare
  ``import pandas, plotly.express, ipywidgets`` (target: at most 1.2x), each the median of
  several fresh interpreters, with the slowest extra modules when it misses;
- loading and validating every table: cold, in a fresh process with the validation stamp on
  disk, and cached in memory (target: under a millisecond per table);
- the classroom loop: collecting and grading 300 students' sheets (``helpers.classroom.bench``).
"""

from __future__ import annotations

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
from collections.abc import Sequence
from pathlib import Path

import nbformat

import helpers
from helpers.classroom import bench as classroom_bench
from helpers.runner.build import BuildReport, available_cores, build_course
from helpers.runner.discovery import Notebook, discover_notebooks, find_course_root
from helpers.runner.errors import RunnerInputError

NOTEBOOK_TARGET = 1.5
PARALLEL_TARGET = 0.6
IMPORT_TARGET = 1.2
CACHED_TABLE_TARGET_MS = 1.0
IMPORT_REPEATS = 7
FLOOR_REPEATS = 3
BARE_IMPORTS = "import pandas, plotly.express, ipywidgets"
_HELPERS_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(helpers(?:\.\w+)*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w \t,]+))"
    r"|import[ \t]+(helpers(?:\.\w+)*))",
    re.MULTILINE,
)


def main() -> int:
    """Measure and print everything; exit status 1 if any notebook failed to run."""
    sys.stdout.reconfigure(line_buffering=True)  # each figure shows as soon as it is measured
    python = platform.python_version()
    print(f"Benchmarks on this machine: {available_cores()} cores, Python {python}")
    try:
        notebooks = discover_notebooks(find_course_root(Path.cwd()))
    except RunnerInputError as error:
        print(f"No notebooks to time: {error}")
        notebooks = []
    all_ran = True
    with tempfile.TemporaryDirectory(prefix="csto-bench-") as scratch:
        floor = _floor_seconds(Path(scratch))
        print(f"\nFloor (empty notebook, median of {FLOOR_REPEATS}): {floor:.2f} s")
        if notebooks:
            all_ran = _time_notebooks(notebooks, floor, Path(scratch))
    _time_imports(notebooks)
    _time_tables()
    classroom_bench.print_figures()
    return 0 if all_ran else 1


def _floor_seconds(scratch: Path) -> float:
    root = scratch / "floor"
    for copy in range(FLOOR_REPEATS):
        path = root / "notebooks" / f"{copy:02d}_empty.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        empty = nbformat.v4.new_notebook()
        empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(empty, path)
    empties = discover_notebooks(root)
    report = build_course(empties, [{}] * len(empties), root / "build", jobs=1, site=False)
    return statistics.median(result.seconds for result in report.results)


def _time_notebooks(notebooks: list[Notebook], floor: float, scratch: Path) -> bool:
    defaults: list[dict] = [{}] * len(notebooks)
    serial = build_course(notebooks, defaults, scratch / "serial", jobs=1, site=False)
    parallel = build_course(
        notebooks, defaults, scratch / "parallel", jobs=available_cores(), site=False
    )
    print(f"\nEach notebook, run serially (target: at most {NOTEBOOK_TARGET}x the floor)")
    width = max(len(nb.key) for nb in notebooks)
    for notebook, result in zip(notebooks, serial.results, strict=True):
        ratio = result.seconds / floor
        verdict = _verdict(ratio <= NOTEBOOK_TARGET) if result.ok else "FAILED to run"
        print(f"  {notebook.key:<{width}}  {result.seconds:6.2f} s  {ratio:5.2f}x  {verdict}")
        if result.ok and ratio > NOTEBOOK_TARGET:
            _print_slowest_cells(serial.location / result.notebook_relpath, result.seconds)
    ratio = parallel.seconds / serial.seconds
    print(
        f"\nWhole suite ({len(notebooks)} notebooks): serial {serial.seconds:.1f} s, parallel on "
        f"{available_cores()} cores {parallel.seconds:.1f} s, ratio {ratio:.2f} "
        f"(target: at most {PARALLEL_TARGET}): {_verdict(ratio <= PARALLEL_TARGET)}"
    )
    return _all_ok(serial) and _all_ok(parallel)


def _print_slowest_cells(executed_path: Path, seconds: float, count: int = 3) -> None:
    """Where a notebook's time went: its cells (papermill times each one), then the rest."""
    executed = nbformat.read(executed_path, as_version=4)
    timed = [
        (cell.metadata.get("papermill", {}).get("duration") or 0.0, number, cell.source)
        for number, cell in enumerate(executed.cells, start=1)
        if cell.cell_type == "code"
    ]
    in_cells = sum(duration for duration, _, _ in timed)
    print(
        f"      {len(timed)} code cells take {in_cells:.2f} s; the other "
        f"{seconds - in_cells:.2f} s is kernel start, papermill and the page export"
    )
    for duration, number, source in sorted(timed, reverse=True)[:count]:
        first_line = source.strip().splitlines()[0][:60] if source.strip() else ""
        print(f"      cell {number}: {duration:.2f} s  {first_line}")


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
