"""Re-execute notebooks in place so their stored outputs match a fresh run.

The outputs stored in the repository are what nbval compares against, and what a reader sees before
running anything. They must be reproducible: executed from the notebook's own folder, with no
timings, no widget state and no execution counts that depend on how often someone pressed Run.

Usage: ``python -m helpers.store notebooks/01_history.ipynb [more.ipynb ...]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL = "python3"


def execute_in_place(path: Path, timeout: int = 600) -> None:
    """Execute a notebook from its own directory and rewrite it atomically with clean outputs."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=KERNEL,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    clean(notebook)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".ipynb.tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            nbformat.write(notebook, stream)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def clean(notebook: nbformat.NotebookNode) -> None:
    """Drop what varies between runs: widget state, papermill timings, kernel version details."""
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
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = cell.execution_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    for path in parser.parse_args(argv).notebooks:
        execute_in_place(path)
        print(f"stored {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
