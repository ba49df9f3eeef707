"""Glossary look-up: exact terms first, then expansions, then definitions; case does not matter."""

from __future__ import annotations

import pandas as pd

from helpers.glossary import alphabetical, lookup, lookup_view

GLOSSARY = pd.DataFrame(
    {
        "term": ["CSTO", "CST", "CRRF", "ODKB"],
        "expansion": [
            "Collective Security Treaty Organization",
            "Collective Security Treaty",
            "Collective Rapid Reaction Force",
            pd.NA,
        ],
        "definition": [
            "The organisation created by the 2002 Charter.",
            "The 1992 treaty.",
            "Elite units kept ready, formed in 2009.",
            "The Russian acronym of the CSTO.",
        ],
    }
).astype("string")


def test_exact_term_comes_first_whatever_the_case():
    found = lookup(GLOSSARY, "cst")
    assert found["term"].to_list() == ["CST", "CSTO", "ODKB"]
    assert found["match"].to_list() == [
        "the term itself",
        "in the term or its expansion",
        "in the definition",
    ]


def test_words_in_expansions_and_definitions_are_found():
    assert lookup(GLOSSARY, "rapid reaction")["term"].to_list() == ["CRRF"]
    assert lookup(GLOSSARY, "Russian")["term"].to_list() == ["ODKB"]


def test_empty_or_unknown_query_finds_nothing():
    assert lookup(GLOSSARY, "   ").empty
    assert lookup(GLOSSARY, "warsaw").empty
    assert list(lookup(GLOSSARY, "").columns) == ["term", "expansion", "definition", "match"]


def test_lookup_view_says_how_many_matched():
    view = lookup_view(GLOSSARY, " crrf ")
    assert view.caption == "1 match for 'crrf'"
    assert view.frame.columns.to_list() == ["Term", "Stands for", "Meaning", "Found"]
    assert lookup_view(GLOSSARY, "cst").caption == "3 matches for 'cst'"


def test_alphabetical_ignores_case():
    mixed = pd.DataFrame({"term": ["peacekeeping", "CSTO", "Article 2", "colour revolution"]})
    assert alphabetical(mixed)["term"].to_list() == [
        "Article 2",
        "colour revolution",
        "CSTO",
        "peacekeeping",
    ]
