"""Bulk downloads from an LMS: Moodle's "Download all submissions" and Canvas's "Download
Submissions" zip files, read without unpacking anything to disk.

How each system names what a student uploaded (so the uploader's LMS id can be read back):

- Moodle (assignment, file submissions): one folder per student and submission plugin,
  ``Full Name_NNN_assignsubmission_file_/csto-submission-s1042.json``, or, when the teacher
  turned "Download submissions in folders" off, the same prefix glued to the file name,
  ``Full Name_NNN_assignsubmission_file_csto-submission-s1042.json``. NNN is the student's
  participant number in that assignment; with anonymous submissions the name is "Participant".
- Canvas: flat file names ``sortablename_NNN_AAA_original-name.json``: the student's sortable
  name lowercased with punctuation removed, ``_late`` after it for a late submission, NNN the
  Canvas user id, AAA the attachment id, then the name the file had when it was uploaded (Canvas
  adds ``-1``, ``-2`` before the extension when a student uploads the same name again).

Anything else in the zip is read as a plain file with no LMS id (a zip the teacher made of a
folder of submissions). Unsafe entries are reported and skipped: names that climb out of the
archive or are absolute, symbolic links, encrypted entries, entries that unpack to more than a
sheet can be (zip bombs), and more entries or bytes in all than any class produces.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from helpers.classroom.folders import MAX_FILE_BYTES

MAX_MEMBERS = 100_000
MAX_TOTAL_BYTES = 1_000_000_000
BOMB_RATIO = 100
_MOODLE = re.compile(
    r"^(?P<name>[^/_]+)_(?P<lms_id>[0-9]+)_assignsubmission_(?P<plugin>[a-z0-9]+)_"
    r"(?:/(?P<inner>.+)|(?P<flat>[^/]+))$")
_CANVAS = re.compile(
    r"^(?:(?P<name>.*?)_)?(?P<late>late_)?(?P<lms_id>[0-9]+)_(?P<attachment>[0-9]+)_(?P<file>.+)$",
    re.IGNORECASE)


@dataclass(frozen=True)
class Uploader:
    """Who the LMS says uploaded a file: the system, the LMS id, and the name it shows."""

    system: str
    lms_id: str
    shown_as: str

    def describe(self) -> str:
        return f"{self.system} user {self.lms_id} ({self.shown_as})"


@dataclass(frozen=True)
class Member:
    """One file of the zip, read into memory, with its uploader when the name tells it."""

    name: str
    data: bytes
    time: datetime
    uploader: Uploader | None


def uploader_of(member_name: str) -> Uploader | None:
    """The LMS uploader encoded in a Moodle or Canvas member name; None for other names."""
    moodle = _MOODLE.match(member_name)
    if moodle:
        return Uploader("Moodle", moodle["lms_id"], moodle["name"])
    canvas = _CANVAS.match(member_name.rsplit("/", 1)[-1])
    if canvas:
        late = ", late" if canvas["late"] else ""
        return Uploader("Canvas", canvas["lms_id"], (canvas["name"] or "anonymous") + late)
    return None


def unsafe_name(member_name: str) -> str | None:
    """Why a member name is not safe to use as a path (None if it is)."""
    if "\x00" in member_name:
        return "its name holds a NUL character"
    if member_name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", member_name):
        return "its name is an absolute path"
    if ".." in re.split(r"[/\\]", member_name):
        return "its name climbs out of the archive with '..' (path traversal)"
    return None


def read_members(path: Path, problems: list[str]) -> Iterator[Member]:
    """Yield the .json members worth reading; append a sentence to ``problems`` for each other.

    Raises zipfile.BadZipFile (or OSError) only if ``path`` cannot be opened as a zip at all.
    """
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            problems.append(f"{path.name}: holds {len(infos):,} entries; only the first "
                            f"{MAX_MEMBERS:,} are read.")
        total = 0
        for info in infos[:MAX_MEMBERS]:
            where = f"{path.name}: {info.filename}"
            why = _refusal(info)
            if why:
                if why != "folder":
                    problems.append(f"{where}: {why}; skipped.")
                continue
            if total + info.file_size > MAX_TOTAL_BYTES:
                problems.append(f"{where}: the zip unpacks to more than {MAX_TOTAL_BYTES:,} "
                                "bytes in all; this entry and the rest are not read.")
                return
            try:
                with archive.open(info) as stream:
                    data = stream.read()  # zipfile stops at the recorded (checked) size
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError,
                    RuntimeError, OSError) as error:
                problems.append(f"{where}: cannot be unpacked ({error}); skipped.")
                continue
            total += len(data)
            yield Member(info.filename, data, datetime(*info.date_time, tzinfo=UTC),
                         uploader_of(info.filename))


def _refusal(info: zipfile.ZipInfo) -> str | None:
    """Why one entry is not read ("folder" for folder entries, which need no line)."""
    if info.is_dir():
        return "folder"
    unsafe = unsafe_name(info.filename)
    if unsafe:
        return unsafe
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link"
    if info.flag_bits & 0x1:
        return "encrypted"
    if info.file_size > MAX_FILE_BYTES:
        ratio = info.file_size / max(info.compress_size, 1)
        bomb = f" (packed {ratio:,.0f} to 1, the mark of a zip bomb)" if ratio > BOMB_RATIO else ""
        return (f"unpacks to {info.file_size:,} bytes{bomb}; a sheet or submission is at most "
                f"{MAX_FILE_BYTES:,}")
    lowered = info.filename.lower()
    if lowered.endswith(".zip"):
        return "a zip inside the zip is not opened (upload the submission file itself)"
    if not lowered.endswith(".json"):
        return "not a .json file (not an answer sheet or submission)"
    return None
