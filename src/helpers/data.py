"""Load the course dataset: every table typed, validated once, and cached.

Notebooks call ``load_table("crises")`` and get a DataFrame whose columns already have the right
types (integers, booleans, categories for enumerated fields, and a ``<field>_dt`` timestamp beside
every date text), after the whole package has passed its checks. Validation runs once per version
of the files: in memory for the session, and on disk (a stamp keyed by the files' content) so that
the next notebook does not pay for it again.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import checks, datadir
from helpers import descriptor as package_descriptor
from helpers.bounded_read import UnusableFile
from helpers.datadir import read_data_file, resolve_data_dir
from helpers.descriptor import PACKAGE_FILE, PackageUnreadable, read_descriptor
from helpers.problems import DataValidationError, Problem, brief

__all__ = [
    "DataValidationError",
    "clear_cache",
    "load_all",
    "load_table",
    "split_ids",
    "table_names",
]

split_ids = checks.split_ids
CACHE_ENV = "CSTO_CACHE_DIR"
# Modules whose source decides whether a package passes: a change to any of them voids the stamps.
_RULES = (checks, datadir, package_descriptor)
# Table Schema's default spellings of true and false, used when a field names none.
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]


@dataclass
class _LoadedPackage:
    signature: tuple[tuple[str, int, int], ...]
    descriptor: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


_packages: dict[Path, _LoadedPackage] = {}


def table_names(data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the tables in the data package, in the order datapackage.json lists them."""
    package = _package(resolve_data_dir(data_dir))
    return [resource["name"] for resource in package.descriptor["resources"]]


def load_table(name: str, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return one table, typed and validated; a copy, so callers may modify it freely."""
    directory = resolve_data_dir(data_dir)
    package = _package(directory)
    if name not in package.tables:
        resources = {r["name"]: r for r in package.descriptor["resources"]}
        if name not in resources:
            raise KeyError(
                f"Unknown table {brief(name)} in {directory}. "
                f"Expected one of: {', '.join(resources)}."
            )
        package.tables[name] = _typed_table(directory, resources[name])
    return package.tables[name].copy()


def load_all(data_dir: str | os.PathLike[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every table by name; convenient for exploring the dataset as a whole."""
    return {name: load_table(name, data_dir) for name in table_names(data_dir)}


def clear_cache() -> None:
    """Forget loaded tables (the on-disk validation stamps stay valid for unchanged files)."""
    _packages.clear()


def _package(directory: Path) -> _LoadedPackage:
    """The validated package for a directory, re-checked whenever any of its files changes.

    The descriptor's shape is checked on every load (it is quick, and everything after it relies
    on it); the files' content only when no stamp says this exact content passed before.
    """
    cached = _packages.get(directory)
    if cached is not None and cached.signature == _signature(directory, cached.descriptor):
        return cached
    try:
        descriptor = read_descriptor(directory)
    except PackageUnreadable as unreadable:
        raise DataValidationError(str(directory), unreadable.problems) from None
    signature = _signature(directory, descriptor)
    stamp = _stamp_path(directory, descriptor)
    if stamp is None or not stamp.exists():
        problems = checks.check_package(directory, descriptor)
        if problems:
            raise DataValidationError(str(directory), problems)
        _touch(stamp)
    package = _LoadedPackage(signature, descriptor)
    _packages[directory] = package
    return package


def _signature(directory: Path, descriptor: dict[str, Any]) -> tuple[tuple[str, int, int], ...]:
    """Sizes and modification times: cheap to read, and they change whenever a file is edited."""
    names = [PACKAGE_FILE] + [str(r.get("path")) for r in descriptor["resources"]]
    signature = []
    for name in names:
        try:
            status = (directory / name).stat()
            signature.append((name, status.st_mtime_ns, status.st_size))
        except (OSError, ValueError):
            signature.append((name, -1, -1))
    return tuple(signature)


def _stamp_path(directory: Path, descriptor: dict[str, Any]) -> Path | None:
    """Where a 'this exact content passed these exact checks' stamp lives, or None if no cache.

    The key hashes every file of the package and the source of the rules, so an edited table or
    a changed rule always triggers a fresh validation. Files are read as the checks read them
    (inside the data folder, regular files, bounded), so a file that cannot be read that way has
    no stamp and the checks report it.
    """
    cache_root = _cache_root()
    if cache_root is None:
        return None
    digest = hashlib.sha256()
    for module in _RULES:
        digest.update(Path(module.__file__ or "").read_bytes())
    for name in [PACKAGE_FILE] + [r["path"] for r in descriptor["resources"]]:
        digest.update(name.encode())
        try:
            digest.update(read_data_file(directory, name, suffix=Path(name).suffix))
        except UnusableFile:
            return None
    return cache_root / f"{digest.hexdigest()}.ok"


def _cache_root() -> Path | None:
    chosen = os.environ.get(CACHE_ENV) or os.environ.get("XDG_CACHE_HOME")
    root = Path(chosen).expanduser() if chosen else Path.home() / ".cache"
    if not os.environ.get(CACHE_ENV):
        root = root / "csto-course"
    return root / "validated"


def _touch(stamp: Path | None) -> None:
    """Record a passed validation; a cache that cannot be written only costs time later."""
    if stamp is None:
        return
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:
        pass


def _typed_table(directory: Path, resource: dict[str, Any]) -> pd.DataFrame:
    """The table's rows, read as the checks read them, with each column typed from the schema.

    The rows passed the checks, so a value that does not convert means the files changed since;
    it is reported like any other problem rather than as a pandas traceback.
    """
    try:
        _, rows, _ = checks.read_table(directory, resource)
    except checks.TableUnreadable as unreadable:
        raise DataValidationError(str(directory), unreadable.problems) from None
    fields = resource["schema"]["fields"]
    names = [spec["name"] for spec in fields]
    raw = pd.DataFrame([[row[name] for name in names] for row in rows], columns=names, dtype=str)
    missing = resource["schema"].get("missingValues", [""])
    columns = {}
    for spec in fields:
        try:
            columns[spec["name"]] = _typed_column(raw[spec["name"]], spec, missing)
        except (ValueError, TypeError) as error:
            expected = f"values of type {spec.get('type', 'string')} ({error})"
            problem = Problem(resource["path"], None, spec["name"], None, expected)
            raise DataValidationError(str(directory), [problem]) from None
    table = pd.DataFrame(columns, index=raw.index)
    for spec in fields:
        name = spec["name"]
        if f"{name}_precision" in table.columns:
            position = table.columns.get_loc(f"{name}_precision") + 1
            table.insert(position, f"{name}_dt", _first_days(raw[name]))
    return table


def _typed_column(values: pd.Series, spec: dict[str, Any], missing: list[str]) -> pd.Series:
    kind = spec.get("type", "string")
    blank = values.isin(missing)
    if kind == "integer":
        return pd.to_numeric(values.mask(blank), errors="raise").astype("Int64")
    if kind == "number":
        return pd.to_numeric(values.mask(blank), errors="raise").astype("Float64")
    if kind == "boolean":
        truth = {v: True for v in spec.get("trueValues", TRUE_VALUES)}
        truth |= {v: False for v in spec.get("falseValues", FALSE_VALUES)}
        return values.mask(blank).map(truth).astype("boolean")
    enum = spec.get("constraints", {}).get("enum")
    if enum:
        return pd.Series(pd.Categorical(values.mask(blank), categories=enum), index=values.index)
    return values.mask(blank).astype("string")


def _first_days(values: pd.Series) -> pd.Series:
    """The first day of each stated period, for sorting and plotting; the text keeps precision."""
    return pd.to_datetime(values.map(checks.parse_date_text), errors="raise")
