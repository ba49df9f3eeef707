"""Install the course's JupyterLab settings and server configuration into an environment.

Two files ship in this package and are copied, under names of their own, to where JupyterLab
and Jupyter Server read an environment's defaults (never into a user's own settings, which keep
the last word):

- ``overrides.json`` -> ``<app dir>/settings/overrides.d/csto-course.json``: no "Jupyter news"
  pop-up and no update check, widget state not saved into notebooks;
- ``jupyter_server_config.json`` -> merged into ``<prefix>/etc/jupyter/jupyter_server_config.json``
  (Jupyter Server reads no folder of general settings; other keys of that file are kept): the
  contents manager of helpers.lab.contents (notebooks open unmodified and are saved without
  widget views).

``make lab`` runs it for the course's .venv before starting JupyterLab; a hub image runs the same
command once in its environment after installing the course (for example in binder/postBuild):
``python -m helpers.lab.settings install``. Both targets follow the environment (``sys.prefix``,
``JUPYTERLAB_DIR``), so nothing is written into a user's home.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from helpers.files import write_text_atomic

HERE = Path(__file__).parent
NAME = "csto-course.json"


def default_app_settings_dir() -> Path:
    """JupyterLab's application settings folder for this environment (respects JUPYTERLAB_DIR)."""
    from jupyterlab.commands import get_app_dir

    return Path(get_app_dir()) / "settings"


def default_config_dir() -> Path:
    """The environment's Jupyter configuration folder, read by every server started from it."""
    return Path(sys.prefix) / "etc" / "jupyter"


def install(app_settings_dir: Path | None = None, config_dir: Path | None = None) -> list[Path]:
    """Write both files (atomically; running it again changes nothing) and return their paths."""
    settings = app_settings_dir or default_app_settings_dir()
    server = (config_dir or default_config_dir()) / "jupyter_server_config.json"
    overrides = write_text_atomic(settings / "overrides.d" / NAME,
                                  (HERE / "overrides.json").read_text(encoding="utf-8"))
    config = _read_json(server)
    for section, values in _read_json(HERE / "jupyter_server_config.json").items():
        config.setdefault(section, {}).update(values)
    return [overrides, write_text_atomic(server, json.dumps(config, indent=2) + "\n")]


def _read_json(path: Path) -> dict:
    """A JSON settings file as a mapping ({} if absent); ValueError naming the file if broken."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: cannot be read as JSON settings ({error}).") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object of settings, "
                         f"found {type(data).__name__}.")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("install", help="write the settings into this environment")
    command.add_argument("--app-settings-dir", type=Path,
                         help="JupyterLab's application settings folder (default: this "
                              "environment's, <app dir>/settings)")
    command.add_argument("--config-dir", type=Path,
                         help="a Jupyter configuration folder (default: <prefix>/etc/jupyter)")
    args = parser.parse_args(argv)
    for path in install(args.app_settings_dir, args.config_dir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
