"""The teacher's guide: public, so it must hold no exercise answers; complete for every notebook;
and its links must lead somewhere, since the site publishes it beside the notebooks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers.exercises import bank_names, load_bank

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "guide" / "teachers_guide.md"
NOTEBOOKS = sorted((REPO / "notebooks").glob("0*.ipynb"))
PARTS = ("Misconceptions students bring", "What the discussion questions are after",
         "Where the paper is uncertain", "Outside sources added")
RUN = 9  # words in a row shared with a key text that count as copying the key


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def runs(text: str) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i:i + RUN]) for i in range(len(found) - RUN + 1)}


def key_texts() -> list[tuple[str, str]]:
    """Every secret text of every bank: explanations, per-option feedback, model answers."""
    texts = []
    for name in bank_names():
        for question in load_bank(name).questions:
            where = f"{name}/{question.id}"
            texts.append((where, question.explanation))
            texts += [(where, text) for text in getattr(question, "option_feedback", {}).values()]
            texts.append((where, getattr(question, "model_answer", "")))
    return [(where, text) for where, text in texts if text]


def section(title_start: str) -> str:
    guide = GUIDE.read_text(encoding="utf-8")
    start = guide.index(f"\n### {title_start}")
    following = guide.find("\n### ", start + 1)
    end = guide.find("\n## ", start + 1) if following == -1 else following
    return guide[start:end if end != -1 else None]


def test_the_guide_shares_no_run_of_words_with_any_key_text():
    guide = runs(GUIDE.read_text(encoding="utf-8"))
    copied = [(where, " ".join(sorted(runs(text) & guide)[0]))
              for where, text in key_texts() if runs(text) & guide]
    assert copied == [], "the guide repeats the answer key"


def test_the_guide_names_no_answer_letter():
    text = GUIDE.read_text(encoding="utf-8")
    assert not re.search(r"\b(answer|key)\s+(is|:)\s*\(?[a-f]\b", text, re.I)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_notebook_has_its_section_with_the_four_parts(notebook: Path):
    number = notebook.stem[:2]
    text = section(number)
    assert f"../notebooks/{notebook.name}" in GUIDE.read_text(encoding="utf-8")
    missing = [part for part in PARTS if f"**{part}" not in text]
    assert missing == [], f"section {number} lacks {missing}"


def test_every_relative_link_leads_to_a_file_of_the_course():
    text = GUIDE.read_text(encoding="utf-8")
    targets = re.findall(r"\]\((?!https?:)([^)#\s]+)", text)
    assert targets, "the guide links to the notebooks"
    broken = [t for t in targets if not (GUIDE.parent / t).resolve().is_file()]
    assert broken == []


def test_the_term_plan_covers_every_notebook_in_order():
    guide = GUIDE.read_text(encoding="utf-8")
    plan = guide.split("## A plan for a term", 1)[1].split("\n## ", 1)[0]
    positions = [plan.find(f"../notebooks/{nb.name}") for nb in NOTEBOOKS]
    assert -1 not in positions and positions == sorted(positions)
