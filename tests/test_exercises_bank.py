"""Question banks: answers sealed out of plain sight, versions, and clear errors for bad banks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.exercises import BankError, bank_names, load_bank
from helpers.exercises.authoring import main as authoring
from helpers.exercises.bank import seal, unseal
from helpers.exercises.questions import QUESTION_TYPES
from tests.exercise_samples import SAMPLE_PLAIN, plain_bank, write_bank

REPO = Path(__file__).resolve().parents[1]


def normalised(data: dict) -> str:
    return json.dumps(data, sort_keys=True)


def test_sealed_bank_shows_prompts_but_not_answers(tmp_path: Path):
    text = write_bank(tmp_path).read_text(encoding="utf-8")
    assert "Where was the Collective Security Treaty signed?" in text
    for secret in ("It was signed in Tashkent in May 1992.", "answer: b", "aggregate",
                   "A member asked, all agreed", "joint staff sits in Moscow"):
        assert secret not in text
    assert text.startswith("# Question bank for exercises/sample_exercises.ipynb.")


def test_seal_and_unseal_round_trip():
    assert normalised(unseal(seal(SAMPLE_PLAIN, "s"), "s")) == normalised(SAMPLE_PLAIN)


def test_authoring_commands_round_trip_a_bank(tmp_path: Path):
    sealed = write_bank(tmp_path / "banks")
    plain = tmp_path / "plain.yaml"
    assert authoring(["unseal", str(sealed), "--out", str(plain)]) == 0
    assert "It was signed in Tashkent in May 1992." in plain.read_text(encoding="utf-8")
    resealed = tmp_path / "again" / "sample.yaml"
    assert authoring(["seal", str(plain), "--out", str(resealed)]) == 0
    assert resealed.read_text(encoding="utf-8") == sealed.read_text(encoding="utf-8")


def test_version_follows_the_content(tmp_path: Path):
    first = load_bank("sample", write_bank(tmp_path / "a").parent).version
    same = load_bank("sample", write_bank(tmp_path / "b").parent).version
    changed = plain_bank()
    changed["questions"][0] = {**changed["questions"][0], "answer": "c"}
    other = load_bank("sample", write_bank(tmp_path / "c", changed).parent).version
    assert first == same != other


def test_unknown_bank_lists_the_known_ones(tmp_path: Path):
    write_bank(tmp_path)
    with pytest.raises(BankError, match=r"No question bank '01_history'.*Known banks: sample"):
        load_bank("01_history", tmp_path)


def test_a_key_edited_by_hand_is_refused_with_the_file_named(tmp_path: Path):
    path = write_bank(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("key: |\n  ", "key: |\n  XYZ"), encoding="utf-8")
    with pytest.raises(BankError, match=r"sample.yaml, field 'key': cannot be decoded"):
        load_bank("sample", tmp_path)


def test_a_bank_whose_name_differs_from_its_file_is_refused(tmp_path: Path):
    path = write_bank(tmp_path)
    path.rename(tmp_path / "other.yaml")
    with pytest.raises(BankError, match="field 'bank': expected 'other'"):
        load_bank("other", tmp_path)


def test_a_missing_banks_folder_is_named(tmp_path: Path):
    with pytest.raises(BankError, match=r"banks_dir argument.*is not a folder"):
        load_bank("sample", tmp_path / "nowhere")


def test_the_demo_bank_uses_every_question_type_and_cites_a_source():
    bank = load_bank("00_demo", REPO / "exercises" / "banks")
    assert {question.kind for question in bank.questions} == set(QUESTION_TYPES)
    for question in bank.questions:
        assert "section" in question.source or "dataset" in question.source, question.id
    assert "00_demo" in bank_names(REPO / "exercises" / "banks")
