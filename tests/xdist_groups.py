"""Which tests must run on the same pytest-xdist worker (``make test`` uses ``--dist loadgroup``).

A module- or session-scoped fixture of ours (a JupyterLab server, a whole-course build, a site)
is built once per worker that needs it, so every test using one (or using two that other tests
share) gets the same ``xdist_group``, and so do the cells of one notebook under nbval, which run
in order in one kernel, and so do the tests under a folder listed in ``MACHINE_WIDE`` (they
change the machine itself); the other tests spread freely over the workers. A fixture every
collected test uses is set aside: grouping by it would serialise the run.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version
from pathlib import Path

import pytest

# Folders whose tests change state of the whole machine, so two of them must never run at once.
MACHINE_WIDE = {
    "tests/hub/": "the hub tests create and remove Unix users of fixed names",
}


def assign_groups(items: list[pytest.Item]) -> None:
    """Mark each test that shares something expensive with an ``xdist_group``."""
    shared = {item: shared_fixtures(item) for item in items}
    everywhere = set.intersection(*shared.values()) if shared else set()
    everywhere = {name for name in everywhere if not name.endswith("*")}  # folders always count
    group_of = joined_groups([names - everywhere for names in shared.values()])
    for item, names in shared.items():
        if getattr(item, "_fixtureinfo", None) is None:  # an nbval cell
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
        elif names - everywhere:
            item.add_marker(pytest.mark.xdist_group(group_of[min(names - everywhere)]))


def shared_fixtures(item: pytest.Item) -> set[str]:
    """Instances of our module- and session-scoped fixtures that ``item`` uses (a session
    fixture by where it is defined, a module fixture, one instance per module, by the module),
    and the ``MACHINE_WIDE`` folder it is in, as ``folder/*``."""
    module = item.nodeid.split("::")[0]
    machine_wide = {f"{folder}*" for folder in MACHINE_WIDE if module.startswith(folder)}
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return machine_wide
    return machine_wide | {
        f"{module if definition.scope == 'module' else definition.baseid or '.'}::{name}"
        for name, definitions in info.name2fixturedefs.items()
        for definition in definitions[-1:]
        if definition.scope in {"session", "module"} and _ours(definition.func, item.config)
    }


def _ours(fixture: object, config: pytest.Config) -> bool:
    """Defined in this project's tests, not by a plugin (whose fixtures are cheap)."""
    try:
        path = Path(inspect.getfile(fixture)).resolve()  # type: ignore[arg-type]
    except TypeError:
        return False
    return path.is_relative_to(config.rootpath) and "site-packages" not in path.parts


def joined_groups(name_sets: list[set[str]]) -> dict[str, str]:
    """Each name's group: names used together are joined, transitively; a group is named after
    its smallest name, so every worker computes the same names."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    for names in filter(None, name_sets):
        first, *others = sorted(names)
        for name in [first, *others]:
            parent[root(name)] = root(first)
    smallest: dict[str, str] = {}
    for name in sorted(parent):
        smallest.setdefault(root(name), name)
    return {name: smallest[root(name)] for name in parent}


def check_grouping_works() -> None:
    """Refuse to start where pytest-xdist cannot keep the groups.

    pytest 9.2 keeps node ids in a structured field, so the suffix pytest-xdist 3.8 writes to a
    test's node id to carry its group no longer reaches the scheduler (pytest-xdist issue 1386):
    grouped tests would be spread silently, and nbval's cells would run in separate kernels.
    """
    pytest_version = _major_minor(pytest.__version__)
    xdist_version = _major_minor(version("pytest-xdist"))
    if pytest_version >= (9, 2) and xdist_version <= (3, 8):
        raise pytest.UsageError(
            f"pytest {pytest.__version__} with pytest-xdist {version('pytest-xdist')}: --dist "
            "loadgroup would spread grouped tests over the workers (pytest-xdist issue 1386). "
            "Install the pinned versions with make setup, or run without -n."
        )


def _major_minor(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int(minor)
