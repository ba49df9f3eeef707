"""Citations: footnote markers, full references, and external works always marked."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import citations


def sources() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": ["ext_tass", "fn12", "weitz2022", "fn02"],
            "footnote": pd.array([None, 12, None, 2], dtype="Int64"),
            "author": [None, None, "Richard Weitz", None],
            "title": ["TASS report", "Speech", "The CSTO before and after", "Charter"],
            "outlet": ["TASS", "Kremlin.ru", None, "Kremlin.ru"],
            "date": [None, "2010-06-12", "2022", "2002-10-06"],
            "url": [None, None, None, "http://en.kremlin.ru/supplement/3506"],
        }
    )


def test_markers_use_footnote_numbers_and_mark_external_works():
    text = citations.citation_markers("fn12;ext_tass;weitz2022", sources())
    assert text == "fn 12; outside the paper: TASS report; Weitz 2022"


def test_two_works_in_one_footnote_keep_their_letters():
    table = pd.DataFrame(
        {"source_id": ["fn18a", "fn18b"], "footnote": pd.array([18, 18], dtype="Int64"),
         "title": ["A", "B"]}
    )  # fmt: skip
    assert citations.citation_markers("fn18a;fn18b", table) == "fn 18a; fn 18b"
    assert citations.reference_table(table, ["fn18b", "fn18a"]).frame["Source"].to_list() == [
        "Footnote 18a",
        "Footnote 18b",
    ]


def test_ids_in_keeps_first_citation_order_without_repeats():
    assert citations.ids_in(["fn12;fn02", None, "fn02;ext_tass"]) == ["fn12", "fn02", "ext_tass"]


def test_cited_by_collects_the_ids_of_several_tables():
    first = pd.DataFrame({"source_ids": ["fn12;fn02"]})
    second = pd.DataFrame({"source_ids": ["fn02", "ext_tass"]})
    assert citations.cited_by(first, second) == ["fn12", "fn02", "ext_tass"]


def test_reference_table_lists_the_paper_then_footnotes_in_order_then_external():
    shown = citations.reference_table(sources(), ["ext_tass", "fn12", "fn02", "weitz2022"]).frame
    assert shown["Source"].to_list() == [
        "The paper",
        "Footnote 2",
        "Footnote 12",
        "Outside the paper",
    ]
    assert (
        shown["Work"].iloc[1]
        == "Charter, Kremlin.ru, 2002-10-06 <http://en.kremlin.ru/supplement/3506>"
    )


def test_reference_to_an_unknown_source_is_an_error():
    with pytest.raises(KeyError, match="fn99"):
        citations.reference_table(sources(), ["fn99"])


def test_outside_paper_answers_in_words():
    flags = pd.Series([True, False, None], dtype="boolean")
    assert citations.outside_paper(flags) == ["no", "yes", "no"]
