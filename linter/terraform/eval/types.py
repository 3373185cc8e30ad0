"""Variable type constraints (``type = list(string)``) and conversion of values to them.

Terraform converts every input variable value to its declared type: "true" becomes true for a
bool, a list becomes a set for ``set(string)``, and missing ``optional(...)`` object attributes
get their default. Unknown values pass through unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from linter.core.model import SENSITIVE
from linter.terraform.eval.operations import (
    EvalError,
    cap_chain,
    make_set,
    parse_number,
    to_bool,
    to_number,
    to_str,
    type_name,
)
from linter.terraform.eval.values import Val
from linter.terraform.syntax.ast import Call, Expr, Literal, ObjectExpr, Parens, TupleExpr, Variable

PRIMITIVES = frozenset({"string", "number", "bool"})
_COLLECTIONS = frozenset({"list", "set", "map"})
MAX_TYPE_DEPTH = 32


@dataclass(frozen=True)
class Attr:
    type: TypeSpec
    optional: bool = False
    default: Expr | None = None


@dataclass(frozen=True)
class TypeSpec:
    """A parsed type constraint: ``kind`` is any, string, number, bool, list, set, map, tuple
    or object."""

    kind: str
    element: TypeSpec | None = None  # list, set, map
    items: tuple[TypeSpec, ...] = ()  # tuple
    attrs: dict[str, Attr] = field(default_factory=dict)  # object

    @property
    def primitive(self) -> bool:
        return self.kind in PRIMITIVES


ANY = TypeSpec("any")


def parse_type(expr: Expr | None, depth: int = 0) -> TypeSpec:
    """The type constraint written in a variable's ``type``; ``any`` when absent or unreadable."""
    if expr is None or depth > MAX_TYPE_DEPTH:
        return ANY
    if isinstance(expr, Parens):
        return parse_type(expr.expr, depth + 1)
    if isinstance(expr, Variable):
        return TypeSpec(expr.name) if expr.name in PRIMITIVES else ANY
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        # Terraform 0.11 quoted types: "string", "list", "map".
        legacy = {"string": "string", "list": "list", "map": "map"}.get(expr.value)
        return TypeSpec(legacy, element=ANY if legacy != "string" else None) if legacy else ANY
    if isinstance(expr, Call) and expr.args:
        return _parse_call_type(expr, depth)
    return ANY


def _parse_call_type(expr: Call, depth: int) -> TypeSpec:
    arg = expr.args[0]
    if expr.name in _COLLECTIONS:
        return TypeSpec(expr.name, element=parse_type(arg, depth + 1))
    if expr.name == "tuple" and isinstance(arg, TupleExpr):
        return TypeSpec("tuple", items=tuple(parse_type(item, depth + 1) for item in arg.items))
    if expr.name == "object" and isinstance(arg, ObjectExpr):
        attrs: dict[str, Attr] = {}
        for item in arg.items:
            name = _attr_name(item.key)
            if name is not None:
                attrs[name] = _parse_attr(item.value, depth + 1)
        return TypeSpec("object", attrs=attrs)
    return ANY


def _attr_name(key: Expr) -> str | None:
    if isinstance(key, Literal) and isinstance(key.value, str):
        return key.value
    if isinstance(key, Variable):
        return key.name
    return None


def _parse_attr(expr: Expr, depth: int) -> Attr:
    if isinstance(expr, Call) and expr.name == "optional" and expr.args:
        default = expr.args[1] if len(expr.args) > 1 else None
        return Attr(parse_type(expr.args[0], depth), optional=True, default=default)
    return Attr(parse_type(expr, depth))


EvalDefault = Callable[[Expr], Val]


def convert(val: Val, spec: TypeSpec, eval_default: EvalDefault, depth: int = 0) -> Val:
    """``val`` converted to ``spec`` (raises EvalError when Terraform would reject it)."""
    v = val.v
    if spec.kind == "any" or not val.known or v is None:
        return val
    if depth > MAX_TYPE_DEPTH:
        raise EvalError("value nested too deeply")
    if spec.kind == "string":
        return _replace(val, to_str(val))
    if spec.kind == "number":
        return _replace(val, to_number(val))
    if spec.kind == "bool":
        return _replace(val, to_bool(val))
    if spec.kind in {"list", "set", "tuple"}:
        return _convert_sequence(val, spec, eval_default, depth)
    return _convert_mapping(val, spec, eval_default, depth)


def _replace(val: Val, v: str | int | float | bool) -> Val:
    return Val(v, val.loc, val.chain, val.ref, val.kind)


def _convert_sequence(val: Val, spec: TypeSpec, eval_default: EvalDefault, depth: int) -> Val:
    v = val.v
    if not isinstance(v, tuple):
        raise EvalError(f"a {spec.kind} is required, not a {type_name(val)}")
    if spec.kind == "tuple":
        if len(v) != len(spec.items):
            raise EvalError(f"a tuple of {len(spec.items)} elements is required, not {len(v)}")
        items = tuple(
            convert(item, item_spec, eval_default, depth + 1)
            for item, item_spec in zip(v, spec.items, strict=True)
        )
        return Val(items, val.loc, val.chain, val.ref)
    element = spec.element or ANY
    items = tuple(convert(item, element, eval_default, depth + 1) for item in v)
    if element.kind == "any":
        items = _unify_primitives(items)
    if spec.kind == "set":
        return make_set(items, val.loc, val.chain)
    return Val(items, val.loc, val.chain, val.ref)


def _convert_mapping(val: Val, spec: TypeSpec, eval_default: EvalDefault, depth: int) -> Val:
    v = val.v
    if not isinstance(v, dict):
        raise EvalError(f"an {spec.kind} is required, not a {type_name(val)}")
    if spec.kind == "map":
        element = spec.element or ANY
        converted = {k: convert(item, element, eval_default, depth + 1) for k, item in v.items()}
        return Val(converted, val.loc, val.chain, val.ref)
    result: dict[str, Val] = {}
    for name, attr in spec.attrs.items():
        if name in v:
            result[name] = convert(v[name], attr.type, eval_default, depth + 1)
        elif attr.optional:
            default = eval_default(attr.default) if attr.default is not None else Val(None, val.loc)
            # The default stands in for the object's attribute: it travelled the same way.
            default = Val(default.v, default.loc, cap_chain((*default.chain, *val.chain)))
            result[name] = convert(default, attr.type, eval_default, depth + 1)
        else:
            raise EvalError(f'attribute "{name}" is required')
    return Val(result, val.loc, val.chain, val.ref)


def _unify_primitives(items: tuple[Val, ...]) -> tuple[Val, ...]:
    """Elements of list(any) get one type: mixed strings and numbers/bools become strings."""
    kinds = {type_name(item) for item in items if item.known and item.v is not None}
    if "string" in kinds and kinds <= {"string", "number", "bool"} and len(kinds) > 1:
        return tuple(
            _replace(item, to_str(item)) if item.known and item.v is not None else item
            for item in items
        )
    return items


def raw_for_type(text: str, spec: TypeSpec, sensitive: bool = False) -> str | int | float | bool:
    """A -var / TF_VAR_ string for a primitive type: Terraform converts the raw string.

    An error quotes the text, unless it is ``sensitive``."""
    shown = SENSITIVE if sensitive else repr(text[:40])
    if spec.kind == "number":
        number = parse_number(text)
        if number is None:
            raise EvalError(f"{shown} is not a number")
        return number
    if spec.kind == "bool":
        if text in {"true", "false"}:
            return text == "true"
        raise EvalError(f"{shown} is not a bool")
    return text


__all__ = ["ANY", "Attr", "TypeSpec", "convert", "parse_type", "raw_for_type"]
