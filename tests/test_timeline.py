"""Timeline and institution-building: order, window, provenance in words and shapes, decades."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import timeline
from helpers.charts import description_of
from helpers.checks import parse_date_text
from helpers.data import load_table


def dated(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Add the ``<column>_dt`` first-day timestamp, the way the data layer does."""
    first_days = frame[column].map(lambda text: None if pd.isna(text) else parse_date_text(text))
    return frame.assign(**{f"{column}_dt": pd.to_datetime(first_days)})


EVENTS = dated(
    pd.DataFrame(
        {
            "event_id": ["charter", "cst_signed", "crrf", "uzb_back", "kaz_request", "in_force"],
            "date": ["2002-10-07", "1992-05-15", "2009", "2006-08-16", "2022-01-05", "1994-04-20"],
            "kind": ["founding", "founding", "institutional", "membership", "request", "founding"],
            "title": [
                "Charter signed",
                "Treaty signed",
                "Rapid Reaction Force formed",
                "Uzbekistan rejoins",
                "Kazakhstan asks for help",
                "Treaty in force",
            ],
            "description": ["d"] * 6,
            "iso3": [None, None, None, "UZB", "KAZ", None],
            "in_paper": [True, True, True, False, False, False],
            "source_ids": ["fn02", "fn03", "fn06", "ext_tass", "ext_armradio", "ext_mfa_by"],
        }
    ),
    "date",
)


def test_timeline_frame_filters_kinds_and_years_and_numbers_in_date_order():
    frame = timeline.timeline_frame(
        EVENTS, kinds=["founding", "institutional", "membership"], window=(1992, 2010)
    )
    assert frame["title"].to_list() == [
        "Treaty signed",
        "Treaty in force",
        "Charter signed",
        "Uzbekistan rejoins",
        "Rapid Reaction Force formed",
    ]
    assert frame["number"].to_list() == [1, 2, 3, 4, 5]
    assert frame.loc[frame["title"] == "Treaty in force", "source"].item() == timeline.OUTSIDE
    narrow = timeline.timeline_frame(EVENTS, kinds=["founding"], window=(2000, 2005))
    assert narrow["title"].to_list() == ["Charter signed"]


def test_timeline_chart_tells_sources_apart_by_shape_and_words():
    frame = timeline.timeline_frame(EVENTS, kinds=["founding", "membership"], window=(1992, 2022))
    fig = timeline.timeline_chart(frame, title="Founding events")
    symbols = {trace.name: trace.marker.symbol for trace in fig.data}
    assert symbols == {timeline.IN_PAPER: "circle", timeline.OUTSIDE: "diamond-open"}
    text = description_of(fig)
    assert text.startswith("4 events from 1992-05-15 to 2006-08-16, 2 stated in the paper and 2")
    assert "3. 2002-10-07 Charter signed" in text
    assert list(fig.layout.yaxis.categoryarray) == [
        "4. Uzbekistan rejoins",
        "3. Charter signed",
        "2. Treaty in force",
        "1. Treaty signed",
    ]
    assert fig.layout.yaxis.title.text == "Event, numbered in date order"


def test_a_date_known_only_to_the_year_is_drawn_across_the_year():
    frame = timeline.timeline_frame(EVENTS, kinds=["institutional"], window=(1992, 2022))
    fig = timeline.timeline_chart(frame, title="Institutions")
    span = next(t for t in fig.data if t.name == "date known only to the month or year")
    assert [str(x)[:10] for x in span.x[:2]] == ["2009-01-01", "2009-12-31"]


def test_empty_timeline_is_described_not_broken():
    frame = timeline.timeline_frame(EVENTS, kinds=["founding"], window=(2015, 2016))
    assert timeline.describe_timeline(frame).startswith("No events")


def test_events_for_state_in_date_order():
    chosen = timeline.events_for_state(EVENTS, "UZB")
    assert chosen[["date", "title"]].values.tolist() == [["2006-08-16", "Uzbekistan rejoins"]]
    assert timeline.events_for_state(EVENTS, "ARM").empty


def test_decades_are_counted_from_the_origin():
    assert timeline.decade_label(2009, 1992) == "second decade (2002-2011)"
    assert timeline.decade_label(1992, 1992) == "first decade (1992-2001)"
    assert timeline.decade_label(2016, 1992) == "third decade (2012-2021)"
    with pytest.raises(ValueError, match="1980"):
        timeline.decade_label(1980, 1992)


BODIES = dated(
    pd.DataFrame(
        {
            "name": [
                "Collective Security Council",
                "Rapid Reaction Force",
                "Crisis Response Center",
            ],
            "kind": pd.Categorical(["council", "force", "centre"]),
            "established": [None, "2009-06-14", "2016"],
            "in_paper": [True, True, True],
            "source_ids": ["fn04", "fn06", "fn07"],
        }
    ),
    "established",
)
PROGRAMMES = dated(
    pd.DataFrame(
        {
            "name": ["Kanal", "narcotics database"],
            "kind": pd.Categorical(["counter_narcotics", "counter_narcotics"]),
            "start": [None, "2009-12"],
            "in_paper": [True, True],
            "source_ids": ["fn22", "fn22"],
        }
    ),
    "start",
)


def test_institution_building_keeps_undated_items_and_counts_by_decade():
    frame = timeline.institution_building(BODIES, PROGRAMMES, origin=1992)
    assert frame["item"].to_list() == [
        "Rapid Reaction Force",
        "narcotics database",
        "Crisis Response Center",
        "Collective Security Council",
        "Kanal",
    ]
    assert frame["decade"].iloc[-1] == timeline.UNDATED
    counts = timeline.building_by_decade(frame)
    assert counts[["decade", "what", "count"]].astype(str).values.tolist() == [
        ["second decade (2002-2011)", "body", "1"],
        ["second decade (2002-2011)", "programme", "1"],
        ["third decade (2012-2021)", "body", "1"],
        ["no date given", "body", "1"],
        ["no date given", "programme", "1"],
    ]
    fig = timeline.building_chart(counts, origin=1992)
    assert "second decade (2002-2011): 2" in description_of(fig)
    assert "counted from 1992" in fig.layout.title.text
    assert [trace.name for trace in fig.data] == ["bodies", "programmes"]


def test_disagreements_for_picks_the_tables_asked_for():
    disagreements = pd.DataFrame(
        {
            "disagreement_id": ["charter_day", "gyumri", "uzb_start"],
            "table_name": ["events", "russian_presence", "membership"],
            "row_id": ["charter", "gyumri", "uzb_cst"],
            "field": ["date", "troops", "start"],
            "value_a": ["2002-10-06", "3000", "1994"],
            "source_a": ["fn02", "ext_a", "weitz2022"],
            "value_b": ["2002-10-07", "3500", "1992-05-15"],
            "source_b": ["ext_kremlin", "ext_b", "ext_mfa_by"],
            "resolution": ["both kept", "range", "both kept"],
        }
    )
    chosen = timeline.disagreements_for(disagreements, ["membership", "events"])
    assert chosen["row_id"].to_list() == ["charter", "uzb_cst"]
    assert "resolution" in chosen.columns


def test_real_founding_events_are_the_treaty_and_the_charter():
    events = load_table("events")
    founding = timeline.timeline_frame(events, kinds=["founding"], window=(1992, 2022))
    assert founding["date"].to_list() == ["1992-05-15", "1994-04-20", "2002-10-07"]
    assert founding["source"].to_list() == [timeline.IN_PAPER, timeline.OUTSIDE, timeline.IN_PAPER]


def test_events_title_names_the_kinds():
    assert timeline.events_title(["founding"], (1992, 2002)) == "Founding events, 1992-2002"
    assert timeline.events_title(["founding", "institutional", "membership"], (1992, 2022)) == (
        "Founding, institutional and membership events, 1992-2022"
    )
