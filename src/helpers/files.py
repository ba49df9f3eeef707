"""Atomic file writes: readers never see a half-written sheet, key, notebook or gradebook.

CSV files for teachers also have their formulas neutralised (``write_csv_atomic``): a student's
answer must never run as a formula when the gradebook is opened in a spreadsheet.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pandas as pd


def write_text_atomic(path: str | os.PathLike[str], text: str, mode: int | None = None) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    The temporary file sits beside the target so that the final rename stays on one file system,
    which is what makes it atomic; if anything fails, the old file is untouched. ``mode`` sets
    the file's permissions (0o600 for private files); by default an existing file keeps its own.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        os.chmod(temporary, _mode_for(target) if mode is None else mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def private_folder(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` (and its parents) if needed, and make it readable by its owner only.

    A folder that belongs to someone else is left as it is (the owner decides about it).
    """
    folder = Path(path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        folder.chmod(0o700)
    return folder


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual ones (the temporary file
    would otherwise stay readable by its owner only)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"), with the
# full-width forms some spreadsheets also accept.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# What may stand before a trigger and still leave the cell a formula: whitespace and quotes.
_LEAD_IN = " \t\r\n\f\v\"'\u00a0\u3000"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def neutralise_formula(text: str) -> str:
    """``text`` made safe to open in a spreadsheet: a leading single quote when it could start a
    formula (even after spaces or quotes); plain numbers such as -5 are left as they are."""
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    stripped = text.lstrip(_LEAD_IN)
    return "'" + text if stripped[:1] in FORMULA_TRIGGERS else text


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are neutralised; numbers, booleans
    and missing values keep their types, so a negative score stays a number."""
    safe = frame.copy()
    safe.columns = [neutralise_formula(name) if isinstance(name, str) else name
                    for name in safe.columns]
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if column.dtype == object or isinstance(
            column.dtype, pd.StringDtype | pd.CategoricalDtype
        ):
            safe.isetitem(position, column.astype(object).map(
                lambda cell: neutralise_formula(cell) if isinstance(cell, str) else cell
            ))
    return safe


def write_csv_atomic(path: str | os.PathLike[str], frame: pd.DataFrame) -> Path:
    """Write ``frame`` as CSV for teachers' spreadsheets: formulas neutralised, written atomically.

    Every CSV the course writes for people to open goes through here, so an answer such as
    ``=HYPERLINK(...)`` arrives in the spreadsheet as text, never as a formula that runs.
    """
    # RFC 4180 line ends: the csv writer then quotes any field holding a CR or LF of its own,
    # so a stray carriage return cannot start a new row.
    text = neutralised(frame).to_csv(index=False, lineterminator="\r\n")
    return write_text_atomic(path, text)
