"""The class roster: every bad row is a clear line, the good rows are used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.classroom.errors import ClassroomError
from helpers.classroom.roster import MAX_ROSTER_BYTES, read_roster


def roster_file(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "roster.csv"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def test_columns_in_any_order_and_case_with_excels_byte_order_mark(tmp_path):
    path = roster_file(tmp_path, "\ufeffLMS_ID, Name ,ID,Email,Section\n"
                                 "101,\"Doe, Ana\",s1,ana@uni.edu,A\n\n"
                                 "102,Ben Roe,s2,,\n")
    roster = read_roster(path)
    assert list(roster.students) == ["s1", "s2"]
    ana = roster.students["s1"]
    assert (ana.name, ana.email, ana.lms_id, ana.section, ana.line) == (
        "Doe, Ana", "ana@uni.edu", "101", "A", 2)
    assert roster.student_for_lms_id("102") == "s2"
    assert roster.problems == []


def test_duplicate_missing_and_invalid_ids_are_lines_and_the_rest_is_used(tmp_path):
    path = roster_file(tmp_path, "id,name\ns1,Ana\ns1,Ana again\n,No Id\nbad id!,X\ns2,Ben\n")
    roster = read_roster(path)
    assert list(roster.students) == ["s1", "s2"]
    assert roster.students["s1"].name == "Ana"
    assert roster.problems[0] == "roster.csv, line 3: id 's1' is already on line 2; this row " \
                                 "is skipped."
    assert roster.problems[1].startswith("roster.csv, line 4: no id (expected the student id")
    assert roster.problems[2].startswith("roster.csv, line 5, column id: Student id 'bad id!' "
                                         "is not usable")
    assert len(roster.problems) == 3


def test_lms_ids_must_be_numbers_and_unique(tmp_path):
    path = roster_file(tmp_path, "id,lms_id\ns1,101\ns2,101\ns3,abc\n")
    roster = read_roster(path)
    assert roster.by_lms_id == {"101": "s1"}
    assert roster.students["s2"].lms_id == "" and "s2" in roster
    assert roster.problems == [
        "roster.csv, line 3, column lms_id: 101 is already the id of 's1' on line 2; left "
        "empty for this row.",
        "roster.csv, line 4, column lms_id: 'abc' is not an LMS id (expected the number Canvas "
        "or Moodle gives the student); left empty.",
    ]


def test_formulas_in_cells_are_named_and_kept_as_text(tmp_path):
    path = roster_file(tmp_path, 'id,name,email\ns1,"=HYPERLINK(""http://x"")",a@b.c\n'
                                 "s2,@SUM(A1),b@c.d\n")
    roster = read_roster(path)
    assert roster.students["s1"].name == '=HYPERLINK("http://x")'
    assert [problem.split(":")[0] for problem in roster.problems] == [
        "roster.csv, line 2, column name", "roster.csv, line 3, column name"]
    assert all("would run as a formula" in problem for problem in roster.problems)


def test_text_that_is_not_utf8_is_named_by_line(tmp_path):
    path = roster_file(tmp_path, "id,name\ns1,Ana\ns2,Jos\xe9\n".encode("latin-1"))
    roster = read_roster(path)
    assert roster.students["s2"].name == "Jos\ufffd"
    assert roster.problems == [
        'roster.csv, line 3: not UTF-8 text (unreadable characters are shown as \ufffd); save '
        'the roster as "CSV UTF-8" from your spreadsheet.']


def test_unknown_columns_and_extra_cells_are_lines(tmp_path):
    path = roster_file(tmp_path, "id,name,phone\ns1,Ana,123,extra\n")
    roster = read_roster(path)
    assert "s1" in roster
    assert roster.problems == [
        "roster.csv: column 'phone' is not used (the roster's columns are id, name, email, "
        "lms_id, section).",
        "roster.csv, line 2: 4 cells but the header has 3; the extra cells are ignored.",
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("name,email\nAna,a@b.c\n", "the first row must be a header with an 'id' column"),
    ("", "the first row must be a header with an 'id' column"),
    ("id,name,id\ns1,Ana,s1\n", "column(s) id appear more than once"),
])
def test_a_roster_without_a_usable_header_stops_with_the_reason(tmp_path, text, message):
    with pytest.raises(ClassroomError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_roster(roster_file(tmp_path, text))


def test_a_missing_roster_file_is_named(tmp_path):
    with pytest.raises(ClassroomError, match=r"Roster '.*nope.csv' cannot be read"):
        read_roster(tmp_path / "nope.csv")


def test_a_roster_that_is_a_named_pipe_or_too_large_is_named_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")  # reading it naively would wait for ever
    with pytest.raises(ClassroomError, match=r"Roster '.*pipe.csv' cannot be read \(found a "
                                             r"named pipe; expected a regular file\)"):
        read_roster(tmp_path / "pipe.csv")
    with (tmp_path / "huge.csv").open("wb") as stream:
        stream.truncate(MAX_ROSTER_BYTES + 1)
    with pytest.raises(ClassroomError, match=rf"found {MAX_ROSTER_BYTES + 1:,} bytes; expected "
                                             rf"a file of at most {MAX_ROSTER_BYTES:,} bytes"):
        read_roster(tmp_path / "huge.csv")
