"""The CSTO's bodies and forces: an organisation chart, the forces table, seats and operations.

The bodies table says, for every body, which body it hangs from (``parent_body_id``) and how
(``relation_to_parent``). The chart is drawn from those two columns alone, so a corrected or
extended dataset redraws itself; nothing about the hierarchy is typed into the code.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import PALETTE, new_figure, style
from helpers.citations import outside_paper
from helpers.tables import estimate_text

RELATION_LABELS = {
    "reports_to": "reports to",
    "supports": "supports",
    "part_of": "is part of",
    "created_by": "was created by",
}
LINK_PHRASES = {
    "reports_to": "report to it",
    "supports": "support it",
    "part_of": "are part of it",
    "created_by": "were created by it",
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


def org_chart_frame(bodies: pd.DataFrame) -> pd.DataFrame:
    """Lay the bodies out as an indented tree: ``level`` (0 = top) and ``row`` (top to bottom).

    Each body gets its own row, directly below the body it hangs from and above that body's
    later children, so every name has room for a readable label and no line crosses a label.
    Children are ordered by kind (the schema's order: councils first), then name, so the layout
    is the same on every run. A parent id that is not in the table, a parent without a relation,
    or a loop of parents raises a ValueError naming the body, because a broken hierarchy cannot
    be drawn honestly.
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
    for body in table.sort_values(["kind", "name"])["body_id"]:
        children.setdefault(parents[body], []).append(body)
    order: list[str] = []
    pending = list(reversed(children.get(None, [])))
    while pending:
        body = pending.pop()
        order.append(body)
        pending += reversed(children.get(body, []))
    ordered = table.loc[order]
    names = table["name"].to_dict()
    return pd.DataFrame(
        {
            "body_id": order,
            "name": ordered["name"].to_list(),
            "kind": ordered["kind"].astype("string").to_list(),
            "level": [levels[body] for body in order],
            "row": list(range(len(order))),
            "parent_body_id": [parents[body] for body in order],
            "parent_name": [names.get(parents[body]) for body in order],
            "relation_to_parent": ordered["relation_to_parent"].astype("string").to_list(),
            "composition": ordered["composition"].to_list(),
            "seat_city": ordered["seat_city"].to_list(),
            "in_paper": ordered["in_paper"].to_list(),
            "notes": ordered["notes"].to_list(),
        }
    )


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
    """Draw ``org_chart_frame`` output: one body per row, indented by level, with elbow lines.

    A line runs down from each parent and across to its child; the line style says the relation
    (solid: reports to, dashed: supports, dotted: part of, dash-dot: created by), and the marker
    shape says the kind of body, so neither depends on colour.
    """
    fig = new_figure()
    where = frame.set_index("body_id")
    for relation, dash in RELATION_DASHES.items():
        links = frame[frame["relation_to_parent"] == relation]
        if links.empty:
            continue
        xs: list[float | None] = []
        ys: list[float | None] = []
        for link in links.itertuples():
            parent = where.loc[link.parent_body_id]
            xs += [parent["level"], parent["level"], link.level, None]
            ys += [parent["row"], link.row, link.row, None]
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
                x=group["level"],
                y=group["row"],
                mode="markers+text",
                marker={
                    "size": 14,
                    "symbol": KIND_SYMBOLS.get(str(kind), "circle"),
                    "color": PALETTE[index % len(PALETTE)],
                    "line": {"width": 1, "color": "#333333"},
                },
                text=[f"  {name}" for name in group["name"]],
                textposition="middle right",
                hovertext=[_hover(row) for _, row in group.iterrows()],
                hoverinfo="text",
                name=str(kind).replace("_", " "),
            )
        )
    deepest = int(frame["level"].max())
    fig.update_xaxes(
        range=[-0.3, deepest + 2.2],
        tickvals=list(range(deepest + 1)),
        ticktext=[_level_label(level) for level in range(deepest + 1)],
        showgrid=False,
        zeroline=False,
    )
    fig.update_yaxes(
        range=[len(frame) - 0.4, -0.8],
        showticklabels=False,
        ticks="",
        showgrid=False,
        zeroline=False,
    )
    return style(
        fig,
        title="How the CSTO's bodies and forces hang together",
        x_label="Level in the hierarchy",
        y_label="Bodies, one per row, below the body they hang from",
        description=org_chart_description(frame),
        height=150 + 34 * len(frame),
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
        f"{links[relation]} {phrase}"
        for relation, phrase in LINK_PHRASES.items()
        if relation in links
    )
    outside = int((~frame["in_paper"].fillna(True).astype(bool)).sum())
    text = (
        f"{len(frame)} bodies on {len(per_level)} levels, with {_join(tops)} at the top. "
        f"Bodies per level: {tiers}. Of the bodies linked to one above: {relations}."
    )
    if outside:
        text += f" {outside} of the bodies come from sources outside the paper."
    return text


def org_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The chart's content as a table: level, body, its link in words, notes on placement."""
    return pd.DataFrame(
        {
            "Level (0 = top)": frame["level"].to_list(),
            "Body": frame["name"].to_list(),
            "Kind": frame["kind"].str.replace("_", " ").to_list(),
            "Link": frame["relation_to_parent"].map(RELATION_LABELS).fillna("(top)").to_list(),
            "Linked to": frame["parent_name"].fillna("").to_list(),
            "Notes": frame["notes"].fillna("").to_list(),
        }
    )


def forces_table(bodies: pd.DataFrame) -> pd.DataFrame:
    """The forces with their areas, seats and sizes, the size range kept where sources differ.

    "Kind of figure" keeps the sources' own hedge: the paper's "some 5,000" is an approximate
    figure, not a count.
    """
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
                _disagree(low, best, high)
                for low, best, high in zip(
                    forces["size_low"], forces["size_best"], forces["size_high"], strict=True
                )
            ],
            "Kind of figure": forces["size_estimate_type"]
            .astype("string")
            .fillna("not given")
            .to_list(),
            "Source ids": forces["source_ids"].to_list(),
            "Only outside the paper": outside_paper(forces["in_paper"]),
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
            "Source ids": seated["source_ids"].to_list(),
        }
    )


def seat_counts(bodies: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """How many bodies sit in each country, most first; bodies with no known seat counted apart."""
    names = countries.set_index("iso3")["name"]
    seats = bodies["seat_iso3"].map(names).astype("string").fillna("no seat recorded")
    counts = seats.value_counts().rename_axis("Seat country").reset_index(name="Bodies")
    return counts.sort_values(
        ["Bodies", "Seat country"], ascending=[False, True], ignore_index=True
    )


def office_holders(
    roles: pd.DataFrame, people: pd.DataFrame, countries: pd.DataFrame, role: str
) -> pd.DataFrame:
    """Everyone who held one post (e.g. "Secretary General"), in order, with their nationality."""
    held = roles[roles["role"] == role].merge(
        people[["person_id", "name", "iso3"]].rename(columns={"iso3": "person_iso3"}),
        on="person_id",
        how="left",
    )
    held = held.sort_values(["start_dt", "person_id"], ignore_index=True)
    nationality = held["person_iso3"].map(countries.set_index("iso3")["name"])
    return pd.DataFrame(
        {
            "Holder": held["name"].to_list(),
            "Nationality": nationality.fillna("not given").to_list(),
            "From": held["start"].to_list(),
            "To": [
                end if isinstance(end, str) else f"still in office on {as_of}"
                for end, as_of in zip(held["end"], held["as_of"], strict=True)
            ],
            "Acting": held["acting"].map({True: "yes", False: "no"}).to_list(),
            "Only outside the paper": outside_paper(held["in_paper"]),
            "Source ids": held["source_ids"].to_list(),
        }
    )


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
            "Source ids": chosen["source_ids"].to_list(),
        }
    )


def _disagree(*estimates: object) -> str:
    present = {value for value in estimates if not pd.isna(value)}  # type: ignore[call-overload]
    if not present:
        return "size not given"
    return "yes" if len(present) > 1 else "no"


def _level_label(level: int) -> str:
    return "Top level" if level == 0 else f"Level {level} below the top"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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
