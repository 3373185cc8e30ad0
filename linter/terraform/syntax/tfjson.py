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

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace

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

# Terraform JSON nests a dozen levels at most; the limit bounds recursion here and downstream.
MAX_JSON_DEPTH = 64

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


# --------------------------------------------------------------------------------------------
# A JSON parser that remembers where everything is
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class JsonValue:
    """A JSON value with its position. ``members`` holds an object's (key, key location,
    value) in order; ``items`` an array's values; ``value`` a scalar."""

    kind: str  # "object" | "array" | "string" | "number" | "literal"
    loc: Location
    end_line: int
    value: str | int | float | bool | None = None
    items: list[JsonValue] = field(default_factory=list)
    members: list[tuple[str, Location, JsonValue]] = field(default_factory=list)


_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
        (?P<punct>[{}\[\],:])
      | (?P<string>"(?:[^"\\\x00-\x1f]|\\.)*")
      | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)(?![0-9A-Za-z.+-])
      | (?P<literal>true|false|null)(?![0-9A-Za-z_])
    )""",
    re.VERBOSE,
)
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LITERALS: dict[str, bool | None] = {"true": True, "false": False, "null": None}


class _JsonParser:
    """Recursive descent over a regex tokenizer; depth is limited, so it cannot overflow."""

    __slots__ = ("line_starts", "path", "position", "text")

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.position = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def loc(self, offset: int) -> Location:
        index = bisect_right(self.line_starts, offset) - 1
        return Location(self.path, index + 1, offset - self.line_starts[index] + 1)

    def error(self, message: str, offset: int) -> HclSyntaxError:
        return HclSyntaxError(message, self.loc(offset))

    def next_token(self) -> tuple[str, str, int]:
        """(kind, text, offset) of the next token; kind "end" at the end of the text."""
        match = _TOKEN.match(self.text, self.position)
        if match is None or match.lastgroup is None:
            start = _WHITESPACE.match(self.text, self.position)
            offset = start.end() if start else self.position
            if offset >= len(self.text):
                self.position = offset
                return "end", "", offset
            raise self.error(self.describe_bad_input(offset), offset)
        self.position = match.end()
        kind = match.lastgroup
        return kind, match.group(kind), match.start(kind)

    def describe_bad_input(self, offset: int) -> str:
        char = self.text[offset]
        if char == '"':
            return "invalid JSON string (unterminated, or a raw control character inside)"
        word = re.match(r"[A-Za-z0-9_.+-]+", self.text[offset:])
        shown = word.group() if word else char
        return f"invalid JSON: unexpected {shown!r}"

    def document(self) -> JsonValue:
        kind, text, offset = self.next_token()
        value = self.value(kind, text, offset, 0)
        kind, text, offset = self.next_token()
        if kind != "end":
            raise self.error(f"unexpected {text!r} after the end of the JSON document", offset)
        return value

    def value(self, kind: str, text: str, offset: int, depth: int) -> JsonValue:
        loc = self.loc(offset)
        if kind == "string":
            return JsonValue("string", loc, loc.line, self.decode_string(text, offset))
        if kind == "number":
            number: int | float = float(text)  # too many digits for int() (4,300): inf
            if not any(c in text for c in ".eE") and len(text) <= 4000:
                number = int(text)
            return JsonValue("number", loc, loc.line, number)
        if kind == "literal":
            return JsonValue("literal", loc, loc.line, _LITERALS[text])
        if depth >= MAX_JSON_DEPTH:
            raise self.error(f"JSON nests too deeply (more than {MAX_JSON_DEPTH} levels)", offset)
        if text == "{":
            return self.object(loc, depth + 1)
        if text == "[":
            return self.array(loc, depth + 1)
        found = "the end of the file" if kind == "end" else repr(text)
        raise self.error(f"invalid JSON: expected a value, found {found}", offset)

    def decode_string(self, text: str, offset: int) -> str:
        try:
            decoded: str = json.loads(text)
        except ValueError:
            raise self.error("invalid escape sequence in a JSON string", offset) from None
        return decoded

    def object(self, loc: Location, depth: int) -> JsonValue:
        result = JsonValue("object", loc, loc.line)
        first_seen: dict[str, Location] = {}
        kind, text, offset = self.next_token()
        if text == "}" and kind == "punct":
            result.end_line = self.loc(offset).line
            return result
        while True:
            if kind != "string":
                raise self.error(self.expected("a property name in quotes", kind, text), offset)
            key, key_loc = self.decode_string(text, offset), self.loc(offset)
            if key in first_seen and key != "//":
                raise HclSyntaxError(
                    f"duplicate key {key!r} (first at line {first_seen[key].line})", key_loc
                )
            first_seen[key] = key_loc
            kind, text, offset = self.next_token()
            if text != ":" or kind != "punct":
                raise self.error(self.expected("':'", kind, text), offset)
            member = self.value(*self.next_token(), depth)
            result.members.append((key, key_loc, member))
            kind, text, offset = self.next_token()
            if kind == "punct" and text == "}":
                result.end_line = self.loc(offset).line
                return result
            if kind != "punct" or text != ",":
                raise self.error(self.expected("',' or '}'", kind, text), offset)
            kind, text, offset = self.next_token()
            if kind == "punct" and text == "}":
                raise self.error("trailing comma in a JSON object", offset)

    def array(self, loc: Location, depth: int) -> JsonValue:
        result = JsonValue("array", loc, loc.line)
        kind, text, offset = self.next_token()
        if kind == "punct" and text == "]":
            result.end_line = self.loc(offset).line
            return result
        while True:
            result.items.append(self.value(kind, text, offset, depth))
            kind, text, offset = self.next_token()
            if kind == "punct" and text == "]":
                result.end_line = self.loc(offset).line
                return result
            if kind != "punct" or text != ",":
                raise self.error(self.expected("',' or ']'", kind, text), offset)
            kind, text, offset = self.next_token()
            if kind == "punct" and text == "]":
                raise self.error("trailing comma in a JSON array", offset)

    @staticmethod
    def expected(what: str, kind: str, text: str) -> str:
        found = "the end of the file" if kind == "end" else repr(text)
        return f"invalid JSON: expected {what}, found {found}"


def parse_json_document(text: str, path: str) -> JsonValue:
    """Parse JSON text, keeping positions; raise HclSyntaxError for anything not strict JSON
    (NaN/Infinity, trailing commas, comments) and for duplicate keys."""
    return _JsonParser(text, path).document()


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
