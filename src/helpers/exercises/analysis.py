"""Item analysis a teacher can act on: which questions work, which mislead, which are too easy.

Per question: how many answered, the share right at the first try and finally, the mean score,
discrimination (the corrected point-biserial correlation between the question's score and the
student's score on the rest of the exercise: a good question is answered right more often by
students who do well elsewhere), the most common wrong answer, how many answers were given before
the question changed, and flags. Per option of a choice question: the share of students choosing
it, by its text. The chart shows questions by their prompt, with the number who answered.

Flags are reasons to look at a question again, so they must not fire on noise. With a handful of
answers one student moves a share by ten points or more, and a correlation near 0 has a sampling
error of about 1/sqrt(n - 1): 0.33 with 10 students, 0.19 with 30. So a question answered by
fewer than ``MIN_ANSWERS_TO_JUDGE`` students gets no flag but the note "too few answers to
judge", and discrimination is flagged only below ``NEGATIVE_DISCRIMINATION``: a wrong key or a
misleading question shows as a clearly negative value; a value just under 0 says nothing.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import PALETTE, new_figure, style
from helpers.exercises.bank import Bank
from helpers.exercises.questions import Question

PROMPT_LENGTH = 60
MIN_STUDENTS = 3  # fewer students than this give no discrimination at all
MIN_ANSWERS_TO_JUDGE = 10  # fewer answers than this give no flags, only a note
NEGATIVE_DISCRIMINATION = -0.1  # flagged below this (with at least MIN_ANSWERS_TO_JUDGE answers)
TOO_FEW = "too few answers to judge"
CHOICE_KINDS = ("single", "multiple")


def short_prompt(question: Question, limit: int = PROMPT_LENGTH) -> str:
    """The prompt on one line, cut at a word with an ellipsis when longer than ``limit``."""
    return textwrap.shorten(" ".join(question.prompt.split()), limit, placeholder="…")


def option_shares(answers: pd.DataFrame, banks: Mapping[str, Bank]) -> pd.DataFrame:
    """For every option of every choice question: how many students chose it, and the share.

    ``answers`` has one row per student and question with the normalised answer in ``raw``
    (None when unanswered). A multiple-select option counts as chosen when it was selected.
    """
    rows = []
    for (exercise, question_id), group in answers.groupby(["exercise", "question_id"],
                                                          sort=False):
        question = banks[exercise].question(question_id)
        if question.kind not in CHOICE_KINDS:
            continue
        given = list(group.loc[group["answered"], "raw"])
        picks = Counter(option for raw in given
                        for option in ([raw] if question.kind == "single" else raw))
        key = {question.answer} if question.kind == "single" else set(question.answer)
        for option, text in question.options.items():
            rows.append({
                "exercise": exercise, "question_id": question_id, "option_id": option,
                "option": text, "key": option in key, "chosen": picks[option],
                "answered": len(given),
                "share": round(picks[option] / len(given), 3) if given else None,
            })
    return pd.DataFrame(rows, columns=["exercise", "question_id", "option_id", "option", "key",
                                       "chosen", "answered", "share"])


def score_table(items: pd.DataFrame, exercise: str) -> pd.DataFrame:
    """Students by graded question of one exercise: the score, 0 where unanswered."""
    graded = items[(items["exercise"] == exercise) & (items["type"] != "reflection")]
    return graded.pivot_table(index="student_id", columns="question_id", values="score",
                              aggfunc="first").fillna(0.0)


def discrimination(scores: pd.DataFrame, question_id: str) -> float | None:
    """Corrected point-biserial: the question's score against the rest of the exercise
    (``scores``: its ``score_table``).

    None with fewer than ``MIN_STUDENTS`` students or when either score does not vary.
    """
    if len(scores) < MIN_STUDENTS or question_id not in scores:
        return None
    item = scores[question_id]
    rest = scores.drop(columns=question_id).sum(axis=1)
    if item.std() == 0 or rest.std() == 0:
        return None
    return round(float(item.corr(rest)), 2)


def item_analysis(items: pd.DataFrame, banks: Mapping[str, Bank],
                  options: pd.DataFrame) -> pd.DataFrame:
    """One row per question, in bank order, with the figures and flags described above."""
    rows = []
    scores = {exercise: score_table(items, exercise) for exercise in items["exercise"].unique()}
    for (exercise, question_id), group in items.groupby(["exercise", "question_id"],
                                                        sort=False):
        bank = banks[exercise]
        question = bank.question(question_id)
        graded = question.kind != "reflection"
        answered = group[group["answered"]]
        first = answered["first_try_correct"].dropna()
        wrong = Counter(answered.loc[answered["correct"].eq(False), "answer"])
        common = min(wrong.items(), key=lambda pair: (-pair[1], pair[0])) if wrong else ("", 0)
        row = {
            "exercise": exercise,
            "number": bank.ids.index(question_id) + 1,
            "question_id": question_id,
            "prompt": short_prompt(question),
            "type": question.kind,
            "students": len(group),
            "answered": len(answered),
            "share_correct": _share(answered["correct"]) if graded else None,
            "share_correct_first_try": _share(first) if graded else None,
            "first_tries_known": len(first),
            "mean_score": round(float(pd.to_numeric(group["score"]).mean()), 3) if graded
            else None,
            "discrimination": discrimination(scores[exercise], question_id) if graded
            else None,
            "most_common_wrong_answer": common[0],
            "times_given": common[1],
            "answers_given_before_a_change": int(answered["changed_since_answer"].sum()),
        }
        judged = not graded or len(answered) >= MIN_ANSWERS_TO_JUDGE
        flags = _flags(row, options, exercise, question_id) if judged else []
        row["flags"] = "; ".join(text for _, text in flags)
        row["flag_kinds"] = ", ".join(kind for kind, _ in flags)
        row["note"] = "" if judged else (f"{TOO_FEW} ({len(answered)} answered; flags need at "
                                         f"least {MIN_ANSWERS_TO_JUDGE})")
        rows.append(row)
    return pd.DataFrame(rows)


def _share(values: pd.Series) -> float | None:
    return round(float(values.eq(True).mean()), 3) if len(values) else None


def _flags(row: dict, options: pd.DataFrame, exercise: str,
           question_id: str) -> list[tuple[str, str]]:
    """(kind, explanation) of each reason to look at this question again."""
    flags = []
    if row["discrimination"] is not None and row["discrimination"] < NEGATIVE_DISCRIMINATION:
        flags.append(("negative discrimination",
                      f"negative discrimination ({row['discrimination']:g}, below "
                      f"{NEGATIVE_DISCRIMINATION:g}): students who do well elsewhere get it "
                      "wrong more often; check the key and the wording"))
    mine = options[(options["exercise"] == exercise) & (options["question_id"] == question_id)]
    unpicked = mine[~mine["key"] & mine["chosen"].eq(0) & mine["answered"].gt(0)]
    if len(unpicked):
        named = ", ".join(f"{o.option_id}) {o.option}" for o in unpicked.itertuples())
        flags.append(("distractor nobody chose", f"distractor nobody chose: {named}"))
    if (row["share_correct_first_try"] == 1.0 and row["first_tries_known"] == row["answered"]
            and row["answered"] > 0):
        flags.append(("all right at the first try",
                      "everyone who answered was right at the first try"))
    return flags


def item_label(row: pd.Series) -> str:
    return f"{row['exercise']} Q{row['number']}: {row['prompt']} ({row['answered']} answered)"


def item_analysis_figure(analysis: pd.DataFrame) -> go.Figure:
    """Per graded question, the share right at the first try and finally, labelled in words."""
    graded = analysis[analysis["type"] != "reflection"].reset_index(drop=True)
    labels = [item_label(row) for _, row in graded.iterrows()]
    fig = new_figure()
    for name, column, colour in (("First try", "share_correct_first_try", PALETTE[1]),
                                 ("Final answer", "share_correct", PALETTE[0])):
        percent = pd.to_numeric(graded[column]) * 100
        fig.add_trace(go.Bar(
            x=percent.fillna(0), y=labels, orientation="h", name=name, marker_color=colour,
            text=[_bar_text(value) for value in percent], textposition="outside",
            cliponaxis=False,
        ))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.12})
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=[0, 112], tickvals=[0, 20, 40, 60, 80, 100])
    return style(fig, title="Item analysis: share of answers that are correct, first try and "
                 "final", x_label="Answers that are correct (%)",
                 y_label="Question (exercise, number, prompt, how many answered)",
                 description=describe(graded), height=max(360, 70 * len(graded) + 200))


def _bar_text(value: float) -> str:
    return "not recorded" if pd.isna(value) else f"{value:.0f}%"


def describe(graded: pd.DataFrame) -> str:
    """The chart's findings in words: what is drawn, the extremes, the flagged questions."""
    answered = graded[graded["answered"] > 0].reset_index(drop=True)
    if answered.empty:
        return "No graded question has been answered yet, so the bars are all empty."
    final = pd.to_numeric(answered["share_correct"]) * 100
    named = [item_label(row) for _, row in answered.iterrows()]
    low, high = final.idxmin(), final.idxmax()
    flagged = graded[graded["flags"] != ""]
    unjudged = graded[graded["note"] != ""]
    text = (
        f"Horizontal bar chart of {len(graded)} graded questions from "
        f"{graded['exercise'].nunique()} exercise notebook(s). For each question, one bar is "
        "the share of students right at their first try and one the share whose final answer "
        "is right; each label gives how many answered. Lowest final share: "
        f"{named[low]}, {final[low]:.0f}%; highest: {named[high]}, {final[high]:.0f}%."
    )
    if len(flagged):
        text += (f" Flagged for review (reasons in item_analysis.csv): {len(flagged)} "
                 "question(s), " + "; ".join(f"{row.exercise} Q{row.number} ({row.flag_kinds})"
                                             for row in flagged.itertuples()) + ".")
    if len(unjudged):
        text += (f" {TOO_FEW.capitalize()} (fewer than {MIN_ANSWERS_TO_JUDGE}, so not flagged): "
                 + ", ".join(f"{row.exercise} Q{row.number}" for row in unjudged.itertuples())
                 + ".")
    return text
