"""Look a term up in the course glossary, the way a reader would type it."""

from __future__ import annotations

import pandas as pd

from helpers.tables import Table, table


def lookup(glossary: pd.DataFrame, query: str) -> pd.DataFrame:
    """Glossary rows matching ``query``, best matches first.

    An exact term (any case) comes first, then terms or expansions that contain the query, then
    definitions that mention it; an empty query matches nothing rather than everything.
    Columns: term, expansion, definition, match.
    """
    words = query.strip().casefold()
    if not words:
        return glossary.iloc[0:0][["term", "expansion", "definition"]].assign(match=[])
    term = glossary["term"].astype(str).str.casefold()
    expansion = glossary["expansion"].astype("string").fillna("").str.casefold()
    definition = glossary["definition"].astype(str).str.casefold()
    rank = pd.Series(pd.NA, index=glossary.index, dtype="Int64")
    rank = rank.mask(definition.str.contains(words, regex=False), 3)
    rank = rank.mask(
        term.str.contains(words, regex=False) | expansion.str.contains(words, regex=False), 2
    )
    rank = rank.mask(term == words, 1)
    labels = {1: "the term itself", 2: "in the term or its expansion", 3: "in the definition"}
    found = glossary.assign(rank=rank).dropna(subset=["rank"])
    found = found.sort_values(["rank", "term"], ignore_index=True)
    return found.assign(match=found["rank"].map(labels))[
        ["term", "expansion", "definition", "match"]
    ]


def lookup_view(glossary: pd.DataFrame, query: str) -> Table:
    """The look-up as a table for the glossary explorer, saying in words how many matched."""
    found = lookup(glossary, query)
    count = f"{len(found)} match{'es' if len(found) != 1 else ''}"
    return table(
        found,
        {"term": "Term", "expansion": "Stands for", "definition": "Meaning", "match": "Found"},
        caption=f"{count} for {query.strip()!r}",
    )


def alphabetical(glossary: pd.DataFrame) -> pd.DataFrame:
    """The glossary in dictionary order, ignoring case ("colour revolution" among the Cs)."""
    return glossary.sort_values("term", key=lambda terms: terms.str.casefold(), ignore_index=True)
