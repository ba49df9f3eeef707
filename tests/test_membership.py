"""Membership: spells to years, standing on a day, and the comparison with COW IGO v3.

Small in-test tables pin the rules (both end years count; the stronger status shows; an open
spell lasts from its start; COW's silence is kept visible), so a changed rule fails here first.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from helpers import membership
from helpers.charts import description_of
from helpers.data import load_table
from tests.conftest import DATA

COUNTRIES = pd.DataFrame(
    {
        "iso3": ["RUS", "UZB", "AZE", "AFG"],
        "name": ["Russia", "Uzbekistan", "Azerbaijan", "Afghanistan"],
    }
)
AS_OF = "2022-06-10"


def membership_table(rows: list[tuple]) -> pd.DataFrame:
    columns = ["spell_id", "iso3", "framework", "status", "start", "end", "as_of"]
    frame = pd.DataFrame(rows, columns=columns).astype("string")
    frame["source_ids"] = "weitz2022"
    return frame.assign(
        framework=pd.Categorical(frame["framework"]), status=pd.Categorical(frame["status"])
    )


SPELLS = membership_table(
    [
        ("rus_cst", "RUS", "treaty", "member", "1992-05-15", "2002-10-07", None),
        ("rus_csto", "RUS", "organisation", "member", "2002-10-07", None, AS_OF),
        ("uzb_cst", "UZB", "treaty", "member", "1994", "1999-04", None),
        ("uzb_csto", "UZB", "organisation", "member", "2006-08-16", "2012-06-28", None),
        ("uzb_susp", "UZB", "organisation", "suspended", "2012-06-28", "2012-12-19", None),
        ("aze_cst", "AZE", "treaty", "member", "1993-09-24", "1999", None),
        ("afg_pa", "AFG", "parliamentary_assembly", "observer", "2013-04", None, AS_OF),
    ]
)


@pytest.fixture
def spells() -> pd.DataFrame:
    return membership.spells(SPELLS, COUNTRIES)


@pytest.fixture
def grid(spells: pd.DataFrame) -> pd.DataFrame:
    return membership.year_status(spells)


def status(grid: pd.DataFrame, iso3: str, year: int) -> str:
    return str(grid.loc[(grid["iso3"] == iso3) & (grid["year"] == year), "status"].item())


def test_spells_get_years_names_and_end_of_period(spells):
    uzb = spells[spells["spell_id"] == "uzb_cst"].iloc[0]
    assert (uzb["state"], uzb["first_year"], uzb["last_year"]) == ("Uzbekistan", 1994, 1999)
    assert uzb["end_at"] == pytest.approx(1999 + 120 / 365)  # "1999-04" lasts through April
    aze = spells[spells["spell_id"] == "aze_cst"].iloc[0]
    assert aze["end_at"] == 2000.0  # an end stated as 1999 lasts through 1999
    rus = spells[spells["spell_id"] == "rus_csto"].iloc[0]
    assert rus["open"] and rus["last_year"] == 2022
    assert rus["period"] == "since 2002-10-07 (still so on 2022-06-10)"


def test_open_spell_without_as_of_is_refused_by_name():
    broken = SPELLS.copy()
    broken.loc[broken["spell_id"] == "afg_pa", "as_of"] = pd.NA
    with pytest.raises(ValueError, match=r"afg_pa.*last known true"):
        membership.spells(broken, COUNTRIES)


def test_year_range_and_eras(spells):
    era = membership.eras(spells)
    assert era["treaty"] == pytest.approx(1992 + 135 / 366)
    assert int(era["organisation"]) == 2002


def test_both_end_years_count_and_the_stronger_status_shows(grid):
    assert [status(grid, "UZB", y) for y in (1993, 1994, 1999, 2000, 2005, 2006)] == [
        "not a member",
        "member",
        "member",
        "not a member",
        "not a member",
        "member",
    ]
    assert status(grid, "UZB", 2012) == "member"  # member until June, then suspended
    detail = grid.loc[(grid["iso3"] == "UZB") & (grid["year"] == 2012), "detail"].item()
    assert "suspended" in detail and "member" in detail
    assert status(grid, "UZB", 2013) == "not a member"
    assert status(grid, "AZE", 1999) == "member" and status(grid, "AZE", 2000) == "not a member"
    assert status(grid, "AFG", 2013) == "observer"
    assert len(grid) == 4 * (2022 - 1992 + 1)  # every state in every year, gaps included


def test_status_runs_summarise_the_grid(grid):
    runs = membership.status_runs(grid)
    uzb = runs[(runs["iso3"] == "UZB") & (runs["status"] == "member")]
    assert uzb["years"].to_list() == ["1994-1999", "2006-2012"]


def test_members_in_year_lists_strongest_first(grid):
    chosen = membership.members_in_year(grid, 2013)
    assert chosen["state"].to_list() == ["Russia", "Afghanistan"]
    with pytest.raises(ValueError, match="1850"):
        membership.members_in_year(grid, 1850)


def test_standing_on_a_day(spells):
    standing = membership.standing_on(spells, AS_OF).set_index("iso3")["standing"].astype(str)
    assert standing.to_dict() == {
        "RUS": "member",
        "AFG": "observer",
        "UZB": "former member",
        "AZE": "former member (treaty era only)",
    }
    assert membership.standing_on(spells, "2012-09-01").set_index("iso3").loc[
        "UZB", "standing"
    ] == ("membership suspended")
    later = membership.standing_on(spells, "2030-01-01").set_index("iso3")
    assert later.loc["RUS", "standing"] == "member (last reported earlier)"  # not stretched
    stale = spells.copy()
    stale.loc[stale["spell_id"] == "afg_pa", "as_of"] = "2020-10-01"
    standing = membership.standing_on(stale, AS_OF).set_index("iso3")["standing"].astype(str)
    assert standing["AFG"] == "observer (last reported earlier)"
    described = membership.describe_standing(membership.standing_on(spells, AS_OF), AS_OF)
    assert "member: Russia" in described and "former member: Uzbekistan" in described


def test_spells_chart_clips_to_the_window_and_marks_the_organisation_era(spells):
    fig = membership.spells_chart(spells, (2005, 2010))
    member = next(trace for trace in fig.data if trace.name == "member")
    assert min(member.base) == 2005  # clipped to the window
    assert "Azerbaijan" not in set(member.y)  # its spell ended before the window
    assert fig.layout.title.text == "Membership spells, 2005-2010"
    assert fig.layout.xaxis.title.text == "Year"
    assert "Uzbekistan: member of the CSTO 2006-08-16 to 2012-06-28" in description_of(fig)
    whole = membership.spells_chart(spells, (1992, 2022))
    assert any(shape.line.dash == "dot" for shape in whole.layout.shapes)
    suspended = next(trace for trace in whole.data if trace.name == "suspended")
    assert suspended.marker.pattern.shape == "x"  # not told by colour alone


def cow_table() -> pd.DataFrame:
    rows = []
    for year in range(2002, 2015):
        rows += [
            (year, "RUS", "full_member"),
            (year, "UZB", "full_member" if year <= 2011 else "not_member"),
            (year, "AFG", "observer" if year >= 2013 else "not_member"),
            (year, "AZE", "not_member"),
        ]
    frame = pd.DataFrame(rows, columns=["year", "iso3", "igo_status_label"])
    return frame.assign(igo_status_label=pd.Categorical(frame["igo_status_label"]))


def test_compare_with_cow_finds_the_uzbek_years_and_keeps_cow_silence(grid):
    comparison = membership.compare_with_cow(grid, cow_table())
    assert comparison["year"].min() == 2002 and comparison["year"].max() == 2022
    disagreements = membership.cow_disagreements(comparison)
    assert disagreements[["state", "years", "ours", "cow"]].values.tolist() == [
        ["Uzbekistan", "2002-2005", "not a member", "member"],
        ["Uzbekistan", "2012", "member", "not a member"],
    ]
    assert set(comparison.loc[comparison["year"] >= 2015, "verdict"]) == {"not coded by COW"}
    afg = comparison[(comparison["iso3"] == "AFG") & (comparison["year"] == 2013)].iloc[0]
    assert afg["verdict"] == "agree"
    assert membership.cow_coverage(comparison) == {
        "cow_first_year": 2002,
        "cow_last_year": 2014,
        "state_years_compared": 52,
        "agree": 47,
        "disagree": 5,
    }


def test_compare_with_cow_rejects_an_unknown_status_label(grid):
    odd = cow_table()
    odd["igo_status_label"] = odd["igo_status_label"].astype(str).replace("observer", "associate")
    with pytest.raises(ValueError, match="associate"):
        membership.compare_with_cow(grid, odd)


def test_cow_chart_describes_the_disagreements_in_words(grid):
    fig = membership.cow_chart(membership.compare_with_cow(grid, cow_table()))
    text = description_of(fig)
    assert "from 2002 to 2014" in text
    assert "Uzbekistan 2002-2005: ours not a member, COW member" in text
    assert "From 2015 to 2022 COW has no rows" in text
    assert {trace.name for trace in fig.data} == {"agree", "disagree", "not coded by COW"}
    assert "http" not in json.dumps(fig.to_plotly_json(), default=str)


def test_as_of_is_the_latest_check_of_an_open_spell(spells):
    assert membership.as_of(spells) == AS_OF
    earlier = spells.copy()
    earlier.loc[earlier["spell_id"] == "afg_pa", "as_of"] = "2013-04-12"
    assert membership.as_of(earlier) == AS_OF
    with pytest.raises(ValueError, match="No open"):
        membership.as_of(spells[~spells["open"]])


def test_year_range_of_the_spells(spells):
    assert membership.year_range(spells) == (1992, 2022)


def test_status_runs_can_drop_the_absent_years(grid):
    runs = membership.status_runs(grid, drop=membership.NOT_MEMBER)
    assert membership.NOT_MEMBER not in set(runs["status"])
    assert runs.loc[runs["iso3"] == "AZE", "years"].to_list() == ["1993-1999"]


def test_year_view_names_the_year_and_count(grid):
    view = membership.year_view(grid, 2013)
    assert repr(view).splitlines()[0] == "2013: 2 states with a spell that year"
    assert list(view.frame.columns) == ["State", "Status shown", "Spells touching the year"]


def test_state_history_merges_spells_and_events_in_date_order(spells):
    events = pd.DataFrame(
        {
            "date": ["2012-06-20", "1992-05-15", pd.NA],
            "kind": ["membership", "founding", "statement"],
            "title": ["Uzbekistan sends a note", "Treaty signed", "An undated remark"],
            "iso3": ["UZB", pd.NA, "UZB"],
            "source_ids": ["ext_tass", "fn03", "fn99"],
        }
    )
    view = membership.state_history(spells, events, "UZB")
    assert view.frame["What happened"].to_list() == [
        "becomes a member of the Collective Security Treaty",
        "stops being a member of the Collective Security Treaty",
        "becomes a member of the CSTO",
        "Uzbekistan sends a note",
        "stops being a member of the CSTO",  # an end before a start on the same day
        "membership of the CSTO suspended",
        "suspension from the CSTO ends",
        "An undated remark",  # no date: last, and said so
    ]
    assert view.frame["Date"].iloc[-1] == "date not given"
    assert view.caption == "Uzbekistan: membership spells and events, in date order"
    with pytest.raises(ValueError, match="'ARM'"):
        membership.state_history(spells, events, "ARM")


def test_standing_map_shades_each_standing_from_shipped_shapes(spells, tmp_path):
    shutil.copytree(DATA / "geo", tmp_path / "geo")  # the shapes only, not the whole dataset
    (tmp_path / "datapackage.json").write_text("{}", encoding="utf-8")
    standing = membership.standing_on(spells, AS_OF)
    fig = membership.standing_map(standing, AS_OF, data_dir=tmp_path)
    names = [trace.name for trace in fig.data if trace.showlegend]
    assert names == ["member", "observer", "former member", "former member (treaty era only)"]
    assert fig.layout.title.text == f"Members, former members and observers on {AS_OF}"
    assert "former member (treaty era only): Azerbaijan" in description_of(fig)


# ----------------------------------------------------------------------------- the real dataset


def test_real_uzbek_spells_and_cow_disagreements():
    """The course data: Uzbekistan's spells by year, and where COW IGO v3 departs from them."""
    spells = membership.spells(load_table("membership"), load_table("countries"))
    grid = membership.year_status(spells)
    runs = membership.status_runs(grid, drop=membership.NOT_MEMBER)
    uzb = runs[runs["iso3"] == "UZB"]
    assert uzb[["status", "years"]].values.tolist() == [
        ["member", "1992-1999"],
        ["member", "2006-2012"],
        ["suspended", "2013-2022"],
    ]
    comparison = membership.compare_with_cow(grid, load_table("cow_igo"))
    disagreements = membership.cow_disagreements(comparison)
    assert set(disagreements["state"]) == {"Uzbekistan"}
    assert disagreements["years"].to_list() == ["2002-2005", "2012", "2013-2014"]
    coverage = membership.cow_coverage(comparison)
    assert (coverage["cow_first_year"], coverage["cow_last_year"]) == (2002, 2014)


def test_spell_words_read_as_english(grid):
    assert membership.spell_words("suspended", "organisation") == "suspended from the CSTO"
    assert membership.spell_words("observer", "parliamentary_assembly") == (
        "observer in the CSTO Parliamentary Assembly"
    )
    detail = grid.loc[(grid["iso3"] == "UZB") & (grid["year"] == 2012), "detail"].item()
    assert detail == (
        "member of the CSTO: 2006-08-16 to 2012-06-28; "
        "suspended from the CSTO: 2012-06-28 to 2012-12-19"
    )


def test_state_options_pair_names_with_codes(spells):
    assert membership.state_options(spells) == [
        ("Afghanistan", "AFG"),
        ("Azerbaijan", "AZE"),
        ("Russia", "RUS"),
        ("Uzbekistan", "UZB"),
    ]
