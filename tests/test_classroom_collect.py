"""csto-collect: hub home folders, folders of submission files, Moodle and Canvas zips, and every
kind of bad input as a line of the report, never the end of the run."""

from __future__ import annotations

import errno
import json
import os
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpers.classroom import collect as collect_module
from helpers.classroom.collect import REPORT_NAME, collect, main
from helpers.classroom.errors import ClassroomError
from helpers.classroom.lms_zip import uploader_of
from helpers.classroom.submission import hand_in
from helpers.exercises.sheet import MAX_SHEET_BYTES, read_sheet
from tests.classroom_samples import (
    HALF_KEY,
    as_version_1,
    canvas_name,
    make_course,
    moodle_name,
    write_zip,
)


@pytest.fixture
def course(tmp_path):
    return make_course(tmp_path / "course")


def run(course, sources, out, roster=None):
    return collect([str(source) for source in sources], out, roster=roster,
                   banks_dir=str(course.banks))


def report_of(out: Path) -> str:
    return (out / REPORT_NAME).read_text(encoding="utf-8")


def home(tmp_path: Path, user: str) -> Path:
    return tmp_path / "home" / user / ".csto-course" / "answers"


def submission_bytes(course, tmp_path, student, exercises=("sample",), when=None) -> bytes:
    answers = tmp_path / "laptops" / student
    for exercise in exercises:
        course.save(student, answers, exercise)
    done = hand_in(student_id=student, answers_dir=answers, folder=tmp_path / "handed" / student,
                   banks_dir=course.banks, now=when)
    return done.path.read_bytes()


# --- hub home folders -------------------------------------------------------------------------

def test_hub_homes_from_a_glob_with_every_kind_of_trouble_reported(course, tmp_path, monkeypatch):
    for user in ("ana", "ben", "dan"):
        course.save(user, home(tmp_path, user))
    course.save("ana", home(tmp_path, "ana"), "extra")
    (tmp_path / "home" / "cat").mkdir()  # never opened an exercise notebook
    ana = home(tmp_path, "ana")
    (ana / "notes.txt").write_text("not a sheet", encoding="utf-8")
    (ana / ".sample__ana.json.lock").write_text("", encoding="utf-8")  # a sheet's lock file
    (ana / "broken.json").write_text("{", encoding="utf-8")
    os.mkfifo(ana / "pipe.json")  # would block a naive reader for ever
    (home(tmp_path, "ben") / "stolen.json").symlink_to(ana / "sample__ana.json")
    (tmp_path / "home" / "eve").symlink_to(tmp_path / "home" / "ana")
    real_scandir = os.scandir

    def scandir(path=".", *args):
        if not isinstance(path, int) and Path(path) == home(tmp_path, "dan"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path, *args)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "collected"
    result = run(course, [f"{tmp_path}/home/*/.csto-course/answers"], out)

    assert sorted(path.name for path in out.glob("*.json")) == [
        "extra__ana.json", "sample__ana.json", "sample__ben.json"]
    assert (result.sheets, result.students) == (3, 2)
    assert read_sheet(out / "sample__ben.json").student_id == "ben"
    report = report_of(out)
    for line in (
        f"- {tmp_path}/home/*/.csto-course/answers (3 folders): 4 files read, 3 answer sheets "
        "found in them.",
        f"- {ana}/broken.json is not valid JSON",
        f"- {ana}/notes.txt: not a .json file",
        f"- {ana}/pipe.json: not read (found a named pipe; expected a regular file).",
        f"- {home(tmp_path, 'ben')}/stolen.json: symbolic link, not followed.",
        f"- {tmp_path}/home/eve: symbolic link, not followed.",
        f"- {home(tmp_path, 'dan')}: folder cannot be read (Permission denied); nothing in it "
        "is collected.",
        f"- {tmp_path}/home/cat: no .csto-course/answers (no answer saved yet).",
    ):
        assert line in report, line
    hidden = sum(path.name.startswith(".") for user in ("ana", "ben")  # the folders read
                 for path in home(tmp_path, user).iterdir())
    assert hidden >= 1
    assert (f"- {tmp_path}/home/*/.csto-course/answers: {hidden} hidden file"
            f"{'s' if hidden > 1 else ''} skipped (the lock and temporary files of answer "
            "sheets).") in report


def test_a_home_folder_that_cannot_be_entered_is_a_line(course, tmp_path, monkeypatch):
    course.save("ana", home(tmp_path, "ana"))
    (tmp_path / "home" / "dan").mkdir()
    real_lstat = os.lstat

    def lstat(path, *args, **kwargs):
        if not isinstance(path, int) and Path(path).parent == tmp_path / "home" / "dan":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", lstat)
    out = tmp_path / "collected"
    run(course, [f"{tmp_path}/home/*/.csto-course/answers"], out)
    assert (out / "sample__ana.json").is_file()
    assert (f"- {tmp_path}/home/dan: folder cannot be entered (Permission denied); nothing in "
            "it is collected.") in report_of(out)


def test_two_sheets_without_saved_times_the_hand_in_time_against_the_file_time(course, tmp_path):
    """Version-1 sheets record no attempt times: a submission's hand-in time and a file's time
    decide instead, and the report says which time each one had."""
    older = course.save("ana", home(tmp_path, "ana"), answers=HALF_KEY)
    as_version_1(older)
    os.utime(older, (1_700_000_000, 1_700_000_000))  # 2023-11-14 22:13:20 UTC
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    laptop = tmp_path / "laptop"
    as_version_1(course.save("ana", laptop))
    handed = hand_in(student_id="ana", answers_dir=laptop, folder=uploads,
                     banks_dir=course.banks, now=datetime(2024, 3, 1, 9, 30, tzinfo=UTC))
    out = tmp_path / "collected"
    run(course, [home(tmp_path, "ana"), uploads], out)
    kept = read_sheet(out / "sample__ana.json")
    assert len(kept.answers) == 8, "the later, complete sheet is kept"
    assert kept.legacy_bank_version == "000000000000", "kept as the learner's file had it"
    report = report_of(out)
    assert (f"- student 'ana', exercise sample: kept {handed.path} (sheet 1) (hand-in time "
            f"2024-03-01 09:30:00 UTC); also found {older} (file time 2023-11-14 22:13:20 "
            "UTC).") in report
    assert (f"- {older}: saved before questions had versions (answer sheet schema version 1, "
            "exercise version 000000000000); collected as it is, and csto-grade checks its "
            "answers against the current questions.") in report


def test_the_time_a_sheet_records_decides_which_is_latest(course, tmp_path):
    """Sheets record each attempt's UTC time (schema version 2): the latest attempt decides,
    whatever the file's time or the hand-in time say."""
    recent = course.save("ana", home(tmp_path, "ana"), answers=HALF_KEY,
                         at="2025-03-02T08:00:00Z")
    os.utime(recent, (1_600_000_000, 1_600_000_000))  # an old file: by file time it would lose
    earlier = course.save("ana", tmp_path / "copied", at="2025-03-01T08:00:00Z")
    laptop = tmp_path / "laptop"
    course.save("ana", laptop, at="2025-02-28T08:00:00Z")
    handed = hand_in(student_id="ana", answers_dir=laptop, folder=tmp_path / "uploads",
                     banks_dir=course.banks, now=datetime(2025, 3, 5, 12, 0, tzinfo=UTC))
    out = tmp_path / "collected"
    run(course, [home(tmp_path, "ana"), tmp_path / "copied", tmp_path / "uploads"], out)
    assert set(read_sheet(out / "sample__ana.json").answers) == set(HALF_KEY)
    assert (f"- student 'ana', exercise sample: kept {recent} (saved time in the sheet "
            f"2025-03-02 08:00:00 UTC); also found {handed.path} (sheet 1) (saved time in the "
            f"sheet 2025-02-28 08:00:00 UTC); {earlier} (saved time in the sheet 2025-03-01 "
            "08:00:00 UTC).") in report_of(out)


def test_unknown_exercise_and_other_json_are_reported(course, tmp_path):
    folder = home(tmp_path, "ana")
    path = course.save("ana", folder)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["bank"] = "99_unknown"
    (folder / "99_unknown__ana.json").write_text(json.dumps(data), encoding="utf-8")
    (folder / "settings.json").write_text('{"theme": "dark"}', encoding="utf-8")
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    out = tmp_path / "collected"
    run(course, [folder], out)
    report = report_of(out)
    assert (f"- {folder}/99_unknown__ana.json: answer sheet of an unknown exercise "
            "'99_unknown' (this course has extra, sample); not collected.") in report
    assert f"- {folder}/settings.json is not a CSTO answer sheet" in report
    assert f"- {folder}/deep.json" in report
    assert [path.name for path in out.glob("*.json")] == ["sample__ana.json"]


# --- submission files -------------------------------------------------------------------------

def test_a_folder_of_submission_files(course, tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    for student in ("ana", "ben"):
        (uploads / f"csto-submission-{student}.json").write_bytes(
            submission_bytes(course, tmp_path, student, exercises=("sample", "extra")))
    bad = json.loads((uploads / "csto-submission-ben.json").read_text(encoding="utf-8"))
    bad["sheets"][0]["student_id"] = "ana"
    bad["student_id"] = "ben"
    (uploads / "ben-sneaky.json").write_text(json.dumps(bad), encoding="utf-8")
    (uploads / "old-format.json").write_text(json.dumps({**bad, "schema_version": 9}),
                                             encoding="utf-8")
    out = tmp_path / "collected"
    result = run(course, [uploads], out)
    assert sorted(path.name for path in out.glob("*.json")) == [
        "extra__ana.json", "extra__ben.json", "sample__ana.json", "sample__ben.json"]
    assert result.students == 2
    report = report_of(out)
    assert (f"- {uploads}/ben-sneaky.json (sheet 1): the submission of 'ben' holds a sheet of "
            "student 'ana'; not collected.") in report
    assert (f"- {uploads}/old-format.json has submission schema version 9; this course reads "
            "version 1.") in report


def test_a_sheet_over_the_kits_size_cap_is_not_collected_even_inside_a_submission(
        course, tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    data = json.loads(submission_bytes(course, tmp_path, "ana"))
    data["sheets"][0]["padding"] = "x" * MAX_SHEET_BYTES  # the schema allows other fields
    (uploads / "csto-submission-ana.json").write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "collected"
    run(course, [uploads], out)
    assert not list(out.glob("*.json"))
    assert re.search(rf"- {re.escape(str(uploads))}/csto-submission-ana.json \(sheet 1\): not "
                     rf"read \(found [0-9,]+ bytes; expected an answer sheet of at most "
                     rf"{MAX_SHEET_BYTES:,} bytes\)\.", report_of(out))


# --- LMS downloads ----------------------------------------------------------------------------

def roster(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("id,name,email,lms_id\n" + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize("folders", [True, False], ids=["in-folders", "flat"])
def test_moodle_download_all_submissions(course, tmp_path, folders):
    ana = submission_bytes(course, tmp_path, "ana")
    ben = submission_bytes(course, tmp_path, "ben")
    archive = write_zip(tmp_path / "moodle.zip", {
        moodle_name("Ana Doe", 40001, "csto-submission-ana.json", folders): ana,
        moodle_name("Ben Roe", 40002, "csto-submission-ben.json", folders): ben,
        moodle_name("Ben Roe", 40002, "essay.pdf", folders): b"%PDF-1.4",
        moodle_name("Cy Poe", 40003, "csto-submission-ana.json", folders): ana,
    })
    out = tmp_path / "collected"
    run(course, [archive], out, roster=roster(tmp_path, "ana,Ana Doe,,40001\n"
                                                        "ben,Ben Roe,,40002\n"
                                                        "cy,Cy Poe,,40003\n"))
    assert sorted(path.name for path in out.glob("*.json")) == ["sample__ana.json",
                                                                "sample__ben.json"]
    report = report_of(out)
    cy = moodle_name("Cy Poe", 40003, "csto-submission-ana.json", folders)
    assert (f"- moodle.zip: {cy} (sheet 1): uploaded by Moodle user 40003 (Cy Poe), who is 'cy' "
            "on the roster, but the sheet is student 'ana''s") in report
    assert (f"- moodle.zip: {moodle_name('Ben Roe', 40002, 'essay.pdf', folders)}: not a .json "
            "file") in report
    assert "- cy (Cy Poe)" in report  # on the roster, nothing collected


def test_canvas_download_submissions_with_late_and_reuploaded_files(course, tmp_path):
    ana = submission_bytes(course, tmp_path, "ana")
    ben = submission_bytes(course, tmp_path, "ben")
    zoe = submission_bytes(course, tmp_path, "zoe")
    archive = write_zip(tmp_path / "canvas.zip", {
        canvas_name("doeana", 7001, 90001, "csto-submission-ana.json"): ana,
        canvas_name("roeben", 7002, 90002, "csto-submission-ben-1.json", late=True): ben,
        canvas_name("zoe", 7009, 90009, "csto-submission-zoe.json"): zoe,
    })
    out = tmp_path / "collected"
    run(course, [archive], out, roster=roster(tmp_path, "ana,\"Doe, Ana\",,7001\n"
                                                        "ben,\"Roe, Ben\",,7002\n"))
    assert sorted(path.name for path in out.glob("*.json")) == [
        "sample__ana.json", "sample__ben.json", "sample__zoe.json"]
    report = report_of(out)
    assert ("- Canvas user 7009 (zoe) is not in the roster's lms_id column: their sheets are "
            "filed under the student id written in them.") in report
    assert "- student 'zoe' (first seen in canvas.zip: zoe_7009_90009_" in report


@pytest.mark.parametrize(("member", "system", "lms_id", "shown_as"), [
    ("Ana Doe_40001_assignsubmission_file_/sub/x.json", "Moodle", "40001", "Ana Doe"),
    ("Participant_40001_assignsubmission_file_x.json", "Moodle", "40001", "Participant"),
    ("Group A-Ana Doe_40001_assignsubmission_onlinetext_/onlinetext.html", "Moodle", "40001",
     "Group A-Ana Doe"),
    ("doeana_7001_90001_csto-submission-ana.json", "Canvas", "7001", "doeana"),
    ("doeana_LATE_7001_90001_x_1_2.json", "Canvas", "7001", "doeana, late"),
    ("7001_90001_x.json", "Canvas", "7001", "anonymous"),
])
def test_lms_member_names_give_the_uploader(member, system, lms_id, shown_as):
    uploader = uploader_of(member)
    assert (uploader.system, uploader.lms_id, uploader.shown_as) == (system, lms_id, shown_as)


def test_plain_member_names_have_no_uploader():
    assert uploader_of("csto-submission-ana.json") is None
    assert uploader_of("answers/sample__ana.json") is None


def mark_encrypted(archive: Path, member: str) -> None:
    """Set the "encrypted" flag of one entry, in its local header and the central directory
    (Python's zipfile cannot write encrypted entries)."""
    data = bytearray(archive.read_bytes())
    name = member.encode()
    for signature, name_length_at, name_at, flags_at in ((b"PK\x03\x04", 26, 30, 6),
                                                         (b"PK\x01\x02", 28, 46, 8)):
        start = data.find(signature)
        while start != -1:
            length = int.from_bytes(data[start + name_length_at:start + name_length_at + 2],
                                    "little")
            if data[start + name_at:start + name_at + length] == name:
                data[start + flags_at] |= 0x1
            start = data.find(signature, start + 4)
    archive.write_bytes(bytes(data))


def test_zips_that_are_not_zips_or_hold_junk_bombs_traversal_and_links(course, tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "fake.zip").write_bytes(b"this is not a zip")
    ana = submission_bytes(course, tmp_path, "ana")
    archive = uploads / "canvas.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(canvas_name("doeana", 7001, 1, "csto-submission-ana.json"), ana)
        zipped.writestr("../../escape.json", ana)
        zipped.writestr("/etc/cron.d/evil.json", ana)
        zipped.writestr("bomb.json", b"0" * 20_000_000)
        zipped.writestr("inner.zip", b"PK")
        zipped.writestr("notes.txt", b"hello")
        link = zipfile.ZipInfo("link.json")
        link.external_attr = (0o120777 << 16)
        zipped.writestr(link, "/etc/passwd")
        zipped.writestr("locked.json", b"{}")
    mark_encrypted(archive, "locked.json")
    out = tmp_path / "collected"
    run(course, [uploads], out)
    assert [path.name for path in out.glob("*.json")] == ["sample__ana.json"]
    report = report_of(out)
    for line in (
        f"- {uploads}/fake.zip: not a zip file, or a damaged one; nothing in it is collected.",
        "- canvas.zip: ../../escape.json: its name climbs out of the archive with '..' (path "
        "traversal); skipped.",
        "- canvas.zip: /etc/cron.d/evil.json: its name is an absolute path; skipped.",
        "- canvas.zip: bomb.json: unpacks to 20,000,000 bytes (packed",
        "the mark of a zip bomb); a sheet or submission is at most 16,000,000; skipped.",
        "- canvas.zip: inner.zip: a zip inside the zip is not opened",
        "- canvas.zip: notes.txt: not a .json file",
        "- canvas.zip: link.json: a symbolic link; skipped.",
        "- canvas.zip: locked.json: encrypted; skipped.",
    ):
        assert line in report, line
    assert not (tmp_path / "escape.json").exists()


def test_a_member_that_lies_about_its_size_is_stopped_at_the_recorded_size(course, tmp_path):
    archive = tmp_path / "lying.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("big.json", b" " * 17_000_000)
    data = bytearray(archive.read_bytes())
    recorded = (17_000_000).to_bytes(4, "little")
    small = (1_000).to_bytes(4, "little")
    data = data.replace(recorded, small)  # local header and central directory both lie
    archive.write_bytes(bytes(data))
    out = tmp_path / "collected"
    run(course, [archive], out)
    assert ("- lying.zip: big.json: cannot be unpacked (Bad CRC-32 for file 'big.json'); "
            "skipped.") in report_of(out)
    assert not list(out.glob("*.json"))


# --- roster checks ----------------------------------------------------------------------------

def test_students_not_on_the_roster_and_roster_problems_are_listed(course, tmp_path):
    for user in ("ana", "zed"):
        course.save(user, home(tmp_path, user))
    out = tmp_path / "collected"
    run(course, [f"{tmp_path}/home/*/.csto-course/answers"], out,
        roster=roster(tmp_path, "ana,Ana,,\nana,Ana twice,,\nben,Ben,,\n"))
    assert (out / "sample__zed.json").is_file(), "collected all the same"
    report = report_of(out)
    assert ("Not on the roster (collected; csto-grade lists them) (1)\n- student 'zed' (first "
            f"seen in {home(tmp_path, 'zed')}/sample__zed.json).") in report
    assert "On the roster, but no sheet collected (1)\n- ben (Ben)" in report
    assert "- roster.csv, line 3: id 'ana' is already on line 2; this row is skipped." in report


# --- the output folder ------------------------------------------------------------------------

def test_an_earlier_collection_is_replaced_and_foreign_files_are_never_touched(course, tmp_path):
    course.save("ana", home(tmp_path, "ana"))
    out = tmp_path / "collected"
    run(course, [home(tmp_path, "ana")], out)
    course.save("ben", home(tmp_path, "ben"))
    run(course, [home(tmp_path, "ben")], out)
    assert [path.name for path in out.glob("*.json")] == ["sample__ben.json"]
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ClassroomError, match=r"holds files csto-collect did not write \(for "
                                             r"example 'my-notes.txt'\)"):
        run(course, [home(tmp_path, "ana")], out)
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["collected", "course", "home"]


def test_a_failed_run_leaves_nothing_half_written(course, tmp_path, monkeypatch):
    course.save("ana", home(tmp_path, "ana"))
    out = tmp_path / "collected"
    run(course, [home(tmp_path, "ana")], out)
    before = (out / "sample__ana.json").read_bytes()

    def crash(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(collect_module.Collector, "finish", crash)
    with pytest.raises(OSError):
        run(course, [home(tmp_path, "ana")], out)
    assert (out / "sample__ana.json").read_bytes() == before, "the earlier collection stays"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["collected", "course", "home"]


def test_the_command_prints_a_summary_and_fails_only_when_nothing_was_collected(
        course, tmp_path, capsys):
    course.save("ana", home(tmp_path, "ana"))
    (tmp_path / "junk.zip").write_bytes(b"junk")
    out = tmp_path / "collected"
    code = main([f"{tmp_path}/home/*/.csto-course/answers", str(tmp_path / "junk.zip"),
                 "--out", str(out), "--banks-dir", str(course.banks)])
    printed = capsys.readouterr().out
    assert code == 0
    assert printed.splitlines()[0] == f"Collected 1 answer sheet of 1 student into {out}."
    assert f"Report: {out / REPORT_NAME} (not collected: 1" in printed
    assert out.stat().st_mode & 0o777 == 0o700, "every student's answers: private to the teacher"
    assert main([str(tmp_path / "junk.zip"), "--out", str(tmp_path / "none"),
                 "--banks-dir", str(course.banks)]) == 1
    assert "Collected 0 answer sheets of 0 students" in capsys.readouterr().out
    assert main([str(tmp_path / "missing"), "--out", str(tmp_path / "x"), "--roster",
                 str(tmp_path / "no-roster.csv"), "--banks-dir", str(course.banks)]) == 1
    assert "csto-collect: Roster " in capsys.readouterr().err
