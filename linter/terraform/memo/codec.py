"""A safe JSON encoding of declarations, for reusing a root module's evaluation across runs.

Decoding builds only the classes named here and never runs code. Paths are stored once, in a
table, and referred to by index: a root's declarations repeat the same few file names
thousands of times.
"""

from __future__ import annotations

import math
from typing import Any

from linter.core.locations import Location, Span
from linter.core.model import ABSENT, Fact, Origin, Unknown
from linter.core.tree import (
    Declaration,
    MapEntry,
    MapNode,
    Node,
    OrgLink,
    ScalarNode,
    SeqNode,
    UnknownNode,
)


class CodecError(Exception):
    """A memo entry that does not decode: the memo treats it as a miss."""


# Part of the memo's key: a memo written in another format is never decoded. 2: an origin may
# carry its redacted note (a sensitive value's), so sensitivity survives a warm run. 3: an
# unknown's options and fix; a declaration's scope and platform.
FORMAT = 3


class Encoder:
    """Encodes declarations that share one path table."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._index: dict[str, int] = {}

    def _path(self, path: str) -> int:
        index = self._index.get(path)
        if index is None:
            index = self._index[path] = len(self.paths)
            self.paths.append(path)
        return index

    def location(self, loc: Location) -> list[Any]:
        return [self._path(loc.path), loc.line, loc.column]

    def _chain(self, chain: tuple[Origin, ...]) -> list[Any]:
        return [_origin(self.location(o.location), o) for o in chain]

    def node(self, node: Node) -> list[Any]:
        head = [self.location(node.location), node.attr, self._chain(node.chain)]
        if isinstance(node, ScalarNode):
            return ["s", *head, _scalar(node.value), node.text]
        if isinstance(node, UnknownNode):
            return ["u", *head, _unknown(node.unknown)]
        if isinstance(node, SeqNode):
            return ["q", *head, [self.node(item) for item in node.items]]
        if isinstance(node, MapNode):
            entries = [
                [e.key, self.location(e.key_location), self.node(e.value)] for e in node.entries
            ]
            return ["m", *head, entries]
        raise CodecError(f"cannot encode {type(node).__name__}")

    def fact(self, fact: Fact[object] | None) -> list[Any] | None:
        if fact is None:
            return None
        value = fact.value
        encoded = ["u", _unknown(value)] if isinstance(value, Unknown) else ["k", _scalar(value)]
        assumed = _unknown(fact.assumed) if fact.assumed is not None else None
        chain = self._chain(fact.chain)
        return [encoded, self.location(fact.location), fact.attr, fact.explicit, chain, assumed]

    def declaration(self, decl: Declaration) -> list[Any]:
        link = decl.link
        encoded_link = (
            None
            if link is None
            else [self.fact(link.reference), link.provider_alias, link.only_in_root, link.via]
        )
        span = [self._path(decl.span.path), decl.span.start_line, decl.span.end_line]
        return [
            self.node(decl.root),
            self._path(decl.path),
            span,
            decl.source,
            decl.address,
            encoded_link,
            self.fact(decl.exists),
            decl.provider_alias,
            decl.scope,
            decl.platform,
        ]


def _origin(location: list[Any], origin: Origin) -> list[Any]:
    if origin.redacted is None:
        return [location, origin.note]
    return [location, origin.note, origin.redacted]


def _scalar(value: object) -> object:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        # JSON has no infinities or NaN: keep them as tagged strings.
        return value if math.isfinite(value) else {"float": repr(value)}
    raise CodecError(f"cannot encode a {type(value).__name__} value")


def _unknown(unknown: Unknown) -> list[Any]:
    options = [_option(option) for option in unknown.options]
    return [unknown.expression, unknown.reason, unknown.silent, options, unknown.fix]


def _option(value: object) -> object:
    """One of an unknown's options: plain data, a tuple (a list's value), or ABSENT."""
    if value is ABSENT:
        return {"absent": True}
    if isinstance(value, tuple):
        return {"tuple": [_option(item) for item in value]}
    if isinstance(value, dict):
        return {"map": {str(k): _option(v) for k, v in value.items()}}
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise CodecError(f"cannot encode an option of type {type(value).__name__}")


def _decode_option(data: object) -> object:
    if isinstance(data, dict):
        if data.get("absent") is True and len(data) == 1:
            return ABSENT
        if isinstance(data.get("tuple"), list) and len(data) == 1:
            return tuple(_decode_option(item) for item in data["tuple"])
        if isinstance(data.get("map"), dict) and len(data) == 1:
            return {str(k): _decode_option(v) for k, v in data["map"].items()}
        raise CodecError("bad option")
    if data is None or isinstance(data, (str, bool, int, float)):
        return data
    raise CodecError("bad option")


def _key(data: Any) -> tuple[Any, ...]:
    """An encoded location or origin (lists of JSON scalars and lists) as a dictionary key."""
    if not isinstance(data, list):
        raise CodecError("expected a list")
    try:
        key = tuple(tuple(item) if isinstance(item, list) else item for item in data)
        hash(key)
    except TypeError:
        raise CodecError("bad encoded value") from None
    return key


class Decoder:
    def __init__(self, paths: object) -> None:
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise CodecError("bad path table")
        self._paths: list[str] = paths
        # Decoded locations and origins by their encoded form: a for_each's instances repeat
        # the same few (each.value's origins) hundreds of thousands of times, and both are
        # immutable, so one object serves every occurrence.
        self._locations: dict[tuple[Any, ...], Location] = {}
        self._origins: dict[tuple[Any, ...], Origin] = {}

    def _path(self, index: object) -> str:
        if not isinstance(index, int) or not 0 <= index < len(self._paths):
            raise CodecError("bad path index")
        return self._paths[index]

    def location(self, data: Any) -> Location:
        key = _key(data)
        found = self._locations.get(key)
        if found is None:
            path, line, column = data
            found = Location(self._path(path), expect_int(line), expect_int(column))
            self._locations[key] = found
        return found

    def _chain(self, data: Any) -> tuple[Origin, ...]:
        return tuple(self._origin(item) for item in data)

    def _origin(self, data: Any) -> Origin:
        key = _key(data)
        found = self._origins.get(key)
        if found is None:
            loc, note, *redacted = data
            if len(redacted) > 1:
                raise CodecError("bad origin")
            shown = expect_str(redacted[0]) if redacted else None
            found = Origin(self.location(loc), expect_str(note), shown)
            self._origins[key] = found
        return found

    def node(self, data: Any) -> Node:
        tag, loc, attr, chain, *rest = data
        location, attr_text, origins = self.location(loc), expect_str(attr), self._chain(chain)
        if tag == "s":
            value, text = rest
            return ScalarNode(location, attr_text, origins, _decode_scalar(value), expect_str(text))
        if tag == "u":
            (unknown,) = rest
            return UnknownNode(location, attr_text, origins, _decode_unknown(unknown))
        if tag == "q":
            (items,) = rest
            return SeqNode(location, attr_text, origins, tuple(self.node(i) for i in items))
        if tag == "m":
            (entries,) = rest
            decoded = tuple(
                MapEntry(expect_str(key), self.location(key_loc), self.node(value))
                for key, key_loc, value in entries
            )
            return MapNode(location, attr_text, origins, decoded)
        raise CodecError(f"unknown node tag {tag!r}")

    def fact(self, data: Any) -> Fact[Any] | None:
        if data is None:
            return None
        (tag, value), loc, attr, explicit, chain, assumed = data
        if tag == "u":
            decoded: object = _decode_unknown(value)
        elif tag == "k":
            decoded = _decode_scalar(value)
        else:
            raise CodecError(f"unknown fact tag {tag!r}")
        return Fact(
            decoded,
            self.location(loc),
            expect_str(attr),
            bool(explicit),
            self._chain(chain),
            _decode_unknown(assumed) if assumed is not None else None,
        )

    def declaration(self, data: Any) -> Declaration:
        root, path, span, source, address, link, exists, provider_alias, scope, platform = data
        decoded_root = self.node(root)
        if not isinstance(decoded_root, MapNode):
            raise CodecError("a declaration's root must be a map")
        span_path, start, end = span
        decoded_link = None
        if link is not None:
            reference, alias, only, via = link
            decoded_link = OrgLink(
                self.fact(reference), _optional_str(alias), _optional_str(only), _optional_str(via)
            )
        return Declaration(
            decoded_root,
            self._path(path),
            Span(self._path(span_path), expect_int(start), expect_int(end)),
            expect_str(source),
            expect_str(address),
            decoded_link,
            self.fact(exists),
            _optional_str(provider_alias),
            expect_str(scope),
            _optional_str(platform),
        )


def _decode_scalar(value: object) -> str | int | float | bool | None:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict) and set(value) == {"float"}:
        text = value["float"]
        if text in ("inf", "-inf", "nan"):
            return float(text)
    raise CodecError("bad scalar")


def _decode_unknown(data: Any) -> Unknown:
    expression, reason, silent, options, fix = data
    if not isinstance(options, list):
        raise CodecError("an unknown's options must be a list")
    decoded = tuple(_decode_option(option) for option in options)
    return Unknown(
        expect_str(expression), expect_str(reason), bool(silent), decoded, expect_str(fix)
    )


def expect_str(value: object) -> str:
    if not isinstance(value, str):
        raise CodecError("expected a string")
    return value


def _optional_str(value: object) -> str | None:
    return None if value is None else expect_str(value)


def expect_int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise CodecError("expected an integer")
    return value
