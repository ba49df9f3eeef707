"""The country-by-issue grid of stances, with uncoded cells said in words."""

from __future__ import annotations

import pandas as pd

from helpers import stances


def test_grid_has_one_row_per_country_and_says_not_coded():
    table = pd.DataFrame(
        {
            "issue": ["georgia_2008", "georgia_2008", "crimea_2014"],
            "iso3": ["KAZ", "BLR", "KAZ"],
            "stance": [
                "declined_to_back_russia",
                "declined_to_back_russia",
                "declined_to_back_russia",
            ],
        }
    )
    countries = pd.DataFrame({"iso3": ["KAZ", "BLR"], "name": ["Kazakhstan", "Belarus"]})
    grid = stances.stance_grid(table, countries).set_index("Country")
    assert list(grid.columns) == ["Georgia 2008", "Crimea 2014"]
    assert grid.loc["Kazakhstan", "Crimea 2014"] == "declined to back Russia"
    assert grid.loc["Belarus", "Crimea 2014"] == "not coded"
    assert list(grid.index) == ["Belarus", "Kazakhstan"]
    assert stances.stance_counts(table, "georgia_2008").to_dict() == {"declined to back Russia": 2}


def test_grid_marks_stances_read_from_a_group_statement_when_asked():
    table = pd.DataFrame(
        {
            "issue": ["georgia_2008", "ukraine_2022"],
            "iso3": ["KAZ", "KAZ"],
            "stance": ["declined_to_back_russia", "did_not_follow_russia"],
            "coded_from": ["course_infers", "paper_states"],
        }
    )
    countries = pd.DataFrame({"iso3": ["KAZ"], "name": ["Kazakhstan"]})
    plain = stances.stance_grid(table, countries).set_index("Country")
    marked = stances.stance_grid(table, countries, mark_readings=True).set_index("Country")
    assert plain.loc["Kazakhstan", "Georgia 2008"] == "declined to back Russia"
    assert marked.loc["Kazakhstan", "Georgia 2008"] == "declined to back Russia (our reading)"
    assert marked.loc["Kazakhstan", "Ukraine 2022"] == "did not follow Russia"
