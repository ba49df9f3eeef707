"""Question banks: answers sealed out of plain sight, versions, and clear errors for bad banks."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

import pytest

from helpers.exercises import BankError, bank_names, load_bank
from helpers.exercises.authoring import main as authoring
from helpers.exercises.bank import (
    MAX_BANK_BYTES,
    MAX_KEY_BYTES,
    decode_key,
    dump_yaml,
    encode_key,
    seal,
    unseal,
)
from helpers.exercises.questions import QUESTION_TYPES
from tests.exercise_samples import SAMPLE_PLAIN, plain_bank, write_bank

REPO = Path(__file__).resolve().parents[1]


def normalised(data: dict) -> str:
    return json.dumps(data, sort_keys=True)


def test_sealed_bank_shows_prompts_but_not_answers(tmp_path: Path):
    text = write_bank(tmp_path).read_text(encoding="utf-8")
    assert "Where was the Collective Security Treaty signed?" in text
    for secret in ("It was signed in Tashkent in May 1992.", "answer: b", "aggregate",
                   "A member asked, all agreed", "joint staff sits in Moscow"):
        assert secret not in text
    assert text.startswith("# Question bank for exercises/sample_exercises.ipynb.")


def test_seal_and_unseal_round_trip():
    assert normalised(unseal(seal(SAMPLE_PLAIN, "s"), "s")) == normalised(SAMPLE_PLAIN)


def test_authoring_commands_round_trip_a_bank(tmp_path: Path):
    sealed = write_bank(tmp_path / "banks")
    plain = tmp_path / "plain.yaml"
    assert authoring(["unseal", str(sealed), "--out", str(plain)]) == 0
    assert "It was signed in Tashkent in May 1992." in plain.read_text(encoding="utf-8")
    resealed = tmp_path / "again" / "sample.yaml"
    assert authoring(["seal", str(plain), "--out", str(resealed)]) == 0
    assert resealed.read_text(encoding="utf-8") == sealed.read_text(encoding="utf-8")


def test_version_follows_the_content(tmp_path: Path):
    first = load_bank("sample", write_bank(tmp_path / "a").parent).version
    same = load_bank("sample", write_bank(tmp_path / "b").parent).version
    changed = plain_bank()
    changed["questions"][0] = {**changed["questions"][0], "answer": "c"}
    other = load_bank("sample", write_bank(tmp_path / "c", changed).parent).version
    assert first == same != other


def test_unknown_bank_lists_the_known_ones(tmp_path: Path):
    write_bank(tmp_path)
    with pytest.raises(BankError, match=r"No question bank '01_history'.*Known banks: sample"):
        load_bank("01_history", tmp_path)


def test_a_key_edited_by_hand_is_refused_with_the_file_named(tmp_path: Path):
    path = write_bank(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("key: |\n  ", "key: |\n  XYZ"), encoding="utf-8")
    with pytest.raises(BankError, match=r"sample.yaml, field 'key': cannot be decoded"):
        load_bank("sample", tmp_path)


def test_a_bank_whose_name_differs_from_its_file_is_refused(tmp_path: Path):
    path = write_bank(tmp_path)
    path.rename(tmp_path / "other.yaml")
    with pytest.raises(BankError, match="field 'bank': expected 'other'"):
        load_bank("other", tmp_path)


def test_a_missing_banks_folder_is_named(tmp_path: Path):
    with pytest.raises(BankError, match=r"banks_dir argument.*is not a folder"):
        load_bank("sample", tmp_path / "nowhere")


def test_the_demo_bank_uses_every_question_type_and_cites_a_source():
    bank = load_bank("00_demo", REPO / "exercises" / "banks")
    assert {question.kind for question in bank.questions} == set(QUESTION_TYPES)
    for question in bank.questions:
        assert "section" in question.source or "dataset" in question.source, question.id
    assert "00_demo" in bank_names(REPO / "exercises" / "banks")


def write_sealed(directory: Path, sealed: dict) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sample.yaml").write_text(dump_yaml(sealed), encoding="utf-8")


def test_a_key_that_decompresses_to_gigabytes_stops_at_the_cap(tmp_path: Path):
    sealed = seal(plain_bank(), "sample.yaml")
    bomb = zlib.compress(b"[" + b" " * (MAX_KEY_BYTES + 1) + b"]", 9)
    write_sealed(tmp_path, {**sealed, "key": base64.b64encode(bomb).decode("ascii")})
    with pytest.raises(BankError, match=r"sample.yaml, field 'key': decompresses to more than "
                                        r"4,194,304 bytes"):
        load_bank("sample", tmp_path)


def test_a_key_nested_too_deep_is_refused(tmp_path: Path):
    sealed = seal(plain_bank(), "sample.yaml")
    deep = zlib.compress(b"[" * 100_000 + b"]" * 100_000)
    write_sealed(tmp_path, {**sealed, "key": base64.b64encode(deep).decode("ascii")})
    with pytest.raises(BankError, match=r"field 'key': nests 100,000 levels deep"):
        load_bank("sample", tmp_path)


LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LAUGHS, r"sample.yaml: uses a YAML alias at line 2; write the value out in full"),
        ("x: " + "[" * 100_000 + "]" * 100_000, r"sample.yaml: nests deeper than 32 levels"),
        ("title: " + "x" * (MAX_BANK_BYTES + 1), r"sample.yaml: cannot be used: found 2,097,160 "
                                                 r"bytes; expected a file of at most 2,097,152"),
        ("- a\n- b\n", r"sample.yaml: expected a mapping with bank, title, notebook, questions; "
                       r"found list"),
        ("just text", r"sample.yaml: expected a mapping .*; found str"),
        ("bank: [unclosed", r"sample.yaml: cannot be read as UTF-8 YAML"),
        ('title: "\\ud800"', r"sample.yaml: holds text that is not valid Unicode"),
    ],
)
def test_a_hostile_or_malformed_bank_file_is_a_bank_error(tmp_path: Path, text, message):
    (tmp_path / "sample.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BankError, match=message):
        load_bank("sample", tmp_path)


def test_a_bank_that_is_a_link_is_refused(tmp_path: Path):
    target = write_bank(tmp_path / "elsewhere")
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "sample.yaml").symlink_to(target)
    with pytest.raises(BankError, match=r"sample.yaml: cannot be used: found a symbolic link"):
        load_bank("sample", tmp_path / "banks")


def shape(change):
    """A sealed sample bank with one part replaced by a value of the wrong shape."""
    def make(sealed: dict) -> dict:
        changed = json.loads(json.dumps(sealed))
        change(changed)
        return changed
    return make


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (shape(lambda b: b.update(questions="all of them")),
         "field 'questions': expected a non-empty list; found 'all of them'"),
        (shape(lambda b: b.update(questions={"q": 1})), "field 'questions': expected a non-empty"),
        (shape(lambda b: b.update(title=["a", "list"])), "field 'title': expected non-empty text"),
        (shape(lambda b: b["questions"].__setitem__(0, ["treaty_city"])),
         "each question must be a mapping of fields; found ['treaty_city']"),
        (shape(lambda b: b["questions"][0].__setitem__("id", ["treaty_city"])),
         "field 'id': expected non-empty text; found ['treaty_city']"),
        (shape(lambda b: b["questions"][0].__setitem__("options", ["Moscow", "Tashkent"])),
         "question 'treaty_city', field 'options': expected a non-empty mapping of id: text"),
        (shape(lambda b: b["questions"][6].__setitem__("tables", "crises")),
         "question 'before_2022', field 'tables': expected a list of table names"),
        (shape(lambda b: b.update(key=["not", "text"])),
         "field 'key': expected the sealed text; found list"),
        (shape(lambda b: b.update(key=encode_key({"treaty_city": ["b"]}))),
         "field 'key': the answers to 'treaty_city' are list, expected a mapping of fields"),
        (shape(lambda b: b.update(key=encode_key(["b"]))),
         "field 'key': decodes to list, expected a mapping"),
        (shape(lambda b: b.update(key=encode_key(
            {**decode_key(b["key"], "s"), "treaty_city": {"answer": {"x": 1}, "explanation": "e"}}
        ))), "question 'treaty_city', field 'answer': expected non-empty text"),
    ],
)
def test_a_bank_of_the_wrong_shape_is_a_bank_error_naming_the_field(tmp_path: Path, mutate,
                                                                    message):
    write_sealed(tmp_path, mutate(seal(plain_bank(), "sample.yaml")))
    with pytest.raises(BankError) as caught:
        load_bank("sample", tmp_path)
    assert message in str(caught.value)
    assert str(caught.value).startswith("sample.yaml")
