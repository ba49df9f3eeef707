"""Russia's share of the members' military resources: member years, gaps, summary and chart."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import capabilities
from helpers.data import load_table


def membership() -> pd.DataFrame:
    rows = [
        ("rus_t", "RUS", "treaty", "member", "1992-05-15", "2002-10-07", None),
        ("rus_o", "RUS", "organisation", "member", "2002-10-07", None, "2022-06-10"),
        ("kaz_o", "KAZ", "organisation", "member", "2002-10-07", None, "2022-06-10"),
        ("uzb_o", "UZB", "organisation", "member", "2006-08-16", "2012-06-20", None),
        ("uzb_s", "UZB", "organisation", "suspended", "2012-06-20", "2012-12-19", None),
        ("afg_pa", "AFG", "parliamentary_assembly", "observer", "2013-04", None, "2022-06-10"),
    ]
    return pd.DataFrame(
        rows, columns=["spell_id", "iso3", "framework", "status", "start", "end", "as_of"]
    ).astype("string")


def nmc() -> pd.DataFrame:
    rows = []
    for year in range(2004, 2015):
        rows += [
            ("RUS", year, 80.0, 1000.0),
            ("KAZ", year, 10.0 if year != 2008 else None, 60.0),
            ("UZB", year, 10.0, 40.0),
            ("AFG", year, 5.0, 5.0),
        ]
    frame = pd.DataFrame(rows, columns=["iso3", "year", "milex", "milper"])
    frame["milex"] = frame["milex"].astype("Float64")
    return frame


def test_states_count_only_in_their_member_years():
    members = capabilities.member_years(membership(), (2005, 2013))
    uzbek_years = members.loc[members["iso3"] == "UZB", "year"].to_list()
    assert uzbek_years == list(range(2006, 2013))
    assert "AFG" not in set(members["iso3"])
    assert members.loc[members["year"] == 2013, "iso3"].to_list() == ["KAZ", "RUS"]


def test_share_is_russia_over_the_members_with_a_figure():
    shares = capabilities.russia_share(nmc(), membership(), "milex", (2005, 2013)).set_index("year")
    assert shares.loc[2005, "russia_share_pct"] == pytest.approx(80 / 90 * 100)
    assert shares.loc[2007, "russia_share_pct"] == pytest.approx(80 / 100 * 100)
    assert shares.loc[2013, "members"] == 2
    assert shares.loc[2013, "russia_share_pct"] == pytest.approx(80 / 90 * 100)


def test_a_missing_member_figure_is_flagged_not_filled():
    shares = capabilities.russia_share(nmc(), membership(), "milex", (2005, 2013)).set_index("year")
    assert not shares.loc[2008, "complete"]
    assert shares.loc[2008, "missing"] == "KAZ"
    assert shares.loc[2008, "russia_share_pct"] == pytest.approx(80 / 90 * 100)
    assert shares["complete"].drop(2008).all()
    gaps = capabilities.missing_figures(shares.reset_index())
    assert gaps["Year"].to_list() == [2008]
    assert gaps["Members without a figure"].to_list() == ["KAZ"]


def test_no_share_when_russias_own_figure_is_missing():
    data = nmc()
    data.loc[(data["iso3"] == "RUS") & (data["year"] == 2010), "milex"] = pd.NA
    shares = capabilities.russia_share(data, membership(), "milex", (2009, 2011)).set_index("year")
    assert math.isnan(shares.loc[2010, "russia_share_pct"])
    summary = capabilities.share_summary(shares.reset_index()).iloc[0]
    assert summary["Years without a share"] == 1


def test_unknown_measure_is_refused_with_the_allowed_values():
    with pytest.raises(ValueError, match=r"'gdp'.*milex, milper"):
        capabilities.russia_share(nmc(), membership(), "gdp", (2005, 2006))


def test_summary_gives_lowest_and_peak_years():
    shares = capabilities.russia_share(nmc(), membership(), "milper", (2005, 2013))
    summary = capabilities.share_summary(shares).iloc[0]
    assert summary["Measure"] == "military personnel"
    assert summary["Lowest in"] == 2006
    assert summary["Lowest share (%)"] == round(1000 / 1100 * 100, 1)
    assert summary["Peak year"] == 2005
    assert summary["Highest share (%)"] == round(1000 / 1060 * 100, 1)


def test_every_measure_is_stacked_for_the_summary():
    stacked = capabilities.shares_by_measure(nmc(), membership(), (2005, 2013))
    assert stacked.groupby("measure").size().to_dict() == {"milex": 9, "milper": 9}
    summary = capabilities.share_summary(stacked)
    assert summary["Measure"].to_list() == ["military expenditure", "military personnel"]


def test_chart_marks_incomplete_years_hollow_and_says_so():
    shares = capabilities.russia_share(nmc(), membership(), "milex", (2005, 2013))
    fig = capabilities.share_chart(shares)
    trace = fig.data[0]
    hollow = [
        year for year, colour in zip(trace.x, trace.marker.color, strict=True) if colour == "white"
    ]
    assert hollow == [2008]
    description = fig.layout.meta["description"]
    assert "ranged from 80.0% (2006) to 88.9% (2005)" in description
    assert "(2008)" in description and "upper bound" in description
    assert fig.layout.yaxis.title.text.startswith("Russia's share")


def test_real_data_russia_dominates_every_year():
    shares = capabilities.russia_share(
        load_table("cow_nmc"), load_table("membership"), "milex", (2002, 2022)
    )
    assert len(shares) == 21
    assert (shares["russia_share_pct"] > 75).all()
    uzbek = shares[shares["member_list"].str.contains("UZB")]["year"].to_list()
    assert uzbek == list(range(2006, 2013))
