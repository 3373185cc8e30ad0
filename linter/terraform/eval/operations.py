"""Operations on evaluated values (:class:`Val`): types, conversions, equality, provenance.

Shared by the evaluator and the function library. Everything here is pure and bounded: strings
are capped at :data:`MAX_STRING` characters, collections at :data:`MAX_ITEMS` elements and
provenance chains at :data:`MAX_CHAIN` entries.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeGuard, TypeVar, cast

from linter.core.locations import Location
from linter.core.model import SENSITIVE, Origin, Unknown, sensitive_chain
from linter.terraform.eval.values import Py, Val
from linter.terraform.syntax.ast import Expr

MAX_STRING = 1_000_000
MAX_ITEMS = 100_000
MAX_CHAIN = 8
MAX_VALUE_DEPTH = 64
NOTE_VALUE_WIDTH = 40


class EvalError(Exception):
    """An expression cannot be evaluated (type error, missing key, wrong arguments...).

    ``expr`` is the smallest expression known to have failed, for the Unknown it becomes.
    """

    def __init__(self, message: str, expr: Expr | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expr = expr


@dataclass(frozen=True)
class Handle(Unknown):
    """A reference to a resource or module instance: unknown as a value, but traversable.

    ``level`` is "instance" (one resource or module instance), "collection" (a resource or
    module whose count/for_each is unresolved: indexing it gives its ``[*]`` instance) or
    "opaque" (a module that is not read: every output is unknown for ``reason``).
    """

    address: str = ""
    level: str = "instance"


# --- type predicates -------------------------------------------------------------------------


def is_number(v: Py) -> TypeGuard[int | float]:
    return isinstance(v, int | float) and not isinstance(v, bool)


def type_name(val: Val) -> str:
    """The Terraform type family of a value, for error messages."""
    v = val.v
    if v is None:
        return "null"
    if isinstance(v, Unknown):
        return "unknown"
    if isinstance(v, bool):
        return "bool"
    if is_number(v):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, tuple):
        return "set" if val.kind == "set" else "list"
    return "object"


# --- provenance ------------------------------------------------------------------------------


def cap_chain(chain: Sequence[Origin]) -> tuple[Origin, ...]:
    """Deduplicate (keeping the first occurrence) and bound a chain: nearest and farthest kept.

    A sensitive origin is never the one dropped: when every sensitive origin falls in the cut
    middle, the first of them takes the place of the last near one, so the value stays
    sensitive however far it travels.
    """
    if len(chain) < 2:  # most hops: a literal's empty chain, one origin prepended
        return tuple(chain)
    if len(chain) == 2:
        first, second = chain
        same = first is second or (first == second and first.sensitive == second.sensitive)
        return (first,) if same else (first, second)
    seen: set[tuple[Origin, bool]] = set()
    unique: list[Origin] = []
    for origin in chain:
        key = (origin, origin.sensitive)  # equality ignores sensitivity: keep both
        if key not in seen:
            seen.add(key)
            unique.append(origin)
    if len(unique) <= MAX_CHAIN:
        return tuple(unique)
    half = MAX_CHAIN // 2
    kept = [*unique[:half], *unique[-half:]]
    if not sensitive_chain(kept):
        secret = next((o for o in unique if o.sensitive), None)
        if secret is not None:
            kept[half - 1] = secret
    return tuple(kept)


def union_chains(vals: Iterable[Val]) -> tuple[Origin, ...]:
    chain: list[Origin] = []
    for val in vals:
        chain.extend(val.chain)
    return cap_chain(chain)


def derived(v: Py, loc: Location, inputs: Iterable[Val], kind: str = "") -> Val:
    """A value computed by an operator or function at ``loc`` from ``inputs``."""
    return Val(v, loc, union_chains(inputs), kind=kind)


def with_origin(val: Val, origin: Origin, depth: int = 0) -> Val:
    """The value after travelling one reference hop: ``origin`` is prepended everywhere inside.

    Pushing the hop into nested values means every element (a tag, a list item) carries its full
    provenance on its own, wherever it ends up.
    """
    return OriginHop(origin).of(val, depth)


class OriginHop:
    """with_origin of one origin, for one value or several: an element held many times (a for
    expression that picks one of 25 profiles for each of 10,000 keys) is copied once, and a
    chain shared by many elements is capped once (values are immutable: copies may be shared).

    Copies are remembered by the ids of the elements copied: every value given to :meth:`of`
    must stay alive while the hop is used."""

    def __init__(self, origin: Origin) -> None:
        self._origin = origin
        self._copies: dict[tuple[int, int], Val] = {}  # by (id of the element, depth)
        self._chains: dict[int, tuple[Origin, ...]] = {}  # by id of the chain before the hop

    def of(self, val: Val, depth: int = 0) -> Val:
        v = val.v
        if depth < MAX_VALUE_DEPTH:
            if isinstance(v, tuple):
                v = tuple(self._shared(item, depth + 1) for item in v)
            elif isinstance(v, dict):
                v = {key: self._shared(item, depth + 1) for key, item in v.items()}
        return Val(v, val.loc, self._chain(val.chain), val.ref, val.kind)

    def _shared(self, item: Val, depth: int) -> Val:
        # The ids are those of elements of the value being copied, alive until the copy is done.
        key = (id(item), depth)
        copy = self._copies.get(key)
        if copy is None:
            copy = self._copies[key] = self.of(item, depth)
        return copy

    def _chain(self, chain: tuple[Origin, ...]) -> tuple[Origin, ...]:
        capped = self._chains.get(id(chain))
        if capped is None:
            capped = self._chains[id(chain)] = cap_chain((self._origin, *chain))
        return capped


def add_chain(val: Val, extra: Sequence[Origin]) -> Val:
    """``val`` with ``extra`` origins appended (shallow): used when a condition selected it.

    A sensitive condition makes the whole result sensitive, elements included (as Terraform
    marks a conditional's result with its condition's marks)."""
    if not extra:
        return val
    val = taint(val, extra)
    return Val(val.v, val.loc, cap_chain((*val.chain, *extra)), val.ref, val.kind)


# --- sensitivity -----------------------------------------------------------------------------


def is_sensitive(val: Val) -> bool:
    """Whether the value itself is sensitive (its own chain says so)."""
    return sensitive_chain(val.chain)


def deeply_sensitive(val: Val) -> bool:
    """Whether the value or anything inside it is sensitive."""
    return _deep_origin(val) is not None


_NOTHING_SENSITIVE = object()


def _deep_origin(val: Val) -> Origin | None:
    """_sensitive_inside(val), remembered on the value (it is immutable)."""
    found = val.sensitive_found
    if found is None:
        origin = _sensitive_inside(val)
        object.__setattr__(val, "sensitive_found", _NOTHING_SENSITIVE if origin is None else origin)
        return origin
    return None if found is _NOTHING_SENSITIVE else cast(Origin, found)


_Found = TypeVar("_Found")


def _first_inside(val: Val, pick: Callable[[Val], _Found | None], depth: int = 0) -> _Found | None:
    """What ``pick`` finds first in the value or in anything inside it (depth first, to
    MAX_VALUE_DEPTH levels)."""
    found = pick(val)
    if found is not None:
        return found
    v = val.v
    if depth < MAX_VALUE_DEPTH and isinstance(v, tuple | dict):
        for item in v if isinstance(v, tuple) else v.values():
            found = _first_inside(item, pick, depth + 1)
            if found is not None:
                return found
    return None


def _sensitive_origin(val: Val) -> Origin | None:
    return next((origin for origin in val.chain if origin.sensitive), None)


def _sensitive_inside(val: Val) -> Origin | None:
    """The first sensitive origin of the value or of anything inside it."""
    return _first_inside(val, _sensitive_origin)


def taint(val: Val, chain: Sequence[Origin]) -> Val:
    """``val`` made sensitive, elements included, when ``chain`` is: a value selected or
    looked up by a sensitive condition, key or index is sensitive too. Unchanged otherwise."""
    origin = next((o for o in chain if o.sensitive), None)
    return val if origin is None else _mark(val, origin)


def taint_from(val: Val, sources: Iterable[Val], deep: bool = False) -> Val:
    """``val`` made sensitive, elements included, when one of ``sources`` is (``deep``: or
    holds a sensitive element, as a function's result is marked with all its arguments' marks)."""
    for source in sources:
        origin = (
            _deep_origin(source) if deep else next((o for o in source.chain if o.sensitive), None)
        )
        if origin is not None:
            return _mark(val, origin)
    return val


def _mark(val: Val, origin: Origin, depth: int = 0) -> Val:
    """``val`` with the sensitive ``origin`` appended to its chain and to every element's
    that lacks one; everything else (locations, element positions, references) is kept."""
    v = val.v
    if depth < MAX_VALUE_DEPTH:
        if isinstance(v, tuple):
            v = tuple(_mark(item, origin, depth + 1) for item in v)
        elif isinstance(v, dict):
            v = {key: _mark(item, origin, depth + 1) for key, item in v.items()}
    chain = val.chain if sensitive_chain(val.chain) else cap_chain((*val.chain, origin))
    return Val(v, val.loc, chain, val.ref, val.kind, val.at)


def quoted(val: Val, text: str) -> str:
    """``text`` (a rendering of ``val`` for an error message), or SENSITIVE when it is."""
    return SENSITIVE if deeply_sensitive(val) else text


# --- knownness -------------------------------------------------------------------------------


def first_unknown(vals: Iterable[Val], depth: int = 0) -> Unknown | None:
    """The first unknown found anywhere inside ``vals`` (depth-first), or None."""
    for val in vals:
        v = val.v
        if isinstance(v, Unknown):
            return v
        if depth < MAX_VALUE_DEPTH:
            if isinstance(v, tuple):
                found = first_unknown(v, depth + 1)
            elif isinstance(v, dict):
                found = first_unknown(v.values(), depth + 1)
            else:
                continue
            if found is not None:
                return found
    return None


def wholly_known(val: Val) -> bool:
    return first_unknown((val,)) is None


def unknown_of(vals: Sequence[Val], loc: Location) -> Val | None:
    """An unknown result at ``loc`` if any of ``vals`` contains an unknown, else None."""
    unknown = first_unknown(vals)
    if unknown is None:
        return None
    return Val(plain_unknown(unknown), loc, union_chains(vals))


def unknown_in(val: Val) -> Unknown:
    """The Unknown of a value known to be unknown (``not val.known``), as a plain Unknown."""
    v = val.v
    if not isinstance(v, Unknown):
        raise TypeError("unknown_in() of a known value")
    return plain_unknown(v)


def plain_unknown(unknown: Unknown) -> Unknown:
    """The unknown that an operation's result is, when one of its inputs is ``unknown``.

    A Handle loses its traversal abilities, and an unknown loses its options: the options were
    the values of the input, not of the operation's result.
    """
    if isinstance(unknown, Handle) or unknown.options:
        return Unknown(unknown.expression, unknown.reason, unknown.silent)
    return unknown


def options_of(val: Val) -> tuple[Val, ...] | None:
    """The values ``val`` can take: itself when it is known, its options when it is an
    unknown that has them, else None (any value)."""
    if val.known:
        return (val,)
    unknown = val.v
    assert isinstance(unknown, Unknown)
    return unknown.options or None


def one_of(unknown: Unknown, candidates: Sequence[Val]) -> Unknown:
    """``unknown`` limited to the values of ``candidates`` (each known, or itself limited)."""
    options: list[Val] = []
    for candidate in candidates:
        found = options_of(candidate)
        if found is None:
            return unknown
        options.extend(found)
    return Unknown(unknown.expression, unknown.reason, unknown.silent, tuple(options))


def without_handles(val: Val, depth: int = 0) -> Val:
    """``val`` with every Handle inside replaced by a plain Unknown, for the evaluator's output."""
    v = val.v
    if isinstance(v, Handle):
        return Val(plain_unknown(v), val.loc, val.chain, val.ref, val.kind)
    if not isinstance(v, tuple | dict):
        return val  # most attributes: a string, a number, a plain unknown
    if depth >= MAX_VALUE_DEPTH or first_handle(val) is None:
        return val
    if isinstance(v, tuple):
        v = tuple(without_handles(item, depth + 1) for item in v)
    elif isinstance(v, dict):
        v = {key: without_handles(item, depth + 1) for key, item in v.items()}
    return Val(v, val.loc, val.chain, val.ref, val.kind)


def first_handle(val: Val) -> Handle | None:
    """The first resource or module handle in the value or inside it."""
    return _first_inside(val, lambda item: item.v if isinstance(item.v, Handle) else None)


# --- numbers and strings ---------------------------------------------------------------------


def normalize_number(n: float) -> int | float:
    """Integral results are ints, so that 4 / 2 renders as "2" like Terraform does."""
    if isinstance(n, int):
        return n
    if math.isfinite(n) and n.is_integer() and abs(n) < 2**63:
        return int(n)
    return n


def format_number(n: int | float) -> str:
    if isinstance(n, int):
        try:
            return str(n)
        except ValueError:  # more digits than Python converts
            raise EvalError("value too large") from None
    if math.isfinite(n) and n.is_integer() and abs(n) < 1e21:
        return str(int(n))
    return repr(n)


def parse_number(text: str) -> int | float | None:
    """A number written as a string ("3", "-1.5", "1e3"), or None if it is not one."""
    stripped = text.strip()
    if not stripped or len(stripped) > 400 or stripped.lower() in {"nan", "inf", "-inf", "+inf"}:
        return None
    try:
        return int(stripped, 10)
    except ValueError:
        pass
    try:
        number = float(stripped)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return normalize_number(number)


def check_string(s: str) -> str:
    if len(s) > MAX_STRING:
        raise EvalError("value too large: string longer than 1 MB")
    return s


def check_items(n: int) -> None:
    if n > MAX_ITEMS:
        raise EvalError(f"value too large: more than {MAX_ITEMS:,} elements")


def to_str(val: Val, what: str = "value") -> str:
    """Terraform's implicit conversion to string (templates, join, string arguments)."""
    v = val.v
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_number(v):
        return format_number(v)
    if v is None:
        raise EvalError(f"{what} is null; a string is required")
    raise EvalError(f"{what} is a {type_name(val)}; a string is required")


def to_number(val: Val, what: str = "value") -> int | float:
    v = val.v
    if is_number(v):
        return v
    if isinstance(v, str):
        number = parse_number(v)
        if number is not None:
            return number
        raise EvalError(f"{what} {quoted(val, json.dumps(v[:40]))} is not a number")
    if v is None:
        raise EvalError(f"{what} is null; a number is required")
    raise EvalError(f"{what} is a {type_name(val)}; a number is required")


def to_int(val: Val, what: str = "value") -> int:
    number = to_number(val, what)
    if isinstance(number, float):
        if not number.is_integer():
            shown = quoted(val, format_number(number))
            raise EvalError(f"{what} must be a whole number, not {shown}")
        return int(number)
    return number


def to_bool(val: Val, what: str = "value") -> bool:
    v = val.v
    if isinstance(v, bool):
        return v
    if v == "true":
        return True
    if v == "false":
        return False
    if v is None:
        raise EvalError(f"{what} is null; a bool is required")
    raise EvalError(f"{what} is a {type_name(val)}; a bool is required")


# --- equality and ordering -------------------------------------------------------------------


def equal(a: Val, b: Val, depth: int = 0) -> bool | None:
    """Terraform equality of two values; None when it depends on an unknown."""
    x, y = a.v, b.v
    if isinstance(x, Unknown) or isinstance(y, Unknown):
        return None
    if depth > MAX_VALUE_DEPTH:
        raise EvalError("value nested too deeply")
    if isinstance(x, bool) or isinstance(y, bool):
        return isinstance(x, bool) and isinstance(y, bool) and x == y
    if is_number(x) and is_number(y):
        return x == y
    if isinstance(x, tuple) and isinstance(y, tuple):
        if (a.kind == "set") != (b.kind == "set") or len(x) != len(y):
            return False
        return _all_equal(zip(x, y, strict=True), depth)
    if isinstance(x, dict) and isinstance(y, dict):
        if x.keys() != y.keys():
            return False
        return _all_equal(((x[k], y[k]) for k in x), depth)
    return type(x) is type(y) and x == y


def _all_equal(pairs: Iterable[tuple[Val, Val]], depth: int) -> bool | None:
    undecided = False
    for left, right in pairs:
        result = equal(left, right, depth + 1)
        if result is False:
            return False
        if result is None:
            undecided = True
    return None if undecided else True


def canonical(val: Val, depth: int = 0) -> str:
    """A canonical text of a known value: set ordering and deduplication use it."""
    v = val.v
    if depth > MAX_VALUE_DEPTH:
        raise EvalError("value nested too deeply")
    if isinstance(v, tuple):
        return "[" + ",".join(canonical(item, depth + 1) for item in v) + "]"
    if isinstance(v, dict):
        items = (json.dumps(k) + ":" + canonical(v[k], depth + 1) for k in sorted(v))
        return "{" + ",".join(items) + "}"
    if is_number(v):
        return format_number(v)
    if isinstance(v, Unknown):
        return "?"
    return json.dumps(v)


def _set_sort_key(val: Val) -> tuple[int, float, str]:
    v = val.v
    if is_number(v):
        return (0, float(v), "")
    if isinstance(v, str):
        return (1, 0.0, v)
    return (2, 0.0, canonical(val))


def make_set(items: Iterable[Val], loc: Location, chain: tuple[Origin, ...] = ()) -> Val:
    """A set value: known elements deduplicated and sorted, unknown ones kept at the end."""
    known: dict[str, Val] = {}
    unknown: list[Val] = []
    for item in items:
        if wholly_known(item):
            known.setdefault(canonical(item), item)
        else:
            unknown.append(item)
    ordered = sorted(known.values(), key=_set_sort_key)
    return Val((*ordered, *unknown), loc, chain, kind="set")


# --- rendering values for provenance notes ----------------------------------------------------


def short_text(val: Val, width: int = NOTE_VALUE_WIDTH) -> str:
    """A short HCL-like rendering of a value for notes: '"zdr"', '["a", "b"]', '{...}'.

    A sensitive value, or a sensitive element of one, renders as SENSITIVE."""
    text = _render(val, 0, width + 1)
    if len(text) > width:
        return text[: width - 3] + "..."
    return text


def _render(val: Val, depth: int, budget: int) -> str:
    v = val.v
    if isinstance(v, Unknown):
        return "(unknown)"
    if is_sensitive(val):
        return SENSITIVE
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_number(v):
        return format_number(v)
    if isinstance(v, str):
        return json.dumps(v[:budget], ensure_ascii=False)
    if depth > 3:
        return "[...]" if isinstance(v, tuple) else "{...}"
    parts: list[str] = []
    used = 0
    entries: Iterable[tuple[str | None, Val]]
    if isinstance(v, tuple):
        entries = ((None, item) for item in v)
    elif isinstance(v, dict):
        entries = v.items()
    else:
        return str(v)
    for key, item in entries:
        text = _render(item, depth + 1, budget)
        part = text if key is None else f"{key} = {text}"
        parts.append(part)
        used += len(part) + 2
        if used > budget:
            break
    inner = ", ".join(parts)
    return f"[{inner}]" if isinstance(v, tuple) else "{" + inner + "}"


# --- JSON ------------------------------------------------------------------------------------


def from_plain(obj: object, loc: Location, depth: int = 0) -> Val:
    """A Val from decoded JSON-like data (jsondecode, plan values), all located at ``loc``."""
    if depth > MAX_VALUE_DEPTH:
        raise EvalError("value nested too deeply")
    if obj is None or isinstance(obj, bool | str):
        return Val(obj, loc)
    if isinstance(obj, int | float):
        if isinstance(obj, float) and not math.isfinite(obj):
            raise EvalError("number out of range")
        return Val(normalize_number(obj), loc)
    if isinstance(obj, list):
        check_items(len(obj))
        return Val(tuple(from_plain(item, loc, depth + 1) for item in obj), loc)
    if isinstance(obj, dict):
        check_items(len(obj))
        return Val({str(k): from_plain(item, loc, depth + 1) for k, item in obj.items()}, loc)
    raise EvalError(f"unsupported value {type(obj).__name__}")


def to_plain(val: Val, depth: int = 0) -> object:
    """Plain JSON-able data from a wholly known value (callers check knownness first)."""
    v = val.v
    if depth > MAX_VALUE_DEPTH:
        raise EvalError("value nested too deeply")
    if isinstance(v, Unknown):
        raise EvalError("value is unknown")
    if isinstance(v, tuple):
        return [to_plain(item, depth + 1) for item in v]
    if isinstance(v, dict):
        return {k: to_plain(v[k], depth + 1) for k in sorted(v)}
    return v
