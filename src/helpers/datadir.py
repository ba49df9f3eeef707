"""Where the dataset lives, so that the whole suite can be pointed at an extended copy of data/."""

from __future__ import annotations

import os
from pathlib import Path

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
