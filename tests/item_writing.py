"""Item-writing rules for single-choice questions, checked over a bank: the key's position is
not predictable and the key is not given away by being the longest option.

- Position balance: over a bank's single-choice questions, no option position holds the key more
  often than an even spread allows (the even share rounded up, plus one) or less often (the even
  share rounded down, minus one). Run it over all banks together too: a bank has few questions.
- Length cue: the key is never longer than every distractor by more than a quarter, and it is the
  strictly longest option in no more questions than an even spread would make it so.
"""

from __future__ import annotations

import math
from collections import Counter

from helpers.exercises.bank import Bank
from helpers.exercises.questions import SingleChoice

MAX_LEAD = 1.25  # the key may be at most this many times as long as the longest distractor


def singles(bank: Bank) -> list[SingleChoice]:
    return [q for q in bank.questions if isinstance(q, SingleChoice)]


def key_positions(bank: Bank) -> Counter[str]:
    """How often the key sits at each position (a, b, c, ... by display order)."""
    letters = "abcdefghij"
    return Counter(letters[list(q.options).index(q.answer)] for q in singles(bank))


def longest_is_key(question: SingleChoice) -> bool:
    lengths = {key: len(text) for key, text in question.options.items()}
    key_length = lengths.pop(question.answer)
    return key_length > max(lengths.values())


def problems(bank: Bank) -> list[str]:
    """Every breach of the rules above, in words naming the bank and the question."""
    questions = singles(bank)
    if not questions:
        return []
    found = []
    positions = min(len(q.options) for q in questions)
    fair = math.ceil(len(questions) / positions)
    least = len(questions) // positions - 1
    counts = key_positions(bank)
    for position in "abcdefghij"[:positions]:
        count = counts.get(position, 0)
        if count > fair + 1 or count < least:
            limit = f"at most {fair + 1}" if count > fair + 1 else f"at least {least}"
            found.append(f"{bank.name}: the key is option {position} in {count} of "
                         f"{len(questions)} single-choice questions ({limit})")
    for question in questions:
        key = len(question.options[question.answer])
        longest_other = max(len(t) for k, t in question.options.items() if k != question.answer)
        if key > MAX_LEAD * longest_other:
            found.append(f"{bank.name}, question {question.id!r}: the key is {key} characters, "
                         f"the longest distractor {longest_other}")
    longest = sum(longest_is_key(q) for q in questions)
    if longest > fair:
        found.append(f"{bank.name}: the key is the longest option in {longest} of "
                     f"{len(questions)} single-choice questions (at most {fair})")
    return found
