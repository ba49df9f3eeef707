"""Atomic file writes: readers never see a half-written sheet, key, notebook or gradebook."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def write_text_atomic(path: str | os.PathLike[str], text: str, *, private: bool = False) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    The temporary file sits beside the target so that the final rename stays on one file system,
    which is what makes it atomic; if anything fails, the old file is untouched. ``private``
    files (a learner's answers and id) are readable by their owner only, in folders created for
    the owner only: on a shared machine such as a hub, home folders are often readable by all.
    """
    target = Path(path)
    _make_folders(target.parent, PRIVATE_FOLDER if private else 0o777)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        os.chmod(temporary, PRIVATE_FILE if private else _mode_for(target))
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _make_folders(folder: Path, mode: int) -> None:
    """Create ``folder`` and its missing parents, each with ``mode`` (less the umask)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir(mode=mode, exist_ok=True)


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual ones (the temporary file
    would otherwise stay readable by its owner only)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
