"""The CSTO and the war in Ukraine: members' stances, what was said when, and what Russia moved.

The paper's finding for 2022 is an absence: the organisation took no part in the war, Belarus
helped Russia outside it, and the proposals for a CSTO role came to nothing (Weitz 2022, "Impact of
the Ukraine War"). These helpers put the dataset's rows behind that finding: a state-by-issue grid
of stances (e.g. Georgia 2008 and Crimea 2014 beside Ukraine 2022), the statements in the order
they were made, grouped by the phase of the war, and one member's stances for the exploration.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from helpers.data import split_ids
from helpers.deployment import markers
from helpers.grids import category_grid
from helpers.readings import coded_from_label
from helpers.stances import ISSUE_LABELS, STANCE_LABELS
from helpers.tables import Table
from helpers.timeline import IN_PAPER, OUTSIDE

UKRAINE_CRISIS = "ukraine_2022"
OUTSIDE_CSTO = "military_support_outside_csto"
NOT_CODED = "not coded"
UNDATED = "no date given"
UNPLACED = "not placed"
PERIOD_LENGTHS = {
    "year": pd.DateOffset(years=1),
    "month": pd.DateOffset(months=1),
    "day": pd.DateOffset(days=1),
}
PHASES = (
    "before the invasion",
    "from the invasion to the summit",
    "at the summit",
    "after the summit",
)


def stance_grid_chart(grid: pd.DataFrame) -> go.Figure:
    """Draw ``stances.stance_grid`` (country by issue, stances in words) as a labelled grid."""
    issues = [column for column in grid.columns if column != "Country"]
    long = grid.melt(id_vars=["Country"], value_vars=issues, var_name="issue", value_name="stance")
    order = [label for label in STANCE_LABELS.values() if label in set(long["stance"])]
    return category_grid(
        long.loc[long["stance"] != NOT_CODED],
        row="Country",
        column="issue",
        category="stance",
        order=order,
        row_order=list(grid["Country"]),
        column_order=issues,
        title="Where each member stood on Russia's wars",
        x_label="Issue",
        y_label="Member state",
        description=describe_stance_grid(grid),
    )


def describe_stance_grid(grid: pd.DataFrame) -> str:
    """Per issue, how many states took each stance, in words."""
    parts = []
    for issue in [column for column in grid.columns if column != "Country"]:
        counts = grid[issue].value_counts()
        listed = ", ".join(
            f"{count} {stance}"
            for stance, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        )
        parts.append(f"{issue}: {listed}")
    return f"{len(grid)} states. " + "; ".join(parts) + "."


def stance_rows(
    stances: pd.DataFrame,
    countries: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    issue: str | None = None,
    iso3: str | None = None,
) -> pd.DataFrame:
    """Stances with the paper's detail, whether the paper states each one or the course reads it
    from a group statement, and their sources, for one issue and/or one state.

    Issues keep the order of ``stances.ISSUE_LABELS`` and states their names' order, so the same
    question always gives the same table.
    """
    chosen = stances
    if issue is not None:
        chosen = chosen[chosen["issue"].astype("string") == issue]
    if iso3 is not None:
        chosen = chosen[chosen["iso3"] == iso3]
    names = countries.set_index("iso3")["name"]
    issue_order = {key: position for position, key in enumerate(ISSUE_LABELS)}
    ordered = chosen.assign(
        country=chosen["iso3"].map(names),
        issue_rank=chosen["issue"].astype("string").map(issue_order),
    ).sort_values(["issue_rank", "country", "stance_id"])
    return pd.DataFrame(
        {
            "Issue": ordered["issue"].astype("string").map(ISSUE_LABELS).to_list(),
            "State": ordered["country"].to_list(),
            "Stance": ordered["stance"].astype("string").map(STANCE_LABELS).to_list(),
            "What the sources say": ordered["detail"].to_list(),
            "Coded from": [coded_from_label(v) for v in ordered["coded_from"]],
            "Evidence": ordered["evidence"].to_list(),
            "From the paper?": ordered["in_paper"].map({True: "yes", False: "no"}).to_list(),
            "Sources": [markers(ids, sources) for ids in ordered["source_ids"]],
        }
    )


def support_outside_csto(stances: pd.DataFrame, issue: str = UKRAINE_CRISIS) -> list[str]:
    """States whose military support for Russia on an issue came outside the organisation."""
    chosen = stances[
        (stances["issue"].astype("string") == issue)
        & (stances["stance"].astype("string") == OUTSIDE_CSTO)
    ]
    return sorted(chosen["iso3"].astype(str))


def member_choices(stances: pd.DataFrame, countries: pd.DataFrame) -> list[tuple[str, str]]:
    """(name, iso3) pairs of the states that have any stance row, sorted by name."""
    names = countries.set_index("iso3")["name"]
    codes = sorted(set(stances["iso3"].astype(str)), key=lambda code: names.get(code, code))
    return [(str(names.get(code, code)), code) for code in codes]


def member_view(
    stances: pd.DataFrame, countries: pd.DataFrame, sources: pd.DataFrame, iso3: str
) -> Table:
    """One state's stances on every issue the dataset codes, captioned with a count in words."""
    rows = stance_rows(stances, countries, sources, iso3=iso3)
    name = countries.set_index("iso3")["name"].get(iso3, iso3)
    outside = int((rows["Stance"] == STANCE_LABELS[OUTSIDE_CSTO]).sum())
    caption = (
        f"{name}: stances on {len(rows)} issue(s); military support for Russia given outside the "
        f"CSTO on {outside}."
    )
    return Table(rows, caption)


def stance_explorer(
    stances: pd.DataFrame, countries: pd.DataFrame, sources: pd.DataFrame, start: str
) -> object:
    """A widget: pick a state and see its stances across issues (opens on ``start``)."""
    import ipywidgets as widgets

    from helpers.explore import explorer

    return explorer(
        lambda iso3: member_view(stances, countries, sources, iso3),
        iso3=widgets.Dropdown(
            options=member_choices(stances, countries), value=start, description="Member state"
        ),
    )


def war_phase(
    start: pd.Timestamp, precision: object, invasion: pd.Timestamp, summit: pd.Timestamp
) -> str | None:
    """The phase of the war a dated event falls in, or None if its date cannot tell.

    A date is a period at its precision ("2022" is the whole year), so an event is placed only
    if its whole period lies in one phase: with a summit on 16 May 2022, "2022-06" is after it,
    but "2022" could be before or after the invasion, and "2022-05" before or after the summit.
    """
    if pd.isna(start) or precision not in PERIOD_LENGTHS:
        return None
    end = start + PERIOD_LENGTHS[str(precision)]
    summit_end = summit + PERIOD_LENGTHS["day"]
    if end <= invasion:
        return PHASES[0]
    if start >= invasion and end <= summit:
        return PHASES[1]
    if start >= summit and end <= summit_end:
        return PHASES[2]
    if start >= summit_end:
        return PHASES[3]
    return None


def turning_points(
    events: pd.DataFrame,
    crises: pd.DataFrame,
    *,
    crisis_id: str = UKRAINE_CRISIS,
    summit_kind: str = "summit",
) -> pd.DataFrame:
    """The two dates that divide the phases: the war's start and the first summit after it.

    Columns: point, event_id (the summit's; empty for the invasion), date, date_dt, what.
    """
    crisis = crises.set_index("crisis_id", drop=False).loc[crisis_id]
    invasion = crisis["start_dt"]
    after = events[
        (events["kind"].astype("string") == summit_kind) & (events["date_dt"] >= invasion)
    ].sort_values(["date_dt", "event_id"])
    if after.empty:
        raise ValueError(f"No event of kind {summit_kind!r} on or after {invasion.date()}.")
    summit = after.iloc[0]
    return pd.DataFrame(
        {
            "point": ["invasion", "summit"],
            "event_id": [pd.NA, summit["event_id"]],
            "date": [crisis["start"], summit["date"]],
            "date_dt": [invasion, summit["date_dt"]],
            "what": [crisis["name"], summit["title"]],
        }
    )


def war_statements(
    events: pd.DataFrame,
    crises: pd.DataFrame,
    *,
    placed_by_paper: Mapping[str, str] | None = None,
    crisis_id: str = UKRAINE_CRISIS,
    summit_kind: str = "summit",
) -> pd.DataFrame:
    """The war's events (statements, proposals, the summit) in order, each with its phase.

    Phases are divided by ``turning_points`` (the invasion and the next summit). Events are the
    crisis's own rows plus that summit. Where an
    event's date is too coarse (or empty) to place it, ``placed_by_paper`` may give the phase
    the paper's own account puts it in; ``phase_from`` says which of the two placed each row.
    Within a phase, events placed by their date come first, in date order.
    The frame has the columns of ``timeline.timeline_frame`` (so ``timeline.timeline_chart``
    can draw it) plus ``date_precision``, ``phase`` and ``phase_from``.
    """
    placed_by_paper = dict(placed_by_paper or {})
    bad = {key: value for key, value in placed_by_paper.items() if value not in PHASES}
    if bad:
        raise ValueError(f"Unknown phase(s) {bad}; expected one of: {', '.join(PHASES)}.")
    points = turning_points(events, crises, crisis_id=crisis_id, summit_kind=summit_kind)
    invasion, summit = points["date_dt"]
    own = (events["crisis_id"] == crisis_id).fillna(False).astype(bool)
    chosen = events[own | events["event_id"].isin(points["event_id"])]
    phases, origins = [], []
    for _, event in chosen.iterrows():
        dated = war_phase(event["date_dt"], event["date_precision"], invasion, summit)
        paper = placed_by_paper.get(event["event_id"])
        phases.append(dated or paper or UNPLACED)
        origins.append("its date" if dated else "the paper's account" if paper else "")
    frame = chosen.assign(
        kind=chosen["kind"].astype(str),
        date_precision=chosen["date_precision"].astype("string"),
        source=chosen["in_paper"].map({True: IN_PAPER, False: OUTSIDE}),
        phase=phases,
        phase_from=origins,
        phase_rank=[[*PHASES, UNPLACED].index(phase) for phase in phases],
        placed_by_date=[origin == "its date" for origin in origins],
    ).sort_values(
        ["phase_rank", "placed_by_date", "date_dt", "event_id"],
        ascending=[True, False, True, True],
        ignore_index=True,
    )
    frame.insert(0, "number", range(1, len(frame) + 1))
    columns = ["number", "date", "date_dt", "kind", "title", "description", "iso3", "source"]
    return frame[[*columns, "source_ids", "date_precision", "phase", "phase_from"]]


def dated(statements: pd.DataFrame) -> pd.DataFrame:
    """The statements that have a date, for ``timeline.timeline_chart`` (it cannot place the rest).

    Coarse dates stay: the shared timeline draws them as bars across their month or year.
    """
    return statements[statements["date"].notna()]


def phase_table(statements: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The statements for reading: phase (and what placed it), date, what, sources and their dates.

    The sources' own dates show the latest day by which a coarsely dated statement was reported.
    """
    dates = sources.set_index("source_id")["date"]
    return pd.DataFrame(
        {
            "No.": statements["number"].to_list(),
            "Phase": statements["phase"].to_list(),
            "Phase placed by": statements["phase_from"].to_list(),
            "Date": statements["date"].fillna(UNDATED).to_list(),
            "What": statements["title"].to_list(),
            "In more detail": statements["description"].to_list(),
            "Sources": [markers(ids, sources) for ids in statements["source_ids"]],
            "Sources dated": [
                "; ".join(str(dates.get(i, "")) for i in split_ids(ids) if pd.notna(dates.get(i)))
                for ids in statements["source_ids"]
            ],
        }
    )


def bases_hosts(presence: pd.DataFrame, countries: pd.DataFrame) -> list[str]:
    """Names of the states hosting a Russian base or air base, sorted."""
    names = countries.set_index("iso3")["name"]
    bases = presence[presence["kind"].astype("string").isin(["base", "air_base"])]
    return sorted(str(names.get(code, code)) for code in set(bases["host_iso3"].dropna()))


def with_drawdown_note(fig: go.Figure, hosts: list[str]) -> go.Figure:
    """Write the paper's caveat on the bases map: troops moved from bases and deployments abroad,
    but the paper does not say that any left the bases in the members, and no drawdown from them
    was announced.

    The note goes on the figure and into its description, so it reaches readers of the chart
    and of its text alike.
    """
    where = ", ".join(hosts[:-1]) + f" and {hosts[-1]}" if len(hosts) > 1 else "".join(hosts)
    note = (
        "Russia shifted troops and equipment from its bases and missions abroad to the war in "
        f"Ukraine (fn 35); the paper does not say whether any came from its bases in {where}, and "
        "reports no formal statement of a drawdown from them (Weitz 2022)."
    )
    fig.add_annotation(
        text=note.replace("; the paper", ";<br>the paper").replace(
            ", and reports", ",<br>and reports"
        ),
        xref="paper",
        yref="paper",
        x=0,
        y=-0.3,
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 12},
    )
    description = fig.layout.meta["description"]
    fig.update_layout(meta={"description": f"{description} {note}"}, margin={"b": 150})
    return fig
