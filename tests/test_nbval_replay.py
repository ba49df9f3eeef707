"""nbval, handed the session's shared run instead of a kernel, still checks what it checked."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

pytest_plugins = ["pytester"]


def tagged(source: str, stored: str) -> nbformat.NotebookNode:
    cell = new_code_cell(source, execution_count=1)
    cell.metadata["tags"] = ["nbval-check-output"]
    cell.outputs = [new_output("stream", name="stdout", text=stored)]
    return cell


def write(pytester: pytest.Pytester, name: str, *cells: nbformat.NotebookNode) -> None:
    notebook = new_notebook(cells=list(cells))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, pytester.path / name)


@pytest.mark.notebook
def test_outputs_are_compared_errors_fail_and_cells_after_an_error_are_not_run(
    pytester: pytest.Pytester,
):
    write(pytester, "same.ipynb", new_code_cell("x = 1"), tagged("print(x + 1)", "2\n"))
    write(pytester, "differs.ipynb", tagged("print(3)", "4\n"))
    write(
        pytester,
        "raises.ipynb",
        new_code_cell("raise ValueError('broken on purpose')"),
        tagged("print(5)", "5\n"),
    )
    result = pytester.runpytest_inprocess("--nbval-lax", "-p", "no:cacheprovider", "-rf")
    result.assert_outcomes(passed=2, failed=3)
    failures = result.stdout.str()
    assert "differs.ipynb::Cell 0" in failures
    assert "raises.ipynb::Cell 0" in failures
    assert "did not reach this cell (cell 0 raised ValueError)" in failures
