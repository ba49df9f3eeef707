"""Armenia in the organisation: its place, its requests and disputes, and what it got.

The paper's section "The Armenian connection" describes a founding, active member whose appeals
against Azerbaijan were repeatedly turned down (Weitz 2022). These functions turn the dataset's
rows on Armenia into the tables and charts of notebook 04: membership and chairmanships (the
paper's years set against an outside list where they disagree), officials, Russian forces in
Armenia, a timeline of requests and disputes, what Armenia asked against what it got, and Russia's
arms supplies to both Armenia and Azerbaijan.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import PALETTE, new_figure, style
from helpers.citations import full_citation, ids_in, short_citation
from helpers.crises import CaseCard, quotations_for
from helpers.data import split_ids
from helpers.deployment import markers, yes_no
from helpers.membership import FRAMEWORK_NAMES, eras, spells
from helpers.readings import coded_from_label
from helpers.tables import row_by_id
from helpers.timeline import IN_PAPER as TIMELINE_IN_PAPER
from helpers.timeline import timeline_frame

ARMENIA = "ARM"
ARMENIA_SECTION = "armenian_connection"  # the paper's section on Armenia (paper_sections)
AZERBAIJAN = "AZE"
PAPER, OUTSIDE = "the paper", "outside the paper"
AGREE, DISAGREE = "agree", "disagree"
ONLY_PAPER, ONLY_OUTSIDE = "only the paper names a chair", "only the outside list names a chair"
AFTER_PAPER_KIND = "epilogue"
TABLES = (
    "countries",
    "sources",
    "people",
    "roles",
    "membership",
    "chairmanships",
    "disagreements",
    "events",
    "crises",
    "crisis_conditions",
    "armenia_disputes",
    "russian_presence",
    "russian_support",
    "stances",
    "quotations",
)
GOT_LABELS = {
    "yes": "got what it asked",
    "late": "got it, but late",
    "no": "did not get it",
    "not coded": "not clear",
}
RAISED_BY_LABELS = {
    "armenia": "Armenia",
    "government": "Armenia's government",
    "parliament": "Armenia's parliament",
    "politicians": "some Armenian politicians",
}
# Calls made by some politicians are not Armenia's requests and are not counted as such.
NOT_ARMENIAS_REQUEST = {"politicians"}


def _year(text: object) -> int | None:
    return int(str(text)[:4]) if isinstance(text, str) and text.strip() else None


# --- Place in the organisation -----------------------------------------------------------------


def membership_spells(
    membership: pd.DataFrame,
    countries: pd.DataFrame,
    sources: pd.DataFrame,
    iso3: str = ARMENIA,
) -> pd.DataFrame:
    """A state's spells in the treaty, the organisation and the assembly, with a founding flag.

    "Founding" is computed, not typed: a member spell that starts when its framework's era begins
    (``helpers.membership.eras``: the first start of any spell in the treaty or the organisation).
    """
    frame = spells(membership, countries)
    starts = eras(frame)
    rows = frame[frame["iso3"] == iso3].sort_values(["start_at", "spell_id"])
    return pd.DataFrame(
        {
            "Framework": rows["framework"].map(FRAMEWORK_NAMES).to_list(),
            "Status": rows["status"].to_list(),
            "Period": rows["period"].to_list(),
            "Founding member?": [
                yes_no(status == "member" and starts.get(framework) == start)
                for status, framework, start in zip(
                    rows["status"], rows["framework"], rows["start_at"], strict=True
                )
            ],
            "From the paper?": [yes_no(v) for v in rows["in_paper"]],
            "Sources": [markers(ids, sources) for ids in rows["source_ids"]],
        }
    )


def chairmanship_years(chairmanships: pd.DataFrame) -> pd.DataFrame:
    """One row per (year, chair, origin): each chairmanship spread over the years it covers.

    The paper gives spans such as 2007-2008; an outside list gives single years. Expanding both to
    years lets them be compared year by year.
    """
    rows = []
    for _, chair in chairmanships.iterrows():
        first = _year(chair["start"])
        last = _year(chair["end"]) or first
        origin = PAPER if yes_no(chair["in_paper"]) == "yes" else OUTSIDE
        rows += [
            {"year": year, "iso3": chair["iso3"], "origin": origin, "chair_id": chair["chair_id"]}
            for year in range(first, last + 1)
        ]
    return pd.DataFrame(rows, columns=["year", "iso3", "origin", "chair_id"]).sort_values(
        ["year", "origin", "iso3"], ignore_index=True
    )


def chairmanship_comparison(chairmanships: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Year by year: who chaired according to the paper and according to the outside list.

    The verdict column says in words whether the two agree, disagree, or only one names a chair.
    """
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    years = chairmanship_years(chairmanships)
    rows = []
    for year, group in years.groupby("year", sort=True):
        by_origin = {origin: sorted(set(part["iso3"])) for origin, part in group.groupby("origin")}
        paper, outside = by_origin.get(PAPER, []), by_origin.get(OUTSIDE, [])
        if paper and outside:
            verdict = AGREE if paper == outside else DISAGREE
        else:
            verdict = ONLY_PAPER if paper else ONLY_OUTSIDE
        rows.append(
            {
                "Year": int(year),
                "The paper says": ", ".join(names.get(c, c) for c in paper) or "—",
                "Outside list says": ", ".join(names.get(c, c) for c in outside) or "—",
                "Verdict": verdict,
            }
        )
    return pd.DataFrame(rows)


def chairmanship_chart(chairmanships: pd.DataFrame, countries: pd.DataFrame) -> go.Figure:
    """Two rows of year markers (the paper, the outside list), each labelled with the chair."""
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    years = chairmanship_years(chairmanships)
    chairs = sorted(set(years["iso3"]))
    symbols = ("circle", "square", "diamond", "triangle-up", "hexagon", "star", "cross", "x")
    fig = new_figure()
    for index, code in enumerate(chairs):
        part = years[years["iso3"] == code]
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["origin"],
                mode="markers+text",
                text=[code] * len(part),
                textposition="top center",
                marker={
                    "size": 16,
                    "symbol": symbols[index % len(symbols)],
                    "color": PALETTE[index % len(PALETTE)],
                    "line": {"width": 1, "color": PALETTE[7]},
                },
                name=names.get(code, code),
            )
        )
    # Headroom above the upper row keeps its labels clear of the title.
    fig.update_yaxes(categoryorder="array", categoryarray=[OUTSIDE, PAPER], range=[-0.5, 1.6])
    fig.update_xaxes(dtick=1)
    return style(
        fig,
        title="Who chaired the organisation? The paper against an outside list",
        x_label="Year",
        y_label="According to",
        description=describe_chairmanships(chairmanship_comparison(chairmanships, countries)),
        height=360,
    )


def describe_chairmanships(comparison: pd.DataFrame) -> str:
    """The agreements and disagreements between the two lists, in words."""
    parts = []
    for verdict in (AGREE, DISAGREE, ONLY_PAPER, ONLY_OUTSIDE):
        years = comparison.loc[comparison["Verdict"] == verdict, "Year"].astype(str).to_list()
        if years:
            parts.append(f"{verdict}: {', '.join(years)}")
    clashes = comparison[comparison["Verdict"] == DISAGREE]
    text = f"{len(comparison)} years with a named chair. " + "; ".join(parts) + "."
    for _, row in clashes.iterrows():
        text += (
            f" In {row['Year']} the paper names {row['The paper says']} and the outside list "
            f"names {row['Outside list says']}."
        )
    return text


def officials(
    roles: pd.DataFrame, people: pd.DataFrame, sources: pd.DataFrame, iso3: str = ARMENIA
) -> pd.DataFrame:
    """Posts held by a state's nationals, in the organisation and at home, in date order."""
    nationals = people.loc[people["iso3"] == iso3, ["person_id", "name"]]
    rows = roles.merge(nationals, on="person_id").sort_values(["start_dt", "role_id"])
    return pd.DataFrame(
        {
            "Person": rows["name"].astype(str).to_list(),
            "Post": rows["role"].astype(str).to_list(),
            "Organisation": rows["organisation"].astype(str).str.replace("_", " ").to_list(),
            "From": [str(v) if pd.notna(v) else "not given" for v in rows["start"]],
            "Until": [
                str(end)
                if pd.notna(end)
                else f"open (as of {asof})"
                if pd.notna(asof)
                else "not given"
                for end, asof in zip(rows["end"], rows["as_of"], strict=True)
            ],
            "Acting?": [yes_no(v) for v in rows["acting"]],
            "From the paper?": [yes_no(v) for v in rows["in_paper"]],
            "Sources": [markers(ids, sources) for ids in rows["source_ids"]],
        }
    )


# --- Requests and disputes ---------------------------------------------------------------------


def tied_events(
    events: pd.DataFrame,
    crises: pd.DataFrame,
    iso3: str = ARMENIA,
    section: str = ARMENIA_SECTION,
) -> pd.DataFrame:
    """Events about a state: coded to it, or belonging to one of its crises.

    A crisis is the state's when the state asked about it, when it took place on its soil, or when
    the paper discusses it in the state's own section. The last rule keeps the 2020 war on
    Armenia's timeline although the war is coded to Azerbaijan and no request made during it is
    recorded; the first brings in Putin's May 2021 answer, coded to Russia.
    """
    own = crises.loc[
        (crises["requester_iso3"].astype("string") == iso3)
        | (crises["location_iso3"].astype("string") == iso3)
        | (crises["paper_section"].astype("string") == section),
        "crisis_id",
    ]
    tied = (events["iso3"].astype("string") == iso3) | events["crisis_id"].isin(own)
    return events[tied.fillna(False)]


def armenia_timeline(
    events: pd.DataFrame,
    crises: pd.DataFrame,
    window: tuple[int, int],
    *,
    include_after_paper: bool = False,
    iso3: str = ARMENIA,
) -> pd.DataFrame:
    """Armenia's events in the window, in ``helpers.timeline``'s shape (numbered, marked).

    Events after the paper (kind ``epilogue``) are left out unless asked for: notebook 07 treats
    them as the epilogue. Draw the result with ``helpers.timeline.timeline_chart``.
    """
    tied = tied_events(events, crises, iso3)
    kinds = set(tied["kind"].astype(str))
    if not include_after_paper:
        kinds.discard(AFTER_PAPER_KIND)
    return timeline_frame(tied, kinds=sorted(kinds), window=window)


def timeline_years(events: pd.DataFrame) -> tuple[int, int]:
    """The first and last year of the events table: the allowed year window.

    The whole table's span, not Armenia's alone, so that a course-wide window (say 1992-2012)
    is accepted by every notebook that has one.
    """
    years = events["date_dt"].dt.year
    return int(years.min()), int(years.max())


def timeline_table(timeline: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The timeline as a readable table, numbered like the chart's markers."""
    return pd.DataFrame(
        {
            "No.": timeline["number"].to_list(),
            "Date": timeline["date"].astype(str).to_list(),
            "Kind": timeline["kind"].to_list(),
            "What": timeline["title"].astype(str).to_list(),
            "From the paper?": [yes_no(s == TIMELINE_IN_PAPER) for s in timeline["source"]],
            "Sources": [markers(ids, sources) for ids in timeline["source_ids"]],
        }
    )


def asked_and_got(
    disputes: pd.DataFrame,
    countries: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    include_after_paper: bool = False,
) -> pd.DataFrame:
    """Each dispute: who raised it, what was asked, what came of it, and whether that was it.

    "Got it?" reads "late" where Armenia got what it asked only after a delay (the Secretary
    General post). "Coded from" says whether the paper states the outcome or the course reads
    it from the paper. Disputes known only from outside the paper (all of them after mid-2022)
    are left out unless asked for, so that by default the table tests the paper's own account.
    """
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    rows = _disputes(disputes, include_after_paper).sort_values(
        ["date_dt", "dispute_id"], na_position="last"
    )
    return pd.DataFrame(
        {
            "Dispute id": rows["dispute_id"].astype(str).to_list(),
            "Date": [str(v) if pd.notna(v) else "no date given" for v in rows["date"]],
            "Dispute": rows["title"].astype(str).to_list(),
            "Raised by": rows["raised_by"].astype(str).map(RAISED_BY_LABELS).to_list(),
            "Counterpart": [
                names.get(c, "—") if pd.notna(c) else "—" for c in rows["counterpart_iso3"]
            ],
            "Armenia asked": rows["armenia_asked"].astype(str).to_list(),
            "What it got": rows["outcome"].astype(str).to_list(),
            "Got it?": [
                got_answer(got, late)
                for got, late in zip(rows["got_what_it_asked"], rows["delayed"], strict=True)
            ],
            "Coded from": [coded_from_label(v) for v in rows["coded_from"]],
            "Evidence": rows["evidence"].astype(str).to_list(),
            "From the paper?": [yes_no(v) for v in rows["in_paper"]],
            "Sources": [markers(ids, sources) for ids in rows["source_ids"]],
        }
    )


def got_answer(got: object, delayed: object) -> str:
    """yes / late / no / not coded: whether Armenia got what it asked, and whether in time."""
    answer = yes_no(got)
    return "late" if answer == "yes" and yes_no(delayed) == "yes" else answer


def armenias_requests(asked: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``asked_and_got`` raised by Armenia itself (its state, government or parliament).

    A call by some Armenian politicians (the proposal to expel Belarus) is not a request of
    Armenia's, so it is not counted with them; ``not_armenias_requests`` lists what is left out.
    """
    return asked[~_raised_by_others(asked)]


def not_armenias_requests(asked: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``asked_and_got`` raised by others on the Armenian side, not by Armenia."""
    return asked[_raised_by_others(asked)]


def _raised_by_others(asked: pd.DataFrame) -> pd.Series:
    others = {RAISED_BY_LABELS[key] for key in NOT_ARMENIAS_REQUEST}
    return asked["Raised by"].isin(others)


def _disputes(disputes: pd.DataFrame, include_after_paper: bool) -> pd.DataFrame:
    """The disputes the paper reports, or all of them (the later ones come only from outside)."""
    return disputes if include_after_paper else disputes[disputes["in_paper"].fillna(False)]


def dispute_quotations(
    disputes: pd.DataFrame, quotations: pd.DataFrame, *, include_after_paper: bool = False
) -> pd.DataFrame:
    """Quotations that share a source with any of the disputes (the words behind the outcomes).

    Uses ``helpers.crises.quotations_for``, the dataset's link between quotations and events.
    """
    chosen = _disputes(disputes, include_after_paper)
    cited = pd.Series({"source_ids": ";".join(ids_in(chosen["source_ids"]))})
    return quotations_for(cited, quotations)


def outcome_counts(asked: pd.DataFrame) -> pd.DataFrame:
    """How Armenia's own requests and disputes ended, with the disputes named.

    Counts ``armenias_requests`` only: calls by some Armenian politicians are not Armenia's
    requests (``outcome_chart`` names them in its description instead).
    """
    own = armenias_requests(asked)
    rows = []
    for code, label in GOT_LABELS.items():
        part = own[own["Got it?"] == code]
        rows.append(
            {
                "Outcome": label,
                "Disputes": len(part),
                "Which": "; ".join(
                    f"{d} ({t})" for d, t in zip(part["Date"], part["Dispute"], strict=True)
                ),
            }
        )
    return pd.DataFrame(rows)


def outcome_chart(counts: pd.DataFrame, left_out: pd.DataFrame | None = None) -> go.Figure:
    """Bars: how often Armenia got what it asked; each bar says its count in words.

    ``left_out`` (``not_armenias_requests``) names the calls not counted as Armenia's requests,
    so the description says what the bars leave out and why.
    """
    colours = {
        GOT_LABELS["yes"]: PALETTE[2],
        GOT_LABELS["late"]: PALETTE[4],
        GOT_LABELS["no"]: PALETTE[5],
        GOT_LABELS["not coded"]: PALETTE[7],
    }
    fig = new_figure(
        go.Bar(
            x=counts["Disputes"],
            y=counts["Outcome"],
            orientation="h",
            marker_color=[colours[o] for o in counts["Outcome"]],
            text=[f"{n} dispute{'s' if n != 1 else ''}" for n in counts["Disputes"]],
            textposition="outside",
            hovertext=counts["Which"],
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(counts["Outcome"])))
    fig.update_xaxes(dtick=1, range=[0, int(counts["Disputes"].max()) + 1.5])
    total = int(counts["Disputes"].sum())
    described = ", ".join(
        f"{label}: {n}" for label, n in zip(counts["Outcome"], counts["Disputes"], strict=True)
    )
    description = f"Of {total} requests and disputes raised by Armenia in the data, {described}."
    if left_out is not None and len(left_out):
        named = "; ".join(
            f"{d} ({who})"
            for d, who in zip(left_out["Dispute"], left_out["Raised by"], strict=True)
        )
        description += f" Not counted as Armenia's requests: {named}."
    return style(
        fig,
        title="What Armenia asked of its allies, and what it got",
        x_label="Number of disputes",
        y_label="Outcome for Armenia",
        description=description,
        height=360,
    )


def dispute_choices(disputes: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, dispute_id) pairs for a dropdown of every dispute, in date order (undated last)."""
    rows = disputes.sort_values(["date_dt", "dispute_id"], na_position="last")
    return [
        (f"{date if pd.notna(date) else 'undated'}: {title}", str(key))
        for date, title, key in zip(rows["date"], rows["title"], rows["dispute_id"], strict=True)
    ]


def dispute_card(
    disputes: pd.DataFrame, countries: pd.DataFrame, sources: pd.DataFrame, dispute_id: str
) -> CaseCard:
    """One dispute on a case card (the same card notebook 03 uses for crises), sources in full."""
    dispute = row_by_id(disputes, "dispute_id", dispute_id)
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    counterpart = dispute["counterpart_iso3"]
    facts = (
        ("When", str(dispute["date"])),
        (
            "Against or about",
            names.get(counterpart, "no single state")
            if pd.notna(counterpart)
            else "no single state",
        ),
        ("Raised by", RAISED_BY_LABELS.get(str(dispute["raised_by"]), str(dispute["raised_by"]))),
        ("What was asked or done", str(dispute["armenia_asked"])),
        ("What it got", str(dispute["outcome"])),
        (
            "Did it get what it asked?",
            GOT_LABELS[got_answer(dispute["got_what_it_asked"], dispute["delayed"])],
        ),
        ("How this is coded", f"{coded_from_label(dispute['coded_from'])}: {dispute['evidence']}"),
        ("Notes", str(dispute["notes"]) if pd.notna(dispute["notes"]) else "none"),
    )
    by_source = sources.set_index("source_id", drop=False)
    listed = tuple(
        f"[{short_citation(by_source.loc[i])}] {full_citation(by_source.loc[i])}"
        for i in split_ids(str(dispute["source_ids"]))
    )
    note = (
        ""
        if yes_no(dispute["in_paper"]) == "yes"
        else "This dispute comes from sources outside the paper."
    )
    return CaseCard(str(dispute["title"]), facts, (), listed, note)
