"""Item-writing rules over every question bank: a learner who has not read the paper should get no
help from where the key sits, how long it is, or how it is worded.

The course keeps one stable option order (a class, the printed key and the site speak of the same
letters), so the balance is written into the banks themselves and checked here:

- single choice: per bank, no letter holds more than half of the keys (a bank with one such
  question is exempt); over all banks, every letter a-d is used and none holds more than 35%;
- single choice: the key is the strictly longest option in at most a quarter of the questions, and
  never much longer than the longest distractor; a hedged key ("may", "apparently") has at least
  one hedged distractor beside it;
- multiple select: the right options are not simply the first ones, and are not longer on average;
- matching: the right-hand list is not in the order of the left-hand one, and its left-over
  description is not a give-away by length; ordering: the items are not shown in their answer order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from statistics import mean

import pytest

from helpers.exercises import bank_names, load_bank
from helpers.exercises.bank import Bank
from helpers.exercises.questions import Matching, MultipleSelect, Ordering, SingleChoice

LETTERS = ("a", "b", "c", "d")
MOST_AT_ONE_LETTER = 0.35  # over all banks
LONGEST_KEY_SHARE = 0.25  # of single-choice questions whose key is the strictly longest option
KEY_LENGTH_LIMIT = 1.2  # a key at most this many times the longest distractor
MULTI_LENGTH_LIMIT = 1.25  # mean right option against mean wrong option
HEDGES = re.compile(r"\b(may|might|perhaps|probably|apparently|likely|seems?|possibly)\b", re.I)

BANKS = [load_bank(name) for name in bank_names()]


def singles(banks: Iterable[Bank]) -> list[SingleChoice]:
    return [q for bank in banks for q in bank.questions if isinstance(q, SingleChoice)]


def key_is_strictly_longest(question: SingleChoice) -> bool:
    others = [len(text) for key, text in question.options.items() if key != question.answer]
    return len(question.options[question.answer]) > max(others)


def position_problems(bank: Bank) -> list[str]:
    """Letters that hold more than half of one bank's single-choice keys."""
    keys = Counter(q.answer for q in singles([bank]))
    allowed = max(1, sum(keys.values()) // 2)
    return [f"{bank.name}: {count} keys on {letter!r} (at most {allowed})"
            for letter, count in keys.items() if count > allowed]


def length_problems(question: SingleChoice) -> list[str]:
    key = question.options[question.answer]
    others = [text for letter, text in question.options.items() if letter != question.answer]
    problems = []
    if len(key) > KEY_LENGTH_LIMIT * max(map(len, others)):
        problems.append(f"{question.id}: the key is {len(key)} characters, the longest "
                        f"distractor {max(map(len, others))}")
    if HEDGES.search(key) and not any(HEDGES.search(text) for text in others):
        problems.append(f"{question.id}: only the key is hedged ({HEDGES.search(key)[0]!r})")
    return problems


def multiple_problems(question: MultipleSelect) -> list[str]:
    letters = list(question.options)
    right = [letters.index(key) for key in question.answer]
    wrong = [text for key, text in question.options.items() if key not in question.answer]
    problems = []
    if sorted(right) == list(range(len(right))):
        problems.append(f"{question.id}: the right options are the first {len(right)}")
    ratio = mean(len(question.options[k]) for k in question.answer) / mean(map(len, wrong))
    if ratio > MULTI_LENGTH_LIMIT:
        problems.append(f"{question.id}: right options {ratio:.2f} times as long as wrong ones")
    return problems


def matching_problems(question: Matching) -> list[str]:
    left, right = list(question.left), list(question.right)
    aligned = sum(right.index(question.answer[key]) == left.index(key) for key in left)
    problems = []
    if aligned * 2 >= len(left):
        problems.append(f"{question.id}: {aligned} of {len(left)} pairs sit side by side")
    used = set(question.answer.values())
    spare = [text for key, text in question.right.items() if key not in used]
    typical = mean(len(question.right[key]) for key in used)
    problems += [f"{question.id}: left-over {text!r} stands out by length" for text in spare
                 if not 0.6 * typical <= len(text) <= 1.5 * typical]
    return problems


def ordering_problems(question: Ordering) -> list[str]:
    in_place = sum(a == b for a, b in zip(question.items, question.answer, strict=True))
    if in_place * 2 >= len(question.answer):
        return [f"{question.id}: {in_place} of {len(question.answer)} items shown in answer order"]
    return []


def test_every_bank_has_single_choice_questions_to_check():
    assert len(singles(BANKS)) >= 16, "the rules below need enough questions to mean anything"


@pytest.mark.parametrize("bank", BANKS, ids=lambda bank: bank.name)
def test_no_letter_holds_more_than_half_of_a_banks_keys(bank: Bank):
    assert position_problems(bank) == []


def test_keys_are_spread_over_every_letter_across_the_course():
    keys = Counter(q.answer for q in singles(BANKS))
    total = sum(keys.values())
    assert set(keys) == set(LETTERS), f"keys by letter: {dict(keys)}"
    assert max(keys.values()) <= MOST_AT_ONE_LETTER * total, f"keys by letter: {dict(keys)}"


def test_the_key_is_rarely_the_longest_option():
    questions = singles(BANKS)
    longest = [q.id for q in questions if key_is_strictly_longest(q)]
    assert len(longest) <= LONGEST_KEY_SHARE * len(questions), longest


@pytest.mark.parametrize("bank", BANKS, ids=lambda bank: bank.name)
def test_no_key_stands_out_by_length_or_hedging(bank: Bank):
    assert [p for q in singles([bank]) for p in length_problems(q)] == []


@pytest.mark.parametrize("bank", BANKS, ids=lambda bank: bank.name)
def test_multiple_select_and_matching_give_nothing_away(bank: Bank):
    problems = []
    for question in bank.questions:
        if isinstance(question, MultipleSelect):
            problems += multiple_problems(question)
        elif isinstance(question, Matching):
            problems += matching_problems(question)
        elif isinstance(question, Ordering):
            problems += ordering_problems(question)
    assert problems == []


def test_the_checks_catch_a_bank_written_against_the_rules():
    """A small bank with every flaw the rules look for: each check must name it."""
    cue = SingleChoice(id="cue", prompt="?", source="s", answer="b", options={
        "a": "No.", "b": "It may have been, as the paper argues at some length here.",
        "c": "Yes.", "d": "Never."})
    first = MultipleSelect(id="first", prompt="?", source="s", answer=("a", "b"), options={
        "a": "A long and careful right option", "b": "Another long and careful right one",
        "c": "Short", "d": "Wrong"})
    aligned = Matching(id="aligned", prompt="?", source="s", left={"x": "X", "y": "Y"},
                       right={"p": "Partner of X", "q": "Partner of Y", "z": "?"},
                       answer={"x": "p", "y": "q"})
    ordered = Ordering(id="ordered", prompt="?", source="s", items={"a": "A", "b": "B", "c": "C"},
                       answer=("a", "b", "c"))
    bank = Bank("flawed", "t", "n", (cue, first, aligned, ordered,
                                      SingleChoice(id="cue2", prompt="?", source="s", answer="b",
                                                   options=dict(cue.options))), "v")
    assert position_problems(bank) == ["flawed: 2 keys on 'b' (at most 1)"]
    assert key_is_strictly_longest(cue)
    cue_problems = length_problems(cue)
    assert "cue: the key is 58 characters, the longest distractor 6" in cue_problems
    assert "cue: only the key is hedged ('may')" in cue_problems
    assert len(multiple_problems(first)) == 2
    assert len(matching_problems(aligned)) == 2
    assert ordering_problems(ordered) != []
