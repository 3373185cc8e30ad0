"""Terraform's built-in functions, over :class:`Val` values with provenance.

Each function takes the evaluated arguments and returns a Val located at the call. A function
whose arguments contain an unknown returns that unknown, unless it is marked ``partial``: those
handle unknowns themselves because the result is decided anyway (``length`` of a list with
unknown elements, ``lookup`` of a known key, ``contains`` of a known element...).

``try`` and ``can`` need their arguments unevaluated, so the evaluator implements them.
Functions that read files, the clock or the network, and functions not implemented here, give
``Unknown("name(...)", "function name() is not evaluated")``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from linter.core.locations import Location
from linter.core.model import Origin, Unknown
from linter.terraform.eval import regexsafe
from linter.terraform.eval.operations import (
    MAX_STRING,
    MAX_VALUE_DEPTH,
    EvalError,
    canonical,
    check_items,
    check_string,
    derived,
    equal,
    first_unknown,
    from_plain,
    is_number,
    make_set,
    normalize_number,
    one_of,
    plain_unknown,
    quoted,
    taint,
    taint_from,
    to_bool,
    to_int,
    to_number,
    to_plain,
    to_str,
    type_name,
    union_chains,
    unknown_of,
    wholly_known,
)
from linter.terraform.eval.values import Py, Val
from linter.terraform.syntax.ast import Call

MAX_RANGE = 10_000


class NotEvaluatedError(Exception):
    """The function exists but is not evaluated here (files, time, unsupported...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CallSite:
    """Where a function is called, and how to charge the evaluation budget for big results."""

    call: Call
    charge: Callable[[int], None]

    @property
    def loc(self) -> Location:
        return self.call.loc

    @property
    def name(self) -> str:
        return self.call.name


Impl = Callable[[CallSite, Sequence[Val]], Val]


@dataclass(frozen=True)
class Function:
    impl: Impl
    min_args: int
    max_args: int | None  # None: variadic
    partial: bool  # handles unknown arguments itself


FUNCTIONS: dict[str, Function] = {}


_SAME = -1


def _fn(
    name: str, min_args: int, max_args: int | None = _SAME, partial: bool = False
) -> Callable[[Impl], Impl]:
    """Register a function; ``max_args`` defaults to ``min_args``, None means variadic."""

    def register(impl: Impl) -> Impl:
        upper = min_args if max_args == _SAME else max_args
        FUNCTIONS[name] = Function(impl, min_args, upper, partial)
        return impl

    return register


def call_function(site: CallSite, args: Sequence[Val]) -> Val:
    """Apply the function named at ``site``; raises EvalError or NotEvaluatedError."""
    function = FUNCTIONS.get(site.name)
    if function is None:
        raise NotEvaluatedError(f"function {site.name}() is not evaluated")
    if len(args) < function.min_args or (
        function.max_args is not None and len(args) > function.max_args
    ):
        raise EvalError(f"{site.name}() {_arity_text(function)}, got {len(args)}")
    if not function.partial:
        unknown = unknown_of(args, site.loc)
        if unknown is not None:
            return unknown
    # As Terraform marks a function's result with every mark of its arguments, a result
    # computed from a sensitive argument (or element) is sensitive, elements included.
    return taint_from(function.impl(site, args), args, deep=True)


def _arity_text(function: Function) -> str:
    if function.max_args is None:
        return f"takes at least {function.min_args} argument(s)"
    if function.min_args == function.max_args:
        return f"takes {function.min_args} argument(s)"
    return f"takes {function.min_args} to {function.max_args} arguments"


# --- helpers ---------------------------------------------------------------------------------


def _result(site: CallSite, v: Py, args: Sequence[Val], kind: str = "") -> Val:
    """A computed value at the call site, with the union of the arguments' provenance."""
    if isinstance(v, str):
        check_string(v)
        site.charge(len(v) // 64)
    elif isinstance(v, tuple | dict):
        check_items(len(v))
        site.charge(len(v))
    return derived(v, site.loc, args, kind)


def _unknown(site: CallSite, unknown: Unknown, args: Sequence[Val]) -> Val:
    return Val(plain_unknown(unknown), site.loc, union_chains(args))


def _whole_unknown(site: CallSite, args: Sequence[Val]) -> Val | None:
    """The result when an argument itself (not an element of it) is unknown."""
    for arg in args:
        if isinstance(arg.v, Unknown):
            return _unknown(site, arg.v, args)
    return None


def _seq(val: Val, what: str) -> tuple[Val, ...]:
    if isinstance(val.v, tuple):
        return val.v
    if val.v is None:
        raise EvalError(f"{what} is null; a list is required")
    raise EvalError(f"{what} is a {type_name(val)}; a list is required")


def _map(val: Val, what: str) -> dict[str, Val]:
    if isinstance(val.v, dict):
        return val.v
    if val.v is None:
        raise EvalError(f"{what} is null; a map is required")
    raise EvalError(f"{what} is a {type_name(val)}; a map is required")


def _strings(site: CallSite, args: Sequence[Val]) -> list[str]:
    return [to_str(arg, f"argument {i + 1} of {site.name}()") for i, arg in enumerate(args)]


def _string_fn(name: str, op: Callable[..., str | bool | int], arity: int = 1) -> None:
    def impl(site: CallSite, args: Sequence[Val]) -> Val:
        return _result(site, op(*_strings(site, args)), args)

    _fn(name, arity)(impl)


# --- strings ---------------------------------------------------------------------------------


def _title(text: str) -> str:
    out: list[str] = []
    previous = " "
    for char in text:
        separator = not (previous.isalnum() or previous == "_")
        out.append(char.upper() if separator else char)
        previous = char
    return "".join(out)


def _trimspace(text: str) -> str:
    return text.strip()


def _chomp(text: str) -> str:
    return re.sub(r"(?:\r\n|\n|\r)+\Z", "", text)


_string_fn("lower", str.lower)
_string_fn("upper", str.upper)
_string_fn("trimspace", _trimspace)
_string_fn("chomp", _chomp)
_string_fn("title", _title)
_string_fn("strrev", lambda s: s[::-1])
_string_fn("trim", lambda s, cut: s.strip(cut) if cut else s, 2)
_string_fn("trimprefix", lambda s, p: s[len(p) :] if p and s.startswith(p) else s, 2)
_string_fn("trimsuffix", lambda s, p: s[: -len(p)] if p and s.endswith(p) else s, 2)
_string_fn("startswith", lambda s, p: s.startswith(p), 2)
_string_fn("endswith", lambda s, p: s.endswith(p), 2)
_string_fn("strcontains", lambda s, p: p in s, 2)


@_fn("split", 2)
def _split(site: CallSite, args: Sequence[Val]) -> Val:
    sep, text = _strings(site, args)
    parts = list(text) if sep == "" else text.split(sep)
    check_items(len(parts))
    return _result(site, tuple(Val(p, site.loc) for p in parts), args)


@_fn("join", 2, None)
def _join(site: CallSite, args: Sequence[Val]) -> Val:
    sep = to_str(args[0], "separator")
    pieces: list[str] = []
    for arg in args[1:]:
        pieces.extend(to_str(item, "list element") for item in _seq(arg, "argument"))
    return _result(site, check_string(sep.join(pieces)), args)


@_fn("replace", 3)
def _replace(site: CallSite, args: Sequence[Val]) -> Val:
    text, search, replacement = _strings(site, args)
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        pattern = _compile(site, search[1:-1], len(text))
        try:
            out = pattern.sub(lambda m: regexsafe.expand_replacement(replacement, m), text)
        except RecursionError:
            raise NotEvaluatedError(
                f"function {site.name}() is not evaluated: too complex"
            ) from None
    else:
        # An empty search string matches between every character, as in Go.
        occurrences = len(text) + 1 if search == "" else text.count(search)
        if occurrences * len(replacement) > MAX_STRING:
            raise EvalError("value too large: string longer than 1 MB")
        out = text.replace(search, replacement)
    return _result(site, out, args)


def _compile(site: CallSite, pattern: str, subject_length: int) -> re.Pattern[str]:
    try:
        return regexsafe.compile_checked(pattern, subject_length)
    except regexsafe.UnsafeRegexError as exc:
        raise NotEvaluatedError(f"function {site.name}() is not evaluated: {exc}") from None
    except regexsafe.BadRegexError as exc:
        raise EvalError(f"invalid regular expression: {exc}") from None


def _match_value(site: CallSite, match: re.Match[str]) -> Val:
    """regex(): the match, the list of groups, or the map of named groups."""
    if match.re.groupindex:
        named = {name: Val(match.group(name), site.loc) for name in match.re.groupindex}
        return Val(named, site.loc)
    if match.re.groups:
        return Val(tuple(Val(g, site.loc) for g in match.groups()), site.loc)
    return Val(match.group(0), site.loc)


@_fn("regex", 2)
def _regex(site: CallSite, args: Sequence[Val]) -> Val:
    pattern, text = _strings(site, args)
    match = _compile(site, pattern, len(text)).search(text)
    if match is None:
        raise EvalError("pattern did not match any part of the given string")
    found = _match_value(site, match)
    return Val(found.v, site.loc, union_chains(args))


@_fn("regexall", 2)
def _regexall(site: CallSite, args: Sequence[Val]) -> Val:
    pattern, text = _strings(site, args)
    matches = []
    for match in _compile(site, pattern, len(text)).finditer(text):
        matches.append(_match_value(site, match))
        check_items(len(matches))
    return _result(site, tuple(matches), args)


@_fn("substr", 3)
def _substr(site: CallSite, args: Sequence[Val]) -> Val:
    text = to_str(args[0])
    offset, length = to_int(args[1], "offset"), to_int(args[2], "length")
    if offset < 0:
        offset = max(0, len(text) + offset)
    if length < -1:
        raise EvalError("length must be -1 or more")
    end = len(text) if length == -1 else offset + length
    return _result(site, text[offset:end], args)


@_fn("indent", 2)
def _indent(site: CallSite, args: Sequence[Val]) -> Val:
    spaces, text = to_int(args[0], "spaces"), to_str(args[1])
    if not 0 <= spaces <= 1000:
        raise EvalError("indent() spaces must be between 0 and 1000")
    lines = text.split("\n")
    out = "\n".join([lines[0], *((" " * spaces + line) for line in lines[1:])])
    return _result(site, out, args)


# --- format ----------------------------------------------------------------------------------

_VERB = re.compile(r"%(?:\[(\d+)\])?([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def _format(fmt: str, values: Sequence[Val]) -> str:
    out: list[str] = []
    position = 0
    next_arg = 0
    used = 0
    for match in _VERB.finditer(fmt):
        out.append(fmt[position : match.start()])
        position = match.end()
        index, flags, width, precision, verb = match.groups()
        if verb == "%":
            out.append("%")
            continue
        if index is not None:
            next_arg = int(index) - 1
        if not 0 <= next_arg < len(values):
            raise EvalError(f"format verb %{verb} has no argument")
        text = _format_verb(verb, flags, precision, values[next_arg])
        next_arg += 1
        used = max(used, next_arg)
        if width is not None:
            pad = min(int(width), MAX_STRING) - len(text)
            if pad > 0:
                fill = "0" if "0" in flags and "-" not in flags and verb in "dfegxXob" else " "
                text = text + " " * pad if "-" in flags else fill * pad + text
        out.append(text)
        if sum(len(part) for part in out) > MAX_STRING:
            raise EvalError("value too large: string longer than 1 MB")
    out.append(fmt[position:])
    if used < len(values):
        raise EvalError(f"too many arguments for format string: {len(values)} given")
    return "".join(out)


def _format_verb(verb: str, flags: str, precision: str | None, val: Val) -> str:
    if verb in "sq":
        text = to_str(val, f"argument for %{verb}")
        if precision is not None:
            text = text[: int(precision)]
        return json.dumps(text, ensure_ascii=False) if verb == "q" else text
    if verb == "v":
        if isinstance(val.v, tuple | dict):
            return json.dumps(to_plain(val), separators=(",", ":"), ensure_ascii=False)
        return "null" if val.v is None else to_str(val)
    if verb == "t":
        return "true" if to_bool(val, "argument for %t") else "false"
    if verb in "dxXob":
        number = to_int(val, f"argument for %{verb}")
        sign = "+" if "+" in flags and number >= 0 else ""
        return sign + format(number, {"d": "d", "x": "x", "X": "X", "o": "o", "b": "b"}[verb])
    if verb in "feEgG":
        real = float(to_number(val, f"argument for %{verb}"))
        digits = "6" if precision is None else precision
        spec = ("+" if "+" in flags else "") + f".{min(int(digits), 100)}{verb}"
        return format(real, spec)
    raise EvalError(f"unsupported format verb %{verb}")


@_fn("format", 1, None)
def _format_fn(site: CallSite, args: Sequence[Val]) -> Val:
    return _result(site, _format(to_str(args[0], "format"), args[1:]), args)


@_fn("formatlist", 1, None)
def _formatlist(site: CallSite, args: Sequence[Val]) -> Val:
    fmt = to_str(args[0], "format")
    lengths = {len(arg.v) for arg in args[1:] if isinstance(arg.v, tuple)}
    if len(lengths) > 1:
        raise EvalError("all list arguments of formatlist() must have the same length")
    count = lengths.pop() if lengths else 1
    check_items(count)
    rows = []
    for i in range(count):
        row = [arg.v[i] if isinstance(arg.v, tuple) else arg for arg in args[1:]]
        rows.append(Val(_format(fmt, row), site.loc))
        site.charge(1)
    return _result(site, tuple(rows), args)


# --- conversions -----------------------------------------------------------------------------


def _unify(items: Sequence[Val]) -> tuple[Val, ...]:
    """Elements of one collection share a type: mixed primitives become strings."""
    kinds = {type_name(i) for i in items if i.known and i.v is not None}
    if len(kinds) > 1 and kinds <= {"string", "number", "bool"}:
        return tuple(
            Val(to_str(i), i.loc, i.chain, i.ref) if i.known and i.v is not None else i
            for i in items
        )
    return tuple(items)


@_fn("tostring", 1)
def _tostring(site: CallSite, args: Sequence[Val]) -> Val:
    val = args[0]
    if val.v is None or isinstance(val.v, str):
        return val
    if isinstance(val.v, tuple | dict):
        raise EvalError(f"cannot convert a {type_name(val)} to a string")
    return _result(site, to_str(val), args)


@_fn("tonumber", 1)
def _tonumber(site: CallSite, args: Sequence[Val]) -> Val:
    val = args[0]
    return val if val.v is None else _result(site, to_number(val), args)


@_fn("tobool", 1)
def _tobool(site: CallSite, args: Sequence[Val]) -> Val:
    val = args[0]
    return val if val.v is None else _result(site, to_bool(val), args)


@_fn("tolist", 1, partial=True)
def _tolist(site: CallSite, args: Sequence[Val]) -> Val:
    val = args[0]
    if isinstance(val.v, Unknown) or val.v is None:
        return val
    return _result(site, _unify(_seq(val, "argument")), args)


@_fn("toset", 1, partial=True)
def _toset(site: CallSite, args: Sequence[Val]) -> Val:
    val = args[0]
    if isinstance(val.v, Unknown) or val.v is None:
        return val
    items = _unify(_seq(val, "argument"))
    site.charge(len(items))
    return make_set(items, site.loc, union_chains(args))


@_fn("tomap", 1, partial=True)
def _tomap(site: CallSite, args: Sequence[Val]) -> Val:
    val = args[0]
    if isinstance(val.v, Unknown) or val.v is None:
        return val
    mapping = _map(val, "argument")
    unified = _unify(list(mapping.values()))
    return _result(site, dict(zip(mapping, unified, strict=True)), args)


@_fn("sensitive", 1, partial=True)
def _sensitive(site: CallSite, args: Sequence[Val]) -> Val:
    """The value, marked sensitive (as Terraform's sensitive() marks it)."""
    note = "marked sensitive by sensitive()"
    return taint(args[0], (Origin(site.loc, note, redacted=note),))


@_fn("nonsensitive", 1, partial=True)
def _nonsensitive(site: CallSite, args: Sequence[Val]) -> Val:
    """The value unchanged: still sensitive if it was. The repository is untrusted input, so
    a pull request must not be able to print a secret by wrapping it in nonsensitive()."""
    return args[0]


# --- collections -----------------------------------------------------------------------------


@_fn("length", 1, partial=True)
def _length(site: CallSite, args: Sequence[Val]) -> Val:
    val = args[0]
    v = val.v
    if isinstance(v, Unknown):
        return _unknown(site, v, args)
    if isinstance(v, str):
        return _result(site, len(v), args)
    if isinstance(v, tuple):
        # A set with unknown elements may shrink once they are known.
        if val.kind == "set" and not wholly_known(val):
            return _unknown(site, first_unknown(v) or Unknown("?", "unknown"), args)
        return _result(site, len(v), args)
    if isinstance(v, dict):
        return _result(site, len(v), args)
    raise EvalError(f"cannot take the length of {type_name(val)}")


@_fn("keys", 1, partial=True)
def _keys(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    mapping = _map(args[0], "argument")
    return _result(site, tuple(Val(k, site.loc) for k in sorted(mapping)), args)


@_fn("values", 1, partial=True)
def _values(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    mapping = _map(args[0], "argument")
    return _result(site, tuple(mapping[k] for k in sorted(mapping)), args)


@_fn("merge", 0, None, partial=True)
def _merge(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    merged: dict[str, Val] = {}
    for arg in args:
        if arg.v is not None:
            merged.update(_map(arg, "argument of merge()"))
    return _result(site, merged, args)


@_fn("lookup", 2, 3, partial=True)
def _lookup(site: CallSite, args: Sequence[Val]) -> Val:
    if isinstance(args[1].v, Unknown) and isinstance(args[0].v, dict):
        # An unknown key into a known map: the value is one of the map's values (or the
        # default), and rules decide in each.
        candidates = [*args[0].v.values(), *args[2:]]
        result = _unknown(site, args[1].v, args)
        assert isinstance(result.v, Unknown)
        return Val(one_of(result.v, candidates), result.loc, result.chain)
    unknown = _whole_unknown(site, args[:2])
    if unknown is not None:
        return unknown
    mapping = _map(args[0], "first argument")
    key = to_str(args[1], "key")
    if key in mapping:
        return mapping[key]
    if len(args) == 3:
        return args[2]
    shown = quoted(args[1], f'"{key[:60]}"')
    raise EvalError(f"lookup failed to find key {shown}")


@_fn("concat", 0, None, partial=True)
def _concat(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    items: list[Val] = []
    for arg in args:
        items.extend(_seq(arg, "argument of concat()"))
        check_items(len(items))
    return _result(site, tuple(items), args)


@_fn("contains", 2, partial=True)
def _contains(site: CallSite, args: Sequence[Val]) -> Val:
    collection, wanted = args
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    if not wholly_known(wanted):
        return _unknown(site, first_unknown((wanted,)) or Unknown("?", "unknown"), args)
    undecided: Unknown | None = None
    for item in _seq(collection, "first argument"):
        same = equal(item, wanted)
        if same:
            return _result(site, True, args)
        if same is None and undecided is None:
            undecided = first_unknown((item,))
    if undecided is not None:
        return _unknown(site, undecided, args)
    return _result(site, False, args)


def _null_or_empty(val: Val) -> bool:
    return val.v is None or val.v == ""


@_fn("coalesce", 1, None, partial=True)
def _coalesce(site: CallSite, args: Sequence[Val]) -> Val:
    for arg in args:
        if isinstance(arg.v, Unknown):
            return _unknown(site, arg.v, args)
        if not _null_or_empty(arg):
            wants_string = any(isinstance(a.v, str) and a.v for a in args)
            if wants_string and (isinstance(arg.v, bool) or is_number(arg.v)):
                return Val(to_str(arg), arg.loc, arg.chain, arg.ref)
            return arg
    raise EvalError("no non-null, non-empty-string arguments")


@_fn("coalescelist", 1, None, partial=True)
def _coalescelist(site: CallSite, args: Sequence[Val]) -> Val:
    for arg in args:
        if isinstance(arg.v, Unknown):
            return _unknown(site, arg.v, args)
        if _seq(arg, "argument of coalescelist()"):
            return arg
    raise EvalError("no non-empty list arguments")


@_fn("element", 2, partial=True)
def _element(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    items = _seq(args[0], "first argument")
    index = to_int(args[1], "index")
    if not items:
        raise EvalError("cannot use element() with an empty list")
    if index < 0:
        raise EvalError("element() index must not be negative")
    return items[index % len(items)]


@_fn("index", 2)
def _index(site: CallSite, args: Sequence[Val]) -> Val:
    for i, item in enumerate(_seq(args[0], "first argument")):
        if equal(item, args[1]):
            return _result(site, i, args)
    raise EvalError("item not found in list")


@_fn("slice", 3, partial=True)
def _slice(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    items = _seq(args[0], "first argument")
    start, end = to_int(args[1], "start index"), to_int(args[2], "end index")
    if not 0 <= start <= end <= len(items):
        raise EvalError(f"slice() indices {start}..{end} out of range for {len(items)} items")
    return _result(site, items[start:end], args)


@_fn("reverse", 1, partial=True)
def _reverse(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    return _result(site, tuple(reversed(_seq(args[0], "argument"))), args)


@_fn("one", 1, partial=True)
def _one(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    val = args[0]
    items = _seq(val, "argument")
    if val.kind == "set" and not wholly_known(val) and len(items) > 1:
        return _unknown(site, first_unknown(items) or Unknown("?", "unknown"), args)
    if not items:
        return _result(site, None, args)
    if len(items) == 1:
        return items[0]
    raise EvalError(f"one() requires a list of zero or one elements, not {len(items)}")


@_fn("flatten", 1, partial=True)
def _flatten(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    out: list[Val] = []
    undecided = _flatten_into(_seq(args[0], "argument"), out, 0)
    if undecided is not None:
        return _unknown(site, undecided, args)
    return _result(site, tuple(out), args)


def _flatten_into(items: Sequence[Val], out: list[Val], depth: int) -> Unknown | None:
    if depth > MAX_VALUE_DEPTH:
        raise EvalError("value nested too deeply")
    for item in items:
        if isinstance(item.v, Unknown):
            return item.v  # it may itself be a list: the result's length is unknown
        if isinstance(item.v, tuple):
            found = _flatten_into(item.v, out, depth + 1)
            if found is not None:
                return found
        else:
            out.append(item)
            check_items(len(out))
    return None


@_fn("distinct", 1)
def _distinct(site: CallSite, args: Sequence[Val]) -> Val:
    seen: set[str] = set()
    out: list[Val] = []
    for item in _seq(args[0], "argument"):
        key = canonical(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return _result(site, tuple(out), args)


@_fn("compact", 1)
def _compact(site: CallSite, args: Sequence[Val]) -> Val:
    items = _seq(args[0], "argument")
    return _result(site, tuple(i for i in items if not _null_or_empty(i)), args)


@_fn("sort", 1)
def _sort(site: CallSite, args: Sequence[Val]) -> Val:
    items = [(to_str(i, "list element"), i) for i in _seq(args[0], "argument")]
    items.sort(key=lambda pair: pair[0])
    return _result(site, tuple(Val(text, i.loc, i.chain) for text, i in items), args)


@_fn("zipmap", 2, partial=True)
def _zipmap(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    keys, values = _seq(args[0], "keys"), _seq(args[1], "values")
    if len(keys) != len(values):
        raise EvalError("zipmap() keys and values must have the same length")
    key_unknown = first_unknown(keys)
    if key_unknown is not None:
        return _unknown(site, key_unknown, args)
    return _result(site, {to_str(k, "key"): v for k, v in zip(keys, values, strict=True)}, args)


@_fn("chunklist", 2, partial=True)
def _chunklist(site: CallSite, args: Sequence[Val]) -> Val:
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    items = _seq(args[0], "first argument")
    size = to_int(args[1], "size")
    if size < 0:
        raise EvalError("chunklist() size must not be negative")
    if size == 0:
        return _result(site, (Val(items, site.loc),), args)
    chunks = tuple(Val(items[i : i + size], site.loc) for i in range(0, len(items), size))
    return _result(site, chunks, args)


@_fn("range", 1, 3)
def _range(site: CallSite, args: Sequence[Val]) -> Val:
    numbers = [_finite(to_number(a, "argument of range()")) for a in args]
    start: int | float = 0
    step: int | float = 1
    if len(numbers) == 1:
        limit = numbers[0]
    else:
        start, limit = numbers[0], numbers[1]
        step = numbers[2] if len(numbers) == 3 else (1 if limit >= start else -1)
    if step == 0:
        raise EvalError("range() step must not be zero")
    if (step > 0 and limit < start) or (step < 0 and limit > start):
        raise EvalError("range() step goes the wrong way")
    span = (limit - start) / step  # inf when a tiny step divides a huge range
    count = max(0, math.ceil(span)) if span <= MAX_RANGE else MAX_RANGE + 1
    if count > MAX_RANGE:
        raise EvalError(f"value too large: range() of more than {MAX_RANGE:,} elements")
    items = tuple(Val(normalize_number(start + i * step), site.loc) for i in range(count))
    return _result(site, items, args)


@_fn("alltrue", 1, partial=True)
def _alltrue(site: CallSite, args: Sequence[Val]) -> Val:
    return _all_any(site, args, decisive=False)


@_fn("anytrue", 1, partial=True)
def _anytrue(site: CallSite, args: Sequence[Val]) -> Val:
    return _all_any(site, args, decisive=True)


def _all_any(site: CallSite, args: Sequence[Val], decisive: bool) -> Val:
    """alltrue (decided by a false) and anytrue (decided by a true)."""
    unknown = _whole_unknown(site, args)
    if unknown is not None:
        return unknown
    undecided: Unknown | None = None
    for item in _seq(args[0], "argument"):
        if isinstance(item.v, Unknown):
            undecided = undecided or item.v
        elif to_bool(item, "list element") is decisive:
            return _result(site, decisive, args)
    if undecided is not None:
        return _unknown(site, undecided, args)
    return _result(site, not decisive, args)


def _numbers(items: Sequence[Val]) -> list[int | float]:
    return [to_number(i, "list element") for i in items]


@_fn("sum", 1)
def _sum(site: CallSite, args: Sequence[Val]) -> Val:
    numbers = _numbers(_seq(args[0], "argument"))
    if not numbers:
        raise EvalError("cannot sum an empty list")
    return _result(site, normalize_number(_finite(sum(numbers))), args)


@_fn("min", 1, None)
def _min(site: CallSite, args: Sequence[Val]) -> Val:
    return _result(site, min(_numbers(args)), args)


@_fn("max", 1, None)
def _max(site: CallSite, args: Sequence[Val]) -> Val:
    return _result(site, max(_numbers(args)), args)


def _finite(number: float) -> float:
    if isinstance(number, float) and not math.isfinite(number):
        raise EvalError("value too large: number out of range")
    return number


def _number_fn(name: str, op: Callable[[float], float]) -> None:
    def impl(site: CallSite, args: Sequence[Val]) -> Val:
        number = _finite(to_number(args[0], f"argument of {name}()"))  # ceil(inf) raises
        return _result(site, normalize_number(_finite(op(number))), args)

    _fn(name, 1)(impl)


_number_fn("abs", abs)
_number_fn("ceil", math.ceil)
_number_fn("floor", math.floor)
_number_fn("signum", lambda n: (n > 0) - (n < 0))


@_fn("pow", 2)
def _pow(site: CallSite, args: Sequence[Val]) -> Val:
    base, exponent = (float(to_number(a, "argument of pow()")) for a in args)
    try:
        value = math.pow(base, exponent)
    except (OverflowError, ValueError):
        raise EvalError("pow() result out of range") from None
    return _result(site, normalize_number(_finite(value)), args)


@_fn("parseint", 2)
def _parseint(site: CallSite, args: Sequence[Val]) -> Val:
    text, base = to_str(args[0]), to_int(args[1], "base")
    if not 2 <= base <= 36 or len(text) > 400:
        raise EvalError("parseint() base must be between 2 and 36")
    try:
        return _result(site, int(text, base), args)
    except ValueError:
        shown = quoted(args[0], repr(text[:40]))
        raise EvalError(f"cannot parse {shown} as a base {base} integer") from None


# --- sets ------------------------------------------------------------------------------------


def _set_args(site: CallSite, args: Sequence[Val]) -> list[dict[str, Val]]:
    out = []
    for arg in args:
        items = _unify(_seq(arg, f"argument of {site.name}()"))
        out.append({canonical(i): i for i in items})
    return out


@_fn("setunion", 1, None)
def _setunion(site: CallSite, args: Sequence[Val]) -> Val:
    merged: dict[str, Val] = {}
    for items in _set_args(site, args):
        for key, item in items.items():
            merged.setdefault(key, item)
    check_items(len(merged))
    return make_set(merged.values(), site.loc, union_chains(args))


@_fn("setintersection", 1, None)
def _setintersection(site: CallSite, args: Sequence[Val]) -> Val:
    sets = _set_args(site, args)
    kept = [item for key, item in sets[0].items() if all(key in s for s in sets[1:])]
    return make_set(kept, site.loc, union_chains(args))


@_fn("setsubtract", 2)
def _setsubtract(site: CallSite, args: Sequence[Val]) -> Val:
    first, second = _set_args(site, args)
    kept = [item for key, item in first.items() if key not in second]
    return make_set(kept, site.loc, union_chains(args))


# --- encodings -------------------------------------------------------------------------------

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@_fn("jsonencode", 1)
def _jsonencode(site: CallSite, args: Sequence[Val]) -> Val:
    text = json.dumps(to_plain(args[0]), ensure_ascii=False, separators=(",", ":"))
    # Go's encoder (and so Terraform's) escapes HTML-sensitive characters.
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return _result(site, text, args)


def _reject_constant(name: str) -> object:
    raise EvalError(f"invalid JSON value {name}")


@_fn("jsondecode", 1)
def _jsondecode(site: CallSite, args: Sequence[Val]) -> Val:
    text = to_str(args[0])
    site.charge(len(text) // 16)
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise EvalError(f"invalid JSON: {exc.msg} at character {exc.pos}") from None
    except RecursionError:
        raise EvalError("JSON nested too deeply") from None
    decoded = from_plain(data, site.loc)
    return Val(decoded.v, site.loc, union_chains(args))


@_fn("base64encode", 1)
def _base64encode(site: CallSite, args: Sequence[Val]) -> Val:
    encoded = base64.b64encode(to_str(args[0]).encode("utf-8")).decode("ascii")
    return _result(site, encoded, args)


@_fn("base64decode", 1)
def _base64decode(site: CallSite, args: Sequence[Val]) -> Val:
    try:
        decoded = base64.b64decode(to_str(args[0]), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise EvalError("invalid base64 or not UTF-8 text") from None
    return _result(site, decoded, args)
