"""Reading a file someone else supplied: a regular file only, never blocking, never too large.

Datasets come from analysts, parameter files from whoever runs the course, answer sheets and
submission files from students; any of them may name a named pipe (reading it waits forever), a
device (``/dev/zero`` never ends) or a file of gigabytes, and a student's folder may hold a
symbolic link to another student's answers. Every such file is read here, so each of those gives
a message instead.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class UnusableFile(ValueError):
    """A file that cannot be read safely, with what is there and what was expected instead.

    ``found`` describes the file (a named pipe, its size), never its content: the content of a
    file the user did not mean to share must not appear in a message.
    """

    def __init__(self, found: str | None, expected: str) -> None:
        super().__init__(
            f"expected {expected}" if found is None else f"found {found}; expected {expected}"
        )
        self.found = found
        self.expected = expected


def read_bounded(path: Path, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see ``read_bounded_file``)."""
    return read_bounded_file(path, limit, follow_symlinks=follow_symlinks)[0]


def read_bounded_file(
    path: Path, limit: int, *, follow_symlinks: bool = True
) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most ``limit`` bytes, and its status (size, times).

    The file is opened without blocking and checked once open, so a file swapped for a pipe after
    someone looked at it still cannot hang the reader; a file that grows while it is read is
    refused at ``limit + 1`` bytes rather than read to its end. With ``follow_symlinks=False`` a
    symbolic link is refused when it is opened (no gap between looking and opening in which a
    file could be swapped for a link).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if not follow_symlinks:
        flags |= os.O_NOFOLLOW
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise UnusableFile(None, "the file to exist") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL character in the path
        if not follow_symlinks and getattr(error, "errno", None) == errno.ELOOP:
            raise UnusableFile("a symbolic link", "a regular file") from None
        raise UnusableFile(None, f"a readable file ({reason(error)})") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnusableFile(kind_of_file(status.st_mode), "a regular file")
        if status.st_size > limit:
            raise UnusableFile(f"{status.st_size:,} bytes", f"a file of at most {limit:,} bytes")
        content = _read_at_most(descriptor, limit + 1)
    except OSError as error:
        raise UnusableFile(None, f"a readable file ({reason(error)})") from None
    finally:
        os.close(descriptor)
    if len(content) > limit:
        raise UnusableFile(f"more than {limit:,} bytes", f"a file of at most {limit:,} bytes")
    return content, status


def _read_at_most(descriptor: int, size: int) -> bytes:
    chunks, total = [], 0
    while total < size:
        chunk = os.read(descriptor, min(size - total, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def kind_of_file(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((word for test, word in kinds if test(mode)), "a special file")


def reason(error: BaseException) -> str:
    """The operating system's short reason for an error, without the path it names."""
    return getattr(error, "strerror", None) or type(error).__name__
