"""Terraform-like source text of an expression, for messages: ``var.retention``, ``x[*].id``.

The text is what a person would have written, not a byte-exact copy of the source: spacing is
normalised (``a + b``, ``{ k = v }``), legacy ``a.0`` indexes print as ``a[0]`` and quoted
object keys that are plain names print bare. Renders longer than :data:`MAX_LENGTH` characters
are cut short with "…".
"""

from __future__ import annotations

import math
import re

from linter.terraform.syntax.ast import (
    Binary,
    Call,
    Conditional,
    Expr,
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

__all__ = ["MAX_LENGTH", "render_expr"]

MAX_LENGTH = 120
# Nesting beyond this renders as "…": the text would be cut anyway, and it bounds recursion.
_MAX_DEPTH = 40

_PRECEDENCE = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}
_CONDITIONAL = 0
_UNARY = 7
_TERM = 8  # anything that needs no parentheses anywhere

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_STRING_SPECIAL = re.compile(r'[\\"\n\r\t]|\$\{|%\{')


def render_expr(expr: Expr) -> str:
    """Source text of ``expr``, at most MAX_LENGTH characters."""
    text = _render(expr, 0)
    if len(text) > MAX_LENGTH:
        return text[: MAX_LENGTH - 1] + "…"
    return text


def _precedence(expr: Expr) -> int:
    if isinstance(expr, Binary):
        return _PRECEDENCE.get(expr.op, 1)
    if isinstance(expr, Conditional):
        return _CONDITIONAL
    if isinstance(expr, Unary):
        return _UNARY
    if isinstance(expr, Literal) and isinstance(expr.value, (int, float)) and expr.value < 0:
        return _UNARY  # -1 is a negation as far as precedence goes
    return _TERM


def _operand(expr: Expr, minimum: int, depth: int) -> str:
    """Render ``expr`` where it must bind at least as tightly as ``minimum``."""
    text = _render(expr, depth)
    return f"({text})" if _precedence(expr) < minimum else text


def _render(expr: Expr, depth: int) -> str:
    if depth > _MAX_DEPTH:
        return "…"
    depth += 1
    if isinstance(expr, Literal):
        return _literal(expr.value)
    if isinstance(expr, Variable):
        return expr.name
    if isinstance(expr, SplatItem):
        return ""  # the element inside a splat's "each": its steps follow the [*]
    if isinstance(expr, GetAttr):
        return f"{_operand(expr.target, _TERM, depth)}.{expr.name}"
    if isinstance(expr, Index):
        return f"{_operand(expr.target, _TERM, depth)}[{_render(expr.key, depth)}]"
    if isinstance(expr, Splat):
        return f"{_operand(expr.target, _TERM, depth)}[*]{_render(expr.each, depth)}"
    if isinstance(expr, Call):
        args = ", ".join(_render(arg, depth) for arg in expr.args)
        return f"{expr.name}({args}{'...' if expr.expand_final else ''})"
    if isinstance(expr, Parens):
        return f"({_render(expr.expr, depth)})"
    if isinstance(expr, Unary):
        return f"{expr.op}{_operand(expr.operand, _UNARY, depth)}"
    if isinstance(expr, Binary):
        return _binary(expr, depth)
    if isinstance(expr, Conditional):
        condition = _operand(expr.condition, _CONDITIONAL + 1, depth)
        return f"{condition} ? {_render(expr.then, depth)} : {_render(expr.otherwise, depth)}"
    if isinstance(expr, TupleExpr):
        return "[" + ", ".join(_render(item, depth) for item in expr.items) + "]"
    if isinstance(expr, ObjectExpr):
        return _object(expr, depth)
    if isinstance(expr, ForExpr):
        return _for(expr, depth)
    if isinstance(expr, (Template, TemplateIf, TemplateFor)):
        return '"' + _template_part(expr, depth) + '"'
    return "…"


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)  # not writable in HCL; only a computed value could be one
        return repr(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, int):
        return str(value)
    return '"' + _escape(str(value)) + '"'


def _escape(text: str) -> str:
    """Quoted-string escapes, including $${ and %%{ so sequences stay literal."""
    return _STRING_SPECIAL.sub(
        lambda m: _STRING_ESCAPES.get(m.group(), m.group()[0] + m.group()), text
    )


def _binary(expr: Binary, depth: int) -> str:
    precedence = _PRECEDENCE.get(expr.op, 1)
    # Operators are left-associative: a right operand of equal precedence needs parentheses.
    left = _operand(expr.left, precedence, depth)
    right = _operand(expr.right, precedence + 1, depth)
    return f"{left} {expr.op} {right}"


def _object(expr: ObjectExpr, depth: int) -> str:
    if not expr.items:
        return "{}"
    items = []
    for item in expr.items:
        key = item.key
        if isinstance(key, Literal) and isinstance(key.value, str) and _IDENTIFIER.match(key.value):
            key_text = key.value
        else:
            key_text = _render(key, depth)
        items.append(f"{key_text} = {_render(item.value, depth)}")
    return "{ " + ", ".join(items) + " }"


def _for(expr: ForExpr, depth: int) -> str:
    names = f"{expr.key_var}, {expr.value_var}" if expr.key_var else expr.value_var
    head = f"for {names} in {_render(expr.collection, depth)} : "
    condition = f" if {_render(expr.condition, depth)}" if expr.condition is not None else ""
    if expr.key is None:
        return f"[{head}{_render(expr.value, depth)}{condition}]"
    group = "..." if expr.group else ""
    key, value = _render(expr.key, depth), _render(expr.value, depth)
    return f"{{{head}{key} => {value}{group}{condition}}}"


def _template_part(expr: Expr, depth: int) -> str:
    """A template (or a lone directive) as it appears between the quotes."""
    if depth > _MAX_DEPTH:
        return "…"
    depth += 1
    parts = expr.parts if isinstance(expr, Template) else (expr,)
    return "".join(_part(part, depth) for part in parts)


def _part(part: Expr, depth: int) -> str:
    if isinstance(part, Literal) and isinstance(part.value, str):
        return _escape(part.value)
    if isinstance(part, TemplateIf):
        text = f"%{{ if {_render(part.condition, depth)} }}{_template_part(part.then, depth)}"
        if part.otherwise is not None:
            text += f"%{{ else }}{_template_part(part.otherwise, depth)}"
        return text + "%{ endif }"
    if isinstance(part, TemplateFor):
        names = f"{part.key_var}, {part.value_var}" if part.key_var else part.value_var
        collection = _render(part.collection, depth)
        body = _template_part(part.body, depth)
        return f"%{{ for {names} in {collection} }}{body}%{{ endfor }}"
    return "${" + _render(part, depth) + "}"  # an interpolation, possibly of another template
