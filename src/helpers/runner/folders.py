"""The build folder: checked before anything runs, locked while a run writes it, published whole.

A run writes into a hidden staging folder beside the build folder and swaps it into place only
when it is complete, so nobody ever reads half a build. Around that swap this module keeps three
promises:

- one run at a time per build folder: a lock file beside it (``filelock``); a second run stops at
  once with a one-line message instead of racing the first;
- a run deletes only files that a run wrote: every build lists its own files in its marker file,
  and anything else found in the folder it replaces (a user's notes, test screenshots) is carried
  into the new build, never deleted;
- nothing is left lying about: a run that fails or is interrupted removes its staging folder, and
  the folders a killed run left behind are cleaned up (the same way, user files kept) by the next.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import filelock

from helpers.runner.errors import RunnerInputError

# Marks a folder as a build, the only kind of folder a run may replace, and lists the files the
# run wrote (JSON: {"files": [...]}). Without it, a slip such as ``-o .`` or ``-o ~/Documents``
# would swap away the user's own files.
BUILD_MARKER = ".csto-run-build"
FAILED_SUFFIX = ".failed"
_STAGING = ".tmp-"
_RETIRED = ".old-"
_KEPT_SUFFIX = ".kept"
_CHOOSE_ANOTHER = "choose another with -o."


def failed_dir(output_dir: Path) -> Path:
    """Where a failed run keeps its executed notebooks, beside the untouched build."""
    return output_dir.with_name(output_dir.name + FAILED_SUFFIX)


def check_output_dir(output_dir: Path) -> None:
    """Refuse, in one line, any destination a build cannot or must not be written to."""
    blocking_file = next((p for p in output_dir.parents if p.exists() and not p.is_dir()), None)
    if blocking_file is not None:
        raise RunnerInputError(
            f"Output folder {output_dir}: {blocking_file} is a file, not a folder. Expected a "
            f"path inside folders you can write to; {_CHOOSE_ANOTHER}"
        )
    if output_dir.exists() and not output_dir.is_dir():
        raise RunnerInputError(
            f"Output folder {output_dir}: exists and is a file, not a folder. Expected a folder, "
            f"or a path that does not exist yet, to write the course into; {_CHOOSE_ANOTHER}"
        )
    for folder in (output_dir, failed_dir(output_dir)):
        if folder.is_dir() and not (folder / BUILD_MARKER).exists() and _has_entries(folder):
            raise RunnerInputError(
                f"Output folder {output_dir}: {folder} holds files that csto-run did not write "
                f"(it has no {BUILD_MARKER} file), and a build replaces that folder. Expected a "
                f"new or empty folder or an earlier build; {_CHOOSE_ANOTHER}"
            )


@contextlib.contextmanager
def build_lock(output_dir: Path) -> Iterator[None]:
    """Hold the build folder's lock for the whole run; refuse at once if another run holds it.

    The lock file sits beside the build folder (the folder itself is swapped away on publish).
    """
    _make_parent(output_dir)
    lock_path = output_dir.with_name(f".{output_dir.name}.lock")
    lock = filelock.FileLock(lock_path, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise RunnerInputError(
            f"Output folder {output_dir}: another csto-run is writing it now (it holds "
            f"{lock_path}). Expected one run at a time per folder; wait for it to finish or "
            f"{_CHOOSE_ANOTHER}"
        ) from None
    except OSError as error:
        raise _unwritable(output_dir, error) from error
    try:
        yield
    finally:
        lock.release()


def remove_leftovers(output_dir: Path) -> None:
    """Clean up after runs that were killed: their staging and retired folders.

    Called under the lock, so no other run is using them. A staging folder holds only what its
    run wrote; a retired folder may still hold a user's files, which are carried into the build.
    """
    parent = output_dir.parent
    for staging in parent.glob(f".{output_dir.name}{_STAGING}*"):
        shutil.rmtree(staging, ignore_errors=True)
    for retired in parent.glob(f".{output_dir.name}{_RETIRED}*"):
        for old in retired.iterdir():
            if (parent / old.name).is_dir():
                carry_user_files(old, parent / old.name)
            remove_written(old)
        with contextlib.suppress(OSError):
            retired.rmdir()


def make_staging(output_dir: Path) -> Path:
    """A fresh hidden folder beside ``output_dir`` to write the run into, marked as a build."""
    try:
        prefix = f".{output_dir.name}{_STAGING}"
        staging = Path(tempfile.mkdtemp(dir=output_dir.parent, prefix=prefix))
    except OSError as error:
        raise _unwritable(output_dir, error) from error
    staging.chmod(0o777 & ~_current_umask())  # mkdtemp makes it private; a build is not
    _write_manifest(staging, [])
    return staging


def publish(staging: Path, target: Path) -> list[str]:
    """Swap ``staging`` into place at ``target``, keeping every file no run wrote.

    Returns the user's files carried over (relative paths, where they now are). The old folder
    is moved aside first and emptied afterwards, so ``target`` is never half-written.
    """
    _write_manifest(staging, _files_under(staging))
    if not target.exists():
        os.replace(staging, target)
        return []
    prefix = f".{target.name.removesuffix(FAILED_SUFFIX)}{_RETIRED}"
    retired_parent = Path(tempfile.mkdtemp(dir=target.parent, prefix=prefix))
    retired = retired_parent / target.name
    os.replace(target, retired)
    os.replace(staging, target)
    kept = carry_user_files(retired, target)
    remove_written(retired)
    with contextlib.suppress(OSError):
        retired_parent.rmdir()
    return kept


def carry_user_files(old: Path, new: Path) -> list[str]:
    """Move every file of the build ``old`` that no run wrote into ``new``, at the same place.

    A file whose place is taken in ``new`` is kept beside it with a ``.kept`` suffix. Returns the
    places in ``new``, relative to it.
    """
    written = set(written_files(old))
    kept = []
    for path in sorted(old.rglob("*")):
        relative = path.relative_to(old).as_posix()
        is_file = path.is_symlink() or not path.is_dir()
        if not is_file or relative == BUILD_MARKER or relative in written:
            continue
        destination = _free_place(new, Path(relative))
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)
        kept.append(destination.relative_to(new).as_posix())
    return kept


def remove_written(folder: Path) -> None:
    """Delete the files a run wrote in ``folder``, then the folders left empty; nothing else."""
    if not folder.is_dir():
        return
    for relative in written_files(folder):
        path = folder / relative
        if path.is_file() or path.is_symlink():
            path.unlink()
    (folder / BUILD_MARKER).unlink(missing_ok=True)
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.rmdir()
    with contextlib.suppress(OSError):
        folder.rmdir()


def written_files(folder: Path) -> list[str]:
    """The files a run listed in the folder's marker (relative paths); none without a marker."""
    try:
        record = json.loads((folder / BUILD_MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return []
    except ValueError:
        record = None
    listed = record.get("files") if isinstance(record, dict) else None
    if not isinstance(listed, list):
        # A marker from before builds listed their files said "the next build replaces this
        # whole folder": everything in it counts as written by a run.
        return _files_under(folder)
    return [
        item
        for item in listed
        if isinstance(item, str) and ".." not in Path(item).parts and not Path(item).is_absolute()
    ]


def _write_manifest(folder: Path, files: list[str]) -> None:
    record = {
        "written_by": "csto-run",
        "note": "A build folder: the next run replaces the files listed here and keeps any other.",
        "files": files,
    }
    (folder / BUILD_MARKER).write_text(json.dumps(record, indent=0) + "\n", encoding="utf-8")


def _files_under(folder: Path) -> list[str]:
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if (path.is_symlink() or path.is_file()) and path.name != BUILD_MARKER
    )


def _free_place(root: Path, relative: Path) -> Path:
    """``root / relative``, or with ``.kept`` (``.kept-2``...) on the first part in the way."""
    parts = list(relative.parts)
    for depth in range(len(parts)):
        here = root.joinpath(*parts[: depth + 1])
        last = depth == len(parts) - 1
        taken = here.is_symlink() or (here.exists() and (last or not here.is_dir()))
        if taken:
            base, number = parts[depth], 1
            while here.exists() or here.is_symlink():
                number += 1
                suffix = _KEPT_SUFFIX if number == 2 else f"{_KEPT_SUFFIX}-{number - 1}"
                here = root.joinpath(*parts[:depth], base + suffix)
            parts[depth] = here.name
            break
    return root.joinpath(*parts)


def _has_entries(folder: Path) -> bool:
    return any(folder.iterdir())


def _make_parent(output_dir: Path) -> None:
    try:
        output_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _unwritable(output_dir, error) from error


def _unwritable(output_dir: Path, error: OSError) -> RunnerInputError:
    return RunnerInputError(
        f"Output folder {output_dir}: cannot write in {output_dir.parent} "
        f"({error.strerror or error}). Expected a folder you can write to; {_CHOOSE_ANOTHER}"
    )


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
