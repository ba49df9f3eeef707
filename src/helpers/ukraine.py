"""The CSTO and the war in Ukraine: members' stances, what was said when, and what Russia moved.

The paper's finding for 2022 is an absence: the organisation took no part in the war, Belarus
helped Russia outside it, and the proposals for a CSTO role came to nothing (Weitz 2022, "Impact of
the Ukraine War"). These helpers put the dataset's rows behind that finding: a state-by-issue grid
of stances (Georgia 2008 and Crimea 2014 beside Ukraine 2022), the statements in the order they were
made, grouped by the phase of the war, and one member's stances for the exploration.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from helpers.citations import citation_markers
from helpers.grids import category_grid
from helpers.stances import ISSUE_LABELS, STANCE_LABELS
from helpers.timeline import IN_PAPER, OUTSIDE

UKRAINE_CRISIS = "ukraine_2022"
COMPARED_ISSUES = ("georgia_2008", "crimea_2014", "ukraine_2022")
OUTSIDE_CSTO = "military_support_outside_csto"
NOT_CODED = "not coded"
UNDATED = "undated"
PHASES = (
    "before the invasion",
    "from the invasion to the May 2022 summit",
    "the May 2022 summit",
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
    """Stances with the paper's detail and their sources, for one issue and/or one state.

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
            "From the paper?": ordered["in_paper"].map({True: "yes", False: "no"}).to_list(),
            "Sources": [citation_markers(ids, sources) for ids in ordered["source_ids"]],
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


def war_phase(day: pd.Timestamp, invasion: pd.Timestamp, summit: pd.Timestamp) -> str:
    """Which phase of the war a date falls in, relative to the invasion and the May 2022 summit.

    Dates are first days of their period (``<date>_dt``), so a statement dated only "2022" or
    "2022-02" counts as made before the invasion, as the paper's order of events has it.
    """
    if pd.isna(day):
        return UNDATED
    if day < invasion:
        return PHASES[0]
    if day < summit:
        return PHASES[1]
    if day == summit:
        return PHASES[2]
    return PHASES[3]


def war_statements(
    events: pd.DataFrame,
    crises: pd.DataFrame,
    *,
    crisis_id: str = UKRAINE_CRISIS,
    summit_kind: str = "summit",
) -> pd.DataFrame:
    """The war's events (statements, proposals, the summit) in date order, each with its phase.

    The invasion date is the crisis's own start; the summit is the first event of kind
    ``summit`` in the invasion's year. The frame has the columns of ``timeline.timeline_frame``
    (so ``timeline.timeline_chart`` draws it) plus ``phase``.
    """
    crisis = crises.set_index("crisis_id").loc[crisis_id]
    invasion = crisis["start_dt"]
    summits = events[
        (events["kind"].astype("string") == summit_kind)
        & (events["date_dt"].dt.year == invasion.year)
    ]
    if summits.empty:
        raise ValueError(
            f"No event of kind {summit_kind!r} in {invasion.year} in the events table."
        )
    summit = summits["date_dt"].min()
    chosen = events[(events["crisis_id"] == crisis_id) | events.index.isin(summits.index)]
    frame = chosen.sort_values(["date_dt", "date", "event_id"], ignore_index=True)
    frame = frame.assign(
        kind=frame["kind"].astype(str),
        source=frame["in_paper"].map({True: IN_PAPER, False: OUTSIDE}),
        phase=[war_phase(day, invasion, summit) for day in frame["date_dt"]],
    )
    frame.insert(0, "number", range(1, len(frame) + 1))
    columns = ["number", "date", "date_dt", "kind", "title", "description", "iso3", "source"]
    return frame[[*columns, "source_ids", "phase"]]


def phase_table(statements: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The statements for reading: phase, date, what happened, where it comes from."""
    return pd.DataFrame(
        {
            "No.": statements["number"].to_list(),
            "Phase": statements["phase"].to_list(),
            "Date": statements["date"].to_list(),
            "What": statements["title"].to_list(),
            "In more detail": statements["description"].to_list(),
            "Sources": [citation_markers(ids, sources) for ids in statements["source_ids"]],
        }
    )


def bases_hosts(presence: pd.DataFrame, countries: pd.DataFrame) -> list[str]:
    """Names of the states hosting a Russian base or air base, sorted."""
    names = countries.set_index("iso3")["name"]
    bases = presence[presence["kind"].astype("string").isin(["base", "air_base"])]
    return sorted(str(names.get(code, code)) for code in set(bases["host_iso3"].dropna()))


def with_drawdown_note(fig: go.Figure, hosts: list[str]) -> go.Figure:
    """Write the paper's caveat on the bases map: troops moved, yet no drawdown was announced.

    The note goes on the figure and into its description, so it reaches readers of the chart
    and of its text alike.
    """
    where = ", ".join(hosts[:-1]) + f" and {hosts[-1]}" if len(hosts) > 1 else "".join(hosts)
    note = (
        "Russia moved soldiers and equipment from bases and deployments abroad to the Ukraine "
        f"front, but announced no formal drawdown from its bases in {where} (Weitz 2022; fn 35)."
    )
    fig.add_annotation(
        text=note.replace(", but", ",<br>but"),
        xref="paper",
        yref="paper",
        x=0,
        y=-0.16,
        showarrow=False,
        align="left",
        font={"size": 12},
    )
    description = fig.layout.meta["description"]
    fig.update_layout(meta={"description": f"{description} {note}"}, margin={"b": 110})
    return fig
