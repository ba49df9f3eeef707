"""Whether a coding is the paper's own statement or the course's reading of it.

The crises, crisis_conditions, armenia_disputes and stances tables code the paper: who asked, how
the CSTO answered, whether a condition held, what Armenia got, where a member stood. Some codes
restate the paper; others are inferences the course draws from it. Each coded row says which in
``coded_from`` and points to the passage in ``evidence``, and every table a student sees carries
that distinction, so the course's reading is never passed off as the paper's.
"""

from __future__ import annotations

import pandas as pd

PAPER_STATES = "paper_states"
COURSE_INFERS = "course_infers"
OUTSIDE_SOURCES = "outside_sources"
LEFT_OPEN = "left_open"
CODED_FROM_LABELS = {
    PAPER_STATES: "stated in the paper",
    COURSE_INFERS: "our reading of the paper",
    OUTSIDE_SOURCES: "from sources outside the paper",
    LEFT_OPEN: "left open: the sources do not allow a coding",
}
READING_MARK = " (our reading)"


def coded_from_label(value: object) -> str:
    """The ``coded_from`` code in words; an unknown or missing code says so."""
    return CODED_FROM_LABELS.get(str(value), "not recorded") if pd.notna(value) else "not recorded"


def is_reading(coded_from: pd.Series) -> pd.Series:
    """True where a coding is the course's inference rather than the paper's statement."""
    return coded_from.astype("string").eq(COURSE_INFERS).fillna(False).astype(bool)


def marked(answer: str, coded_from: object) -> str:
    """A coded answer ("yes", "declined to back Russia") with "(our reading)" when it is one."""
    return f"{answer}{READING_MARK}" if str(coded_from) == COURSE_INFERS else answer

