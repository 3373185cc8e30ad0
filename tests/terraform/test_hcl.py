"""The HCL front end: every node kind, exact positions, Terraform's newline rules, errors."""

from __future__ import annotations

import gc
import pickle

import pytest

from linter.core.locations import Location, Span
from linter.terraform.syntax import hcl
from linter.terraform.syntax.ast import (
    Attribute,
    Binary,
    Block,
    Call,
    Conditional,
    Expr,
    File,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    ObjectExpr,
    Parens,
    Splat,
    SplatItem,
    Template,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    Unary,
    Variable,
)
from linter.terraform.syntax.hcl import HclSyntaxError, parse_expression, parse_hcl
from linter.terraform.syntax.render import render_expr

PATH = "main.tf"


def at(line: int, column: int) -> Location:
    return Location(PATH, line, column)


def parse(text: str) -> File:
    return parse_hcl(text, PATH)


def value(text: str) -> Expr:
    """The value of the only attribute in ``x = <text>``."""
    (attribute,) = parse(f"x = {text}\n").body.attributes
    return attribute.value


def rendered(text: str) -> str:
    return render_expr(value(text))


def error(text: str) -> HclSyntaxError:
    with pytest.raises(HclSyntaxError) as caught:
        parse(text)
    return caught.value


# --- positions ---------------------------------------------------------------------------

WORKSPACE = """\
resource "anthropic_workspace" "x" {
  name = "a"
  tags = {
    phi    = "true",
    models = "claude-fable-5"
  }
  provider = anthropic.clinical
  count    = length(var.x)
}
"""


def test_positions_of_a_realistic_resource() -> None:
    file = parse(WORKSPACE)
    (block,) = file.body.blocks
    assert (block.type, block.labels) == ("resource", ("anthropic_workspace", "x"))
    assert block.loc == at(1, 1)
    assert block.label_locs == (at(1, 10), at(1, 32))
    assert block.end_line == 9

    body = block.body
    assert [(a.name, a.loc, a.end_line) for a in body.attributes] == [
        ("name", at(2, 3), 2),
        ("tags", at(3, 3), 6),
        ("provider", at(7, 3), 7),
        ("count", at(8, 3), 8),
    ]
    name = body.attribute("name")
    assert name is not None
    assert name.value == Literal(at(2, 10), "a")

    tags = body.attribute("tags")
    assert tags is not None and isinstance(tags.value, ObjectExpr)
    assert tags.value.loc == at(3, 10)
    assert [(i.key, i.key_loc, i.value) for i in tags.value.items] == [
        (Literal(at(4, 5), "phi"), at(4, 5), Literal(at(4, 14), "true")),
        (Literal(at(5, 5), "models"), at(5, 5), Literal(at(5, 14), "claude-fable-5")),
    ]

    provider = body.attribute("provider")
    assert provider is not None
    assert provider.value == GetAttr(at(7, 14), Variable(at(7, 14), "anthropic"), "clinical")

    count = body.attribute("count")
    assert count is not None
    assert count.value == Call(
        at(8, 14), "length", (GetAttr(at(8, 21), Variable(at(8, 21), "var"), "x"),)
    )
    assert file.spans == (Span(PATH, 1, 9), Span(PATH, 3, 6))


def test_names_and_values_are_plain_python_types() -> None:
    # None of the parser's own types may leak into the tree.
    file = parse(WORKSPACE)
    block = file.body.blocks[0]
    assert type(block.type) is str
    assert all(type(label) is str for label in block.labels)
    assert all(type(a.name) is str for a in block.body.attributes)
    provider = block.body.attribute("provider")
    assert provider is not None and isinstance(provider.value, GetAttr)
    assert type(provider.value.name) is str
    assert isinstance(provider.value.target, Variable)
    assert type(provider.value.target.name) is str


def test_bare_labels_tabs_and_unicode_positions() -> None:
    file = parse('# é comment\nlocals {\n\tnote = "é${a}"\n}\nb c d {}\n')
    locals_block, bare = file.body.blocks
    note = locals_block.body.attributes[0]
    assert note.loc == at(3, 2)  # a tab is one column
    assert note.value == Template(at(3, 9), (Literal(at(3, 10), "é"), Variable(at(3, 13), "a")))
    assert (bare.type, bare.labels, bare.label_locs) == ("b", ("c", "d"), (at(5, 3), at(5, 5)))


def test_spans_cover_blocks_and_multi_line_attributes_only() -> None:
    file = parse('a = 1\nb = [\n  1,\n]\nc {\n  d {\n  }\n}\ne = "x"\n')
    assert file.spans == (
        Span(PATH, 2, 4),
        Span(PATH, 5, 8),
        Span(PATH, 6, 7),
    )


def test_attribute_end_line_is_the_last_line_of_its_value() -> None:
    file = parse("a = f(\n  1,\n  2)\nh = <<EOT\nx\nEOT\nz = (1 +\n2)  # trailing\n")
    assert [(a.name, a.end_line) for a in file.body.attributes] == [("a", 3), ("h", 6), ("z", 8)]


# --- literals and templates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("-7", -7),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        ("true", True),
        ("false", False),
        ("null", None),
        ('"plain"', "plain"),
        ('""', ""),
    ],
)
def test_literals(text: str, expected: object) -> None:
    result = value(text)
    assert isinstance(result, Literal)
    assert result.value == expected
    assert type(result.value) is type(expected)
    assert result.loc == at(1, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r'"a\nb"', "a\nb"),
        (r'"tab\there"', "tab\there"),
        (r'"q\"uote"', 'q"uote'),
        (r'"back\\slash"', "back\\slash"),
        (r'"\u00e9\U0001F600"', "é😀"),
        (r'"\r"', "\r"),
        ('"$${not.interpolated}"', "${not.interpolated}"),
        ('"%%{ not a directive }"', "%{ not a directive }"),
        ('"cost: $5 and 50%"', "cost: $5 and 50%"),
    ],
)
def test_string_escapes(text: str, expected: str) -> None:
    assert value(text) == Literal(at(1, 5), expected)


def test_template_with_interpolation() -> None:
    assert value('"a-${var.b}-c"') == Template(
        at(1, 5),
        (
            Literal(at(1, 6), "a-"),
            GetAttr(at(1, 10), Variable(at(1, 10), "var"), "b"),
            Literal(at(1, 16), "-c"),
        ),
    )


def test_single_interpolation_stays_a_template() -> None:
    assert value('"${var.n}"') == Template(
        at(1, 5), (GetAttr(at(1, 8), Variable(at(1, 8), "var"), "n"),)
    )


def test_template_if_directive() -> None:
    result = value('"%{ if var.on }yes%{ else }no%{ endif }"')
    assert isinstance(result, Template)
    (directive,) = result.parts
    assert isinstance(directive, TemplateIf)
    assert directive.loc == at(1, 6)
    assert render_expr(directive.condition) == "var.on"
    assert directive.then.parts == (Literal(at(1, 20), "yes"),)
    assert directive.otherwise is not None
    assert directive.otherwise.parts == (Literal(at(1, 32), "no"),)


def test_template_for_directive_and_nesting() -> None:
    result = value('"%{ for k, v in m }${k}%{ if v }=${v}%{ endif };%{ endfor }"')
    assert isinstance(result, Template)
    (loop,) = result.parts
    assert isinstance(loop, TemplateFor)
    assert (loop.key_var, loop.value_var) == ("k", "v")
    assert loop.collection == Variable(at(1, 21), "m")
    first, condition, separator = loop.body.parts
    assert first == Variable(at(1, 26), "k")
    assert isinstance(condition, TemplateIf) and condition.otherwise is None
    assert separator == Literal(at(1, 52), ";")


def test_strip_markers_trim_adjacent_whitespace() -> None:
    assert rendered('"a  ${~ x ~}  b"') == '"a${x}b"'
    assert rendered('"[ %{~ if c ~} yes %{~ endif ~} ]"') == '"[%{ if c }yes%{ endif }]"'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"%{ if a }x"', "%{ if } directive has no matching %{ endif }"),
        ('"x%{ endif }"', "unexpected %{ endif } directive"),
        ('"%{ for a in b }x%{ endif }"', "unexpected %{ endif } directive"),
        (r'"bad \q escape"', "invalid escape sequence '\\\\q'"),
    ],
)
def test_template_errors(text: str, message: str) -> None:
    assert message in error(f"x = {text}\n").message


def test_heredoc() -> None:
    result = value("<<EOT\n  hello ${name}\n    bye\nEOT\n")
    assert result == Template(
        at(1, 5),
        (
            Literal(at(2, 1), "  hello "),
            Variable(at(2, 11), "name"),
            Literal(at(2, 16), "\n    bye\n"),
        ),
    )


def test_indented_heredoc_strips_the_common_indentation() -> None:
    text = "x = <<-EOT\n    first\n      second ${v}\n\n    third\n  EOT\n"
    (attribute,) = parse(text).body.attributes
    assert attribute.value == Template(
        at(1, 5),
        (
            Literal(at(2, 5), "first\n  second "),
            Variable(at(3, 16), "v"),
            Literal(at(3, 18), "\n\nthird\n"),
        ),
    )
    assert attribute.end_line == 6


def test_heredoc_without_sequences_is_a_literal_and_keeps_quotes_and_backslashes() -> None:
    assert value('<<JSON\n{"a": "b\\n"}\nJSON\n') == Literal(at(1, 5), '{"a": "b\\n"}\n')


def test_heredoc_with_directives_and_strip_markers() -> None:
    text = "<<EOT\n%{ for s in xs ~}\n- ${s}\n%{ endfor ~}\nEOT\n"
    result = value(text)
    assert isinstance(result, Template)
    (loop,) = result.parts
    assert isinstance(loop, TemplateFor)
    assert loop.body.parts == (
        Literal(at(3, 1), "- "),
        Variable(at(3, 5), "s"),
        Literal(at(3, 7), "\n"),
    )


def test_unterminated_sequence_in_heredoc() -> None:
    failure = error("x = <<EOT\nok\n  ${oops\nEOT\n")
    assert "unterminated template sequence" in failure.message
    assert failure.location == at(3, 3)


def test_expression_inside_heredoc_reports_its_own_position() -> None:
    failure = error("x = <<EOT\nline\n  ${a + }\nEOT\n")
    assert failure.message == "unexpected end of expression; expected an expression"
    assert failure.location == at(3, 9)
    failure = error("x = <<EOT\n${a b}\nEOT\n")
    assert failure.message.startswith("unexpected 'b'")
    assert failure.location == at(2, 5)


# --- collections, references, operators ---------------------------------------------------


def test_tuple() -> None:
    assert value('[1, two, "3",]') == TupleExpr(
        at(1, 5), (Literal(at(1, 6), 1), Variable(at(1, 9), "two"), Literal(at(1, 14), "3"))
    )
    assert value("[]") == TupleExpr(at(1, 5), ())


def test_object_keys() -> None:
    result = value('{ bare = 1, "quoted key" = 2, (var.k) = 3, "${p}-x" : 4, true = 5 }')
    assert isinstance(result, ObjectExpr)
    keys = [item.key for item in result.items]
    assert keys[0] == Literal(at(1, 7), "bare")
    assert keys[1] == Literal(at(1, 17), "quoted key")
    assert keys[2] == Parens(at(1, 35), GetAttr(at(1, 36), Variable(at(1, 36), "var"), "k"))
    assert isinstance(keys[3], Template)
    assert keys[4] == Literal(at(1, 62), "true")
    assert [item.key_loc for item in result.items] == [k.loc for k in keys]
    assert [render_expr(i.value) for i in result.items] == ["1", "2", "3", "4", "5"]


def test_references_and_indexes() -> None:
    assert value("data.x.y[0].id") == GetAttr(
        at(1, 5),
        Index(
            at(1, 5),
            GetAttr(at(1, 5), GetAttr(at(1, 5), Variable(at(1, 5), "data"), "x"), "y"),
            Literal(at(1, 14), 0),
        ),
        "id",
    )
    assert value("a.0") == Index(at(1, 5), Variable(at(1, 5), "a"), Literal(at(1, 7), 0))
    assert value('m["k"]') == Index(at(1, 5), Variable(at(1, 5), "m"), Literal(at(1, 7), "k"))


def test_full_splat() -> None:
    assert value("a[*].b[0]") == Splat(
        at(1, 5),
        Variable(at(1, 5), "a"),
        Index(at(1, 6), GetAttr(at(1, 6), SplatItem(at(1, 6)), "b"), Literal(at(1, 12), 0)),
    )


def test_attribute_only_splat_stops_at_an_index() -> None:
    # As in HCL, "a.*.b[0]" is (a.*.b)[0], while "a[*].b[0]" indexes each element.
    assert value("a.*.b[0]") == Index(
        at(1, 5),
        Splat(at(1, 5), Variable(at(1, 5), "a"), GetAttr(at(1, 6), SplatItem(at(1, 6)), "b")),
        Literal(at(1, 11), 0),
    )
    assert value("a[*]") == Splat(at(1, 5), Variable(at(1, 5), "a"), SplatItem(at(1, 6)))


def test_calls() -> None:
    assert value('lookup(var.m, "k", null)') == Call(
        at(1, 5),
        "lookup",
        (
            GetAttr(at(1, 12), Variable(at(1, 12), "var"), "m"),
            Literal(at(1, 19), "k"),
            Literal(at(1, 24), None),
        ),
    )
    assert value("concat(xs...)") == Call(
        at(1, 5), "concat", (Variable(at(1, 12), "xs"),), expand_final=True
    )
    assert value("provider::aws::arn_parse(a)") == Call(
        at(1, 5), "provider::aws::arn_parse", (Variable(at(1, 30), "a"),)
    )
    assert value("timestamp()") == Call(at(1, 5), "timestamp", ())


def test_precedence_and_associativity() -> None:
    result = value("a || b && c == d")
    assert isinstance(result, Binary) and result.op == "||"
    assert isinstance(result.right, Binary) and result.right.op == "&&"
    assert isinstance(result.right.right, Binary) and result.right.right.op == "=="

    result = value("a - b - c")
    assert isinstance(result, Binary) and isinstance(result.left, Binary)
    assert (result.left.op, render_expr(result.right)) == ("-", "c")

    result = value("1 + 2 * 3 % 4 < 5 != !x")
    assert isinstance(result, Binary) and result.op == "!="
    assert render_expr(result.left) == "1 + 2 * 3 % 4 < 5"
    comparison = result.left
    assert isinstance(comparison, Binary) and comparison.op == "<"
    sum_ = comparison.left
    assert isinstance(sum_, Binary) and sum_.op == "+"
    assert isinstance(sum_.right, Binary) and sum_.right.op == "%"
    assert result.loc == at(1, 5)


def test_unary_operators() -> None:
    assert value("-x") == Unary(at(1, 5), "-", Variable(at(1, 6), "x"))
    assert value("!enabled") == Unary(at(1, 5), "!", Variable(at(1, 6), "enabled"))
    result = value("-a * b")
    assert isinstance(result, Binary) and isinstance(result.left, Unary)
    assert value("-(1)") == Unary(at(1, 5), "-", Parens(at(1, 6), Literal(at(1, 7), 1)))


def test_conditional() -> None:
    assert value("a ? b : c ? d : e") == Conditional(
        at(1, 5),
        Variable(at(1, 5), "a"),
        Variable(at(1, 9), "b"),
        Conditional(
            at(1, 13), Variable(at(1, 13), "c"), Variable(at(1, 17), "d"), Variable(at(1, 21), "e")
        ),
    )


def test_for_expressions() -> None:
    assert value("[for k, v in x : v if v]") == ForExpr(
        at(1, 5),
        "k",
        "v",
        Variable(at(1, 18), "x"),
        None,
        Variable(at(1, 22), "v"),
        Variable(at(1, 27), "v"),
    )
    assert value("{ for s in xs : s.name => s... }") == ForExpr(
        at(1, 5),
        None,
        "s",
        Variable(at(1, 16), "xs"),
        GetAttr(at(1, 21), Variable(at(1, 21), "s"), "name"),
        Variable(at(1, 31), "s"),
        None,
        group=True,
    )


def test_parens_are_kept() -> None:
    assert value("(a + b) * c") == Binary(
        at(1, 5),
        "*",
        Parens(at(1, 5), Binary(at(1, 6), "+", Variable(at(1, 6), "a"), Variable(at(1, 10), "b"))),
        Variable(at(1, 15), "c"),
    )


def test_keywords_are_names_in_bodies() -> None:
    file = parse("for_each = 1\nin {\n  for = 2\n  if = 3\n}\n")
    assert [a.name for a in file.body.attributes] == ["for_each"]
    (block,) = file.body.blocks
    assert block.type == "in"
    assert [a.name for a in block.body.attributes] == ["for", "if"]


def test_empty_file_and_comments_only() -> None:
    assert parse("") == File(PATH, hcl.Body())
    assert parse("# nothing\n// here\n/* at\nall */\n") == File(PATH, hcl.Body())


# --- newlines ------------------------------------------------------------------------------


def test_attribute_access_continued_on_the_next_line_inside_a_call() -> None:
    assert rendered("try(\n  local.a\n    .b,\n  null)") == "try(local.a.b, null)"


def test_line_break_before_the_arrow_of_a_for_object() -> None:
    assert rendered("{ for k, v in y : k\n  => v }") == "{for k, v in y : k => v}"


def test_function_name_and_parenthesis_on_separate_lines_inside_brackets() -> None:
    assert rendered("[try\n(1)]") == "[try(1)]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{\n  a = 1\n  b = 2\n}", "{ a = 1, b = 2 }"),
        ("{\n  a = 1,\n  b = 2,\n}", "{ a = 1, b = 2 }"),
        ("(\n  var.a\n  ? 1\n  : 2\n)", "(var.a ? 1 : 2)"),
        ("(\n  var.a\n  || var.b\n  && var.c\n)", "(var.a || var.b && var.c)"),
        ("[\n  1, # one\n  // two\n  2, /* three */\n  3\n]", "[1, 2, 3]"),
        ("merge(\n  # defaults\n  local.d,\n  var.o, // overrides\n)", "merge(local.d, var.o)"),
        ('join("", [\n  <<EOT\nhi ${x}\nEOT\n  , "!"])', 'join("", ["hi ${x}\\n", "!"])'),
        ("[for x in xs :\n  x\n  if x\n]", "[for x in xs : x if x]"),
        ('"${\n  a +\n  b\n}"', '"${a + b}"'),
        ("/* inline */ 1", "1"),
    ],
)
def test_ordinary_multi_line_hcl_parses_as_before(text: str, expected: str) -> None:
    assert rendered(text) == expected


ORDINARY_HCL = """\
locals {
  tags = {
    phi    = "true"
    models = "claude-fable-5"
  }
  list = [
    "a", # first
    "b",
  ]
  pick = var.enabled ? (
    var.a
  ) : var.b
  sum = (var.a
    + var.b
    * 2)
  call = merge(
    local.defaults, // comment
    var.overrides,
  )
  doc = jsonencode({
    Version = "2012-10-17"
  })
  text = join(",", [<<EOT
line ${var.x}
EOT
  ])
  loop = [for s in var.list : upper(s) if s != ""]
  map  = { for k, v in var.m : k => v }
}

resource "anthropic_workspace" "x" {
  count = length(var.x) > 0 ? 1 : 0
  name  = "ws-${count.index}"
  dynamic "rule" {
    for_each = var.rules
    content {
      port = rule.value
    }
  }
}
"""


def test_ordinary_multi_line_hcl_parses_into_every_attribute_and_block() -> None:
    file = parse(ORDINARY_HCL)
    locals_block, workspace = file.body.blocks
    assert [a.name for a in locals_block.body.attributes] == [
        "tags",
        "list",
        "pick",
        "sum",
        "call",
        "doc",
        "text",
        "loop",
        "map",
    ]
    assert rendered_attribute(locals_block, "sum") == "(var.a + var.b * 2)"
    assert rendered_attribute(locals_block, "text") == 'join(",", ["line ${var.x}\\n"])'
    assert (workspace.type, workspace.labels) == ("resource", ("anthropic_workspace", "x"))
    assert [b.labels for b in workspace.body.blocks] == [("rule",)]


def rendered_attribute(block: Block, name: str) -> str:
    attribute = block.body.attribute(name)
    assert attribute is not None
    return render_expr(attribute.value)


def test_newlines_still_separate_attributes_and_object_elements() -> None:
    file = parse("x = 1\ny = {\n  a = 1\n  b = [\n    2\n  ]\n}\n")
    assert [a.name for a in file.body.attributes] == ["x", "y"]
    y = file.body.attributes[1].value
    assert isinstance(y, ObjectExpr)
    assert [render_expr(i.key) for i in y.items] == ['"a"', '"b"']
    assert [render_expr(i.value) for i in y.items] == ["1", "[2]"]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("x =\n  1\n", at(1, 4)),  # a body attribute ends at the newline
        ("x = {\n  a =\n    1\n}\n", at(2, 6)),  # so does an object element
        ("x = [\n  a\n  b\n]\n", at(3, 3)),  # inside brackets a newline separates nothing
    ],
)
def test_newline_is_still_significant_in_bodies_and_object_constructors(
    text: str, location: Location
) -> None:
    assert error(text).location == location


@pytest.mark.parametrize("before", ["", "a = 1\n", "h = <<EOT\nx\nEOT\n"])
def test_a_block_body_starting_with_for_is_not_a_for_expression(before: str) -> None:
    (block,) = parse(before + "b {\n  for = 1\n  x   = 2\n}\n").body.blocks
    assert [a.name for a in block.body.attributes] == ["for", "x"]


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "location"),
    [
        ("x = }\n", "unexpected '}'; expected an expression", at(1, 5)),
        ("x = [1 2]\n", "unexpected '2'; expected ']' or ','", at(1, 8)),
        ("x = f(1,\n", "unexpected end of file", at(2, 1)),
        ('resource "a" "b"\n', "expected '{'", at(2, 1)),
        ('x = "abc\n', "unterminated string", at(1, 5)),
        ('a = 1\nx = "${a}b\n', "unterminated string", at(2, 5)),
        ("x = {a = 1 b}\n", "unexpected '}'; expected '=' or ':'", at(1, 13)),
        ("x = [for v in xs]\n", "unexpected ']'; expected ':'", at(1, 17)),
        ("x = 1 = 2\n", "unexpected '='", at(1, 7)),
        ("@\n", "unexpected '@'", at(1, 1)),
        ('b "${x}" {}\n', "not allowed in a block label", at(1, 3)),
    ],
)
def test_syntax_errors(text: str, message: str, location: Location) -> None:
    failure = error(text)
    assert message in failure.message
    assert "\n" not in failure.message
    assert failure.location == location


def test_duplicate_attribute_is_reported_at_the_second() -> None:
    failure = error('resource "a" "b" {\n  name = 1\n  x    = 2\n  name = 3\n}\n')
    assert failure.message == "attribute 'name' is set twice (first at line 2)"
    assert failure.location == at(4, 3)


def test_syntax_errors_survive_pickling() -> None:
    failure = pickle.loads(pickle.dumps(error("x = }\n")))
    assert (str(failure), failure.location) == ("unexpected '}'; expected an expression", at(1, 5))


def test_same_attribute_in_different_blocks_is_fine() -> None:
    file = parse("a {\n  x = 1\n}\na {\n  x = 2\n}\nx = 3\n")
    assert [b.body.attributes[0].name for b in file.body.blocks] == ["x", "x"]


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 10_000,
        "x = " + "(" * 10_000 + "1" + ")" * 10_000,
        "x = " + "{a = " * 10_000,
        "x = " + "a." * 10_000 + "b",
        "x = " + "1 + " * 10_000 + "1",
        "x = " + "c ? 1 : " * 5_000 + "2",
        "x = " + '"${' * 5_000,
        "x = <<EOT\n" + "${[" * 5_000 + "\nEOT\n",
        "x = " + "-" * 10_000 + "1",
    ],
)
def test_deep_nesting_fails_cleanly_and_quickly(text: str) -> None:
    with pytest.raises(HclSyntaxError) as caught:
        parse(text)
    assert "\n" not in caught.value.message


def test_nesting_at_a_realistic_depth_parses() -> None:
    text = "x = " + "[" * 60 + "1" + "]" * 60 + "\n"
    result = parse(text).body.attributes[0].value
    depth = 0
    while isinstance(result, TupleExpr):
        (result,) = result.items
        depth += 1
    assert depth == 60


def test_garbage_raises_only_syntax_errors() -> None:
    for garbage in [
        "\x00",
        "}{",
        "x = \x00",
        '"""',
        "<<EOT",
        "x = <<EOT\nnever closed",
        "${}",
        "🙂 = 1",
    ]:
        with pytest.raises(HclSyntaxError):
            parse(garbage)


# --- template sequences parsed on their own ------------------------------------------------


def test_parse_expression_places_the_expression() -> None:
    assert parse_expression("var.x + 1", "f.tf.json", 4, 10) == Binary(
        Location("f.tf.json", 4, 10),
        "+",
        GetAttr(Location("f.tf.json", 4, 10), Variable(Location("f.tf.json", 4, 10), "var"), "x"),
        Literal(Location("f.tf.json", 4, 18), 1),
    )
    with pytest.raises(HclSyntaxError) as caught:
        parse_expression("a +", "f.tf.json", 4, 10)
    assert caught.value.location.line == 4


def test_parse_expression_rejects_more_than_one_expression() -> None:
    with pytest.raises(HclSyntaxError):
        parse_expression("a) + (b", "f.tf.json", 1, 1)


# --- machinery --------------------------------------------------------------------------


def test_garbage_collector_is_paused_during_a_parse_and_restored() -> None:
    assert gc.isenabled()
    parse(WORKSPACE)
    assert gc.isenabled()
    with pytest.raises(HclSyntaxError):
        parse("x = }")
    assert gc.isenabled()
    gc.disable()
    try:
        parse(WORKSPACE)
        assert not gc.isenabled()  # a caller's choice is respected
    finally:
        gc.enable()


def test_blocks_and_attributes_have_the_documented_shape() -> None:
    file = parse('a "l" {\n  b = 1\n}\n')
    (block,) = file.body.blocks
    assert isinstance(block, Block)
    assert isinstance(block.body.attributes[0], Attribute)
    assert block.span == Span(PATH, 1, 3)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = !!a\n", "!!a"),
        ("x = - -1\n", "1"),
        ("x = -!a\n", "-!a"),
        ("x = !(!a)\n", "!(!a)"),
    ],
)
def test_nested_unary_operators_parse(source: str, expected: str) -> None:
    from linter.terraform.syntax.render import render_expr

    (attribute,) = parse(source).body.attributes
    assert render_expr(attribute.value) == expected


# --- where python-hcl2's Lark grammar was wrong about valid HCL --------------------------------


def test_names_may_be_unicode_letters() -> None:
    # HCL identifiers are Unicode ID_Start/ID_Continue; the Lark grammar took ASCII only.
    assert value("é") == Variable(at(1, 5), "é")
    assert value("日本.x") == GetAttr(at(1, 5), Variable(at(1, 5), "日本"), "x")


def test_a_minus_right_after_a_number_is_a_subtraction() -> None:
    # The Lark lexer read "1-320" as 1 and the number -320, and failed.
    assert value("1-320") == Binary(at(1, 5), "-", Literal(at(1, 5), 1), Literal(at(1, 7), 320))
    assert rendered("1.5-2") == "1.5 - 2"


def test_an_escaped_dollar_brace_needs_no_closing_brace() -> None:
    # python-hcl2's lexer took "$${" as an escape only when a "}" followed.
    assert value('"$${ and %%{"') == Literal(at(1, 5), "${ and %{")


# --- what tree-sitter-hcl 1.2 reads differently from HCL ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1e3", 1000.0), ("1E+3", 1000.0), ("5e-1", 0.5), ("[1e3, 2]", None)],
)
def test_an_exponent_without_a_fraction_is_a_number(text: str, expected: float | None) -> None:
    result = value(text)
    if expected is None:
        assert result == TupleExpr(at(1, 5), (Literal(at(1, 6), 1000.0), Literal(at(1, 11), 2)))
    else:
        assert result == Literal(at(1, 5), expected)


def test_a_conditional_in_the_else_branch_nests_to_the_right() -> None:
    result = value("a ? b : c ? d : e ? f : g")
    assert isinstance(result, Conditional) and isinstance(result.otherwise, Conditional)
    assert isinstance(result.otherwise.otherwise, Conditional)
    assert render_expr(result.condition) == "a"
    assert rendered("(a ? b : c) ? d : e") == "(a ? b : c) ? d : e"


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("\ufeffx = 1\n", at(1, 1)),  # a byte order mark is no whitespace in HCL
        ("x = 1\x0cy = 2\n", at(1, 6)),  # nor a form feed
        ("x =\x0b1\n", at(1, 4)),  # nor a vertical tab
        ("x = provider::p::f\n", at(1, 13)),  # "::" only in a function's name
        ("provider::aws::f(1)\n", at(1, 9)),
        ("{ a = 1 }\n", at(1, 1)),  # a file is a body, never one object
        ("x = [for w indata.y : w]\n", at(1, 12)),  # "indata" is a name, not "in data"
        ("x = 0x10\n", at(1, 5)),  # no hexadecimal numbers
    ],
)
def test_what_tree_sitter_would_accept_but_hcl_does_not(text: str, location: Location) -> None:
    failure = error(text)
    assert failure.location == location
    assert "\n" not in failure.message


def test_a_byte_order_mark_inside_a_string_is_text() -> None:
    assert value('"a\ufeffb"') == Literal(at(1, 5), "a\ufeffb")


def test_text_of_a_large_file_is_read_from_the_source() -> None:
    # Large files with much string text reach tree-sitter with that text blanked.
    lines = [f'a{i} = "{"x" * 200}-{i}"\n' for i in range(3_000)]
    lines.append('h = <<EOT\n  ${"y" * 3}\n' + "z" * 300 + "\nEOT\n")
    file = parse("".join(lines))
    values = [a.value for a in file.body.attributes]
    assert values[0] == Literal(at(1, 6), "x" * 200 + "-0")
    assert values[2_999] == Literal(at(3_000, 9), "x" * 200 + "-2999")
    heredoc = values[3_000]
    assert isinstance(heredoc, Template)
    assert heredoc.parts[-1] == Literal(at(3_002, 13), "\n" + "z" * 300 + "\n")
