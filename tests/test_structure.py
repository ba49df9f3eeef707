"""The organisation chart, forces table, seats and programmes, from small frames and the data."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import structure
from helpers.data import load_table

COLUMNS = [
    "body_id", "name", "kind", "composition", "seat_city", "seat_iso3", "area",
    "size_low", "size_best", "size_high", "parent_body_id", "relation_to_parent",
    "established", "source_ids", "in_paper", "notes",
]  # fmt: skip


def bodies(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("size_low", "size_best", "size_high"):
        frame[column] = frame[column].astype("Int64")
    frame["in_paper"] = frame["in_paper"].astype("boolean")
    return frame


def small_tree() -> pd.DataFrame:
    return bodies(
        ("csc", "Council", "council", "heads", None, None, None, None, None, None,
         None, None, None, "fn04", True, None),
        ("pc", "Permanent Council", "council", "envoys", "Moscow", "RUS", None, None, None,
         None, "csc", "reports_to", None, "fn04", True, None),
        ("sec", "Secretariat", "secretariat", "staff", "Moscow", "RUS", None, None, None,
         None, "pc", "supports", None, "fn04", True, None),
        ("forces", "Collective Forces", "force", "groups", None, None, None, None, None,
         None, "csc", "reports_to", None, "fn04", True, None),
        ("crdf", "Rapid Deployment Force", "force", "battalions", "Bishkek", "KGZ",
         "Central Asia", 1500, 5000, 5000, "forces", "part_of", "2001", "fn04;ext_a", True, None),
        ("crrf", "Rapid Reaction Force", "force", "elite units", None, None, None,
         18000, 20000, 22000, "forces", "part_of", "2009", "ext_b", False, None),
    )  # fmt: skip


def test_levels_follow_the_parent_links():
    frame = structure.org_chart_frame(small_tree()).set_index("body_id")
    assert frame["level"].to_dict() == {
        "csc": 0, "pc": 1, "forces": 1, "sec": 2, "crdf": 2, "crrf": 2,
    }  # fmt: skip
    assert frame.loc["sec", "parent_name"] == "Permanent Council"


def test_parents_sit_centred_over_their_children_and_leaves_do_not_overlap():
    frame = structure.org_chart_frame(small_tree()).set_index("body_id")
    leaves = frame.loc[["sec", "crdf", "crrf"], "x"]
    assert sorted(leaves) == [0.0, 1.0, 2.0]
    assert frame.loc["forces", "x"] == (frame.loc["crdf", "x"] + frame.loc["crrf", "x"]) / 2
    assert frame.loc["csc", "x"] == (frame.loc["pc", "x"] + frame.loc["forces", "x"]) / 2


def test_a_parent_that_does_not_exist_is_named_in_the_error():
    table = small_tree()
    table.loc[table["body_id"] == "sec", "parent_body_id"] = "ghost"
    with pytest.raises(ValueError, match=r"'sec' has parent_body_id='ghost'"):
        structure.org_chart_frame(table)


def test_a_loop_of_parents_is_refused():
    table = small_tree()
    table.loc[table["body_id"] == "csc", ["parent_body_id", "relation_to_parent"]] = [
        "sec",
        "supports",
    ]
    with pytest.raises(ValueError, match="loop"):
        structure.org_chart_frame(table)


def test_a_link_without_its_relation_is_refused():
    table = small_tree()
    table.loc[table["body_id"] == "pc", "relation_to_parent"] = None
    with pytest.raises(ValueError, match=r"\['pc'\].*relation_to_parent"):
        structure.org_chart_frame(table)


def test_chart_draws_one_line_style_per_relation_and_labels_the_levels():
    fig = structure.org_chart(structure.org_chart_frame(small_tree()))
    lines = {t.name: t.line.dash for t in fig.data if t.mode == "lines"}
    assert lines == {
        "line: reports to": "solid",
        "line: supports": "dash",
        "line: is part of": "dot",
    }
    markers = {t.name for t in fig.data if t.mode == "markers+text"}
    assert markers == {"council", "secretariat", "force"}
    assert fig.layout.yaxis.title.text == "Level in the hierarchy"
    assert list(fig.layout.yaxis.ticktext) == [
        "Top level",
        "Level 1 below the top",
        "Level 2 below the top",
    ]
    description = fig.layout.meta["description"]
    assert "6 bodies on 3 levels, with Council at the top" in description
    assert "1 of the bodies come from sources outside the paper" in description


def test_forces_table_keeps_the_range_where_sources_disagree():
    table = structure.forces_table(small_tree()).set_index("Force")
    assert (
        table.loc["Rapid Deployment Force", "Size (troops)"]
        == "5,000 (sources give 1,500\u20135,000)"
    )
    assert table.loc["Rapid Deployment Force", "Sources disagree on size"] == "yes"
    assert table.loc["Collective Forces", "Size (troops)"] == "not given"
    assert table.loc["Rapid Reaction Force", "Only outside the paper"]
    assert list(table.index) == sorted(table.index)


def test_command_seats_group_bodies_by_country_most_seats_first():
    countries = pd.DataFrame({"iso3": ["RUS", "KGZ"], "name": ["Russia", "Kyrgyzstan"]})
    seats = structure.command_seats(small_tree(), countries)
    assert seats["Country"].to_list() == ["Russia", "Russia", "Kyrgyzstan"]
    assert seats["Body"].to_list()[:2] == ["Permanent Council", "Secretariat"]
    counts = structure.seat_counts(small_tree())
    assert counts.to_dict() == {"KGZ": 1, "RUS": 2, "no seat given": 3}


def test_programmes_table_filters_by_kind():
    programmes = pd.DataFrame(
        {
            "name": ["Kanal", "Proxy", "Drills"],
            "kind": ["counter_narcotics", "cyber", "exercises"],
            "description": ["a", "b", "c"],
            "start": [None, None, None],
            "recurring": pd.array([True, False, True], dtype="boolean"),
            "source_ids": ["fn22", "weitz2022", "fn05"],
        }
    )
    table = structure.programmes_table(programmes, ["cyber", "counter_narcotics"])
    assert table["Programme"].to_list() == ["Kanal", "Proxy"]
    assert table["Against"].to_list() == ["counter narcotics", "cyber"]
    assert table["Recurring"].to_list() == ["yes", "no"]


def test_the_real_bodies_form_one_tree_topped_by_the_collective_security_council():
    frame = structure.org_chart_frame(load_table("bodies"))
    top = frame[frame["level"] == 0]
    assert "Collective Security Council" in top["name"].to_list()
    assert frame["level"].max() >= 2
