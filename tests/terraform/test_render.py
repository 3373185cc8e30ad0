"""render_expr: Terraform-like text of an expression, for messages."""

from __future__ import annotations

import pytest

from linter.core.locations import Location
from linter.terraform.syntax.ast import (
    Binary,
    Call,
    Conditional,
    Expr,
    GetAttr,
    Literal,
    ObjectExpr,
    ObjectItem,
    Splat,
    SplatItem,
    Template,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    Unary,
    Variable,
)
from linter.terraform.syntax.hcl import parse_hcl
from linter.terraform.syntax.render import MAX_LENGTH, render_expr
from linter.terraform.syntax.render import render_expr as render

LOC = Location("x.tf")


def parsed(text: str) -> Expr:
    return parse_hcl(f"x = {text}\n", "x.tf").body.attributes[0].value


def var(name: str) -> Variable:
    return Variable(LOC, name)


def lit(value: str | int | float | bool | None) -> Literal:
    return Literal(LOC, value)


@pytest.mark.parametrize(
    "text",
    [
        "var.retention",
        'lookup(var.m, "k", null)',
        "data.x.y[0].id",
        "each.value.models",
        '"a-${var.b}"',
        "[for k, v in x : v if v]",
        "{for k, v in x : k => v... if v}",
        "x ? a : b",
        "x[*].id",
        "x[*]",
        "(a + b) * c",
        "a - b - c",
        "!a && b || c == d",
        "-x",
        "-1.5",
        "concat(a, b...)",
        "provider::time::rfc3339_parse(t)",
        '{ a = 1, "b c" = 2, (k) = 3 }',
        "[]",
        "{}",
        "[1, 2.5, true, false, null]",
        '"%{ if a }x%{ else }y%{ endif }"',
        '"%{ for k, v in m }${k}=${v};%{ endfor }"',
        '"line\\nquote \\" back \\\\ tab \\t"',
        '"$${not} %%{this}"',
    ],
)
def test_parsed_expressions_render_as_written(text: str) -> None:
    assert render_expr(parsed(text)) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a.0", "a[0]"),
        ("a.*.b", "a[*].b"),
        ('{ "plain" = 1 }', "{ plain = 1 }"),
        ("[\n  1,\n  2,\n]", "[1, 2]"),
        ("<<EOT\nhello ${name}\nEOT\n", '"hello ${name}\\n"'),
        ("1e3", "1000"),
        ('"${x}"', '"${x}"'),
    ],
)
def test_normalised_forms(text: str, expected: str) -> None:
    assert render_expr(parsed(text)) == expected


def test_parentheses_follow_precedence_for_built_trees() -> None:
    a, b, c = var("a"), var("b"), var("c")
    assert render_expr(Binary(LOC, "*", Binary(LOC, "+", a, b), c)) == "(a + b) * c"
    assert render_expr(Binary(LOC, "+", a, Binary(LOC, "*", b, c))) == "a + b * c"
    assert render_expr(Binary(LOC, "-", a, Binary(LOC, "-", b, c))) == "a - (b - c)"
    assert render_expr(Binary(LOC, "-", Binary(LOC, "-", a, b), c)) == "a - b - c"
    assert render_expr(Unary(LOC, "!", Binary(LOC, "&&", a, b))) == "!(a && b)"
    assert render_expr(Conditional(LOC, Conditional(LOC, a, b, c), a, b)) == "(a ? b : c) ? a : b"
    assert render_expr(GetAttr(LOC, Binary(LOC, "+", a, b), "x")) == "(a + b).x"
    assert render_expr(Binary(LOC, "||", Conditional(LOC, a, b, c), a)) == "(a ? b : c) || a"


def test_literal_strings_are_quoted_and_escaped() -> None:
    assert render_expr(lit('say "hi"\n${x}')) == '"say \\"hi\\"\\n$${x}"'
    assert render_expr(lit(3)) == "3"
    assert render_expr(lit(2.0)) == "2"
    assert render_expr(lit(None)) == "null"


def test_splat_with_nested_steps() -> None:
    each = GetAttr(LOC, GetAttr(LOC, SplatItem(LOC), "a"), "b")
    assert render_expr(Splat(LOC, var("x"), each)) == "x[*].a.b"


def test_template_pieces_outside_a_template() -> None:
    body = Template(LOC, (lit("x"),))
    assert render_expr(TemplateIf(LOC, var("c"), body, None)) == '"%{ if c }x%{ endif }"'
    loop = TemplateFor(LOC, None, "v", var("vs"), Template(LOC, (var("v"),)))
    assert render_expr(loop) == '"%{ for v in vs }${v}%{ endfor }"'


def test_long_renders_are_cut_short() -> None:
    items = tuple(lit(f"value-{i}") for i in range(40))
    text = render_expr(TupleExpr(LOC, items))
    assert len(text) == MAX_LENGTH
    assert text.endswith("…")
    assert text.startswith('["value-0", "value-1"')


def test_very_deep_trees_render_without_recursion_errors() -> None:
    expr: Expr = var("x")
    for _ in range(5_000):
        expr = Call(LOC, "f", (expr,))
    text = render_expr(expr)
    assert text.startswith("f(f(f(")
    assert len(text) <= MAX_LENGTH


def test_object_keys_that_are_not_names_keep_their_quotes() -> None:
    obj = ObjectExpr(
        LOC,
        (
            ObjectItem(lit("ok_name"), lit(1), LOC),
            ObjectItem(lit("has space"), lit(2), LOC),
            ObjectItem(lit("9lives"), lit(3), LOC),
        ),
    )
    assert render_expr(obj) == '{ ok_name = 1, "has space" = 2, "9lives" = 3 }'


def test_ast_render_helper_uses_render_expr() -> None:
    assert render(GetAttr(LOC, var("var"), "x")) == "var.x"
