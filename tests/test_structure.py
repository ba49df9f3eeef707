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
    frame["size_estimate_type"] = frame["body_id"].map({"crdf": "approximate", "crrf": "range"})
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


def test_each_body_has_its_own_row_directly_under_its_parent_subtree():
    frame = structure.org_chart_frame(small_tree())
    assert frame["body_id"].to_list() == ["csc", "pc", "sec", "forces", "crdf", "crrf"]
    assert frame["row"].to_list() == list(range(6))
    rows = frame.set_index("body_id")["row"]
    for body, parent in zip(frame["body_id"], frame["parent_body_id"], strict=True):
        if isinstance(parent, str):
            assert rows[body] > rows[parent]


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
    assert fig.layout.xaxis.title.text == "Level in the hierarchy"
    assert list(fig.layout.xaxis.ticktext) == [
        "Top level",
        "Level 1 below the top",
        "Level 2 below the top",
    ]
    secretariat_line = next(t for t in fig.data if t.name == "line: supports")
    assert list(secretariat_line.x[:3]) == [1, 1, 2]  # down from the Permanent Council, across
    assert list(secretariat_line.y[:3]) == [1, 2, 2]
    description = fig.layout.meta["description"]
    assert "6 bodies on 3 levels, with Council at the top" in description
    assert "Of the bodies linked to one above: 2 report to it, 1 support it, 2 are part of it" in (
        description
    )
    assert "1 of the bodies come from sources outside the paper" in description


def test_org_table_says_each_link_in_words():
    table = structure.org_table(structure.org_chart_frame(small_tree())).set_index("Body")
    assert table.loc["Secretariat", "Link"] == "supports"
    assert table.loc["Secretariat", "Linked to"] == "Permanent Council"
    assert table.loc["Council", "Link"] == "(top)"


def test_office_holders_in_order_with_nationality_and_open_terms():
    roles = pd.DataFrame(
        {
            "person_id": ["zas", "bordyuzha", "putin"],
            "role": ["Secretary General", "Secretary General", "President"],
            "start": ["2020-01-01", "2003", "2012"],
            "start_dt": pd.to_datetime(["2020-01-01", "2003-01-01", "2012-01-01"]),
            "end": [None, "2016-12-31", None],
            "as_of": ["2022-06-10", None, None],
            "acting": pd.array([False, False, False], dtype="boolean"),
            "in_paper": pd.array([True, False, True], dtype="boolean"),
            "source_ids": ["fn15", "ext_a", "fn16"],
        }
    )
    people = pd.DataFrame(
        {"person_id": ["zas", "bordyuzha"], "name": ["Stanislav Zas", "Nikolai Bordyuzha"],
         "iso3": ["BLR", "RUS"]}
    )  # fmt: skip
    countries = pd.DataFrame({"iso3": ["BLR", "RUS"], "name": ["Belarus", "Russia"]})
    table = structure.office_holders(roles, people, countries, "Secretary General")
    assert table["Holder"].to_list() == ["Nikolai Bordyuzha", "Stanislav Zas"]
    assert table["Nationality"].to_list() == ["Russia", "Belarus"]
    assert table["To"].to_list() == ["2016-12-31", "still in office on 2022-06-10"]
    assert table["Only outside the paper"].to_list() == ["yes", "no"]


def test_forces_table_keeps_the_range_where_sources_disagree():
    table = structure.forces_table(small_tree()).set_index("Force")
    assert (
        table.loc["Rapid Deployment Force", "Size (troops)"]
        == "5,000 (sources give 1,500\u20135,000)"
    )
    assert table.loc["Rapid Deployment Force", "Sources disagree on size"] == "yes"
    assert table.loc["Rapid Deployment Force", "Kind of figure"] == "approximate"
    assert table.loc["Collective Forces", "Kind of figure"] == "not given"
    assert table.loc["Collective Forces", "Size (troops)"] == "not given"
    assert table.loc["Collective Forces", "Sources disagree on size"] == "size not given"
    assert table.loc["Rapid Reaction Force", "Only outside the paper"] == "yes"
    assert table.loc["Rapid Deployment Force", "Only outside the paper"] == "no"
    assert list(table.index) == sorted(table.index)


def test_command_seats_group_bodies_by_country_most_seats_first():
    countries = pd.DataFrame({"iso3": ["RUS", "KGZ"], "name": ["Russia", "Kyrgyzstan"]})
    seats = structure.command_seats(small_tree(), countries)
    assert seats["Country"].to_list() == ["Russia", "Russia", "Kyrgyzstan"]
    assert seats["Body"].to_list()[:2] == ["Permanent Council", "Secretariat"]
    counts = structure.seat_counts(small_tree(), countries)
    assert counts.to_dict("list") == {
        "Seat country": ["no seat recorded", "Russia", "Kyrgyzstan"],
        "Bodies": [3, 2, 1],
    }


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
