"""What the user sees while the course builds: a live line on a terminal, nothing in a log.

On a terminal the last line is rewritten in place to show which notebooks are running and which
cell each has reached, and each finished notebook leaves one line (``ok`` or ``FAILED``, in words,
not only colour). When stderr is a file or a pipe (CI, cron), rewritten lines would only be noise,
so the display stays silent and the closing summary on stdout says everything.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


class SilentProgress:
    """The display used when nobody is watching: receives the events and shows nothing."""

    wants_cells = False

    def cell(self, key: str, number: int, count: int) -> None:
        """A notebook reached cell ``number`` of ``count`` (0: its kernel is starting)."""

    def finished(self, key: str, ok: bool, seconds: float) -> None:
        """A notebook finished, well or not."""

    def close(self) -> None:
        """The build is over."""


class TerminalProgress(SilentProgress):
    """A one-line live display on a terminal, plus one permanent line per finished notebook."""

    wants_cells = True

    def __init__(self, total: int, stream: TextIO) -> None:
        self._stream = stream
        self._total = total
        self._done = 0
        self._running: dict[str, str] = {}
        self._finished: set[str] = set()
        self._start = time.monotonic()
        self._redraw()

    def cell(self, key: str, number: int, count: int) -> None:
        if key in self._finished:  # a late message from a worker; the notebook is done
            return
        self._running[key] = f"cell {number}/{count}" if number else "starting"
        self._redraw()

    def finished(self, key: str, ok: bool, seconds: float) -> None:
        self._running.pop(key, None)
        self._finished.add(key)
        self._done += 1
        status = "ok" if ok else "FAILED"
        self._stream.write(f"\r\x1b[K{status:<6} {key} ({seconds:.1f} s)\n")
        self._redraw()

    def close(self) -> None:
        self._stream.write("\r\x1b[K")
        self._stream.flush()

    def _redraw(self) -> None:
        elapsed = time.monotonic() - self._start
        running = ", ".join(f"{key} {where}" for key, where in self._running.items())
        if not running and self._done < self._total:
            running = "starting the worker processes"
        line = f"[{self._done}/{self._total} done, {elapsed:.0f} s] {running}"
        width = shutil.get_terminal_size().columns - 1
        self._stream.write("\r\x1b[K" + line[:width])
        self._stream.flush()


def progress_display(total: int, stream: TextIO | None = None) -> SilentProgress:
    """A live display if ``stream`` (stderr by default) is a terminal, else a silent one."""
    stream = stream or sys.stderr
    return TerminalProgress(total, stream) if stream.isatty() else SilentProgress()
