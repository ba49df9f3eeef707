"""Russia's weight among the members, measured with the Correlates of War capabilities data.

The paper says Russia is the most militarily capable member and gives the most to the common
defence. The COW National Material Capabilities data (table ``cow_nmc``) lets us put a number on
that: Russia's share of the members' combined military spending or personnel, year by year.
Who counts as a member comes from the membership table, read year by year with the course's one
rule for that (``helpers.membership.year_status``: a spell counts in every year it touches), so a
state counts only in its member years (Uzbekistan's two spells, Azerbaijan's and Georgia's treaty
years). Suspended and observer years do not count.

Missing values are never filled in. A year in which some member's figure is missing is computed
over the members that have one and flagged; because the missing members' own figures are left
out of the total, Russia's share in such a year is an upper bound.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import PALETTE, new_figure, style
from helpers.membership import spells, year_status

RUSSIA = "RUS"
MEASURES = {
    "milex": "military expenditure",
    "milper": "military personnel",
}
MEMBER_FRAMEWORKS = ("treaty", "organisation")


def member_years(membership: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """(year, iso3) for every state that was a full member of the treaty or organisation."""
    first, last = years
    no_names = pd.DataFrame({"iso3": pd.Series(dtype=str), "name": pd.Series(dtype=str)})
    grid = year_status(spells(membership, no_names), range(first, last + 1))
    members = grid[(grid["status"] == "member") & grid["framework"].isin(MEMBER_FRAMEWORKS)]
    return members[["year", "iso3"]].sort_values(["year", "iso3"], ignore_index=True)


def russia_share(
    nmc: pd.DataFrame, membership: pd.DataFrame, measure: str, years: tuple[int, int]
) -> pd.DataFrame:
    """Russia's share (per cent) of the members' combined ``measure``, one row per year.

    Columns: year, measure, members (count), member_list, missing (members without a figure that
    year, comma-separated, empty if none), russia_value, members_total (sum over the members with
    a figure), russia_share_pct, complete.
    """
    if measure not in MEASURES:
        raise ValueError(f"Unknown measure {measure!r}. Expected one of: {', '.join(MEASURES)}.")
    members = member_years(membership, years)
    values = members.merge(nmc[["iso3", "year", measure]], on=["iso3", "year"], how="left")
    values[measure] = values[measure].astype("Float64")
    rows = []
    for year, group in values.groupby("year", sort=True):
        missing = group.loc[group[measure].isna(), "iso3"].to_list()
        russia = group.loc[group["iso3"] == RUSSIA, measure]
        russia_value = russia.iloc[0] if len(russia) else pd.NA
        total = group[measure].sum(skipna=True)
        share = (
            float(russia_value) / float(total) * 100
            if not pd.isna(russia_value) and total
            else float("nan")
        )
        rows.append(
            {
                "year": int(year),
                "measure": measure,
                "members": len(group),
                "member_list": ", ".join(sorted(group["iso3"])),
                "missing": ", ".join(sorted(missing)),
                "russia_value": russia_value,
                "members_total": total,
                "russia_share_pct": share,
                "complete": not missing,
            }
        )
    return pd.DataFrame(rows)


def shares_by_measure(
    nmc: pd.DataFrame, membership: pd.DataFrame, years: tuple[int, int]
) -> pd.DataFrame:
    """``russia_share`` for every measure in ``MEASURES``, stacked (one row per measure-year)."""
    frames = [russia_share(nmc, membership, measure, years) for measure in MEASURES]
    return pd.concat(frames, ignore_index=True)


def share_summary(shares: pd.DataFrame) -> pd.DataFrame:
    """Per measure: the years covered, the lowest and highest share with their years, the mean.

    Years whose share could not be computed (Russia's own figure missing) are left out and
    counted, so the reader sees how much of the window the summary rests on.
    """
    rows = []
    for measure, group in shares.groupby("measure", sort=False):
        known = group.dropna(subset=["russia_share_pct"])
        low = known.loc[known["russia_share_pct"].idxmin()]
        high = known.loc[known["russia_share_pct"].idxmax()]
        rows.append(
            {
                "Measure": MEASURES[str(measure)],
                "Years": f"{group['year'].min()}-{group['year'].max()}",
                "Lowest share (%)": round(float(low["russia_share_pct"]), 1),
                "Lowest in": int(low["year"]),
                "Highest share (%)": round(float(high["russia_share_pct"]), 1),
                "Peak year": int(high["year"]),
                "Mean share (%)": round(float(known["russia_share_pct"].mean()), 1),
                "Years with a member's figure missing": int((~group["complete"]).sum()),
                "Years without a share": len(group) - len(known),
            }
        )
    return pd.DataFrame(rows)


def missing_figures(shares: pd.DataFrame) -> pd.DataFrame:
    """The member-years without a figure: what the share in those years leaves out."""
    gaps = shares[~shares["complete"]]
    return pd.DataFrame(
        {
            "Year": gaps["year"].to_list(),
            "Measure": gaps["measure"].map(MEASURES).to_list(),
            "Members without a figure": gaps["missing"].to_list(),
            "Members that year": gaps["members"].to_list(),
            "Russia's share (%), an upper bound": gaps["russia_share_pct"].round(1).to_list(),
        }
    )


def share_chart(shares: pd.DataFrame) -> go.Figure:
    """Russia's share per year, one line per measure; hollow markers where a figure is missing."""
    fig = new_figure()
    for index, (measure, group) in enumerate(shares.groupby("measure", sort=False)):
        colour = PALETTE[index % len(PALETTE)]
        hover = [
            f"{row.year}: {_percent(row.russia_share_pct)} of {row.members} members' total"
            + (f"<br>no figure for {row.missing} (an upper bound)" if row.missing else "")
            for row in group.itertuples()
        ]
        fig.add_trace(
            go.Scatter(
                x=group["year"],
                y=group["russia_share_pct"],
                mode="lines+markers",
                name=MEASURES[str(measure)],
                line={"color": colour, "dash": "solid" if index == 0 else "dash"},
                marker={
                    "size": 9,
                    "color": ["white" if not ok else colour for ok in group["complete"]],
                    "line": {"color": colour, "width": 2},
                    "symbol": "circle" if index == 0 else "square",
                },
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    fig.update_xaxes(dtick=2)
    return style(
        fig,
        title="Russia's share of the members' combined military resources",
        x_label="Year",
        y_label="Russia's share of the members' total (%)",
        description=share_description(shares),
    )


def share_description(shares: pd.DataFrame) -> str:
    """The chart's finding in words, computed from the shares."""
    sentences = []
    for measure, group in shares.groupby("measure", sort=False):
        known = group.dropna(subset=["russia_share_pct"])
        if known.empty:
            sentences.append(f"No share of {MEASURES[str(measure)]} can be computed.")
            continue
        low = known.loc[known["russia_share_pct"].idxmin()]
        high = known.loc[known["russia_share_pct"].idxmax()]
        text = (
            f"Russia's share of the members' {MEASURES[str(measure)]} ranged from "
            f"{low['russia_share_pct']:.1f}% ({low['year']}) to {high['russia_share_pct']:.1f}% "
            f"({high['year']}) in {group['year'].min()}-{group['year'].max()}."
        )
        gaps = group[~group["complete"]]
        if len(gaps):
            years = ", ".join(str(year) for year in gaps["year"])
            text += (
                f" In {len(gaps)} year(s) ({years}) a member's figure is missing; hollow markers "
                "show those years, where the share is an upper bound."
            )
        sentences.append(text)
    return " ".join(sentences)


def _percent(value: float) -> str:
    return "no share (Russia's figure is missing)" if pd.isna(value) else f"{value:.1f}%"
