"""The item-writing check finds what it should, on made-up banks and on the course's banks."""

from __future__ import annotations

import pytest

from helpers.exercises.bank import Bank, bank_from_plain, bank_names, load_bank
from tests.item_writing import key_positions, problems

# Banks whose wording and keys are being rewritten to these rules; when they land, this set is
# emptied and the check holds for every bank.
BEING_REWRITTEN = {"01_history", "02_structure", "03_non_intervention", "04_armenia",
                   "05_kazakhstan", "06_ukraine", "07_synthesis"}


def single(qid: str, options: dict[str, str], answer: str) -> dict:
    return {"id": qid, "type": "single", "prompt": f"Question {qid}?", "options": options,
            "answer": answer, "explanation": "Because.", "source": "Weitz 2022."}


def bank(*questions: dict) -> object:
    return bank_from_plain({"bank": "made_up", "title": "Made up", "notebook": "x.ipynb",
                            "questions": list(questions)}, "made_up.yaml")


FOUR = {"a": "Minsk in May", "b": "Tashkent in May", "c": "Moscow in June", "d": "Yerevan in July"}


def test_a_fair_bank_passes():
    fair = bank(*(single(f"q{n}", FOUR, key) for n, key in enumerate("abcdabcd")))
    assert key_positions(fair) == {"a": 2, "b": 2, "c": 2, "d": 2}
    assert problems(fair) == []


def test_keys_piled_on_one_position_are_reported():
    piled = bank(*(single(f"q{n}", FOUR, key) for n, key in enumerate("bbbbbcca")))
    assert problems(piled) == [
        "made_up: the key is option b in 5 of 8 single-choice questions (at most 3)",
        "made_up: the key is option d in 0 of 8 single-choice questions (at least 1)",
    ]


def test_a_key_longer_than_every_distractor_is_reported():
    long_key = {**FOUR, "c": "Moscow in June, after a long meeting of every member's minister"}
    questions = [single("long", long_key, "c"), *(single(f"q{n}", FOUR, k)
                                                  for n, k in enumerate("abd"))]
    assert problems(bank(*questions)) == [
        "made_up, question 'long': the key is 63 characters, the longest distractor 15"]


def test_keys_often_the_longest_option_are_reported():
    def longer(key: str) -> dict[str, str]:
        same = {"a": "Option one", "b": "Option two", "c": "Option six", "d": "Option ten"}
        return {k: text + ("!" if k == key else "") for k, text in same.items()}

    questions = [single(f"q{n}", longer(k), k) for n, k in enumerate("abcd")]
    assert problems(bank(*questions)) == [
        "made_up: the key is the longest option in 4 of 4 single-choice questions (at most 1)"]


def test_a_position_never_or_seldom_used_is_reported():
    skewed = bank(*(single(f"q{n}", FOUR, key) for n, key in enumerate("abcabcabcabc")))
    assert problems(skewed) == [
        "made_up: the key is option d in 0 of 12 single-choice questions (at least 2)"]


def course_banks() -> list:
    rewriting = pytest.mark.xfail(strict=True, reason="being rewritten to these rules")
    return [pytest.param(name, marks=rewriting) if name in BEING_REWRITTEN else name
            for name in bank_names()]


@pytest.mark.parametrize("name", course_banks())
def test_every_course_bank_follows_the_item_writing_rules(name):
    assert problems(load_bank(name)) == []


@pytest.mark.xfail(strict=bool(BEING_REWRITTEN), reason="being rewritten to these rules")
def test_keys_are_spread_over_the_positions_across_all_banks():
    every = [load_bank(name) for name in bank_names()]
    questions = tuple(q for one in every for q in one.questions)
    assert problems(Bank("all banks", "All", "", questions, "")) == []
