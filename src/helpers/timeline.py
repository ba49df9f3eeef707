"""Events on a timeline, and what the organisation built when.

The events table holds dates at the precision the source gives, so "2009" and "2009-06-14" sit
side by side; they are sorted by the first day of their period and always shown with their own
text, never with an invented day. Every event says whether the paper states it, and the chart
tells the two apart by marker shape as well as colour.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import PALETTE, new_figure, style

IN_PAPER = "stated in the paper"
OUTSIDE = "from outside the paper"
_SOURCE_STYLE = {IN_PAPER: (PALETTE[0], "circle"), OUTSIDE: (PALETTE[1], "diamond-open")}
ORDINALS = ("first", "second", "third", "fourth", "fifth")
UNDATED = "no date given"
PLURALS = {"body": "bodies", "programme": "programmes"}


def timeline_frame(
    events: pd.DataFrame, *, kinds: Iterable[str], window: tuple[int, int]
) -> pd.DataFrame:
    """The events of the chosen kinds within the years of ``window``, numbered in date order.

    Columns: number, date (text as the source gives it), date_dt, kind, title, description, iso3,
    source, source_ids. ``number`` labels the markers of the chart and rows of the table alike.
    """
    kinds = list(kinds)
    first, last = window
    chosen = events[
        events["kind"].astype(str).isin(kinds) & events["date_dt"].dt.year.between(first, last)
    ]
    frame = chosen.sort_values(["date_dt", "date", "event_id"], ignore_index=True)
    frame = frame.assign(
        kind=frame["kind"].astype(str),
        source=frame["in_paper"].map({True: IN_PAPER, False: OUTSIDE}),
    )
    frame.insert(0, "number", range(1, len(frame) + 1))
    columns = ["number", "date", "date_dt", "kind", "title", "description", "iso3", "source"]
    return frame[[*columns, "source_ids"]]


def events_title(kinds: Iterable[str], window: tuple[int, int]) -> str:
    """A chart title naming the kinds of event shown: "Founding and institutional events, ..."."""
    names = list(kinds)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{listed[:1].upper()}{listed[1:]} events, {window[0]}-{window[1]}"


def timeline_chart(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """One row per event, numbered in date order, its marker shaped by where the fact comes from.

    A date the source gives only to the month or year is drawn as a bar across that period, so
    the chart never looks more precise than the source.
    """
    rows = [f"{r.number}. {r.title}" for r in frame.itertuples()]
    frame = frame.assign(row=rows)
    fig = new_figure()
    coarse = frame[frame["date"].str.len() < len("YYYY-MM-DD")]
    if not coarse.empty:
        xs: list[object] = []
        ys: list[object] = []
        for r in coarse.itertuples():
            xs += [r.date_dt, _period_end(r.date, r.date_dt), None]
            ys += [r.row, r.row, None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": "#999999", "width": 7},
                name="date known only to the month or year",
                hoverinfo="skip",
            )
        )
    for source, (colour, symbol) in _SOURCE_STYLE.items():
        chosen = frame[frame["source"] == source]
        if chosen.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=chosen["date_dt"],
                y=chosen["row"],
                mode="markers",
                name=source,
                marker={"symbol": symbol, "size": 12, "color": colour, "line": {"width": 2}},
                hovertext=[
                    f"{r.number}. {r.date}: {r.title} ({r.kind}; {r.source})"
                    for r in chosen.itertuples()
                ],
                hoverinfo="text",
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1], automargin=True)
    fig.update_layout(legend={"orientation": "h", "y": -0.12 - 2.0 / max(len(rows), 1)})
    return style(
        fig,
        title=title,
        x_label="Date",
        y_label="Event, numbered in date order",
        description=describe_timeline(frame),
        height=max(320, 170 + 24 * len(rows)),
    )


def _period_end(text: str, first_day: pd.Timestamp) -> pd.Timestamp:
    """The last day of the month or year a coarse date names."""
    step = pd.DateOffset(years=1) if len(text) == len("YYYY") else pd.DateOffset(months=1)
    return first_day + step - pd.DateOffset(days=1)


def describe_timeline(frame: pd.DataFrame) -> str:
    """How many events, over which span, from where, and each in one phrase."""
    if frame.empty:
        return "No events of the chosen kinds in the chosen years."
    outside = int((frame["source"] == OUTSIDE).sum())
    listing = "; ".join(f"{r.number}. {r.date} {r.title}" for r in frame.itertuples())
    return (
        f"{len(frame)} events from {frame['date'].iloc[0]} to {frame['date'].iloc[-1]}, "
        f"{len(frame) - outside} stated in the paper and {outside} from outside it: {listing}."
    )


def events_for_state(events: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """The events tied to one state, in date order: date, kind, title, source."""
    chosen = events[events["iso3"].astype("string") == iso3]
    chosen = chosen.sort_values(["date_dt", "date", "event_id"], ignore_index=True)
    return pd.DataFrame(
        {
            "date": chosen["date"],
            "kind": chosen["kind"].astype(str),
            "title": chosen["title"],
            "source": chosen["in_paper"].map({True: IN_PAPER, False: OUTSIDE}),
        }
    )


# ----------------------------------------------------------------------------- what was built


def decade_label(year: int, origin: int) -> str:
    """ "second decade (2002-2011)" for 2009 counted from 1992: decades of the treaty's life."""
    index = (year - origin) // 10
    if index < 0 or index >= len(ORDINALS):
        raise ValueError(f"Year {year} is not within five decades from {origin}.")
    start = origin + 10 * index
    return f"{ORDINALS[index]} decade ({start}-{start + 9})"


def institution_building(
    bodies: pd.DataFrame, programmes: pd.DataFrame, *, origin: int
) -> pd.DataFrame:
    """Bodies and programmes with the year each began and the decade, counted from ``origin``.

    Columns: item, what (body or programme), kind, established (date text as given), year,
    decade (or "no date given"), source, source_ids. Undated items stay in the table: the paper
    names many things without saying when they began, and hiding them would flatter the chart.
    """
    parts = [
        pd.DataFrame(
            {
                "item": table["name"],
                "what": what,
                "kind": table["kind"].astype(str),
                "established": table[column],
                "year": table[f"{column}_dt"].dt.year.astype("Int64"),
                "source": table["in_paper"].map({True: IN_PAPER, False: OUTSIDE}),
                "source_ids": table["source_ids"],
            }
        )
        for table, what, column in (
            (bodies, "body", "established"),
            (programmes, "programme", "start"),
        )
    ]
    frame = pd.concat(parts, ignore_index=True)
    frame["decade"] = [
        UNDATED if pd.isna(year) else decade_label(int(year), origin) for year in frame["year"]
    ]
    return frame.sort_values(["year", "what", "item"], na_position="last", ignore_index=True)


def building_by_decade(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts of bodies and programmes per decade (undated last): decade, what, count."""
    decades = sorted(set(frame["decade"]) - {UNDATED}, key=lambda d: ORDINALS.index(d.split()[0]))
    order = [*decades, UNDATED] if (frame["decade"] == UNDATED).any() else decades
    counts = frame.groupby(["decade", "what"]).size().rename("count").reset_index()
    counts["decade"] = pd.Categorical(counts["decade"], categories=order, ordered=True)
    return counts.sort_values(["decade", "what"], ignore_index=True)


def building_chart(counts: pd.DataFrame, *, origin: int) -> go.Figure:
    """Stacked bars: how many bodies and programmes began in each decade of the treaty's life."""
    fig = new_figure()
    order = list(counts["decade"].cat.categories)
    for (what, group), colour, pattern in zip(
        counts.groupby("what", sort=True), PALETTE, ("", "/"), strict=False
    ):
        fig.add_trace(
            go.Bar(
                x=group["decade"].astype(str).map(_two_lines),
                y=group["count"],
                name=PLURALS[what],
                marker={"color": colour, "pattern": {"shape": pattern}},
                hovertemplate="%{x}: %{y} " + PLURALS[what] + "<extra></extra>",
            )
        )
    per_decade = counts.groupby("decade", observed=True)["count"].sum()
    for decade, total in per_decade.items():
        fig.add_annotation(
            x=_two_lines(str(decade)), y=total, text=f"{total}", showarrow=False, yanchor="bottom"
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(categoryorder="array", categoryarray=[_two_lines(d) for d in order])
    said = "; ".join(f"{decade}: {count}" for decade, count in per_decade.items())
    return style(
        fig,
        title=f"Bodies and programmes by the decade they began (decades counted from {origin})",
        x_label="Decade",
        y_label="Bodies and programmes",
        description=f"Bodies and programmes the dataset records, by when they began. {said}.",
    )


def _two_lines(decade: str) -> str:
    """ "second decade (2002-2011)" on two lines, so axis labels need not be tilted."""
    return decade.replace(" (", "<br>(")


def disagreements_for(disagreements: pd.DataFrame, table_names: Iterable[str]) -> pd.DataFrame:
    """Where sources disagree about rows of the given tables: what, each value and its sources.

    Columns: table_name, row_id, field, value_a, source_a, value_b, source_b, resolution.
    """
    wanted = list(table_names)
    chosen = disagreements[disagreements["table_name"].astype(str).isin(wanted)]
    columns = ["table_name", "row_id", "field", "value_a", "source_a", "value_b", "source_b"]
    return chosen.sort_values(["table_name", "row_id", "field"], ignore_index=True)[
        [*columns, "resolution"]
    ]
