"""A tiny synthetic course for the runner tests: small notebooks that start fast.

The real notebooks are slow and change often; these cover each behaviour the runner must handle:
a ``parameters`` cell, an exercise notebook, a plotly figure next to a widget, and an error.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

MEMBERS = "notebooks/00_members.ipynb"
EXERCISES = "exercises/00_members_exercises.ipynb"
CHART = "notebooks/01_chart.ipynb"
BROKEN = "notebooks/02_broken.ipynb"


# Lets a test make this notebook finish after something else: it waits (at most two minutes)
# until a file matching the glob ``wait_for`` exists and holds ``wait_text``, such as another
# notebook's executed copy in its final form.
_WAIT_FOR = """import glob, time
def _done():
    for name in glob.glob(wait_for):
        try:
            with open(name, encoding="utf-8") as file:
                if wait_text in file.read():
                    return True
        except OSError:
            pass
    return False
deadline = time.monotonic() + 120
while wait_for and not _done():
    if time.monotonic() > deadline:
        raise TimeoutError(f"nothing matched {wait_for}")
    time.sleep(0.1)
"""


def make_course(root: Path) -> Path:
    """Write the synthetic course under ``root`` and return ``root``."""
    _write(
        root / MEMBERS,
        new_markdown_cell("# Members *and* years\n\nSome prose."),
        _parameters("country: str = 'ARM'\nyear = 2022\nwait_for: str = ''\nwait_text: str = ''"),
        new_code_cell(_WAIT_FOR + "print(f'Country {country} in {year}')"),
    )
    _write(
        root / EXERCISES,
        new_markdown_cell("# Exercises on members"),
        _parameters("answers = None"),
        new_code_cell(
            "import os\nprint('answers parameter:', answers)\n"
            "print('answers folder:', os.environ.get('CSTO_ANSWERS_DIR'))"
        ),
    )
    _write(
        root / CHART,
        new_markdown_cell("# A chart of members"),
        new_code_cell(
            "import ipywidgets as widgets\n"
            "import plotly.graph_objects as go\n"
            "import plotly.io as pio\n"
            "pio.renderers.default = 'plotly_mimetype'\n"
            "figure = go.Figure(go.Bar(x=['ARM', 'KAZ'], y=[1, 2]))\n"
            "figure.update_layout(title='Members', xaxis_title='Country', yaxis_title='Count')\n"
            "figure.show()\n"
            "display(widgets.IntSlider(value=3, description='Year'))\n"
            "print('static default result')"
        ),
    )
    _write(
        root / BROKEN,
        new_markdown_cell("# A broken notebook"),
        new_code_cell("x = 1"),
        new_code_cell("x / 0"),
        new_code_cell("print('never reached')"),
    )
    return root


def _parameters(source: str) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    return cell


def _write(path: Path, *cells: nbformat.NotebookNode) -> None:
    notebook = new_notebook(cells=list(cells))
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
