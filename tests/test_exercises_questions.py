"""The checking core: every question type right, wrong, at the edge, partly right, and refused."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.exercises import AnswerError, BankError, DataCheckError, check
from helpers.exercises.bank import bank_from_plain
from helpers.exercises.questions import BatchTables, parse_question
from tests.exercise_samples import KEY, SAMPLE_PLAIN, plain_bank, sample_tables

BANK = bank_from_plain(SAMPLE_PLAIN, "sample.yaml")


def ask(question_id: str, answer: object, tables=sample_tables):
    return check(BANK.question(question_id), answer, tables)


def test_every_key_answer_is_right():
    for question in BANK.questions:
        result = ask(question.id, KEY[question.id])
        assert result.verdict in ("Correct", "Saved"), (question.id, result)
        assert result.text().startswith(result.verdict + " — ")


def test_single_choice_right_and_wrong_with_option_feedback_and_hint():
    right = ask("treaty_city", "b")
    assert (right.score, right.correct) == (1.0, True)
    assert right.feedback == "It was signed in Tashkent in May 1992."
    assert right.source == "Weitz 2022, section Background, footnote 3."
    wrong = ask("treaty_city", "a")
    assert (wrong.score, wrong.correct, wrong.verdict) == (0.0, False, "Not quite")
    assert "The joint staff sits in Moscow" in wrong.feedback
    assert "Tashkent" not in wrong.feedback, "a wrong answer must not give the answer away"
    assert wrong.hint == "Read the Background section."
    assert ask("treaty_city", "c").feedback.startswith("Try again")


@pytest.mark.parametrize(
    ("answer", "score", "verdict"),
    [
        (["a", "b", "c"], 1.0, "Correct"),
        (["c", "a", "b", "a"], 1.0, "Correct"),  # order and repeats do not matter
        (["a", "b"], 0.6667, "Partly right"),
        (["a", "b", "d"], 0.3333, "Partly right"),  # a wrong pick cancels a right one
        (["a", "d"], 0.0, "Not quite"),  # never below zero
        ([], 0.0, "Not quite"),
    ],
)
def test_multiple_select_partial_credit(answer, score, verdict):
    result = ask("members", answer)
    assert (result.score, result.verdict) == (score, verdict)
    assert result.correct is (score == 1.0)


def test_multiple_select_feedback_names_the_misconception():
    result = ask("members", ["a", "d"])
    assert "You selected 1 of the 3 right options." in result.feedback
    assert "Georgia keeps away from Moscow-led structures." in result.feedback


@pytest.mark.parametrize(
    ("answer", "correct"),
    [(2500, True), (2250, True), (2750, True), ("2,750".replace(",", ""), True),
     (2249.9, False), (2750.1, False)],
)
def test_numeric_relative_tolerance_includes_its_edges(answer, correct):
    assert ask("force_size", answer).correct is correct


@pytest.mark.parametrize(
    ("answer", "correct"), [(4500, True), (5500, True), (5500.01, False), (4499.99, False)]
)
def test_numeric_absolute_tolerance_includes_its_edges(answer, correct):
    assert ask("rapid_force", answer).correct is correct


def test_numeric_feedback_for_a_known_wrong_number_and_direction():
    result = ask("force_size", 1960)
    assert "1,960 is the Russian force in Karabakh." in result.feedback
    assert "too low" in result.feedback
    assert "too high" in ask("force_size", 9000).feedback


@pytest.mark.parametrize("bad", ["about 2500", "", True, None, float("nan"), [2500]])
def test_numeric_refuses_what_is_not_a_number(bad):
    with pytest.raises(AnswerError, match=r"Question 'force_size' \(number\) expects a number"):
        ask("force_size", bad)


def test_ordering_scores_the_share_of_pairs_in_order():
    assert ask("timeline", ["treaty", "charter", "kazakhstan"]).score == 1.0
    swapped = ask("timeline", ["charter", "treaty", "kazakhstan"])
    assert (swapped.score, swapped.verdict) == (0.6667, "Partly right")
    assert "1 of 3 items are in the right position." in swapped.feedback
    assert ask("timeline", ["kazakhstan", "charter", "treaty"]).score == 0.0


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (["treaty", "treaty", "charter"], "repeated ['treaty']"),
        (["treaty", "charter"], "missing ['kazakhstan']"),
        (["treaty", "charter", "kazakhstan", "ukraine"], "unknown ['ukraine']"),
        ("treaty", "every item id exactly once"),
    ],
)
def test_ordering_refuses_anything_but_a_permutation(bad, problem):
    with pytest.raises(AnswerError) as caught:
        ask("timeline", bad)
    assert problem in str(caught.value)


def test_matching_counts_right_pairs_and_names_the_wrong_ones():
    assert ask("roles", KEY["roles"]).correct is True
    partial = ask("roles", {"zas": "sg", "tokayev": "am", "pashinyan": None})
    assert (partial.score, partial.verdict) == (0.3333, "Partly right")
    assert "1 of 3 pairs are right." in partial.feedback
    assert "Kassym-Jomart Tokayev; Nikol Pashinyan" in partial.feedback


def test_matching_refuses_unknown_ids_on_either_side():
    with pytest.raises(AnswerError, match="left-hand ids"):
        ask("roles", {"putin": "sg"})
    with pytest.raises(AnswerError, match="right-hand ids"):
        ask("roles", {"zas": "nato"})
    with pytest.raises(AnswerError, match="expects a mapping"):
        ask("roles", ["sg", "kz", "am"])


def test_data_question_is_computed_from_the_dataset_at_check_time():
    result = ask("before_2022", 2)
    assert result.correct is True
    assert result.feedback == "The table records 2 crises before 2022."
    assert "too high" in ask("before_2022", 3).feedback

    def extended(name: str) -> pd.DataFrame:
        later = pd.DataFrame({"crisis_id": ["arm_2021"], "year": [2021]})
        return pd.concat([sample_tables(name), later], ignore_index=True)

    assert ask("before_2022", 3, extended).correct is True
    assert ask("before_2022", 2, extended).correct is False


def test_data_question_on_a_table_without_its_column_names_the_bank_field():
    def broken(name: str) -> pd.DataFrame:
        return pd.DataFrame({"crisis_id": ["x"]})

    with pytest.raises(BankError, match=r"sample.yaml, question 'before_2022', field "
                       r"'solution.filters\[0\].column': no column 'year' in table 'crises'"):
        ask("before_2022", 2, broken)


def test_data_question_that_cannot_be_computed_says_why():
    def broken(name: str) -> pd.DataFrame:
        return pd.DataFrame({"crisis_id": ["x"], "year": ["not a year"]})

    with pytest.raises(DataCheckError, match=r"'before_2022', field 'solution.filters\[0\]': "
                       r"the answer could not be computed from the dataset \(TypeError"):
        ask("before_2022", 2, broken)


def test_reflection_is_saved_not_graded_and_reveals_the_model_answer():
    result = ask("thoughts", "  Because a member asked.  ")
    assert (result.score, result.correct, result.graded) == (None, None, False)
    assert result.verdict == "Saved"
    assert "A member asked, all agreed, and Russia carried it." in result.feedback
    with pytest.raises(AnswerError, match="expects some text"):
        ask("thoughts", "   ")


def test_single_choice_refuses_an_option_that_does_not_exist():
    with pytest.raises(AnswerError) as caught:
        ask("treaty_city", "z")
    assert str(caught.value) == (
        "Question 'treaty_city' (single choice) expects one option id out of 'a', 'b', 'c'; "
        "got 'z'."
    )


def test_unknown_question_id_lists_the_known_ids():
    with pytest.raises(AnswerError, match=r"Unknown question id 'q99'.*Known ids: treaty_city"):
        BANK.question("q99")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "essay"}, "field 'type': expected one of single, multiple"),
        ({"answer": "z"}, "field 'answer': expected one of the option ids"),
        ({"colour": "red"}, "field 'colour': expected only the fields"),
        ({"options": {True: "Yes", "n": "No"}}, "quote ids such as 'y'"),
        ({"prompt": ""}, "field 'prompt': expected non-empty text"),
    ],
)
def test_authoring_mistakes_are_named_with_question_and_field(change, message):
    entry = {**SAMPLE_PLAIN["questions"][0], **change}
    with pytest.raises(BankError) as caught:
        parse_question(entry, "sample.yaml")
    assert "sample.yaml, question 'treaty_city'" in str(caught.value)
    assert message in str(caught.value)


def test_an_ordering_shown_in_the_right_order_is_refused():
    entry = {**SAMPLE_PLAIN["questions"][4], "items": {"treaty": "T", "charter": "C",
                                                       "kazakhstan": "K"}}
    with pytest.raises(BankError, match="a display order that differs from the answer"):
        parse_question(entry, "sample.yaml")


def test_repeated_question_ids_are_refused():
    questions = SAMPLE_PLAIN["questions"]
    with pytest.raises(BankError, match="repeated: treaty_city"):
        bank_from_plain(plain_bank(questions=[questions[0], questions[0]]), "sample.yaml")


def test_text_that_cannot_be_saved_as_utf8_is_refused():
    with pytest.raises(AnswerError, match="expects some text"):
        ask("thoughts", "A member asked \ud800")
    entry = {**SAMPLE_PLAIN["questions"][6], "answer_type": "text",
             "solution": {"table": "crises", "column": "crisis_id", "aggregate": "joined"}}
    with pytest.raises(AnswerError, match="expects a short text answer"):
        check(parse_question(entry, "sample.yaml"), "kaz_2022\ud800", sample_tables)


def test_batch_tables_compute_each_data_answer_once_for_a_whole_class():
    loads: list[str] = []

    def counted(name: str) -> pd.DataFrame:
        loads.append(name)
        return sample_tables(name)

    tables = BatchTables(counted)
    question = BANK.question("before_2022")
    verdicts = [check(question, answer, tables).verdict for answer in (2, 3, 2, 1)]
    assert verdicts == ["Correct", "Not quite", "Correct", "Not quite"]
    assert loads == ["crises"], "computed once, for every answer checked"

    def broken(name: str) -> pd.DataFrame:
        loads.append(name)
        return pd.DataFrame({"year": ["x"]})

    failing = BatchTables(broken)
    for _ in range(3):
        with pytest.raises(DataCheckError):
            check(question, 2, failing)
    assert loads.count("crises") == 2, "a failure is remembered too"
