"""Interactive explorations: labelled controls that redraw one view when a value changes.

A widget only draws in a live JupyterLab; in a papermill run or the exported HTML course its view
is an empty box. So a notebook first displays the view for the default values as ordinary output
(one call of the same view function), then the explorer; both paths call the same function, so
what the reader explores is exactly what the static default shows.

The explorer draws nothing when it is created, only when a control changes: the default result is
already on the page just above, so drawing it again into the Output widget would only repeat it
(and, headless, make nbclient send the widget's state back for every output; see
helpers.runner.kernel_sockets for the stall that used to cause).

Lists and sliders are shown as the course's keyboard-safe controls (helpers.lab.controls), so
their keys choose a value instead of firing JupyterLab's notebook shortcuts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def explorer(view: Callable[..., object], **controls: Any) -> Any:
    """Controls above an output area showing ``view(**values)``, redrawn whenever one changes.

    Each keyword names a parameter of ``view`` and gives the ipywidgets control for it (Dropdown,
    IntSlider, IntRangeSlider, Text); each is drawn as its keyboard-safe course control. Every
    control must carry a description, the label screen readers speak.
    ``view`` returns something displayable (a Table, a figure bundle, text) or displays itself.
    """
    import ipywidgets as widgets
    from IPython.display import display

    from helpers.lab.controls import keyboard_safe

    unlabelled = [name for name, control in controls.items() if not control.description]
    if unlabelled:
        raise ValueError(
            f"Control(s) {unlabelled} have no description label; every control needs one."
        )

    controls = {name: keyboard_safe(control) for name, control in controls.items()}
    output = widgets.Output()

    def redraw(_change: object = None) -> None:
        values = {name: control.value for name, control in controls.items()}
        output.clear_output(wait=True)
        with output:
            shown = view(**values)
            if shown is not None:
                display(shown)

    for control in controls.values():
        control.observe(redraw, names="value")
    note = widgets.HTML(
        "<em>Change a control to redraw; the result for the default values is shown above.</em>"
    )
    return widgets.VBox([widgets.HBox(list(controls.values())), note, output])
