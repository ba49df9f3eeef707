"""Cite the dataset's sources the way a reader expects: footnote numbers, external works marked.

Every row of the dataset carries ``source_ids`` into the sources table. Readers of the course know
the paper by its footnotes, so a source from the paper is cited as "fn 11" and listed as
"Footnote 11"; a work from outside the paper is always labelled as such, so no reader mistakes an
added fact for the paper's own claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from helpers.data import split_ids
from helpers.tables import Table

PAPER_ID = "weitz2022"


def ids_in(values: Iterable[object]) -> list[str]:
    """Every distinct source id in a column of ``;``-separated lists, in citation order."""
    seen: dict[str, None] = {}
    for value in values:
        if isinstance(value, str):
            seen.update(dict.fromkeys(split_ids(value)))
    return list(seen)


def cited_by(*frames: pd.DataFrame) -> list[str]:
    """Every source id the rows of these tables cite, for a notebook's references."""
    return ids_in(value for frame in frames for value in frame["source_ids"])


def outside_paper(in_paper: pd.Series) -> list[str]:
    """The ``in_paper`` flags as "yes" / "no" answers to "only outside the paper?"."""
    return ["no" if flag else "yes" for flag in in_paper.fillna(True).astype(bool)]


def short_citation(source: Mapping[str, object]) -> str:
    """The in-text marker: "fn 11", "Weitz 2022" or "outside the paper: <title>"."""
    if _present(source.get("footnote")):
        return f"fn {int(source['footnote'])}{_work_letter(source)}"  # type: ignore[call-overload]
    if source.get("source_id") == PAPER_ID:
        return "Weitz 2022"
    return f"outside the paper: {source.get('title') or source.get('source_id')}"


def citation_markers(ids: object, sources: pd.DataFrame) -> str:
    """A ``;``-separated id list as in-text markers, e.g. "fn 11; fn 12"."""
    by_id = sources.set_index("source_id", drop=False)
    listed = split_ids(ids) if isinstance(ids, str) else []
    return "; ".join(short_citation(by_id.loc[i]) if i in by_id.index else i for i in listed)


def full_citation(source: Mapping[str, object]) -> str:
    """Author, title, outlet and date, as far as the sources table gives them."""
    parts = [
        str(source[field])
        for field in ("author", "title", "outlet", "date")
        if _present(source.get(field))
    ]
    text = ", ".join(parts) or str(source.get("source_id"))
    if _present(source.get("url")):
        text += f" <{source['url']}>"
    return text


def reference_table(sources: pd.DataFrame, ids: Iterable[str]) -> Table:
    """A references list for the given source ids: the paper's footnotes first, in order.

    Unknown ids raise, because a citation that points nowhere is a data error worth fixing.
    """
    by_id = sources.set_index("source_id", drop=False)
    wanted = list(dict.fromkeys(ids))
    unknown = [source_id for source_id in wanted if source_id not in by_id.index]
    if unknown:
        raise KeyError(f"Source id(s) {unknown} are not in the sources table.")
    rows = [by_id.loc[source_id].to_dict() for source_id in wanted]
    rows.sort(key=_reference_order)
    frame = pd.DataFrame(
        {
            "Id": [row["source_id"] for row in rows],
            "Source": [_kind_label(row) for row in rows],
            "Work": [full_citation(row) for row in rows],
        }
    )
    return Table(frame)


def _work_letter(source: Mapping[str, object]) -> str:
    """The letter that tells apart two works in one footnote (fn18a, fn18b -> "a", "b")."""
    source_id = str(source.get("source_id", ""))
    return source_id[-1] if source_id[-1:].isalpha() and source_id[-2:-1].isdigit() else ""


def _kind_label(source: Mapping[str, object]) -> str:
    if _present(source.get("footnote")):
        return f"Footnote {int(source['footnote'])}{_work_letter(source)}"  # type: ignore[call-overload]
    if source.get("source_id") == PAPER_ID:
        return "The paper"
    return "Outside the paper"


def _reference_order(source: Mapping[str, object]) -> tuple[int, int, str]:
    if source.get("source_id") == PAPER_ID:
        return (0, 0, "")
    if _present(source.get("footnote")):
        return (1, int(source["footnote"]), str(source["source_id"]))  # type: ignore[call-overload]
    return (2, 0, str(source["source_id"]))


def _present(value: object) -> bool:
    """True for a real value; False for None, pandas' missing markers and empty text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    return not bool(pd.isna(value))  # type: ignore[call-overload]
