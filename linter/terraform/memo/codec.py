"""A safe, compact encoding of declarations, for reusing a root module's evaluation across runs.

Decoding builds only the classes named here and never runs code. The encoding is plain data
(tuples, lists, strings, numbers, booleans and None), stored with marshal (see
linter.core.cache): no JSON round trip, and tuples stay tuples.

A root's declarations repeat the same few files, places and provenance chains thousands of
times, so each is stored once, in the root's tables, and referred to by index:

- ``paths``: display paths;
- ``locations``: flat ``[path, line, column, path, line, column, ...]``;
- ``origins``: ``(location, note, redacted or None)``;
- ``chains``: tuples of origin indexes (chain 0 is the empty chain).

Decoding turns each table into objects once (one object per distinct location or origin, which
also keeps a for_each's instances from holding a million copies of the same origin), then each
node is a tuple lookup away. Equal strings are encoded as one object, which marshal then stores
once.
"""

from __future__ import annotations

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
# unknown's options and fix; a declaration's scope and platform. 4: tables of locations,
# origins and chains; tuples for marshal.
FORMAT = 4

# Node tags.
_SCALAR, _UNKNOWN, _SEQ, _MAP = 0, 1, 2, 3
# Fact tags: a known value or an unknown.
_KNOWN, _UNKNOWN_FACT = 0, 1
# Option tags (an unknown's options that are not plain scalars).
_ABSENT, _TUPLE, _DICT = "absent", "tuple", "map"
_SCALAR_TYPES = (str, int, float, bool, type(None))


class Encoder:
    """Encodes declarations that share one set of tables (one root module's)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._locations: list[int] = []
        self._origins: list[tuple[int, str, str | None]] = []
        self._chains: list[tuple[int, ...]] = [()]
        self._path_index: dict[str, int] = {}
        self._location_index: dict[Location, int] = {}
        self._origin_index: dict[tuple[int, str, str | None], int] = {}
        self._chain_index: dict[tuple[int, ...], int] = {(): 0}
        self._strings: dict[str, str] = {}

    def tables(self) -> tuple[Any, ...]:
        """What the decoder needs besides the encoded declarations (see the module's doc)."""
        return (self.paths, self._locations, self._origins, self._chains)

    def _text(self, text: str) -> str:
        """One object for equal strings: marshal then writes it once (and a str subclass as
        the str it is: marshal stores exact types only)."""
        if type(text) is not str:
            if not isinstance(text, str):
                raise CodecError(f"cannot encode a {type(text).__name__} as text")
            text = str(text)
        return self._strings.setdefault(text, text)

    def _optional_text(self, text: str | None) -> str | None:
        return None if text is None else self._text(text)

    def _path(self, path: str) -> int:
        index = self._path_index.get(path)
        if index is None:
            index = self._path_index[path] = len(self.paths)
            self.paths.append(self._text(path))
        return index

    def location(self, loc: Location) -> int:
        index = self._location_index.get(loc)
        if index is None:
            index = self._location_index[loc] = len(self._locations) // 3
            self._locations += (self._path(loc.path), _int(loc.line), _int(loc.column))
        return index

    def _origin(self, origin: Origin) -> int:
        key = (self.location(origin.location), origin.note, origin.redacted)
        index = self._origin_index.get(key)
        if index is None:
            index = self._origin_index[key] = len(self._origins)
            self._origins.append(
                (key[0], self._text(origin.note), self._optional_text(origin.redacted))
            )
        return index

    def _chain(self, chain: tuple[Origin, ...]) -> int:
        key = tuple(self._origin(o) for o in chain)
        index = self._chain_index.get(key)
        if index is None:
            index = self._chain_index[key] = len(self._chains)
            self._chains.append(key)
        return index

    def node(self, node: Node) -> tuple[Any, ...]:
        loc, attr, chain = (
            self.location(node.location),
            self._text(node.attr),
            self._chain(node.chain),
        )
        if isinstance(node, ScalarNode):
            return (_SCALAR, loc, attr, chain, self._scalar(node.value), self._text(node.text))
        if isinstance(node, UnknownNode):
            return (_UNKNOWN, loc, attr, chain, self._unknown(node.unknown))
        if isinstance(node, SeqNode):
            return (_SEQ, loc, attr, chain, tuple(self.node(item) for item in node.items))
        if isinstance(node, MapNode):
            entries = tuple(
                (self._text(e.key), self.location(e.key_location), self.node(e.value))
                for e in node.entries
            )
            return (_MAP, loc, attr, chain, entries)
        raise CodecError(f"cannot encode {type(node).__name__}")

    def fact(self, fact: Fact[object] | None) -> tuple[Any, ...] | None:
        if fact is None:
            return None
        value = fact.value
        tag, encoded = (
            (_UNKNOWN_FACT, self._unknown(value))
            if isinstance(value, Unknown)
            else (_KNOWN, self._scalar(value))
        )
        assumed = self._unknown(fact.assumed) if fact.assumed is not None else None
        return (
            tag,
            encoded,
            self.location(fact.location),
            self._text(fact.attr),
            bool(fact.explicit),
            self._chain(fact.chain),
            assumed,
        )

    def declaration(self, decl: Declaration) -> tuple[Any, ...]:
        link = decl.link
        encoded_link = (
            None
            if link is None
            else (
                self.fact(link.reference),
                self._optional_text(link.provider_alias),
                self._optional_text(link.only_in_root),
                self._optional_text(link.via),
            )
        )
        return (
            self.node(decl.root),
            self._path(decl.path),
            self._path(decl.span.path),
            _int(decl.span.start_line),
            _int(decl.span.end_line),
            self._text(decl.source),
            self._text(decl.address),
            encoded_link,
            self.fact(decl.exists),
            self._optional_text(decl.provider_alias),
            self._text(decl.scope),
            self._optional_text(decl.platform),
        )

    def _scalar(self, value: object) -> object:
        if value is None or type(value) in (bool, int, float):
            return value
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        raise CodecError(f"cannot encode a {type(value).__name__} value")

    def _unknown(self, unknown: Unknown) -> tuple[Any, ...]:
        options = tuple(self._option(option) for option in unknown.options)
        return (
            self._text(unknown.expression),
            self._text(unknown.reason),
            bool(unknown.silent),
            options,
            self._text(unknown.fix),
        )

    def _option(self, value: object) -> object:
        """One of an unknown's options: plain data, a tuple (a list's value), a dict (an
        object's) or ABSENT, tagged when it is not a scalar."""
        if value is ABSENT:
            return (_ABSENT,)
        if isinstance(value, tuple):
            return (_TUPLE, tuple(self._option(item) for item in value))
        if isinstance(value, dict):
            return (_DICT, tuple((str(k), self._option(v)) for k, v in value.items()))
        return self._scalar(value)


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise CodecError("expected an integer")
    return int(value)


class Decoder:
    """Decodes what one Encoder encoded, given its tables."""

    def __init__(self, tables: object) -> None:
        if not isinstance(tables, tuple) or len(tables) != 4:
            raise CodecError("bad tables")
        paths, locations, origins, chains = tables
        if not isinstance(paths, list) or not all(type(p) is str for p in paths):
            raise CodecError("bad path table")
        self._paths: list[str] = paths
        self.locations = self._decode_locations(locations)
        self.origins = [self._decode_origin(item) for item in _list(origins)]
        self.chains = [self._decode_chain(item) for item in _list(chains)]

    def _decode_locations(self, flat: object) -> list[Location]:
        items = _list(flat)
        if len(items) % 3:
            raise CodecError("bad location table")
        paths = self._paths
        triples = iter(items)
        return [
            Location(paths[_index(path, paths)], expect_int(line), expect_int(column))
            for path, line, column in zip(triples, triples, triples, strict=True)
        ]

    def _decode_origin(self, data: object) -> Origin:
        if not isinstance(data, tuple) or len(data) != 3:
            raise CodecError("bad origin")
        location, note, redacted = data
        shown = None if redacted is None else expect_str(redacted)
        return Origin(self.location(location), expect_str(note), shown)

    def _decode_chain(self, data: object) -> tuple[Origin, ...]:
        if not isinstance(data, tuple):
            raise CodecError("bad chain")
        origins = self.origins
        return tuple(origins[_index(item, origins)] for item in data)

    def location(self, index: object) -> Location:
        return self.locations[_index(index, self.locations)]

    def node(self, data: Any) -> Node:
        """A node. References into the tables are not checked one by one (the hot loop of a
        warm run): the document is signed, and an index out of range is a CodecError
        (see :meth:`declaration`), a negative one cannot be written by the encoder."""
        tag = data[0]
        if tag == _SCALAR:
            _, loc, attr, chain, value, text = data
            if type(attr) is not str or type(text) is not str or type(value) not in _SCALAR_TYPES:
                raise CodecError("bad scalar node")
            return ScalarNode(self.locations[loc], attr, self.chains[chain], value, text)
        if tag == _MAP:
            _, loc, attr, chain, entries = data
            if type(attr) is not str or type(entries) is not tuple:
                raise CodecError("bad map node")
            return MapNode(self.locations[loc], attr, self.chains[chain], self._entries(entries))
        if tag == _SEQ:
            _, loc, attr, chain, items = data
            if type(attr) is not str or type(items) is not tuple:
                raise CodecError("bad sequence node")
            decoded = tuple([self.node(item) for item in items])
            return SeqNode(self.locations[loc], attr, self.chains[chain], decoded)
        if tag == _UNKNOWN:
            _, loc, attr, chain, unknown = data
            return UnknownNode(
                self.locations[loc], expect_str(attr), self.chains[chain], _decode_unknown(unknown)
            )
        raise CodecError(f"unknown node tag {tag!r}")

    def _entries(self, entries: tuple[Any, ...]) -> tuple[MapEntry, ...]:
        locations, node = self.locations, self.node
        decoded = []
        for key, key_loc, value in entries:
            if type(key) is not str:
                raise CodecError("a key must be a string")
            decoded.append(MapEntry(key, locations[key_loc], node(value)))
        return tuple(decoded)

    def fact(self, data: Any) -> Fact[Any] | None:
        if data is None:
            return None
        tag, value, loc, attr, explicit, chain, assumed = data
        if tag == _UNKNOWN_FACT:
            decoded: object = _decode_unknown(value)
        elif tag == _KNOWN:
            decoded = _decode_scalar(value)
        else:
            raise CodecError(f"unknown fact tag {tag!r}")
        return Fact(
            decoded,
            self.location(loc),
            expect_str(attr),
            bool(explicit),
            self.chains[_index(chain, self.chains)],
            _decode_unknown(assumed) if assumed is not None else None,
        )

    def declaration(self, data: Any) -> Declaration:
        try:
            return self._declaration(data)
        except IndexError:
            raise CodecError("bad table index") from None

    def _declaration(self, data: Any) -> Declaration:
        if not isinstance(data, tuple):
            raise CodecError("a declaration must be a tuple")
        (
            root,
            path,
            span_path,
            start,
            end,
            source,
            address,
            link,
            exists,
            provider_alias,
            scope,
            platform,
        ) = data
        decoded_root = self.node(root)
        if not isinstance(decoded_root, MapNode):
            raise CodecError("a declaration's root must be a map")
        decoded_link = None
        if link is not None:
            reference, alias, only, via = link
            decoded_link = OrgLink(
                self.fact(reference), _optional_str(alias), _optional_str(only), _optional_str(via)
            )
        paths = self._paths
        return Declaration(
            decoded_root,
            paths[_index(path, paths)],
            Span(paths[_index(span_path, paths)], expect_int(start), expect_int(end)),
            expect_str(source),
            expect_str(address),
            decoded_link,
            self.fact(exists),
            _optional_str(provider_alias),
            expect_str(scope),
            _optional_str(platform),
        )


def _index(value: object, table: list[Any]) -> int:
    """A checked index into one of the tables (a negative one would silently wrap around)."""
    if type(value) is not int or not 0 <= value < len(table):
        raise CodecError("bad table index")
    return value


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise CodecError("expected a list")
    return value


def _tuple(value: object) -> tuple[Any, ...]:
    if not isinstance(value, tuple):
        raise CodecError("expected a tuple")
    return value


def _decode_scalar(value: object) -> str | int | float | bool | None:
    if type(value) in _SCALAR_TYPES:
        return value  # type: ignore[return-value]
    raise CodecError("bad scalar")


def _decode_unknown(data: Any) -> Unknown:
    expression, reason, silent, options, fix = data
    decoded = tuple(_decode_option(option) for option in _tuple(options))
    return Unknown(
        expect_str(expression), expect_str(reason), bool(silent), decoded, expect_str(fix)
    )


def _decode_option(data: object) -> object:
    if not isinstance(data, tuple):
        return _decode_scalar(data)
    if data == (_ABSENT,):
        return ABSENT
    tag, items = data
    if tag == _TUPLE:
        return tuple(_decode_option(item) for item in _tuple(items))
    if tag == _DICT:
        return {expect_str(k): _decode_option(v) for k, v in _tuple(items)}
    raise CodecError("bad option")


def expect_str(value: object) -> str:
    if type(value) is not str:
        raise CodecError("expected a string")
    return value


def _optional_str(value: object) -> str | None:
    return None if value is None else expect_str(value)


def expect_int(value: object) -> int:
    if type(value) is not int:
        raise CodecError("expected an integer")
    return value
