"""Every core notebook runs headless under papermill: defaults, other parameters, bad parameters.

Each notebook's cases live in tests/notebook_cases/<notebook stem>.yaml:

    alternate:            # one or more other parameter sets that must run cleanly
      - {start_year: 2002, end_year: 2012}
    bad:                  # parameter sets that must stop early with a message
      - params: {start_year: 1980}
        message: "start_year=1980"

nbval (collected from notebooks/ by pytest's testpaths) separately checks that the stored
outputs of the cells tagged ``nbval-check-output`` match a fresh run.
"""

from __future__ import annotations

from pathlib import Path

import papermill as pm
import pytest
import yaml

from tests.notebook_runs import execute

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CASES = REPO / "tests" / "notebook_cases"


def cases(notebook: Path) -> dict:
    path = CASES / f"{notebook.stem}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def run(notebook: Path, output: Path, parameters: dict) -> None:
    execute(notebook, output, parameters)


RUNS = [
    pytest.param(nb, params, id=f"{nb.stem}-{params or 'default'}")
    for nb in NOTEBOOKS
    for params in [{}, *cases(nb).get("alternate", [])]
]
BAD = [
    pytest.param(nb, case["params"], case["message"], id=f"{nb.stem}-bad-{case['params']}")
    for nb in NOTEBOOKS
    for case in cases(nb).get("bad", [])
]


def test_every_notebook_has_cases():
    missing = [
        nb.name for nb in NOTEBOOKS if not cases(nb).get("alternate") or not cases(nb).get("bad")
    ]
    assert not missing, f"notebooks without alternate and bad parameter cases: {missing}"


@pytest.mark.notebook
@pytest.mark.parametrize(("notebook", "parameters"), RUNS)
def test_notebook_runs(notebook: Path, parameters: dict, tmp_path: Path):
    output = tmp_path / notebook.name
    run(notebook, output, parameters)
    executed = output.read_text(encoding="utf-8")
    assert '"output_type": "error"' not in executed


@pytest.mark.notebook
@pytest.mark.parametrize(("notebook", "parameters", "message"), BAD)
def test_bad_parameter_stops_with_a_message(
    notebook: Path, parameters: dict, message: str, tmp_path
):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        run(notebook, tmp_path / notebook.name, parameters)
    assert caught.value.ename == "ParameterError"
    assert message in caught.value.evalue
    assert caught.value.exec_count <= 4, "a bad parameter must stop the notebook in its first cells"
