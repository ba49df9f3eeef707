"""Where each member stood on Russia's wars and on Armenia's conflict, from the stances table.

The paper's point is that the allies did not simply follow Moscow (Georgia 2008, Crimea 2014)
nor back Armenia against Azerbaijan. A country-by-issue grid makes that visible at a glance.
"""

from __future__ import annotations

import pandas as pd

from helpers.readings import marked

ISSUE_LABELS = {
    "georgia_2008": "Georgia 2008",
    "crimea_2014": "Crimea 2014",
    "donbas_2014": "Eastern Ukraine (no year in the paper)",
    "ukraine_2022": "Ukraine 2022",
    "karabakh": "Karabakh",
}
STANCE_LABELS = {
    "backed_russia": "backed Russia",
    "declined_to_back_russia": "declined to back Russia",
    "military_support_outside_csto": "military support outside the CSTO",
    "did_not_follow_russia": "did not follow Russia",
    "backed_azerbaijan_or_neutral": "backed Azerbaijan or stayed neutral",
    "refused_to_back_armenia": "refused to back Armenia",
    "no_stated_position": "no stated position",
}


def stance_grid(
    stances: pd.DataFrame,
    countries: pd.DataFrame,
    issues: list[str] | None = None,
    *,
    mark_readings: bool = False,
) -> pd.DataFrame:
    """One row per country, one column per issue, each cell the stance in words.

    A country with no row for an issue gets "not coded": the paper says nothing about it there,
    and an empty cell must not read as agreement. With ``mark_readings`` a stance the course
    reads from a statement about the members as a group says "(our reading)".
    """
    chosen = stances if issues is None else stances[stances["issue"].isin(issues)]
    names = countries.set_index("iso3")["name"]
    labels = chosen["stance"].astype("string").map(STANCE_LABELS)
    if mark_readings:
        labels = pd.Series(
            [marked(label, c) for label, c in zip(labels, chosen["coded_from"], strict=True)],
            index=chosen.index,
        )
    labelled = chosen.assign(
        country=chosen["iso3"].map(names),
        issue_label=chosen["issue"].astype("string").map(ISSUE_LABELS),
        stance_label=labels,
    )
    order = [ISSUE_LABELS[i] for i in ISSUE_LABELS if i in set(chosen["issue"].astype("string"))]
    grid = labelled.pivot_table(
        index="country",
        columns="issue_label",
        values="stance_label",
        aggfunc=lambda values: "; ".join(sorted(set(values))),
    )
    grid = grid.reindex(columns=order).fillna("not coded").sort_index()
    grid.columns.name = None
    return grid.reset_index().rename(columns={"country": "Country"})


def stance_counts(stances: pd.DataFrame, issue: str) -> pd.Series:
    """How many members took each stance on one issue, in words, most common first."""
    chosen = stances[stances["issue"] == issue]
    counts = chosen["stance"].astype("string").map(STANCE_LABELS).value_counts()
    return counts.sort_index().sort_values(ascending=False, kind="stable")
