"""The hub image's environment (binder/), generated from the pins every laptop installs.

repo2docker, and so BinderHub and an admin building a JupyterHub single-user image, reads
``binder/requirements.txt`` and ``binder/runtime.txt``. Both are generated here from
``constraints.txt`` and ``pyproject.toml``, so the image and a laptop run the same versions:
the requirements are the course's dependencies plus its ``hub`` extra (the single-user server a
hub starts, and nbgitpuller), with every package they pull in, each at its pinned version; test
tools stay out. ``python -m helpers.hub.environment`` writes the files, ``--check`` says whether
they are current (the tests do the same in memory).
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers.files import write_text_atomic

REPO = Path(__file__).resolve().parents[3]
BINDER = "binder"
HUB_EXTRA = "hub"
# repo2docker builds Linux images; markers are evaluated for that platform, not the one running
# this, so a laptop on another system generates the same files.
IMAGE_PLATFORM = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}


class ImageEnvironmentError(ValueError):
    """The pins or the installed packages cannot describe the image (names what is missing)."""


@dataclass(frozen=True)
class Pin:
    name: str  # as constraints.txt writes it
    version: str


def read_pins(constraints: Path) -> dict[str, Pin]:
    """``name==version`` lines of constraints.txt by canonical name; anything else is an error."""
    pins: dict[str, Pin] = {}
    for number, raw in enumerate(constraints.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, separator, version = line.partition("==")
        if not separator or not name.strip() or not version.strip():
            raise ImageEnvironmentError(
                f"{constraints.name}, line {number}: {raw!r} is not an exact pin "
                "(expected name==version)."
            )
        pins[canonicalize_name(name)] = Pin(name.strip(), version.strip())
    return pins


def image_python(project: dict) -> str:
    """The Python of the image: the oldest one the course supports (``requires-python``)."""
    spec = project["project"]["requires-python"]
    lowest = spec.removeprefix(">=").split(",")[0].strip()
    if not spec.startswith(">=") or lowest.count(".") != 1:
        raise ImageEnvironmentError(
            f"pyproject.toml, requires-python = {spec!r}: expected a lower bound such as '>=3.11'."
        )
    return lowest


def image_roots(project: dict) -> list[Requirement]:
    """What the image installs by name: the course's dependencies and its ``hub`` extra."""
    extras = project["project"].get("optional-dependencies", {})
    if HUB_EXTRA not in extras:
        raise ImageEnvironmentError(
            f"pyproject.toml has no [project.optional-dependencies] {HUB_EXTRA!r}: expected the "
            "packages a hub's single-user image needs (jupyterhub, nbgitpuller)."
        )
    return [Requirement(text) for text in [*project["project"]["dependencies"], *extras[HUB_EXTRA]]]


def closure(roots: list[Requirement], python: str) -> dict[str, str]:
    """Every distribution the roots need on the image, by canonical name, with who needs it.

    Walks the metadata of the installed packages (the venv is installed from the same pins),
    following extras and evaluating markers for the image's Python and platform.
    """
    environment = {**IMAGE_PLATFORM, "python_version": python, "python_full_version": f"{python}.0"}
    needed: dict[str, str] = {}
    pending = [(requirement, "pyproject.toml") for requirement in roots]
    seen: set[tuple[str, str]] = set()
    while pending:
        requirement, parent = pending.pop()
        name = canonicalize_name(requirement.name)
        for extra in ["", *sorted(requirement.extras)]:
            if (name, extra) in seen:
                continue
            seen.add((name, extra))
            needed.setdefault(name, parent)
            try:
                requires = metadata.distribution(requirement.name).requires or []
            except metadata.PackageNotFoundError:
                raise ImageEnvironmentError(
                    f"{requirement.name} (needed by {parent}) is not installed here, so its own "
                    "dependencies cannot be read: run `make setup` first."
                ) from None
            for text in requires:
                child = Requirement(text)
                if child.marker is None or child.marker.evaluate({**environment, "extra": extra}):
                    pending.append((child, requirement.name))
    return needed


def requirements_text(pins: dict[str, Pin], needed: dict[str, str]) -> str:
    missing = sorted(name for name in needed if name not in pins)
    if missing:
        raise ImageEnvironmentError(
            "constraints.txt has no pin for " + ", ".join(
                f"{name} (needed by {needed[name]})" for name in missing
            ) + ": add the exact versions that `pip freeze` shows."
        )
    lines = [
        "# Generated from constraints.txt by `python -m helpers.hub.environment`: do not edit.",
        "# The course's dependencies and its hub extra, each at the version every laptop gets.",
        *(f"{pins[name].name}=={pins[name].version}" for name in sorted(needed)),
        "# The course itself (the helpers package), from the image's copy of this repository.",
        "-e .",
    ]
    return "\n".join(lines) + "\n"


def generated_files(repo: Path = REPO) -> dict[str, str]:
    """The text of each generated file of binder/, by path relative to the repository."""
    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    python = image_python(project)
    needed = closure(image_roots(project), python)
    needed.pop(canonicalize_name(project["project"]["name"]), None)
    pins = read_pins(repo / "constraints.txt")
    return {
        f"{BINDER}/requirements.txt": requirements_text(pins, needed),
        f"{BINDER}/runtime.txt": f"python-{python}\n",
    }


def stale_files(repo: Path = REPO) -> list[str]:
    """Generated files that are missing or differ from what the pins give."""
    stale = []
    for relative, text in generated_files(repo).items():
        path = repo / relative
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(relative)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.hub.environment", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--check", action="store_true",
                        help="only say whether binder/ matches constraints.txt (exit 1 if not)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = stale_files()
            for relative in stale:
                print(f"{relative} does not match constraints.txt: run "
                      "`python -m helpers.hub.environment` and commit the result.")
            return 1 if stale else 0
        for relative, text in generated_files().items():
            write_text_atomic(REPO / relative, text)
            print(f"wrote {relative}")
    except ImageEnvironmentError as error:
        print(f"helpers.hub.environment: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
