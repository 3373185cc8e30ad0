"""A strict JSON parser that remembers where every value is (1-based line and column).

Shared by the front ends that read JSON with positions: Terraform JSON (``*.tf.json``,
``.tfvars.json``, plan files) and CloudFormation templates (CDK output).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from linter.core.locations import LocatedError, Location

__all__ = ["MAX_JSON_DEPTH", "JsonSyntaxError", "JsonValue", "parse_json_document"]

# Terraform JSON nests a dozen levels at most, templates a few more; the limit bounds
# recursion here and downstream.
MAX_JSON_DEPTH = 64


class JsonSyntaxError(LocatedError):
    """The input is not strict JSON; ``location`` says where."""

    def __str__(self) -> str:
        return self.message


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

    def error(self, message: str, offset: int) -> JsonSyntaxError:
        return JsonSyntaxError(message, self.loc(offset))

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
                raise JsonSyntaxError(
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
    """Parse JSON text, keeping positions; raise JsonSyntaxError for anything not strict JSON
    (NaN/Infinity, trailing commas, comments) and for duplicate keys."""
    return _JsonParser(text, path).document()
