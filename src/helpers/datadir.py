"""Where the dataset lives, so that the whole suite can be pointed at an extended copy of data/."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from helpers.bounded_read import UnusableFile, kind_of_file, read_bounded, reason
from helpers.problems import brief

DATA_DIR_ENV = "CSTO_DATA_DIR"
_REPO_DATA = Path(__file__).resolve().parents[2] / "data"


class DataDirError(FileNotFoundError):
    """The chosen data directory does not exist or holds no data package."""


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory to use, checked to exist.

    The order is: the ``data_dir`` argument, then the ``CSTO_DATA_DIR`` environment variable,
    then the ``data/`` folder of this repository. An explicit choice that does not exist is an
    error rather than a silent fall-back, because an analyst who points at an extended copy must
    never get the original data without noticing.
    """
    if data_dir is not None and not isinstance(data_dir, str | os.PathLike):
        raise DataDirError(
            f"data_dir argument: {brief(data_dir)} is not a folder path. Expected the path of "
            "a copy of the course's data/ folder, or None for the course's own data."
        )
    if data_dir is not None:
        origin, chosen = "data_dir argument", Path(data_dir)
    elif os.environ.get(DATA_DIR_ENV):
        origin, chosen = f"environment variable {DATA_DIR_ENV}", Path(os.environ[DATA_DIR_ENV])
    else:
        origin, chosen = "default data folder", _REPO_DATA
    chosen = chosen.expanduser()
    if not chosen.is_dir():
        raise DataDirError(
            f"{origin}: {str(chosen)!r} is not a directory. Expected a folder holding "
            "datapackage.json and the CSV tables (a copy of the course's data/ folder)."
        )
    if not (chosen / "datapackage.json").is_file():
        raise DataDirError(
            f"{origin}: {str(chosen)!r} has no datapackage.json. Expected a copy of the "
            "course's data/ folder, which describes its tables in datapackage.json."
        )
    return chosen.resolve()


# Bounds on what the data package may hold. The course's own files are far below them (the largest
# table is a few dozen kilobytes); they exist so that a damaged or hostile file gives a message
# instead of filling the memory or running for hours.
MAX_TABLE_BYTES = 16 * 1024 * 1024
MAX_PACKAGE_BYTES = 32 * 1024 * 1024
MAX_DESCRIPTOR_BYTES = 8 * 1024 * 1024
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DRIVE = re.compile(r"^[A-Za-z]:")
_PLAIN_PART = re.compile(r"\w[\w .-]*")
PATH_EXPECTED = "a path inside the data folder, such as countries.csv or extra/units.csv"


def check_resource_path(name: object, suffix: str = ".csv") -> str:
    """A resource path from datapackage.json, if it is a plain relative path to a ``suffix`` file.

    No URL, no absolute path, no ``..``, no ``~`` or variables: the course reads nothing but the
    dataset's own files, and nothing from the network.
    """
    if not isinstance(name, str) or not name:
        raise UnusableFile(None, PATH_EXPECTED)
    if _URL.match(name) and not _DRIVE.match(name):
        raise UnusableFile(None, f"{PATH_EXPECTED}, not a URL (the course works offline)")
    if name.startswith(("/", "\\", "~")) or _DRIVE.match(name):
        raise UnusableFile(None, f"{PATH_EXPECTED}, not an absolute path")
    parts = name.split("/")
    if ".." in parts:
        raise UnusableFile(None, f"{PATH_EXPECTED}, without '..'")
    if not all(_PLAIN_PART.fullmatch(part) for part in parts):
        raise UnusableFile(
            None, f"{PATH_EXPECTED}: letters, digits, '_', '-', '.', spaces; '/' between folders"
        )
    if not name.lower().endswith(suffix):
        raise UnusableFile(None, f"a {suffix} file (the course reads each table as CSV)")
    return name


def data_file(directory: Path, name: object, suffix: str = ".csv") -> Path:
    """The regular file that resource path ``name`` names inside ``directory``.

    Besides :func:`check_resource_path`, the file must not be a link that leads out of the folder
    (its target is not named in the message) and must be a regular file.
    """
    checked = check_resource_path(name, suffix)
    try:
        resolved = (directory / checked).resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: a loop of links
        raise UnusableFile(None, f"a readable file ({reason(error)})") from None
    if not resolved.is_relative_to(directory.resolve()):
        raise UnusableFile(None, f"{PATH_EXPECTED}; it is a link to a file outside the folder")
    try:
        status = resolved.stat()
    except FileNotFoundError:
        raise UnusableFile(None, "the file to exist") from None
    except OSError as error:
        raise UnusableFile(None, f"a readable file ({reason(error)})") from None
    if not stat.S_ISREG(status.st_mode):
        raise UnusableFile(kind_of_file(status.st_mode), "a regular file")
    return resolved


def read_data_file(
    directory: Path, name: object, *, suffix: str = ".csv", limit: int | None = None
) -> bytes:
    """The bytes of a package file, checked by :func:`data_file` and read within the bounds."""
    if limit is None:
        limit = MAX_DESCRIPTOR_BYTES if suffix == ".json" else MAX_TABLE_BYTES
    return read_bounded(data_file(directory, name, suffix), limit)
