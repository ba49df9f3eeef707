"""Explorers: every control labelled, and the view redrawn with the control's value."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from helpers.explore import explorer
from helpers.lab.controls import Choice, Slider


def test_explorer_calls_the_view_with_each_new_value():
    seen = []
    stock = widgets.IntSlider(value=2002, min=1992, max=2022, description="Year")
    box = explorer(lambda year: seen.append(year), year=stock)
    assert seen == []  # the default result is shown above the explorer, not drawn again
    (shown,) = box.children[0].children
    assert isinstance(shown, Slider)
    assert (shown.description, shown.min, shown.max, shown.value) == ("Year", 1992, 2022, 2002)
    shown.value = 2010
    assert seen == [2010]
    shown.value = 1999
    assert seen == [2010, 1999]


def test_explorer_lists_keep_their_labels_and_values():
    seen = []
    stock = widgets.Dropdown(options=[("Armenia", "ARM"), ("Belarus", "BLR")], value="BLR",
                             description="State")
    box = explorer(lambda iso3: seen.append(iso3), iso3=stock)
    (shown,) = box.children[0].children
    assert isinstance(shown, Choice)
    assert (shown.labels, shown.index, shown.value) == (["Armenia", "Belarus"], 1, "BLR")
    shown.index = 0  # what the front end sends when the learner picks Armenia
    assert seen == ["ARM"]


def test_explorer_keeps_text_fields_and_ranges():
    seen = []
    text = widgets.Text(value="", description="Look up")
    years = widgets.IntRangeSlider(value=(1995, 2005), min=1992, max=2022, description="Years")
    box = explorer(lambda query, years: seen.append((query, years)), query=text, years=years)
    shown_text, shown_years = box.children[0].children
    assert shown_text is text  # a text field already keeps its keys in JupyterLab
    assert shown_years.value == (1995, 2005)
    shown_years.value = [1999, 2001]  # the front end sends a list
    assert seen == [("", (1999, 2001))]


def test_explorer_refuses_an_unlabelled_control():
    with pytest.raises(ValueError, match="year"):
        explorer(lambda year: None, year=widgets.IntSlider(value=1))
