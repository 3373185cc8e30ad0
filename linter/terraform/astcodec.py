"""A safe, compact encoding of our Terraform syntax tree for the parse cache.

Cache files can be written by anyone who can write to the cache directory, so decoding never
runs code: the encoding is JSON, and only the AST classes listed here can be built from it.
Locations are stored without their path (it is re-attached on decoding), so two files with the
same content share one cache entry.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from linter.source import Location, Span
from linter.terraform import ast

_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
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
}
_FIELDS = {name: [f.name for f in dataclasses.fields(cls)] for name, cls in _CLASSES.items()}


class CodecError(Exception):
    """A cache entry that does not decode: the cache treats it as a miss and deletes it."""


def _encode(value: Any) -> Any:
    if isinstance(value, Location):
        return {"@": "L", "v": [value.line, value.column]}
    if isinstance(value, Span):
        return {"@": "S", "v": [value.start_line, value.end_line]}
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    name = type(value).__name__
    if name in _CLASSES and type(value) is _CLASSES[name]:
        fields = _FIELDS[name]
        values = [_encode(getattr(value, f)) for f in fields if f != "path"]
        return {"@": name, "v": values}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise CodecError(f"cannot encode {type(value).__name__}")


def encode(file: ast.File) -> str:
    return json.dumps(_encode(file), separators=(",", ":"), ensure_ascii=False)


def _decode(value: Any, path: str) -> Any:
    if isinstance(value, list):
        return tuple(_decode(item, path) for item in value)
    if not isinstance(value, dict):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise CodecError("unexpected value")
    tag, args = value.get("@"), value.get("v")
    if not isinstance(args, list):
        raise CodecError("malformed entry")
    if tag == "L":
        return Location(path, int(args[0]), int(args[1]))
    if tag == "S":
        return Span(path, int(args[0]), int(args[1]))
    cls = _CLASSES.get(str(tag))
    if cls is None:
        raise CodecError(f"unknown node type {tag!r}")
    fields = [f for f in _FIELDS[str(tag)] if f != "path"]
    if len(fields) != len(args):
        raise CodecError(f"wrong number of fields for {tag}")
    kwargs = {f: _decode(a, path) for f, a in zip(fields, args, strict=True)}
    if "path" in _FIELDS[str(tag)]:
        kwargs["path"] = path
    return cls(**kwargs)


def decode(text: str, path: str) -> ast.File:
    try:
        value = _decode(json.loads(text), path)
    except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
        raise CodecError(str(exc)) from None
    if not isinstance(value, ast.File):
        raise CodecError("not a file")
    return value
