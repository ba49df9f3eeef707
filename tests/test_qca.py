"""Truth tables over coded crises: configurations, consistency, contradictions, recoding, fit."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import qca
from helpers.params import ParameterError

CONDITIONS = ["internal_threat", "government_request", "consensus"]


def coded(rows: dict[str, list[bool | None]]) -> pd.DataFrame:
    """crisis_conditions rows for the three test conditions, None = left empty."""
    records = [
        {"crisis_id": crisis_id, "condition": condition, "value": value}
        for crisis_id, values in rows.items()
        for condition, value in zip(CONDITIONS, values, strict=True)
    ]
    frame = pd.DataFrame(records)
    frame["condition"] = pd.Categorical(frame["condition"], categories=CONDITIONS)
    frame["value"] = frame["value"].astype("boolean")
    return frame


CRISES = pd.DataFrame(
    {
        "crisis_id": ["a_riots", "b_riots", "c_border", "d_war", "e_later"],
        "name": ["A riots", "B riots", "C border", "D war", "E later"],
        "in_paper": pd.array([True, True, True, True, False], dtype="boolean"),
        "csto_deployed": pd.array([True, False, False, False, False], dtype="boolean"),
    }
)
CONDITIONS_TABLE = coded(
    {
        "a_riots": [True, True, True],
        "b_riots": [True, True, True],
        "c_border": [False, True, False],
        "d_war": [False, False, None],
        "e_later": [False, True, False],
    }
)


@pytest.fixture
def matrix() -> pd.DataFrame:
    return qca.condition_matrix(CONDITIONS_TABLE, CRISES)


def test_conditions_follow_the_enum_order_of_the_data_package():
    assert qca.conditions_of(CONDITIONS_TABLE) == CONDITIONS


def test_matrix_has_one_row_per_crisis_with_unknowns_kept(matrix):
    assert list(matrix["crisis_id"]) == ["a_riots", "b_riots", "c_border", "d_war", "e_later"]
    assert qca.matrix_conditions(matrix) == CONDITIONS
    assert matrix.loc[3, "consensus"] is pd.NA
    assert matrix["deployed"].tolist() == [True, False, False, False, False]


def test_a_crisis_without_codings_is_all_unknown_not_dropped():
    crises = pd.concat(
        [
            CRISES,
            pd.DataFrame(
                {
                    "crisis_id": ["f_new"],
                    "name": ["F"],
                    "in_paper": [False],
                    "csto_deployed": [False],
                }
            ),
        ],
        ignore_index=True,
    )
    matrix = qca.condition_matrix(CONDITIONS_TABLE, crises)
    assert matrix.set_index("crisis_id").loc["f_new", CONDITIONS].isna().all()


def test_truth_table_groups_configurations_and_flags_contradictions(matrix):
    table = qca.truth_table(qca.paper_cases(matrix))
    first = table.iloc[0]
    assert [first[c] for c in CONDITIONS] == ["1", "1", "1"]
    assert first["cases"] == 2
    assert first["case_ids"] == "a_riots; b_riots"
    assert first["consistency"] == 0.5
    assert first["outcome"] == "C"
    assert bool(first["contradictory"])
    assert first["outcome_values"] == "0 and 1"
    unknown_row = table.loc[table["case_ids"] == "d_war"].iloc[0]
    assert unknown_row["consensus"] == "?"
    assert unknown_row["consistency"] == 0.0
    assert unknown_row["outcome"] == "0"
    assert table["cases"].sum() == 4
    assert list(table["row"]) == [1, 2, 3]


def test_later_cases_are_marked_in_the_full_table(matrix):
    table = qca.truth_table(matrix)
    shared = table.loc[table["case_ids"].str.contains("c_border")].iloc[0]
    assert shared["case_ids"] == "c_border; e_later [after the paper]"
    assert shared["beyond_paper_cases"] == 1


def test_describe_truth_table_says_where_the_deployment_is(matrix):
    text = qca.describe_truth_table(qca.truth_table(qca.paper_cases(matrix)))
    assert text.startswith("4 cases fall into 3 observed configurations of 3 conditions.")
    assert "Row 1 (a_riots; b_riots) had a deployment in 1 of 2 case(s)" in text
    assert "present: Internal threat, Government asked, All members agreed." in text  # not ids
    assert "Contradictory rows: 1." in text
    assert "Rows with at least one unknown coding: 1." in text


def test_recode_moves_a_case_and_resolves_the_contradiction(matrix):
    recoded = qca.apply_recode(matrix, {"b_riots": {"consensus": False}})
    table = qca.truth_table(qca.paper_cases(recoded))
    assert not table["contradictory"].any()
    top = table.iloc[0]
    assert top["case_ids"] == "a_riots" and top["consistency"] == 1.0 and top["outcome"] == "1"
    assert "b_riots [recoded: consensus]" in set(table["case_ids"])
    assert matrix.loc[1, "consensus"], "the original matrix must not change"


@pytest.mark.parametrize(
    ("recode", "message"),
    [
        ({"zz_unknown": {"consensus": True}}, "unknown crisis 'zz_unknown'. Allowed values: a_"),
        ({"a_riots": {"luck": True}}, "unknown condition 'luck'. Allowed values: internal_threat"),
        ({"a_riots": {"consensus": "yes"}}, "['consensus']='yes' must be true or false"),
        ({"a_riots": {}}, "must be a non-empty mapping"),
        (["a_riots"], "must be a mapping"),
    ],
)
def test_bad_recode_names_the_value_and_what_is_allowed(matrix, recode, message):
    with pytest.raises(ParameterError, match="recode") as caught:
        qca.check_recode(recode, matrix)
    assert message in str(caught.value)


def test_no_recode_is_an_empty_mapping(matrix):
    assert qca.check_recode({}, matrix) == {}
    assert qca.check_recode(None, matrix) == {}


def test_condition_summary_computes_necessity_and_sufficiency(matrix):
    summary = qca.condition_summary(qca.paper_cases(matrix)).set_index(["condition", "coded_as"])
    consensus = summary.loc[("consensus", "present")]
    assert consensus["cases_coded"] == 3 and consensus["cases_unknown"] == 1
    assert consensus["necessity_consistency"] == 1.0  # the one deployment had consensus
    assert consensus["sufficiency_consistency"] == 0.5  # one of two cases with it
    assert consensus["necessity_coverage"] == consensus["sufficiency_consistency"]
    request = summary.loc[("government_request", "present")]
    assert request["sufficiency_consistency"] == 0.33
    absent = summary.loc[("internal_threat", "absent")]
    assert absent["necessity_consistency"] == 0.0
    assert absent["cases_with_condition"] == 2


def test_summary_chart_description_names_the_necessary_conditions(matrix):
    summary = qca.condition_summary(qca.paper_cases(matrix))
    fig = qca.condition_summary_chart(summary)
    description = fig.layout.meta["description"]
    assert "necessity consistency 1.0): Internal threat, Government asked, All members agreed" in (
        description
    )
    assert "Highest sufficiency consistency: All members agreed at 0.5" in description
    names = [trace.name for trace in fig.data]
    assert names == ["necessity consistency", "sufficiency consistency"]


def test_coding_chart_draws_the_shared_conditions_grid_in_words():
    grid = pd.DataFrame(
        {
            "Crisis": ["A riots", "D war"],
            "Internal threat": ["yes", "no"],
            "Consensus": ["yes", "unclear"],
            "CSTO forces sent": ["yes", "no"],
        }
    )
    fig = qca.coding_chart(grid, title="Coding")
    heatmap = fig.data[0]
    assert list(heatmap.y) == ["A riots", "D war"]
    assert heatmap.x[-1] == "CSTO forces sent"
    assert heatmap.text[1][1] == "unclear"
    assert fig.layout.meta["description"] == (
        "2 crises coded on 2 conditions. Forces sent in 1: A riots. Cells the paper leaves "
        "unclear or uncoded: 1 of 4."
    )


def test_recoded_view_adds_the_widget_choice_to_the_parameter(matrix):
    view = qca.recoded_view(
        matrix, {"a_riots": {"consensus": False}}, "b_riots", "consensus", False
    )
    # Labels a reader knows, not the dataset's ids or bare symbols.
    assert view.caption.startswith(
        "B riots: \u201cAll members agreed\u201d coded true (1) in the data, recoded to false (0)."
    )
    assert "Contradictory rows: 1." in view.caption  # both riots moved together
    assert "a_riots [recoded: consensus]; b_riots [recoded: consensus]" in set(
        view.frame["Which cases"]
    )


def test_fit_with_paper_uses_the_conditions_of_the_papers_deployments(matrix):
    fit = qca.fit_with_paper(matrix).iloc[0]
    assert fit["crisis_id"] == "e_later"
    assert fit["lacks"] == "internal_threat, consensus"
    assert fit["expected"] == qca.EXPECTATIONS[0]
    assert fit["verdict"] == "fits"
    assert fit["paper_cases_alike"] == "c_border (0)"


def test_fit_view_names_its_columns_in_words(matrix):
    view = qca.fit_view(qca.fit_with_paper(matrix), caption="Fit")
    assert view.frame.columns[0] == "Later case" and "Fits?" in view.frame.columns
    assert view.frame["Fits?"].tolist() == ["fits"]


def test_fit_with_paper_says_when_a_later_case_contradicts_the_paper(matrix):
    recoded = qca.apply_recode(matrix, {"e_later": {"internal_threat": True, "consensus": True}})
    fit = qca.fit_with_paper(recoded).iloc[0]
    assert fit["expected"] == qca.EXPECTATIONS[1]
    assert fit["verdict"] == "does not fit"
    assert fit["paper_cases_alike"] == "a_riots (1); b_riots (0)"


def test_fit_with_paper_cannot_tell_when_a_needed_condition_is_unknown():
    matrix = qca.condition_matrix(
        coded({"a_riots": [True, True, True], "e_later": [True, True, None]}),
        CRISES.iloc[[0, 4]],
    )
    fit = qca.fit_with_paper(matrix).iloc[0]
    assert fit["unknown"] == "consensus"
    assert fit["verdict"] == "cannot tell"


def test_recoded_view_leaves_aside_recodings_of_cases_not_shown(matrix):
    paper = qca.paper_cases(matrix)
    view = qca.recoded_view(paper, {"e_later": {"consensus": True}}, "d_war", "consensus", True)
    assert "e_later" not in " ".join(view.frame["Which cases"])
    assert "d_war [recoded: consensus]" in set(view.frame["Which cases"])


def test_recode_explorer_opens_on_the_given_choice_with_labelled_controls(matrix):
    box = qca.recode_explorer(matrix, {}, ("d_war", "consensus", False))
    controls = box.children[0].children
    assert [c.description for c in controls] == ["Case", "Condition", "Recode to"]
    assert [c.value for c in controls] == ["d_war", "consensus", False]


def test_truth_table_view_uses_plain_headings(matrix):
    view = qca.truth_table_view(qca.truth_table(matrix))
    assert list(view.frame.columns[:4]) == [
        "Row",
        "Internal threat",
        "Government asked",
        "All members agreed",
    ]
    assert set(view.frame["Contradictory?"]) == {"yes", "no"}


@pytest.fixture
def real_matrix() -> pd.DataFrame:
    from helpers.data import load_table

    return qca.condition_matrix(load_table("crisis_conditions"), load_table("crises"))


def test_real_data_kazakhstan_is_the_only_deployment_and_alone_in_its_row(real_matrix):
    truth = qca.truth_table(qca.paper_cases(real_matrix))
    deployed = truth.loc[truth["deployments"] > 0]
    assert list(deployed["case_ids"]) == ["kaz_2022"]
    assert deployed.iloc[0]["consistency"] == 1.0
    assert set(deployed.iloc[0][qca.matrix_conditions(real_matrix)]) == {"1"}
    assert not truth["contradictory"].any()
    assert truth["beyond_paper_cases"].sum() == 0


def test_real_data_recoding_the_kyrgyz_riots_makes_the_table_contradictory(real_matrix):
    changes = {"russia_support": True, "consensus": True, "foreign_terrorism_framing": True}
    truth = qca.truth_table(qca.apply_recode(real_matrix, {"kgz_2010_riots": changes}))
    row = truth.loc[truth["contradictory"]].iloc[0]
    assert row["case_ids"] == (
        "kaz_2022; kgz_2010_riots [recoded: consensus, foreign_terrorism_framing, russia_support]"
    )
    assert row["outcome"] == "C" and row["consistency"] == 0.5


def test_real_data_later_cases_are_marked_and_checked_against_the_paper(real_matrix):
    truth = qca.truth_table(real_matrix)
    assert truth["beyond_paper_cases"].sum() == len(real_matrix) - len(qca.paper_cases(real_matrix))
    fit = qca.fit_with_paper(real_matrix)
    assert set(fit["crisis_id"]) == {"arm_aze_sep_2022", "karabakh_sep_2023"}
    assert set(fit["verdict"]) == {"fits"}
