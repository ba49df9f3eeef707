"""``csto-run``: execute the course notebooks headlessly and build the course website from them.

Examples::

    csto-run                              # every notebook and exercise notebook into build/
    csto-run 3 05_timeline                # a subset, by number or by name
    csto-run -p country KAZ -p start_year 2010
    csto-run -f analysis.yaml -o build-kaz
    csto-run --list                       # the notebooks and the parameters each declares
    csto-run --no-site 3                  # executed notebooks only, no website

Exit status: 0 when every notebook ran, 1 when any failed, 2 for bad input (reported before
anything runs), 130 when interrupted with Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from helpers.runner.build import DEFAULT_CELL_TIMEOUT, available_cores, build_course
from helpers.runner.discovery import (
    Notebook,
    discover_notebooks,
    find_course_root,
    select_notebooks,
)
from helpers.runner.errors import RunnerInputError
from helpers.runner.parameters import (
    parameters_per_notebook,
    parse_cli_pairs,
    read_parameter_file,
)
from helpers.runner.progress import progress_display
from helpers.runner.summary import summary_table

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        root = args.root.resolve() if args.root else find_course_root(Path.cwd())
        selected = select_notebooks(discover_notebooks(root), args.notebooks)
        if args.list:
            print(_listing(selected))
            return EXIT_OK
        given = read_parameter_file(args.parameters_file) if args.parameters_file else {}
        given.update(parse_cli_pairs(args.parameter))
        per_notebook = parameters_per_notebook(selected, given)
        report = build_course(
            selected,
            per_notebook,
            args.output or root / "build",
            jobs=args.jobs,
            progress=progress_display(len(selected)),
            cell_timeout=args.timeout or None,
            site=not args.no_site,
        )
    except RunnerInputError as error:
        print(f"csto-run: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("\ncsto-run: interrupted; the earlier build, if any, is unchanged.", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(summary_table(report))
    return EXIT_OK if report.ok else EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csto-run",
        description="Execute the course notebooks with papermill (exercise notebooks blank) and "
        "build the course website from them (open build/index.html; it works offline).",
        epilog="Exit status: 0 all notebooks ran, 1 some failed, 2 bad input, 130 interrupted.",
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="run only these: a number (3: notebook 03 and its exercises), a name "
        "(03_members or members), or group/name (exercises/3). Default: all. The build then "
        "holds exactly the notebooks of this run.",
    )
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a parameter in every notebook that declares it; VALUE is read as YAML "
        "(2010, 0.5, true, KAZ, [ARM, KAZ]). Repeatable; overrides --parameters-file. "
        "Notebooks run in their own folder, so give paths (data_dir) as absolute paths.",
    )
    parser.add_argument(
        "-f",
        "--parameters-file",
        type=Path,
        metavar="YAML",
        help="a YAML file mapping parameter names to values",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="where to write the course (default: build/ in the course folder). A folder of "
        "your own is refused; files you add to a build folder are kept by the next build.",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=available_cores(),
        help="notebooks run at the same time (default: the number of cores, %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=_non_negative_int,
        default=DEFAULT_CELL_TIMEOUT,
        metavar="SECONDS",
        help="fail a notebook when one cell runs longer than this; 0 for no limit "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        help="the course folder holding notebooks/ and exercises/ (default: found from here)",
    )
    parser.add_argument(
        "--no-site",
        action="store_true",
        help="write the executed notebooks only, no website",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="list the selected notebooks and their parameters, run nothing",
    )
    return parser


def _listing(notebooks: Sequence[Notebook]) -> str:
    lines = []
    for notebook in notebooks:
        lines.append(f"{notebook.key}: {notebook.title}")
        declared = ", ".join(spec.declaration() for spec in notebook.parameters.values())
        lines.append(f"    parameters: {declared or 'none'}")
    return "\n".join(lines)


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return value


if __name__ == "__main__":
    sys.exit(main())
