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
        """Text left-aligned, numbers right-aligned, short values such as ISO dates kept on one
        line, and the table scrolling inside its own box when wider than the page (a named
        region that takes keyboard focus, so it can be scrolled without a mouse).

        The styles are inline because JupyterLab keeps inline styles of stored outputs (it drops
        style sheets) and right-aligns table cells by default.
        """
        cells = self._cells()
        numeric = [pd.api.types.is_numeric_dtype(dtype) for dtype in self.frame.dtypes]
        head = "".join(
            f'<th style="{_align(is_number)}">{html.escape(str(name))}</th>'
            for name, is_number in zip(cells.columns, numeric, strict=True)
        )
        rows = "".join(
            "<tr>" + "".join(_cell(value, is_number)
                             for value, is_number in zip(row, numeric, strict=True)) + "</tr>\n"
            for row in cells.itertuples(index=False)
        )
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        # A box that can scroll must be reachable from the keyboard (WCAG 2.1.1); while it has
        # focus, the arrow keys scroll it instead of moving between notebook cells.
        name = html.escape(self.caption or "Table", quote=True)
        return (
            f'<div class="csto-table-scroll" style="{SCROLL}" role="region" tabindex="0" '
            f'aria-label="{name}" data-lm-suppress-shortcuts="true">\n'
            f'<table class="csto-table">{caption}\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{rows}</tbody></table>\n</div>"
        )

    def __repr__(self) -> str:
        cells = self._cells()
        text = cells.to_string(index=False) if len(cells) else "(no rows)"
        return f"{self.caption}\n{text}" if self.caption else text

    def __len__(self) -> int:
        return len(self.frame)


SCROLL = "overflow-x: auto; max-width: 100%"
# A value this short with no space in it (a date, a code, a count) is never broken across lines.
UNBROKEN = 24


def _align(is_number: bool) -> str:
    return f"text-align: {'right' if is_number else 'left'}; vertical-align: top"


def _cell(value: str, is_number: bool) -> str:
    style = _align(is_number)
    if len(value) <= UNBROKEN and not any(char.isspace() for char in value):
        style += "; white-space: nowrap"
    return f'<td style="{style}">{html.escape(value)}</td>'


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
