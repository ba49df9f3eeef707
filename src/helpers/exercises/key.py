"""``csto-key``: the answer key of one or all question banks, as printable HTML or a notebook.

For each question: the choices, the right answer, the accepted range, the explanation, the source,
the feedback given for likely wrong answers, the hint, and for data questions the pandas a learner
would write (generated from the bank's declarative solution) with the value it gives on the current
dataset.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

import nbformat

from helpers.exercises.bank import Bank, bank_names, load_bank
from helpers.exercises.errors import DataCheckError, ExerciseError
from helpers.exercises.questions import Question, TableSource, dataset_tables, format_number
from helpers.exercises.report import question_heading
from helpers.files import write_text_atomic

TITLE = "Answer key: CSTO course exercises"
_STYLE = """
body { font-family: Georgia, serif; max-width: 50em; margin: 2em auto; line-height: 1.45; }
section.bank + section.bank { page-break-before: always; }
section.question { border-top: 1px solid #888; margin-top: 1.2em; page-break-inside: avoid; }
pre { background: #f4f4f4; padding: 0.5em; white-space: pre-wrap; }
"""


def question_html(bank: Bank, question: Question, tables: TableSource) -> str:
    """One question of the key as an HTML fragment (also used as a notebook markdown cell)."""
    parts = [
        f"<h3>{html.escape(question_heading(bank, question))}</h3>",
        f"<p><em>Question id:</em> <code>{html.escape(question.id)}</code></p>",
    ]
    parts.append(
        "<p>" + "<br>".join(html.escape(line) for line in question.choice_lines()) + "</p>"
    )
    explanation = question.explanation
    try:
        expected = question.expected(tables)
        answer, explanation = html.escape(question.describe(expected)), question.explained(expected)
    except DataCheckError as error:
        answer = f"could not be computed from the dataset: {html.escape(str(error))}"
    label = "Model answer" if question.kind == "reflection" else "Answer"
    parts.append(f"<p><strong>{label}:</strong> {answer}</p>")
    if hasattr(question, "accepted_range"):
        parts.append(f"<p><strong>Accepted:</strong> {html.escape(question.accepted_range())}</p>")
    if question.kind == "data":
        parts.append(
            f"<p><strong>Computed from the tables</strong> "
            f"{html.escape(', '.join(question.solution.tables))}; in pandas:</p>"
            f"<pre><code>{html.escape(question.solution.pandas())}</code></pre>"
        )
    for label, text in (
        ("Explanation", explanation),
        ("Source", question.source),
        ("Hint", question.hint),
    ):
        if text:
            parts.append(f"<p><strong>{label}:</strong> {html.escape(text)}</p>")
    wrong = _wrong_answer_feedback(question)
    if wrong:
        parts.append("<p><strong>Feedback on likely wrong answers:</strong></p><ul>"
                     + "".join(f"<li>{html.escape(a)}: {html.escape(t)}</li>" for a, t in wrong)
                     + "</ul>")
    return '<section class="question">' + "\n".join(parts) + "</section>"


def _wrong_answer_feedback(question: Question) -> list[tuple[str, str]]:
    options = getattr(question, "option_feedback", {})
    numbers = getattr(question, "wrong_feedback", {})
    return [(f"{key}) {question.options[key]}", text) for key, text in options.items()] + [
        (format_number(value), text) for value, text in numbers.items()
    ]


def bank_heading(bank: Bank) -> str:
    return (f"<h2>Exercise {html.escape(bank.name)}: {html.escape(bank.title)}</h2>"
            f"<p>Notebook: exercises/{html.escape(bank.notebook)}; bank version "
            f"{bank.version}; {len(bank.questions)} questions.</p>")


def render_html(banks: list[Bank], tables: TableSource) -> str:
    sections = [
        '<section class="bank">' + bank_heading(bank)
        + "".join(question_html(bank, q, tables) for q in bank.questions) + "</section>"
        for bank in banks
    ]
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{TITLE}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{TITLE}</h1>\n<p>For teachers. Keep it away from the learners' copies.</p>\n"
            + "\n".join(sections) + "\n</body>\n</html>\n")


def render_notebook(banks: list[Bank], tables: TableSource) -> str:
    cells = [nbformat.v4.new_markdown_cell(f"# {TITLE}\n\nFor teachers.")]
    for bank in banks:
        cells.append(nbformat.v4.new_markdown_cell(bank_heading(bank)))
        cells += [nbformat.v4.new_markdown_cell(question_html(bank, q, tables))
                  for q in bank.questions]
    for number, cell in enumerate(cells):
        cell["id"] = f"key-{number}"  # stable ids: the same banks give the same file
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells))


RENDERERS = {".html": render_html, ".ipynb": render_notebook}


def write_key(out: Path, names: list[str] | None = None, banks_dir: str | None = None,
              data_dir: str | None = None) -> Path:
    """Write the key of the named banks (default: all) to ``out`` (.html or .ipynb)."""
    if out.suffix not in RENDERERS:
        raise ExerciseError(f"--out {str(out)!r}: expected a file name ending in .html or .ipynb.")
    if out.is_dir():
        raise ExerciseError(f"--out {str(out)!r} is a folder; expected a file name ending in "
                            ".html or .ipynb (for example {str(out / 'answer-key.html')!r}).")
    banks = [load_bank(name, banks_dir) for name in (names or bank_names(banks_dir))]
    text = RENDERERS[out.suffix](banks, dataset_tables(data_dir))
    try:
        return write_text_atomic(out, text)
    except OSError as error:
        raise ExerciseError(f"--out {str(out)!r}: cannot write there "
                            f"({error.strerror or error}).") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="csto-key", description=__doc__.splitlines()[0])
    parser.add_argument("banks", nargs="*", help="bank names such as 00_demo (default: all)")
    parser.add_argument("--out", type=Path, default=Path("answer-key.html"),
                        help="output file, .html or .ipynb (default: answer-key.html)")
    parser.add_argument("--banks-dir", help="folder of question banks (default: exercises/banks)")
    parser.add_argument("--data-dir", help="dataset folder for data questions (default: data/)")
    args = parser.parse_args(argv)
    try:
        path = write_key(args.out, args.banks, args.banks_dir, args.data_dir)
    except ExerciseError as error:
        print(f"csto-key: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"csto-key: cannot write the answer key to {args.out} ({error.strerror}); choose a "
              "file in a folder you can write to with --out (the course folder may be "
              "read-only).", file=sys.stderr)
        return 1
    print(f"Wrote the answer key to {path}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
