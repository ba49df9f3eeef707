"""The Kazakhstan deployment helpers: days, figures as ranges, sites, and the comparison."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import deployment
from helpers.charts import description_of
from helpers.data import load_table
from helpers.tables import estimate_text
from tests.conftest import DATA

HAS_DATA = (DATA / "datapackage.json").is_file()
needs_data = pytest.mark.skipif(not HAS_DATA, reason="the dataset has not landed in data/ yet")


def dated(rows: list[dict], column: str = "date") -> pd.DataFrame:
    """A small table typed like load_table's: the date text, its precision and a timestamp."""
    frame = pd.DataFrame(rows)
    frame[f"{column}_precision"] = frame[column].map(
        lambda t: None if pd.isna(t) else {4: "year", 7: "month", 10: "day"}[len(t)]
    )
    frame[f"{column}_dt"] = pd.to_datetime(frame[column], format="mixed")
    return frame


SOURCES = pd.DataFrame(
    {
        "source_id": ["weitz2022", "fn33", "fn34", "ext_tass", "ext_press", "fn30", "fn31"],
        "footnote": pd.array([None, 33, 34, None, None, 30, 31], dtype="Int64"),
        "in_paper": [True, True, True, False, False, True, True],
        "author": [None, None, "Pannier", None, None, None, "Ghazanchyan"],
        "title": ["The paper", "Session", "How", "TASS report", "Press report", "Turns", "Sees"],
        "outlet": [None, "Kremlin.ru", "FPRI", "TASS", "Some paper", "RFE/RL", "Armradio"],
        "date": [None] * 7,
        "url": [None] * 7,
    }
)
COUNTRIES = pd.DataFrame(
    {
        "iso3": ["ARM", "KAZ", "RUS", "BLR"],
        "name": ["Armenia", "Kazakhstan", "Russia", "Belarus"],
    }
)


def kazakh_events() -> pd.DataFrame:
    columns = ["event_id", "date", "kind", "title", "in_paper", "source_ids", "crisis_id"]
    rows = [
        ("e5", "2022-01-19", "deployment", "All out", True, "fn34", "kaz_2022"),
        ("e1", "2022-01-05", "request", "Tokayev asks", False, "ext_tass", "kaz_2022"),
        ("e0", "2022-01", "crisis", "Protests spread", True, "fn34", "kaz_2022"),
        ("e2", "2022-01-06", "decision", "Council decides", True, "fn33", "kaz_2022"),
        ("e4", "2022-01-13", "deployment", "Withdrawal begins", False, "ext_tass", "kaz_2022"),
        ("x1", "2010-06-12", "request", "Other crisis", True, "fn33", "kgz_2010_riots"),
    ]
    frame = dated([dict(zip(columns, row, strict=True)) for row in rows])
    notes = [None, "The paper reports the request; its day is external.", None, None, None, None]
    return frame.assign(description="", iso3="KAZ", notes=notes)


def test_days_are_ordered_numbered_from_the_first_day_and_marked_by_origin():
    timeline = deployment.crisis_timeline(kazakh_events())
    days = deployment.deployment_days(timeline, SOURCES)
    assert days["Date"].to_list() == [
        "2022-01",
        "2022-01-05",
        "2022-01-06",
        "2022-01-13",
        "2022-01-19",
    ]
    assert days["No."].to_list() == [1, 2, 3, 4, 5]
    # A month-precise date gets no day number: no day is invented for it.
    assert days["Day"].to_list()[1:] == [1, 2, 9, 15] and pd.isna(days["Day"].iloc[0])
    assert days["From the paper?"].to_list() == ["yes", "no", "yes", "no", "yes"]
    assert days["Sources"].iloc[2] == "fn 33"
    assert days["Sources"].iloc[1] == "outside the paper: TASS report"
    assert days["Notes"].iloc[1] == "The paper reports the request; its day is external."
    assert days["Notes"].iloc[0] == ""


def test_pace_names_request_decision_and_last_event_by_day():
    days = deployment.deployment_days(deployment.crisis_timeline(kazakh_events()), SOURCES)
    assert deployment.pace(days) == (
        "Day 1 is 2022-01-05: the request on 2022-01-05 (day 1); the decision on 2022-01-06 "
        "(day 2); the last event, All out, on 2022-01-19 (day 15). Events known only from "
        "outside the paper: 2022-01-05, 2022-01-13."
    )


def test_days_for_an_unknown_crisis_are_refused():
    with pytest.raises(ValueError, match="crisis_id='nowhere'"):
        deployment.crisis_timeline(kazakh_events(), "nowhere")


def figures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "figure_id": ["t_paper", "t_press", "arm_mod", "arm_press", "rus", "blr"],
            "deployment_id": ["kaz_2022_csto"] * 6,
            "scope": ["total", "total", "country", "country", "country", "country"],
            "iso3": [None, None, "ARM", "ARM", "RUS", "BLR"],
            "value_low": pd.array([None, 2000, None, None, None, None], dtype="Int64"),
            "value_best": pd.array([2500, 2400, 100, 70, 3000, None], dtype="Int64"),
            "value_high": pd.array([None, 2500, None, None, None, None], dtype="Int64"),
            "estimate_type": [
                "approximate",
                "reported",
                "official",
                "reported",
                "reported",
                "reported",
            ],
            "unit_note": [None, None, None, None, None, "one company"],
            "source_ids": [
                "weitz2022",
                "ext_press",
                "ext_press",
                "ext_press",
                "ext_press",
                "ext_tass",
            ],
            "in_paper": [True, False, False, False, False, False],
        }
    )


def test_figure_ranges_keep_every_claim_total_first_then_largest_contributor():
    ranges = deployment.figure_ranges(figures(), COUNTRIES, SOURCES)
    assert ranges["Contributor"].to_list() == [
        deployment.TOTAL_LABEL,
        deployment.TOTAL_LABEL,
        "Russia",
        "Armenia",
        "Armenia",
        "Belarus",
    ]
    assert ranges["Figure"].iloc[1] == estimate_text(2000, 2400, 2500)
    assert ranges["Best"].iloc[3:5].to_list() == [100, 70]
    assert ranges["What was counted"].iloc[5] == "one company"
    assert deployment.paper_total(ranges) == 2500


def test_contributors_can_add_up_to_more_than_the_stated_total():
    summary = deployment.contributors_against_total(
        deployment.figure_ranges(figures(), COUNTRIES, SOURCES)
    ).set_index("Measure")["Value"]
    assert summary["Sum of each contributor's lowest figure"] == "3,070"
    assert summary["Sum of each contributor's highest figure"] == "3,100"
    assert summary["Highest stated total"] == "2,500"
    assert summary["Contributors with no number"] == "Belarus"


def test_ranges_chart_marks_the_paper_total_and_describes_each_span():
    ranges = deployment.figure_ranges(figures(), COUNTRIES, SOURCES)
    fig = deployment.ranges_chart(ranges, marked_total=2500)
    assert fig.layout.shapes[0].x0 == 2500
    assert "about 2,500" in fig.layout.annotations[0].text
    text = description_of(fig)
    assert "Whole force (total): 2,000 to 2,500" in text
    assert "Armenia: 70 to 100" in text
    assert "Belarus: no head count given (one company)" in text
    symbols = {trace.marker.symbol for trace in fig.data if trace.mode == "markers"}
    assert len(symbols) == 3  # estimate types differ by shape, not colour alone
    line = fig.data[0]
    assert list(line.y) == [deployment.TOTAL_LABEL] * 2 + [None] + ["Russia"] * 2 + [None] + [
        "Armenia"
    ] * 2 + [None]
    assert list(line.x)[:2] == [2000, 2500]


def test_contributor_ranges_span_every_source_and_name_uncounted_figures():
    spans = deployment.contributor_ranges(
        deployment.figure_ranges(figures(), COUNTRIES, SOURCES)
    ).set_index("Contributor")
    assert spans.loc["Armenia", "Lowest"] == 70 and spans.loc["Armenia", "Highest"] == 100
    assert spans.loc["Armenia", "Official figures"] == "100"
    assert pd.isna(spans.loc["Belarus", "Lowest"])
    assert spans.loc["Belarus", "Without a head count"] == "one company"
    assert spans.loc[deployment.TOTAL_LABEL, "Figures"] == 2


def test_markers_drop_repeated_markers():
    assert deployment.markers("fn33;fn33;ext_tass", SOURCES) == (
        "fn 33; outside the paper: TASS report"
    )


def test_figures_for_filters_by_contributor_and_by_source():
    ranges = deployment.figure_ranges(figures(), COUNTRIES, SOURCES)
    assert len(deployment.figures_for(ranges)) == 6
    assert deployment.figures_for(ranges, "ARM")["Best"].to_list() == [100, 70]
    assert len(deployment.figures_for(ranges, "total")) == 2
    assert deployment.figures_for(ranges, source="ext_tass")["Contributor"].to_list() == ["Belarus"]
    assert deployment.figures_for(ranges, "RUS", "weitz2022").empty
    assert deployment.contributor_choices(ranges)[:3] == [
        ("All figures", "all"),
        (deployment.TOTAL_LABEL, "total"),
        ("Armenia", "ARM"),
    ]
    assert deployment.source_choices(ranges) == ["all", "ext_press", "ext_tass", "weitz2022"]


def test_figures_view_shows_a_chart_and_returns_the_chosen_rows(monkeypatch):
    shown = []
    monkeypatch.setattr(deployment, "show", shown.append)
    ranges = deployment.figure_ranges(figures(), COUNTRIES, SOURCES)
    view = deployment.figures_view(ranges, "ARM", marked_total=2500)
    assert view.frame["Figure"].to_list() == ["100", "70"]
    assert len(shown) == 1 and "Armenia: 70 to 100" in description_of(shown[0])
    uncounted = deployment.figures_view(ranges, "BLR")
    assert uncounted.frame["What was counted"].to_list() == ["one company"]
    assert len(shown) == 1  # nothing to draw without a head count
    nothing = deployment.figures_view(ranges, "RUS", "ext_tass")
    assert "No figure" in nothing.frame.iloc[0, 0]


def test_sites_and_facts_cite_their_sources():
    sites = pd.DataFrame(
        {
            "site_id": ["b", "a"],
            "deployment_id": ["kaz_2022_csto", "kaz_2022_csto"],
            "name": ["Baikonur Cosmodrome", "Almaty Airport"],
            "kind": ["cosmodrome", "airport"],
            "source_ids": ["fn34", "fn34"],
            "in_paper": [True, True],
        }
    )
    table = deployment.sites_table(sites, SOURCES)
    assert table["Site"].to_list() == ["Almaty Airport", "Baikonur Cosmodrome"]
    assert table["Sources"].to_list() == ["fn 34", "fn 34"]
    deployments = pd.DataFrame(
        {
            "deployment_id": ["kaz_2022_csto"],
            "name": ["CSTO force"],
            "framework": ["csto"],
            "legal_basis": ["Treaty; Charter; peacekeeping agreement"],
            "tasks": ["guard sites"],
            "rules_of_engagement": [None],
            "start": ["2022-01-06"],
            "end": ["2022-01-19"],
            "size_low": pd.array([None], dtype="Int64"),
            "size_best": pd.array([2500], dtype="Int64"),
            "size_high": pd.array([None], dtype="Int64"),
            "sites_count_low": pd.array([None], dtype="Int64"),
            "sites_count_best": pd.array([14], dtype="Int64"),
            "sites_count_high": pd.array([None], dtype="Int64"),
            "commander_person_id": ["serdyukov"],
            "source_ids": ["fn33;ext_tass"],
            "in_paper": [True],
        }
    )
    people = pd.DataFrame({"person_id": ["serdyukov"], "name": ["Andrei Serdyukov"]})
    facts = deployment.deployment_facts(deployments, people, SOURCES).set_index("Fact")["Value"]
    assert facts["Commander"] == "Andrei Serdyukov"
    assert facts["Legal basis cited"] == "Treaty; Charter; peacekeeping agreement"
    assert facts["Rules of engagement"] == "not given"
    assert facts["Troops"] == "2,500"
    assert facts["Sites guarded"] == "14"
    assert facts["Sources"] == "fn 33; outside the paper: TASS report"


CONDITIONS = list(deployment.CONDITION_LABELS)


def crises() -> pd.DataFrame:
    return dated(
        [
            {
                "crisis_id": "kgz_2010",
                "name": "Kyrgyz riots",
                "start": "2010-06",
                "csto_response": "request_refused",
                "csto_deployed": False,
                "in_paper": True,
            },
            {
                "crisis_id": "kaz_2022",
                "name": "Kazakh unrest",
                "start": "2022-01",
                "csto_response": "deployment",
                "csto_deployed": True,
                "in_paper": True,
            },
            {
                "crisis_id": "arm_2021",
                "name": "Border clash",
                "start": "2021-05",
                "csto_response": "request_refused",
                "csto_deployed": False,
                "in_paper": True,
            },
        ],
        column="start",
    )


READINGS = {("kgz_2010", "russia_support"), ("kgz_2010", "foreign_terrorism_framing")}


def conditions() -> pd.DataFrame:
    codes = {
        "kaz_2022": [True, True, True, True, True, True],
        "kgz_2010": [True, True, True, False, None, False],
        "arm_2021": [False, True, True, False, False, False],
    }
    rows = [
        {
            "crisis_id": crisis,
            "condition": condition,
            "value": value,
            "basis": f"why {condition}",
            "coded_from": "course_infers" if (crisis, condition) in READINGS else "paper_states",
            "evidence": f"where {condition}",
            "source_ids": "fn33",
            "in_paper": True,
        }
        for crisis, values in codes.items()
        for condition, value in zip(CONDITIONS, values, strict=True)
    ]
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype("boolean")
    return frame


def test_comparison_puts_the_chosen_case_first_and_names_each_difference():
    compared = deployment.compare_with_other_crises(crises(), conditions())
    assert compared["Crisis"].to_list() == ["Kazakh unrest", "Kyrgyz riots", "Border clash"]
    assert compared["Start"].to_list() == ["2022-01", "2010-06", "2021-05"]
    differs = compared["Differs from the chosen case on"].to_list()
    assert differs[0] == "(the chosen case)"
    # Kyrgyzstan 2010: consensus is unclear, so it is not counted as a difference.
    assert differs[1] == "russia in favour, blamed on foreign terrorists"
    assert differs[2].startswith("internal threat")
    assert compared["Response"].to_list() == [
        "deployed forces",
        "refused a member's request",
        "refused a member's request",
    ]
    assert compared["Our reading, not the paper's statement"].to_list() == [
        "none",
        "russia in favour, blamed on foreign terrorists",
        "none",
    ]
    assert deployment.identical_cases(compared) == []
    assert deployment.deployed_cases(compared)["Crisis"].to_list() == ["Kazakh unrest"]


def test_condition_contrast_counts_alike_different_and_uncoded():
    contrast = deployment.condition_contrast(
        deployment.compare_with_other_crises(crises(), conditions())
    ).set_index("Condition")
    consensus = contrast.loc[deployment.CONDITION_LABELS["consensus"]]
    assert consensus["Other crises alike"] == 0
    assert consensus["Other crises different"] == 1
    assert consensus["Other crises not coded or unclear"] == 1
    request = contrast.loc[deployment.CONDITION_LABELS["government_request"]]
    assert request["Other crises alike"] == 2


def test_an_identically_coded_case_is_found():
    same = conditions()
    same.loc[same["crisis_id"] == "arm_2021", "value"] = True
    compared = deployment.compare_with_other_crises(crises(), same)
    assert deployment.identical_cases(compared) == ["Border clash"]


def test_contrast_chart_labels_cells_same_or_differs():
    fig = deployment.contrast_chart(deployment.compare_with_other_crises(crises(), conditions()))
    heatmap = fig.data[0]
    assert list(heatmap.y) == ["Kazakh unrest", "Kyrgyz riots", "Border clash"]
    assert heatmap.text[1][3] == "differs" and heatmap.text[1][0] == "same"
    assert heatmap.text[1][4] == "unclear"  # the comparison table's word for it
    legend = [trace.name for trace in fig.data[1:]]
    assert legend == ["same", "differs", "unclear"]
    assert "Coded exactly like it on every condition: none" in description_of(fig)


def test_day_by_day_chart_names_year_only_events_instead_of_stretching_the_axis():
    frame = pd.DataFrame({
        "number": [1, 2, 3],
        "date": ["2022", "2022-01-05", "2022-01-06"],
        "date_dt": pd.to_datetime(["2022-01-01", "2022-01-05", "2022-01-06"]),
        "kind": ["statement", "request", "decision"],
        "title": ["A speech", "The request", "The decision"],
        "description": ["", "", ""], "iso3": ["RUS", "KAZ", "ARM"],
        "source": [deployment.IN_PAPER] * 3, "source_ids": ["weitz2022"] * 3,
    })
    fig = deployment.day_by_day_chart(frame, title="Days")
    drawn = [x for trace in fig.data for x in trace.x if x is not None]
    assert max(pd.to_datetime(drawn)) == pd.Timestamp("2022-01-06")  # not 2022-12-31
    note = "Dated only to the year, so not drawn: 1. A speech (2022)."
    assert fig.layout.annotations[0].text.replace("<br>", " ") == note
    assert description_of(fig).endswith(note)
    assert "2 events from 2022-01-05 to 2022-01-06" in description_of(fig)


def test_case_conditions_give_the_reason_for_each_code():
    table = deployment.case_conditions(
        conditions(), SOURCES, "kaz_2022", only=["russia_support", "foreign_terrorism_framing"]
    )
    assert table["Coded"].to_list() == ["yes", "yes"]
    assert table["Coded from"].to_list() == ["stated in the paper"] * 2
    assert table["Why"].to_list() == ["why russia_support", "why foreign_terrorism_framing"]
    assert table["Evidence"].to_list() == [
        "where russia_support",
        "where foreign_terrorism_framing",
    ]
    kyrgyz = deployment.case_conditions(conditions(), SOURCES, "kgz_2010", only=["russia_support"])
    assert kyrgyz["Coded from"].to_list() == ["our reading of the paper"]


def test_unknown_crisis_is_refused_in_the_comparison():
    with pytest.raises(ValueError, match="crisis_id='nope'"):
        deployment.compare_with_other_crises(crises(), conditions(), "nope")


@needs_data
def test_the_real_dataset_gives_the_paper_total_and_a_unique_kazakh_case():
    ranges = deployment.figure_ranges(
        load_table("deployment_figures"), load_table("countries"), load_table("sources")
    )
    assert deployment.paper_total(ranges) == 2500
    compared = deployment.compare_with_other_crises(
        load_table("crises"), load_table("crisis_conditions")
    )
    assert compared.iloc[0]["CSTO forces sent"] == "yes"
    assert deployment.identical_cases(compared) == []
    timeline = deployment.crisis_timeline(load_table("events"))
    days = deployment.deployment_days(timeline, load_table("sources"))
    assert days["Date"].iloc[-1] == "2022-01-19"
