"""Checks for notebook parameters, run in each notebook's first cells.

An analyst who runs a notebook headless with papermill should learn about a typo in a parameter
before anything is computed, from a message that names the parameter, the bad value and what is
allowed, not from a KeyError twenty cells later.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from helpers.datadir import DataDirError, resolve_data_dir
from helpers.problems import brief


class ParameterError(ValueError):
    """A notebook parameter has a value the notebook cannot use."""


def check_data_dir(data_dir: str | os.PathLike[str] | None) -> Path:
    """Resolve the ``data_dir`` parameter (None means the course's own data)."""
    try:
        return resolve_data_dir(data_dir)
    except DataDirError as error:
        shown = os.fspath(data_dir) if isinstance(data_dir, os.PathLike) else data_dir
        raise ParameterError(f"Parameter data_dir={brief(shown)} is not usable: {error}") from None


def check_choice(name: str, value: object, allowed: Iterable[str]) -> str:
    """A single value that must be one of a known set (a country code, a crisis id...)."""
    options = sorted(set(allowed))
    if not isinstance(value, str) or value not in options:
        raise ParameterError(
            f"Parameter {name}={brief(value)} is not allowed. Allowed values: {', '.join(options)}."
        )
    return value


def check_choices(name: str, values: object, allowed: Iterable[str]) -> list[str]:
    """A list of values from a known set; a single string is accepted as a list of one."""
    options = sorted(set(allowed))
    items = [values] if isinstance(values, str) else values
    if not isinstance(items, list | tuple) or not items:
        raise ParameterError(
            f"Parameter {name}={brief(values)} must be a non-empty list. Allowed values: "
            f"{', '.join(options)}."
        )
    bad = [item for item in items if item not in options]
    if bad:
        raise ParameterError(
            f"Parameter {name} has unknown value(s) {brief(bad)}. "
            f"Allowed values: {', '.join(options)}."
        )
    return list(items)


def check_flag(name: str, value: object) -> bool:
    """A true/false switch; "yes", 1 or "true" are refused rather than guessed at."""
    if not isinstance(value, bool):
        raise ParameterError(
            f"Parameter {name}={brief(value)} must be true or false (True or False)."
        )
    return value


def check_year_window(
    start_name: str, start: object, end_name: str, end: object, bounds: tuple[int, int]
) -> tuple[int, int]:
    """A window of whole years inside the years the data covers, in the right order."""
    low, high = bounds
    for name, value in ((start_name, start), (end_name, end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(
                f"Parameter {name}={brief(value)} must be a whole year between {low} and {high}."
            )
        if not low <= value <= high:
            raise ParameterError(
                f"Parameter {name}={brief(value)} is outside the years the data covers. "
                f"Allowed values: {low} to {high}."
            )
    if start > end:  # type: ignore[operator]
        raise ParameterError(
            f"Parameters {start_name}={start} and {end_name}={end} are reversed: "
            f"{start_name} must not be after {end_name}."
        )
    return int(start), int(end)  # type: ignore[arg-type]
