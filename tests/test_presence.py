"""Russian bases and support: lease table, offline map with the unplaceable ones named."""

from __future__ import annotations

import json

import pandas as pd

from helpers import presence


def bases() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "presence_id": ["gyumri", "kant", "joint_group"],
            "host_iso3": ["ARM", "KGZ", "ARM"],
            "name": ["102nd base", "Kant air base", "Joint group"],
            "kind": ["base", "air_base", "joint_group"],
            "place": ["Gyumri", "Kant", None],
            "lat": [40.79, 42.85, None],
            "lon": [43.85, 74.85, None],
            "established": ["1995", "2003-10", None],
            "lease_until": ["2044", "2032", None],
            "lease_terms": ["49 years", "15 years", None],
            "troops_low": [3000, None, None],
            "troops_best": [3000, None, None],
            "troops_high": [3500, None, None],
            "in_paper": [True, False, True],
            "source_ids": ["fn24", "ext_a", "weitz2022"],
        }
    )
    for column in ("troops_low", "troops_best", "troops_high"):
        frame[column] = frame[column].astype("Int64")
    for column in ("lat", "lon"):
        frame[column] = frame[column].astype("Float64")
    frame["in_paper"] = frame["in_paper"].astype("boolean")
    return frame


COUNTRIES = pd.DataFrame(
    {"iso3": ["ARM", "KGZ", "RUS"], "name": ["Armenia", "Kyrgyzstan", "Russia"]}
)


def test_bases_table_gives_lease_and_troops_by_host():
    table = presence.bases_table(bases(), COUNTRIES)
    assert table["Host"].to_list() == ["Armenia", "Armenia", "Kyrgyzstan"]
    gyumri = table.set_index("Russian presence").loc["102nd base"]
    assert gyumri["Lease until"] == "2044"
    assert gyumri["Troops"] == "3,000 (sources give 3,000\u20133,500)"
    assert (
        table.set_index("Russian presence").loc["Kant air base", "Only outside the paper"] == "yes"
    )
    assert gyumri["Only outside the paper"] == "no"


def test_map_marks_located_sites_and_names_the_rest():
    fig = presence.bases_map(bases(), COUNTRIES)
    points = next(trace for trace in fig.data if trace.name == "Russian site")
    assert list(points.text) == ["102nd base", "Kant air base"]
    assert {t.name for t in fig.data} >= {presence.HOST_LABEL, presence.RUSSIA_LABEL}
    assert (
        "geo"
        not in json.dumps(fig.to_plotly_json()["data"], default=str).lower().split('"type"')[0]
    )
    description = fig.layout.meta["description"]
    assert "3 Russian bases or forces are listed in 2 states (Armenia, Kyrgyzstan)" in description
    assert "1 have no single site and are not drawn: Joint group." in description


def test_support_table_reads_an_empty_recipient_as_all_other_members():
    support = pd.DataFrame(
        {
            "support_id": ["arm_2010", "training"],
            "recipient_iso3": ["ARM", None],
            "kind": ["arms_supply", "training_subsidy"],
            "date": ["2010-08", None],
            "value_usd_low": pd.array([None, None], dtype="Int64"),
            "value_usd_best": pd.array([800_000_000, None], dtype="Int64"),
            "value_usd_high": pd.array([None, None], dtype="Int64"),
            "description": ["arms for the extension", "places at academies"],
            "in_paper": pd.array([True, True], dtype="boolean"),
            "source_ids": ["fn24", "weitz2022"],
        }
    )
    table = presence.support_table(support, COUNTRIES)
    assert table["Recipient"].to_list() == ["Armenia", "all other members"]
    assert table["Value (US$)"].to_list() == ["800,000,000", "not given"]
    assert table["Kind"].to_list() == ["arms supply", "training subsidy"]
