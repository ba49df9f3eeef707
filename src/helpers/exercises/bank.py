"""Question banks: one YAML file per exercise notebook, with the answers sealed in an encoded key.

A bank lives in ``exercises/banks/<name>.yaml``. Prompts, options and hints are plain text (the
notebook shows them anyway); answers, explanations, per-option feedback, model answers and data
solutions are moved into ``key``: JSON, zlib-compressed and base64-encoded. That is not security
(anyone can decode it), but a learner scrolling the notebook or the bank does not see the answers
by accident. Teachers read them with ``csto-key``; authors edit banks with
``python -m helpers.exercises.authoring unseal`` and ``seal``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import textwrap
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers.exercises.bounded import load_json, read_limited, shown
from helpers.exercises.errors import AnswerError, BankError
from helpers.exercises.questions import QUESTION_TYPES, Question, parse_question

BANKS_ENV = "CSTO_BANKS_DIR"
MAX_BANK_BYTES = 2 << 20  # a bank of the course is some 20 kilobytes
MAX_KEY_BYTES = 4 << 20  # the decoded key, however well it compresses
MAX_YAML_DEPTH = 32
_REPO_BANKS = Path(__file__).resolve().parents[3] / "exercises" / "banks"
_BANK_FIELDS = ("bank", "title", "notebook", "questions")
_HEADER = """\
# Question bank for exercises/{notebook}.
# The answers are sealed in `key` so that they are not read by accident; teachers print them with
# `csto-key {name}`. To edit: python -m helpers.exercises.authoring unseal <this file> --out FILE,
# edit FILE, then: python -m helpers.exercises.authoring seal FILE --out <this file>.
"""


@dataclass(frozen=True)
class Bank:
    """The questions of one exercise notebook, with a version that changes whenever they do."""

    name: str
    title: str
    notebook: str
    questions: tuple[Question, ...]
    version: str

    @property
    def ids(self) -> list[str]:
        return [question.id for question in self.questions]

    def question(self, question_id: object) -> Question:
        """The question with this id; AnswerError naming the known ids otherwise."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise AnswerError(
            f"Unknown question id {shown(question_id)} in exercise {self.name!r}. "
            f"Known ids: {', '.join(self.ids)}."
        )


def resolve_banks_dir(banks_dir: str | os.PathLike[str] | None = None) -> Path:
    """The argument, else the ``CSTO_BANKS_DIR`` environment variable, else exercises/banks."""
    if banks_dir is not None:
        origin, chosen = "banks_dir argument", Path(banks_dir)
    elif os.environ.get(BANKS_ENV):
        origin, chosen = f"environment variable {BANKS_ENV}", Path(os.environ[BANKS_ENV])
    else:
        origin, chosen = "the course's exercises/banks folder", _REPO_BANKS
    if not chosen.expanduser().is_dir():
        raise BankError(f"{origin}: {str(chosen)!r} is not a folder of question banks (*.yaml).")
    return chosen.expanduser()


def bank_names(banks_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Every bank in the folder, in the order of the exercise notebooks (their names sort so)."""
    return sorted(path.stem for path in resolve_banks_dir(banks_dir).glob("*.yaml"))


def load_bank(name: str, banks_dir: str | os.PathLike[str] | None = None) -> Bank:
    """Read, decode and check one bank; BankError names the file and field of any problem."""
    directory = resolve_banks_dir(banks_dir)
    path = directory / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(bank_names(directory)) or "none"
        raise BankError(f"No question bank {name!r}: {path.name} is not in {directory}. "
                        f"Known banks: {known}.")
    sealed = read_yaml(path)
    plain = unseal(sealed, path.name)
    if plain["bank"] != name:
        raise BankError(f"{path.name}, field 'bank': expected {name!r} (the file name); "
                        f"found {plain['bank']!r}.")
    return bank_from_plain(plain, path.name)


class _Refused(Exception):
    """A bank the loader refuses to build; turned into a BankError naming the file."""


class _BankLoader(yaml.SafeLoader):
    """Safe YAML without aliases (a bank never needs them, and "billion laughs" expands through
    them) and with bounded nesting, so a hostile bank costs no more than its size."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _Refused(f"uses a YAML alias at line {mark.line + 1}; write the value out "
                           "in full (aliases are not allowed in banks)")
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise _Refused(f"nests deeper than {MAX_YAML_DEPTH} levels at line "
                               f"{mark.line + 1}")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_yaml(path: Path) -> dict[str, Any]:
    """A bank file as a mapping: a regular file of at most ``MAX_BANK_BYTES``, UTF-8, YAML
    without aliases; BankError naming the file otherwise."""
    def refused(reason: str) -> BankError:
        return BankError(f"{path.name}: {reason}.")

    raw = read_limited(path, MAX_BANK_BYTES, refused)
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_BankLoader)  # a SafeLoader, restricted
        json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        raise refused("holds text that is not valid Unicode (an unpaired surrogate escape)") \
            from None
    except _Refused as reason:
        raise refused(str(reason)) from None
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise BankError(f"{path.name}: cannot be read as UTF-8 YAML ({error}).") from None
    if not isinstance(data, dict):
        raise BankError(f"{path.name}: expected a mapping with {', '.join(_BANK_FIELDS)}; "
                        f"found {type(data).__name__}.")
    return data


def bank_from_plain(plain: Mapping[str, Any], where: str) -> Bank:
    """Build a bank from its plain (unsealed) form, checking every question."""
    _require_bank_fields(plain, where)
    questions = tuple(parse_question(entry, where) for entry in plain["questions"])
    ids = [question.id for question in questions]
    repeated = sorted({qid for qid in ids if ids.count(qid) > 1})
    if repeated:
        raise BankError(f"{where}: question ids must be unique; repeated: {', '.join(repeated)}.")
    canonical = json.dumps(plain, sort_keys=True, ensure_ascii=False, default=str)
    version = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
    return Bank(plain["bank"], plain["title"], plain["notebook"], questions, version)


def seal(plain: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Move each question's secret fields into the encoded key (checking the bank first)."""
    bank_from_plain(plain, where)
    questions, secrets = [], {}
    for entry in plain["questions"]:
        hidden = QUESTION_TYPES[entry["type"]].secret_fields
        questions.append({k: v for k, v in entry.items() if k not in hidden})
        secrets[entry["id"]] = {k: v for k, v in entry.items() if k in hidden}
    sealed = {k: v for k, v in plain.items() if k != "questions"}
    return {**sealed, "questions": questions, "key": encode_key(secrets)}


def unseal(sealed: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Put the decoded key back into each question: the form authors edit and the core reads."""
    _require_bank_fields(sealed, where)
    if "key" not in sealed:
        raise BankError(f"{where}: no 'key' field; seal the bank with "
                        "python -m helpers.exercises.authoring seal.")
    secrets = decode_key(sealed["key"], where)
    well_formed = all(isinstance(entry, Mapping) and isinstance(entry.get("id"), str)
                      for entry in sealed["questions"])
    # A malformed question is reported by name when the bank is parsed; strays only make sense
    # among well-formed ones.
    ids = {entry["id"] for entry in sealed["questions"]} if well_formed else set(secrets)
    strays = sorted(set(secrets) - ids)
    if strays:
        raise BankError(f"{where}, field 'key': answers for questions that are not in the bank: "
                        f"{', '.join(strays)}.")
    questions = [
        {**entry, **secrets.get(entry["id"], {})}
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str) else entry
        for entry in sealed["questions"]
    ]
    plain = {k: v for k, v in sealed.items() if k not in ("questions", "key")}
    return {**plain, "questions": questions}


def encode_key(secrets: Mapping[str, Any]) -> str:
    packed = json.dumps(secrets, sort_keys=True, ensure_ascii=False).encode("utf-8")
    text = base64.b64encode(zlib.compress(packed, 9)).decode("ascii")
    return "\n".join(textwrap.wrap(text, 76)) + "\n"


def decode_key(text: object, where: str) -> dict[str, Any]:
    """The sealed answers, decompressed to at most ``MAX_KEY_BYTES`` (a zlib bomb stops there)
    and parsed as shallow JSON; BankError naming the field otherwise."""
    def refused(reason: str) -> BankError:
        return BankError(f"{where}, field 'key': {reason}; it must be written by "
                         "python -m helpers.exercises.authoring seal, not edited by hand.")

    if not isinstance(text, str):
        raise refused(f"expected the sealed text; found {type(text).__name__}")
    try:
        inflater = zlib.decompressobj()
        packed = inflater.decompress(base64.b64decode("".join(text.split()), validate=True),
                                     MAX_KEY_BYTES)
        if inflater.unconsumed_tail:
            raise refused(f"decompresses to more than {MAX_KEY_BYTES:,} bytes")
        secrets = load_json(packed.decode("utf-8"), lambda reason: refused(reason))
    except (binascii.Error, zlib.error, UnicodeDecodeError) as error:
        raise refused(f"cannot be decoded ({error})") from None
    if not isinstance(secrets, dict):
        raise BankError(f"{where}, field 'key': decodes to {type(secrets).__name__}, "
                        "expected a mapping of question id to answers.")
    wrong = [qid for qid, fields in secrets.items() if not isinstance(fields, dict)]
    if wrong:
        raise BankError(f"{where}, field 'key': the answers to {shown(wrong[0])} are "
                        f"{type(secrets[wrong[0]]).__name__}, expected a mapping of fields.")
    return secrets


def dump_yaml(data: Mapping[str, Any], *, header: bool = False) -> str:
    """Readable, stable YAML: keys in the author's order, multi-line text as literal blocks."""
    text = yaml.dump(dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96)
    if header:
        text = _HEADER.format(notebook=data["notebook"], name=data["bank"]) + text
    return text


class _Dumper(yaml.SafeDumper):
    pass


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def _require_bank_fields(data: Mapping[str, Any], where: str) -> None:
    for name in ("bank", "title", "notebook"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise BankError(f"{where}, field {name!r}: expected non-empty text; "
                            f"found {data.get(name)!r}.")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        raise BankError(f"{where}, field 'questions': expected a non-empty list; "
                        f"found {questions!r}.")
