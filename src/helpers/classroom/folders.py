"""Finding files that students control: home folders on a hub, folders of uploads.

A student can put anything in their own folder: a symbolic link to another student's answers or
to a system file, a named pipe that would block a reader forever, a huge file, a folder the
teacher's account cannot open. Nothing here follows a link, and a folder that cannot be opened
is a sentence for the report, never the end of the run. The files found are read with
``helpers.bounded_read`` (regular files only, never blocking, links refused, at most
``MAX_FILE_BYTES``).
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

try:
    import pwd
except ImportError:  # not on Windows, where there are no hub home folders to collect from
    pwd = None

MAX_FILE_BYTES = 16_000_000  # a submission file holds all of a learner's sheets, a few kB each
_MAGIC = ("*", "?", "[")


def has_wildcards(text: str) -> bool:
    return any(mark in text for mark in _MAGIC)


def answers_folder_owner(folder: Path) -> str | None:
    """The user whose own answers folder this is (``<their home>/.csto-course/answers``), else
    None.

    On a hub each student saves into that folder of their own home, under the student id the hub
    sets to their user name; a sheet there naming another user was written by this folder's
    owner under someone else's id.
    """
    if pwd is None or (folder.name, folder.parent.name) != ("answers", ".csto-course"):
        return None
    try:
        owner = pwd.getpwuid(os.lstat(folder).st_uid)
    except (KeyError, OSError):
        return None
    home = Path(owner.pw_dir)
    return owner.pw_name if home.resolve() == folder.parent.parent.resolve() else None


def is_user(name: str) -> bool:
    """Whether ``name`` is a user of this machine (on a hub: a student with a home of their own)."""
    if pwd is None:
        return False
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@dataclass
class Expansion:
    """The folders a pattern names, and why others were not entered."""

    folders: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def expand_folders(pattern: str) -> Expansion:
    """Expand a glob such as ``/home/*/.csto-course/answers`` one part at a time.

    Unlike ``glob``, which silently skips what it cannot read, this reports every folder that
    cannot be listed or entered, every symbolic link met on the way (not followed: a student's
    link could point into another student's home), and each match missing the rest of the path
    (a student who has not saved an answer yet).
    """
    expansion = Expansion()
    path = Path(pattern).expanduser()
    parts = path.parts
    current = [Path(parts[0])] if path.is_absolute() else [Path(".")]
    rest = parts[1:] if path.is_absolute() else parts
    for depth, part in enumerate(rest):
        after_wildcard = any(has_wildcards(earlier) for earlier in rest[:depth])
        following: list[Path] = []
        for base in current:
            if has_wildcards(part):
                following += _matching_children(base, part, expansion)
            else:
                following += _child_folder(base, part, expansion, after_wildcard, rest[depth:])
        current = following
    expansion.folders = current
    return expansion


def _matching_children(base: Path, part: str, expansion: Expansion) -> list[Path]:
    try:
        with os.scandir(base) as entries:
            names = sorted((entry.name, entry) for entry in entries
                           if fnmatch.fnmatchcase(entry.name, part)
                           and (part.startswith(".") or not entry.name.startswith(".")))
    except OSError as error:
        expansion.problems.append(f"{base}: folder cannot be read ({error.strerror}); "
                                  "nothing in it is collected.")
        return []
    found = []
    for _, entry in names:
        if entry.is_symlink():
            expansion.problems.append(f"{entry.path}: symbolic link, not followed.")
        elif entry.is_dir(follow_symlinks=False):
            found.append(Path(entry.path))
    return found


def _child_folder(base: Path, part: str, expansion: Expansion, after_wildcard: bool,
                  remaining: tuple[str, ...]) -> list[Path]:
    child = base / part
    try:
        mode = os.lstat(child).st_mode
    except FileNotFoundError:
        if after_wildcard:
            expansion.missing.append(f"{base}: no {'/'.join(remaining)} (no answer saved yet).")
        else:
            expansion.problems.append(f"{child}: no such folder.")
        return []
    except OSError as error:
        expansion.problems.append(f"{base}: folder cannot be entered ({error.strerror}); "
                                  "nothing in it is collected.")
        return []
    if stat.S_ISLNK(mode):
        expansion.problems.append(f"{child}: symbolic link, not followed.")
        return []
    if not stat.S_ISDIR(mode):
        expansion.problems.append(f"{child}: not a folder.")
        return []
    return [child]
