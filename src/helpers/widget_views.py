"""Widget outputs made to outlive the kernel that drew them.

A widget output names a model that lives only in the kernel that drew it. Saved with the notebook,
it reads "Error displaying widget: model not found" once that kernel is gone, and the saved widget
state keeps whatever the widgets showed on the machine that ran them (a folder, a student id).
What outlives the kernel is each widget's other representation: our widgets give a text one.
"""

from __future__ import annotations

from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_widget_views(notebook: dict[str, Any]) -> None:
    """Drop widget views (kept where they are an output's only representation) and widget
    state, so a reopened notebook shows the text face of each widget instead of an error."""
    notebook.get("metadata", {}).pop("widgets", None)
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and len(data) > 1:
                del data[WIDGET_VIEW]
