"""When does the organisation act? Crisp-set truth tables over the crises in the dataset.

Qualitative comparative analysis (QCA) asks which combinations of conditions go with an outcome.
Each crisis is coded 1 (present), 0 (absent) or unknown on the conditions the paper points to;
the outcome is whether the CSTO deployed forces. A truth table groups the crises by their observed
combination, so a reader sees at once which combinations went with a deployment, which rows mix
outcomes (contradictions) and where the paper leaves a coding open. Recoding a case, by parameter
or widget, shows how much the picture rests on one judgement.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from helpers.charts import PALETTE, new_figure, style
from helpers.crises import CONDITION_LABELS
from helpers.grids import MISSING, category_grid
from helpers.params import ParameterError
from helpers.tables import Table, table

OUTCOME = "deployed"
PRESENT, ABSENT, UNKNOWN = "1", "0", "?"
# A coding in words, with its truth-table symbol, for sentences a reader sees.
CODE_WORDS = {PRESENT: "true (1)", ABSENT: "false (0)", UNKNOWN: "unclear (?)"}
BEYOND_PAPER_MARK = " [after the paper]"
EXPECTATIONS = (
    "no deployment (it lacks a condition every deployment in the paper had)",
    "a deployment (it has every condition the paper's deployments had)",
    "cannot tell (a condition every deployment in the paper had is coded unknown)",
)
FIT_VERDICTS = ("fits", "does not fit", "cannot tell")


def conditions_of(crisis_conditions: pd.DataFrame) -> list[str]:
    """The condition names, in the order the data package lists them (its enum order)."""
    column = crisis_conditions["condition"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(value) for value in column.cat.categories]
    return list(dict.fromkeys(column.dropna().astype(str)))


def condition_matrix(crisis_conditions: pd.DataFrame, crises: pd.DataFrame) -> pd.DataFrame:
    """One row per crisis: its coding on each condition (True, False or missing) and the outcome.

    Every crisis appears, even one with no coding rows (all its conditions are then unknown), so a
    crisis added to an extended dataset is never silently left out of the truth table.
    """
    conditions = conditions_of(crisis_conditions)
    matrix = crises[["crisis_id", "name", "in_paper"]].copy()
    matrix["crisis_id"] = matrix["crisis_id"].astype(str)
    coded = crisis_conditions.assign(
        crisis_id=crisis_conditions["crisis_id"].astype(str),
        condition=crisis_conditions["condition"].astype(str),
    )
    for condition in conditions:
        values = coded.loc[coded["condition"] == condition].set_index("crisis_id")["value"]
        matrix[condition] = matrix["crisis_id"].map(values).astype("boolean")
    matrix[OUTCOME] = crises["csto_deployed"].astype("boolean").to_numpy()
    matrix["recoded"] = ""
    return matrix.sort_values("crisis_id", ignore_index=True)


def matrix_conditions(matrix: pd.DataFrame) -> list[str]:
    """The condition columns of a matrix from ``condition_matrix``, in order."""
    fixed = {"crisis_id", "name", "in_paper", OUTCOME, "recoded"}
    return [column for column in matrix.columns if column not in fixed]


def check_recode(recode: object, matrix: pd.DataFrame) -> dict[str, dict[str, bool]]:
    """Validate the ``recode`` parameter: {crisis_id: {condition: True/False}}.

    A typo in a crisis id or condition must stop the notebook with the allowed values, not be
    ignored, or the reader would believe a recoding that never happened.
    """
    crisis_ids = sorted(matrix["crisis_id"])
    conditions = matrix_conditions(matrix)
    if recode is None:
        return {}
    if not isinstance(recode, Mapping):
        raise ParameterError(
            f"Parameter recode={recode!r} must be a mapping "
            "{crisis_id: {condition: true/false}}."
        )
    checked: dict[str, dict[str, bool]] = {}
    for crisis_id, changes in recode.items():
        if crisis_id not in crisis_ids:
            raise ParameterError(
                f"Parameter recode has unknown crisis {crisis_id!r}. "
                f"Allowed values: {', '.join(crisis_ids)}."
            )
        if not isinstance(changes, Mapping) or not changes:
            raise ParameterError(
                f"Parameter recode[{crisis_id!r}]={changes!r} must be a non-empty mapping "
                "{condition: true/false}."
            )
        for condition, value in changes.items():
            if condition not in conditions:
                raise ParameterError(
                    f"Parameter recode[{crisis_id!r}] has unknown condition {condition!r}. "
                    f"Allowed values: {', '.join(conditions)}."
                )
            if not isinstance(value, bool):
                raise ParameterError(
                    f"Parameter recode[{crisis_id!r}][{condition!r}]={value!r} must be "
                    "true or false."
                )
        checked[crisis_id] = dict(changes)
    return checked


def apply_recode(matrix: pd.DataFrame, recode: Mapping[str, Mapping[str, bool]]) -> pd.DataFrame:
    """A copy of the matrix with the reader's codings in place; recoded cases say what changed."""
    checked = check_recode(recode, matrix)
    recoded = matrix.copy()
    for crisis_id, changes in checked.items():
        at = recoded.index[recoded["crisis_id"] == crisis_id][0]
        for condition, value in changes.items():
            recoded.at[at, condition] = value
        recoded.at[at, "recoded"] = ", ".join(sorted(changes))
    return recoded


def code(value: object) -> str:
    """A boolean coding as a truth-table symbol: 1, 0, or ? for unknown."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return UNKNOWN
    return PRESENT if bool(value) else ABSENT


def truth_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Group cases by observed configuration: cases, outcome values, consistency, contradictions.

    Consistency is the share of a row's cases (with a known outcome) in which the CSTO deployed.
    A row whose cases disagree on the outcome is contradictory (outcome code "C"), the standard
    crisp-set signal that the conditions as coded do not settle the outcome. Unknown codings form
    their own configurations rather than being guessed.
    """
    conditions = matrix_conditions(matrix)
    symbols = matrix[conditions].map(code)
    labelled = symbols.assign(
        case=[_case_label(row) for _, row in matrix.iterrows()],
        outcome=matrix[OUTCOME].map(code),
        beyond_paper=~matrix["in_paper"].astype(bool),
    )
    rows = []
    for configuration, group in labelled.groupby(conditions, sort=True):
        known = group["outcome"][group["outcome"] != UNKNOWN]
        deployed = int((known == PRESENT).sum())
        values = sorted(set(group["outcome"]))
        rows.append(
            {
                **dict(zip(conditions, configuration, strict=True)),
                "cases": len(group),
                "case_ids": "; ".join(sorted(group["case"])),
                "outcome_values": " and ".join(values),
                "deployments": deployed,
                "consistency": round(deployed / len(known), 2) if len(known) else pd.NA,
                "outcome": _outcome_code(set(known)),
                "contradictory": len(set(known)) > 1,
                "beyond_paper_cases": int(group["beyond_paper"].sum()),
            }
        )
    rows.sort(key=lambda r: _row_order(r, conditions))
    table = pd.DataFrame(rows)
    table["consistency"] = table["consistency"].astype("Float64")
    table.insert(0, "row", range(1, len(table) + 1))
    return table


def _row_order(row: dict, conditions: list[str]) -> tuple:
    """Deployments first, then the most populated rows, then 1 before 0 before unknown."""
    unknown_outcome = row["consistency"] is pd.NA
    return (
        unknown_outcome,
        0.0 if unknown_outcome else -row["consistency"],
        -row["cases"],
        [(PRESENT, ABSENT, UNKNOWN).index(row[c]) for c in conditions],
    )


def paper_cases(matrix: pd.DataFrame) -> pd.DataFrame:
    """Only the crises the paper itself discusses (the rest are the epilogue's later cases)."""
    return matrix.loc[matrix["in_paper"].astype(bool)].reset_index(drop=True)


def _case_label(case: pd.Series) -> str:
    label = str(case["crisis_id"])
    if not bool(case["in_paper"]):
        label += BEYOND_PAPER_MARK
    if case["recoded"]:
        label += f" [recoded: {case['recoded']}]"
    return label


def _outcome_code(known: set[str]) -> str:
    if not known:
        return UNKNOWN
    return "C" if len(known) > 1 else known.pop()


def truth_table_view(truth: pd.DataFrame, caption: str | None = None) -> Table:
    """The truth table with plain-English headings and words for yes/no, for display."""
    conditions = [c for c in truth.columns if c not in _TABLE_COLUMNS]
    shown = truth.assign(contradictory=truth["contradictory"].map({True: "yes", False: "no"}))
    columns = {
        "row": "Row",
        **{c: CONDITION_LABELS.get(c, c) for c in conditions},
        "cases": "Cases",
        "case_ids": "Which cases",
        "outcome_values": "Deployed? (values seen)",
        "consistency": "Consistency",
        "outcome": "Outcome (C = contradictory)",
        "contradictory": "Contradictory?",
    }
    return table(shown, columns, caption=caption)


def describe_truth_table(table: pd.DataFrame) -> str:
    """The table's finding in words: how many configurations, where the deployments sit."""
    conditions = [c for c in table.columns if c not in _TABLE_COLUMNS]
    cases = int(table["cases"].sum())
    contradictory = table.loc[table["contradictory"], "row"].tolist()
    with_deployment = table.loc[table["deployments"] > 0]
    unknown_rows = int((table[conditions] == UNKNOWN).any(axis=1).sum())
    parts = [
        f"{cases} cases fall into {len(table)} observed configurations of "
        f"{len(conditions)} conditions."
    ]
    if with_deployment.empty:
        parts.append("No configuration went with a deployment.")
    for _, row in with_deployment.iterrows():
        present = [CONDITION_LABELS.get(c, c) for c in conditions if row[c] == PRESENT] or ["none"]
        parts.append(
            f"Row {row['row']} ({row['case_ids']}) had a deployment in {row['deployments']} of "
            f"{row['cases']} case(s); conditions present: {', '.join(present)}."
        )
    parts.append(
        f"Contradictory rows: {', '.join(map(str, contradictory))}."
        if contradictory
        else "No row is contradictory."
    )
    parts.append(f"Rows with at least one unknown coding: {unknown_rows}.")
    return " ".join(parts)


_TABLE_COLUMNS = {
    "row",
    "cases",
    "case_ids",
    "outcome_values",
    "deployments",
    "consistency",
    "outcome",
    "contradictory",
    "beyond_paper_cases",
}


def condition_summary(matrix: pd.DataFrame) -> pd.DataFrame:
    """Necessity and sufficiency of each condition (present, and absent) for a deployment.

    With X the cases showing the condition and Y those with a deployment: necessity consistency
    is |X and Y| / |Y| (how far deployments happened only with X), sufficiency consistency is
    |X and Y| / |X| (how far X always brought a deployment); each one's coverage is the other ratio.
    Cases whose coding or outcome is unknown are left out of that condition's figures, and counted.
    """
    rows = []
    for condition in matrix_conditions(matrix):
        known = matrix[condition].notna() & matrix[OUTCOME].notna()
        outcome = matrix.loc[known, OUTCOME].astype(bool)
        for presence, label in ((True, "present"), (False, "absent")):
            has = matrix.loc[known, condition].astype(bool) == presence
            both = int((has & outcome).sum())
            rows.append(
                {
                    "condition": condition,
                    "coded_as": label,
                    "cases_coded": int(known.sum()),
                    "cases_unknown": int((~known).sum()),
                    "cases_with_condition": int(has.sum()),
                    "deployments": int(outcome.sum()),
                    "both": both,
                    "necessity_consistency": _ratio(both, int(outcome.sum())),
                    "necessity_coverage": _ratio(both, int(has.sum())),
                    "sufficiency_consistency": _ratio(both, int(has.sum())),
                    "sufficiency_coverage": _ratio(both, int(outcome.sum())),
                }
            )
    summary = pd.DataFrame(rows)
    for column in [c for c in summary.columns if c.startswith(("necessity", "sufficiency"))]:
        summary[column] = summary[column].astype("Float64")
    return summary


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


def condition_summary_view(summary: pd.DataFrame) -> Table:
    """The necessity/sufficiency summary with plain-English headings, for display."""
    shown = summary.assign(condition=summary["condition"].map(lambda c: CONDITION_LABELS.get(c, c)))
    columns = {
        "condition": "Condition",
        "coded_as": "Condition is",
        "cases_coded": "Cases coded",
        "cases_unknown": "Cases unknown",
        "cases_with_condition": "Cases with it",
        "both": "...and deployed",
        "necessity_consistency": "Necessity: consistency",
        "necessity_coverage": "Necessity: coverage",
        "sufficiency_consistency": "Sufficiency: consistency",
        "sufficiency_coverage": "Sufficiency: coverage",
    }
    return table(shown, columns)


def condition_summary_chart(summary: pd.DataFrame) -> go.Figure:
    """Bars of necessity and sufficiency consistency for each condition when present."""
    present = summary.loc[summary["coded_as"] == "present"]
    fig = new_figure()
    for column, name, colour in (
        ("necessity_consistency", "necessity consistency", PALETTE[0]),
        ("sufficiency_consistency", "sufficiency consistency", PALETTE[1]),
    ):
        fig.add_trace(
            go.Bar(
                x=present["condition"].map(lambda c: CONDITION_LABELS.get(c, c)),
                y=present[column].astype(float),
                name=name,
                marker_color=colour,
                text=present[column].astype(float).map(lambda v: "n/a" if pd.isna(v) else f"{v}"),
                textposition="outside",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1.15])
    return style(
        fig,
        title="Is any single condition necessary or sufficient for a CSTO deployment?",
        x_label="Condition (present)",
        y_label="Consistency (0 to 1)",
        description=describe_condition_summary(summary),
    )


def describe_condition_summary(summary: pd.DataFrame) -> str:
    """Which conditions pass necessity, and how close any comes to sufficiency, in words."""
    present = summary.loc[summary["coded_as"] == "present"]
    deployments = int(present["deployments"].max()) if len(present) else 0
    if deployments == 0:
        return "No case with a known coding had a deployment, so necessity cannot be judged."
    present = present.assign(
        condition=present["condition"].map(lambda c: CONDITION_LABELS.get(c, c))
    )
    necessary = present.loc[present["necessity_consistency"] == 1, "condition"].tolist()
    best = present.sort_values(
        ["sufficiency_consistency", "condition"], ascending=[False, True], na_position="last"
    ).iloc[0]
    return (
        f"Deployments with known codings: {deployments}. Present in every one of them "
        f"(necessity consistency 1.0): {', '.join(necessary) or 'none'}. Highest sufficiency "
        f"consistency: {best['condition']} at {best['sufficiency_consistency']} "
        f"({best['both']} of {best['cases_with_condition']} cases with it saw a deployment)."
    )


def coding_chart(grid: pd.DataFrame, title: str) -> go.Figure:
    """Draw ``crises.conditions_grid`` (crisis by condition, in words) as a labelled grid."""
    columns = [c for c in grid.columns if c != "Crisis"]
    long = grid.melt(id_vars=["Crisis"], value_vars=columns, var_name="column", value_name="coded")
    deployed = grid.loc[grid[columns[-1]] == "yes", "Crisis"].tolist()
    unclear = int(grid[columns[:-1]].isin(["unclear", "not coded"]).sum().sum())
    return category_grid(
        long.loc[long["coded"] != MISSING],
        row="Crisis",
        column="column",
        category="coded",
        order=["yes", "no", "unclear"],
        row_order=list(grid["Crisis"]),
        column_order=columns,
        title=title,
        x_label=f"Condition (last column, {columns[-1]!r}, is the outcome)",
        y_label="Crisis",
        description=(
            f"{len(grid)} crises coded on {len(columns) - 1} conditions. Forces sent in "
            f"{len(deployed)}: {', '.join(deployed) or 'none'}. Cells the paper leaves unclear or "
            f"uncoded: {unclear} of {len(grid) * (len(columns) - 1)}."
        ),
    )


def fit_with_paper(matrix: pd.DataFrame) -> pd.DataFrame:
    """Do the cases after the paper behave as the paper's own cases would lead one to expect?

    Two checks, both computed only from the paper's cases. First, the conditions present in every
    deployment the paper discusses: a later case lacking one of them should see no deployment,
    and one having all of them should see one. Second, the paper's cases most like the later
    case: those that agree with it on every condition coded in both, with their outcomes.
    """
    conditions = matrix_conditions(matrix)
    paper = matrix.loc[matrix["in_paper"].astype(bool)]
    deployed = paper.loc[paper[OUTCOME].fillna(False).astype(bool)]
    needed = [c for c in conditions if len(deployed) and deployed[c].fillna(False).all()]
    rows = []
    for _, case in matrix.loc[~matrix["in_paper"].astype(bool)].iterrows():
        lacking = [c for c in needed if code(case[c]) == ABSENT]
        unknown = [c for c in needed if code(case[c]) == UNKNOWN]
        alike = [
            f"{other['crisis_id']} ({code(other[OUTCOME])})"
            for _, other in paper.iterrows()
            if _agree(case, other, conditions)
        ]
        rows.append(
            {
                "crisis_id": case["crisis_id"],
                "configuration": " ".join(f"{c}={code(case[c])}" for c in conditions),
                "deployed": code(case[OUTCOME]),
                "lacks": ", ".join(lacking) or "none",
                "unknown": ", ".join(unknown) or "none",
                "expected": _expected(lacking, unknown, bool(needed)),
                "verdict": _verdict(_expected(lacking, unknown, bool(needed)), case[OUTCOME]),
                "paper_cases_alike": "; ".join(sorted(alike)) or "none",
            }
        )
    columns = [
        "crisis_id",
        "configuration",
        "deployed",
        "lacks",
        "unknown",
        "expected",
        "verdict",
        "paper_cases_alike",
    ]
    return pd.DataFrame(rows, columns=columns)


def fit_view(fit: pd.DataFrame, caption: str | None = None) -> Table:
    """The fit of the later cases with plain-English headings, for display."""
    columns = {
        "crisis_id": "Later case",
        "configuration": "Its coding",
        "deployed": "Deployed?",
        "lacks": "Lacks (had by every deployment in the paper)",
        "unknown": "Unknown among those",
        "expected": "On the paper's cases, expect",
        "verdict": "Fits?",
        "paper_cases_alike": "Paper's cases coded alike (their outcome)",
    }
    return table(fit, columns, caption=caption)


def _agree(case: pd.Series, other: pd.Series, conditions: list[str]) -> bool:
    """True if two cases agree on every condition coded in both (and share at least one)."""
    both = [c for c in conditions if code(case[c]) != UNKNOWN and code(other[c]) != UNKNOWN]
    return bool(both) and all(code(case[c]) == code(other[c]) for c in both)


def _expected(lacking: list[str], unknown: list[str], any_deployment: bool) -> str:
    if not any_deployment:
        return EXPECTATIONS[2]
    if lacking:
        return EXPECTATIONS[0]
    return EXPECTATIONS[2] if unknown else EXPECTATIONS[1]


def _verdict(expected: str, outcome: object) -> str:
    if expected == EXPECTATIONS[2] or code(outcome) == UNKNOWN:
        return FIT_VERDICTS[2]
    deployed = code(outcome) == PRESENT
    return FIT_VERDICTS[0] if deployed == (expected == EXPECTATIONS[1]) else FIT_VERDICTS[1]


def recoded_view(
    matrix: pd.DataFrame,
    base_recode: Mapping[str, Mapping[str, bool]],
    case: str,
    condition: str,
    value: bool,
) -> Table:
    """The truth table after one more recoding on top of ``base_recode``, captioned in words.

    The widget and a papermill run share this one path (``apply_recode`` then ``truth_table``),
    so what the reader sees in the widget is exactly what the parameter would give. Recodings of
    crises not in ``matrix`` (e.g. later cases when only the paper's are shown) are left aside.
    """
    shown = set(matrix["crisis_id"])
    recode = {key: dict(changes) for key, changes in base_recode.items() if key in shown}
    recode.setdefault(case, {})[condition] = value
    before = matrix.loc[matrix["crisis_id"] == case, condition].iloc[0]
    truth = truth_table(apply_recode(matrix, recode))
    name = matrix.loc[matrix["crisis_id"] == case, "name"].iloc[0]
    label = CONDITION_LABELS.get(condition, condition)
    caption = (
        f"{name}: \u201c{label}\u201d coded {CODE_WORDS[code(before)]} in the data, recoded to "
        f"{CODE_WORDS[code(value)]}. " + describe_truth_table(truth)
    )
    return truth_table_view(truth, caption=caption)


def recode_explorer(
    matrix: pd.DataFrame,
    base_recode: Mapping[str, Mapping[str, bool]],
    start: tuple[str, str, bool],
) -> object:
    """A widget: choose a case, a condition and a value, and see the truth table redrawn.

    ``start`` is the (case, condition, value) the controls open on, so the notebook can show the
    same choice as a static result for readers without a live kernel.
    """
    import ipywidgets as widgets

    from helpers.explore import explorer

    case, condition, value = start
    return explorer(
        lambda case, condition, value: recoded_view(matrix, base_recode, case, condition, value),
        case=widgets.Dropdown(
            options=[
                (f"{r['crisis_id']}: {r['name']}", r["crisis_id"]) for _, r in matrix.iterrows()
            ],
            value=case,
            description="Case",
        ),
        condition=widgets.Dropdown(
            options=[(CONDITION_LABELS.get(c, c), c) for c in matrix_conditions(matrix)],
            value=condition,
            description="Condition",
        ),
        value=widgets.Dropdown(
            options=[("true (1)", True), ("false (0)", False)],
            value=value,
            description="Recode to",
        ),
    )
