"""The January 2022 deployment to Kazakhstan: its days, its size, its sites and what set it apart.

The paper calls the operation a debatable precedent (Weitz 2022, "Kazakhstan: a debatable
precedent"). These functions let a notebook show the evidence behind that judgement: when each step
happened (and which dates come from outside the paper), how big the force was when the sources do
not agree (figures kept as ranges, never averaged away), and how the case differs, condition by
condition, from every other crisis in the dataset.

Analysis functions take tables from ``helpers.data.load_table`` and return DataFrames with
plain-English column names; chart functions take those frames and return styled plotly figures.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import NEUTRAL, PALETTE, description_of, new_figure, show, style
from helpers.citations import citation_markers
from helpers.crises import CONDITION_LABELS, RESPONSE_LABELS, conditions_grid
from helpers.data import split_ids
from helpers.grids import category_grid
from helpers.readings import coded_from_label, is_reading
from helpers.tables import Table, estimate_text, row_by_id
from helpers.timeline import IN_PAPER, timeline_chart, timeline_frame

KAZAKHSTAN_CRISIS = "kaz_2022"
KAZAKHSTAN_DEPLOYMENT = "kaz_2022_csto"
TOTAL = "total"
TOTAL_LABEL = "Whole force (total)"
ALL = "all"
TABLES = (
    "countries",
    "sources",
    "people",
    "events",
    "crises",
    "crisis_conditions",
    "deployments",
    "deployment_figures",
    "deployment_sites",
    "quotations",
)
SAME, DIFFERENT, NOT_CODED = "same", "differs", "not coded"


def markers(source_ids: object, sources: pd.DataFrame) -> str:
    """In-text citation markers (``helpers.citations.citation_markers``) with repeats dropped."""
    return "; ".join(dict.fromkeys(citation_markers(source_ids, sources).split("; ")))


def yes_no(flag: object) -> str:
    """Booleans in words, so a table is read the same without colour; missing means not coded."""
    if flag is None or flag is pd.NA or (isinstance(flag, float) and pd.isna(flag)):
        return NOT_CODED
    return "yes" if bool(flag) else "no"


# --- The days ----------------------------------------------------------------------------------


def crisis_timeline(events: pd.DataFrame, crisis_id: str = KAZAKHSTAN_CRISIS) -> pd.DataFrame:
    """The crisis's events as a ``helpers.timeline`` frame (numbered, marked paper or outside),
    with each event's notes, which say where the paper reports an event but not its day.

    Draw it with ``helpers.timeline.timeline_chart``; ``deployment_days`` adds the day count.
    """
    chosen = events[events["crisis_id"].astype("string") == crisis_id]
    if chosen.empty:
        raise ValueError(f"No events with crisis_id={crisis_id!r} in the events table.")
    years = chosen["date_dt"].dt.year
    frame = timeline_frame(
        chosen, kinds=chosen["kind"].astype(str).unique(), window=(years.min(), years.max())
    )
    notes = chosen[["date", "title", "notes"]].astype({"date": str, "title": str})
    keyed = frame.astype({"date": str, "title": str})
    return keyed.merge(notes, on=["date", "title"], how="left", validate="one_to_one")


NOTE_WIDTH = 70  # characters per line of a note drawn on a chart


def day_by_day_chart(timeline: pd.DataFrame, *, title: str) -> go.Figure:
    """The crisis timeline drawn day by day, with events dated only to a year named in a note.

    Drawn as a bar, an event the sources date only to "2022" would stretch the axis over the
    whole year and squeeze the days of the operation into a few pixels; it keeps its number, so
    the note, the chart and the table still agree.
    """
    year_only = timeline["date"].astype(str).str.len() == len("YYYY")
    fig = timeline_chart(timeline[~year_only], title=title)
    if not year_only.any():
        return fig
    listed = "; ".join(
        f"{r.number}. {r.title} ({r.date})" for r in timeline[year_only].itertuples()
    )
    note = f"Dated only to the year, so not drawn: {listed}."
    lines = textwrap.wrap(note, NOTE_WIDTH)
    fig.add_annotation(text="<br>".join(lines), xref="paper", yref="paper", x=0, y=1,
                       yanchor="bottom", xanchor="left", showarrow=False, align="left", yshift=6)
    room = 18 * len(lines)  # the note sits above the plot: make room without shrinking it
    fig.update_layout(margin={"t": 80 + room}, height=fig.layout.height + room,
                      meta={"description": f"{description_of(fig)} {note}"})
    return fig


def deployment_days(timeline: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The timeline as a table, each event numbered by day from the first day-precise event.

    The day number makes the speed visible (request, decision, withdrawal). "From the paper?" says
    whether the paper reports the event; the notes say where the paper reports an event but its
    day comes from outside (as for the request).
    """
    notes = timeline["notes"] if "notes" in timeline else [""] * len(timeline)
    day_precise = timeline["date"].astype(str).str.len() == len("YYYY-MM-DD")
    first_day = timeline.loc[day_precise, "date_dt"].min()
    days = (timeline["date_dt"] - first_day).dt.days + 1
    return pd.DataFrame(
        {
            "No.": timeline["number"].to_list(),
            "Date": timeline["date"].astype(str).to_list(),
            "Day": pd.array(days.where(day_precise), dtype="Int64"),
            "Kind": timeline["kind"].to_list(),
            "What happened": timeline["title"].astype(str).to_list(),
            "From the paper?": [yes_no(s == IN_PAPER) for s in timeline["source"]],
            "Sources": [markers(ids, sources) for ids in timeline["source_ids"]],
            "Notes": [n if isinstance(n, str) else "" for n in notes],
        }
    )


def pace(days: pd.DataFrame) -> str:
    """The operation's pace in one sentence: request, decision and last event, by day number."""
    dated = days.dropna(subset=["Day"])
    steps = []
    for kind in ("request", "decision"):
        first = dated[dated["Kind"] == kind].head(1)
        if len(first):
            row = first.iloc[0]
            steps.append(f"the {kind} on {row['Date']} (day {row['Day']})")
    last = dated.iloc[-1]
    steps.append(f"the last event, {last['What happened']}, on {last['Date']} (day {last['Day']})")
    outside = dated.loc[dated["From the paper?"] == "no", "Date"].to_list()
    return (
        f"Day 1 is {dated['Date'].iloc[0]}: " + "; ".join(steps) + ". "
        f"Events known only from outside the paper: {', '.join(outside) or 'none'}."
    )


# --- The size of the force ---------------------------------------------------------------------


def figure_ranges(
    figures: pd.DataFrame,
    countries: pd.DataFrame,
    sources: pd.DataFrame,
    deployment_id: str = KAZAKHSTAN_DEPLOYMENT,
) -> pd.DataFrame:
    """Every size figure for one deployment as its own row: contributor, low, best, high, source.

    Sources disagree, so no figure is merged into another: each claim stands beside its origin.
    Rows are ordered: the total first, then contributors by their highest figure.
    """
    rows = figures[figures["deployment_id"] == deployment_id].copy()
    if rows.empty:
        raise ValueError(
            f"No figures with deployment_id={deployment_id!r} in the deployment_figures table."
        )
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    rows["contributor"] = [
        TOTAL_LABEL if scope == TOTAL else names.get(code, code)
        for scope, code in zip(rows["scope"].astype(str), rows["iso3"], strict=True)
    ]
    values = rows[["value_low", "value_best", "value_high"]].astype("Float64")
    rows["top"] = values.max(axis=1, skipna=True)
    rows["peak"] = rows.groupby("contributor")["top"].transform("max")
    rows["not_total"] = rows["scope"].astype(str) != TOTAL
    rows = rows.sort_values(
        ["not_total", "peak", "contributor", "top", "figure_id"],
        ascending=[True, False, True, False, True],
        na_position="last",
    )
    return pd.DataFrame(
        {
            "Contributor": rows["contributor"].to_list(),
            "Country code": [TOTAL if pd.isna(c) else str(c) for c in rows["iso3"]],
            "Low": pd.array(rows["value_low"], dtype="Int64"),
            "Best": pd.array(rows["value_best"], dtype="Int64"),
            "High": pd.array(rows["value_high"], dtype="Int64"),
            "Figure": [
                estimate_text(lo, be, hi)
                for lo, be, hi in zip(
                    rows["value_low"], rows["value_best"], rows["value_high"], strict=True
                )
            ],
            "Estimate type": rows["estimate_type"].astype(str).to_list(),
            "What was counted": rows["unit_note"].fillna("").astype(str).to_list(),
            "Source ids": [";".join(split_ids(str(ids))) for ids in rows["source_ids"]],
            "Sources": [markers(ids, sources) for ids in rows["source_ids"]],
            "From the paper?": [yes_no(flag) for flag in rows["in_paper"]],
        }
    )


def paper_total(ranges: pd.DataFrame) -> int:
    """The paper's own figure for the whole force (about 2,500 for Kazakhstan)."""
    stated = ranges[(ranges["Country code"] == TOTAL) & (ranges["From the paper?"] == "yes")]
    values = stated[["Best", "Low", "High"]].stack().dropna()
    if values.empty:
        raise ValueError("The figures include no total stated in the paper.")
    return int(values.iloc[0])


def contributor_ranges(ranges: pd.DataFrame) -> pd.DataFrame:
    """Per contributor (and the total): the lowest and highest figure any source gives.

    This is the range the chart draws. Figures without a head count (a "company") are counted
    and named, never turned into a number.
    """
    rows = []
    for contributor, part in ranges.groupby("Contributor", sort=False):
        values = part[["Low", "Best", "High"]].stack().dropna().astype(int)
        official = part.loc[part["Estimate type"] == "official", "Figure"].to_list()
        no_count = part.loc[part[["Low", "Best", "High"]].isna().all(axis=1), "What was counted"]
        rows.append(
            {
                "Contributor": contributor,
                "Lowest": int(values.min()) if len(values) else pd.NA,
                "Highest": int(values.max()) if len(values) else pd.NA,
                "Figures": len(part),
                "Official figures": "; ".join(official) or "none",
                "Without a head count": "; ".join(no_count) or "none",
            }
        )
    return pd.DataFrame(rows).astype({"Lowest": "Int64", "Highest": "Int64"})


def ranges_chart(ranges: pd.DataFrame, *, marked_total: int | None = None) -> go.Figure:
    """Per contributor, a line from the lowest to the highest figure and a marker for each figure.

    Markers differ by shape as well as colour for each estimate type (official, reported,
    approximate), so disagreement is seen, not averaged away; the paper's total is marked.
    """
    spans = contributor_ranges(ranges).dropna(subset=["Lowest"])
    order = list(spans["Contributor"])
    fig = new_figure()
    line_x: list[float | None] = []
    line_y: list[str | None] = []
    for _, row in spans.iterrows():
        line_x += [float(row["Lowest"]), float(row["Highest"]), None]
        line_y += [row["Contributor"], row["Contributor"], None]
    fig.add_trace(
        go.Scatter(
            x=line_x,
            y=line_y,
            mode="lines",
            line={"color": NEUTRAL, "width": 8},
            name="range across sources",
            hoverinfo="skip",
        )
    )
    symbols = ("circle", "diamond", "square", "triangle-up", "x")
    counted = ranges.dropna(subset=["Best"])
    for index, (kind, part) in enumerate(counted.groupby("Estimate type", sort=True)):
        fig.add_trace(
            go.Scatter(
                x=part["Best"].astype(float),
                y=part["Contributor"],
                mode="markers",
                name=f"{kind} figure",
                marker={
                    "symbol": symbols[index % len(symbols)],
                    "size": 13,
                    "color": PALETTE[index % len(PALETTE)],
                    "line": {"width": 1, "color": PALETTE[7]},
                },
                hovertext=[
                    f"{c}: {f} ({kind}; {w}; {s})"
                    for c, f, w, s in zip(
                        part["Contributor"],
                        part["Figure"],
                        part["What was counted"],
                        part["Sources"],
                        strict=True,
                    )
                ],
                hoverinfo="text",
            )
        )
    if marked_total is not None:
        fig.add_vline(
            x=marked_total,
            line_dash="dash",
            line_color=PALETTE[7],
            annotation_text=f"the paper: about {marked_total:,}",
            annotation_position="top",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    return style(
        fig,
        title="How big was the force? Each source's figure, and the range they span",
        x_label="Troops",
        y_label="Contributor",
        description=describe_ranges(ranges, marked_total),
        height=max(360, 120 + 50 * len(order)),
    )


def describe_ranges(ranges: pd.DataFrame, marked_total: int | None = None) -> str:
    """Each contributor's span of figures across all sources, in words."""
    spans = []
    for _, row in contributor_ranges(ranges).iterrows():
        uncounted = row["Without a head count"]
        if pd.isna(row["Lowest"]):
            text = f"{row['Contributor']}: no head count given ({uncounted})"
        elif row["Lowest"] == row["Highest"]:
            text = f"{row['Contributor']}: {row['Lowest']:,}"
        else:
            text = f"{row['Contributor']}: {row['Lowest']:,} to {row['Highest']:,}"
        if pd.notna(row["Lowest"]) and uncounted != "none":
            text += f" (another figure gives no head count: {uncounted})"
        spans.append(text)
    text = f"{len(ranges)} figures from the sources. " + "; ".join(spans) + "."
    if marked_total is not None:
        text += f" The dashed line marks the paper's total of about {marked_total:,}."
    return text


def contributors_against_total(ranges: pd.DataFrame) -> pd.DataFrame:
    """Add up the contributors' lowest and highest figures and set them beside the stated totals.

    Press figures for single countries can add up to more than the officially stated force: a
    sign that they count different things or are wrong, and a reason not to average them.
    """
    countries = ranges[ranges["Country code"] != TOTAL]
    per_country = countries.groupby("Contributor")[["Low", "Best", "High"]]
    lowest = per_country.min().min(axis=1).dropna()
    highest = per_country.max().max(axis=1).dropna()
    totals = ranges.loc[ranges["Country code"] == TOTAL, ["Low", "Best", "High"]].stack().dropna()
    without_number = sorted(set(countries["Contributor"]) - set(lowest.index))
    return pd.DataFrame(
        {
            "Measure": [
                "Sum of each contributor's lowest figure",
                "Sum of each contributor's highest figure",
                "Lowest stated total",
                "Highest stated total",
                "Contributors with no number",
            ],
            "Value": [
                f"{int(lowest.sum()):,}",
                f"{int(highest.sum()):,}",
                f"{int(totals.min()):,}" if len(totals) else "none stated",
                f"{int(totals.max()):,}" if len(totals) else "none stated",
                ", ".join(without_number) or "none",
            ],
        }
    )


def figures_for(ranges: pd.DataFrame, contributor: str = ALL, source: str = ALL) -> pd.DataFrame:
    """The figures for one contributor (a country code or ``total``) and/or one source id.

    ``all`` keeps everything. The widget and the notebook parameters call this same function.
    """
    keep = pd.Series(True, index=ranges.index)
    if contributor != ALL:
        keep &= ranges["Country code"] == contributor
    if source != ALL:
        keep &= ranges["Source ids"].str.split(";").map(lambda ids: source in ids)
    return ranges[keep].reset_index(drop=True)


def contributor_choices(ranges: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, value) pairs for a contributor dropdown: all figures, the total, then countries."""
    pairs = dict(zip(ranges["Country code"], ranges["Contributor"], strict=True))
    countries = sorted((name, code) for code, name in pairs.items() if code != TOTAL)
    return [("All figures", ALL), (TOTAL_LABEL, TOTAL), *countries]


def source_choices(ranges: pd.DataFrame) -> list[str]:
    """Source ids that give at least one figure, for a source dropdown (``all`` first)."""
    ids = {item for text in ranges["Source ids"] for item in text.split(";")}
    return [ALL, *sorted(ids)]


def figures_view(
    ranges: pd.DataFrame, contributor: str = ALL, source: str = ALL, marked_total: int | None = None
) -> Table | None:
    """The widget's view: the chosen figures as a range chart (shown) and a table (returned)."""
    chosen = figures_for(ranges, contributor, source)
    if chosen.empty:
        return Table(pd.DataFrame({"Result": ["No figure for this contributor from this source."]}))
    if chosen[["Low", "Best", "High"]].notna().any(axis=None):
        show(ranges_chart(chosen, marked_total=marked_total))
    columns = ["Contributor", "Figure", "Estimate type", "What was counted", "Sources"]
    return Table(chosen[columns], caption=f"{len(chosen)} figure(s)")


# --- Sites and legal basis ---------------------------------------------------------------------


def sites_table(
    sites: pd.DataFrame, sources: pd.DataFrame, deployment_id: str = KAZAKHSTAN_DEPLOYMENT
) -> pd.DataFrame:
    """The places the force guarded, each with where the fact comes from."""
    rows = sites[sites["deployment_id"] == deployment_id].sort_values("site_id")
    return pd.DataFrame(
        {
            "Site": rows["name"].astype(str).to_list(),
            "Kind": rows["kind"].astype(str).str.replace("_", " ").to_list(),
            "From the paper?": [yes_no(flag) for flag in rows["in_paper"]],
            "Sources": [markers(ids, sources) for ids in rows["source_ids"]],
        }
    )


def deployment_facts(
    deployments: pd.DataFrame,
    people: pd.DataFrame,
    sources: pd.DataFrame,
    deployment_id: str = KAZAKHSTAN_DEPLOYMENT,
) -> pd.DataFrame:
    """One deployment's legal basis, tasks, rules of engagement, dates and site count, as rows."""
    row = row_by_id(deployments, "deployment_id", deployment_id)
    facts = {
        "Name": row["name"],
        "Framework": row["framework"],
        "Legal basis cited": row["legal_basis"],
        "Tasks": row["tasks"],
        "Rules of engagement": row["rules_of_engagement"],
        "Start": row["start"],
        "End": row["end"],
        "Troops": estimate_text(row["size_low"], row["size_best"], row["size_high"]),
        "Commander": dict(zip(people["person_id"], people["name"], strict=True)).get(
            row["commander_person_id"], "not given"
        ),
        "Sites guarded": estimate_text(
            row["sites_count_low"], row["sites_count_best"], row["sites_count_high"]
        ),
        "From the paper?": yes_no(row["in_paper"]),
        "Sources": markers(row["source_ids"], sources),
    }
    return pd.DataFrame(
        {
            "Fact": list(facts),
            "Value": ["not given" if pd.isna(v) else str(v) for v in facts.values()],
        }
    )


# --- How the case differs from every other crisis ----------------------------------------------


def compare_with_other_crises(
    crises: pd.DataFrame, crisis_conditions: pd.DataFrame, crisis_id: str = KAZAKHSTAN_CRISIS
) -> pd.DataFrame:
    """Every crisis on the coded conditions and the response, the chosen crisis first.

    Built on ``helpers.crises.conditions_grid`` (the same coding notebook 03 shows); the last
    column names the conditions on which each other crisis differs from the chosen one, counting
    only conditions coded yes or no in both, so the table answers "how was this case different?".
    """
    if crisis_id not in set(crises["crisis_id"].astype(str)):
        raise ValueError(f"No crisis with crisis_id={crisis_id!r} in the crises table.")
    ordered = crises.assign(not_target=crises["crisis_id"].astype(str) != crisis_id).sort_values(
        ["not_target", "start_dt", "crisis_id"], na_position="last", ignore_index=True
    )
    grid = conditions_grid(crisis_conditions, ordered)
    labels = list(CONDITION_LABELS.values())
    chosen = grid.iloc[0]
    differs = [
        ", ".join(
            label.lower()
            for label in labels
            if _decided(row[label]) and _decided(chosen[label]) and row[label] != chosen[label]
        )
        or "nothing"
        for _, row in grid.iterrows()
    ]
    differs[0] = "(the chosen case)"
    grid.insert(1, "Start", ["" if pd.isna(v) else str(v) for v in ordered["start"]])
    grid.insert(2, "From the paper?", [yes_no(v) for v in ordered["in_paper"]])
    grid["Response"] = ordered["csto_response"].astype("string").map(RESPONSE_LABELS).to_list()
    grid["Our reading, not the paper's statement"] = _readings_by_crisis(
        crisis_conditions, ordered["crisis_id"]
    )
    grid["Differs from the chosen case on"] = differs
    return grid


def _readings_by_crisis(crisis_conditions: pd.DataFrame, crisis_ids: pd.Series) -> list[str]:
    """For each crisis, the conditions whose code is the course's reading, named in words."""
    readings = crisis_conditions[is_reading(crisis_conditions["coded_from"])]
    named = readings.groupby(readings["crisis_id"].astype(str))["condition"].agg(
        lambda values: ", ".join(
            CONDITION_LABELS[c].lower() for c in CONDITION_LABELS if c in set(values.astype(str))
        )
    )
    return [named.get(str(crisis_id), "none") for crisis_id in crisis_ids]


def _decided(answer: str) -> bool:
    return answer in ("yes", "no")


def condition_contrast(compared: pd.DataFrame) -> pd.DataFrame:
    """Per condition: the chosen case's value and how many other crises share or differ from it."""
    chosen, others = compared.iloc[0], compared.iloc[1:]
    rows = []
    for label in CONDITION_LABELS.values():
        coded = others[label].map(_decided)
        same = int((others.loc[coded, label] == chosen[label]).sum())
        known = _decided(chosen[label])
        rows.append(
            {
                "Condition": label,
                "Chosen case": chosen[label],
                "Other crises alike": same if known else pd.NA,
                "Other crises different": int(coded.sum()) - same if known else pd.NA,
                "Other crises not coded or unclear": int((~coded).sum()),
            }
        )
    return pd.DataFrame(rows).astype(
        {"Other crises alike": "Int64", "Other crises different": "Int64"}
    )


def identical_cases(compared: pd.DataFrame) -> list[str]:
    """Other crises coded exactly like the chosen case on every condition (usually none)."""
    labels = list(CONDITION_LABELS.values())
    others = compared.iloc[1:]
    same = (others[labels] == compared.iloc[0][labels]).all(axis=1)
    return others.loc[same, "Crisis"].to_list()


def contrast_chart(compared: pd.DataFrame) -> go.Figure:
    """A grid: each crisis x condition says whether it is coded like the chosen case or not."""
    labels = list(CONDITION_LABELS.values())
    chosen = compared.iloc[0]
    cells = []
    for _, crisis in compared.iterrows():
        for label in labels:
            mine, theirs = crisis[label], chosen[label]
            coded = _decided(mine) and _decided(theirs)
            verdict = (SAME if mine == theirs else DIFFERENT) if coded else None
            cells.append(
                {"crisis": crisis["Crisis"], "condition": label, "verdict": verdict, "hover": mine}
            )
    frame = pd.DataFrame(cells)
    differing = compared.iloc[1:]["Differs from the chosen case on"]
    alike = identical_cases(compared)
    return category_grid(
        frame,
        row="crisis",
        column="condition",
        category="verdict",
        order=[SAME, DIFFERENT],
        missing="unclear",  # as the comparison table says of a condition coded neither way
        row_order=compared["Crisis"].to_list(),
        column_order=labels,
        hover="hover",
        title=f"How {chosen['Crisis']} compares with every other crisis",
        x_label="Condition",
        y_label="Crisis (the chosen case first)",
        description=(
            f"{len(compared) - 1} other crises compared with {chosen['Crisis']} on "
            f"{len(labels)} conditions. Coded exactly like it on every condition: "
            f"{', '.join(alike) or 'none'}. Other crises with at least one coded difference: "
            f"{int((differing != 'nothing').sum())}."
        ),
    )


def case_conditions(
    crisis_conditions: pd.DataFrame,
    sources: pd.DataFrame,
    crisis_id: str = KAZAKHSTAN_CRISIS,
    only: list[str] | None = None,
) -> pd.DataFrame:
    """One crisis's coded conditions with the reason for each code, whether the paper states it
    or the course reads it from the paper, the passage it rests on, and its sources.

    ``only`` picks conditions, e.g. the two behind the paper's "debatable precedent": the
    foreign-terrorism framing and Russia's support.
    """
    rows = crisis_conditions[crisis_conditions["crisis_id"].astype(str) == crisis_id]
    if only is not None:
        rows = rows[rows["condition"].astype(str).isin(only)]
    return pd.DataFrame(
        {
            "Condition": [CONDITION_LABELS.get(str(c), str(c)) for c in rows["condition"]],
            "Coded": [yes_no(v) for v in rows["value"]],
            "Coded from": [coded_from_label(v) for v in rows["coded_from"]],
            "Why": rows["basis"].astype(str).to_list(),
            "Evidence": rows["evidence"].astype(str).to_list(),
            "Sources": [markers(ids, sources) for ids in rows["source_ids"]],
        }
    )


def deployed_cases(compared: pd.DataFrame) -> pd.DataFrame:
    """The crises in which the organisation sent troops, with their conditions."""
    return (
        compared[compared["CSTO forces sent"] == "yes"]
        .drop(columns=["Differs from the chosen case on"])
        .reset_index(drop=True)
    )
