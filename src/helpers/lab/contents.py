"""The server side of the course's JupyterLab set-up: notebooks open unmodified and are saved
without widget views.

Two things used to mark every notebook modified or break it on reopening:

- Our stored notebooks record only ``language_info: {"name": "python"}`` (the full record names
  the Python version, which differs between machines). JupyterLab replaces it with the running
  kernel's full record the moment the kernel starts, which marks the notebook modified. Served
  notebooks therefore get the record the kernel will report, from the same Python.
- JupyterLab saves every widget output with the widget's model id. The model lives only in the
  kernel that drew it, so after a restart the output reads "Error displaying widget: model not
  found". Saved notebooks therefore keep only the other representations of a widget output (our
  widgets give a static text one), and no widget state.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

from helpers.widget_views import strip_widget_views


def kernel_language_info() -> dict[str, Any]:
    """What the Python kernel of this environment reports as its language."""
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


def complete_language_info(notebook: dict[str, Any]) -> None:
    """Give a Python notebook that records only its language name the kernel's full record."""
    metadata = notebook.setdefault("metadata", {})
    if metadata.get("language_info") == {"name": "python"}:
        metadata["language_info"] = kernel_language_info()


def strip_before_save(model: dict[str, Any], **_: Any) -> None:
    """A contents-manager pre-save hook applying ``strip_widget_views`` to saved notebooks."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        strip_widget_views(model["content"])


class CourseContentsManager(AsyncLargeFileManager):
    """Jupyter Server's default contents manager, serving and saving notebooks as above."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.register_pre_save_hook(strip_before_save)

    async def get(self, path: str, content: bool = True, type: str | None = None,
                  format: str | None = None, **kwargs: Any) -> dict[str, Any]:
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
            complete_language_info(model["content"])
        return model
