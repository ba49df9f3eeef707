"""The data layer: the shipped dataset loads typed and valid, and every kind of damage is reported.

Bad-input tests damage a scratch copy of the real dataset, so they prove that the real schema and
rules catch the problem, and that the message names the file, line, column, value and expectation.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from helpers import data
from helpers.datadir import DataDirError
from helpers.problems import DataValidationError

# These tests count validations and change rules in memory, which a shared stamp would hide.
pytestmark = pytest.mark.own_stamps

# ---------------------------------------------------------------- helpers for damaging a copy


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, table: list[dict[str, str]], columns: list[str] | None = None) -> None:
    columns = columns or list(table[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


def set_cell(directory: Path, table: str, index: int, column: str, value: str) -> dict[str, str]:
    """Change one cell (data row ``index``, 0-based) and return the row as it was."""
    path = directory / f"{table}.csv"
    table_rows = rows(path)
    original = dict(table_rows[index])
    table_rows[index][column] = value
    write(path, table_rows)
    return original


def problems_of(directory: Path) -> str:
    with pytest.raises(DataValidationError) as caught:
        data.load_table("countries", directory)
    return str(caught.value)


# ---------------------------------------------------------------- the shipped dataset


def test_every_table_loads_and_validates():
    tables = data.load_all()
    assert set(tables) >= {
        "sources",
        "countries",
        "membership",
        "bodies",
        "programmes",
        "crises",
        "crisis_conditions",
        "deployments",
        "deployment_figures",
        "deployment_sites",
        "events",
        "russian_presence",
        "people",
        "roles",
        "chairmanships",
        "stances",
        "armenia_disputes",
        "russian_support",
        "quotations",
        "disagreements",
        "glossary",
        "cow_nmc",
        "cow_igo",
        "paper_sections",
    }
    assert all(len(frame) > 0 for frame in tables.values())


def test_all_42_footnotes_are_sources():
    sources = data.load_table("sources")
    assert sorted(sources["footnote"].dropna().unique().tolist()) == list(range(1, 43))


def test_columns_are_typed_from_the_schema():
    membership = data.load_table("membership")
    assert isinstance(membership["framework"].dtype, pd.CategoricalDtype)
    assert str(membership["in_paper"].dtype) == "boolean"
    assert str(membership["start_dt"].dtype).startswith("datetime64")
    nmc = data.load_table("cow_nmc")
    assert str(nmc["year"].dtype) == "Int64"


def test_dates_keep_their_precision_and_gain_a_timestamp():
    membership = data.load_table("membership").dropna(subset=["start"])
    for text, stamp in zip(membership["start"], membership["start_dt"], strict=True):
        assert stamp.strftime("%Y-%m-%d")[: len(text)] == text


def test_uzbekistan_has_two_spells_in_the_paper_sense():
    membership = data.load_table("membership")
    uzbekistan = membership[(membership["iso3"] == "UZB") & (membership["status"] == "member")]
    assert len(uzbekistan) >= 2


def test_cache_reads_the_files_once(monkeypatch):
    data.load_table("crises")
    calls = []
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: calls.append(a) or pd.DataFrame())
    data.load_table("crises")
    assert calls == []


def test_returned_tables_are_copies():
    first = data.load_table("countries")
    first.loc[:, "name"] = "changed"
    assert (data.load_table("countries")["name"] != "changed").all()


def test_an_edited_file_is_validated_again(data_copy):
    data.load_table("countries", data_copy)
    set_cell(data_copy, "countries", 0, "iso3", "armenia")
    assert "countries.csv, line 2, column 'iso3'" in problems_of(data_copy)


def test_data_dir_override_by_argument_and_environment(data_copy, monkeypatch):
    table = rows(data_copy / "glossary.csv")
    table.append({**table[0], "term": "ZZ-TEST"})
    write(data_copy / "glossary.csv", table)
    assert "ZZ-TEST" in set(data.load_table("glossary", data_copy)["term"])
    monkeypatch.setenv("CSTO_DATA_DIR", str(data_copy))
    assert "ZZ-TEST" in set(data.load_table("glossary")["term"])


def test_a_missing_data_dir_is_an_error_not_a_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("CSTO_DATA_DIR", str(tmp_path / "missing"))
    with pytest.raises(DataDirError, match="CSTO_DATA_DIR"):
        data.load_table("countries")


def test_unknown_table_lists_the_known_ones():
    with pytest.raises(KeyError, match=r"Unknown table 'crisis'.*crises"):
        data.load_table("crisis")


# ---------------------------------------------------------------- bad input, one message each


def test_bad_date(data_copy):
    set_cell(data_copy, "membership", 0, "start", "1992-13-01")
    message = problems_of(data_copy)
    assert "membership.csv, line 2, column 'start': found '1992-13-01'" in message
    assert "YYYY-MM-DD" in message


def test_precision_that_does_not_match_the_date(data_copy):
    original = set_cell(data_copy, "events", 0, "date_precision", "month")
    if original["date_precision"] == "month":
        pytest.skip("first event already has month precision")
    assert "events.csv, line 2, column 'date_precision': found 'month'" in problems_of(data_copy)


def test_unknown_country_code(data_copy):
    set_cell(data_copy, "membership", 0, "iso3", "XXX")
    message = problems_of(data_copy)
    assert "membership.csv, line 2, column 'iso3': found 'XXX'" in message
    assert "exists in table 'countries'" in message


def test_dangling_source_id(data_copy):
    set_cell(data_copy, "crises", 0, "source_ids", "fn11;fn99")
    message = problems_of(data_copy)
    assert "crises.csv, line 2, column 'source_ids': found 'fn99'" in message
    assert "exists in sources.csv" in message


def test_duplicate_key(data_copy):
    table = rows(data_copy / "crises.csv")
    table.append(dict(table[0]))
    write(data_copy / "crises.csv", table)
    message = problems_of(data_copy)
    assert f"crises.csv, line {len(table) + 1}" in message
    assert "unique key" in message


def test_missing_column(data_copy):
    table = rows(data_copy / "crises.csv")
    columns = [c for c in table[0] if c != "csto_response"]
    write(data_copy / "crises.csv", [{c: r[c] for c in columns} for r in table], columns)
    assert "crises.csv, line 1, column 'csto_response'" in problems_of(data_copy)


def test_renamed_column(data_copy):
    table = rows(data_copy / "countries.csv")
    renamed = [{("country" if k == "name" else k): v for k, v in r.items()} for r in table]
    write(data_copy / "countries.csv", renamed)
    message = problems_of(data_copy)
    assert (
        "countries.csv, line 1, column 'name': expected this column (it is missing or renamed)"
        in (message)
    )
    assert "column 'country': found 'country'" in message


def test_wrong_type(data_copy):
    set_cell(data_copy, "cow_nmc", 2, "milper", "twenty")
    message = problems_of(data_copy)
    assert "cow_nmc.csv, line 4, column 'milper': found 'twenty'" in message
    assert "type" in message


def test_end_before_start(data_copy):
    table = rows(data_copy / "membership.csv")
    index = next(i for i, r in enumerate(table) if r["end"] and len(r["start"]) == 10)
    set_cell(data_copy, "membership", index, "end", "1900")
    set_cell(data_copy, "membership", index, "end_precision", "year")
    message = problems_of(data_copy)
    assert f"membership.csv, line {index + 2}, column 'end': found '1900'" in message
    assert "not before the start" in message


def test_overlapping_spells(data_copy):
    table = rows(data_copy / "membership.csv")
    first = next(r for r in table if r["end"])
    clash = {
        **first,
        "spell_id": "zz_overlap",
        "start": first["start"],
        "end": "",
        "end_precision": "",
        "status": "member",
    }
    table.append(clash)
    write(data_copy / "membership.csv", table)
    message = problems_of(data_copy)
    assert f"membership.csv, line {len(table) + 1}, column 'start'" in message
    assert "same state and framework" in message


def test_estimates_out_of_order(data_copy):
    table = rows(data_copy / "deployment_figures.csv")
    index = next(i for i, r in enumerate(table) if r["value_best"])
    set_cell(data_copy, "deployment_figures", index, "value_low", "999999")
    assert "low <= best <= high" in problems_of(data_copy)


def test_file_not_utf8(data_copy):
    path = data_copy / "people.csv"
    path.write_bytes(path.read_bytes() + "Zaÿnetdinov,\n".encode("latin-1"))
    message = problems_of(data_copy)
    assert "people.csv, line" in message
    assert "found 'byte 0xff'; expected UTF-8 text" in message


def test_empty_file(data_copy):
    (data_copy / "glossary.csv").write_text("", encoding="utf-8")
    assert "glossary.csv: found 'an empty file'; expected a header row" in problems_of(data_copy)


def test_missing_file(data_copy):
    (data_copy / "stances.csv").unlink()
    assert "stances.csv: expected the file to exist (table 'stances')" in problems_of(data_copy)


def test_broken_datapackage_json(data_copy):
    (data_copy / "datapackage.json").write_text("{ not json", encoding="utf-8")
    message = problems_of(data_copy)
    assert "datapackage.json, line 1: expected a readable JSON data package" in message


def test_every_problem_is_listed_at_once(data_copy):
    set_cell(data_copy, "membership", 0, "iso3", "XXX")
    set_cell(data_copy, "crises", 0, "source_ids", "fn99")
    (data_copy / "glossary.csv").write_text("", encoding="utf-8")
    message = problems_of(data_copy)
    assert message.count("\n  - ") >= 3
    assert "membership.csv" in message and "crises.csv" in message and "glossary.csv" in message
    assert "Traceback" not in message


def test_the_datapackage_names_every_csv(data_copy):
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    listed = {resource["path"] for resource in descriptor["resources"]}
    on_disk = {path.name for path in data_copy.glob("*.csv")}
    assert on_disk == listed
