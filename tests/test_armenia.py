"""Armenia helpers: membership, chairmanships against an outside list, officials, the timeline
of requests and disputes, what Armenia asked against what it got, and the dispute card."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import armenia
from helpers.charts import description_of
from helpers.data import load_table
from tests.conftest import DATA
from tests.test_deployment import COUNTRIES, SOURCES, dated

needs_data = pytest.mark.skipif(
    not (DATA / "datapackage.json").is_file(), reason="the dataset has not landed in data/ yet"
)
NAMES = pd.concat(
    [
        COUNTRIES,
        pd.DataFrame(
            {"iso3": ["AZE", "TJK", "PAK"], "name": ["Azerbaijan", "Tajikistan", "Pakistan"]}
        ),
    ],
    ignore_index=True,
)


def membership() -> pd.DataFrame:
    columns = ["spell_id", "iso3", "framework", "status", "start", "end", "as_of", "in_paper"]
    rows = [
        ("arm_t", "ARM", "treaty", "member", "1992-05-15", "2002-10-07", None, False),
        ("rus_t", "RUS", "treaty", "member", "1992-05-15", "2002-10-07", None, False),
        ("blr_t", "BLR", "treaty", "member", "1993-12-31", "2002-10-07", None, False),
        ("arm_o", "ARM", "organisation", "member", "2002-10-07", None, "2022-06-10", True),
        ("blr_o", "BLR", "organisation", "member", "2002-10-07", None, "2022-06-10", True),
        ("aze_t", "AZE", "treaty", "member", "1993-09-24", "1999", None, False),
    ]
    frame = pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])
    return frame.assign(source_ids="weitz2022")


def test_armenia_is_found_a_founding_member_of_both_frameworks():
    table = armenia.membership_spells(membership(), NAMES, SOURCES)
    assert table["Founding member?"].to_list() == ["yes", "yes"]
    assert table["Framework"].to_list() == ["Collective Security Treaty", "CSTO"]
    belarus = armenia.membership_spells(membership(), NAMES, SOURCES, "BLR")
    assert belarus["Founding member?"].to_list() == ["no", "yes"]  # joined the treaty late


def chairmanships() -> pd.DataFrame:
    columns = ["chair_id", "iso3", "start", "end", "in_paper"]
    rows = [
        ("arm_07", "ARM", "2007", "2008", True),
        ("arm_21", "ARM", "2021", "2022", True),
        ("tjk_21", "TJK", "2021", None, False),
        ("arm_22", "ARM", "2022", None, False),
        ("rus_10", "RUS", "2010", None, False),
    ]
    return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])


def test_chairmanships_are_compared_year_by_year():
    table = armenia.chairmanship_comparison(chairmanships(), NAMES).set_index("Year")
    assert table.index.to_list() == [2007, 2008, 2010, 2021, 2022]
    assert table.loc[2021, "Verdict"] == armenia.DISAGREE
    assert table.loc[2021, "The paper says"] == "Armenia"
    assert table.loc[2021, "Outside list says"] == "Tajikistan"
    assert table.loc[2022, "Verdict"] == armenia.AGREE
    assert table.loc[2007, "Verdict"] == armenia.ONLY_PAPER
    assert table.loc[2010, "Verdict"] == armenia.ONLY_OUTSIDE


def test_chairmanship_chart_names_the_disagreement_in_words():
    fig = armenia.chairmanship_chart(chairmanships(), NAMES)
    assert {trace.name for trace in fig.data} == {"Armenia", "Russia", "Tajikistan"}
    armenia_trace = next(trace for trace in fig.data if trace.name == "Armenia")
    assert list(armenia_trace.x) == [2007, 2008, 2021, 2022, 2022]
    text = description_of(fig)
    assert "disagree: 2021" in text
    assert "In 2021 the paper names Armenia and the outside list names Tajikistan." in text


def test_officials_are_the_posts_held_by_armenians():
    people = pd.DataFrame(
        {
            "person_id": ["pashinyan", "zas"],
            "name": ["Nikol Pashinyan", "Stanislav Zas"],
            "iso3": ["ARM", "BLR"],
        }
    )
    roles = dated(
        [
            {
                "role_id": "r1",
                "person_id": "pashinyan",
                "role": "Prime Minister",
                "organisation": "government",
                "start": "2018",
                "end": None,
                "as_of": "2022-06-10",
                "acting": False,
                "in_paper": True,
                "source_ids": "weitz2022",
            },
            {
                "role_id": "r2",
                "person_id": "zas",
                "role": "Secretary General",
                "organisation": "csto_secretariat",
                "start": "2020-01-01",
                "end": None,
                "as_of": "2022-06-10",
                "acting": False,
                "in_paper": True,
                "source_ids": "weitz2022",
            },
        ],
        column="start",
    )
    table = armenia.officials(roles, people, SOURCES)
    assert table["Person"].to_list() == ["Nikol Pashinyan"]
    assert table["Until"].to_list() == ["open (as of 2022-06-10)"]
    assert table["Sources"].to_list() == ["Weitz 2022"]


def disputes() -> pd.DataFrame:
    columns = [
        "dispute_id",
        "date",
        "title",
        "counterpart_iso3",
        "raised_by",
        "armenia_asked",
        "outcome",
        "got_what_it_asked",
        "delayed",
        "coded_from",
        "evidence",
        "in_paper",
        "source_ids",
        "notes",
    ]
    rows = [
        ("border_2021", "2021-05", "Article 2 request", "AZE", "government", "consultations",
         "a border incident", False, False, "paper_states", "fn 30", True, "fn30;fn31", None),
        ("pakistan", "2016-11", "Pakistan observer veto", "PAK", "parliament", "block Pakistan",
         "blocked", True, False, "paper_states", "fn 27", True, "fn33", "year disputed"),
        ("summit", "2022-05", "Summit complaint", None, "government", "say it", "nothing", None,
         None, "left_open", "fn 32", True, "fn34", None),
        ("post", "2016", "Secretary General", None, "armenia", "the post", "a year late", True,
         True, "paper_states", "fn 26", True, "fn33", None),
        ("expel", "2017", "Expel Belarus", "BLR", "politicians", "expel Belarus", "stayed", False,
         False, "course_infers", "fn 28: read from the members' list", True, "fn34", None),
    ]  # fmt: skip
    frame = dated([dict(zip(columns, row, strict=True)) for row in rows])
    for column in ("got_what_it_asked", "delayed"):
        frame[column] = frame[column].astype("boolean")
    return frame


def events() -> pd.DataFrame:
    columns = [
        "event_id",
        "date",
        "kind",
        "title",
        "description",
        "iso3",
        "crisis_id",
        "in_paper",
        "source_ids",
    ]
    rows = [
        ("war", "2020", "crisis", "War begins", "", "AZE", "karabakh", True, "weitz2022"),
        ("veto", "2016", "dispute", "Pakistan veto", "", "ARM", None, True, "fn30;fn31"),
        ("kaz", "2022-01-06", "decision", "Kazakh decision", "", "KAZ", "kaz", True, "fn33"),
        ("call", "2021-05-13", "statement", "Putin call", "", "RUS", "border", True, "fn30"),
        ("sep", "2022-09-13", "epilogue", "September request", "", "ARM", None, False, "ext_tass"),
    ]
    return dated([dict(zip(columns, row, strict=True)) for row in rows])


def crises() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "crisis_id": ["karabakh", "kaz", "border"],
            "location_iso3": ["AZE", "KAZ", "ARM"],
            "requester_iso3": ["ARM", "KAZ", "ARM"],
            "paper_section": ["armenian_connection", "kazakhstan_precedent", "armenian_connection"],
        }
    )


def test_asked_and_got_orders_disputes_and_says_the_outcome_in_words():
    asked = armenia.asked_and_got(disputes(), NAMES, SOURCES)
    assert asked["Dispute id"].to_list() == ["post", "pakistan", "expel", "border_2021", "summit"]
    assert asked["Got it?"].to_list() == ["late", "yes", "no", "no", "not coded"]
    assert asked["Raised by"].to_list() == [
        "Armenia",
        "Armenia's parliament",
        "some Armenian politicians",
        "Armenia's government",
        "Armenia's government",
    ]
    assert asked["Coded from"].iloc[2] == "our reading of the paper"
    assert asked["Evidence"].iloc[2] == "fn 28: read from the members' list"
    assert asked["Counterpart"].to_list() == ["—", "Pakistan", "Belarus", "Azerbaijan", "—"]


def test_only_armenias_own_requests_are_counted_and_a_late_success_is_its_own_outcome():
    asked = armenia.asked_and_got(disputes(), NAMES, SOURCES)
    counts = armenia.outcome_counts(asked).set_index("Outcome")["Disputes"]
    assert counts.to_dict() == {
        "got what it asked": 1,
        "got it, but late": 1,
        "did not get it": 1,
        "not clear": 1,
    }
    assert armenia.not_armenias_requests(asked)["Dispute id"].to_list() == ["expel"]
    assert "expel" not in armenia.armenias_requests(asked)["Dispute id"].to_list()


def test_outcome_chart_states_the_counts_and_what_it_leaves_out():
    asked = armenia.asked_and_got(disputes(), NAMES, SOURCES)
    fig = armenia.outcome_chart(
        armenia.outcome_counts(asked), left_out=armenia.not_armenias_requests(asked)
    )
    assert list(fig.data[0].text) == ["1 dispute"] * 4
    assert description_of(fig) == (
        "Of 4 requests and disputes raised by Armenia in the data, got what it asked: 1, "
        "got it, but late: 1, did not get it: 1, not clear: 1. Not counted as Armenia's "
        "requests: Expel Belarus (some Armenian politicians)."
    )


def test_timeline_takes_armenian_events_and_those_of_armenian_crises():
    timeline = armenia.armenia_timeline(events(), crises(), (2016, 2022))
    # The war is coded to Azerbaijan and Putin's call to Russia, but both belong to crises Armenia
    # raised; the Kazakh decision does not; the epilogue is left out by default.
    assert timeline["title"].to_list() == ["Pakistan veto", "War begins", "Putin call"]
    assert timeline["number"].to_list() == [1, 2, 3]
    assert armenia.timeline_years(events()) == (2016, 2022)
    table = armenia.timeline_table(timeline, SOURCES)
    assert table["Sources"].to_list() == ["fn 30; fn 31", "Weitz 2022", "fn 30"]
    assert table["From the paper?"].to_list() == ["yes", "yes", "yes"]


def test_a_crisis_in_the_states_section_is_on_its_timeline_without_a_request():
    unasked = crises().assign(requester_iso3=[None, "KAZ", "ARM"])
    titles = armenia.armenia_timeline(events(), unasked, (2016, 2022))["title"].to_list()
    assert "War begins" in titles
    elsewhere = unasked.assign(paper_section=["background", "kazakhstan_precedent", "x"])
    titles = armenia.armenia_timeline(events(), elsewhere, (2016, 2022))["title"].to_list()
    assert "War begins" not in titles


def test_timeline_window_and_epilogue_switch():
    later = armenia.armenia_timeline(events(), crises(), (2021, 2022), include_after_paper=True)
    assert later["title"].to_list() == ["Putin call", "September request"]
    assert later["source"].to_list()[-1] == "from outside the paper"


def test_disputes_after_the_paper_only_when_asked():
    after = disputes().assign(in_paper=[True, True, False, True, True])
    assert len(armenia.asked_and_got(after, NAMES, SOURCES)) == 4
    assert len(armenia.asked_and_got(after, NAMES, SOURCES, include_after_paper=True)) == 5


def test_dispute_card_shows_the_dispute_and_its_outcome():
    card = armenia.dispute_card(disputes(), NAMES, SOURCES, "pakistan")
    facts = dict(card.facts)
    assert card.title == "Pakistan observer veto"
    assert facts["Against or about"] == "Pakistan"
    assert facts["Did it get what it asked?"] == "got what it asked"
    assert facts["Raised by"] == "Armenia's parliament"
    assert facts["How this is coded"] == "stated in the paper: fn 27"
    assert facts["Notes"] == "year disputed"
    late = dict(armenia.dispute_card(disputes(), NAMES, SOURCES, "post").facts)
    assert late["Did it get what it asked?"] == "got it, but late"
    assert "Pakistan observer veto" in repr(card)
    with pytest.raises(KeyError, match="Unknown dispute_id 'nope'"):
        armenia.dispute_card(disputes(), NAMES, SOURCES, "nope")


def test_dispute_choices_are_labelled_with_date_and_title_undated_last():
    undated = pd.concat(
        [disputes(), pd.DataFrame({"dispute_id": ["arms"], "title": ["Arms sales"]})],
        ignore_index=True,
    )
    choices = armenia.dispute_choices(undated)
    assert choices[0] == ("2016: Secretary General", "post")
    assert choices[-1] == ("undated: Arms sales", "arms")


def test_quotations_are_those_sharing_a_source_with_a_dispute():
    quotations = pd.DataFrame(
        {"quote_id": ["zas", "other"], "source_ids": ["fn31", "fn99"], "date_dt": [None, None]}
    )
    assert armenia.dispute_quotations(disputes(), quotations)["quote_id"].to_list() == ["zas"]


@needs_data
def test_the_real_dataset_shows_armenia_founding_and_the_2021_chair_disagreement():
    table = armenia.chairmanship_comparison(load_table("chairmanships"), load_table("countries"))
    assert table.set_index("Year").loc[2021, "Verdict"] == armenia.DISAGREE
    spells = armenia.membership_spells(
        load_table("membership"), load_table("countries"), load_table("sources")
    )
    assert "yes" in spells["Founding member?"].to_list()


@needs_data
def test_real_data_codes_the_post_as_won_late_and_the_expulsion_call_as_politicians():
    disputes_table = load_table("armenia_disputes").set_index("dispute_id")
    post = disputes_table.loc["sg_appointment_delay"]
    assert bool(post["got_what_it_asked"]) and bool(post["delayed"])
    assert post["raised_by"] == "armenia"
    assert disputes_table.loc["belarus_expulsion_call", "raised_by"] == "politicians"
    asked = armenia.asked_and_got(
        load_table("armenia_disputes"), load_table("countries"), load_table("sources")
    )
    counted = armenia.armenias_requests(asked)["Dispute id"].to_list()
    assert "belarus_expulsion_call" not in counted
    assert "sg_appointment_delay" in counted
