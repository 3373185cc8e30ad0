"""The JSON output: a stable contract, described by schemas/output.schema.json."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from linter.core.findings import Evidence, Finding
from linter.core.printable import json_printable
from linter.core.version import __version__
from linter.output.formats.options import FormatOptions
from linter.result import Result, SourceRoot

OUTPUT_FORMAT_VERSION = 1


def _evidence(item: Evidence) -> dict[str, Any]:
    loc = item.location
    return {"path": loc.path, "line": loc.line, "column": loc.column, "fact": item.fact}


AS_SHOWN = SourceRoot()  # display paths taken as they are


def finding_record(finding: Finding, root: SourceRoot = AS_SHOWN) -> dict[str, Any]:
    """A finding as JSON: paths as shown (relative to the working directory), the fingerprint
    from the path relative to ``root``'s repository, so ``check --format json`` gives the same
    fingerprint from any working directory."""
    loc = finding.location
    return {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "object": finding.object,
        "attribute": finding.attribute,
        "evidence": [_evidence(e) for e in finding.evidence],
        "fix": finding.fix,
        "fingerprint": finding.fingerprint_at(root.relative(loc.path)),
    }


def rule_counts(result: Result) -> list[dict[str, Any]]:
    """``--statistics``: the findings per rule, in all and per severity, most frequent first."""
    return [
        {"rule": row.rule, "name": row.name, "total": row.total, **row.by_severity}
        for row in result.rule_counts()
    ]


def document(result: Result, statistics: bool = False) -> dict[str, Any]:
    return _document(
        result, statistics, [finding_record(f, result.source_root) for f in result.findings]
    )


def _document(result: Result, statistics: bool, findings: Iterable[Any]) -> dict[str, Any]:
    counts = result.counts()
    data: dict[str, Any] = {
        "version": __version__,
        "format_version": OUTPUT_FORMAT_VERSION,
        "findings": findings,
        "summary": {
            "total": len(result.findings),
            "error": counts["error"],
            "warning": counts["warning"],
            "info": counts["info"],
            "suppressed": len(result.suppressed),
            "baselined": result.baselined,
            "stale_baseline": len(result.stale_baseline),
            "files": len(result.files),
            "configurations": result.configuration_count,
        },
    }
    if statistics:
        data["summary"]["rules"] = rule_counts(result)
    return data


def render(result: Result, options: FormatOptions) -> str:
    return "".join(pieces(result, options))


def pieces(result: Result, options: FormatOptions) -> Iterator[str]:
    """The report's text a piece at a time (see indented_pieces): each finding's record is
    made as it is written, so a report of tens of thousands of findings is never held whole,
    neither as records nor as text (37 MB of the peak at 4x the dense corpus)."""
    records = (finding_record(f, result.source_root) for f in result.findings)
    for piece in indented_pieces(_document(result, options.statistics, records)):
        yield json_printable(piece)  # character by character: the same on pieces as on all
    yield "\n"


def indented_json(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``, the same text, written here: with an
    indent, json.dumps uses its pure-Python encoder, which took a tenth of a warm run over a
    few thousand findings. Plain data only (dicts with string keys, lists, strings, integers,
    floats, booleans, None, exactly those types); anything else goes to json.dumps."""
    return "".join(indented_pieces(data))


def indented_pieces(data: Any) -> Iterator[str]:
    """The text of ``indented_json(data)``, in pieces: each member of a top-level object, and
    each item of an array that is the value of one, is a piece of its own. Such a member's
    value may also be an iterator: it is written as an array, an item at a time, and never
    held whole. A piece that is not plain data is written by json.dumps."""
    if type(data) is not dict or not data or any(type(key) is not str for key in data):
        yield _text(data, "\n")
        return
    separator = "{\n  "
    for key, value in data.items():
        yield separator + _encode_string(key) + ": "
        if type(value) is list or isinstance(value, Iterator):
            yield from _array_pieces(iter(value))
        else:
            yield _text(value, "\n  ")
        separator = ",\n  "
    yield "\n}"


def _array_pieces(items: Iterator[Any]) -> Iterator[str]:
    """A top-level member's array, an item at a time."""
    separator = "[\n    "
    for item in items:
        yield separator + _text(item, "\n    ")
        separator = ",\n    "
    yield "[]" if separator.startswith("[") else "\n  ]"


def _text(value: Any, newline: str) -> str:
    """The JSON text of ``value`` starting on a line that ``newline`` begins."""
    parts: list[str] = []
    try:
        _write(value, newline, parts)
    except _NotPlainError:
        # json.dumps indents from column 0; a JSON text has no raw line break but these.
        return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline)
    return "".join(parts)


class _NotPlainError(Exception):
    """A value indented_json leaves to json.dumps."""


_encode_string: Any = getattr(json.encoder, "c_encode_basestring", None) or (
    json.encoder.py_encode_basestring
)
_LITERALS = {True: "true", False: "false", None: "null"}


def _write(value: Any, newline: str, parts: list[str]) -> None:
    """Append the JSON text of ``value`` to ``parts``; ``newline`` is a line break followed by
    the indentation of the line ``value`` starts on."""
    kind = type(value)
    if kind is str:
        parts.append(_encode_string(value))
    elif kind is dict:
        _write_object(value, newline, parts)
    elif kind is list:
        _write_array(value, newline, parts)
    elif kind is bool or value is None:
        parts.append(_LITERALS[value])
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is float:
        parts.append(json.dumps(value))  # repr, or Infinity and NaN as json writes them
    else:
        raise _NotPlainError


def _write_object(value: dict[Any, Any], newline: str, parts: list[str]) -> None:
    if not value:
        parts.append("{}")
        return
    inner = newline + "  "
    separator = "{" + inner
    for key, item in value.items():
        if type(key) is not str:
            raise _NotPlainError
        parts.append(separator)
        parts.append(_encode_string(key))
        parts.append(": ")
        _write(item, inner, parts)
        separator = "," + inner
    parts.append(newline + "}")


def _write_array(value: list[Any], newline: str, parts: list[str]) -> None:
    if not value:
        parts.append("[]")
        return
    inner = newline + "  "
    separator = "[" + inner
    for item in value:
        parts.append(separator)
        # Each item joined at once: a report of thousands of findings is otherwise a list of
        # millions of small strings until the end (30 MB of the peak at 4x the dense corpus).
        own: list[str] = []
        _write(item, inner, own)
        parts.append("".join(own))
        separator = "," + inner
    parts.append(newline + "]")
