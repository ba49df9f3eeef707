"""Russia's own forces in other states and its subsidies to the allies: tables and a map.

The paper stresses that only Russia has bases on its allies' soil and the reach to help them
quickly, and that it pays for allies' training and arms. These helpers turn the russian_presence
and russian_support tables into readable tables and an offline map.
"""

from __future__ import annotations

import os

import pandas as pd
import plotly.graph_objects as go

from helpers.citations import outside_paper
from helpers.maps import add_points, category_map
from helpers.tables import estimate_text

RUSSIA = "RUS"
HOST_LABEL = "hosts Russian forces"
RUSSIA_LABEL = "Russia"


def bases_table(presence: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Each Russian base or force abroad: host, place, lease and size, sorted by host then name."""
    names = countries.set_index("iso3")["name"]
    rows = presence.assign(host=presence["host_iso3"].map(names)).sort_values(["host", "name"])
    return pd.DataFrame(
        {
            "Russian presence": rows["name"].to_list(),
            "Host": rows["host"].to_list(),
            "Kind": rows["kind"].astype("string").str.replace("_", " ").to_list(),
            "Place": rows["place"].to_list(),
            "Established": rows["established"].to_list(),
            "Lease until": rows["lease_until"].to_list(),
            "Lease terms": rows["lease_terms"].to_list(),
            "Troops": [
                estimate_text(low, best, high)
                for low, best, high in zip(
                    rows["troops_low"], rows["troops_best"], rows["troops_high"], strict=True
                )
            ],
            "Only outside the paper": outside_paper(rows["in_paper"]),
            "Source ids": rows["source_ids"].to_list(),
        }
    )


def bases_map(
    presence: pd.DataFrame,
    countries: pd.DataFrame,
    data_dir: str | os.PathLike[str] | None = None,
) -> go.Figure:
    """Shade the states hosting Russian forces and mark each site that has coordinates.

    Entries without a single site (a joint group of forces, an air defence system) cannot be
    placed as a point; the description names them so the map does not silently drop them.
    """
    names = countries.set_index("iso3")["name"].to_dict()
    hosts = sorted(set(presence["host_iso3"].dropna()))
    categories = {iso3: HOST_LABEL for iso3 in hosts} | {RUSSIA: RUSSIA_LABEL}
    located = presence.dropna(subset=["lat", "lon"]).sort_values("name")
    fig = category_map(
        categories,
        title="Russian bases and forces in other states",
        description=bases_description(presence, names),
        order=[RUSSIA_LABEL, HOST_LABEL],
        names=names,
        data_dir=data_dir,
    )
    points = located.assign(
        lon=located["lon"].astype(float),
        lat=located["lat"].astype(float),
        hover=[_hover(row, names) for _, row in located.iterrows()],
    )
    return add_points(
        fig, points, lon="lon", lat="lat", label="name", hover="hover", name="Russian site"
    )


def bases_description(presence: pd.DataFrame, names: dict[str, str]) -> str:
    """Where Russia's forces are, in words, including those the map cannot place."""
    hosts = sorted({names.get(iso3, iso3) for iso3 in presence["host_iso3"].dropna()})
    located = presence.dropna(subset=["lat", "lon"])
    unplaced = presence[presence["lat"].isna() | presence["lon"].isna()]
    text = (
        f"{len(presence)} Russian bases or forces are listed in {len(hosts)} states "
        f"({', '.join(hosts)}); {len(located)} are marked with diamonds at their town."
    )
    if len(unplaced):
        text += (
            f" {len(unplaced)} have no single site and are not drawn: "
            f"{', '.join(sorted(unplaced['name']))}."
        )
    return text


def support_table(support: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Russia's arms supplies, sales and subsidies, by recipient (empty = all other members)."""
    names = countries.set_index("iso3")["name"]
    recipient = support["recipient_iso3"].map(names).fillna("all other members")
    rows = support.assign(recipient=recipient).sort_values(["recipient", "date", "support_id"])
    return pd.DataFrame(
        {
            "Recipient": rows["recipient"].to_list(),
            "Kind": rows["kind"].astype("string").str.replace("_", " ").to_list(),
            "When": rows["date"].to_list(),
            "Value (US$)": [
                estimate_text(low, best, high)
                for low, best, high in zip(
                    rows["value_usd_low"],
                    rows["value_usd_best"],
                    rows["value_usd_high"],
                    strict=True,
                )
            ],
            "What": rows["description"].to_list(),
            "Only outside the paper": outside_paper(rows["in_paper"]),
            "Source ids": rows["source_ids"].to_list(),
        }
    )


def _hover(row: pd.Series, names: dict[str, str]) -> str:
    text = f"<b>{row['name']}</b><br>{row['place']}, {names.get(row['host_iso3'], '')}"
    if isinstance(row["lease_until"], str):
        text += f"<br>lease until {row['lease_until']}"
    troops = estimate_text(row["troops_low"], row["troops_best"], row["troops_high"])
    return text + f"<br>troops: {troops}"
