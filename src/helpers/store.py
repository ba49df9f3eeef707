"""Re-execute notebooks in place so their stored outputs match a fresh run.

The outputs stored in the repository are what nbval compares against, and what a reader sees before
running anything. They must be reproducible: executed from the notebook's own folder as a new
learner would run it (no student id, no saved answers), with no timings, no execution metadata and
no widget views, whose model ids are random and which cannot draw without the live kernel anyway
(each widget output keeps its text fallback, and our notebooks print a static result beside it).

Usage: ``python -m helpers.store notebooks/01_history.ipynb [more.ipynb ...]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from helpers.files import write_text_atomic
from helpers.runner.kernel_sockets import notice_replies_after_sends
from helpers.widget_views import WIDGET_VIEW

KERNEL = "python3"


def execute_in_place(path: Path, timeout: int = 600) -> Path:
    """Execute a notebook from its own directory and rewrite it atomically with clean outputs."""
    notebook = nbformat.read(path, as_version=4)
    notice_replies_after_sends()
    with tempfile.TemporaryDirectory() as home:
        env = {
            key: value for key, value in os.environ.items() if not key.startswith("CSTO_STUDENT")
        }
        env |= {"HOME": home, "CSTO_ANSWERS_DIR": str(Path(home) / "answers")}
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name=KERNEL,
            record_timing=False,
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute(env=env)
    clean(notebook)
    return write_text_atomic(path, nbformat.writes(notebook))


def clean(notebook: nbformat.NotebookNode) -> None:
    """Drop what varies between runs: widget views and state, timings, kernel version details."""
    notebook.metadata.pop("widgets", None)
    notebook.metadata.pop("papermill", None)
    notebook.metadata["kernelspec"] = {
        "name": KERNEL,
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    for path in parser.parse_args(argv).notebooks:
        execute_in_place(path)
        print(f"stored {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
