"""The CSTO and the war in Ukraine: stance grid, statements by phase, bases map note."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from helpers import ukraine
from helpers.stances import stance_grid

COUNTRIES = pd.DataFrame(
    {
        "iso3": ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"],
        "name": ["Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan"],
    }
)
SOURCES = pd.DataFrame(
    {
        "source_id": ["weitz2022", "fn36", "fn37", "fn39", "ext_x"],
        "footnote": pd.array([None, 36, 37, 39, None], dtype="Int64"),
        "title": ["The paper", "Belarus Digest", "Kremlin", "Kommersant", "Outside work"],
    }
)


def stances_frame() -> pd.DataFrame:
    rows = [
        ("s1", "ukraine_2022", "BLR", "military_support_outside_csto", "fn37", True),
        ("s2", "ukraine_2022", "KAZ", "did_not_follow_russia", "weitz2022", True),
        ("s3", "crimea_2014", "BLR", "declined_to_back_russia", "weitz2022", True),
        ("s4", "crimea_2014", "KAZ", "declined_to_back_russia", "weitz2022", True),
        ("s5", "georgia_2008", "KAZ", "declined_to_back_russia", "weitz2022", True),
    ]
    frame = pd.DataFrame(
        rows, columns=["stance_id", "issue", "iso3", "stance", "source_ids", "in_paper"]
    )
    frame["detail"] = [f"detail {row[0]}" for row in rows]
    frame["coded_from"] = ["paper_states", "paper_states"] + ["course_infers"] * 3
    frame["evidence"] = [f"evidence {row[0]}" for row in rows]
    frame["issue"] = pd.Categorical(frame["issue"], categories=list(ukraine.ISSUE_LABELS))
    frame["stance"] = pd.Categorical(frame["stance"], categories=list(ukraine.STANCE_LABELS))
    frame["in_paper"] = frame["in_paper"].astype("boolean")
    return frame


def events_frame() -> pd.DataFrame:
    rows = [
        ("e_zas", None, "statement", "Zas floats Donbas peacekeepers", "ukraine_2022", "fn36"),
        ("e_inv", "2022-02-24", "crisis", "Invasion", "ukraine_2022", "weitz2022"),
        ("e_bor", "2022", "statement", "Bordyuzha: no consensus", "ukraine_2022", "fn39"),
        ("e_kzs", "2022-01-10", "summit", "Council session on Kazakhstan", "kaz_2022", "fn37"),
        ("e_sum", "2022-05-16", "summit", "Twentieth-anniversary summit", None, "fn37"),
        ("e_arm", "2022-05-16", "statement", "Pashinyan complains", "karabakh_2020", "fn37"),
        (
            "e_kar",
            "2022-06",
            "statement",
            "Kartapolov: peacekeepers later",
            "ukraine_2022",
            "ext_x",
        ),
    ]
    frame = pd.DataFrame(
        rows, columns=["event_id", "date", "kind", "title", "crisis_id", "source_ids"]
    ).astype({"date": "string", "crisis_id": "string"})
    precision = {4: "year", 7: "month", 10: "day"}
    frame["date_precision"] = frame["date"].map(lambda d: precision[len(d)], na_action="ignore")
    frame["date_dt"] = pd.to_datetime(
        frame["date"].map(lambda d: d + "-01-01"[len(d) - 4 :], na_action="ignore")
    )
    frame["description"] = frame["title"] + " (longer)"
    frame["iso3"] = None
    frame["in_paper"] = pd.array([True] * 6 + [False], dtype="boolean")
    return frame


CRISES = pd.DataFrame(
    {
        "crisis_id": ["ukraine_2022", "kaz_2022"],
        "name": ["Invasion of Ukraine", "Kazakhstan unrest"],
        "start": ["2022-02-24", "2022-01"],
        "start_dt": pd.to_datetime(["2022-02-24", "2022-01-01"]),
    }
)
PLACED = {"e_zas": ukraine.PHASES[0], "e_bor": ukraine.PHASES[1]}


def test_stance_grid_chart_labels_every_cell_and_counts_in_words():
    grid = stance_grid(stances_frame(), COUNTRIES, ["georgia_2008", "crimea_2014", "ukraine_2022"])
    fig = ukraine.stance_grid_chart(grid)
    heatmap = fig.data[0]
    assert list(heatmap.y) == ["Belarus", "Kazakhstan"]
    assert list(heatmap.x) == ["Georgia 2008", "Crimea 2014", "Ukraine 2022"]
    assert heatmap.text[0][0] == "not coded"
    assert heatmap.text[0][2] == "military support outside the CSTO"
    assert heatmap.text[1][2] == "did not follow Russia"
    description = fig.layout.meta["description"]
    assert description.startswith("2 states. Georgia 2008: 1 declined to back Russia, 1 not coded;")
    assert "Crimea 2014: 2 declined to back Russia;" in description
    legend = [trace.name for trace in fig.data[1:]]
    assert legend[-1] == "not coded" and "did not follow Russia" in legend


def test_stance_rows_for_one_member_follow_the_issue_order_with_sources():
    rows = ukraine.stance_rows(stances_frame(), COUNTRIES, SOURCES, iso3="KAZ")
    assert list(rows["Issue"]) == ["Georgia 2008", "Crimea 2014", "Ukraine 2022"]
    assert rows["Sources"].iloc[0] == "Weitz 2022"
    assert rows["Coded from"].to_list() == ["our reading of the paper"] * 2 + [
        "stated in the paper"
    ]
    assert rows["Evidence"].iloc[0] == "evidence s5"
    belarus = ukraine.stance_rows(stances_frame(), COUNTRIES, SOURCES, issue="ukraine_2022")
    assert list(belarus["State"]) == ["Belarus", "Kazakhstan"]
    assert belarus["Sources"].iloc[0] == "fn 37"


def test_support_outside_the_organisation_and_member_choices():
    assert ukraine.support_outside_csto(stances_frame()) == ["BLR"]
    assert ukraine.support_outside_csto(stances_frame(), "crimea_2014") == []
    assert ukraine.member_choices(stances_frame(), COUNTRIES) == [
        ("Belarus", "BLR"),
        ("Kazakhstan", "KAZ"),
    ]


def test_member_view_and_explorer_show_one_states_stances():
    view = ukraine.member_view(stances_frame(), COUNTRIES, SOURCES, "BLR")
    assert view.caption == (
        "Belarus: stances on 2 issue(s); military support for Russia given outside the CSTO on 1."
    )
    assert list(view.frame["Issue"]) == ["Crimea 2014", "Ukraine 2022"]
    box = ukraine.stance_explorer(stances_frame(), COUNTRIES, SOURCES, "KAZ")
    (control,) = box.children[0].children
    assert control.description == "Member state" and control.value == "KAZ"


@pytest.mark.parametrize(
    ("day", "precision", "phase"),
    [
        ("2022-01-01", "month", ukraine.PHASES[0]),
        ("2022-02-24", "day", ukraine.PHASES[1]),
        ("2022-03-01", "month", ukraine.PHASES[1]),
        ("2022-05-16", "day", ukraine.PHASES[2]),
        ("2022-06-01", "month", ukraine.PHASES[3]),
        ("2022-05-17", "day", ukraine.PHASES[3]),
        ("2022-02-01", "month", None),  # February holds both sides of the invasion
        ("2022-05-01", "month", None),  # May holds both sides of the summit
        ("2022-01-01", "year", None),
    ],
)
def test_war_phase_places_a_date_only_when_its_whole_period_fits(day, precision, phase):
    invasion, summit = pd.Timestamp("2022-02-24"), pd.Timestamp("2022-05-16")
    assert ukraine.war_phase(pd.Timestamp(day), precision, invasion, summit) == phase


def test_an_empty_date_has_no_phase():
    assert (
        ukraine.war_phase(pd.NaT, None, pd.Timestamp("2022-02-24"), pd.Timestamp("2022-05")) is None
    )


def test_war_statements_take_the_crisis_rows_and_the_summit_after_the_invasion():
    statements = ukraine.war_statements(events_frame(), CRISES, placed_by_paper=PLACED)
    assert list(statements["title"].str.split().str[0]) == [
        "Zas",
        "Invasion",
        "Bordyuzha:",
        "Twentieth-anniversary",
        "Kartapolov:",
    ]
    assert list(statements["number"]) == [1, 2, 3, 4, 5]
    assert list(statements["phase"]) == [
        ukraine.PHASES[0],
        ukraine.PHASES[1],
        ukraine.PHASES[1],
        ukraine.PHASES[2],
        ukraine.PHASES[3],
    ]
    assert list(statements["phase_from"]) == [
        "the paper's account",
        "its date",
        "the paper's account",
        "its date",
        "its date",
    ]
    assert list(statements["source"])[-1] == "from outside the paper"


def test_coarse_dates_without_the_papers_placement_stay_unplaced():
    statements = ukraine.war_statements(events_frame(), CRISES)
    unplaced = statements.loc[statements["phase"] == ukraine.UNPLACED, "title"]
    assert list(unplaced) == ["Bordyuzha: no consensus", "Zas floats Donbas peacekeepers"]
    with pytest.raises(ValueError, match="Unknown phase"):
        ukraine.war_statements(events_frame(), CRISES, placed_by_paper={"e_zas": "long ago"})


def test_turning_points_are_the_invasion_and_the_next_summit():
    points = ukraine.turning_points(events_frame(), CRISES)
    assert list(points["date"]) == ["2022-02-24", "2022-05-16"]
    assert list(points["what"]) == ["Invasion of Ukraine", "Twentieth-anniversary summit"]


def test_war_statements_need_a_summit_after_the_invasion():
    events = events_frame()
    events = events[events["event_id"] != "e_sum"]
    with pytest.raises(ValueError, match="No event of kind 'summit' on or after 2022-02-24"):
        ukraine.war_statements(events, CRISES)


def test_phase_table_says_where_each_statement_and_its_phase_come_from():
    statements = ukraine.war_statements(events_frame(), CRISES, placed_by_paper=PLACED)
    table = ukraine.phase_table(
        statements, SOURCES.assign(date=[None, "2022-05-26", None, "2022-03-04", None])
    )
    assert table["Date"].iloc[0] == "no date given"
    assert table["Sources"].iloc[2] == "fn 39"
    assert table["Sources dated"].iloc[2] == "2022-03-04"
    assert list(ukraine.dated(statements)["number"]) == [2, 3, 4, 5]


def test_drawdown_note_names_the_hosts_on_the_map_and_in_the_description():
    presence = pd.DataFrame(
        {
            "host_iso3": ["ARM", "KGZ", "TJK", "ARM"],
            "kind": ["base", "air_base", "base", "air_defence"],
        }
    )
    hosts = ukraine.bases_hosts(presence, COUNTRIES)
    assert hosts == ["Armenia", "Kyrgyzstan", "Tajikistan"]
    fig = go.Figure(layout={"meta": {"description": "Bases."}})
    ukraine.with_drawdown_note(fig, hosts)
    description = fig.layout.meta["description"]
    assert (
        "the paper does not say whether any came from its bases in Armenia, Kyrgyzstan and "
        "Tajikistan" in description
    )
    assert "no formal statement of a drawdown" in description
    assert "no formal statement of a drawdown" in fig.layout.annotations[0].text


def test_real_data_belarus_alone_helped_outside_and_the_phases_follow_the_paper():
    from helpers.data import load_table

    stances, events, crises = (load_table(n) for n in ("stances", "events", "crises"))
    assert ukraine.support_outside_csto(stances) == ["BLR"]
    placed = {
        "zas_donbas_idea": ukraine.PHASES[0],
        "bordyuzha_consensus": ukraine.PHASES[1],
        "russia_redeploys": ukraine.PHASES[1],
    }
    statements = ukraine.war_statements(events, crises, placed_by_paper=placed)
    assert statements["title"].iloc[0].startswith("Zas")
    assert statements["phase"].iloc[-1] == ukraine.PHASES[3]
    assert statements["title"].iloc[-1].startswith("Kartapolov")
    assert ukraine.UNPLACED not in set(statements["phase"])
    points = ukraine.turning_points(events, crises)
    assert points["date"].iloc[0] == crises.set_index("crisis_id").loc["ukraine_2022", "start"]
    presence = load_table("russian_presence")
    hosts = ukraine.bases_hosts(presence, load_table("countries"))
    assert hosts == ["Armenia", "Kyrgyzstan", "Tajikistan"]
