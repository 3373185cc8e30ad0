"""The HCL converter's shortcuts: quick AST constructors, and what it no longer asks tree-sitter."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from linter.core.locations import Location
from linter.terraform.syntax import ast, hcl
from linter.terraform.syntax.ast import Attribute, Body, GetAttr, Literal, Variable

QUICK = [
    ast.Literal,
    ast.Variable,
    ast.GetAttr,
    ast.Attribute,
    ast.Body,
    ast.Block,
    ast.Call,
    ast.ObjectItem,
    ast.ObjectExpr,
    ast.TupleExpr,
]


@pytest.mark.parametrize("cls", QUICK)
def test_a_quick_constructor_equals_the_dataclass_constructor(cls: type) -> None:
    """The nodes the converter builds most are made by quick_init's __init__ (core.frozen):
    equal to what the dataclass's own makes, and as frozen."""
    assert "_FACTORY" in cls.__init__.__globals__  # quick_init's __init__, not the dataclass's
    values: list[Any] = [f"{cls.__name__}-{field.name}" for field in dataclasses.fields(cls)]
    fast = cls(*values)
    slow = object.__new__(cls)
    for field, value in zip(dataclasses.fields(cls), values, strict=True):
        object.__setattr__(slow, field.name, value)
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(fast, dataclasses.fields(cls)[0].name, None)


def test_the_parser_builds_nodes_equal_to_constructed_ones() -> None:
    body = hcl.parse_hcl('a = "x"\nb = var.c\n', "main.tf").body
    assert body == Body(
        (
            Attribute("a", Literal(Location("main.tf", 1, 5), "x"), Location("main.tf", 1, 1), 1),
            Attribute(
                "b",
                GetAttr(Location("main.tf", 2, 5), Variable(Location("main.tf", 2, 5), "var"), "c"),
                Location("main.tf", 2, 1),
                2,
            ),
        ),
        (),
    )


def test_a_literal_value_is_one_token_that_its_first_byte_names() -> None:
    # literal_value() reads a literal's kind from its first byte, never making the child node.
    source = b'a = "s"\nb = 12\nc = 1.5e3\nd = true\ne = false\nf = null\n'
    tree, _ = hcl._tree(source)
    expected = {'"': "string_lit", "1": "numeric_lit", "t": "bool_lit", "f": "bool_lit"}
    expected["n"] = "null_lit"
    seen = []
    for attribute in tree.root_node.children[0].children:
        literal = attribute.children[2].children[0]
        assert literal.type == "literal_value"
        (token,) = literal.children
        assert (token.start_byte, token.end_byte) == (literal.start_byte, literal.end_byte)
        assert token.type == expected[chr(source[literal.start_byte])]
        seen.append(token.type)
    assert len(seen) == 6
    values = [a.value for a in hcl.parse_hcl(source.decode(), "main.tf").body.attributes]
    assert [v.value for v in values if isinstance(v, Literal)] == [
        "s",
        12,
        1500.0,
        True,
        False,
        None,
    ]


def test_a_step_after_a_dot_is_read_from_the_source_only_when_it_is_a_known_name() -> None:
    # "a . b" or "a./* c */b" are no known name after the dot: the node is asked.
    text = "x = var.b\ny = var . b\nz = var./* c */b\nw = b.b\n"
    body = hcl.parse_hcl(text, "main.tf").body
    for attribute in body.attributes:
        assert isinstance(attribute.value, GetAttr)
        assert attribute.value.name == "b"
