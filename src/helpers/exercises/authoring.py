"""Tools for authors of exercise notebooks: seal and unseal a bank, store a notebook's outputs.

    python -m helpers.exercises.authoring unseal exercises/banks/00_demo.yaml --out plain.yaml
    python -m helpers.exercises.authoring seal plain.yaml --out exercises/banks/00_demo.yaml
    python -m helpers.exercises.authoring store-outputs exercises/00_demo_exercises.ipynb

Keep the plain (unsealed) file out of the repository: it shows the answers in plain sight.
``store-outputs`` executes a notebook with its default parameters for a learner who has no saved
answers, and stores the outputs nbval compares, without widget model ids (random, and useless
without widget state).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from helpers.exercises.bank import dump_yaml, read_yaml, seal, unseal
from helpers.exercises.errors import ExerciseError
from helpers.exercises.files import write_text_atomic

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def seal_file(plain: Path, out: Path) -> Path:
    return write_text_atomic(out, dump_yaml(seal(read_yaml(plain), plain.name), header=True))


def unseal_file(sealed: Path, out: Path) -> Path:
    return write_text_atomic(out, dump_yaml(unseal(read_yaml(sealed), sealed.name)))


def store_outputs(notebook: Path, timeout: int = 600) -> Path:
    """Execute ``notebook`` in its folder as a new learner would, and store it with its outputs."""
    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CSTO_STUDENT")}
        env |= {"HOME": home, "CSTO_ANSWERS_DIR": str(Path(home) / "answers")}
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(notebook.parent)}})
        client.execute(env=env)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    nb.metadata.pop("widgets", None)
    return write_text_atomic(notebook, nbformat.writes(nb))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.exercises.authoring",
                                     description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("seal", "plain bank -> sealed bank"),
                            ("unseal", "sealed bank -> plain bank, for editing")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("source", type=Path)
        command.add_argument("--out", type=Path, required=True)
    store = commands.add_parser("store-outputs", help="execute a notebook and store its outputs")
    store.add_argument("notebook", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "store-outputs":
            written = store_outputs(args.notebook)
        else:
            written = (seal_file if args.command == "seal" else unseal_file)(args.source, args.out)
    except ExerciseError as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {written}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
