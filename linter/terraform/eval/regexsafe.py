"""Run Terraform (RE2-syntax) regular expressions with Python's backtracking ``re`` safely.

RE2 runs in linear time; Python's engine can take exponential time on patterns such as
``(a+)+b``. Before matching, a small scanner estimates the pattern's backtracking cost:

* a quantified group that itself contains a quantifier, or alternatives that may overlap,
  is refused (exponential);
* otherwise every variable-length quantifier adds one to the polynomial degree ``q``, and the
  subject may be at most ``BUDGET ** (1 / (q + 1))`` characters long.

Refused patterns make the calling function's result unknown, never a hang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_PATTERN = 200
MAX_SUBJECT = 100_000
BUDGET = 1e8  # backtracking steps we are willing to spend on one match


class UnsafeRegexError(Exception):
    """The pattern (or the pattern on this subject) is too costly to run with backtracking."""


class BadRegexError(Exception):
    """The pattern is not a valid regular expression."""


@dataclass
class _Group:
    degree: int = 0  # variable-length quantifiers inside, fixed repeats multiplied out
    alternation: bool = False
    literal_only: bool = True
    alternatives: list[str] = field(default_factory=lambda: [""])


_QUANTIFIER = re.compile(r"\*|\+|\?|\{(\d+)(,?)(\d*)\}")
MAX_DEGREE = 12


def _skip_class(pattern: str, i: int) -> int:
    """Index after the character class starting at ``pattern[i] == '['``."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    if j >= len(pattern):
        raise BadRegexError("missing closing ]")
    return j + 1


def _group_header(pattern: str, i: int) -> int:
    """Index after '(' and any '?:', '?P<name>', '?i' header; refuses lookarounds."""
    j = i + 1
    if pattern.startswith("?", j):
        if pattern.startswith(("?=", "?!", "?<=", "?<!"), j):
            raise BadRegexError("lookaround assertions are not supported by Terraform")
        if pattern.startswith(("?P<", "?<"), j):
            end = pattern.find(">", j)
            if end < 0:
                raise BadRegexError("unterminated group name")
            return end + 1
        while j < len(pattern) and pattern[j] not in ":)":
            j += 1
        return j + 1 if j < len(pattern) and pattern[j] == ":" else j
    return j


def regex_degree(pattern: str) -> int:
    """The polynomial degree of the pattern's worst-case backtracking; raises UnsafeRegexError."""
    if len(pattern) > MAX_PATTERN:
        raise UnsafeRegexError(f"regular expression longer than {MAX_PATTERN} characters")
    stack: list[_Group] = [_Group()]
    closed: _Group | None = None  # the group just closed, which a quantifier would repeat
    i = 0
    while i < len(pattern):
        top = stack[-1]
        quantifier = _QUANTIFIER.match(pattern, i)
        if quantifier is not None:
            _quantify(quantifier, closed, top)
            i = quantifier.end()
            if i < len(pattern) and pattern[i] == "?":
                i += 1  # a lazy quantifier costs the same
            closed = None
            continue
        if closed is not None:
            top.degree += _closed_cost(closed)
            closed = None
        i = _scan_token(pattern, i, stack)
        if i < 0:
            closed = stack.pop()
            i = -i
    if closed is not None:
        stack[-1].degree += _closed_cost(closed)
    if len(stack) != 1:
        raise BadRegexError("missing closing )")
    if stack[0].degree > MAX_DEGREE:
        raise UnsafeRegexError("too many repetitions in regular expression")
    return stack[0].degree


def _scan_token(pattern: str, i: int, stack: list[_Group]) -> int:
    """Consume one non-quantifier token; returns the next index, negated after a ')'."""
    top = stack[-1]
    char = pattern[i]
    if char == "\\":
        escaped = pattern[i + 1 : i + 2]
        if escaped and escaped in "123456789":
            raise BadRegexError("backreferences are not supported by Terraform")
        if not escaped or escaped.isalnum():
            top.literal_only = False
        else:
            top.alternatives[-1] += escaped
        return i + 2
    if char == "[":
        top.literal_only = False
        return _skip_class(pattern, i)
    if char == "(":
        top.literal_only = False
        stack.append(_Group())
        return _group_header(pattern, i)
    if char == ")":
        if len(stack) == 1:
            raise BadRegexError("unbalanced )")
        return -(i + 1)
    if char == "|":
        top.alternation = True
        top.alternatives.append("")
    else:
        if char in ".^$":
            top.literal_only = False
        top.alternatives[-1] += char
    return i + 1


def _quantify(quantifier: re.Match[str], group: _Group | None, top: _Group) -> None:
    """Account for a quantifier on the preceding atom (``group`` when it is a group)."""
    top.literal_only = False
    inner = group.degree if group is not None else 0
    if quantifier.group(0).startswith("{") and not quantifier.group(2):
        # A fixed repeat {n} multiplies the repeated group's degree.
        top.degree += inner * min(int(quantifier.group(1) or "1"), MAX_DEGREE + 1)
    else:
        ambiguous = group is not None and group.alternation and not _distinct_literals(group)
        if inner or ambiguous:
            raise UnsafeRegexError("nested repetition in regular expression")
        top.degree += 1
    if top.degree > MAX_DEGREE:
        raise UnsafeRegexError("too many repetitions in regular expression")


def _closed_cost(group: _Group) -> int:
    """The degree an unrepeated group adds: overlapping alternatives backtrack like a '?'."""
    ambiguous = group.alternation and not _distinct_literals(group)
    return group.degree + (1 if ambiguous else 0)


def _distinct_literals(group: _Group) -> bool:
    """Alternatives that are plain, non-empty literals with distinct first characters."""
    if not group.literal_only:
        return False
    firsts = [alt[:1] for alt in group.alternatives]
    return all(firsts) and len(set(firsts)) == len(firsts)


def compile_checked(pattern: str, subject_length: int) -> re.Pattern[str]:
    """Compile an RE2-syntax pattern for a subject of that length, or raise."""
    degree = regex_degree(pattern)
    limit = min(MAX_SUBJECT, int(BUDGET ** (1 / (degree + 1))))
    if subject_length > limit:
        raise UnsafeRegexError(
            f"string of {subject_length:,} characters too long for this regular expression"
        )
    translated = pattern.replace("(?<", "(?P<").replace(r"\z", r"\Z")
    try:
        return re.compile(translated)
    except (re.error, RecursionError, OverflowError) as exc:
        raise BadRegexError(str(exc)) from None


def expand_replacement(template: str, match: re.Match[str]) -> str:
    """RE2/Go replacement: ``$1``, ``${1}``, ``${name}``, ``$name``, ``$$``."""
    out: list[str] = []
    i = 0
    while i < len(template):
        char = template[i]
        if char != "$" or i + 1 >= len(template):
            out.append(char)
            i += 1
            continue
        nxt = template[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
            continue
        if nxt == "{":
            end = template.find("}", i + 2)
            if end < 0:
                out.append(char)
                i += 1
                continue
            name, i = template[i + 2 : end], end + 1
        else:
            j = i + 1
            while j < len(template) and (template[j].isalnum() or template[j] == "_"):
                j += 1
            if j == i + 1:
                out.append(char)
                i += 1
                continue
            name, i = template[i + 1 : j], j
        out.append(_group_text(match, name))
    return "".join(out)


def _group_text(match: re.Match[str], name: str) -> str:
    try:
        group = match.group(int(name)) if name.isdigit() else match.group(name)
    except IndexError:  # no such group: Go expands it to nothing
        return ""
    return group or ""
