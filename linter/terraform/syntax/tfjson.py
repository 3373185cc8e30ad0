"""Terraform's JSON syntax (``*.tf.json``) to our syntax tree.

The top-level object's properties are block types. How many levels of object keys are block
labels depends on the type (``resource`` → type → name → body; ``module`` → name → body;
``locals`` → body), and at any level an array of objects stands for several blocks. Inside a
body, a property is an attribute unless its name is a known nested block type for that block
(``lifecycle``, ``provisioner``, ``dynamic``...). Properties named ``"//"`` are comments.

String values are templates, as in Terraform: ``"${var.x}"`` becomes a Template holding the
reference, parsed with the HCL expression parser. A few attributes hold a bare reference or
type instead (``provider = "aws.west"``, ``depends_on``, a variable's ``type``); those strings
are parsed as expressions, so they produce the same tree as the native syntax.

Locations: an attribute is at its key's opening quote. A block is at the key that opens its
body (its last label, or its type when it has no labels); a block given as an array element
is at the element's "{". Its span runs to the body's closing "}". Expressions inside a string
are placed as if the string had no escape sequences, on the string's line.
"""

from __future__ import annotations

from dataclasses import replace

from linter.core.jsonpos import JsonSyntaxError, JsonValue
from linter.core.jsonpos import parse_json_document as _parse_json
from linter.core.locations import Location, Span
from linter.terraform.syntax.ast import (
    Attribute,
    Block,
    Body,
    Expr,
    File,
    Literal,
    ObjectExpr,
    ObjectItem,
    TupleExpr,
)
from linter.terraform.syntax.hcl import HclSyntaxError, parse_expression, parse_template

__all__ = ["JsonValue", "parse_json_document", "parse_tf_json", "plain_json_expr"]

# Block types at the top level, and how many labels each has.
_TOP_LEVEL_LABELS = {
    "resource": 2,
    "data": 2,
    "ephemeral": 2,
    "module": 1,
    "variable": 1,
    "output": 1,
    "provider": 1,
    "check": 1,
    "locals": 0,
    "terraform": 0,
    "moved": 0,
    "import": 0,
    "removed": 0,
}
_RESOURCE_BLOCKS = {"provisioner": 1, "lifecycle": 0, "connection": 0, "dynamic": 1}
# Nested block types (and their label counts) per enclosing block type. Everything else in a
# body is an attribute: provider-specific nested blocks come out as object-valued attributes.
_NESTED_BLOCKS: dict[str, dict[str, int]] = {
    "resource": _RESOURCE_BLOCKS,
    "data": _RESOURCE_BLOCKS,
    "ephemeral": _RESOURCE_BLOCKS,
    "provisioner": {"connection": 0},
    "lifecycle": {"precondition": 0, "postcondition": 0},
    "dynamic": {"content": 0},
    "content": {"dynamic": 1},
    "variable": {"validation": 0},
    "output": {"precondition": 0},
    "check": {"data": 2, "assert": 0},
    "terraform": {
        "required_providers": 0,
        "backend": 1,
        "cloud": 0,
        "provider_meta": 1,
        "provider": 1,
    },
}
# Attributes whose strings are references or types, not templates: (block type, attribute).
_EXPRESSION_ATTRIBUTES = frozenset(
    {
        ("resource", "provider"),
        ("data", "provider"),
        ("ephemeral", "provider"),
        ("resource", "depends_on"),
        ("data", "depends_on"),
        ("module", "depends_on"),
        ("output", "depends_on"),
        ("module", "providers"),
        ("variable", "type"),
        ("lifecycle", "ignore_changes"),
        ("lifecycle", "replace_triggered_by"),
    }
)


def parse_json_document(text: str, path: str) -> JsonValue:
    """Parse JSON text, keeping positions (linter.core.jsonpos); raise HclSyntaxError for
    anything not strict JSON (NaN/Infinity, trailing commas, comments) and duplicate keys."""
    try:
        return _parse_json(text, path)
    except JsonSyntaxError as exc:
        raise HclSyntaxError(exc.message, exc.location) from None


def plain_json_expr(value: JsonValue) -> Expr:
    """A JSON value as an expression, taking strings literally (for ``.tfvars.json``)."""
    if value.kind == "object":
        items = tuple(
            ObjectItem(Literal(key_loc, key), plain_json_expr(member), key_loc)
            for key, key_loc, member in value.members
        )
        return ObjectExpr(value.loc, items)
    if value.kind == "array":
        return TupleExpr(value.loc, tuple(plain_json_expr(item) for item in value.items))
    return Literal(value.loc, value.value)


# --------------------------------------------------------------------------------------------
# Terraform structure
# --------------------------------------------------------------------------------------------


def parse_tf_json(text: str, path: str) -> File:
    """Parse a ``.tf.json`` file; raise HclSyntaxError if it is not valid Terraform JSON."""
    root = parse_json_document(text, path)
    if root.kind != "object":
        raise HclSyntaxError("a Terraform JSON file must contain one JSON object", root.loc)
    builder = _Builder(path)
    blocks: list[Block] = []
    for key, key_loc, value in root.members:
        if key != "//":
            labels = _TOP_LEVEL_LABELS.get(key, 0)
            builder.blocks(key, value, key_loc, labels_left=labels, out=blocks)
    spans = tuple(sorted(builder.spans, key=lambda s: (s.start_line, s.end_line)))
    return File(path, Body((), tuple(blocks)), spans)


class _Builder:
    __slots__ = ("path", "spans")

    def __init__(self, path: str) -> None:
        self.path = path
        self.spans: list[Span] = []

    def blocks(
        self,
        block_type: str,
        value: JsonValue,
        loc: Location,
        *,
        labels_left: int,
        labels: tuple[tuple[str, Location], ...] = (),
        out: list[Block],
    ) -> None:
        """Add the block(s) ``value`` describes to ``out``; ``labels_left`` labels are to come.

        ``loc`` is where the block is reported: the key that opened this level.
        """
        if value.kind == "array":
            for element in value.items:
                self.blocks(
                    block_type,
                    element,
                    element.loc,
                    labels_left=labels_left,
                    labels=labels,
                    out=out,
                )
            return
        if value.kind != "object":
            level = "labels" if labels_left else "body"
            raise HclSyntaxError(
                f"block '{block_type}' needs a JSON object for its {level}, not a {value.kind}",
                value.loc,
            )
        if labels_left == 0:
            body = self.body(value, block_type)
            names = tuple(name for name, _ in labels)
            label_locs = tuple(label_loc for _, label_loc in labels)
            out.append(Block(block_type, names, body, loc, value.end_line, label_locs))
            self.spans.append(Span(self.path, loc.line, value.end_line))
            return
        for key, key_loc, member in value.members:
            if key != "//":
                self.blocks(
                    block_type,
                    member,
                    key_loc,
                    labels_left=labels_left - 1,
                    labels=(*labels, (key, key_loc)),
                    out=out,
                )

    def body(self, value: JsonValue, block_type: str) -> Body:
        nested = _NESTED_BLOCKS.get(block_type, {})
        attributes: list[Attribute] = []
        blocks: list[Block] = []
        for key, key_loc, member in value.members:
            if key == "//":
                continue
            if key in nested:
                self.blocks(key, member, key_loc, labels_left=nested[key], out=blocks)
                continue
            as_expression = (block_type, key) in _EXPRESSION_ATTRIBUTES
            expr = self.expr(member, as_expression=as_expression)
            attributes.append(Attribute(key, expr, key_loc, member.end_line))
            if member.end_line > key_loc.line:
                self.spans.append(Span(self.path, key_loc.line, member.end_line))
        return Body(tuple(attributes), tuple(blocks))

    def expr(self, value: JsonValue, *, as_expression: bool = False) -> Expr:
        if value.kind == "string":
            return self.string(str(value.value), value.loc, as_expression=as_expression)
        if value.kind == "array":
            items = tuple(self.expr(item, as_expression=as_expression) for item in value.items)
            return TupleExpr(value.loc, items)
        if value.kind == "object":
            members = []
            for key, key_loc, member in value.members:
                key_expr = self.string(key, key_loc, as_expression=False)
                members.append(
                    ObjectItem(key_expr, self.expr(member, as_expression=as_expression), key_loc)
                )
            return ObjectExpr(value.loc, tuple(members))
        return Literal(value.loc, value.value)

    def string(self, text: str, loc: Location, *, as_expression: bool) -> Expr:
        # Positions inside the string start just after the opening quote.
        if as_expression and "${" not in text:
            return parse_expression(text, self.path, loc.line, loc.column + 1)
        template = parse_template(text, self.path, loc.line, loc.column + 1, single_line=True)
        return replace(template, loc=loc)  # the string itself is at its opening quote
