"""Declarative data-question solutions: interpreted, never executed; the pandas shown in the key
computes the same answer; a bank naming what the kit does not know is refused with its field."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.data import load_all
from helpers.exercises import BankError, DataCheckError, bank_names, load_bank
from helpers.exercises.key import main as key
from helpers.exercises.questions import parse_question
from helpers.exercises.solutions import AGGREGATES, OPERATORS, PER_GROUP, parse_solution
from tests.exercise_samples import plain_bank, write_bank

REPO = Path(__file__).resolve().parents[1]

# The Python solutions the banks held before they became declarative, kept here (and run only
# here, by the tests) to show that each converted question computes the same answer.
FORMER_SOLUTIONS = {
    "00_demo/crises_deployed": 'answer = int(crises["csto_deployed"].sum())',
    "01_history/undated_institutions": (
        'answer = int(bodies["established"].isna().sum() + programmes["start"].isna().sum())'
    ),
    "01_history/cow_uzbekistan_years": (
        'answer = int(((cow_igo["iso3"] == "UZB") & (cow_igo["igo_status"] == 1)).sum())'
    ),
    "02_structure/russia_peak_year": """
members = membership[membership["framework"].isin(["treaty", "organisation"])
                     & (membership["status"] == "member")]
first = members["start"].str[:4].astype(int)
last = members["end"].fillna(members["as_of"]).str[:4].astype(int)
member_years = pd.DataFrame(
    [(iso3, year) for iso3, a, b in zip(members["iso3"], first, last)
     for year in range(a, b + 1)],
    columns=["iso3", "year"],
).drop_duplicates()
spending = member_years.merge(cow_nmc[["iso3", "year", "milex"]], on=["iso3", "year"])
spending = spending[spending["year"].between(2002, 2022)]
total = spending.groupby("year")["milex"].sum()
russia = spending[spending["iso3"] == "RUS"].set_index("year")["milex"]
answer = str((russia / total).idxmax())
""",
    "02_structure/bilateral_presence": """
bilateral = russian_presence[russian_presence["framework"] == "russia_bilateral"]
answer = int(bilateral["host_iso3"].nunique())
""",
    "03_non_intervention/requests_not_met": """
asked = crises["before_2022"] & crises["requester_iso3"].notna()
answer = int((asked & ~crises["csto_deployed"]).sum())
""",
    "03_non_intervention/nobody_asked": (
        'answer = int((crises["before_2022"] & crises["requester_iso3"].isna()).sum())'
    ),
    "04_armenia/disputes_won": """
paper = armenia_disputes[armenia_disputes["in_paper"].fillna(False)]
answer = int(paper["got_what_it_asked"].fillna(False).sum())
""",
    "04_armenia/chair_2021": """
outside = chairmanships[~chairmanships["in_paper"].fillna(False)]
first = outside["start"].str[:4].astype(int)
last = outside["end"].fillna(outside["start"]).str[:4].astype(int)
answer = ";".join(sorted(outside.loc[(first <= 2021) & (last >= 2021), "iso3"]))
""",
    "05_kazakhstan/contributors_disagree": """
kaz = deployment_figures[(deployment_figures["deployment_id"] == "kaz_2022_csto")
                         & (deployment_figures["scope"] == "country")]
answer = int((kaz.groupby("iso3").size() > 1).sum())
""",
    "05_kazakhstan/sum_of_highest": """
kaz = deployment_figures[(deployment_figures["deployment_id"] == "kaz_2022_csto")
                         & (deployment_figures["scope"] == "country")]
answer = int(kaz.groupby("iso3")["value_best"].max().sum())
""",
    "06_ukraine/belarus_in_data": """
rows = stances[(stances["issue"] == "ukraine_2022")
               & (stances["stance"] == "military_support_outside_csto")]
answer = ";".join(sorted(rows["iso3"]))
""",
    "06_ukraine/group_rows": """
before = stances["issue"].isin(["georgia_2008", "crimea_2014", "donbas_2014"])
answer = int((before & (stances["stance"] == "declined_to_back_russia")).sum())
""",
    "07_synthesis/only_deployment": """
deployed = crises.loc[crises["csto_deployed"].fillna(False), "crisis_id"]
answer = ";".join(sorted(deployed))
""",
    "07_synthesis/configurations": """
from helpers import qca
matrix = qca.paper_cases(qca.condition_matrix(crisis_conditions, crises))
answer = len(qca.truth_table(matrix))
""",
    "07_synthesis/contradictions": """
from helpers import qca
truth = qca.truth_table(qca.condition_matrix(crisis_conditions, crises))
answer = int(truth["contradictory"].sum())
""",
}


def run_python(code: str, tables: dict[str, pd.DataFrame]) -> object:
    """Run trusted test code (never bank text) the way a learner runs it in a cell."""
    namespace: dict[str, object] = {"pd": pd, **tables}
    exec(code, namespace)  # test-only: the former solutions and the generated pandas
    value = namespace["answer"]
    return value.item() if hasattr(value, "item") else value


@pytest.fixture(scope="module")
def course_tables():
    """The course dataset, loaded and validated once for this module (a copy per request)."""
    frames = load_all()
    return lambda name: frames[name].copy()


def data_questions():
    for name in bank_names():
        for question in load_bank(name).questions:
            if question.kind == "data":
                yield pytest.param(name, question, id=f"{name}/{question.id}")


@pytest.mark.parametrize(("bank", "question"), list(data_questions()))
def test_the_pandas_shown_in_the_key_gives_the_interpreted_answer(bank, question, course_tables):
    tables = course_tables
    frames = {name: tables(name) for name in question.solution.tables}
    shown = question.solution.pandas().replace("from helpers.data import load_table\n", "")
    shown = re.sub(r'^\w+ = load_table\("\w+"\)\n', "", shown, flags=re.MULTILINE)
    assert question.normalize(run_python(shown, frames)) == question.expected(tables)


@pytest.mark.parametrize("where", list(FORMER_SOLUTIONS))
def test_each_converted_solution_gives_the_former_answer(where, course_tables):
    bank, question_id = where.split("/")
    question = load_bank(bank).question(question_id)
    tables = course_tables
    frames = {name: tables(name) for name in question.tables}
    former = run_python(FORMER_SOLUTIONS[where], frames)
    assert question.normalize(former) == question.expected(tables)


FRAME = pd.DataFrame({
    "id": pd.Series(["a", "b", "c", "d", "e"], dtype="string"),
    "group": pd.Series(["x", "x", "y", None, "y"], dtype="string"),
    "flag": pd.Series([True, None, False, True, True], dtype="boolean"),
    "n": pd.Series([1, 2, None, 4, 4], dtype="Int64"),
    "start": pd.Series(["2019-05", "2021", None, "2022-01-06", "2020"], dtype="string"),
    "end": pd.Series([None, "2021-12", "2023", None, "2020"], dtype="string"),
})
VALUES = {"==": "x", "!=": "x", "<": 3, "<=": 2, ">": 1, ">=": 4, "in": ["x", "z"],
          "not in": ["x"]}


def case(solution: dict) -> tuple[object, object]:
    """The interpreted answer and the answer of the pandas shown for it, on FRAME."""
    parsed = parse_solution(solution, "t.yaml, question 'q'", ("t",),
                            "text" if solution.get("aggregate") == "joined" else "number")
    interpreted = parsed.compute(lambda name: FRAME.copy())
    shown = "\n".join(parsed.form.code())
    return interpreted, run_python(shown, {"t": FRAME.copy()})


@pytest.mark.parametrize("op", list(OPERATORS))
def test_each_operator_matches_the_pandas_shown_for_it(op):
    column = "n" if op in ("<", "<=", ">", ">=") else "flag" if "true" in op or "false" in op \
        else "group"
    spec = {"column": column, "op": op}
    if op in VALUES:
        spec["value"] = VALUES[op]
    interpreted, shown = case({"table": "t", "filters": [spec], "aggregate": "count"})
    assert interpreted == shown
    if op in ("is missing", "==", "!="):
        assert interpreted == {"is missing": 1, "==": 2, "!=": 2}[op], "missing never matches"


@pytest.mark.parametrize("aggregate", [a for a in AGGREGATES if a != "share"])
def test_each_aggregate_matches_the_pandas_shown_for_it(aggregate):
    column = {} if aggregate == "count" else {"column": "n" if aggregate not in (
        "joined", "repeated", "nunique") else "group"}
    interpreted, shown = case({"table": "t", "aggregate": aggregate, **column})
    assert interpreted == shown or (pd.isna(interpreted) and pd.isna(shown))


def test_share_and_grouping_and_year_ranges_match_the_pandas_shown():
    assert case({"table": "t", "column": "flag", "aggregate": "share"}) == (0.6, 0.6)
    for per_group in PER_GROUP:
        spec = {"table": "t", "group_by": "group", "per_group": per_group, "aggregate": "sum"}
        if per_group != "count":
            spec["column"] = "n"
        interpreted, shown = case(spec)
        assert interpreted == shown, per_group
    active_2021 = {"table": "t", "column": "id", "aggregate": "joined", "filters": [
        {"column": "start", "year": True, "op": "<=", "value": 2021},
        {"column": "end", "if_missing": "start", "year": True, "op": ">=", "value": 2021}]}
    assert case(active_2021) == ("b", "b")


def test_a_sum_of_queries_adds_their_numbers():
    parts = [{"table": "t", "filters": [{"column": "flag", "op": "is true"}], "aggregate": "count"},
             {"table": "t", "column": "n", "aggregate": "max"}]
    parsed = parse_solution({"sum_of": parts}, "t.yaml, question 'q'", ("t",), "number")
    assert parsed.compute(lambda name: FRAME) == 3 + 4
    assert run_python("\n".join(parsed.form.code()), {"t": FRAME}) == 7


BASE = {"table": "crises", "filters": [{"column": "year", "op": "<", "value": 2022}],
        "aggregate": "count"}


@pytest.mark.parametrize(
    ("solution", "field", "expected"),
    [
        ("answer = 2", "solution", "a declarative solution"),
        ("import os; os.system('touch /tmp/pwned')", "solution", "code is never run"),
        ([BASE], "solution", "a declarative solution"),
        ({**BASE, "table": "bodies"}, "tables", "every table the solution reads"),
        ({**BASE, "aggregate": "median"}, "solution.aggregate", "one of count, sum"),
        ({**BASE, "filters": [{"column": "year", "op": "~=", "value": 1}]},
         "solution.filters[0].op", "one of ==, !=, <"),
        ({**BASE, "filters": [{"column": "year; drop", "op": "==", "value": 1}]},
         "solution.filters[0].column", "a column or table name"),
        ({**BASE, "filters": [{"column": "year", "op": "==", "value": {"x": 1}}]},
         "solution.filters[0].value", "a plain value"),
        ({**BASE, "filters": [{"column": "year", "op": "is missing", "value": 1}]},
         "solution.filters[0].value", "no value with 'is missing'"),
        ({**BASE, "filters": [{"column": "year", "op": "in", "value": "x"}]},
         "solution.filters[0].value", "a list of 1 to 50 plain values"),
        ({**BASE, "filters": "year < 2022"}, "solution.filters", "a list of at most 50 filters"),
        ({**BASE, "filters": [["year", "<", 2022]]}, "solution.filters[0]", "a mapping"),
        ({**BASE, "code": "x"}, "solution.code", "only the fields table, filters"),
        ({**BASE, "aggregate": "joined", "column": "crisis_id"}, "answer_type", "'text'"),
        ({**BASE, "aggregate": "sum"}, "solution.column", "a column or table name"),
        ({"compute": "os.system"}, "solution.compute", "one of russia_peak_share_year"),
        ({"compute": "qca_contradictions", "arguments": {"paper_cases_only": "yes"}},
         "solution.arguments.paper_cases_only", "true or false"),
        ({"compute": "qca_contradictions", "arguments": {"paper_cases_only": True, "x": 1}},
         "solution.arguments.x", "only the fields paper_cases_only"),
        ({"sum_of": [BASE]}, "solution.sum_of", "a list of 2 to 5 queries"),
    ],
)
def test_a_solution_the_kit_does_not_know_is_refused_naming_file_question_and_field(
    solution, field, expected
):
    entry = {**plain_bank()["questions"][6], "solution": solution}
    with pytest.raises(BankError) as caught:
        parse_question(entry, "sample.yaml")
    message = str(caught.value)
    assert message.startswith(f"sample.yaml, question 'before_2022', field {field!r}: "), message
    assert expected in message


def test_an_unknown_table_or_column_is_a_bank_error_when_computed():
    def without(name: str) -> pd.DataFrame:
        raise KeyError(f"No table {name!r}")

    question = parse_question(plain_bank()["questions"][6], "sample.yaml")
    with pytest.raises(BankError, match=r"sample.yaml, question 'before_2022', field 'solution': "
                                        r"no table 'crises' in the dataset"):
        question.expected(without)
    with pytest.raises(BankError, match=r"field 'solution.filters\[0\].column': no column 'year'"):
        question.expected(lambda name: FRAME)


def test_a_true_false_test_on_a_text_column_names_the_field():
    entry = {**plain_bank()["questions"][6],
             "solution": {"table": "crises", "filters": [{"column": "crisis_id", "op": "is true"}],
                          "aggregate": "count"}}
    question = parse_question(entry, "sample.yaml")
    with pytest.raises(BankError, match=r"field 'solution.filters\[0\].op': expected a true/false "
                                        r"column for 'is true'"):
        question.expected(lambda name: pd.DataFrame({"crisis_id": ["a"]}))


def test_a_failing_computation_is_a_data_check_error_naming_the_field():
    entry = {**plain_bank()["questions"][6],
             "solution": {"table": "crises", "column": "year", "aggregate": "share"}}
    question = parse_question(entry, "sample.yaml")
    with pytest.raises(DataCheckError, match=r"field 'solution.aggregate': the answer could not"):
        question.expected(lambda name: pd.DataFrame({"year": ["a", "b"]}))


def test_a_bank_with_code_as_its_solution_runs_nothing(tmp_path, capsys):
    marker = tmp_path / "pwned"
    plain = plain_bank()
    plain["questions"][6] = {**plain["questions"][6],
                             "solution": f"import os; os.system('touch {marker}')"}
    banks = tmp_path / "banks"
    banks.mkdir()
    # Written as an outside author would: sealed by hand, bypassing the seal command's check.
    from helpers.exercises.bank import dump_yaml, encode_key

    secrets = {q["id"]: {k: v for k, v in q.items() if k in ("solution", "explanation",
                                                            "answer", "model_answer")}
               for q in plain["questions"]}
    visible = [{k: v for k, v in q.items() if k not in ("solution", "explanation", "answer",
                                                        "model_answer")}
               for q in plain["questions"]]
    sealed = {**{k: v for k, v in plain.items() if k != "questions"}, "questions": visible,
              "key": encode_key(secrets)}
    (banks / "sample.yaml").write_text(dump_yaml(sealed), encoding="utf-8")
    assert key(["--out", str(tmp_path / "key.html"), "--banks-dir", str(banks)]) == 1
    error = capsys.readouterr().err
    assert "sample.yaml, question 'before_2022', field 'solution'" in error
    assert "code is never run" in error
    assert not marker.exists()
    assert not (tmp_path / "key.html").exists()


def test_no_code_execution_anywhere_in_the_course_package():
    pattern = re.compile(r"(?<![.\w])(exec|eval|compile|__import__)\s*\(")
    offenders = [f"{path.relative_to(REPO)}:{number}"
                 for path in (REPO / "src").rglob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []


def test_sample_bank_still_seals_with_a_declarative_solution(tmp_path):
    bank = load_bank("sample", write_bank(tmp_path).parent)
    assert bank.question("before_2022").solution.tables == ("crises",)
