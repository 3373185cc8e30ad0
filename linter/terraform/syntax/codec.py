"""A safe, compact encoding of our Terraform syntax tree for the parse cache.

Cache files can be written by anyone who can write to the cache directory, so decoding never
runs code: the encoding is JSON, and only the AST classes listed here can be built from it.
Locations are stored without their path (it is re-attached on decoding), so two files with the
same content share one cache entry.

Every list starts with a tag: 0 a tuple, 1 a location, 2 a span, 3+ a node class (positional
fields, without ``path``). Scalars are JSON scalars. Positional lists decode about twice as
fast as keyed objects, and a warm run decodes tens of thousands of nodes.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from linter.core.locations import Location, Span
from linter.terraform.syntax import ast

FORMAT = 3  # part of the cache key: bump on any change of the encoding

_NODE_CLASSES: tuple[type[Any], ...] = (
    ast.Literal,
    ast.Template,
    ast.TemplateIf,
    ast.TemplateFor,
    ast.TupleExpr,
    ast.ObjectItem,
    ast.ObjectExpr,
    ast.Variable,
    ast.GetAttr,
    ast.Index,
    ast.SplatItem,
    ast.Splat,
    ast.Call,
    ast.Conditional,
    ast.Binary,
    ast.Unary,
    ast.ForExpr,
    ast.Parens,
    ast.Attribute,
    ast.Block,
    ast.Body,
    ast.File,
)
_TUPLE, _LOCATION, _SPAN = 0, 1, 2
_TAGS = {cls: index + 3 for index, cls in enumerate(_NODE_CLASSES)}
_FIELDS = {
    cls: tuple(f.name for f in dataclasses.fields(cls) if f.name != "path") for cls in _NODE_CLASSES
}
# (class, number of encoded fields, index at which the path goes back in, or -1)
_DECODE: dict[int, tuple[type[Any], int, int]] = {}
for _cls, _tag in _TAGS.items():
    _names = [f.name for f in dataclasses.fields(_cls)]
    _DECODE[_tag] = (_cls, len(_FIELDS[_cls]), _names.index("path") if "path" in _names else -1)


class CodecError(Exception):
    """A cache entry that does not decode: the cache treats it as a miss and deletes it."""


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind is Location:
        return [_LOCATION, value.line, value.column]
    if kind is Span:
        return [_SPAN, value.start_line, value.end_line]
    # Loops, not generator expressions: one frame per level of the tree, so that any tree the
    # parser accepts (MAX_EXPRESSION_DEPTH) is encoded far from the recursion limit.
    if kind is tuple:
        encoded = [_TUPLE]
        for item in value:
            encoded.append(_encode(item))
        return encoded
    tag = _TAGS.get(kind)
    if tag is not None:
        encoded = [tag]
        for name in _FIELDS[kind]:
            encoded.append(_encode(getattr(value, name)))
        return encoded
    if value is None or kind in (bool, int, float, str):
        return value
    raise CodecError(f"cannot encode {kind.__name__}")


def encode(file: ast.File) -> str:
    return json.dumps(_encode(file), separators=(",", ":"), ensure_ascii=False)


def _decode(value: Any, path: str) -> Any:
    if type(value) is not list:
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise CodecError("unexpected value")
    tag = value[0]
    # Loops rather than comprehensions, for one frame per level (see _encode).
    if tag == _TUPLE:
        items = []
        for item in value[1:]:
            items.append(_decode(item, path))
        return tuple(items)
    if tag == _LOCATION:
        return Location(path, value[1], value[2])
    if tag == _SPAN:
        return Span(path, value[1], value[2])
    cls, count, path_index = _DECODE[tag]
    if len(value) != count + 1:
        raise CodecError(f"wrong number of fields for {cls.__name__}")
    args = []
    for item in value[1:]:
        args.append(_decode(item, path))
    if path_index >= 0:
        args.insert(path_index, path)
    return cls(*args)


_TOO_DEEP = "the syntax tree nests too deeply"


def decode(text: str, path: str) -> ast.File:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CodecError(str(exc)) from None
    except RecursionError:
        raise CodecError(_TOO_DEEP) from None
    return decode_value(data, path)


def decode_value(data: Any, path: str) -> ast.File:
    """Decode an entry already read with json (part of a larger cache document)."""
    try:
        value = _decode(data, path)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise CodecError(str(exc)) from None
    except RecursionError:
        raise CodecError(_TOO_DEEP) from None
    if not isinstance(value, ast.File):
        raise CodecError("not a file")
    return value
