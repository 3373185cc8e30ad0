"""Evaluate one Terraform expression to a :class:`Val`, the way Terraform would.

:class:`ExpressionEvaluator` knows literals, templates, operators, conditionals, ``for``
expressions, splats, function calls and attribute/index access. What a reference *means*
(``var.x``, ``local.y``, ``module.m``, a resource, ``each``/``count``, ``path``, ``terraform``)
depends on the module graph, which this module does not know: it asks its :class:`References`
(linter.terraform.eval.graph implements them). So the import goes one way, graph -> here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple, Protocol

from linter.core.locations import Location
from linter.core.model import Unknown
from linter.terraform.eval.functions import FUNCTIONS, CallSite, NotEvaluatedError, call_function
from linter.terraform.eval.modules import NO_BINDINGS, Bindings, ModuleInstance
from linter.terraform.eval.operations import (
    EvalError,
    Handle,
    add_chain,
    check_items,
    check_string,
    derived,
    equal,
    first_unknown,
    normalize_number,
    one_of,
    plain_unknown,
    quoted,
    taint_from,
    to_bool,
    to_int,
    to_number,
    to_str,
    type_name,
    union_chains,
    unknown_in,
    wholly_known,
)
from linter.terraform.eval.values import Val, placed
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
from linter.terraform.syntax.render import render_expr

RENDER_WIDTH = 120

# Root names of references that are not resources.
_SPECIAL_ROOTS = frozenset(
    {"var", "local", "module", "data", "each", "count", "path", "terraform", "self"}
)


class BudgetExceededError(EvalError):
    """The evaluation budget (of the root module being evaluated) is spent: not an error
    ``try()`` may catch."""


_NO_NAMES: Mapping[str, Val] = MappingProxyType({})


class Scope(NamedTuple):
    """What names mean where an expression is evaluated (a tuple: it is created very often)."""

    module: ModuleInstance
    bindings: Bindings = NO_BINDINGS
    names: Mapping[str, Val] = _NO_NAMES  # for-expression variables
    splat: Val | None = None
    constant: bool = False  # tfvars values and defaults: no references allowed

    def bind(self, names: Mapping[str, Val]) -> Scope:
        return Scope(self.module, self.bindings, {**self.names, **names}, self.splat, self.constant)


def safe_render(expr: Expr) -> str:
    """The source text of an expression for messages, bounded; never raises."""
    try:
        text = render_expr(expr)
    except Exception:  # a renderer bug must not hide the value's problem
        return "<expression>"
    return text if len(text) <= RENDER_WIDTH else text[: RENDER_WIDTH - 3] + "..."


class References(Protocol):
    """What an expression cannot know by itself: the module graph it is evaluated in."""

    def reference(self, root: str, name: str, expr: Expr, scope: Scope) -> Val:
        """``root.name`` where ``root`` is no for-expression variable (``expr`` is the whole
        reference): ``var``, ``local``, ``module``, ``each``, ``count``, ``path``,
        ``terraform``, ``self``, ``data`` without a name, or a managed resource type."""

    def data_resource(self, type_: str, name: str, expr: Expr, scope: Scope) -> Val:
        """``data.TYPE.NAME``: an instance, a list or map of them, or unknown."""

    def instance_attribute(self, address: str, name: str, expr: Expr) -> Val | None:
        """Attribute ``name`` of the resource instance at ``address``, or output ``name`` of
        the module instance there; None if ``address`` names neither."""

    def has_instance(self, address: str) -> bool:
        """Whether ``address`` names a resource or module instance seen so far."""


class ExpressionEvaluator:
    """Evaluates expressions within a budget of steps, asking ``references`` what names mean.

    ``fuel`` is the number of steps left (the graph walk gives each root module its own);
    below zero every further step raises :class:`BudgetExceededError`.
    """

    def __init__(self, references: References, fuel: int) -> None:
        self._references = references
        self.fuel = fuel
        self.spent_at: Location | None = None  # where the budget ran out
        self._dispatch: dict[type[Expr], Callable[[Expr, Scope], Val]] = {
            Literal: self._literal,
            Template: self._template,
            TemplateIf: self._template_if,
            TemplateFor: self._template_for,
            TupleExpr: self._tuple,
            ObjectExpr: self._object,
            Variable: self._variable,
            GetAttr: self._get_attr,
            Index: self._index,
            SplatItem: self._splat_item,
            Splat: self._splat,
            Call: self._call,
            Conditional: self._conditional,
            Binary: self._binary,
            Unary: self._unary,
            ForExpr: self._for,
            Parens: self._parens,
        }

    def eval(self, expr: Expr, scope: Scope) -> Val:
        self.fuel -= 1
        if self.fuel < 0:
            raise self._spent(expr)
        method = self._dispatch.get(type(expr))
        if method is None:
            raise EvalError(f"unsupported expression {type(expr).__name__}", expr)
        try:
            return method(expr, scope)
        except EvalError as exc:
            if exc.expr is None:
                exc.expr = expr  # the innermost failing expression, for the message
                if isinstance(exc, BudgetExceededError) and self.spent_at is None:
                    exc.message = self._spent(expr).message  # a function's _charge ran out
            raise

    def _charge(self, amount: int) -> None:
        self.fuel -= amount
        if self.fuel < 0:
            raise self._spent(None)

    def _spent(self, expr: Expr | None) -> BudgetExceededError:
        """The error for a step past the budget; the first one with an ``expr`` says where."""
        if self.spent_at is None and expr is not None:
            self.spent_at = expr.loc
        where = f" at {self.spent_at}" if self.spent_at is not None else ""
        return BudgetExceededError(
            f"the evaluation budget of this root module ran out{where} "
            "(input too large or too complex)",
            expr,
        )

    def _literal(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, Literal)
        value = expr.value
        if isinstance(value, str):
            check_string(value)
        elif isinstance(value, float):
            value = normalize_number(value)
        return Val(value, expr.loc)

    def _parens(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, Parens)
        return self.eval(expr.expr, scope)

    def _template(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, Template)
        parts = expr.parts
        if (
            len(parts) == 1
            and not _is_text(parts[0])
            and not isinstance(parts[0], TemplateIf | TemplateFor)
        ):
            return self.eval(parts[0], scope)  # "${x}" is x itself, not converted
        return self._template_text(expr, scope)

    def _template_text(self, expr: Template, scope: Scope) -> Val:
        pieces: list[str] = []
        inputs: list[Val] = []
        size = 0
        for part in expr.parts:
            if isinstance(part, Literal) and isinstance(part.value, str):
                text = part.value
            else:
                val = self.eval(part, scope)
                inputs.append(val)
                if not val.known:
                    return Val(unknown_in(val), expr.loc, union_chains(inputs))
                if isinstance(val.v, tuple | dict):
                    raise EvalError(f"cannot include a {type_name(val)} in a string template", part)
                text = to_str(val, "template interpolation")
            pieces.append(text)
            size += len(text)
            if size > 1_000_000:
                raise EvalError("value too large: string longer than 1 MB", expr)
        self._charge(size // 64)
        return Val("".join(pieces), expr.loc, union_chains(inputs))

    def _template_if(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, TemplateIf)
        condition = self.eval(expr.condition, scope)
        if not condition.known:
            return Val(unknown_in(condition), expr.loc, condition.chain)
        chosen = expr.then if to_bool(condition, "condition") else expr.otherwise
        if chosen is None:
            return Val("", expr.loc, condition.chain)
        return add_chain(self._template_text(chosen, scope), condition.chain)

    def _template_for(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, TemplateFor)
        collection = self.eval(expr.collection, scope)
        if not collection.known:
            return _unknown_result((collection,), expr)
        pieces: list[str] = []
        inputs = [collection]
        size = 0
        for key, value in _iterate(collection, expr):
            inner = scope.bind(_loop_names(expr.key_var, expr.value_var, key, value))
            text = self._template_text(expr.body, inner)
            if not text.known:
                return Val(text.v, expr.loc, union_chains([*inputs, text]))
            inputs.append(text)
            pieces.append(str(text.v))
            size += len(pieces[-1])
            if size > 1_000_000:
                raise EvalError("value too large: string longer than 1 MB", expr)
        return Val("".join(pieces), expr.loc, union_chains(inputs))

    def _tuple(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, TupleExpr)
        items = tuple(placed(self.eval(item, scope), item.loc) for item in expr.items)
        return Val(items, expr.loc)

    def _object(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, ObjectExpr)
        result: dict[str, Val] = {}
        for item in expr.items:
            key_val = self.eval(item.key, scope)
            if not key_val.known:
                # Unknown keys make the whole object's shape unknown.
                return Val(unknown_in(key_val), expr.loc, key_val.chain)
            if key_val.v is None:
                raise EvalError("object key is null", item.key)
            key = to_str(key_val, "object key")
            if key in result:
                shown = quoted(key_val, f'"{key[:60]}"')
                raise EvalError(f"duplicate object key {shown}", item.key)
            # A key is no Val of its own: a sensitive one makes its value sensitive.
            value = taint_from(self.eval(item.value, scope), (key_val,))
            result[key] = placed(value, item.value.loc)
        return Val(result, expr.loc)

    def _variable(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, Variable)
        bound = scope.names.get(expr.name)
        if bound is not None:
            return bound
        if expr.name in _SPECIAL_ROOTS:
            raise EvalError(f'"{expr.name}" must be followed by an attribute', expr)
        raise EvalError(f'unknown name "{expr.name}"', expr)

    def _get_attr(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, GetAttr)
        target = expr.target
        if isinstance(target, Variable) and target.name not in scope.names:
            self._no_references(scope, expr)
            return self._references.reference(target.name, expr.name, expr, scope)
        if (
            isinstance(target, GetAttr)
            and isinstance(target.target, Variable)
            and target.target.name == "data"
            and "data" not in scope.names
        ):
            self._no_references(scope, expr)
            return self._references.data_resource(target.name, expr.name, expr, scope)
        return self._attr_of(self.eval(target, scope), expr.name, expr)

    def _no_references(self, scope: Scope, expr: Expr) -> None:
        if scope.constant:
            raise EvalError("references are not allowed here", expr)

    def _attr_of(self, base: Val, name: str, expr: Expr) -> Val:
        v = base.v
        if isinstance(v, Handle):
            return self._handle_attr(v, name, expr)
        if isinstance(v, Unknown):
            return Val(v, expr.loc, base.chain, base.ref)
        if isinstance(v, dict):
            if name in v:
                return v[name]
            raise EvalError(f'object has no attribute "{name}"', expr)
        if isinstance(v, tuple) and name.isdigit():
            return _element_at(base, int(name), expr)  # legacy list.0 syntax
        if v is None:
            raise EvalError(f'cannot read attribute "{name}" of null', expr)
        raise EvalError(f'a {type_name(base)} has no attribute "{name}"', expr)

    def _handle_attr(self, handle: Handle, name: str, expr: Expr) -> Val:
        if handle.level == "opaque":
            return Val(Unknown(safe_render(expr), handle.reason), expr.loc)
        if handle.level == "collection":
            raise EvalError(
                f"{handle.expression} has count or for_each: an index is required", expr
            )
        value = self._references.instance_attribute(handle.address, name, expr)
        if value is not None:
            return value
        return Val(Unknown(safe_render(expr), handle.reason), expr.loc)

    def _index(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, Index)
        base = self.eval(expr.target, scope)
        key = self.eval(expr.key, scope)
        v = base.v
        if isinstance(v, Handle):
            return self._handle_index(v, base, key, expr)
        if isinstance(v, Unknown):
            return Val(v, expr.loc, base.chain, base.ref)
        if not key.known:
            return Val(unknown_in(key), expr.loc, union_chains([base, key]))
        # An element looked up by a sensitive key or index is sensitive.
        if isinstance(v, tuple):
            if base.kind == "set":
                raise EvalError("cannot index a set; convert it with tolist() first", expr)
            return taint_from(_element_at(base, to_int(key, "index"), expr), (key,))
        if isinstance(v, dict):
            name = to_str(key, "key")
            if name in v:
                return taint_from(v[name], (key,))
            shown = quoted(key, f'"{name[:60]}"')
            raise EvalError(f"key {shown} not found", expr)
        if v is None:
            raise EvalError("cannot index null", expr)
        raise EvalError(f"cannot index a {type_name(base)}", expr)

    def _handle_index(self, handle: Handle, base: Val, key: Val, expr: Expr) -> Val:
        if handle.level == "opaque":
            return base
        if handle.level == "collection":
            # The single stand-in instance of an unresolved count/for_each.
            address = handle.address
            if not self._references.has_instance(address):
                return Val(plain_unknown(handle), expr.loc, base.chain, base.ref)
            reason = f"{address} is known only after apply"
            return Val(Handle(address, reason, address=address), expr.loc, ref=address)
        if not key.known:
            return Val(unknown_in(key), expr.loc, union_chains([base, key]))
        if isinstance(key.v, str):
            return self._handle_attr(handle, key.v, expr)  # x["attr"] is x.attr
        raise EvalError(f"{handle.expression} has no count or for_each: it cannot be indexed", expr)

    def _splat_item(self, expr: Expr, scope: Scope) -> Val:
        if scope.splat is None:
            raise EvalError("splat item outside a splat expression", expr)
        return scope.splat

    def _splat(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, Splat)
        base = self.eval(expr.target, scope)
        v = base.v
        items: tuple[Val, ...]
        if isinstance(v, Handle) and v.level == "instance":
            items = (base,)
        elif isinstance(v, Unknown):
            return Val(plain_unknown(v), expr.loc, base.chain, base.ref)
        elif v is None:
            items = ()
        elif isinstance(v, tuple):
            items = v
        else:
            items = (base,)  # a single value splats to a one-element list
        results = tuple(self.eval(expr.each, scope._replace(splat=item)) for item in items)
        return Val(results, expr.loc, base.chain)

    def _call(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, Call)
        if expr.name == "try":
            return self._try(expr, scope)
        if expr.name == "can":
            return self._can(expr, scope)
        if expr.name not in FUNCTIONS:
            reason = f"function {expr.name}() is not evaluated"
            return Val(Unknown(safe_render(expr), reason), expr.loc)
        args = [self.eval(arg, scope) for arg in expr.args]
        if expr.expand_final and args:
            last = args[-1]
            if not last.known:
                return Val(unknown_in(last), expr.loc, union_chains(args))
            if not isinstance(last.v, tuple):
                raise EvalError("the argument expanded with ... must be a list", expr.args[-1])
            args = [*args[:-1], *last.v]
        try:
            return call_function(CallSite(expr, self._charge), args)
        except NotEvaluatedError as exc:
            return Val(Unknown(safe_render(expr), exc.reason), expr.loc, union_chains(args))

    def _try(self, expr: Call, scope: Scope) -> Val:
        # The last failure's message, not the error: an error kept past its handler holds
        # its traceback, whose frames hold this one (a cycle that keeps the module's trees).
        why = "no arguments"
        for arg in expr.args:
            try:
                value = self.eval(arg, scope)
            except BudgetExceededError:
                raise
            except EvalError as exc:
                why = exc.message
                continue
            if wholly_known(value):
                return value
            # It may still fail once known: Terraform's try() is unknown then.
            if isinstance(value.v, Unknown):
                return value
            unknown = first_unknown((value,))
            assert unknown is not None
            return Val(plain_unknown(unknown), expr.loc, value.chain, value.ref)
        raise EvalError(f"no argument of try() could be evaluated: {why}", expr)

    def _can(self, expr: Call, scope: Scope) -> Val:
        if len(expr.args) != 1:
            raise EvalError(f"can() takes 1 argument, got {len(expr.args)}", expr)
        try:
            value = self.eval(expr.args[0], scope)
        except BudgetExceededError:
            raise
        except EvalError:
            return Val(False, expr.loc)
        unknown = first_unknown((value,))
        if unknown is not None:
            return Val(plain_unknown(unknown), expr.loc, value.chain)
        return Val(True, expr.loc, value.chain)

    def _conditional(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, Conditional)
        condition = self.eval(expr.condition, scope)
        if condition.known:
            chosen = expr.then if to_bool(condition, "condition") else expr.otherwise
            return add_chain(self.eval(chosen, scope), condition.chain)
        then = self.eval(expr.then, scope)
        otherwise = self.eval(expr.otherwise, scope)
        if equal(then, otherwise) is True:
            return add_chain(then, condition.chain)  # decided whatever the condition is
        inputs = [condition, then, otherwise]
        # Either branch may be taken: the value is one of them, and rules decide in each.
        return Val(one_of(unknown_in(condition), (then, otherwise)), expr.loc, union_chains(inputs))

    def _binary(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, Binary)
        if expr.op in {"&&", "||"}:
            return self._logical(expr, scope)
        left = self.eval(expr.left, scope)
        right = self.eval(expr.right, scope)
        inputs = (left, right)
        if expr.op in {"==", "!="}:
            same = equal(left, right)
            if same is None:
                return _unknown_result(inputs, expr)
            return derived(same == (expr.op == "=="), expr.loc, inputs)
        if not left.known or not right.known:
            return _unknown_result(inputs, expr)
        a, b = to_number(left, "left operand"), to_number(right, "right operand")
        return derived(_arithmetic(expr.op, a, b, expr), expr.loc, inputs)

    def _logical(self, expr: Binary, scope: Scope) -> Val:
        """``&&`` is decided by a false operand, ``||`` by a true one, even beside an unknown."""
        decisive = expr.op == "||"
        left = self.eval(expr.left, scope)
        if left.known and to_bool(left, "left operand") is decisive:
            return derived(decisive, expr.loc, (left,))
        right = self.eval(expr.right, scope)
        if right.known and to_bool(right, "right operand") is decisive:
            return derived(decisive, expr.loc, (right,))
        if not left.known or not right.known:
            return _unknown_result((left, right), expr)
        return derived(not decisive, expr.loc, (left, right))

    def _unary(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, Unary)
        operand = self.eval(expr.operand, scope)
        if not operand.known:
            return _unknown_result((operand,), expr)
        if expr.op == "!":
            return derived(not to_bool(operand, "operand"), expr.loc, (operand,))
        if expr.op == "-":
            return derived(-to_number(operand, "operand"), expr.loc, (operand,))
        raise EvalError(f"unsupported operator {expr.op}", expr)

    def _for(self, expr: Expr, scope: Scope) -> Val:
        assert isinstance(expr, ForExpr)
        collection = self.eval(expr.collection, scope)
        if not collection.known:
            return _unknown_result((collection,), expr)
        items: list[Val] = []
        groups: dict[str, list[Val]] = {}
        for key, value in _iterate(collection, expr):
            self._charge(1)
            inner = scope.bind(_loop_names(expr.key_var, expr.value_var, key, value))
            # What a sensitive condition keeps, or a sensitive key names, is sensitive.
            marks: tuple[Val, ...] = ()
            if expr.condition is not None:
                keep = self.eval(expr.condition, inner)
                if not keep.known:
                    return _unknown_result((collection, keep), expr)
                if not to_bool(keep, "for condition"):
                    continue
                marks = (keep,)
            if expr.key is None:
                items.append(taint_from(self.eval(expr.value, inner), marks))
                check_items(len(items))
                continue
            key_val = self.eval(expr.key, inner)
            if not key_val.known:
                return _unknown_result((collection, key_val), expr)
            name = to_str(key_val, "for key")
            if name in groups and not expr.group:
                shown = quoted(key_val, f'"{name[:60]}"')
                raise EvalError(f"duplicate key {shown} in for expression (use ...)", expr)
            element = taint_from(self.eval(expr.value, inner), (*marks, key_val))
            groups.setdefault(name, []).append(element)
            check_items(len(groups))
        if expr.key is None:
            return Val(tuple(items), expr.loc, collection.chain)
        if expr.group:
            grouped = {k: Val(tuple(vs), expr.loc) for k, vs in groups.items()}
            return Val(grouped, expr.loc, collection.chain)
        return Val({k: vs[0] for k, vs in groups.items()}, expr.loc, collection.chain)


# --- helpers ---------------------------------------------------------------------------------


def _is_text(part: Expr) -> bool:
    """Literal text of a template (an interpolated literal such as ${null} is not text)."""
    return isinstance(part, Literal) and isinstance(part.value, str)


def _unknown_result(inputs: Sequence[Val], expr: Expr) -> Val:
    unknown = first_unknown(inputs)
    if unknown is None:
        unknown = Unknown(safe_render(expr), "unknown")
    return Val(plain_unknown(unknown), expr.loc, union_chains(inputs))


def _element_at(base: Val, index: int, expr: Expr) -> Val:
    items = base.v
    assert isinstance(items, tuple)
    if 0 <= index < len(items):
        return items[index]
    raise EvalError(f"index {index} out of range for a list of {len(items)}", expr)


def _arithmetic(op: str, a: int | float, b: int | float, expr: Expr) -> int | float | bool:
    if op == "<":
        return a < b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    if op == ">=":
        return a >= b
    if op in {"/", "%"} and b == 0:
        raise EvalError("division by zero", expr)
    try:
        if op == "+":
            result: float = a + b
        elif op == "-":
            result = a - b
        elif op == "*":
            result = a * b
        elif op == "/":
            result = a / b
        elif op == "%":
            result = _modulo(a, b)
        else:
            raise EvalError(f"unsupported operator {op}", expr)
    except OverflowError:
        raise EvalError("number out of range", expr) from None
    if abs(result) > 1e300:
        raise EvalError("number out of range", expr)
    return normalize_number(result)


def _modulo(a: int | float, b: int | float) -> int | float:
    """Terraform's remainder takes the sign of the dividend (truncated division)."""
    if isinstance(a, int) and isinstance(b, int):
        remainder = abs(a) % abs(b)
        return -remainder if a < 0 else remainder
    return math.fmod(a, b)


def _iterate(collection: Val, expr: Expr) -> list[tuple[Val, Val]]:
    """(key, value) pairs of a for expression: list index, map key (sorted) or set value."""
    v = collection.v
    if isinstance(v, tuple):
        if collection.kind == "set":
            return [(item, item) for item in v]
        return [(Val(i, item.loc), item) for i, item in enumerate(v)]
    if isinstance(v, dict):
        return [(Val(k, v[k].loc), v[k]) for k in sorted(v)]
    if v is None:
        raise EvalError("cannot iterate over null", expr)
    raise EvalError(f"cannot iterate over a {type_name(collection)}", expr)


def _loop_names(key_var: str | None, value_var: str, key: Val, value: Val) -> dict[str, Val]:
    names = {value_var: value}
    if key_var is not None:
        names[key_var] = key
    return names


__all__ = ["BudgetExceededError", "ExpressionEvaluator", "References", "Scope", "safe_render"]
