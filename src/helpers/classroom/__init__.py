"""The classroom loop around the exercise kit: hand in, collect, and grades into the LMS.

Learners hand in from an exercise notebook (``show_hand_in()``: one submission file with all their
answer sheets, to upload to the LMS). Teachers gather sheets with ``csto-collect`` (hub home
folders, submission files, Moodle or Canvas zips) and grade them with ``csto-grade``, which writes
Canvas and Moodle import files through ``helpers.classroom.lms``.
"""

from helpers.classroom.errors import ClassroomError
from helpers.classroom.handin import show_hand_in
from helpers.classroom.submission import HandIn, hand_in

__all__ = ["ClassroomError", "HandIn", "hand_in", "show_hand_in"]
