"""A tiny course with executed notebooks, as the runner leaves them, for testing the site alone.

No kernel runs: the outputs are written here as papermill would store them (a plotly figure with
its printed description, widget views, a quiz with its bank), so the site build can be tested in
seconds. Each piece of text a test looks for is distinctive.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.site.outputs import PLOTLY_MIMETYPE
from helpers.widget_views import WIDGET_VIEW

INTRO = "notebooks/00_intro.ipynb"
CHART = "notebooks/01_chart.ipynb"
EXERCISES = "exercises/00_intro_exercises.ipynb"
FIGURE_TITLE = "Members by year"
FIGURE_DESCRIPTION = "Two bars: Armenia 1, Kazakhstan 2."

# The bank's public text (must be on the exercise page) and its secrets (must be nowhere).
BANK = {
    "bank": "00_intro",
    "title": "Members, in questions",
    "notebook": "00_intro_exercises.ipynb",
    "questions": [
        {
            "id": "host",
            "type": "single",
            "prompt": "Which <b>state</b> hosts the 201st base?",
            "options": {"a": "Tajikistan & co", "b": "Belarus"},
            "answer": "a",
            "hint": "HINT-ONE look at the bases table",
            "source": "Weitz 2022, Background.",
            "explanation": "EXPLANATION-ONE the base is in Tajikistan",
            "option_feedback": {"b": "FEEDBACK-ONE Belarus hosts no such base"},
        },
        {
            "id": "founders",
            "type": "multiple",
            "prompt": "Which states signed the treaty in 1992?",
            "options": {"a": "Armenia", "b": "Georgia", "c": "Kazakhstan"},
            "answer": ["a", "c"],
            "hint": "HINT-TWO two of the three",
            "source": "Weitz 2022, Background.",
            "explanation": "EXPLANATION-TWO Armenia and Kazakhstan signed in Tashkent",
        },
        {
            "id": "order",
            "type": "ordering",
            "prompt": "Put these in order, earliest first.",
            "items": {"charter": "The Charter is signed", "treaty": "The treaty is signed"},
            "answer": ["treaty", "charter"],
            "hint": "HINT-THREE ten years apart",
            "source": "Weitz 2022, Background.",
            "explanation": "EXPLANATION-THREE treaty 1992, Charter 2002",
        },
        {
            "id": "roles",
            "type": "matching",
            "prompt": "Match each person to a role.",
            "left": {"zas": "Stanislav Zas", "pashinyan": "Nikol Pashinyan"},
            "right": {"sg": "Secretary General", "pm": "Prime Minister of Armenia"},
            "answer": {"zas": "sg", "pashinyan": "pm"},
            "hint": "HINT-FOUR one is Armenian",
            "source": "Weitz 2022, The Armenian connection.",
            "explanation": "EXPLANATION-FOUR Zas led the secretariat",
        },
        {
            "id": "force",
            "type": "numeric",
            "prompt": "How many people did the force sent to Kazakhstan number?",
            "unit": "people",
            "answer": 2500,
            "relative_tolerance": 0.1,
            "hint": "HINT-FIVE about two and a half thousand",
            "source": "Weitz 2022, Kazakhstan.",
            "explanation": "EXPLANATION-FIVE about 2,500 people",
            "wrong_feedback": {5000: "FEEDBACK-FIVE that is the rapid deployment force"},
        },
        {
            "id": "why",
            "type": "reflection",
            "prompt": "Why did the organisation stay out of Armenia's conflicts?",
            "source": "Weitz 2022, The Armenian connection.",
            "model_answer": "MODEL-ANSWER the members said it was outside Armenia's territory",
        },
    ],
}
SECRETS = [
    "HINT-ONE", "EXPLANATION-ONE", "FEEDBACK-ONE", "HINT-TWO", "EXPLANATION-TWO", "HINT-THREE",
    "EXPLANATION-THREE", "HINT-FOUR", "EXPLANATION-FOUR", "HINT-FIVE", "EXPLANATION-FIVE",
    "FEEDBACK-FIVE", "MODEL-ANSWER",
]  # fmt: skip


def make_site_course(root: Path) -> Path:
    """Write the course and its executed copies under ``root/build``; return ``root``."""
    _text(root / "data" / "README.md", "# The codebook\n\n### members\n\nOne row per member.\n")
    _text(root / "data" / "members.csv", "iso3,joined\nARM,1992\n")
    _text(root / "TERMS.md", "# Terms of use\n\nThe data: see [the codebook](data/README.md).\n")
    _text(
        root / "guide" / "teachers_guide.md",
        "# Teacher's guide\n\nHand out [the exercises](../exercises/00_intro_exercises.ipynb).\n",
    )
    _text(root / "LICENSE", "MIT\n")
    _seal_bank(root)
    for relpath, cells in _notebooks().items():
        for folder in (root, root / "build"):
            _notebook(folder / relpath, cells)
    return root


def _notebooks() -> dict[str, list]:
    parameters = new_code_cell("country = 'ARM'", execution_count=1)
    parameters.metadata["tags"] = ["parameters"]
    said = new_code_cell("print(leader)", execution_count=2)
    said.outputs = [new_output("stream", name="stdout", text="Pashinyan leads the government\n")]
    figure = {
        "data": [{"type": "bar", "x": ["ARM", "KAZ"], "y": [1, 2]}],
        "layout": {"title": {"text": f"<b>{FIGURE_TITLE}</b>"}, "template": {}},
    }
    chart = new_code_cell("show(chart)", execution_count=1)
    chart.outputs = [
        new_output(
            "display_data",
            data={PLOTLY_MIMETYPE: figure, "text/plain": f"Chart: {FIGURE_TITLE}. ..."},
        ),
        new_output("stream", name="stdout", text=f"Chart description: {FIGURE_DESCRIPTION}\n"),
    ]
    slider = new_code_cell("explorer()", execution_count=2)
    slider.outputs = [
        new_output(
            "execute_result",
            data={WIDGET_VIEW: {"model_id": "a1"}, "text/plain": "IntSlider(value=3)"},
            execution_count=2,
        )
    ]
    table = new_code_cell("table_view()", execution_count=3)
    table.outputs = [
        new_output(
            "display_data",
            data={
                WIDGET_VIEW: {"model_id": "b2"},
                "text/plain": "VBox()",
                "text/html": "<p>The static table of members</p>",
            },
        )
    ]
    quiz = new_code_cell('quiz = load_quiz("00_intro", answers=answers)\nquiz.show()')
    quiz.outputs = [
        new_output(
            "display_data",
            data={WIDGET_VIEW: {"model_id": "q"}, "text/plain": "VBox(children=...)"},
        )
    ]
    score = new_code_cell("quiz.show_score()", execution_count=2)
    score.outputs = [new_output("stream", name="stdout", text="Score: 0 out of 5\n")]
    answers = new_code_cell("answers = None", execution_count=0)
    answers.metadata["tags"] = ["parameters"]
    return {
        INTRO: [
            new_markdown_cell(
                "# Introducing the members\n\n## Overview\n\nWhat the notebook is about.\n\n"
                "**Learning objectives.** After this notebook you can:\n\n"
                "- read a chart of members;\n- find a member in the codebook.\n\n"
                "## Prerequisites and time\n\n- [The codebook](../data/README.md#members).\n"
            ),
            parameters,
            said,
            new_markdown_cell(
                "## Discussion questions\n\n1. Why did some states leave?\n\n"
                "## Key points\n\n- Membership changed over time.\n\n## What's next\n\n"
                "- [Exercises for this notebook](../exercises/00_start_here_exercises.ipynb)\n"
                "- Next: [the chart](01_chart.ipynb)\n- The [licence text](../LICENSE)\n"
                "- A [vanished page](../missing.md)\n"
            ),
        ],
        EXERCISES: [
            new_markdown_cell("# Exercises 00: members\n\nThe questions."),
            answers,
            quiz,
            score,
            new_markdown_cell(
                "## What's next\n\n- Back to [the notebook](../notebooks/00_intro.ipynb)"
            ),
        ],
        CHART: [new_markdown_cell("# A chart of members"), chart, slider, table],
    }


def _seal_bank(root: Path) -> None:
    plain = root.parent / f"{root.name}-plain-bank.yaml"
    _text(plain, yaml.safe_dump(BANK, sort_keys=False, allow_unicode=True))
    sealed = root / "exercises" / "banks" / "00_intro.yaml"
    sealed.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.exercises.authoring",
            "seal",
            str(plain),
            "--out",
            str(sealed),
        ],
        check=True,
        capture_output=True,
    )
    plain.unlink()


def _notebook(path: Path, cells: list) -> None:
    notebook = new_notebook(cells=[nbformat.from_dict(cell) for cell in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    notebook.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def _text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
