"""Stored notebooks state only the codings the data holds.

A stored output is what a reader of the offline course sees before running anything. If the data
is recoded (no request by Armenia during the 2020 war; Russia's own actions no longer counted as
refused requests; the Secretary General post won late) and a notebook is not stored again, or a
cell shows a coding of its own, the stored tables, case cards and chart descriptions would teach
the old coding. These tests read every stored output of the core notebooks and compare each coded
cell they find with what the dataset says, deriving the expectation from the data, not from typed
strings.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from helpers import armenia, crises, stances
from helpers.data import load_table
from helpers.readings import CODED_FROM_LABELS, COURSE_INFERS, READING_MARK

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ANSWER = {True: "yes", False: "no"}
TRUTH_CODE = {True: "1", False: "0"}


class _Tables(HTMLParser):
    """Every <table> in an HTML output as a DataFrame of strings (header row = columns)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[pd.DataFrame] = []
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table" and self._rows:
            header, *body = self._rows
            self.tables.append(
                pd.DataFrame([r for r in body if len(r) == len(header)], columns=header)
            )
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def stored_outputs(notebook: dict) -> tuple[list[pd.DataFrame], list[str]]:
    """The HTML tables and the plain texts (printed lines, cards, chart descriptions) stored."""
    tables, texts = [], []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                parser = _Tables()
                parser.feed("".join(data["text/html"]))
                tables += parser.tables
            if "text/plain" in data:
                texts.append("".join(data["text/plain"]))
            if output.get("output_type") == "stream":
                texts.append("".join(output["text"]))
    return tables, texts


# --- what the data says -----------------------------------------------------------------------


def _expected() -> dict:
    """Each coding a stored output may show, keyed the way the output shows it."""
    crisis_table = load_table("crises")
    countries = load_table("countries").set_index("iso3")["name"]
    conditions = load_table("crisis_conditions")
    names = crisis_table.set_index("crisis_id")["name"]
    disputes = load_table("armenia_disputes")
    stance_table = load_table("stances")
    cells, truth = {}, {}
    for _, row in conditions.iterrows():
        label = crises.CONDITION_LABELS[str(row["condition"])]
        known = pd.notna(row["value"])
        cells[(names[row["crisis_id"]], label)] = (
            ANSWER[bool(row["value"])] if known else "unclear",
            str(row["coded_from"]) == COURSE_INFERS,
        )
        truth[(str(row["crisis_id"]), label)] = TRUTH_CODE[bool(row["value"])] if known else "?"
    return {
        "who_asked": {
            row["name"]: crises.NO_REQUEST
            if pd.isna(row["requester_iso3"])
            else countries[row["requester_iso3"]]
            for _, row in crisis_table.iterrows()
        },
        "response": {
            row["name"]: crises.RESPONSE_LABELS[str(row["csto_response"])]
            for _, row in crisis_table.iterrows()
        },
        "response_counts": Counter(crisis_table["csto_response"].astype(str)),
        "conditions": cells,
        "truth": truth,
        "got": {
            row["title"]: armenia.got_answer(row["got_what_it_asked"], row["delayed"])
            for _, row in disputes.iterrows()
        },
        "raised_by": {
            row["title"]: armenia.RAISED_BY_LABELS[str(row["raised_by"])]
            for _, row in disputes.iterrows()
        },
        "outcomes": dict(
            armenia.outcome_counts(
                armenia.asked_and_got(disputes, load_table("countries"), load_table("sources"))
            )[["Outcome", "Disputes"]].itertuples(index=False)
        ),
        "stance": {
            (countries[row["iso3"]], stances.ISSUE_LABELS[str(row["issue"])]): (
                stances.STANCE_LABELS[str(row["stance"])],
                str(row["coded_from"]) == COURSE_INFERS,
            )
            for _, row in stance_table.iterrows()
        },
    }


@pytest.fixture(scope="module")
def expected() -> dict:
    return _expected()


# --- the checks -------------------------------------------------------------------------------


class _Check:
    """Collects what was compared and what disagreed."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.count = 0

    def equal(self, where: str, shown: str, wanted: str) -> None:
        self.count += 1
        if shown != wanted:
            self.problems.append(f"{where}: shows {shown!r}, the data says {wanted!r}")

    def starts(self, where: str, shown: str, wanted: str) -> None:
        self.equal(where, wanted if shown.startswith(wanted) else shown, wanted)


def coding_problems(notebook: dict, expected: dict) -> tuple[list[str], int]:
    """Every stored statement of a coding that the data does not hold, and how many were checked."""
    tables, texts = stored_outputs(notebook)
    check = _Check()
    for table in tables:
        _check_table(table, expected, check)
    for text in texts:
        _check_cards(text, expected, check)
        _check_descriptions(text, expected, check)
    return check.problems, check.count


READINGS_COLUMN = "Our reading, not the paper's statement"


def _check_table(table: pd.DataFrame, expected: dict, check: _Check) -> None:
    """Rows about a crisis, a truth-table configuration, a dispute or a member's stance.

    A coded cell must hold the data's code, and say "(our reading)" exactly where the data
    records the code as the course's inference, unless the table names those codes in a column
    of their own (the comparison table of notebook 05).
    """
    columns = set(table.columns)
    conditions = columns & set(crises.CONDITION_LABELS.values())
    for _, row in table.iterrows():
        crisis = row.get("Crisis")
        if crisis in expected["response"]:
            if "Who asked" in columns:
                check.starts(
                    f"{crisis} / Who asked", row["Who asked"], expected["who_asked"][crisis]
                )
            for column in columns & {"CSTO response", "Response"}:
                check.equal(f"{crisis} / {column}", row[column], expected["response"][crisis])
            readings = []
            for label in sorted(conditions, key=list(crises.CONDITION_LABELS.values()).index):
                if (crisis, label) not in expected["conditions"]:
                    continue
                answer, reading = expected["conditions"][(crisis, label)]
                readings += [label.lower()] if reading else []
                cell = row[label]
                check.equal(f"{crisis} / {label}", cell.removesuffix(READING_MARK), answer)
                if READINGS_COLUMN not in columns:
                    shown = str(cell.endswith(READING_MARK))
                    check.equal(f"{crisis} / {label}, our reading?", shown, str(reading))
            if READINGS_COLUMN in columns and conditions:
                listed = ", ".join(readings) or "none"
                check.equal(f"{crisis} / {READINGS_COLUMN}", row[READINGS_COLUMN], listed)
        if "Which cases" in columns:
            for case in str(row["Which cases"]).split("; "):
                if "[recoded" in case:
                    continue
                case_id = case.split(" ")[0]
                for label in conditions:
                    if (case_id, label) in expected["truth"]:
                        wanted = expected["truth"][(case_id, label)]
                        check.equal(f"truth table {case_id} / {label}", row[label], wanted)
        dispute = row.get("Dispute")
        if dispute in expected["got"]:
            if "Got it?" in columns:
                check.equal(f"{dispute} / Got it?", row["Got it?"], expected["got"][dispute])
            if "Raised by" in columns:
                check.equal(
                    f"{dispute} / Raised by", row["Raised by"], expected["raised_by"][dispute]
                )
        country = row.get("Country")
        for issue in columns:
            if (country, issue) in expected["stance"]:
                stance, reading = expected["stance"][(country, issue)]
                shown = row[issue]
                check.equal(f"{country} / {issue}", shown.removesuffix(READING_MARK), stance)
                marked = str(shown.endswith(READING_MARK))
                check.equal(f"{country} / {issue}, our reading?", marked, str(reading))
        state, issue = row.get("State"), row.get("Issue")
        if (state, issue) in expected["stance"] and "Stance" in columns:
            stance, reading = expected["stance"][(state, issue)]
            check.equal(f"{state} / {issue}", row["Stance"], stance)
            if "Coded from" in columns:
                wanted = CODED_FROM_LABELS[COURSE_INFERS if reading else "paper_states"]
                check.equal(f"{state} / {issue} / Coded from", row["Coded from"], wanted)


def _check_cards(text: str, expected: dict, check: _Check) -> None:
    """Case cards: a title underlined with '=', then one 'label: value' line per fact."""
    lines = text.splitlines()
    for index, title in enumerate(lines[:-1]):
        underline = lines[index + 1]
        if not title or underline != "=" * len(title):
            continue
        facts = {}
        for line in lines[index + 2 :]:
            if ": " in line and not line.startswith(" "):
                facts.setdefault(*line.split(": ", 1))
        if title in expected["response"]:
            check.starts(
                f"card {title} / Who asked",
                facts.get("Who asked", ""),
                expected["who_asked"][title],
            )
            check.starts(
                f"card {title} / CSTO response",
                facts.get("CSTO response", ""),
                expected["response"][title],
            )
        if title in expected["got"]:
            wanted = armenia.GOT_LABELS[expected["got"][title]]
            check.equal(
                f"card {title} / got it?", facts.get("Did it get what it asked?", ""), wanted
            )


def _check_descriptions(text: str, expected: dict, check: _Check) -> None:
    """Chart descriptions that count codings: CSTO responses, and what Armenia got."""
    for listed in re.findall(r"\d+ crises: ([^.]*)\.", text):
        for count, label in re.findall(r"(\d+) ([^,]+)", listed):
            code = next((c for c, name in crises.RESPONSE_LABELS.items() if name == label), None)
            available = expected["response_counts"][code] if code else 0
            check.equal(
                f"chart count of {label!r} (at most)", str(min(int(count), available)), count
            )
    match = re.search(r"raised by Armenia in the data, (.*?)\.", text)
    if match:
        shown = {
            label.strip(): int(n)
            for label, n in re.findall(r"([^:,]+(?:, but late)?): (\d+)", match.group(1))
        }
        check.equal(
            "Armenia's outcomes in the chart description", str(shown), str(expected["outcomes"])
        )


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_outputs_state_only_the_codings_the_data_holds(path: Path, expected: dict):
    problems, _ = coding_problems(json.loads(path.read_text(encoding="utf-8")), expected)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_the_crisis_notebooks_are_actually_checked(expected: dict):
    """Guard against a vacuous pass: the notebooks that show codings have many checked cells."""
    for stem in (
        "03_non_intervention",
        "04_armenia",
        "05_kazakhstan",
        "06_ukraine",
        "07_synthesis",
    ):
        path = REPO / "notebooks" / f"{stem}.ipynb"
        _, checked = coding_problems(json.loads(path.read_text(encoding="utf-8")), expected)
        assert checked >= 10, f"{stem}: only {checked} coded cells found in its stored outputs"


def _tampered(stem: str, old: str | re.Pattern[str], new: str) -> dict:
    """The stored notebook with ``old`` (text or pattern) replaced by ``new`` in its outputs,
    which must hold it."""
    notebook = json.loads((REPO / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    found = False
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                text = "".join(value) if isinstance(value, list) else value
                pattern, replacement = old, new
                if not isinstance(old, re.Pattern):  # plain text, escaped as the HTML holds it
                    markup = mime == "text/html"
                    pattern = re.compile(re.escape(html.escape(old) if markup else old))
                    replacement = (html.escape(new) if markup else new).replace("\\", "\\\\")
                if isinstance(text, str) and pattern.search(text):
                    output["data"][mime] = pattern.sub(replacement, text)
                    found = True
    assert found, f"{old!r} is no longer in the outputs of {stem}; update this test's example"
    return notebook


def test_a_stored_request_by_armenia_in_the_2020_war_is_caught(expected: dict):
    name = load_table("crises").set_index("crisis_id").loc["karabakh_2020", "name"]
    cell = r"<td[^>]*>{}</td>\s*"
    row = re.compile("(" + cell.format(re.escape(name)) + cell.format(r"[^<]*")
                     + r"<td[^>]*>)" + re.escape(crises.NO_REQUEST) + "</td>")
    notebook = _tampered("03_non_intervention", row, r"\1Armenia</td>")
    problems, _ = coding_problems(notebook, expected)
    assert any(name in p and "Who asked" in p for p in problems)


def test_russias_own_action_counted_as_a_refused_request_is_caught(expected: dict):
    own = crises.RESPONSE_LABELS[crises.RUSSIAS_OWN_ACTION]
    refused = crises.RESPONSE_LABELS["request_refused"]
    notebook = _tampered("03_non_intervention", own, refused)
    problems, _ = coding_problems(notebook, expected)
    georgia = load_table("crises").set_index("crisis_id").loc["georgia_2008", "name"]
    assert any(georgia in p and "CSTO response" in p for p in problems)


def test_a_late_success_shown_as_a_failure_is_caught(expected: dict):
    notebook = _tampered(
        "04_armenia",
        "got it, but late: 1, did not get it: 3",
        "got it, but late: 0, did not get it: 4",
    )
    problems, _ = coding_problems(notebook, expected)
    assert any("Armenia's outcomes" in p for p in problems)


def test_a_group_statement_shown_as_the_papers_own_coding_is_caught(expected: dict):
    label = stances.STANCE_LABELS["declined_to_back_russia"]
    notebook = _tampered("02_structure", f"{label}{READING_MARK}", label)
    problems, _ = coding_problems(notebook, expected)
    assert any("our reading?" in p for p in problems)
