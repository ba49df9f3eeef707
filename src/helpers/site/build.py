"""Build the course website into a build folder that already holds the executed notebooks.

Sphinx runs in its own process (``python -m sphinx``), reading a prepared source folder in a
temporary place, so nothing of the sources or Sphinx's caches ends up in the build. Afterwards
every page and style sheet is scanned for anything that would be fetched from the network: such
a page fails the site, because in a classroom without network it would show nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from helpers.files import write_text_atomic
from helpers.runner.discovery import Notebook
from helpers.runner.errors import describe_error
from helpers.site.config import EXTRA_DIR, STATIC_DIR
from helpers.site.offline import find_remote_references, find_remote_references_in_css
from helpers.site.settings import SiteSettings
from helpers.site.sources import write_sources
from helpers.widget_views import strip_widget_views

INDEX_NAME = "index.html"
# Sphinx's own bookkeeping, useless to a reader and different from build to build.
_SPHINX_LEFTOVERS = (".buildinfo", ".buildinfo.bak", "_sources")
_CONF = """\
# Written for one build of the course website; every setting is in helpers.site.config.
from helpers.site.config import sphinx_config

globals().update(sphinx_config({settings}, has_tables={has_tables}))
"""


@dataclass(frozen=True)
class SiteReport:
    """How the site build went: its pages, what to tell the reader, and why it failed if it did."""

    seconds: float
    pages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def build_site(
    notebooks: Sequence[Notebook],
    build_dir: Path,
    course_root: Path,
    settings: SiteSettings | None = None,
) -> SiteReport:
    """Write the site into ``build_dir``, where the executed notebooks already are."""
    started = time.perf_counter()
    settings = settings or SiteSettings()
    with tempfile.TemporaryDirectory(prefix="csto-site-") as scratch:
        source = Path(scratch) / "source"
        try:
            problems = write_sources(notebooks, build_dir, course_root, source)
        except Exception as error:  # a damaged notebook or bank: the site fails, named
            return SiteReport(time.perf_counter() - started, failure=describe_error(error))
        (source / "conf.py").write_text(
            _CONF.format(
                settings=repr(settings.__dict__), has_tables=(source / EXTRA_DIR).is_dir()
            ),
            encoding="utf-8",
        )
        notes = [problem.message() for problem in problems]
        # Sphinx writes into the scratch folder, not the build: MyST-NB puts copies of the
        # notebooks beside its output folder, which would litter the course folder.
        html = Path(scratch) / "site" / "html"
        failure, warnings = _run_sphinx(source, html, Path(scratch))
        notes += warnings
        if failure is None:
            _move_into(html, build_dir)
            _portable_downloads(notebooks, build_dir)
    pages = site_pages(build_dir)
    if failure is None:
        failure = _remote_fetches(build_dir)
    return SiteReport(time.perf_counter() - started, pages, notes, failure)


def _portable_downloads(notebooks: Sequence[Notebook], build_dir: Path) -> None:
    """Make each page's download, the executed notebook, readable on any machine.

    Its widgets are stripped as JupyterLab saves them for the course: their saved state held
    what they showed on the machine that built the site (the hand-in line names its folder), and
    their views would read "model not found" in any JupyterLab. The pages are built first, from
    the views (a widget's note on its page depends on them)."""
    for notebook in notebooks:
        executed = build_dir / notebook.relpath
        content = nbformat.read(executed, as_version=4)
        before = nbformat.writes(content)
        strip_widget_views(content)
        after = nbformat.writes(content)
        if after != before:
            ran_at = executed.stat()
            write_text_atomic(executed, after)
            os.utime(executed, ns=(ran_at.st_atime_ns, ran_at.st_mtime_ns))  # still when it ran


def site_pages(build_dir: Path) -> list[str]:
    """The pages of a built site (paths from its root), not the theme's template files."""
    return sorted(
        path.relative_to(build_dir).as_posix()
        for path in build_dir.rglob("*.html")
        if path.relative_to(build_dir).parts[0] != STATIC_DIR
    )


def _move_into(source: Path, target: Path) -> None:
    """Move every file of ``source`` into ``target``, beside what is already there."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_dir() or relative.parts[0] in _SPHINX_LEFTOVERS:
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, destination)


def _run_sphinx(source: Path, output: Path, scratch: Path) -> tuple[str | None, list[str]]:
    warnings_file = scratch / "warnings.txt"
    command = [
        sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "1",
        "-d", str(scratch / "doctrees"), "-w", str(warnings_file), str(source), str(output),
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    warnings = _warnings(warnings_file, source)
    if finished.returncode != 0:
        lines = (finished.stderr or finished.stdout).strip().splitlines()
        reason = lines[-1] if lines else f"exit status {finished.returncode}"
        return f"Sphinx could not build the site: {reason.replace(str(source) + '/', '')}", warnings
    return None, warnings


def _warnings(path: Path, source: Path) -> list[str]:
    if not path.exists():
        return []
    prefix = str(source) + "/"
    return [
        line.replace(prefix, "").strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _remote_fetches(build_dir: Path) -> str | None:
    found = []
    for page in sorted(build_dir.rglob("*.html")):
        found += [
            f"{page.relative_to(build_dir)}: {reference}"
            for reference in find_remote_references(page.read_text(encoding="utf-8"))
        ]
    for sheet in sorted(build_dir.rglob("*.css")):
        found += [
            f"{sheet.relative_to(build_dir)}: {url}"
            for url in find_remote_references_in_css(sheet.read_text(encoding="utf-8"))
        ]
    if not found:
        return None
    return f"the site would fetch from the network: {'; '.join(found[:3])}"
