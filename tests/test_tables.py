"""Display tables: no index, plain headings, reproducible HTML and text, readable estimates."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.tables import Table, estimate_text, row_by_id, table

FRAME = pd.DataFrame({"iso3": ["ARM", "UZB"], "years": ["1992-", pd.NA], "x": [1, 2]})


def test_table_selects_renames_and_hides_the_index():
    shown = table(FRAME, {"years": "Years", "iso3": "Code"}, caption="Two states")
    assert list(shown.frame.columns) == ["Years", "Code"]
    text = repr(shown)
    assert text.splitlines()[0] == "Two states"
    assert "ARM" in text and " 0 " not in text  # no index column
    html = shown._repr_html_()
    assert "<caption>Two states</caption>" in html and "<NA>" not in html
    assert (
        html == table(FRAME, {"years": "Years", "iso3": "Code"}, caption="Two states")._repr_html_()
    )
    assert len(shown) == 2


def test_table_names_missing_columns():
    with pytest.raises(KeyError, match="nope"):
        table(FRAME, {"nope": "Nope"})


def test_empty_table_says_so():
    assert repr(Table(FRAME.iloc[0:0])) == "(no rows)"


@pytest.mark.parametrize(
    ("low", "best", "high", "expected"),
    [
        (None, 5000, None, "5,000"),
        (1500, None, 22000, "1,500\u201322,000"),
        (18000, 20000, 22000, "20,000 (sources give 18,000\u201322,000)"),
        (pd.NA, pd.NA, pd.NA, "not given"),
        (5000, 5000, 5000, "5,000"),
    ],
)
def test_estimate_text_keeps_disagreement_visible(low, best, high, expected):
    assert estimate_text(low, best, high) == expected


def test_row_by_id_finds_the_row_and_names_the_choices_for_a_typo():
    frame = pd.DataFrame({"crisis_id": ["kaz_2022", "kgz_2010"], "name": ["K", "G"]})
    assert row_by_id(frame, "crisis_id", "kgz_2010")["name"] == "G"
    with pytest.raises(KeyError, match=r"crisis_id 'kaz'. Expected one of: kaz_2022, kgz_2010"):
        row_by_id(frame, "crisis_id", "kaz")


def test_table_html_left_aligns_text_keeps_dates_whole_and_scrolls_when_wide():
    frame = pd.DataFrame({"What": ["A long description of an event"], "When": ["2022-01-05"],
                          "Troops": [2500]})
    markup = Table(frame)._repr_html_()
    assert markup.startswith('<div class="csto-table-scroll" style="overflow-x: auto;')
    assert '<th style="text-align: left; vertical-align: top">What</th>' in markup
    assert '<th style="text-align: right; vertical-align: top">Troops</th>' in markup
    assert ('<td style="text-align: left; vertical-align: top; white-space: nowrap">2022-01-05'
            "</td>") in markup
    assert ('<td style="text-align: left; vertical-align: top">A long description of an event'
            "</td>") in markup


def test_table_html_escapes_cells_and_caption():
    markup = Table(pd.DataFrame({"x": ["<b>&"]}), caption="a < b")._repr_html_()
    assert "&lt;b&gt;&amp;" in markup and "<caption>a &lt; b</caption>" in markup


def test_a_table_that_can_scroll_is_a_named_region_the_keyboard_reaches():
    markup = Table(pd.DataFrame({"x": [1]}), caption='Crises "before" 2022')._repr_html_()
    opening = markup.split(">", 1)[0]
    assert 'role="region"' in opening and 'tabindex="0"' in opening
    assert 'aria-label="Crises &quot;before&quot; 2022"' in opening
    assert 'data-lm-suppress-shortcuts="true"' in opening
    assert 'aria-label="Table"' in Table(pd.DataFrame({"x": [1]}))._repr_html_()
