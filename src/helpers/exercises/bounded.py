"""Reading untrusted files within bounds: answer sheets from students, banks from colleagues.

Every limit here is far above what the course itself writes and far below what could exhaust a
hub: a file must be a regular file (not a link, and read without blocking on a FIFO) under a size
cap, is read up to that cap only, and JSON is refused before parsing when it nests too deep, and
while parsing when a number is absurdly long or not finite.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers.bounded_read import UnusableFile, read_bounded

MAX_JSON_DEPTH = 16
MAX_NUMBER_TEXT = 40  # characters of one JSON number (a float's repr needs at most 24)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # unrolled: no step per character
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class _Refused(Exception):
    """Raised from inside the JSON parser's hooks; turned into the caller's error type."""


def read_limited(path: Path, limit: int, error: Callable[[str], Exception]) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (helpers.bounded_read: no FIFO,
    device or folder, never blocking); ``error(reason)`` otherwise.

    A symbolic link is refused as well: in a folder of sheets it could point at /etc/passwd or
    at another user's files.
    """
    try:
        return read_bounded(path, limit, follow_symlinks=False)
    except UnusableFile as problem:
        raise error(f"cannot be used: {problem}") from None


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (strings skipped), without parsing it."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    steps = (1 if bracket in "[{" else -1 for bracket in brackets)
    return max(itertools.accumulate(steps, initial=0))


def _number(text: str) -> float | int:
    if len(text) > MAX_NUMBER_TEXT:
        raise _Refused(f"a number of {len(text):,} characters (at most {MAX_NUMBER_TEXT})")
    value = float(text) if any(mark in text for mark in ".eE") else int(text)
    if isinstance(value, float) and not math.isfinite(value):
        raise _Refused(f"a number too large to use ({text})")
    return value


def _constant(text: str) -> Any:
    raise _Refused(f"{text}, which is not a number JSON allows")


def load_json(text: str, error: Callable[[str], Exception],
              max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON that must nest at most ``max_depth`` deep, hold only ordinary numbers and
    only text that can be written as UTF-8."""
    depth = json_depth(text)
    if depth > max_depth:
        raise error(f"nests {depth:,} levels deep; expected at most {max_depth}")
    try:
        value = json.loads(text, parse_int=_number, parse_float=_number, parse_constant=_constant)
        # "\ud800" escapes parse, but could never be written out again (to a sheet, a CSV or a
        # page); only a text with a surrogate escape can hold one, so only such a text is checked
        if _SURROGATE_ESCAPE.search(text):
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        else:
            text.encode("utf-8")  # the same check, for text that did not come from UTF-8 bytes
        return value
    except UnicodeEncodeError:
        raise error("holds text that is not valid Unicode (an unpaired surrogate escape)") from None
    except _Refused as refused:
        raise error(f"holds {refused}") from None
    except json.JSONDecodeError as problem:
        raise error(f"is not valid JSON ({problem.msg} at line {problem.lineno}, column "
                    f"{problem.colno})") from None
    except RecursionError:  # only if the depth scan was fooled; never a traceback
        raise error("nests too deep") from None


def shown(value: object, limit: int = 80) -> str:
    """A short repr for messages: a hostile file must not flood the screen or the report."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
