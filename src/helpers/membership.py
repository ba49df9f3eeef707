"""Who was in the treaty and the organisation, when: spells, years, a date, and a second opinion.

The membership table records spells (a state, a framework, a status, a start and an end at the
precision the source gives). Readers ask three other shapes of question of it, and each needs a
rule, stated here once:

- On a given day: the spells that cover the day; an open spell covers every day from its start,
  as it was last known true on its ``as_of`` date.
- In a given year: a spell counts for every year it touches, including its first and last year,
  because the paper gives spells as year ranges with both ends included (Uzbekistan "from
  1994-1999 and 2006-2012"). When two statuses touch one year, the stronger one is shown (member,
  then suspended, then observer) and the year's full detail is kept beside it.
- Compared with another coding (the COW IGO data): the same year rule, over the years and states
  the other coding covers, with the years it does not cover kept visible rather than dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import NEUTRAL, PALETTE, new_figure, style
from helpers.maps import category_map
from helpers.tables import Table, table

STATUS_ORDER = ("member", "suspended", "observer", "not a member")
NOT_MEMBER = "not a member"
FRAMEWORK_NAMES = {
    "treaty": "Collective Security Treaty",
    "organisation": "CSTO",
    "parliamentary_assembly": "CSTO Parliamentary Assembly",
}
_SHORT_FRAMEWORK = {
    "treaty": "treaty",
    "organisation": "CSTO",
    "parliamentary_assembly": "Assembly",
}
STALE = " (last reported earlier)"
STANDING_ORDER = (
    *[
        label
        for base in ("member", "membership suspended", "observer")
        for label in (base, base + STALE)
    ],
    "former member",
    "former member (treaty era only)",
)
_CHANGES = {  # how a spell's start and end read in a state's history
    "member": ("becomes a member of the {}", "stops being a member of the {}"),
    "suspended": ("membership of the {} suspended", "suspension from the {} ends"),
    "observer": ("becomes an observer in the {}", "stops being an observer in the {}"),
}
COW_LABELS = {"full_member": "member", "observer": "observer", "not_member": NOT_MEMBER}
VERDICT_ORDER = ("agree", "disagree", "not coded by COW")

_STATUS_STYLE = {  # colour, fill pattern: status is told by pattern and label, not colour alone
    "member": (PALETTE[0], ""),
    "suspended": (PALETTE[5], "x"),
    "observer": (PALETTE[1], "."),
    NOT_MEMBER: (NEUTRAL, ""),
}
_VERDICT_STYLE = {
    "agree": (PALETTE[2], ""),
    "disagree": (PALETTE[5], "x"),
    "not coded by COW": (NEUTRAL, ""),
}


# ----------------------------------------------------------------------------- spells


def spells(membership: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Every spell with its state's name, its years and a readable period.

    Adds: ``state``, ``open`` (no end date), ``first_year``, ``last_year`` (for open spells the
    year of ``as_of``), ``start_at`` and ``end_at`` (decimal years for drawing; a stated end
    counts to the end of the period it names) and ``period`` (e.g. "2006-08-16 to 2012-06" or
    "since 2002-10-07 (still so on 2022-06-10)").
    """
    _require(membership, ["spell_id", "iso3", "framework", "status", "start", "end", "as_of"])
    frame = membership.copy()
    frame["iso3"] = frame["iso3"].astype(str)
    frame["framework"] = frame["framework"].astype(str)
    frame["status"] = frame["status"].astype(str)
    frame["open"] = frame["end"].isna()
    no_as_of = frame["open"] & frame["as_of"].isna()
    if no_as_of.any():
        raise ValueError(
            "Open membership spell(s) without an as_of date: "
            f"{frame.loc[no_as_of, 'spell_id'].to_list()}; "
            "expected the date each was last known true."
        )
    last_known = frame["end"].where(~frame["open"], frame["as_of"]).astype(str)
    frame["first_year"] = frame["start"].astype(str).str[:4].astype(int)
    frame["last_year"] = last_known.str[:4].astype(int)
    frame["start_at"] = [_decimal_year(_first_day(text)) for text in frame["start"].astype(str)]
    frame["end_at"] = [
        _decimal_year(_first_day(text)) if is_open else _decimal_year(_after_period(text))
        for text, is_open in zip(last_known, frame["open"], strict=True)
    ]
    frame["state"] = frame["iso3"].map(_names(countries))
    frame["period"] = [
        f"since {start} (still so on {as_of})" if is_open else f"{start} to {end}"
        for start, end, as_of, is_open in zip(
            frame["start"], frame["end"], frame["as_of"], frame["open"], strict=True
        )
    ]
    return frame.sort_values(["iso3", "start_at", "framework"], ignore_index=True)


def state_options(spell_frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(name, ISO code) of every state with a spell, by name: the choices of a state drop-down."""
    pairs = spell_frame[["state", "iso3"]].drop_duplicates().sort_values(["state", "iso3"])
    return list(pairs.itertuples(index=False, name=None))


def year_range(spell_frame: pd.DataFrame) -> tuple[int, int]:
    """The first and last year the spells say anything about (for year-window parameters)."""
    return int(spell_frame["first_year"].min()), int(spell_frame["last_year"].max())


def as_of(spell_frame: pd.DataFrame) -> str:
    """The date the table is current to: the latest ``as_of`` of its open spells.

    For this course's data that is when the paper's sources were read (June 2022). Open spells
    checked earlier (an observer last reported years before) are not stretched to this date:
    ``standing_on`` marks them as last reported earlier.
    """
    dates = spell_frame.loc[spell_frame["open"], "as_of"].dropna().astype(str)
    if dates.empty:
        raise ValueError("No open membership spell, so no date on which membership is current.")
    return str(max(dates))


def eras(spell_frame: pd.DataFrame) -> dict[str, float]:
    """Where the treaty era and the organisation era begin (decimal years), from the spells."""
    starts = spell_frame.groupby("framework")["start_at"].min()
    missing = [name for name in ("treaty", "organisation") if name not in starts.index]
    if missing:
        raise ValueError(f"No membership spells for framework(s) {missing}; cannot place the eras.")
    return {"treaty": float(starts["treaty"]), "organisation": float(starts["organisation"])}


def spell_words(status: str, framework: str) -> str:
    """A status in words: "member of the CSTO", "suspended from the CSTO", "observer in the ..."."""
    preposition = {"member": "of", "suspended": "from", "observer": "in"}[status]
    return f"{status} {preposition} the {FRAMEWORK_NAMES[framework]}"


# ----------------------------------------------------------------------------- years


def year_status(spell_frame: pd.DataFrame, years: Iterable[int] | None = None) -> pd.DataFrame:
    """One row per state and year: the status shown, and every spell touching that year.

    Columns: year, iso3, state, status (ordered categorical), framework (of the status shown,
    empty for "not a member"), detail (all spells touching the year, in words).
    """
    if years is None:
        years = range(int(spell_frame["first_year"].min()), int(spell_frame["last_year"].max()) + 1)
    wanted = sorted(set(years))
    touching = [
        {
            "year": year,
            "iso3": spell.iso3,
            "status": spell.status,
            "framework": spell.framework,
            "words": f"{spell_words(spell.status, spell.framework)}: {spell.period}",
            "rank": STATUS_ORDER.index(spell.status),
        }
        for spell in spell_frame.itertuples()
        for year in wanted
        if spell.first_year <= year <= spell.last_year
    ]
    columns = ["year", "iso3", "status", "framework", "words", "rank"]
    covered = pd.DataFrame(touching, columns=columns).sort_values(["iso3", "year", "rank"])
    detail = covered.groupby(["iso3", "year"])["words"].agg("; ".join).rename("detail")
    shown = covered.drop_duplicates(["iso3", "year"]).set_index(["iso3", "year"])
    states = spell_frame.drop_duplicates("iso3").set_index("iso3")["state"]
    grid = pd.MultiIndex.from_product([sorted(states.index), wanted], names=["iso3", "year"])
    frame = shown[["status", "framework"]].join(detail).reindex(grid).reset_index()
    frame["status"] = pd.Categorical(
        frame["status"].fillna(NOT_MEMBER), categories=STATUS_ORDER, ordered=True
    )
    frame["detail"] = frame["detail"].fillna("no spell in this year")
    frame["state"] = frame["iso3"].map(states)
    return frame[["year", "iso3", "state", "status", "framework", "detail"]].sort_values(
        ["year", "iso3"], ignore_index=True
    )


def status_runs(
    grid: pd.DataFrame, *, column: str = "status", drop: str | None = None
) -> pd.DataFrame:
    """Consecutive years with the same value of ``column``, per state: the grid in few words.

    Columns: iso3, state, <column>, first_year, last_year, years (e.g. "2006-2012"). Runs whose
    value is ``drop`` (e.g. "not a member") are left out.
    """
    rows = []
    for iso3, group in grid.sort_values(["iso3", "year"]).groupby("iso3", sort=True):
        run_start = previous = None
        value = None
        for year, current in zip(group["year"], group[column].astype(str), strict=True):
            if run_start is not None and (current != value or year != previous + 1):
                rows.append((iso3, value, run_start, previous))
                run_start = None
            if run_start is None:
                run_start, value = year, current
            previous = year
        if run_start is not None:
            rows.append((iso3, value, run_start, previous))
    runs = pd.DataFrame(rows, columns=["iso3", column, "first_year", "last_year"])
    runs["state"] = runs["iso3"].map(grid.drop_duplicates("iso3").set_index("iso3")["state"])
    runs["years"] = [
        _years_text(a, b) for a, b in zip(runs["first_year"], runs["last_year"], strict=True)
    ]
    runs = runs[runs[column] != drop] if drop is not None else runs
    return runs[["iso3", "state", column, "first_year", "last_year", "years"]].reset_index(
        drop=True
    )


def members_in_year(grid: pd.DataFrame, year: int) -> pd.DataFrame:
    """States that were members, suspended or observers in ``year``, strongest status first."""
    if year not in set(grid["year"]):
        raise ValueError(
            f"Year {year} is not in the grid; it covers {grid['year'].min()}-{grid['year'].max()}."
        )
    chosen = grid[(grid["year"] == year) & (grid["status"] != NOT_MEMBER)]
    return chosen.sort_values(["status", "state"], ignore_index=True)[["state", "status", "detail"]]


def year_view(grid: pd.DataFrame, year: int) -> Table:
    """Who was in during one year, as a table for the year explorer."""
    chosen = members_in_year(grid, year)
    return table(
        chosen,
        {"state": "State", "status": "Status shown", "detail": "Spells touching the year"},
        caption=f"{year}: {len(chosen)} states with a spell that year",
    )


def state_history(spell_frame: pd.DataFrame, events: pd.DataFrame, iso3: str) -> Table:
    """One state's spells (their starts and ends) and its events, in one date-ordered table."""
    own = spell_frame[spell_frame["iso3"] == iso3]
    if own.empty:
        known = sorted(set(spell_frame["iso3"]))
        raise ValueError(f"No membership spell for {iso3!r}; states with spells: {known}.")
    marks = [
        (spell.start, 1, _CHANGES[spell.status][0], spell.framework, spell.source_ids)
        for spell in own.itertuples()
    ] + [
        (spell.end, 0, _CHANGES[spell.status][1], spell.framework, spell.source_ids)
        for spell in own.itertuples()
        if not spell.open
    ]
    marks = [
        (date, order, words.format(FRAMEWORK_NAMES[framework]), "membership spell", ids)
        for date, order, words, framework, ids in marks
    ]
    tied = events[events["iso3"].astype("string") == iso3]
    marks += [
        (row.date, 2, row.title, f"event ({row.kind})", row.source_ids) for row in tied.itertuples()
    ]
    rows = pd.DataFrame(marks, columns=["date", "order", "what", "from", "source_ids"])
    rows = rows.assign(
        first_day=[_first_day(d) if isinstance(d, str) else pd.NaT for d in rows["date"]],
        date=rows["date"].fillna("date not given"),
    ).sort_values(["first_day", "order"], kind="stable", na_position="last")
    name = own["state"].iloc[0]
    return table(
        rows,
        {"date": "Date", "what": "What happened", "from": "Recorded as", "source_ids": "Sources"},
        caption=f"{name}: membership spells and events, in date order",
    )


# ----------------------------------------------------------------------------- a given day


def standing_on(spell_frame: pd.DataFrame, on: str) -> pd.DataFrame:
    """Each state's standing on day ``on`` (ISO date text), for the map and the members table.

    Standing: the status of the spell covering the day (member, membership suspended, observer),
    with " (last reported earlier)" when an open spell was last checked before the day; else
    "former member" if it was once a member of the organisation, else "former member (treaty
    era only)". Columns: iso3, state, standing (ordered categorical), framework, spells (every
    spell of the state, in words).
    """
    day = pd.Timestamp(on)
    day_at = _decimal_year(day)
    reach = spell_frame["end_at"].where(~spell_frame["open"], float("inf"))
    covering = spell_frame[(spell_frame["start_at"] <= day_at) & (day_at < reach)]
    covering = covering.assign(rank=covering["status"].map(STATUS_ORDER.index))
    current = covering.sort_values(["iso3", "rank"]).drop_duplicates("iso3").set_index("iso3")
    past_members = spell_frame[
        (spell_frame["status"] == "member") & (spell_frame["start_at"] <= day_at)
    ]
    rows = []
    for iso3, state_spells in spell_frame.groupby("iso3", sort=True):
        if iso3 in current.index:
            spell = current.loc[iso3]
            standing = {"suspended": "membership suspended"}.get(spell["status"], spell["status"])
            if spell["open"] and pd.Timestamp(str(spell["as_of"])) < day:
                standing += STALE
            framework = spell["framework"]
        else:
            frameworks = set(past_members.loc[past_members["iso3"] == iso3, "framework"])
            if "organisation" in frameworks:
                standing = "former member"
            elif "treaty" in frameworks:
                standing = "former member (treaty era only)"
            else:
                continue
            framework = None
        rows.append(
            {
                "iso3": iso3,
                "state": state_spells["state"].iloc[0],
                "standing": standing,
                "framework": framework,
                "spells": "; ".join(
                    f"{spell_words(s.status, s.framework)}, {s.period}"
                    for s in state_spells.itertuples()
                ),
            }
        )
    frame = pd.DataFrame(rows, columns=["iso3", "state", "standing", "framework", "spells"])
    frame["standing"] = pd.Categorical(frame["standing"], categories=STANDING_ORDER, ordered=True)
    return frame.sort_values(["standing", "state"], ignore_index=True)


def describe_standing(standing: pd.DataFrame, on: str) -> str:
    """The map's description: who stood where on the day, in words."""
    parts = [
        f"{label}: {_join(group['state'])}"
        for label, group in standing.groupby("standing", observed=True, sort=True)
    ]
    return f"Standing on {on}. " + ". ".join(parts) + "."


def standing_map(
    standing: pd.DataFrame, on: str, data_dir: str | os.PathLike[str] | None = None
) -> go.Figure:
    """The standing of each state on the day, on a map drawn from the shipped shapes."""
    present = [label for label in STANDING_ORDER if label in set(standing["standing"].astype(str))]
    return category_map(
        dict(zip(standing["iso3"], standing["standing"].astype(str), strict=True)),
        title=f"Members, former members and observers on {on}",
        description=describe_standing(standing, on),
        order=present,
        names=dict(zip(standing["iso3"], standing["state"], strict=True)),
        data_dir=data_dir,
    )


# ----------------------------------------------------------------------------- charts


def spells_chart(spell_frame: pd.DataFrame, window: tuple[int, int]) -> go.Figure:
    """Each spell as a bar across the years it lasted, within ``window`` (first and last year).

    The status is told by colour, fill pattern and the word on the bar; the treaty's spells are
    labelled as such, and a dotted line marks where the organisation era begins.
    """
    first, last = window
    inside = spell_frame[(spell_frame["start_at"] < last + 1) & (spell_frame["end_at"] > first)]
    bars = inside.assign(
        start_at=inside["start_at"].clip(lower=first),
        end_at=inside["end_at"].clip(upper=last + 1),
        category=inside["status"],
        label=[
            f"{status} ({_SHORT_FRAMEWORK[framework]})"
            for status, framework in zip(inside["status"], inside["framework"], strict=True)
        ],
        hover=[
            f"{s.state}: {spell_words(s.status, s.framework)}, {s.period}"
            for s in inside.itertuples()
        ],
    )
    fig = _span_figure(bars, _STATUS_STYLE, _state_order(spell_frame))
    fig.update_xaxes(range=[first, last + 1])
    era = eras(spell_frame)["organisation"]
    if first < era < last + 1:
        fig.add_vline(x=era, line_dash="dot", line_color="#333333")
        for text, anchor in (("\u2190 treaty era", "right"), ("organisation era \u2192", "left")):
            fig.add_annotation(
                x=era,
                y=1.0,
                yref="paper",
                yanchor="bottom",
                xanchor=anchor,
                showarrow=False,
                text=text,
                font={"size": 11},
            )
    return style(
        fig,
        title=f"Membership spells, {first}-{last}",
        x_label="Year",
        y_label="State",
        description=describe_spells(inside, window),
        height=max(320, 110 + 42 * bars["iso3"].nunique()),
    )


def describe_spells(spell_frame: pd.DataFrame, window: tuple[int, int]) -> str:
    """Every state's spells in the window, in words, grouped by state."""
    lines = [
        f"{state}: "
        + "; ".join(f"{spell_words(s.status, s.framework)} {s.period}" for s in group.itertuples())
        for state, group in spell_frame.groupby("state", sort=True)
    ]
    return f"Membership spells touching {window[0]}-{window[1]}. " + ". ".join(lines) + "."


def _span_figure(
    bars: pd.DataFrame, styles: dict[str, tuple[str, str]], state_order: list[str]
) -> go.Figure:
    """Horizontal bars from ``start_at`` to ``end_at``, one trace per category (legend order)."""
    fig = new_figure()
    for category, (colour, pattern) in styles.items():
        chosen = bars[bars["category"] == category]
        if chosen.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=chosen["state"],
                base=chosen["start_at"],
                x=chosen["end_at"] - chosen["start_at"],
                orientation="h",
                name=category,
                marker={
                    "color": colour,
                    "pattern": {"shape": pattern, "fgcolor": "#222222", "solidity": 0.25},
                    "line": {"color": "#333333", "width": 0.5},
                },
                text=chosen["label"],
                textposition="inside",
                insidetextanchor="middle",
                insidetextfont={"color": "#000000" if colour == NEUTRAL else "#FFFFFF"},
                hovertext=chosen["hover"],
                hoverinfo="text",
            )
        )
    shown = [state for state in state_order if state in set(bars["state"])]
    fig.update_layout(barmode="overlay", uniformtext={"minsize": 9, "mode": "hide"})
    fig.update_yaxes(categoryorder="array", categoryarray=shown[::-1])
    fig.update_xaxes(dtick=2, tickformat="d")
    return fig


def _state_order(spell_frame: pd.DataFrame) -> list[str]:
    """Longest-serving members first, so the core of the alliance sits at the top."""
    member_years = (
        spell_frame[spell_frame["status"] == "member"]
        .assign(length=lambda f: f["end_at"] - f["start_at"])
        .groupby("state")["length"]
        .sum()
    )
    states = spell_frame["state"].drop_duplicates()
    return sorted(states, key=lambda state: (-member_years.get(state, 0.0), state))


# ----------------------------------------------------------------------------- COW IGO


def compare_with_cow(grid: pd.DataFrame, cow_igo: pd.DataFrame) -> pd.DataFrame:
    """Our year coding beside COW IGO v3's, from COW's first year to the grid's last year.

    Columns: year, iso3, state, ours, cow (empty where COW has no row), verdict (agree,
    disagree, not coded by COW). States COW codes but we never list count as "not a member" for us.
    """
    cow = cow_igo.assign(
        iso3=cow_igo["iso3"].astype(str),
        cow=cow_igo["igo_status_label"].astype(str).map(COW_LABELS),
    )
    unknown = sorted(set(cow_igo["igo_status_label"].astype(str)) - set(COW_LABELS))
    if unknown:
        raise ValueError(
            f"COW status label(s) {unknown} not understood; expected {list(COW_LABELS)}."
        )
    years = range(int(cow["year"].min()), int(grid["year"].max()) + 1)
    ours = grid[grid["year"].isin(years)][["year", "iso3", "state", "status"]]
    states = sorted(set(ours["iso3"]) | set(cow["iso3"]))
    index = pd.MultiIndex.from_product([states, list(years)], names=["iso3", "year"])
    frame = (
        ours.set_index(["iso3", "year"])
        .join(cow.set_index(["iso3", "year"])[["cow"]], how="outer")
        .reindex(index)
        .reset_index()
    )
    frame["ours"] = frame["status"].astype("string").fillna(NOT_MEMBER)
    names = grid.drop_duplicates("iso3").set_index("iso3")["state"]
    frame["state"] = frame["iso3"].map(names).fillna(frame["iso3"])
    frame["verdict"] = [
        "not coded by COW" if pd.isna(theirs) else ("agree" if mine == theirs else "disagree")
        for mine, theirs in zip(frame["ours"], frame["cow"], strict=True)
    ]
    return frame[["year", "iso3", "state", "ours", "cow", "verdict"]].sort_values(
        ["iso3", "year"], ignore_index=True
    )


def cow_disagreements(comparison: pd.DataFrame) -> pd.DataFrame:
    """The years where the two codings disagree, as runs: state, years, ours, COW."""
    disagree = comparison[comparison["verdict"] == "disagree"]
    keyed = disagree.assign(pair=disagree["ours"] + " / " + disagree["cow"].astype(str))
    runs = status_runs(keyed, column="pair")
    runs[["ours", "cow"]] = runs["pair"].str.split(" / ", expand=True)
    return runs[["state", "years", "ours", "cow", "first_year", "last_year"]].reset_index(drop=True)


def cow_coverage(comparison: pd.DataFrame) -> dict[str, int]:
    """Counts behind the comparison: years COW covers, state-years compared, agreements."""
    coded = comparison[comparison["verdict"] != "not coded by COW"]
    return {
        "cow_first_year": int(coded["year"].min()),
        "cow_last_year": int(coded["year"].max()),
        "state_years_compared": len(coded),
        "agree": int((coded["verdict"] == "agree").sum()),
        "disagree": int((coded["verdict"] == "disagree").sum()),
    }


def cow_chart(comparison: pd.DataFrame) -> go.Figure:
    """Year by year, where our coding and COW IGO v3's agree, disagree, or COW is silent."""
    keyed = comparison.assign(
        key=comparison["verdict"]
        + "|"
        + comparison["ours"]
        + "|"
        + comparison["cow"].astype("string").fillna("no row")
    )
    runs = status_runs(keyed, column="key")
    runs[["verdict", "ours", "cow"]] = runs["key"].str.split("|", expand=True)
    bars = runs.assign(
        category=runs["verdict"],
        start_at=runs["first_year"].astype(float),
        end_at=runs["last_year"].astype(float) + 1,
        label=runs["verdict"],
        hover=[
            f"{r.state} {r.years}: {r.verdict} (ours: {r.ours}; COW: {r.cow})"
            for r in runs.itertuples()
        ],
    )
    disagreements = cow_disagreements(comparison)
    first = sorted(set(disagreements["state"]))
    fig = _span_figure(bars, _VERDICT_STYLE, first + sorted(set(runs["state"]) - set(first)))
    counts = cow_coverage(comparison)
    coded = set(comparison.loc[comparison["verdict"] != "not coded by COW", "state"])
    silent = sorted(set(comparison["state"]) - coded)
    said = "; ".join(
        f"{r.state} {r.years}: ours {r.ours}, COW {r.cow}" for r in disagreements.itertuples()
    )
    description = (
        f"COW IGO v3 codes the CSTO from {counts['cow_first_year']} to {counts['cow_last_year']}. "
        f"Of {counts['state_years_compared']} state-years both code, {counts['agree']} agree and "
        f"{counts['disagree']} disagree ({said or 'none'}). From {counts['cow_last_year'] + 1} to "
        f"{comparison['year'].max()} COW has no rows."
        + (f" COW's rows include no column for {_join(silent)}." if silent else "")
    )
    return style(
        fig,
        title="Our membership coding against COW IGO v3, year by year",
        x_label="Year",
        y_label="State",
        description=description,
        height=max(320, 110 + 42 * runs["iso3"].nunique()),
    )


# ----------------------------------------------------------------------------- small helpers


def _require(frame: pd.DataFrame, columns: list[str]) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise KeyError(
            f"The membership table lacks column(s) {missing}; it has {list(frame.columns)}."
        )


def _names(countries: pd.DataFrame) -> dict[str, str]:
    return dict(zip(countries["iso3"].astype(str), countries["name"].astype(str), strict=True))


def _first_day(text: str) -> pd.Timestamp:
    """The first day of the period a date text names: 2012 -> 2012-01-01, 2012-06 -> 2012-06-01."""
    parts = [*text.split("-"), "01", "01"][:3]
    return pd.Timestamp(int(parts[0]), int(parts[1]), int(parts[2]))


def _after_period(text: str) -> pd.Timestamp:
    """The day after the period a date text names: an end stated as 1999 lasts through 1999."""
    step = {1: pd.DateOffset(years=1), 2: pd.DateOffset(months=1), 3: pd.DateOffset(days=1)}
    return _first_day(text) + step[len(text.split("-"))]


def _decimal_year(day: pd.Timestamp) -> float:
    start = pd.Timestamp(day.year, 1, 1)
    length = (pd.Timestamp(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def _years_text(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _join(names: Iterable[str]) -> str:
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
