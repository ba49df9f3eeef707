"""Real Unix users for the tests that prove isolation: created when missing, removed afterwards.

Root reads and writes every file whatever its mode, so a permission can only be tested by running
as an ordinary user. When the tests themselves run as an ordinary user, they are that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SBIN = "/usr/sbin:/sbin:/usr/bin:/bin"
VENV_BIN = REPO / ".venv" / "bin"


def _tool(name: str) -> str:
    """User administration tools live in sbin, which is not on every PATH."""
    return shutil.which(name, path=f"{os.environ.get('PATH', '')}:{SBIN}") or name


def is_root() -> bool:
    return os.geteuid() == 0


def ensure_user(name: str) -> pwd.struct_passwd:
    """The user ``name``, created if missing, with a new home made as the system makes homes
    (whatever mode that gives: the course must not rely on it). One left behind by an
    interrupted run is removed first, so every run starts from the same state."""
    remove_user(name)
    subprocess.run([_tool("useradd"), "--create-home", "--shell", "/bin/bash", name],
                   check=True, capture_output=True, text=True)
    return pwd.getpwnam(name)


def remove_user(name: str) -> None:
    """Remove the user, its processes' leftovers and its home; a missing user is fine."""
    try:
        home = Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        return
    subprocess.run([_tool("pkill"), "-KILL", "-u", name], capture_output=True)
    subprocess.run([_tool("userdel"), "--remove", name], capture_output=True, text=True)
    shutil.rmtree(home, ignore_errors=True)


def as_user(name: str | None, command: Sequence[str]) -> list[str]:
    """``command`` run as ``name`` (through runuser, which needs root), or as it is."""
    return [_tool("runuser"), "-u", name, "--", *command] if name else list(command)


def run_as(name: str | None, command: Sequence[str], env: Mapping[str, str],
           cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command as a user with exactly ``env``; on failure the message carries its output."""
    done = subprocess.run(as_user(name, command), env=dict(env), cwd=cwd, capture_output=True,
                          text=True, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(
            f"{' '.join(command)} (as {name or 'the current user'}) exited with "
            f"{done.returncode}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
        )
    return done


def base_env(home: Path) -> dict[str, str]:
    """A clean environment, as a login gives: nothing of the test run's own settings leaks in."""
    return {
        "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
    }


def blocking_folders(paths: Sequence[Path]) -> list[Path]:
    """Folders on the way to ``paths`` that other users cannot pass (no search bit for others),
    such as a home folder holding the Python the .venv was made from."""
    blocking: list[Path] = []
    for path in paths:
        for folder in reversed(path.resolve().parents):
            if not folder.stat().st_mode & stat.S_IXOTH and folder not in blocking:
                blocking.append(folder)
    return blocking


def checkout_paths() -> list[Path]:
    """What a course user must reach: the venv's interpreter (and its standard library) and the
    checkout with the course's package."""
    return [(VENV_BIN / "python").resolve(), REPO / "src" / "helpers"]


@contextmanager
def passage_for(names: Sequence[str]) -> Iterator[None]:
    """Let ``names`` pass (search, not list) the folders that block them on the way to the venv
    and the checkout, with ACL entries for those users only, removed afterwards."""
    touched: list[tuple[Path, bool]] = []
    try:
        for folder in blocking_folders(checkout_paths()):
            extended = subprocess.run(
                [_tool("getfacl"), "--skip-base", "--absolute-names", "--omit-header", str(folder)],
                check=True, capture_output=True, text=True).stdout.strip()
            touched.append((folder, bool(extended)))
            for name in names:
                subprocess.run([_tool("setfacl"), "-m", f"u:{name}:x", str(folder)], check=True,
                               capture_output=True, text=True)
        yield
    finally:
        for folder, had_acl in touched:
            undo = [f"-x u:{name}" for name in names] if had_acl else ["-b"]
            for option in undo:
                subprocess.run([_tool("setfacl"), *option.split(), str(folder)],
                               capture_output=True)


def unusable_checkout(name: str | None) -> str | None:
    """Why ``name`` cannot run the project's .venv and package (None if it can)."""
    done = subprocess.run(
        as_user(name, [str(VENV_BIN / "python"), "-c", "import helpers.data"]),
        env={"PATH": "/usr/bin:/bin", "HOME": "/"}, capture_output=True, text=True,
    )
    if done.returncode == 0:
        return None
    return (f"user {name} cannot run {VENV_BIN / 'python'} with the course's package "
            f"({done.stderr.strip()[-300:]}); the folders on the way to the venv's Python and "
            "to the checkout must be searchable by that user.")
