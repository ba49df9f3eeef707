"""Explorers: every control labelled, and the view redrawn with the control's value."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from helpers.explore import explorer


def test_explorer_calls_the_view_with_each_new_value():
    seen = []
    control = widgets.IntSlider(value=2002, min=1992, max=2022, description="Year")
    box = explorer(lambda year: seen.append(year), year=control)
    assert seen == []  # the default result is shown above the explorer, not drawn again
    control.value = 2010
    assert seen == [2010]
    control.value = 1999
    assert seen == [2010, 1999]
    assert box.children[0].children == (control,)


def test_explorer_refuses_an_unlabelled_control():
    with pytest.raises(ValueError, match="year"):
        explorer(lambda year: None, year=widgets.IntSlider(value=1))
