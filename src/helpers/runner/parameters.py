"""Parameters from the command line or a YAML file, checked against what each notebook declares.

Everything is checked before any notebook runs: a misspelt name or a value of the wrong type would
otherwise surface minutes later as a failure deep inside one notebook, or worse, be ignored.
Names and types come from each notebook's ``parameters`` cell, read with Python's own parser:
from the annotation (``year: int = 2022``) or type comment when there is one, else from the
default value. (``papermill.inspect_notebook`` skips any line holding a second ``=``, such as a
comment ``# None = the course's data``, so it silently missed parameters the notebooks declare.)
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import yaml

from helpers.bounded_read import UnusableFile, read_bounded
from helpers.problems import brief
from helpers.runner.errors import RunnerInputError
from helpers.runner.parameter_values import (
    MAX_FILE_BYTES,
    ValueRefused,
    check_plain,
    read_mapping,
    read_value,
    yaml_reason,
)

if TYPE_CHECKING:
    from helpers.runner.discovery import Notebook

_ACCEPTED: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "str": (str,),
    "bool": (bool,),
    "list": (list,),
    "tuple": (list, tuple),
    "dict": (dict,),
}
_EXPECTED_WORDS = {
    "int": "an integer",
    "float": "a number",
    "str": "text",
    "bool": "true or false",
    "list": "a list such as [ARM, KAZ]",
    "tuple": "a list such as [1992, 2022]",
    "dict": "a mapping such as {key: value}",
}


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter as the notebook declares it: name, annotation text, default source text."""

    name: str
    type_name: str
    default: str

    @property
    def kinds(self) -> tuple[str, ...] | None:
        """Accepted kinds (keys of ``_ACCEPTED`` or ``"None"``), or None when any value goes.

        Unannotated parameters take the kind of their default; a default of None or one that is
        not a literal (``date.today()``) cannot be checked, so anything is accepted.
        """
        annotation = self.type_name.replace(" ", "").removeprefix("typing.")
        if annotation in ("", "None"):
            return _kind_of_default(self.default)
        if annotation.startswith("Optional[") and annotation.endswith("]"):
            annotation = annotation[len("Optional[") : -1] + "|None"
        kinds = tuple(part.split("[")[0].lower() for part in annotation.split("|"))
        known = set(_ACCEPTED) | {"none"}
        if not set(kinds) <= known:
            return None
        return tuple("None" if kind == "none" else kind for kind in kinds)

    def accepts(self, value: Any) -> bool:
        kinds = self.kinds
        if kinds is None:
            return True
        if value is None:
            return "None" in kinds
        if isinstance(value, bool):
            return "bool" in kinds
        return any(isinstance(value, _ACCEPTED[kind]) for kind in kinds if kind != "None")

    def expected(self) -> str:
        kinds = self.kinds or ()
        return " or ".join("none (null)" if k == "None" else _EXPECTED_WORDS[k] for k in kinds)

    def declaration(self) -> str:
        annotation = "" if self.type_name == "None" else f": {self.type_name}"
        return f"{self.name}{annotation} = {self.default}"


def declared_parameters(notebook: nbformat.NotebookNode, path: Path) -> dict[str, ParameterSpec]:
    """The parameters declared in the notebook's first cell tagged ``parameters`` (as papermill)."""
    cell = next(
        (c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])),
        None,
    )
    if cell is None:
        return {}
    try:
        tree = ast.parse(cell.source, type_comments=True)
    except SyntaxError as error:
        raise RunnerInputError(
            f"{path}: the cell tagged 'parameters' is not plain Python (line {error.lineno}: "
            f"{error.msg}). Expected assignments such as 'year: int = 2022'."
        ) from error
    declared = {}
    for statement in tree.body:
        if isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, annotation = [statement.target], ast.unparse(statement.annotation)
        elif isinstance(statement, ast.Assign):
            targets, annotation = statement.targets, statement.type_comment or "None"
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                declared[target.id] = ParameterSpec(
                    target.id, annotation, ast.unparse(statement.value)
                )
    return declared


def parse_cli_pairs(pairs: Sequence[Sequence[str]]) -> dict[str, Any]:
    """``-p name value`` pairs, each value read as YAML as ``papermill -y`` would.

    So ``2010`` is an integer, ``true`` a boolean, ``[ARM, KAZ]`` a list, ``ARM`` and
    ``2022-01-05`` text; quote a number to pass it as text: ``-p label '"2010"'``. Values that
    papermill could not write (see :mod:`helpers.runner.parameter_values`) are refused.
    """
    values: dict[str, Any] = {}
    problems = []
    for name, text in pairs:
        try:
            values[name] = read_value(name, text)
        except ValueRefused as refused:
            problems.append(f"Parameter {name!r}: {refused.message}.")
        except yaml.YAMLError as error:
            problems.append(
                f"Parameter {name!r}: cannot read the value {brief(text)} ({yaml_reason(error)}). "
                "Expected a YAML value such as 2010, 0.5, true, ARM or [ARM, KAZ]."
            )
    if problems:
        raise RunnerInputError("\n".join(problems))
    return values


def read_parameter_file(path: Path) -> dict[str, Any]:
    """Parameters from a YAML file holding one mapping of name to value."""
    try:
        text = read_bounded(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except UnusableFile as unusable:
        raise RunnerInputError(f"Parameter file {path}: cannot read it ({unusable}).") from None
    except UnicodeDecodeError as error:
        raise RunnerInputError(
            f"Parameter file {path}: byte 0x{error.object[error.start]:02x} is not UTF-8 text; "
            "expected a YAML file saved as UTF-8."
        ) from None
    try:
        loaded = read_mapping(text)
    except ValueRefused as refused:
        where = [f"Parameter file {path}"]
        where += [f"parameter {refused.parameter!r}"] if refused.parameter else []
        where += [f"line {refused.line}"] if refused.line else []
        raise RunnerInputError(f"{', '.join(where)}: {refused.message}.") from None
    except yaml.YAMLError as error:
        raise RunnerInputError(
            f"Parameter file {path}: not valid YAML ({yaml_reason(error)})."
        ) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, Mapping):
        raise RunnerInputError(
            f"Parameter file {path}: expected a mapping of parameter names to values "
            f"(lines such as 'country: KAZ'), found {_kind_words(loaded)}."
        )
    names = [name for name in loaded if not isinstance(name, str)]
    if names:
        raise RunnerInputError(
            f"Parameter file {path}: the name {brief(names[0])} is not text; expected parameter "
            "names such as 'country' before each ':'."
        )
    return dict(loaded)


def parameters_per_notebook(
    notebooks: Sequence[Notebook], given: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """For each notebook, the given parameters it declares; every problem reported at once.

    A name is unknown only if none of the selected notebooks declares it: ``country`` may be
    meaningful for one notebook and absent from the others, and is then applied to that one only.
    """
    problems = []
    for name, value in given.items():
        try:
            check_plain(name, value)
        except ValueRefused as refused:
            problems.append(f"Parameter {name!r}: {refused.message}.")
            continue
        declaring = [nb for nb in notebooks if name in nb.parameters]
        if not declaring:
            problems.append(_unknown_name_message(name, notebooks))
        for notebook in declaring:
            spec = notebook.parameters[name]
            if not spec.accepts(value):
                problems.append(
                    f"Parameter {name!r} for {notebook.relpath}: got {brief(value)} "
                    f"({_kind_words(value)}), expected {spec.expected()} "
                    f"(the notebook declares {spec.declaration()}).{_text_hint(spec, value)}"
                )
    if problems:
        raise RunnerInputError("\n".join(problems))
    return [{k: v for k, v in given.items() if k in nb.parameters} for nb in notebooks]


def _unknown_name_message(name: str, notebooks: Sequence[Notebook]) -> str:
    declared = sorted({p for nb in notebooks for p in nb.parameters})
    known = ", ".join(declared) if declared else "none"
    return (
        f"Unknown parameter {name!r}: none of the selected notebooks declares it. "
        f"Parameters they declare: {known}."
    )


def _text_hint(spec: ParameterSpec, value: Any) -> str:
    if "str" not in (spec.kinds or ()) or isinstance(value, str):
        return ""
    if isinstance(value, bool) or value is None:
        return (
            " YAML reads true/false, yes/no and on/off as a switch, and null, ~ or nothing as "
            f"none; to pass text, quote it: -p {spec.name} '\"yes\"'."
        )
    return f" To pass it as text, quote it: -p {spec.name} '\"{brief(value)}\"'."


def _kind_of_default(default: str) -> tuple[str, ...] | None:
    try:
        value = ast.literal_eval(default)
    except (ValueError, SyntaxError):
        return None
    kind = type(value).__name__
    return (kind,) if kind in _ACCEPTED else None


def _kind_words(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true or false"
    return _EXPECTED_WORDS.get(type(value).__name__, type(value).__name__).split(" such as")[0]
