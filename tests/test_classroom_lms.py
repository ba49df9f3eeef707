"""Grades into the LMS: Canvas and Moodle import files from csto-grade, through the roster; and
the whole loop for a small class, sheets -> csto-collect -> csto-grade -> LMS files."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from helpers.classroom.collect import main as collect
from helpers.classroom.lms import LmsExport
from helpers.classroom.roster import read_roster
from helpers.classroom.submission import hand_in
from helpers.exercises.grading import main as grade
from tests.classroom_samples import (
    HALF_KEY,
    canvas_name,
    make_course,
    moodle_name,
    write_zip,
)

GRADEBOOK = pd.DataFrame({"student_id": ["ana", "ben", "zed"],
                          "extra": [50.0, None, 12.345], "sample": [100.0, 42.857, 0.0]})


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.endswith("\r\n"), "RFC 4180 line ends"
    return list(csv.DictReader(io.StringIO(text)))


def export(tmp_path: Path, roster_text: str | None, missing: str = "blank") -> LmsExport:
    roster = None
    if roster_text is not None:
        roster = tmp_path / "roster.csv"
        roster.write_text(roster_text, encoding="utf-8")
    args = type("Args", (), {"roster": roster, "canvas": tmp_path / "canvas.csv",
                             "moodle": tmp_path / "moodle.csv", "missing": missing})
    return LmsExport.from_args(args)


ROSTER = ("id,name,email,lms_id,section\n"
          "ben,\"Roe, Ben\",ben@uni.edu,7002,B\n"
          "ana,\"Doe, Ana\",ana@uni.edu,7001,A\n"
          "eve,Eve Poe,eve@uni.edu,7005,A\n")


def test_canvas_import_has_canvas_columns_points_possible_and_roster_order(tmp_path):
    lines = export(tmp_path, ROSTER).write(GRADEBOOK)
    rows = read_csv(tmp_path / "canvas.csv")
    assert list(rows[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                             "CSTO extra", "CSTO sample"]
    assert rows[0] == {"Student": "Points Possible", "ID": "", "SIS User ID": "",
                       "SIS Login ID": "", "Section": "", "CSTO extra": "100",
                       "CSTO sample": "100"}
    assert rows[1:] == [
        {"Student": "Roe, Ben", "ID": "7002", "SIS User ID": "", "SIS Login ID": "ben@uni.edu",
         "Section": "B", "CSTO extra": "", "CSTO sample": "42.86"},
        {"Student": "Doe, Ana", "ID": "7001", "SIS User ID": "", "SIS Login ID": "ana@uni.edu",
         "Section": "A", "CSTO extra": "50", "CSTO sample": "100"},
        {"Student": "Eve Poe", "ID": "7005", "SIS User ID": "", "SIS Login ID": "eve@uni.edu",
         "Section": "A", "CSTO extra": "", "CSTO sample": ""},
    ]
    assert "Not on the roster roster.csv (left out of the LMS files): zed." in lines
    assert "On the roster with no answer sheet at all: eve." in lines


def test_moodle_import_identifies_by_id_number_and_email(tmp_path):
    export(tmp_path, ROSTER, missing="zero").write(GRADEBOOK)
    rows = read_csv(tmp_path / "moodle.csv")
    assert list(rows[0]) == ["ID number", "Email address", "Full name", "CSTO extra",
                             "CSTO sample"]
    assert [list(row.values()) for row in rows] == [
        ["ben", "ben@uni.edu", "Roe, Ben", "0", "42.86"],
        ["ana", "ana@uni.edu", "Doe, Ana", "50", "100"],
        ["eve", "eve@uni.edu", "Eve Poe", "0", "0"],
    ]


def test_without_a_roster_every_graded_student_gets_a_row_by_student_id(tmp_path):
    lines = export(tmp_path, None).write(GRADEBOOK)
    canvas = read_csv(tmp_path / "canvas.csv")[1:]
    assert [(row["Student"], row["ID"], row["SIS User ID"]) for row in canvas] == [
        ("ana", "", "ana"), ("ben", "", "ben"), ("zed", "", "zed")]
    assert [row["CSTO extra"] for row in canvas] == ["50", "", "12.35"]
    moodle = read_csv(tmp_path / "moodle.csv")
    assert [row["ID number"] for row in moodle] == ["ana", "ben", "zed"]
    assert lines[-1] == ("No roster: each student is identified by their student id alone "
                         "(Canvas's \"SIS User ID\", Moodle's \"ID number\").")


def test_formulas_from_the_roster_are_neutralised_in_both_files(tmp_path):
    roster = 'id,name,email\nana,"=cmd|\' /C calc\'!A0",@evil\n'
    lines = export(tmp_path, roster).write(GRADEBOOK)
    assert read_csv(tmp_path / "canvas.csv")[1]["Student"] == "'=cmd|' /C calc'!A0"
    assert read_csv(tmp_path / "moodle.csv")[0]["Email address"] == "'@evil"
    assert any("column name" in line and "would run as a formula" in line for line in lines)


@pytest.mark.parametrize(("options", "message"), [
    (["--canvas", "{tmp}"], "--canvas '{tmp}' is a folder; give a file name"),
    (["--canvas", "{tmp}/a.csv", "--moodle", "{tmp}/a.csv"], "--canvas and --moodle both name"),
    (["--canvas", "{tmp}/a.csv", "--roster", "{tmp}/none.csv"], "Roster '{tmp}/none.csv' cannot "
                                                               "be read"),
])
def test_bad_lms_options_stop_grading_before_anything_is_written(tmp_path, capsys, options,
                                                                  message):
    course = make_course(tmp_path / "course")
    course.save("ana", tmp_path / "sheets")
    argv = [str(tmp_path / "sheets"), "--out", str(tmp_path / "grades"), "--banks-dir",
            str(course.banks), "--data-dir", str(course.data)]
    code = grade(argv + [option.format(tmp=tmp_path) for option in options])
    assert code == 1
    assert message.format(tmp=tmp_path) in capsys.readouterr().err
    assert not (tmp_path / "grades").exists()


def test_a_roster_with_problems_still_exports_everyone_else(tmp_path):
    roster = read_roster_text(tmp_path, "id,lms_id\nana,7001\nana,7003\n,7004\nben,x\n")
    assert list(roster.students) == ["ana", "ben"] and len(roster.problems) == 3
    lines = export(tmp_path, "id,lms_id\nana,7001\nana,7003\n,7004\nben,x\n").write(GRADEBOOK)
    assert [row["ID"] for row in read_csv(tmp_path / "canvas.csv")[1:]] == ["7001", ""]
    assert sum(line.startswith("Roster: roster.csv, line") for line in lines) == 3


def read_roster_text(tmp_path: Path, text: str):
    path = tmp_path / "roster-check.csv"
    path.write_text(text, encoding="utf-8")
    return read_roster(path)


# --- the whole loop ---------------------------------------------------------------------------

@pytest.mark.parametrize("lms", ["canvas", "moodle"])
def test_a_small_class_from_sheets_to_lms_files(tmp_path, capsys, lms):
    """Ana works on the hub; Ben and Cy hand in through the LMS (Cy twice: the later counts);
    Eve is on the roster and never answers; Zed answers but is not on the roster."""
    course = make_course(tmp_path / "course")
    homes = tmp_path / "home"
    course.save("ana", homes / "ana" / ".csto-course" / "answers")
    course.save("ana", homes / "ana" / ".csto-course" / "answers", "extra", HALF_KEY)
    course.save("zed", homes / "zed" / ".csto-course" / "answers", "extra")
    uploads = {}
    for day, (student, exercise, answers) in enumerate(
            (("ben", "sample", HALF_KEY), ("cy", "extra", HALF_KEY), ("cy", "extra", None)),
            start=1):
        laptop = tmp_path / "laptops" / student
        course.save(student, laptop, exercise, answers, at=f"2025-03-0{day}T11:00:00Z")
        done = hand_in(student_id=student, answers_dir=laptop, banks_dir=course.banks,
                       folder=tmp_path / "handed" / student,
                       now=datetime(2025, 3, day, 12, 0, tzinfo=UTC))
        uploads.setdefault(student, []).append(done.path.read_bytes())
    ids = {"ben": 7002, "cy": 7003, "eve": 7005}
    if lms == "canvas":
        members = {canvas_name("roeben", 7002, 1, "csto-submission-ben.json"): uploads["ben"][0],
                   canvas_name("poecy", 7003, 2, "csto-submission-cy.json"): uploads["cy"][0],
                   canvas_name("poecy", 7003, 3, "csto-submission-cy-1.json", late=True):
                       uploads["cy"][1]}
    else:
        members = {moodle_name("Ben Roe", 7002, "csto-submission-ben.json"): uploads["ben"][0],
                   moodle_name("Cy Poe", 7003, "old/csto-submission-cy.json"): uploads["cy"][0],
                   moodle_name("Cy Poe", 7003, "csto-submission-cy.json"): uploads["cy"][1]}
    archive = write_zip(tmp_path / f"{lms}.zip", members)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,lms_id\n"
                      "ana,\"Doe, Ana\",ana@uni.edu,7001\n"
                      + "".join(f"{sid},{sid.title()} Roe,{sid}@uni.edu,{lms_id}\n"
                                for sid, lms_id in ids.items()), encoding="utf-8")

    collected = tmp_path / "collected"
    assert collect([f"{homes}/*/.csto-course/answers", str(archive), "--roster", str(roster),
                    "--out", str(collected), "--banks-dir", str(course.banks)]) == 0
    assert sorted(path.name for path in collected.glob("*.json")) == [
        "extra__ana.json", "extra__cy.json", "extra__zed.json", "sample__ana.json",
        "sample__ben.json"]
    report = (collected / "collect_report.txt").read_text(encoding="utf-8")
    assert "student 'cy', exercise extra: kept" in report
    assert "- student 'zed'" in report and "- eve (Eve Roe)" in report

    capsys.readouterr()
    out = tmp_path / "grades"
    assert grade([str(collected), "--out", str(out), "--banks-dir", str(course.banks),
                  "--data-dir", str(course.data), "--roster", str(roster),
                  "--canvas", str(out / "canvas.csv"), "--moodle", str(out / "moodle.csv"),
                  "--missing", "zero"]) == 0
    printed = capsys.readouterr().out
    assert "Not on the roster roster.csv (left out of the LMS files): zed." in printed
    assert "On the roster with no answer sheet at all: eve." in printed

    book = {row["student_id"]: row for row in csv.DictReader(
        (out / "gradebook.csv").open(encoding="utf-8"))}
    assert float(book["ana"]["sample"]) == 100.0
    assert 0 < float(book["ben"]["sample"]) < 100 and float(book["cy"]["extra"]) == 100.0
    expected = {  # student -> (extra, sample), as the gradebook has them; 0 where no sheet
        sid: tuple(f"{float(book[sid][ex]):g}" if sid in book and book[sid][ex] else "0"
                   for ex in ("extra", "sample"))
        for sid in ("ana", "ben", "cy", "eve")}
    assert expected["eve"] == ("0", "0") and expected["ben"][0] == "0"
    canvas = read_csv(out / "canvas.csv")[1:]
    assert {row["ID"]: (row["CSTO extra"], row["CSTO sample"]) for row in canvas} == {
        "7001": expected["ana"], "7002": expected["ben"], "7003": expected["cy"],
        "7005": expected["eve"]}
    moodle = read_csv(out / "moodle.csv")
    assert {row["ID number"]: (row["CSTO extra"], row["CSTO sample"]) for row in moodle} == \
        expected
    assert {row["ID number"]: row["Email address"] for row in moodle}["cy"] == "cy@uni.edu"


def test_a_roster_alone_lists_who_is_missing_and_no_options_print_nothing(tmp_path):
    roster = read_roster_text(tmp_path, ROSTER)
    lines = LmsExport(roster, None, None, "blank").write(GRADEBOOK)
    assert lines == ["Not on the roster roster-check.csv (left out of the LMS files): zed.",
                     "On the roster with no answer sheet at all: eve."]
    assert LmsExport(None, None, None, "blank").write(GRADEBOOK) == []
    assert [path.name for path in tmp_path.glob("*.csv")] == ["roster-check.csv"]
