"""Tables the way a reader wants them: plain-English headings, no index, stable output.

``DataFrame.style`` would hide the index, but its HTML carries a random id and its plain-text form
is an object address, so a stored notebook would change on every run and nbval could not compare
it. A ``Table`` shows the same rows as HTML and as plain text, both reproducible; analysis
functions keep short snake_case columns that code relies on, and ``table`` is the one place where
they become the words a reader sees.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Table:
    """A DataFrame ready to display: shown without its index, with an optional caption."""

    frame: pd.DataFrame
    caption: str | None = None

    def _cells(self) -> pd.DataFrame:
        return self.frame.astype("string").fillna("")

    def _repr_html_(self) -> str:
        markup = self._cells().to_html(index=False, border=0, classes="csto-table", escape=True)
        if self.caption:
            markup = markup.replace(
                ">\n", f">\n  <caption>{html.escape(self.caption)}</caption>\n", 1
            )
        return markup

    def __repr__(self) -> str:
        cells = self._cells()
        text = cells.to_string(index=False) if len(cells) else "(no rows)"
        return f"{self.caption}\n{text}" if self.caption else text

    def __len__(self) -> int:
        return len(self.frame)


def table(frame: pd.DataFrame, columns: Mapping[str, str], *, caption: str | None = None) -> Table:
    """Keep the columns named in ``columns``, in that order, renamed to their headings."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise KeyError(f"Columns {missing} are not in the table; it has {list(frame.columns)}.")
    shown = frame.loc[:, list(columns)].rename(columns=dict(columns)).reset_index(drop=True)
    return Table(shown, caption)


def row_by_id(frame: pd.DataFrame, id_column: str, key: str) -> pd.Series:
    """The one row whose ``id_column`` is ``key``; an unknown key names the ids that exist.

    Case cards and fact sheets look a row up by the id a reader chose; a typo should list the
    choices, not end in a bare KeyError from pandas.
    """
    by_id = frame.set_index(id_column, drop=False)
    if key not in by_id.index:
        raise KeyError(
            f"Unknown {id_column} {key!r}. Expected one of: {', '.join(sorted(by_id.index))}."
        )
    return by_id.loc[key]


def estimate_text(low: object, best: object, high: object) -> str:
    """One readable cell for a low/best/high estimate.

    For example "5,000", "1,500-5,000" or "2,500 (sources give 2,000-3,000)". Sources often
    disagree on sizes; the range must stay visible instead of one number pretending to be certain.
    """
    low_n, best_n, high_n = (_number(value) for value in (low, best, high))
    bounds = sorted({n for n in (low_n, high_n) if n is not None})
    if best_n is None and not bounds:
        return "not given"
    if best_n is None:
        return "\u2013".join(_format(n) for n in bounds)
    if not bounds or bounds == [best_n]:
        return _format(best_n)
    every = [*bounds, best_n]
    return f"{_format(best_n)} (sources give {_format(min(every))}\u2013{_format(max(every))})"


def _number(value: object) -> float | None:
    if value is None or isinstance(value, str):
        return None
    try:
        return None if pd.isna(value) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _format(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,}"
