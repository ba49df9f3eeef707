"""Keyboard-safe controls: plain HTML form controls drawn by anywidget, with no build step.

JupyterLab's notebook shortcuts (``a``, ``b``, ``d d``, ``r``, arrows, Enter...) fire whenever the
focused element is not a text field, so the stock ipywidgets radio buttons, lists and sliders lose
their keys to the notebook: ArrowDown moves to the next cell, ``r`` turns the cell into a raw cell.
JupyterLab skips its shortcuts for an element marked ``data-lm-suppress-shortcuts``, which stock
ipywidgets cannot set; these controls set it on every input, list and button they draw
(static/controls.js, shipped in the package: nothing comes from the network). Inside one, the keys
do what they do in any web form: a radio group follows the WAI-ARIA pattern (arrows move the
choice, Tab leaves the group, Space selects), a list jumps to the entry whose first letter is typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets as t

STATIC = Path(__file__).parent / "static"

Action = Callable[[dict[str, Any]], None]


class CourseControl(anywidget.AnyWidget):
    """The shared front end; ``control`` says which kind of control it draws."""

    _esm = STATIC / "controls.js"
    _css = STATIC / "controls.css"
    control = t.Unicode().tag(sync=True)

    def on_action(self, handler: Action) -> None:
        """Call ``handler`` with each message the front end sends (``{"action": ..., ...}``)."""

        def receive(_widget: object, content: object, _buffers: object) -> None:
            if isinstance(content, dict) and "action" in content:
                handler(content)

        self.on_msg(receive)

    def __repr__(self) -> str:
        # The text/plain face of the widget, stored in notebooks: no memory address in it.
        return f"{type(self).__name__}({self.control})"


class Choice(CourseControl):
    """A labelled list (an HTML select) of any Python values, shown by their labels."""

    control = t.Unicode("choice").tag(sync=True)
    description = t.Unicode().tag(sync=True)
    labels = t.List(t.Unicode()).tag(sync=True)
    index = t.Int(0).tag(sync=True)
    value = t.Any()

    def __init__(self, options: Sequence[Any], value: Any, description: str) -> None:
        pairs = [item if isinstance(item, tuple) else (str(item), item) for item in options]
        self._values = [choice for _, choice in pairs]
        if value not in self._values:
            raise ValueError(f"Choice {description!r}: {value!r} is not one of the options "
                             f"{self._values!r}.")
        super().__init__(description=description, labels=[str(label) for label, _ in pairs],
                         index=self._values.index(value), value=value)

    @t.observe("index")
    def _pick(self, change: dict[str, Any]) -> None:
        self.value = self._values[change["new"]]


class Slider(CourseControl):
    """A whole number, or a (from, to) pair, picked with native range inputs."""

    control = t.Unicode("slider").tag(sync=True)
    description = t.Unicode().tag(sync=True)
    min = t.Int().tag(sync=True)
    max = t.Int().tag(sync=True)
    step = t.Int(1).tag(sync=True)
    value = t.Union([t.Int(), t.Tuple(t.Int(), t.Int())]).tag(sync=True)


def keyboard_safe(control: w.Widget) -> w.Widget:
    """The course control for a stock one a notebook passes (Dropdown, IntSlider,
    IntRangeSlider), with the same label, options and value; text fields already keep their
    keys and are returned as they are."""
    if isinstance(control, w.Dropdown):
        return Choice(control.options, control.value, control.description)
    if isinstance(control, w.IntSlider | w.IntRangeSlider):
        return Slider(description=control.description, min=control.min, max=control.max,
                      step=control.step, value=control.value)
    return control
