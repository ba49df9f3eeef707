"""The teacher's settings for the course website, read from ``site.yaml`` in the course folder.

Only the launch buttons are set here: "open in JupyterHub" and "open in Binder" on every notebook
page, off unless a hub or Binder address is given. Both also need the address of the course's git
repository, which the hub pulls with nbgitpuller and Binder builds from. A missing file means the
defaults; a wrong value stops the build before any notebook runs, with the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

from helpers.runner.errors import RunnerInputError

SETTINGS_FILE = "site.yaml"
_LAUNCH_FIELDS = ("jupyterhub_url", "binderhub_url", "repository_url", "branch")
_MAX_BYTES = 64_000


@dataclass(frozen=True)
class SiteSettings:
    """Where the launch buttons lead; empty addresses mean no button."""

    jupyterhub_url: str = ""
    binderhub_url: str = ""
    repository_url: str = ""
    branch: str = "main"

    @property
    def launches(self) -> bool:
        return bool(self.jupyterhub_url or self.binderhub_url)


def read_settings(course_root: Path) -> SiteSettings:
    """The settings in ``course_root/site.yaml``; the defaults when there is no such file."""
    path = course_root / SETTINGS_FILE
    if not path.exists():
        return SiteSettings()
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise RunnerInputError(
                f"{path}: larger than {_MAX_BYTES} bytes; expected a short settings file."
            )
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RunnerInputError(f"{path}: cannot be read as UTF-8 YAML ({error}).") from None
    launch = data.get("launch", {}) if isinstance(data, dict) else None
    if not isinstance(launch, dict) or set(data) - {"launch"}:
        raise RunnerInputError(
            f"{path}: expected a mapping with one key, launch, holding {', '.join(_LAUNCH_FIELDS)}"
            f"; found {data!r}."
        )
    unknown = sorted(set(launch) - set(_LAUNCH_FIELDS))
    if unknown:
        raise RunnerInputError(
            f"{path}, field launch.{unknown[0]}: unknown; expected one of "
            f"{', '.join(_LAUNCH_FIELDS)}."
        )
    values = {name: _text(path, name, launch.get(name)) for name in _LAUNCH_FIELDS}
    for name in ("jupyterhub_url", "binderhub_url", "repository_url"):
        if values[name] and urlparse(values[name]).scheme not in ("http", "https"):
            raise RunnerInputError(
                f"{path}, field launch.{name}: got {values[name]!r}; expected an address "
                "starting with https:// (or http://)."
            )
    settings = SiteSettings(**{k: v for k, v in values.items() if v})
    if settings.launches and not settings.repository_url:
        raise RunnerInputError(
            f"{path}, field launch.repository_url: empty; a JupyterHub or Binder button needs "
            "the address of the course's git repository (for example "
            "https://github.com/your-school/csto-course)."
        )
    return settings


def _text(path: Path, name: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RunnerInputError(
            f"{path}, field launch.{name}: got {value!r}; expected text (an address or a name)."
        )
    return value.strip().rstrip("/") if name != "branch" else value.strip()
