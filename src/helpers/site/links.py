"""Links between pages: checked, repaired where the intent is clear, reported where not.

Notebooks link to each other as files (``02_structure.ipynb``), which MyST turns into links to the
pages. A link to a file that does not exist would become a dead link (or, before the site, a raw
JSON download), so each markdown link is resolved against the pages and files of the site:

- a page or a data file of the site: left as it is;
- a notebook that does not exist, where the site has exactly one notebook of the same group and
  number (``exercises/00_start_here_exercises.ipynb`` -> ``exercises/00_demo_exercises.ipynb``):
  pointed there, and reported;
- anything else (a missing file, a file of the course that is not on the site): the link text
  stays, as text, and it is reported.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

# [text](target) or [text](target "title"), not ![image](...). Link text holds no brackets.
_LINK = re.compile(r'(?<!!)\[(?P<text>[^\[\]]*)\]\((?P<target>[^()\s]+)(?P<title>\s+"[^"]*")?\)')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_NUMBERED = re.compile(r"^(?P<group>.*/)?(?P<number>\d+)_[^/]*\.ipynb$")


@dataclass(frozen=True)
class LinkProblem:
    """A link that did not lead where it said; ``repaired_to``: where it leads now, if anywhere."""

    page: str
    target: str
    repaired_to: str | None
    reason: str

    def message(self) -> str:
        outcome = (
            f"linked to {self.repaired_to} instead" if self.repaired_to else "shown as plain text"
        )
        return f"{self.page}: the link to {self.target} {self.reason}; {outcome}."


def check_links(
    text: str, page: str, pages: Collection[str], files: Collection[str], course_root: Path
) -> tuple[str, list[LinkProblem]]:
    """``text`` (markdown of the page at ``page``) with its links checked; and what was wrong.

    ``pages`` are the site's documents and ``files`` its other files, as paths from the site's
    root (``notebooks/01_history.ipynb``, ``data/crises.csv``).
    """
    problems: list[LinkProblem] = []

    def replace(match: re.Match[str]) -> str:
        target = match.group("target")
        if target.startswith(("#", "/", "<")) or _SCHEME.match(target):
            return match.group(0)
        path, _, fragment = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if resolved in pages or resolved in files:
            return match.group(0)
        exists = (course_root / resolved).exists() and not resolved.startswith("..")
        reason = (
            "is to a file that is not part of the site"
            if exists
            else ("is to a file that does not exist")
        )
        repaired = None if exists else same_numbered(resolved, pages)
        if repaired is None:
            problems.append(LinkProblem(page, target, None, reason))
            return match.group("text")
        new_target = posixpath.relpath(repaired, posixpath.dirname(page) or ".")
        new_target += f"#{fragment}" if fragment else ""
        problems.append(LinkProblem(page, target, repaired, reason))
        return f"[{match.group('text')}]({new_target}{match.group('title') or ''})"

    return _LINK.sub(replace, text), problems


def same_numbered(path: str, pages: Collection[str]) -> str | None:
    """The one page in the same folder whose notebook has the same number as ``path``."""
    wanted = _NUMBERED.match(path)
    if wanted is None:
        return None
    folder = wanted.group("group") or ""
    matches = [
        page
        for page in pages
        if (found := _NUMBERED.match(page))
        and (found.group("group") or "") == folder
        and int(found.group("number")) == int(wanted.group("number"))
    ]
    return matches[0] if len(matches) == 1 else None
