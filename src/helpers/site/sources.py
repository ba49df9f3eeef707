"""The source folder Sphinx builds the site from: prepared copies, never the course's own files.

It mirrors the course's layout, so the notebooks' relative links keep working:

    index.md                     the home page: what the course is, where to start, the chapters
    notebooks/*.ipynb            executed notebooks, outputs in static form, code folded
    exercises/*.ipynb            the same, with each quiz shown as its questions (no answers)
    data/README.md               the dataset's codebook
    TERMS.md                     the licence terms
    guide/teachers_guide.md      the teacher's guide, when the course has one
    _extra/data/*.csv            the tables, copied as they are (linked from data questions)
    _static/plotly.min.js        the one copy of plotly.js that every figure uses
"""

from __future__ import annotations

import html
import posixpath
import shutil
import string
from collections.abc import Sequence
from pathlib import Path

import nbformat
import plotly.offline

from helpers.runner.discovery import Notebook
from helpers.site.config import COURSE_TITLE, EXTRA_DIR, STATIC_DIR
from helpers.site.links import LinkProblem, check_links
from helpers.site.outputs import fold_code, static_outputs
from helpers.site.questions import bank_for, questions_html
from helpers.site.sphinx_ext import PLOTLY_JS

# Course files that become pages of the site when they exist, with their titles in the home page.
REFERENCE_PAGES = {
    "data/README.md": "The dataset's codebook: every table and column",
    "guide/teachers_guide.md": "Teacher's guide",
    "TERMS.md": "Terms of use: the licences of the code, the text and the data",
}
_HOME = Path(__file__).with_name("home.md")
SCORE_NOTE = (
    '<p class="csto-widget-note">In JupyterLab, your score so far appears here when you run '
    "this cell.</p>"
)
_QUIZ_CALL = "load_quiz("
_SCORE_CALL = ".show_score("


def write_sources(
    notebooks: Sequence[Notebook], executed_dir: Path, course_root: Path, folder: Path
) -> list[LinkProblem]:
    """Write the site's source folder from the executed notebooks in ``executed_dir``; return
    the links that needed attention."""
    references = [page for page in REFERENCE_PAGES if (course_root / page).is_file()]
    tables = sorted((course_root / "data").glob("*.csv"))
    pages = ["index.md", *(nb.relpath for nb in notebooks), *references]
    files = [f"data/{table.name}" for table in tables]
    problems: list[LinkProblem] = []
    banks_dir = course_root / "exercises" / "banks"
    for notebook in notebooks:
        executed = nbformat.read(executed_dir / notebook.relpath, as_version=4)
        problems += _prepare_notebook(executed, notebook, pages, files, course_root, banks_dir)
        _write(folder / notebook.relpath, nbformat.writes(executed))
    for page in references:
        text = (course_root / page).read_text(encoding="utf-8")
        text, found = check_links(text, page, pages, files, course_root)
        problems += found
        _write(folder / page, text)
    _write(folder / "index.md", home_page(notebooks, references))
    for table in tables:
        _copy(table, folder / EXTRA_DIR / "data" / table.name)
    _write(folder / STATIC_DIR / PLOTLY_JS, plotly.offline.get_plotlyjs())
    return problems


def home_page(notebooks: Sequence[Notebook], references: Sequence[str]) -> str:
    """The home page: what the course is, where to start, the chapters and the reference pages."""
    first = notebooks[0]
    chapters = [nb for nb in notebooks if not nb.is_exercise]
    exercises = {nb.number: nb for nb in notebooks if nb.is_exercise}
    rows = [
        f"| [{_cell(nb.title)}]({nb.relpath}) | "
        + (f"[Exercises]({exercises[nb.number].relpath})" if nb.number in exercises else "")
        + " |"
        for nb in chapters
    ]
    table = "| Chapter | Exercises |\n| --- | --- |\n" + "\n".join(rows) if rows else ""
    reference = ""
    if references:
        listed = "\n".join(f"- [{REFERENCE_PAGES[page]}]({page})" for page in references)
        reference = f"## For reference\n\n{listed}"
    toctrees = _toctree("Chapters", [nb.relpath for nb in notebooks])
    if references:
        toctrees += "\n\n" + _toctree("Reference", references)
    return string.Template(_HOME.read_text(encoding="utf-8")).substitute(
        title=COURSE_TITLE,
        first_title=_cell(first.title),
        first_href=first.relpath,
        chapters=table,
        reference=reference,
        toctrees=toctrees,
    )


def _prepare_notebook(
    executed: nbformat.NotebookNode,
    notebook: Notebook,
    pages: Sequence[str],
    files: Sequence[str],
    course_root: Path,
    banks_dir: Path,
) -> list[LinkProblem]:
    static_outputs(executed)
    fold_code(executed)
    if notebook.is_exercise:
        _show_questions(executed, notebook, banks_dir)
    problems: list[LinkProblem] = []
    for cell in executed.cells:
        if cell.cell_type == "markdown":
            cell.source, found = check_links(
                cell.source, notebook.relpath, pages, files, course_root
            )
            problems += found
    return problems


def _show_questions(executed: nbformat.NotebookNode, notebook: Notebook, banks_dir: Path) -> None:
    """Put the bank's questions where the quiz's widgets were, and a note where the score was
    (a score of 0 before anyone answered says nothing)."""
    bank = bank_for(Path(notebook.relpath).name, banks_dir)
    if bank is None:
        return
    page = notebook.relpath.removesuffix(".ipynb") + ".html"
    for cell in executed.cells:
        if cell.cell_type != "code":
            continue
        if _QUIZ_CALL in cell.source:
            content = questions_html(bank, page, Path(notebook.relpath).name)
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": content})]
        elif _SCORE_CALL in cell.source:
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": SCORE_NOTE})]


def _toctree(caption: str, entries: Sequence[str]) -> str:
    lines = "\n".join(posixpath.splitext(entry)[0] for entry in entries)
    return f"```{{toctree}}\n:hidden:\n:caption: {caption}\n\n{lines}\n```"


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell and link text."""
    return html.escape(text).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _copy(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
