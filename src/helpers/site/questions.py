"""The questions of an exercise notebook as a static page section, with no answer in it.

In JupyterLab the quiz is a set of widgets, which a static page cannot run; the page instead lists
every question with what a learner needs to think about it: the prompt, the options or items, and
for a data question the tables it uses (linked to the codebook and to the CSV file). It is read
from the bank through ``load_bank`` and shows only the public fields of each question: never its
answer, explanation, feedback, hint, model answer or solution, whatever the bank holds.

Everything from the bank is escaped: banks come from colleagues, and a prompt is text, not HTML.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from helpers.exercises import Bank, bank_names, load_bank
from helpers.exercises.questions import prompt_says

_TABLE_NAME = re.compile(r"[a-z0-9_]{1,64}")
_INSTRUCTIONS = {
    "single": "Choose one.",
    "multiple": "Select all that apply.",
    "ordering": "Put these in order.",
    "matching": "Match each item on the left to one on the right.",
    "numeric": "Answer with a number.",
    "data": "Compute the answer from the dataset.",
    "reflection": "Answer in a few sentences of your own.",
}


def bank_for(notebook_name: str, banks_dir: Path | None) -> Bank | None:
    """The bank whose ``notebook`` field names this exercise notebook, if there is one."""
    if banks_dir is None or not banks_dir.is_dir():
        return None
    for name in bank_names(banks_dir):
        bank = load_bank(name, banks_dir)
        if bank.notebook == notebook_name:
            return bank
    return None


def questions_html(bank: Bank, page: str, notebook_href: str) -> str:
    """Every question of ``bank`` for the page at ``page`` (its path in the site, e.g.
    ``exercises/01_history_exercises.html``), after a note on how to answer them."""
    codebook = _relative(page, "data/README.html")
    items = "\n".join(
        _question(number, question, page, codebook)
        for number, question in enumerate(bank.questions, start=1)
    )
    return (
        f'<section class="csto-questions" aria-label="Questions of {html.escape(bank.title)}">\n'
        '<div class="csto-callout csto-answering">\n'
        '<p class="csto-callout-title">How to answer</p>\n'
        "<p>This page lists the questions so that you can read and think about them. To answer "
        "them and get feedback that points back to the paper, open the notebook in JupyterLab "
        "(<code>make lab</code> in the course folder, or your class's JupyterHub), run its cells "
        "from the top and use the controls under each question. Your answers are saved as you "
        f'go. <a href="{html.escape(notebook_href)}" download>Download the notebook</a>.</p>\n'
        "</div>\n"
        f'<ol class="csto-question-list">\n{items}\n</ol>\n'
        "</section>"
    )


def _question(number: int, question: object, page: str, codebook: str) -> str:
    kind = getattr(question, "kind", "")
    label = getattr(question, "label", kind)
    parts = [
        f'<li class="csto-question csto-question-{html.escape(kind)}" '
        f'id="question-{html.escape(str(getattr(question, "id", number)))}">',
        f'<p class="csto-question-kind">Question {number} · {html.escape(label)}</p>',
        f'<p class="csto-question-prompt">{html.escape(getattr(question, "prompt", ""))}</p>',
    ]
    instruction = _INSTRUCTIONS.get(kind)
    if instruction and not prompt_says(getattr(question, "prompt", ""), instruction):
        parts.append(f'<p class="csto-question-instruction">{instruction}</p>')
    options = getattr(question, "options", None)
    if isinstance(options, Mapping):
        parts.append(_list("csto-options", [f"{key}) {text}" for key, text in options.items()]))
    items = getattr(question, "items", None)
    if isinstance(items, Mapping):
        parts.append(_list("csto-items", list(items.values())))
    left, right = getattr(question, "left", None), getattr(question, "right", None)
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        parts.append(_matching(left, right))
    tables = getattr(question, "tables", None)
    if isinstance(tables, Sequence) and not isinstance(tables, str) and tables:
        parts.append(_tables(tables, page, codebook))
    unit = getattr(question, "unit", "")
    if unit:
        parts.append(f'<p class="csto-question-unit">Unit: {html.escape(unit)}.</p>')
    parts.append("</li>")
    return "\n".join(parts)


def _list(css_class: str, entries: list[str]) -> str:
    lines = "".join(f"<li>{html.escape(entry)}</li>" for entry in entries)
    return f'<ul class="{css_class}">{lines}</ul>'


def _matching(left: Mapping[str, str], right: Mapping[str, str]) -> str:
    return (
        '<div class="csto-matching">'
        f'<div><p class="csto-matching-side">Items</p>{_list("csto-left", list(left.values()))}'
        "</div>"
        f'<div><p class="csto-matching-side">Choose from</p>'
        f"{_list('csto-right', list(right.values()))}</div>"
        "</div>"
    )


def _tables(tables: Sequence[str], page: str, codebook: str) -> str:
    if not all(isinstance(name, str) and _TABLE_NAME.fullmatch(name) for name in tables):
        names = ", ".join(html.escape(str(name)) for name in tables)
        return f'<p class="csto-question-data">Data: {names}.</p>'
    links = ", ".join(
        f'<code>{html.escape(name)}</code> (<a href="{html.escape(codebook)}#'
        f'{html.escape(name)}">codebook</a>, <a href="{_relative(page, f"data/{name}.csv")}" '
        f"download>CSV</a>)"
        for name in tables
    )
    return (
        f'<p class="csto-question-data">Data: {links}. In the notebook, '
        f'<code>load_table("{html.escape(tables[0])}")</code> loads a table.</p>'
    )


def _relative(page: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page) or ".")
