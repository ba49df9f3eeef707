"""Crises the CSTO was asked to act on, what it answered, and what Russia did: tables, a chart
and one-page case cards.

Written for every notebook that discusses crises (non-intervention before 2022, Armenia,
Kazakhstan, Ukraine, the synthesis), so nothing here assumes a period or a country: callers
choose the crises with ``select_crises`` and pass the dataset's tables in.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import NEUTRAL, PALETTE, new_figure, style
from helpers.citations import (
    PAPER_ID,
    citation_markers,
    full_citation,
    ids_in,
    short_citation,
)
from helpers.data import split_ids
from helpers.readings import coded_from_label, is_reading, marked
from helpers.tables import row_by_id

PERIODS = {
    "before_2022": "crises before 2022",
    "from_2022": "crises from 2022 on",
    "all": "all crises",
}
KIND_LABELS = {
    "internal_unrest": "internal unrest",
    "interstate_border": "border conflict between states",
    "external_war": "war with a state outside",
    "civil_war_abroad": "civil war abroad",
    "insurgency_abroad": "insurgency abroad",
    "occupation": "occupation",
}
RUSSIAS_OWN_ACTION = "members_did_not_back_russia"
RESPONSE_LABELS = {
    "deployment": "deployed forces",
    "request_refused": "refused a member's request",
    "declined_to_intervene": "declined to intervene",
    "ignored": "left a request unanswered",
    "mediation_offer": "offered mediation",
    "statement_only": "statement only",
    "fact_finding": "fact-finding mission",
    "limited_support": "limited support",
    RUSSIAS_OWN_ACTION: "Russia's own action: members did not back it",
    "not_discussed": "not discussed",
}
# One colour and one bar pattern per response, so that responses differ without colour too.
RESPONSE_STYLES = {
    "deployment": (PALETTE[0], ""),
    "request_refused": (PALETTE[5], "/"),
    "declined_to_intervene": (PALETTE[1], "x"),
    "ignored": (NEUTRAL, "-"),
    "mediation_offer": (PALETTE[2], "."),
    "statement_only": (NEUTRAL, "+"),
    "fact_finding": (PALETTE[4], "+"),
    "limited_support": (PALETTE[3], "\\"),
    RUSSIAS_OWN_ACTION: (PALETTE[7], "|"),
    "not_discussed": (PALETTE[6], "-"),
}
CONDITION_LABELS = {
    "internal_threat": "Internal threat",
    "government_request": "Government asked",
    "on_recognised_territory": "On the member's recognised territory",
    "russia_support": "Russia in favour",
    "consensus": "All members agreed",
    "foreign_terrorism_framing": "Blamed on foreign terrorists",
}
NO_DATE = "no date given in the sources"
NO_REQUEST = "no request recorded"


def select_crises(crises: pd.DataFrame, period: str) -> pd.DataFrame:
    """The crises of one period (see ``PERIODS``), in time order; undated ones last, by name."""
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}. Expected one of: {', '.join(PERIODS)}.")
    before = crises["before_2022"].astype(bool)
    chosen = {"before_2022": crises[before], "from_2022": crises[~before], "all": crises}[period]
    return chosen.sort_values(["start_dt", "name"], na_position="last", ignore_index=True)


def russias_own_actions(crises: pd.DataFrame) -> pd.Series:
    """True for Russia's own actions that the other members declined to back.

    Georgia 2008, Crimea and eastern Ukraine are not requests the organisation turned down: nobody
    asked it to act, and the paper does not list them among its non-interventions. Callers use
    this to keep them apart from the organisation's answers to crises.
    """
    own = crises["csto_response"].astype("string").eq(RUSSIAS_OWN_ACTION)
    return own.fillna(False).astype(bool)


def crisis_choices(crises: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, crisis_id) pairs for a dropdown, in the order the crises are given."""
    return list(zip(crises["name"], crises["crisis_id"], strict=True))


def request_response_table(
    crises: pd.DataFrame,
    countries: pd.DataFrame,
    people: pd.DataFrame,
    sources: pd.DataFrame,
) -> pd.DataFrame:
    """One row per crisis: who asked, when, on what legal basis, how the CSTO answered, whether
    that coding is the paper's statement or our reading (with the evidence), and what Russia did
    on its own."""
    names = countries.set_index("iso3")["name"].to_dict()
    persons = people.set_index("person_id")["name"].to_dict()
    return pd.DataFrame(
        {
            "Crisis": crises["name"].to_list(),
            "Kind": crises["kind"].astype("string").map(KIND_LABELS).to_list(),
            "Where": [_place(row, names) for _, row in crises.iterrows()],
            "When": [_period_text(row) for _, row in crises.iterrows()],
            "Who asked": [_requester(row, names, persons) for _, row in crises.iterrows()],
            "Asked on": crises["request_date"].to_list(),
            "Legal basis cited": crises["legal_basis_cited"].to_list(),
            "CSTO response": crises["csto_response"]
            .astype("string")
            .map(RESPONSE_LABELS)
            .to_list(),
            "CSTO forces sent": crises["csto_deployed"].map({True: "yes", False: "no"}).to_list(),
            "Coded from": [coded_from_label(v) for v in crises["coded_from"]],
            "Evidence": crises["evidence"].to_list(),
            "What Russia did": crises["russia_action"].to_list(),
            "Sources": [citation_markers(ids, sources) for ids in crises["source_ids"]],
        }
    )


def responses_by_kind(crises: pd.DataFrame) -> pd.DataFrame:
    """How many crises of each kind got each response, with the crises named."""
    rows = (
        crises.assign(
            kind_label=crises["kind"].astype("string").map(KIND_LABELS),
            response=crises["csto_response"].astype("string"),
        )
        .groupby(["kind_label", "response"], sort=True)["name"]
        .agg(crises="size", names=lambda values: "; ".join(sorted(values)))
        .reset_index()
    )
    rows["response_label"] = rows["response"].map(RESPONSE_LABELS)
    return rows.rename(columns={"kind_label": "kind"})[
        ["kind", "response", "response_label", "crises", "names"]
    ]


def response_counts(crises: pd.DataFrame) -> pd.DataFrame:
    """How many crises got each CSTO response, most frequent first, with the crises named."""
    labelled = crises.assign(response=crises["csto_response"].astype("string").map(RESPONSE_LABELS))
    counts = labelled.groupby("response")["name"].agg(
        crises="size", names=lambda values: "; ".join(sorted(values))
    )
    counts = counts.reset_index().sort_values(["crises", "response"], ascending=[False, True])
    return counts.rename(
        columns={"response": "CSTO response", "crises": "Crises", "names": "Which"}
    ).reset_index(drop=True)


def responses_chart(counts: pd.DataFrame) -> go.Figure:
    """Stacked bars: for each kind of crisis, how many got each CSTO response."""
    fig = new_figure()
    kinds = sorted(counts["kind"].unique())
    responses = [r for r in RESPONSE_LABELS if r in set(counts["response"])]
    for response in responses:
        colour, pattern = RESPONSE_STYLES[response]  # the same look in every chart
        part = counts[counts["response"] == response].set_index("kind").reindex(kinds)
        fig.add_trace(
            go.Bar(
                y=kinds,
                x=part["crises"].fillna(0),
                orientation="h",
                name=RESPONSE_LABELS[response],
                marker={
                    "color": colour,
                    "pattern": {"shape": pattern},
                    "line": {"color": "#333333", "width": 1},
                },
                hovertext=part["names"].fillna(""),
                hoverinfo="text+name",
            )
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(dtick=1)
    return style(
        fig,
        title="How the CSTO answered, by kind of crisis",
        x_label="Number of crises",
        y_label="Kind of crisis",
        description=responses_description(counts),
        height=160 + 60 * len(kinds),
    )


def responses_description(counts: pd.DataFrame) -> str:
    """The chart's finding in words: totals by response, and which crises saw a deployment."""
    total = int(counts["crises"].sum())
    by_response = counts.groupby("response", sort=False)["crises"].sum()
    parts = [
        f"{int(by_response[r])} {RESPONSE_LABELS[r]}" for r in RESPONSE_LABELS if r in by_response
    ]
    deployed = counts.loc[counts["response"] == "deployment", "names"].to_list()
    text = f"{total} crises: {', '.join(parts)}."
    if deployed:
        text += f" Forces were sent only in: {'; '.join(deployed)}."
    else:
        text += " In none of them did the CSTO send forces."
    return text


def conditions_grid(
    conditions: pd.DataFrame, crises: pd.DataFrame, *, mark_readings: bool = False
) -> pd.DataFrame:
    """Crisis by condition, coded yes / no / unclear, with the outcome (forces sent) last.

    The conditions are the course's reading of what the paper's cases turn on (an internal
    threat, a request, Russia's backing, consensus); seeing them side by side shows which ones
    differ. Crises keep the order they are given in; a condition with no row says "not coded".
    With ``mark_readings`` a code the course infers rather than finds stated in the paper says
    so ("no (our reading)"); leave it off where the codes are compared with each other.
    """
    wanted = conditions[conditions["crisis_id"].isin(crises["crisis_id"])]
    answers = wanted["value"].map({True: "yes", False: "no"}).fillna("unclear")
    if mark_readings:
        answers = pd.Series(
            [marked(a, c) for a, c in zip(answers, wanted["coded_from"], strict=True)],
            index=wanted.index,
        )
    coded = wanted.assign(answer=answers, condition=wanted["condition"].astype("string"))
    grid = coded.pivot(index="crisis_id", columns="condition", values="answer")
    grid = grid.reindex(index=crises["crisis_id"], columns=list(CONDITION_LABELS))
    grid = grid.astype(object).fillna("not coded").rename(columns=CONDITION_LABELS)
    by_id = crises.set_index("crisis_id")
    grid.insert(0, "Crisis", by_id["name"].reindex(grid.index))
    grid["CSTO forces sent"] = by_id["csto_deployed"].map({True: "yes", False: "no"})
    grid.columns.name = None
    return grid.reset_index(drop=True)


def condition_readings(conditions: pd.DataFrame, crises: pd.DataFrame) -> pd.DataFrame:
    """Every condition code that is the course's reading, not the paper's statement.

    One row per such code, in the crises' order: the crisis, the condition, the code, why we read
    it so, and the passage it rests on. This is the list a student should argue with.
    """
    names = crises.set_index("crisis_id")["name"]
    order = {crisis_id: position for position, crisis_id in enumerate(crises["crisis_id"])}
    chosen = conditions[
        conditions["crisis_id"].isin(crises["crisis_id"]) & is_reading(conditions["coded_from"])
    ]
    chosen = chosen.assign(
        rank=chosen["crisis_id"].map(order),
        condition_rank=chosen["condition"]
        .astype("string")
        .map({key: position for position, key in enumerate(CONDITION_LABELS)}),
    ).sort_values(["rank", "condition_rank"])
    return pd.DataFrame(
        {
            "Crisis": chosen["crisis_id"].map(names).to_list(),
            "Condition": chosen["condition"].astype("string").map(CONDITION_LABELS).to_list(),
            "Coded": chosen["value"].map({True: "yes", False: "no"}).to_list(),
            "Why (our reading)": chosen["basis"].to_list(),
            "Evidence in the paper": chosen["evidence"].to_list(),
        }
    )


def quotations_for(crisis: pd.Series, quotations: pd.DataFrame) -> pd.DataFrame:
    """Quotations that belong to a crisis: those citing a footnote or external work it also cites.

    The quotations table has no crisis column; a shared source is the dataset's own link between
    a quotation and the events it was said about. The paper itself (``weitz2022``) is cited by
    rows on every subject, so sharing it links nothing and is left out of the match.
    """
    cited = set(split_ids(str(crisis["source_ids"]))) - {PAPER_ID}
    shares = quotations["source_ids"].map(lambda ids: bool(cited & set(split_ids(str(ids)))))
    return quotations[shares].sort_values(["date_dt", "quote_id"], na_position="last")


def quotation_table(
    quotations: pd.DataFrame, people: pd.DataFrame, sources: pd.DataFrame
) -> pd.DataFrame:
    """Quotations with speaker, date, the exact words, context and the footnote they come from."""
    persons = people.set_index("person_id")["name"].to_dict()
    return pd.DataFrame(
        {
            "Who": [_speaker(row, persons) for _, row in quotations.iterrows()],
            "When": quotations["date"].fillna("undated").to_list(),
            "Quotation": [f"“{text}”" for text in quotations["text"]],
            "Context": quotations["context"].to_list(),
            "Source": [citation_markers(ids, sources) for ids in quotations["source_ids"]],
        }
    )


@dataclass(frozen=True)
class CaseCard:
    """One crisis on one card; shows as HTML in notebooks and as plain text elsewhere."""

    title: str
    facts: tuple[tuple[str, str], ...]
    quotations: tuple[str, ...]
    sources: tuple[str, ...]
    note: str

    def _repr_html_(self) -> str:
        facts = "".join(
            f"<dt><strong>{html.escape(label)}</strong></dt><dd>{html.escape(value)}</dd>"
            for label, value in self.facts
        )
        parts = [
            '<section style="border:1px solid #767676;border-radius:4px;padding:0.6em 1em;'
            f'margin:0.6em 0" aria-label="Case card: {html.escape(self.title)}">',
            f"<h4>{html.escape(self.title)}</h4>",
            f"<dl>{facts}</dl>",
        ]
        if self.note:
            parts.append(f"<p><em>{html.escape(self.note)}</em></p>")
        if self.quotations:
            quotes = "".join(f"<li>{html.escape(q)}</li>" for q in self.quotations)
            parts.append(f"<p><strong>In their words</strong></p><ul>{quotes}</ul>")
        sources = "".join(f"<li>{html.escape(s)}</li>" for s in self.sources)
        parts.append(f"<p><strong>Sources</strong></p><ul>{sources}</ul></section>")
        return "".join(parts)

    def __repr__(self) -> str:
        lines = [self.title, "=" * len(self.title)]
        lines += [f"{label}: {value}" for label, value in self.facts]
        if self.note:
            lines.append(f"Note: {self.note}")
        if self.quotations:
            lines += ["In their words:", *(f"  - {q}" for q in self.quotations)]
        lines += ["Sources:", *(f"  - {s}" for s in self.sources)]
        return "\n".join(lines)


def case_card(
    crisis_id: str,
    *,
    crises: pd.DataFrame,
    countries: pd.DataFrame,
    people: pd.DataFrame,
    quotations: pd.DataFrame,
    sources: pd.DataFrame,
) -> CaseCard:
    """Everything the dataset says about one crisis, with every source cited by footnote."""
    crisis = row_by_id(crises, "crisis_id", crisis_id)
    names = countries.set_index("iso3")["name"].to_dict()
    persons = people.set_index("person_id")["name"].to_dict()
    by_source = sources.set_index("source_id", drop=False)
    response = RESPONSE_LABELS[str(crisis["csto_response"])]
    detail = crisis["csto_response_detail"]
    facts = (
        ("Kind of crisis", KIND_LABELS[str(crisis["kind"])]),
        ("Where", _place(crisis, names)),
        ("When", _period_text(crisis)),
        ("Who asked", _requester(crisis, names, persons)),
        ("Asked on", _text(crisis["request_date"], "no request date in the sources")),
        ("What was asked", _text(crisis["request_summary"], "no request in the sources")),
        ("Legal basis cited", _text(crisis["legal_basis_cited"], "none cited")),
        ("CSTO response", f"{response}: {detail}" if isinstance(detail, str) else response),
        ("CSTO forces sent", "yes" if crisis["csto_deployed"] else "no"),
        (
            "How the request and response are coded",
            f"{coded_from_label(crisis['coded_from'])}: {_text(crisis['evidence'], 'no evidence')}",
        ),
        ("What Russia did", _text(crisis["russia_action"], "not stated")),
        ("Notes", _text(crisis["notes"], "none")),
    )
    quotes = quotations_for(crisis, quotations)
    quoted = tuple(
        f"“{row['text']}” ({_speaker(row, persons)}, {_text(row['date'], 'undated')}; "
        f"{citation_markers(row['source_ids'], sources)})"
        for _, row in quotes.iterrows()
    )
    cited = ids_in([crisis["source_ids"], *quotes["source_ids"]])
    listed = tuple(
        f"[{short_citation(by_source.loc[i])}] {full_citation(by_source.loc[i])}"
        if i in by_source.index
        else f"[{i}] (not in the sources table)"
        for i in cited
    )
    note = "" if crisis["in_paper"] else "This case comes from sources outside the paper."
    return CaseCard(str(crisis["name"]), facts, quoted, listed, note)


def _place(crisis: pd.Series, names: dict[str, str]) -> str:
    code = crisis["location_iso3"]
    return names.get(code, code) if isinstance(code, str) else "no single country (see notes)"


def _period_text(crisis: pd.Series) -> str:
    start, end = crisis["start"], crisis["end"]
    if not isinstance(start, str):
        return NO_DATE
    return f"{start} to {end}" if isinstance(end, str) and end != start else start


def _requester(crisis: pd.Series, names: dict[str, str], persons: dict[str, str]) -> str:
    country = crisis["requester_iso3"]
    if not isinstance(country, str):
        return NO_REQUEST
    person = persons.get(crisis["requester_person_id"])
    return f"{names.get(country, country)} ({person})" if person else names.get(country, country)


def _speaker(quotation: pd.Series, persons: dict[str, str]) -> str:
    """The label as the dataset gives it (it says in what role), with the name if it lacks one."""
    person = persons.get(quotation["speaker_person_id"])
    label = quotation["speaker_label"]
    if not isinstance(label, str):
        return person or "unattributed"
    return f"{person}, {label}" if person and person not in label else label


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) and value.strip() else default
