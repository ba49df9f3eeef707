"""Parameter values read from YAML, as papermill reads them, but refusing what cannot be run.

papermill writes each value into the notebook as Python source and into its metadata as JSON, so a
value must be plain data: text, a finite number, true or false, null, a list or a mapping with
text keys. Like ``papermill -y``, a date such as ``2022-01-05`` stays text. What YAML can build
beyond plain data is refused here with the parameter named, before any notebook runs: aliases
(a few lines of ``&a [*b, *b, ...]`` expand to billions of items, the "billion laughs"), nesting
deep enough to exhaust the parser's stack, numbers longer than any count or year, and the tagged
types (``!!timestamp``, ``!!binary``, ``!!set``) that papermill cannot write.
"""

from __future__ import annotations

import datetime
import math
from typing import Any, ClassVar

import yaml

from helpers.problems import brief

MAX_TEXT_CHARACTERS = 10_000  # one -p value
MAX_FILE_BYTES = 1_000_000  # a parameter file
MAX_NESTING = 10
MAX_ITEMS = 10_000
MAX_DIGITS = 15
MAX_PARAMETERS = 100  # in one file; each notebook declares a handful
EXPECTED = "text, a number, true or false, null, a list or a mapping"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"


class ValueRefused(ValueError):
    """A parameter value that cannot be used; ``parameter`` is its name when known."""

    def __init__(self, message: str, parameter: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.parameter = parameter
        self.line = line


class _ParameterLoader(yaml.SafeLoader):
    """PyYAML's safe loader without dates (as papermill's), aliases, deep nesting or long numbers.

    The checks run while the document is composed, before anything is built from it, so an alias
    is refused before it can expand and deep nesting before it can exhaust the stack.
    """

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [resolver for resolver in resolvers if resolver[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, text: str, parameter: str | None) -> None:
        super().__init__(text)
        self.parameter = parameter
        self.top_level = parameter is None  # a file: a mapping of names to values
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.top_level and self.depth == 1 and isinstance(index, yaml.ScalarNode):
            self.parameter = index.value
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._refuse(f"uses the YAML alias *{event.anchor}; expected each value written out")
        if self.depth >= MAX_NESTING:
            self._refuse(f"is nested more than {MAX_NESTING} levels deep; expected a flatter value")
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        digits = sum(c.isdigit() for c in node.value) if node.tag == _INT_TAG else 0
        if digits > MAX_DIGITS:
            self._refuse(f"is a number of {digits:,} digits; expected at most {MAX_DIGITS}", node)
        if node.tag == _FLOAT_TAG and node.value.lower().lstrip("+-") in (".inf", ".nan"):
            self._refuse(f"is {node.value}; expected a finite number", node)
        return node

    def _refuse(self, what: str, node: Any = None) -> None:
        mark = (node or self.peek_event()).start_mark
        raise ValueRefused(f"the value {what}", self.parameter, mark.line + 1)


def read_value(name: str, text: str) -> Any:
    """The value of ``-p name text``, read as YAML and checked to be plain data."""
    if len(text) > MAX_TEXT_CHARACTERS:
        raise ValueRefused(
            f"the value has {len(text):,} characters; expected at most {MAX_TEXT_CHARACTERS:,} "
            "(use a parameter file, or a file the notebook reads, for long values)",
            name,
        )
    return check_plain(name, _load(text, name))


def read_mapping(text: str) -> Any:
    """A parameter file's document, read as YAML; each top-level value checked to be plain data."""
    loaded = _load(text, None)
    if isinstance(loaded, dict):
        if len(loaded) > MAX_PARAMETERS:
            raise ValueRefused(
                f"the file sets {len(loaded):,} parameters; expected at most {MAX_PARAMETERS}"
            )
        for name, value in loaded.items():
            check_plain(str(name), value)
    return loaded


def _load(text: str, parameter: str | None) -> Any:
    loader = _ParameterLoader(text, parameter)
    try:
        return loader.get_single_data()
    except RecursionError:
        raise ValueRefused(
            f"the value is nested too deep; expected at most {MAX_NESTING} levels", parameter
        ) from None
    finally:
        loader.dispose()


def check_plain(name: str, value: Any) -> Any:
    """``value`` itself if it is plain data papermill can write; else :class:`ValueRefused`."""
    stack, items = [value], 0
    while stack:
        item = stack.pop()
        items += 1
        if items > MAX_ITEMS:
            raise ValueRefused(f"the value has more than {MAX_ITEMS:,} items; expected fewer", name)
        if isinstance(item, list):
            stack += item
        elif isinstance(item, dict):
            keys = [key for key in item if not isinstance(key, str)]
            if keys:
                raise ValueRefused(
                    f"a mapping in the value has the key {brief(keys[0])}; expected text keys",
                    name,
                )
            stack += item.values()
        elif isinstance(item, float) and not math.isfinite(item):
            raise ValueRefused(f"the value holds {item}; expected a finite number", name)
        elif not isinstance(item, str | int | float | bool | type(None)):
            raise ValueRefused(
                f"the value holds {_kind_of(item)}; expected {EXPECTED}{_date_hint(item)}", name
            )
    return value


def _kind_of(item: object) -> str:
    if isinstance(item, datetime.date):
        return f"a date ({item.isoformat()})"
    words = {bytes: "binary data", set: "a set", tuple: "a pair"}
    return next((w for kind, w in words.items() if isinstance(item, kind)), type(item).__name__)


def _date_hint(item: object) -> str:
    if isinstance(item, datetime.date):
        return " (write dates as text, without a !!timestamp tag)"
    return ""


def yaml_reason(error: yaml.YAMLError) -> str:
    """PyYAML's complaint on one line: what is wrong and on which line."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem:
        mark = error.problem_mark
        where = f" on line {mark.line + 1}" if mark is not None else ""
        return f"{error.problem}{where}"
    return str(error).splitlines()[0] if str(error) else type(error).__name__
