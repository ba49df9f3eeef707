"""The site's parts that need no Sphinx: static outputs, links, questions, settings, offline scan.

The site as Sphinx builds it is tested in test_site_build.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers.exercises import load_bank
from helpers.runner.errors import RunnerInputError
from helpers.site.links import check_links, same_numbered
from helpers.site.offline import find_remote_references, find_remote_references_in_css
from helpers.site.outputs import (
    FOLD_TAG,
    PLOTLY_MIMETYPE,
    WIDGET_NOTE,
    fold_code,
    static_outputs,
)
from helpers.site.questions import questions_html
from helpers.site.settings import SETTINGS_FILE, SiteSettings, read_settings
from helpers.widget_views import WIDGET_VIEW

# Static outputs


def chart_notebook(description: str = "Chart description: Two bars.\n"):
    figure = {
        "data": [{"type": "bar", "x": ["ARM"], "y": [1], "name": "</script><script>alert(1)"}],
        "layout": {"title": {"text": "Members <br>by year"}},
    }
    cell = new_code_cell("show(fig)")
    cell.outputs = [
        new_output("display_data", data={PLOTLY_MIMETYPE: figure, "text/plain": "Chart: ..."}),
        new_output("stream", name="stdout", text=description),
        new_output(
            "display_data", data={WIDGET_VIEW: {"model_id": "x"}, "text/plain": "VBox()"}
        ),
    ]
    notebook = new_notebook(cells=[cell])
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return notebook


def test_figure_becomes_html_with_its_caption_and_inert_json():
    notebook = chart_notebook()
    assert static_outputs(notebook) == 1
    outputs = notebook.cells[0].outputs
    assert len(outputs) == 2, "the description went into the caption"
    figure = outputs[0]["data"]["text/html"]
    assert set(outputs[0]["data"]) == {"text/html"}
    assert '<span class="csto-figure-title">Members by year</span>' in figure
    assert '<span id="csto-figure-1-description">Two bars.</span>' in figure
    opening = 'data-target="csto-figure-1">'
    payload = figure[figure.index(opening) + len(opening) : figure.index("</script>")]
    assert json.loads(payload)["data"][0]["name"] == "</script><script>alert(1)"
    assert figure.count("</script>") == 1, "nothing in the data closes the script element"
    assert outputs[1]["data"] == {"text/html": WIDGET_NOTE}
    assert "widgets" not in notebook.metadata


def test_other_printed_lines_after_a_figure_stay():
    notebook = chart_notebook("Chart description: Two bars.\nAnd one more finding.\n")
    static_outputs(notebook)
    outputs = notebook.cells[0].outputs
    assert outputs[1]["output_type"] == "stream"
    assert outputs[1]["text"] == "And one more finding.\n"


def test_a_description_paragraph_becomes_the_caption():
    notebook = chart_notebook()
    notebook.cells[0].outputs[1] = new_output("display_data", data={
        "text/html": "<p><strong>Chart description:</strong> Two bars.</p>",
        "text/plain": "Chart description: Two bars.",
    })
    static_outputs(notebook)
    outputs = notebook.cells[0].outputs
    assert len(outputs) == 2, "the description went into the caption"
    assert '<span id="csto-figure-1-description">Two bars.</span>' in outputs[0]["data"][
        "text/html"]


def test_figure_without_printed_description_uses_its_plain_text():
    notebook = chart_notebook()
    cell = notebook.cells[0]
    cell.outputs = [cell.outputs[0]]
    cell.outputs[0]["data"]["text/plain"] = "Chart: Members by year. One bar for Armenia."
    static_outputs(notebook)
    assert ">One bar for Armenia.</span>" in cell.outputs[0]["data"]["text/html"]


def test_widget_keeps_a_static_rendering_it_offers():
    cell = new_code_cell("view()")
    cell.outputs = [
        new_output(
            "display_data",
            data={
                WIDGET_VIEW: {"model_id": "x"},
                "text/plain": "VBox()",
                "text/html": "<p>Default</p>",
            },
        )
    ]
    static_outputs(new_notebook(cells=[cell]))
    assert cell.outputs[0]["data"] == {"text/html": "<p>Default</p>"}


def test_every_code_cell_is_folded_once():
    notebook = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("y = 2")])
    notebook.cells[0].metadata["tags"] = ["parameters"]
    fold_code(notebook)
    fold_code(notebook)
    assert [cell.metadata["tags"] for cell in notebook.cells] == [
        ["parameters", FOLD_TAG],
        [FOLD_TAG],
    ]


# Links

PAGES = [
    "notebooks/00_start.ipynb",
    "notebooks/01_history.ipynb",
    "exercises/00_demo_exercises.ipynb",
]
FILES = ["data/crises.csv"]


@pytest.fixture
def course_root(tmp_path: Path) -> Path:
    (tmp_path / "LICENSE").write_text("MIT", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "text",
    [
        "[next](01_history.ipynb)",
        "[data](../data/crises.csv)",
        "[web](https://example.org/x.ipynb)",
        "[anchor](#key-points)",
        "![image](missing.png)",
        "[history, part](01_history.ipynb#membership)",
    ],
)
def test_links_to_pages_files_anchors_and_the_web_are_left_alone(text, course_root):
    assert check_links(text, "notebooks/00_start.ipynb", PAGES, FILES, course_root) == (text, [])


def test_a_missing_notebook_is_linked_to_the_one_of_the_same_number(course_root):
    text = 'See [the exercises](../exercises/00_start_exercises.ipynb#q1 "Exercises").'
    fixed, problems = check_links(text, "notebooks/00_start.ipynb", PAGES, FILES, course_root)
    assert fixed == 'See [the exercises](../exercises/00_demo_exercises.ipynb#q1 "Exercises").'
    assert problems[0].repaired_to == "exercises/00_demo_exercises.ipynb"
    assert "does not exist" in problems[0].message()


def test_links_that_cannot_be_followed_become_text_and_are_reported(course_root):
    text = "The [licence](../LICENSE) and a [lost page](../notes/lost.md)."
    fixed, problems = check_links(text, "notebooks/00_start.ipynb", PAGES, FILES, course_root)
    assert fixed == "The licence and a lost page."
    assert [p.reason for p in problems] == [
        "is to a file that is not part of the site",
        "is to a file that does not exist",
    ]
    assert all(p.repaired_to is None for p in problems)


def test_no_repair_when_the_number_is_ambiguous():
    pages = ["exercises/03_a_exercises.ipynb", "exercises/03_b_exercises.ipynb"]
    assert same_numbered("exercises/03_c_exercises.ipynb", pages) is None
    assert same_numbered("exercises/04_c_exercises.ipynb", pages) is None
    assert same_numbered("exercises/03_c_exercises.ipynb", pages[:1]) == pages[0]


# Questions


def test_questions_from_the_course_banks_show_no_secret_field():
    bank = load_bank("00_demo")
    page = questions_html(bank, "exercises/00_demo_exercises.html", "00_demo_exercises.ipynb")
    for question in bank.questions:
        for secret in ("explanation", "hint", "model_answer"):
            value = getattr(question, secret, "")
            if value:
                assert value[:40] not in page, (question.id, secret)
        for feedback in getattr(question, "option_feedback", {}).values():
            assert feedback[:40] not in page
    assert page.count('<li class="csto-question ') == len(bank.questions)


def test_question_text_is_escaped_and_table_names_are_checked():
    question = SimpleNamespace(
        id="q1",
        kind="data",
        label="data question",
        prompt='<img src=x onerror="alert(1)">',
        tables=("crises", "../../etc/passwd"),
        unit="",
    )
    bank = SimpleNamespace(title="<b>T</b>", questions=(question,))
    page = questions_html(bank, "exercises/x.html", "x.ipynb")
    assert "<img" not in page and "&lt;img src=x" in page
    assert "<b>T</b>" not in page
    assert "passwd.csv" not in page and 'href="../data/crises.csv"' not in page


def test_data_question_links_its_tables():
    question = SimpleNamespace(
        id="q1", kind="data", label="data question", prompt="Count them.", tables=("crises",)
    )
    page = questions_html(SimpleNamespace(title="T", questions=(question,)), "exercises/x.html", "")
    assert 'href="../data/README.html#crises"' in page
    assert 'href="../data/crises.csv" download' in page


def test_an_instruction_the_prompt_already_gives_is_not_repeated():
    def page_for(prompt: str) -> str:
        question = SimpleNamespace(id="q1", kind="multiple", label="multiple select",
                                   prompt=prompt, options={"a": "One", "b": "Two"})
        return questions_html(SimpleNamespace(title="T", questions=(question,)), "x.html", "")

    assert page_for("Which of these? Select all that apply.").count("elect all that apply") == 1
    assert page_for("Which of these?").count("Select all that apply.") == 1


# Settings


def write_settings(root: Path, text: str) -> Path:
    (root / SETTINGS_FILE).write_text(text, encoding="utf-8")
    return root


def test_no_settings_file_means_no_launch_buttons(tmp_path):
    assert read_settings(tmp_path) == SiteSettings()
    assert not SiteSettings().launches


def test_launch_settings_are_read(tmp_path):
    root = write_settings(
        tmp_path,
        "launch:\n  jupyterhub_url: https://hub.example.edu/\n"
        "  repository_url: https://github.com/example/csto-course\n  branch: spring\n",
    )
    settings = read_settings(root)
    assert settings.jupyterhub_url == "https://hub.example.edu"
    assert settings.branch == "spring" and settings.launches


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("launch:\n  jupyterhub_url: hub.example.edu\n", "launch.jupyterhub_url: got"),
        ("launch:\n  jupyterhub_url: https://hub.example.edu\n", "launch.repository_url: empty"),
        ("launch:\n  binder: https://mybinder.org\n", "launch.binder: unknown"),
        ("launch:\n  branch: 3\n", "launch.branch: got 3; expected text"),
        ("- launch\n", "expected a mapping with one key, launch"),
        ("launch: [\n", "cannot be read as UTF-8 YAML"),
    ],
)
def test_bad_settings_name_the_file_and_field(tmp_path, text, message):
    with pytest.raises(RunnerInputError, match=message) as caught:
        read_settings(write_settings(tmp_path, text))
    assert SETTINGS_FILE in str(caught.value)


# Offline


def test_remote_references_are_found():
    page = """<html><head>
    <script src="https://cdn.example.org/require.js"></script>
    <link rel="stylesheet" href="//fonts.example.org/css">
    <link rel="next" href="https://example.org/next-page">
    <style>@import "https://fonts.example.org/a.css"; body {background: url(http://x.org/b.png)}</style>
    </head><body><img src="HTTPS://x.org/c.png"><a href="https://example.org">a link is fine</a>
    <img src="data:image/png;base64,AAAA"><script src="local.js"></script></body></html>"""
    found = find_remote_references(page)
    assert len(found) == 5
    assert all("example.org" in item or "x.org" in item for item in found)
    assert not any("next-page" in item for item in found), "a link to a page loads nothing"


def test_remote_references_in_style_sheets_are_found():
    css = (
        '@font-face { src: url("https://fonts.example.org/x.woff2"); } a { background: url(i.png) }'
    )
    assert find_remote_references_in_css(css) == ["https://fonts.example.org/x.woff2"]


def test_the_course_ships_with_launch_buttons_off():
    settings = read_settings(Path(__file__).resolve().parents[1])
    assert settings == SiteSettings() and not settings.launches
