"""The HCL front end against an independent parser: python-hcl2 (``hcl2.loads``) as the oracle.

Both parse every fixture and example ``.tf`` file, a small generated corpus and generated HCL;
a small normaliser of each side keeps what must agree: block types, labels, attribute names
and literal values (numbers, bools, null, strings without sequences or escapes, and lists and
objects of those). Everything else (references, templates, heredocs) only has to be there.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.terraform.syntax.ast import Block, Body, Expr, Literal, ObjectExpr, TupleExpr
from linter.terraform.syntax.hcl import HclSyntaxError, parse_hcl
from tests.conftest import bench_module

ROOT = Path(__file__).resolve().parents[2]
UNKNOWN = "<not a literal>"

# Files python-hcl2 rejects although they are valid HCL (Terraform reads them), and why.
_LONG_INTEGER = "an integer literal of 5,000 digits: hcl2 calls int() on it (ValueError)"
HCL2_WRONGLY_REJECTS: dict[str, str] = {
    "tests/hostile/fuzz_regressions/eval/integer-literal-over-4300-digits.tf": _LONG_INTEGER,
    "tests/hostile/fuzz_regressions/hcl/integer-literal-over-4300-digits.tf": _LONG_INTEGER,
}


# --- the normalisers ---------------------------------------------------------------------------


def ours(body: Body) -> dict[str, Any]:
    """Attributes by name, and blocks by type (in order) as (labels, body) pairs."""
    attributes = {a.name: literal(a.value) for a in body.attributes}
    blocks: dict[str, list[Any]] = {}
    for block in body.blocks:
        blocks.setdefault(block.type, []).append((block.labels, ours(block.body)))
    return {"attributes": attributes, "blocks": blocks}


def literal(expr: Expr) -> Any:
    if isinstance(expr, Literal):
        value = expr.value
        if isinstance(value, str) and ("\\" in value or "${" in value or "%{" in value):
            return UNKNOWN  # compared only where both sides keep the text as written
        return value
    if isinstance(expr, TupleExpr):
        items = [literal(item) for item in expr.items]
        return UNKNOWN if UNKNOWN in items else items
    if isinstance(expr, ObjectExpr):
        keys = [literal(item.key) for item in expr.items]
        values = [literal(item.value) for item in expr.items]
        if UNKNOWN in keys or UNKNOWN in values or not all(isinstance(k, str) for k in keys):
            return UNKNOWN
        return dict(zip(keys, values, strict=True))
    return UNKNOWN


def theirs(document: dict[str, Any]) -> dict[str, Any]:
    """hcl2's dictionary in the shape of :func:`ours`."""
    attributes: dict[str, Any] = {}
    blocks: dict[str, list[Any]] = {}
    for key, value in document.items():
        if key.startswith("__") and key.endswith("__"):
            continue  # hcl2's markers: __is_block__, __comments__...
        if isinstance(value, list) and value and all(_is_block(v) for v in value):
            for block in value:
                blocks.setdefault(key, []).append(_labelled(block))
        else:
            attributes[key] = their_literal(value)
    return {"attributes": attributes, "blocks": blocks}


def _is_block(value: Any) -> bool:
    while isinstance(value, dict):
        if "__is_block__" in value:
            return True
        if len(value) != 1:
            return False
        (value,) = value.values()
    return False


def _labelled(block: dict[str, Any]) -> tuple[tuple[str, ...], dict[str, Any]]:
    labels: list[str] = []
    while "__is_block__" not in block:
        ((label, block),) = ((k, v) for k, v in block.items() if not k.startswith("__"))
        labels.append(_unquoted(label))
    return tuple(labels), theirs(block)


def _unquoted(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def their_literal(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == value[-1] == '"':
            text = value[1:-1]
            plain = not any(mark in text for mark in ("\\", "${", "%{", '"'))
            return text if plain else UNKNOWN
        return UNKNOWN  # an expression, written back as text
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value if not (isinstance(value, float) and math.isinf(value)) else UNKNOWN
    if isinstance(value, list):
        items = [their_literal(item) for item in value]
        return UNKNOWN if UNKNOWN in items else items
    if isinstance(value, dict):
        if "__is_block__" in value:
            return UNKNOWN
        items = {_unquoted(k): their_literal(v) for k, v in value.items()}
        return UNKNOWN if UNKNOWN in items.values() else items
    return UNKNOWN


def agree(ours_: dict[str, Any], theirs_: dict[str, Any], where: str) -> None:
    """Same blocks and attribute names; the same value where both know it is a literal."""
    assert sorted(ours_["attributes"]) == sorted(theirs_["attributes"]), where
    for name, value in ours_["attributes"].items():
        other = theirs_["attributes"][name]
        if UNKNOWN not in (value, other) and not _has_unknown(value, other):
            assert value == other, f"{where}: attribute {name}"
    assert sorted(ours_["blocks"]) == sorted(theirs_["blocks"]), where
    for kind, ours_blocks in ours_["blocks"].items():
        theirs_blocks = theirs_["blocks"][kind]
        assert [labels for labels, _ in ours_blocks] == [labels for labels, _ in theirs_blocks]
        for (labels, body), (_, other_body) in zip(ours_blocks, theirs_blocks, strict=True):
            agree(body, other_body, f"{where} > {kind} {' '.join(labels)}")


def _has_unknown(*values: Any) -> bool:
    for value in values:
        if value == UNKNOWN:
            return True
        if isinstance(value, list) and _has_unknown(*value):
            return True
        if isinstance(value, dict) and _has_unknown(*value.values()):
            return True
    return False


def check(text: str, where: str) -> None:
    agree(ours(parse_hcl(text, where).body), theirs(hcl2.loads(text)), where)


def test_the_normalisers_see_what_they_must() -> None:
    text = (
        'resource "a" "b" {\n  n = 1\n  s = "x"\n  t = "${v}"\n  l = [1, true]\n'
        "  o = { k = null }\n  inner { m = 2.5 }\n}\nlocals {\n  r = var.x\n}\n"
    )
    expected = {
        "attributes": {},
        "blocks": {
            "resource": [
                (
                    ("a", "b"),
                    {
                        "attributes": {
                            "n": 1,
                            "s": "x",
                            "t": UNKNOWN,
                            "l": [1, True],
                            "o": {"k": None},
                        },
                        "blocks": {"inner": [((), {"attributes": {"m": 2.5}, "blocks": {}})]},
                    },
                )
            ],
            "locals": [((), {"attributes": {"r": UNKNOWN}, "blocks": {}})],
        },
    }
    assert ours(parse_hcl(text, "t.tf").body) == expected
    assert theirs(hcl2.loads(text)) == expected


def test_a_difference_is_caught() -> None:
    with pytest.raises(AssertionError):
        agree(ours(parse_hcl("a = 1\n", "t.tf").body), theirs(hcl2.loads("a = 2\n")), "t")
    with pytest.raises(AssertionError):
        agree(ours(parse_hcl("b {}\n", "t.tf").body), theirs(hcl2.loads('b "l" {}\n')), "t")


# --- every fixture and example -----------------------------------------------------------------

FILES = sorted(
    str(path.relative_to(ROOT))
    for folder in ("tests", "examples")
    for path in (ROOT / folder).rglob("*.tf")
)


def test_there_are_files_to_compare() -> None:
    assert len(FILES) > 20


@pytest.mark.parametrize("name", FILES)
def test_fixtures_and_examples_parse_as_python_hcl2_parses_them(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    try:
        expected = hcl2.loads(text)
    except Exception:  # python-hcl2 raises Lark's errors, and ValueError
        if name in HCL2_WRONGLY_REJECTS:
            parse_hcl(text, name)
        else:  # invalid for both (a fixture that must never be read)
            with pytest.raises(HclSyntaxError):
                parse_hcl(text, name)
        return
    assert name not in HCL2_WRONGLY_REJECTS
    agree(ours(parse_hcl(text, name).body), theirs(expected), name)


# --- a generated corpus ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_generated_corpus_parses_as_python_hcl2_parses_it(tmp_path: Path) -> None:
    bench_module("generate").generate(tmp_path / "corpus", 0.02)
    files = sorted((tmp_path / "corpus").rglob("*.tf"))
    assert len(files) > 50
    for path in files:
        check(path.read_text(encoding="utf-8"), str(path.relative_to(tmp_path)))


# --- generated HCL -----------------------------------------------------------------------------

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
KEYWORDS = {"true", "false", "null", "for", "in", "if", "else", "endif", "endfor", "for_each"}
names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(lambda n: n not in KEYWORDS)
scalars = st.one_of(
    st.integers(min_value=0, max_value=10**9).map(str),
    st.sampled_from(["true", "false", "null", "1.5", "0.25", "1e3"]),
    st.text(st.sampled_from("abcXYZ019 _-.:/@!?&|*+=<>()[]'é"), max_size=10).map(
        lambda t: f'"{t}"'
    ),
    st.builds(lambda a, b: f"{a}.{b}", names, names),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
    st.lists(st.tuples(names, scalars), max_size=3, unique_by=lambda kv: kv[0]).map(
        lambda kvs: "{" + ", ".join(f"{k} = {v}" for k, v in kvs) + "}"
    ),
)


@st.composite
def bodies(draw: st.DrawFn, depth: int = 0) -> str:
    lines: list[str] = []
    attributes = draw(st.lists(names, max_size=4, unique=True))
    for name in attributes:
        lines.append(f"{name} = {draw(values)}")
    if depth < 2:
        for _ in range(draw(st.integers(0, 2))):
            # Not an attribute's name: python-hcl2 rejects `a = 0` beside a block `a {}`
            # ("Attribute a is already defined"), so such a body is no valid oracle case.
            kind = draw(names.filter(lambda n: n not in attributes))
            labels = draw(st.lists(names.map(lambda n: f'"{n}"'), max_size=2))
            inner = draw(bodies(depth + 1))
            lines.append(f"{kind} {' '.join(labels)} {{\n{inner}}}".replace("  {", " {"))
    return "".join(line + "\n" for line in lines)


@pytest.mark.slow
@SETTINGS
@given(bodies())
def test_generated_hcl_parses_as_python_hcl2_parses_it(text: str) -> None:
    check(text, "generated.tf")


HCL_ALPHABET = st.sampled_from(
    [*'abx019 ={}[]()",.:?!-+*/<>#$%~\\\n\t', "${", "%{", "<<EOT\n", "\nEOT\n", "/*", "*/", "é"]
)


@pytest.mark.slow
@SETTINGS
@given(st.lists(HCL_ALPHABET, max_size=40).map("".join))
def test_a_syntax_error_is_always_located_inside_the_file(text: str) -> None:
    try:
        parse_hcl(text, "broken.tf")
    except HclSyntaxError as error:
        lines = text.split("\n")
        location = error.location
        assert location.path == "broken.tf"
        assert 1 <= location.line <= len(lines)
        assert 1 <= location.column <= len(lines[location.line - 1]) + 1
        assert "\n" not in error.message


def test_a_block_list_is_told_from_an_attribute() -> None:
    assert isinstance(parse_hcl("b {}\n", "t.tf").body.blocks[0], Block)
    assert _is_block([{"__is_block__": True}][0])
    assert not _is_block({"a": 1})
