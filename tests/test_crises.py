"""Crises: selection, the request -> response table, responses by kind, conditions, case cards."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import crises as cr
from helpers.data import load_table

CRISIS_COLUMNS = [
    "crisis_id", "name", "kind", "location_iso3", "start", "end", "requester_iso3",
    "requester_person_id", "request_date", "request_summary", "legal_basis_cited",
    "csto_response", "csto_response_detail", "csto_deployed", "coded_from", "evidence",
    "russia_action", "before_2022", "source_ids", "in_paper", "notes",
]  # fmt: skip


def crises() -> pd.DataFrame:
    rows = [
        ("kgz_2010", "Kyrgyz riots", "internal_unrest", "KGZ", "2010-06", None, "KGZ",
         "otunbayeva", "2010-06-12", "military police", "none", "request_refused",
         "no legal basis", False, "paper_states", "fn 11: turned down", "sent advisers", True,
         "fn11;fn12;ext_eurasianet", True, None),
        ("border", "Kyrgyz-Tajik border", "interstate_border", None, None, None, None, None,
         None, None, None, "ignored", None, False, "course_infers", "read from silence", None,
         True, "weitz2022", True, None),
        ("kaz_2022", "Kazakhstan", "internal_unrest", "KAZ", "2022-01-02", "2022-01-19", "KAZ",
         None, "2022-01-05", "peacekeepers", "Treaty", "deployment", "sent", True,
         "paper_states", "fn 33", "airlift", False, "fn33", True, None),
        ("arm_2022", "Armenia September 2022", "interstate_border", "ARM", "2022-09-13", None,
         "ARM", None, "2022-09-13", "help", "Article 4", "fact_finding", "mission", False,
         "outside_sources", "notes", None, False, "ext_rt", False, None),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=CRISIS_COLUMNS)
    for column in ("start", "end", "request_date"):
        frame[f"{column}_dt"] = pd.to_datetime(frame[column].map(_first_day))
    for column in ("csto_deployed", "before_2022", "in_paper"):
        frame[column] = frame[column].astype("boolean")
    return frame


def _first_day(text: object) -> object:
    if not isinstance(text, str):
        return None
    return (text + "-01-01")[:10] if len(text) == 4 else (text + "-01")[:10]


def countries() -> pd.DataFrame:
    return pd.DataFrame(
        {"iso3": ["KGZ", "KAZ", "ARM"], "name": ["Kyrgyzstan", "Kazakhstan", "Armenia"]}
    )


def people() -> pd.DataFrame:
    return pd.DataFrame(
        {"person_id": ["otunbayeva", "medvedev"], "name": ["Roza Otunbayeva", "Dmitry Medvedev"]}
    )


def sources() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": ["weitz2022", "fn11", "fn12", "fn33", "ext_eurasianet", "ext_rt", "fn08"],
            "footnote": pd.array([None, 11, 12, 33, None, None, 8], dtype="Int64"),
            "author": [None, "Author A", None, None, None, None, None],
            "title": [
                "The paper",
                "Riots",
                "Medvedev speech",
                "Session",
                "Eurasianet report",
                "RT report",
                "Charter",
            ],
            "outlet": [None, "Outlet", "Kremlin.ru", "Kremlin.ru", "Eurasianet", "RT", None],
            "date": [None, "2010-06-14", None, None, None, None, None],
            "url": [None] * 7,
        }
    )


def quotations() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "quote_id": ["medvedev_2010", "article5", "smo"],
            "speaker_person_id": ["medvedev", None, None],
            "speaker_label": ["then Russian President", "Charter, Article 5", "Russia"],
            "date": ["2010-06", "2002-10", "2022-02"],
            "text": ["only in the case of a foreign intrusion", "non-interference", "operation"],
            "context": ["on Kyrgyzstan", "the Charter", "the war"],
            "source_ids": ["fn12", "fn08", "weitz2022"],
        }
    )
    frame["date_dt"] = pd.to_datetime(frame["date"] + "-01")
    return frame


def test_periods_split_on_2022_and_undated_crises_come_last():
    before = cr.select_crises(crises(), "before_2022")
    assert before["crisis_id"].to_list() == ["kgz_2010", "border"]
    assert cr.select_crises(crises(), "from_2022")["crisis_id"].to_list() == [
        "kaz_2022",
        "arm_2022",
    ]
    assert len(cr.select_crises(crises(), "all")) == 4
    with pytest.raises(ValueError, match=r"'later'.*before_2022"):
        cr.select_crises(crises(), "later")


def test_request_response_table_says_who_asked_and_how_the_csto_answered():
    table = cr.request_response_table(crises(), countries(), people(), sources())
    first = table.iloc[0]
    assert first["Who asked"] == "Kyrgyzstan (Roza Otunbayeva)"
    assert first["CSTO response"] == "refused a member's request"
    assert first["CSTO forces sent"] == "no"
    assert first["Coded from"] == "stated in the paper"
    assert first["Evidence"] == "fn 11: turned down"
    assert first["Sources"] == "fn 11; fn 12; outside the paper: Eurasianet report"
    border = table.iloc[1]
    assert border["Who asked"] == cr.NO_REQUEST
    assert border["Coded from"] == "our reading of the paper"
    assert border["When"] == cr.NO_DATE


def test_responses_by_kind_counts_and_names_the_crises():
    counts = cr.responses_by_kind(crises()).set_index(["kind", "response"])
    assert counts.loc[("internal unrest", "request_refused"), "crises"] == 1
    assert counts.loc[("internal unrest", "deployment"), "names"] == "Kazakhstan"
    assert counts["crises"].sum() == 4


def test_response_counts_most_frequent_first():
    counts = cr.response_counts(cr.select_crises(crises(), "all"))
    assert counts.columns.to_list() == ["CSTO response", "Crises", "Which"]
    assert counts["CSTO response"].to_list() == [
        "deployed forces",
        "fact-finding mission",
        "left a request unanswered",
        "refused a member's request",
    ]
    assert counts["Which"].iloc[3] == "Kyrgyz riots"


def test_responses_chart_uses_patterns_and_describes_the_deployments():
    fig = cr.responses_chart(cr.responses_by_kind(crises()))
    shapes = {trace.name: trace.marker.pattern.shape for trace in fig.data}
    assert shapes["refused a member's request"] == "/"
    assert shapes["left a request unanswered"] == "-"
    assert len(set(shapes.values())) == len(shapes)
    assert fig.layout.barmode == "stack"
    assert fig.layout.xaxis.title.text == "Number of crises"
    description = fig.layout.meta["description"]
    assert description.startswith(
        "4 crises: 1 deployed forces, 1 refused a member's request, 1 left a request unanswered"
    )
    assert "Forces were sent only in: Kazakhstan." in description


def test_chart_without_any_deployment_says_none():
    before = cr.select_crises(crises(), "before_2022")
    description = cr.responses_description(cr.responses_by_kind(before))
    assert description.endswith("In none of them did the CSTO send forces.")


def test_conditions_grid_codes_yes_no_unclear_and_not_coded():
    conditions = pd.DataFrame(
        {
            "crisis_id": ["kgz_2010", "kgz_2010", "kaz_2022"],
            "condition": ["internal_threat", "russia_support", "internal_threat"],
            "value": pd.array([True, None, True], dtype="boolean"),
        }
    )
    grid = cr.conditions_grid(conditions, cr.select_crises(crises(), "all")).set_index("Crisis")
    assert grid.loc["Kyrgyz riots", "Internal threat"] == "yes"
    assert grid.loc["Kyrgyz riots", "Russia in favour"] == "unclear"
    assert grid.loc["Kyrgyz riots", "All members agreed"] == "not coded"
    assert grid.loc["Kazakhstan", "CSTO forces sent"] == "yes"
    assert list(grid.index) == ["Kyrgyz riots", "Kazakhstan", "Armenia September 2022",
                                "Kyrgyz-Tajik border"]  # fmt: skip


def conditions_with_readings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "crisis_id": ["kgz_2010", "kgz_2010", "kgz_2010", "kaz_2022"],
            "condition": ["internal_threat", "russia_support", "consensus", "internal_threat"],
            "value": pd.array([True, False, None, True], dtype="boolean"),
            "basis": ["riots", "Medvedev's remark", "not said", "violence"],
            "coded_from": ["paper_states", "course_infers", "left_open", "paper_states"],
            "evidence": ["fn 11", "fn 12: read from the remark", "nothing", "fn 33"],
        }
    )


def test_conditions_grid_marks_the_course_readings_only_when_asked():
    chosen = cr.select_crises(crises(), "all")
    plain = cr.conditions_grid(conditions_with_readings(), chosen).set_index("Crisis")
    marked = cr.conditions_grid(conditions_with_readings(), chosen, mark_readings=True).set_index(
        "Crisis"
    )
    assert plain.loc["Kyrgyz riots", "Russia in favour"] == "no"
    assert marked.loc["Kyrgyz riots", "Russia in favour"] == "no (our reading)"
    assert marked.loc["Kyrgyz riots", "Internal threat"] == "yes"
    assert marked.loc["Kyrgyz riots", "All members agreed"] == "unclear"
    assert list(marked.columns) == list(plain.columns)


def test_condition_readings_list_each_inferred_code_with_its_evidence():
    readings = cr.condition_readings(conditions_with_readings(), cr.select_crises(crises(), "all"))
    assert readings.to_dict("records") == [
        {
            "Crisis": "Kyrgyz riots",
            "Condition": "Russia in favour",
            "Coded": "no",
            "Why (our reading)": "Medvedev's remark",
            "Evidence in the paper": "fn 12: read from the remark",
        }
    ]


def test_russias_own_actions_are_told_apart_from_the_organisations_answers():
    frame = pd.DataFrame(
        {"csto_response": ["request_refused", cr.RUSSIAS_OWN_ACTION, "declined_to_intervene"]}
    )
    assert cr.russias_own_actions(frame).to_list() == [False, True, False]
    assert "Russia's own action" in cr.RESPONSE_LABELS[cr.RUSSIAS_OWN_ACTION]


def test_quotations_belong_to_a_crisis_through_a_shared_source_other_than_the_paper():
    by_id = crises().set_index("crisis_id", drop=False)
    assert cr.quotations_for(by_id.loc["kgz_2010"], quotations())["quote_id"].to_list() == [
        "medvedev_2010"
    ]
    assert cr.quotations_for(by_id.loc["border"], quotations()).empty


def test_case_card_has_every_fact_quotation_and_footnote():
    card = cr.case_card(
        "kgz_2010",
        crises=crises(),
        countries=countries(),
        people=people(),
        quotations=quotations(),
        sources=sources(),
    )
    facts = dict(card.facts)
    assert facts["Who asked"] == "Kyrgyzstan (Roza Otunbayeva)"
    assert facts["CSTO response"] == "refused a member's request: no legal basis"
    assert facts["How the request and response are coded"] == (
        "stated in the paper: fn 11: turned down"
    )
    assert facts["What Russia did"] == "sent advisers"
    assert card.quotations == (
        "“only in the case of a foreign intrusion” (Dmitry Medvedev, then Russian President, "
        "2010-06; fn 12)",
    )
    assert card.sources[0] == "[fn 11] Author A, Riots, Outlet, 2010-06-14"
    assert card.sources[2].startswith("[outside the paper: Eurasianet report]")
    page = card._repr_html_()
    assert 'aria-label="Case card: Kyrgyz riots"' in page
    assert "<dd>Kyrgyzstan (Roza Otunbayeva)</dd>" in page
    assert repr(card).startswith("Kyrgyz riots\n============")


def test_case_card_marks_cases_from_outside_the_paper_and_fills_gaps_in_words():
    card = cr.case_card(
        "arm_2022",
        crises=crises(),
        countries=countries(),
        people=people(),
        quotations=quotations(),
        sources=sources(),
    )
    assert card.note == "This case comes from sources outside the paper."
    assert dict(card.facts)["What Russia did"] == "not stated"
    border = cr.case_card(
        "border",
        crises=crises(),
        countries=countries(),
        people=people(),
        quotations=quotations(),
        sources=sources(),
    )
    assert dict(border.facts)["Who asked"] == cr.NO_REQUEST
    assert dict(border.facts)["What was asked"] == "no request in the sources"
    assert dict(border.facts)["When"] == cr.NO_DATE
    assert dict(border.facts)["Where"] == "no single country (see notes)"
    assert border.quotations == ()


def test_unknown_crisis_lists_the_known_ones():
    with pytest.raises(KeyError, match=r"'nowhere'.*arm_2022, border, kaz_2022, kgz_2010"):
        cr.case_card(
            "nowhere",
            crises=crises(),
            countries=countries(),
            people=people(),
            quotations=quotations(),
            sources=sources(),
        )


def test_quotation_table_names_speaker_and_footnote():
    table = cr.quotation_table(quotations(), people(), sources())
    assert table["Who"].to_list() == [
        "Dmitry Medvedev, then Russian President",
        "Charter, Article 5",
        "Russia",
    ]
    assert table["Source"].to_list() == ["fn 12", "fn 8", "Weitz 2022"]
    assert table["Quotation"].iloc[1] == "“non-interference”"


def test_real_crises_before_2022_never_saw_a_csto_deployment():
    data = load_table("crises")
    before = cr.select_crises(data, "before_2022")
    assert {
        "kgz_2010_riots",
        "kgz_2020_unrest",
        "kgz_tjk_border",
        "syria_war",
        "afghanistan",
    } <= set(before["crisis_id"])
    assert not before["csto_deployed"].any()


def test_russias_own_actions_in_the_data_are_not_refused_requests():
    """Georgia 2008, Crimea and eastern Ukraine: the members would not back Russia; nobody asked
    the CSTO, so none of them is coded as a request the organisation refused."""
    data = load_table("crises")
    own = data[cr.russias_own_actions(data)]
    assert set(own["crisis_id"]) == {"georgia_2008", "crimea_2014", "donbas_2014"}
    assert own["requester_iso3"].isna().all()
    refused = data[data["csto_response"].astype("string") == "request_refused"]
    assert refused["requester_iso3"].notna().all()


def test_no_request_is_coded_for_armenia_during_the_2020_war():
    data = load_table("crises").set_index("crisis_id")
    assert pd.isna(data.loc["karabakh_2020", "requester_iso3"])
    conditions = load_table("crisis_conditions")
    request = conditions[
        (conditions["crisis_id"] == "karabakh_2020")
        & (conditions["condition"].astype("string") == "government_request")
    ]
    assert request["value"].isna().all()
