"""The CSTO's bodies and forces: an organisation chart, the forces table, seats and operations.

The bodies table says, for every body, which body it hangs from (``parent_body_id``) and how
(``relation_to_parent``). The chart is drawn from those two columns alone, so a corrected or
extended dataset redraws itself; nothing about the hierarchy is typed into the code.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import PALETTE, style
from helpers.tables import estimate_text

RELATION_LABELS = {
    "reports_to": "reports to",
    "supports": "supports",
    "part_of": "is part of",
    "created_by": "was created by",
}
# Line styles tell the relations apart without relying on colour.
RELATION_DASHES = {
    "reports_to": "solid",
    "supports": "dash",
    "part_of": "dot",
    "created_by": "dashdot",
}
KIND_SYMBOLS = {
    "council": "square",
    "committee": "diamond",
    "secretariat": "triangle-up",
    "staff": "triangle-down",
    "force": "circle",
    "centre": "hexagon",
    "assembly": "star",
    "working_group": "cross",
}
LABEL_WIDTH = 18


def org_chart_frame(bodies: pd.DataFrame) -> pd.DataFrame:
    """Place every body in a tiered tree: ``level`` (0 = top) and ``x`` (position in its tier).

    Leaves are set side by side and each parent sits centred over its children, so lines never
    cross. Children are ordered by kind, then name, so the layout is the same on every run.
    A parent id that is not in the table, or a loop of parents, raises a ValueError naming the
    body, because a broken hierarchy cannot be drawn honestly.
    """
    table = bodies.set_index("body_id", drop=False)
    parents = {
        body: (parent if isinstance(parent, str) else None)
        for body, parent in table["parent_body_id"].items()
    }
    for body, parent in parents.items():
        if parent is not None and parent not in parents:
            raise ValueError(
                f"bodies: body {body!r} has parent_body_id={parent!r}, which is not a body_id "
                f"in the table. Expected one of: {', '.join(sorted(parents))}."
            )
    unlinked = [
        body
        for body, parent in parents.items()
        if parent is not None and pd.isna(table.at[body, "relation_to_parent"])
    ]
    if unlinked:
        raise ValueError(
            f"bodies: {unlinked} have a parent_body_id but no relation_to_parent. Expected one "
            f"of: {', '.join(RELATION_LABELS)}."
        )
    levels = {body: _depth(body, parents) for body in parents}
    children: dict[str | None, list[str]] = {}
    # Categorical kinds sort in the schema's order (councils first), plain text alphabetically.
    for body in table.sort_values(["kind", "name"])["body_id"]:
        children.setdefault(parents[body], []).append(body)
    positions: dict[str, float] = {}
    next_leaf = [0.0]

    def place(body: str) -> float:
        kids = children.get(body, [])
        if not kids:
            positions[body] = next_leaf[0]
            next_leaf[0] += 1
        else:
            placed = [place(kid) for kid in kids]
            positions[body] = (placed[0] + placed[-1]) / 2
        return positions[body]

    for root in children.get(None, []):
        place(root)
    names = table["name"].to_dict()
    frame = pd.DataFrame(
        {
            "body_id": list(parents),
            "name": [names[body] for body in parents],
            "kind": table["kind"].astype("string").to_list(),
            "level": [levels[body] for body in parents],
            "x": [positions[body] for body in parents],
            "parent_body_id": [parents[body] for body in parents],
            "parent_name": [names.get(parents[body]) for body in parents],
            "relation_to_parent": table["relation_to_parent"].astype("string").to_list(),
            "composition": table["composition"].to_list(),
            "seat_city": table["seat_city"].to_list(),
            "in_paper": table["in_paper"].to_list(),
            "notes": table["notes"].to_list(),
        }
    )
    return frame.sort_values(["level", "x"], ignore_index=True)


def _depth(body: str, parents: dict[str, str | None]) -> int:
    seen = [body]
    current = parents[body]
    while current is not None:
        if current in seen:
            loop = " -> ".join([*seen, current])
            raise ValueError(f"bodies: parent_body_id forms a loop ({loop}); expected a tree.")
        seen.append(current)
        current = parents[current]
    return len(seen) - 1


def org_chart(frame: pd.DataFrame) -> go.Figure:
    """Draw ``org_chart_frame`` output: bodies as labelled markers, relations as styled lines."""
    fig = go.Figure()
    where = frame.set_index("body_id")
    for relation, dash in RELATION_DASHES.items():
        links = frame[frame["relation_to_parent"] == relation]
        if links.empty:
            continue
        xs: list[float | None] = []
        ys: list[float | None] = []
        for _, link in links.iterrows():
            parent = where.loc[link["parent_body_id"]]
            xs += [parent["x"], link["x"], None]
            ys += [parent["level"], link["level"], None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": "#555555", "width": 1.5, "dash": dash},
                name=f"line: {RELATION_LABELS[relation]}",
                hoverinfo="skip",
            )
        )
    for index, (kind, group) in enumerate(frame.groupby("kind", sort=True)):
        fig.add_trace(
            go.Scatter(
                x=group["x"],
                y=group["level"],
                mode="markers+text",
                marker={
                    "size": 16,
                    "symbol": KIND_SYMBOLS.get(str(kind), "circle"),
                    "color": PALETTE[index % len(PALETTE)],
                    "line": {"width": 1, "color": "#333333"},
                },
                text=[_wrap(name) for name in group["name"]],
                textposition="bottom center",
                textfont={"size": 11},
                hovertext=[_hover(row) for _, row in group.iterrows()],
                hoverinfo="text",
                name=f"{str(kind).replace('_', ' ')}",
            )
        )
    deepest = int(frame["level"].max())
    fig.update_yaxes(
        autorange=False,
        range=[deepest + 0.8, -0.5],
        tickvals=list(range(deepest + 1)),
        ticktext=[_level_label(level) for level in range(deepest + 1)],
        showgrid=False,
        zeroline=False,
    )
    fig.update_xaxes(
        range=[frame["x"].min() - 0.8, frame["x"].max() + 0.8],
        showticklabels=False,
        showgrid=False,
        zeroline=False,
    )
    return style(
        fig,
        title="How the CSTO's bodies and forces hang together",
        x_label="Bodies side by side within their level (position has no meaning)",
        y_label="Level in the hierarchy",
        description=org_chart_description(frame),
        height=140 * (deepest + 1) + 200,
    )


def org_chart_description(frame: pd.DataFrame) -> str:
    """The chart's finding in words: the top, the tiers, and how the links are made."""
    tops = frame.loc[frame["level"] == 0, "name"].to_list()
    per_level = frame.groupby("level").size()
    tiers = "; ".join(
        f"{_level_label(int(level)).lower()}: {count}" for level, count in per_level.items()
    )
    links = frame["relation_to_parent"].dropna().value_counts()
    relations = ", ".join(
        f"{count} {RELATION_LABELS[str(relation)]}" for relation, count in sorted(links.items())
    )
    outside = int((~frame["in_paper"].fillna(True).astype(bool)).sum())
    text = (
        f"{len(frame)} bodies on {len(per_level)} levels, with {_join(tops)} at the top. "
        f"Bodies per level: {tiers}. Links to the body above: {relations}."
    )
    if outside:
        text += f" {outside} of the bodies come from sources outside the paper."
    return text


def forces_table(bodies: pd.DataFrame) -> pd.DataFrame:
    """The forces with their areas, seats and sizes, the size range kept where sources differ."""
    forces = bodies[bodies["kind"] == "force"].sort_values("name")
    return pd.DataFrame(
        {
            "Force": forces["name"].to_list(),
            "Area of responsibility": forces["area"].to_list(),
            "Seat": forces["seat_city"].to_list(),
            "Established": forces["established"].to_list(),
            "Size (troops)": [
                estimate_text(low, best, high)
                for low, best, high in zip(
                    forces["size_low"], forces["size_best"], forces["size_high"], strict=True
                )
            ],
            "Sources disagree on size": [
                _disagree(low, high)
                for low, high in zip(forces["size_low"], forces["size_high"], strict=True)
            ],
            "Sources": forces["source_ids"].to_list(),
            "Only outside the paper": (~forces["in_paper"].astype(bool)).to_list(),
        }
    )


def command_seats(bodies: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Where each body with a known seat sits, grouped by country (most seats first)."""
    seated = bodies[bodies["seat_city"].notna()].merge(
        countries[["iso3", "name"]].rename(columns={"iso3": "seat_iso3", "name": "country"}),
        on="seat_iso3",
        how="left",
    )
    counts = seated.groupby("seat_iso3")["body_id"].transform("size")
    seated = seated.assign(_count=counts).sort_values(
        ["_count", "country", "name"], ascending=[False, True, True]
    )
    return pd.DataFrame(
        {
            "Body": seated["name"].to_list(),
            "Seat": seated["seat_city"].to_list(),
            "Country": seated["country"].to_list(),
            "Sources": seated["source_ids"].to_list(),
        }
    )


def seat_counts(bodies: pd.DataFrame) -> pd.Series:
    """How many bodies have their seat in each country, and how many have no known seat."""
    seats = bodies["seat_iso3"].astype("string").fillna("no seat given")
    return seats.value_counts().sort_index()


def programmes_table(programmes: pd.DataFrame, kinds: list[str] | None = None) -> pd.DataFrame:
    """The operations and programmes, optionally only some kinds (e.g. drugs, cyber, migration)."""
    chosen = programmes if kinds is None else programmes[programmes["kind"].isin(kinds)]
    chosen = chosen.sort_values(["kind", "name"])
    return pd.DataFrame(
        {
            "Programme": chosen["name"].to_list(),
            "Against": chosen["kind"].astype("string").str.replace("_", " ").to_list(),
            "What it does": chosen["description"].to_list(),
            "Started": chosen["start"].to_list(),
            "Recurring": chosen["recurring"].map({True: "yes", False: "no"}).to_list(),
            "Sources": chosen["source_ids"].to_list(),
        }
    )


def _disagree(low: object, high: object) -> str:
    if pd.isna(low) or pd.isna(high):  # type: ignore[call-overload]
        return "no range given"
    return "yes" if low != high else "no"


def _level_label(level: int) -> str:
    return "Top level" if level == 0 else f"Level {level} below the top"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _wrap(name: str) -> str:
    """Break long names over lines so neighbouring labels do not overlap."""
    lines: list[str] = []
    for word in str(name).split():
        if lines and len(lines[-1]) + len(word) < LABEL_WIDTH:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def _hover(row: pd.Series) -> str:
    text = f"<b>{row['name']}</b><br>{row['kind']}"
    if isinstance(row["composition"], str):
        text += f"<br>{row['composition']}"
    if isinstance(row["seat_city"], str):
        text += f"<br>seat: {row['seat_city']}"
    if isinstance(row["parent_name"], str):
        relation = RELATION_LABELS.get(str(row["relation_to_parent"]), "linked to")
        text += f"<br>{relation} {row['parent_name']}"
    return text
