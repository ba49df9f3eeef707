"""A small question bank, dataset and key for the exercise-kit tests (independent of data/)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd

from helpers.exercises.bank import dump_yaml, seal

SAMPLE_PLAIN = {
    "bank": "sample",
    "title": "Sample questions",
    "notebook": "sample_exercises.ipynb",
    "questions": [
        {
            "id": "treaty_city", "type": "single",
            "prompt": "Where was the Collective Security Treaty signed?",
            "options": {"a": "Moscow", "b": "Tashkent", "c": "Minsk"},
            "answer": "b",
            "explanation": "It was signed in Tashkent in May 1992.",
            "option_feedback": {"a": "The joint staff sits in Moscow; the treaty was signed "
                                     "elsewhere."},
            "hint": "Read the Background section.",
            "source": "Weitz 2022, section Background, footnote 3.",
        },
        {
            "id": "members", "type": "multiple",
            "prompt": "Which are full members?",
            "options": {"a": "Armenia", "b": "Belarus", "c": "Kazakhstan", "d": "Georgia"},
            "answer": ["a", "b", "c"],
            "explanation": "Armenia, Belarus and Kazakhstan are full members.",
            "option_feedback": {"d": "Georgia keeps away from Moscow-led structures."},
            "source": "Weitz 2022, section Background.",
        },
        {
            "id": "force_size", "type": "numeric",
            "prompt": "How many people did the Kazakhstan force number?",
            "answer": 2500, "relative_tolerance": 0.1, "unit": "people",
            "explanation": "About 2,500.",
            "wrong_feedback": {1960: "1,960 is the Russian force in Karabakh."},
            "source": "Weitz 2022, footnote 34.",
        },
        {
            "id": "rapid_force", "type": "numeric",
            "prompt": "How many troops does the Rapid Deployment Force have?",
            "answer": 5000, "tolerance": 500,
            "explanation": "Some 5,000 troops.",
            "source": "Weitz 2022, footnote 4.",
        },
        {
            "id": "timeline", "type": "ordering",
            "prompt": "Earliest first.",
            "items": {"kazakhstan": "Kazakhstan deployment", "treaty": "Treaty",
                      "charter": "Charter"},
            "answer": ["treaty", "charter", "kazakhstan"],
            "explanation": "1992, 2002, 2022.",
            "source": "Weitz 2022, footnotes 2, 3 and 33.",
        },
        {
            "id": "roles", "type": "matching",
            "prompt": "Match person and role.",
            "left": {"zas": "Stanislav Zas", "tokayev": "Kassym-Jomart Tokayev",
                     "pashinyan": "Nikol Pashinyan"},
            "right": {"sg": "Secretary General", "kz": "President of Kazakhstan",
                      "am": "Prime Minister of Armenia", "duma": "Duma committee chair"},
            "answer": {"zas": "sg", "tokayev": "kz", "pashinyan": "am"},
            "explanation": "Zas led the secretariat; Tokayev asked for help; Pashinyan leads "
                           "Armenia.",
            "source": "Weitz 2022, footnotes 15, 23 and 33.",
        },
        {
            "id": "before_2022", "type": "data",
            "prompt": "How many crises in the table began before 2022?",
            "tables": ["crises"],
            "solution": {"table": "crises",
                         "filters": [{"column": "year", "op": "<", "value": 2022}],
                         "aggregate": "count"},
            "explanation": "The table records {answer} crises before 2022.",
            "source": "Course dataset, table crises.",
        },
        {
            "id": "thoughts", "type": "reflection",
            "prompt": "Why Kazakhstan?",
            "model_answer": "A member asked, all agreed, and Russia carried it.",
            "source": "Weitz 2022, section Conclusion.",
        },
    ],
}

KEY = {
    "treaty_city": "b",
    "members": ["a", "b", "c"],
    "force_size": 2500,
    "rapid_force": 5000,
    "timeline": ["treaty", "charter", "kazakhstan"],
    "roles": {"zas": "sg", "tokayev": "kz", "pashinyan": "am"},
    "before_2022": 2,
    "thoughts": "A member asked for help.",
}

CRISES = pd.DataFrame({"crisis_id": ["kgz_2010", "syria_2013", "kaz_2022"],
                       "year": [2010, 2013, 2022],
                       "csto_deployed": [False, False, True]})


def sample_tables(name: str) -> pd.DataFrame:
    """The in-memory dataset for data questions: one small crises table."""
    assert name == "crises", name
    return CRISES.copy()


def version_1_sheet(sheet: dict, bank_version: str) -> dict:
    """The answers of a sheet as the course wrote them before questions had versions (schema
    version 1: one version for the whole bank, no attempt history)."""
    return {"schema": "csto-answer-sheet", "schema_version": 1, "student_id": sheet["student_id"],
            "bank": sheet["bank"], "bank_version": bank_version,
            "answers": {qid: {key: record[key] for key in ("answer", "attempts", "result")}
                        for qid, record in sheet["answers"].items()}}


def plain_bank(**changes: object) -> dict:
    """A deep copy of the sample bank, with top-level fields replaced."""
    return {**copy.deepcopy(SAMPLE_PLAIN), **changes}


def write_bank(directory: Path, plain: dict | None = None) -> Path:
    """Seal a bank into ``directory`` as a course author would, and return its path."""
    plain = plain or plain_bank()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{plain['bank']}.yaml"
    path.write_text(dump_yaml(seal(plain, path.name), header=True), encoding="utf-8")
    return path


def write_data_package(directory: Path) -> Path:
    """A tiny data package with the crises table above, readable by helpers.data.load_table."""
    directory.mkdir(parents=True, exist_ok=True)
    descriptor = {"name": "sample", "resources": [{
        "name": "crises", "path": "crises.csv",
        "schema": {"fields": [{"name": "crisis_id", "type": "string"},
                              {"name": "year", "type": "integer"},
                              {"name": "csto_deployed", "type": "boolean"}],
                   "primaryKey": ["crisis_id"]},
    }]}
    (directory / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    csv = CRISES.replace({True: "true", False: "false"}).to_csv(index=False)
    (directory / "crises.csv").write_text(csv, encoding="utf-8")
    return directory
