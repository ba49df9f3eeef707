"""Find the course notebooks, put them in reading order, and pick a subset by name or number.

The notebooks are discovered by glob rather than listed in code, so adding ``notebooks/08_x.ipynb``
needs no change here. Reading order interleaves each core notebook with its exercise notebook
(00, exercise 00, 01, exercise 01, ...), which is the order a learner works through them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from helpers.runner.errors import RunnerInputError
from helpers.runner.parameters import ParameterSpec, declared_parameters

GROUPS = ("notebooks", "exercises")
_NUMBER_PREFIX = re.compile(r"^(\d+)_(.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Notebook:
    """One notebook of the course, with what the runner needs to know before executing it."""

    root: Path
    group: str
    stem: str
    title: str
    parameters: dict[str, ParameterSpec]

    @property
    def key(self) -> str:
        """Short stable name used in messages and the summary, e.g. ``notebooks/03_members``."""
        return f"{self.group}/{self.stem}"

    @property
    def relpath(self) -> str:
        """Path relative to the course root; the build mirrors it."""
        return f"{self.key}.ipynb"

    @property
    def path(self) -> Path:
        return self.root / self.relpath

    @property
    def number(self) -> int | None:
        match = _NUMBER_PREFIX.match(self.stem)
        return int(match.group(1)) if match else None

    @property
    def is_exercise(self) -> bool:
        return self.group == "exercises"


def find_course_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``notebooks/``.

    Searching upwards lets ``csto-run`` work from any folder inside the project, as git does.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "notebooks").is_dir():
            return folder
    raise RunnerInputError(
        f"No notebooks/ folder in {start} or any folder above it. Run csto-run inside the course "
        "folder, or pass --root pointing at the folder that holds notebooks/ and exercises/."
    )


def discover_notebooks(root: Path) -> list[Notebook]:
    """Every notebook of the course under ``root``, in reading order."""
    root = root.resolve()
    found = [
        _describe(root, group, path.stem)
        for group in GROUPS
        for path in sorted((root / group).glob("*.ipynb"))
    ]
    if not found:
        raise RunnerInputError(
            f"No notebooks found: {root}/notebooks/*.ipynb and {root}/exercises/*.ipynb are empty."
        )
    return sorted(found, key=_reading_order)


def select_notebooks(notebooks: list[Notebook], selectors: list[str]) -> list[Notebook]:
    """The notebooks matching any selector, kept in reading order; all of them if none given.

    A selector is a number (``3`` or ``03``: the core notebook and its exercise notebook), a file
    stem (``03_members``), a stem without its number (``members``), or any of these after a group
    (``exercises/3``, ``notebooks/03_members.ipynb``). Every selector must match something, so a
    typo is reported instead of silently building less than asked.
    """
    if not selectors:
        return list(notebooks)
    unmatched = [s for s in selectors if not any(_matches(nb, s) for nb in notebooks)]
    if unmatched:
        available = ", ".join(nb.key for nb in notebooks)
        raise RunnerInputError(
            f"Unknown notebook {', '.join(repr(s) for s in unmatched)}. Expected a number, a name "
            f"or group/name of one of: {available}."
        )
    return [nb for nb in notebooks if any(_matches(nb, s) for s in selectors)]


def _matches(notebook: Notebook, selector: str) -> bool:
    text = selector.strip().replace("\\", "/").removesuffix(".ipynb")
    group, _, name = text.rpartition("/")
    if group and group.rstrip("/").split("/")[-1] != notebook.group:
        return False
    if name.isdigit():
        return notebook.number == int(name)
    match = _NUMBER_PREFIX.match(notebook.stem)
    return name == notebook.stem or (match is not None and name == match.group(2))


def _reading_order(notebook: Notebook) -> tuple[float, int, str]:
    number = notebook.number
    return (float("inf") if number is None else number, GROUPS.index(notebook.group), notebook.stem)


def _describe(root: Path, group: str, stem: str) -> Notebook:
    path = root / group / f"{stem}.ipynb"
    try:
        node = nbformat.read(path, as_version=4)
    except Exception as error:
        raise RunnerInputError(f"{path}: not a readable notebook ({error}).") from error
    return Notebook(root, group, stem, notebook_title(node, stem), declared_parameters(node, path))


def notebook_title(node: nbformat.NotebookNode, fallback: str) -> str:
    """The text of the first markdown heading, which is how the course names each notebook."""
    for cell in node.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = _HEADING.match(line)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback
