"""Variable definition files: .tfvars (HCL) and .tfvars.json (plain JSON values)."""

from __future__ import annotations

import pytest

from linter.core.locations import Location, Span
from linter.terraform.syntax.ast import Literal, ObjectExpr, ObjectItem, TupleExpr
from linter.terraform.syntax.hcl import HclSyntaxError
from linter.terraform.syntax.render import render_expr
from linter.terraform.syntax.tfvars import parse_tfvars


def test_hcl_tfvars_attributes_and_positions() -> None:
    text = 'region    = "us-east-1"\nretention = 30\nmodels = [\n  "claude-fable-5",\n]\n'
    file = parse_tfvars(text, "prod.tfvars")
    assert [(a.name, a.loc, a.end_line) for a in file.body.attributes] == [
        ("region", Location("prod.tfvars", 1, 1), 1),
        ("retention", Location("prod.tfvars", 2, 1), 2),
        ("models", Location("prod.tfvars", 3, 1), 5),
    ]
    assert file.body.attributes[1].value == Literal(Location("prod.tfvars", 2, 13), 30)
    assert file.spans == (Span("prod.tfvars", 3, 5),)


def test_hcl_tfvars_may_hold_expressions() -> None:
    file = parse_tfvars('tags = { phi = "true" }\nname = "a-${1}"\n', "x.tfvars")
    assert [render_expr(a.value) for a in file.body.attributes] == [
        '{ phi = "true" }',
        '"a-${1}"',
    ]


def test_a_block_in_a_tfvars_file_is_an_error() -> None:
    with pytest.raises(HclSyntaxError) as caught:
        parse_tfvars('a = 1\n\nvariable "x" {\n}\n', "x.tfvars")
    assert caught.value.message == "blocks are not allowed in a variables file"
    assert caught.value.location == Location("x.tfvars", 3, 1)


def test_duplicate_variable_in_tfvars() -> None:
    with pytest.raises(HclSyntaxError, match="set twice"):
        parse_tfvars("a = 1\na = 2\n", "x.tfvars")


def test_json_tfvars_values_are_plain_json() -> None:
    text = """{
  "//": "comment",
  "name": "literal ${not.a.reference}",
  "count": 3,
  "ratio": 0.25,
  "on": true,
  "none": null,
  "list": ["a", 1],
  "tags": {"phi": "true"}
}
"""
    path = "prod.tfvars.json"
    file = parse_tfvars(text, path)

    def at(line: int, column: int) -> Location:
        return Location(path, line, column)

    values = {a.name: a.value for a in file.body.attributes}
    assert list(values) == ["name", "count", "ratio", "on", "none", "list", "tags"]
    assert values["name"] == Literal(at(3, 11), "literal ${not.a.reference}")
    assert values["count"] == Literal(at(4, 12), 3)
    assert values["ratio"] == Literal(at(5, 12), 0.25)
    assert values["on"] == Literal(at(6, 9), True)
    assert values["none"] == Literal(at(7, 11), None)
    assert values["list"] == TupleExpr(at(8, 11), (Literal(at(8, 12), "a"), Literal(at(8, 17), 1)))
    assert values["tags"] == ObjectExpr(
        at(9, 11), (ObjectItem(Literal(at(9, 12), "phi"), Literal(at(9, 19), "true"), at(9, 12)),)
    )
    assert file.body.attributes[0].loc == at(3, 3)


def test_json_tfvars_multi_line_values_get_spans() -> None:
    file = parse_tfvars('{\n  "a": [\n    1\n  ],\n  "b": 2\n}', "v.tfvars.json")
    assert file.spans == (Span("v.tfvars.json", 2, 4),)
    assert [a.end_line for a in file.body.attributes] == [4, 5]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "must contain one object"),
        ('{"a": 1,}', "trailing comma"),
        ('{"a": 1, "a": 2}', "duplicate key 'a'"),
        ("{'a': 1}", "invalid JSON: unexpected"),
        ("{1: 2}", "expected a property name in quotes, found '1'"),
    ],
)
def test_json_tfvars_errors(text: str, message: str) -> None:
    with pytest.raises(HclSyntaxError) as caught:
        parse_tfvars(text, "bad.tfvars.json")
    assert message in caught.value.message
    assert caught.value.location.path == "bad.tfvars.json"
