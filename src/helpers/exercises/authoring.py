"""Tools for authors of exercise notebooks: seal and unseal a bank, store a notebook's outputs.

    python -m helpers.exercises.authoring unseal exercises/banks/00_demo.yaml --out plain.yaml
    python -m helpers.exercises.authoring seal plain.yaml --out exercises/banks/00_demo.yaml
    python -m helpers.exercises.authoring store-outputs exercises/00_demo_exercises.ipynb

Keep the plain (unsealed) file out of the repository: it shows the answers in plain sight.
``store-outputs`` is ``python -m helpers.store``: it executes a notebook as a new learner would
and stores the outputs nbval compares.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.exercises.bank import dump_yaml, read_yaml, seal, unseal
from helpers.exercises.errors import ExerciseError
from helpers.files import write_text_atomic
from helpers.store import execute_in_place


def seal_file(plain: Path, out: Path) -> Path:
    return write_text_atomic(out, dump_yaml(seal(read_yaml(plain), plain.name), header=True))


def unseal_file(sealed: Path, out: Path) -> Path:
    return write_text_atomic(out, dump_yaml(unseal(read_yaml(sealed), sealed.name)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.exercises.authoring", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("seal", "plain bank -> sealed bank"),
        ("unseal", "sealed bank -> plain bank, for editing"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("source", type=Path)
        command.add_argument("--out", type=Path, required=True)
    store = commands.add_parser("store-outputs", help="execute a notebook and store its outputs")
    store.add_argument("notebook", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "store-outputs":
            written = execute_in_place(args.notebook)
        else:
            written = (seal_file if args.command == "seal" else unseal_file)(args.source, args.out)
    except ExerciseError as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{parser.prog}: {error.filename or args.command}: cannot be written "
              f"({error.strerror or error}).", file=sys.stderr)
        return 1
    print(f"Wrote {written}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
