"""Remember the last verdict: the findings that the model and the rules gave for one set of
declarations, so that a run over the same declarations skips building the model and running
the rules (about half of a warm run over a monorepo where every directory declares Anthropic
resources).

The key stands for everything those findings depend on:
- the declarations, by the digest the front ends give of them (linter.lint: the Terraform
  memo's digest of each root's declarations, and the other files' declarations encoded);
- the rules that run, the whole configuration (which rules apply where, extra models, the
  date that suppressions and rules are judged on) and the working directory its path patterns
  are relative to;
- the code and data that turn declarations into findings: baa-lint's version and the size and
  modification time of every file of the package and its schemas (a changed rule or policy
  file in a source checkout is a new key).

Only the newest verdict is kept, in one signed document of the cache (linter.core.cache: a
document this user's baa-lint did not write on this machine is never read). Suppressions, the
baseline and severities are applied after it on every run: they read the files' comments, which
the declarations do not hold. What is stored is plain data (marshal), checked field by field
when read back; anything unexpected is a miss, never a wrong verdict.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.core.cache import ParseCache
from linter.core.findings import Evidence, Finding, Fix, Severity, TextEdit
from linter.core.locations import Location
from linter.core.version import __version__
from linter.rules.base import Rule

if TYPE_CHECKING:  # (not imported: a rules module reaches no front end, and settings does)
    from linter.settings.config import Config

DOCUMENT = "verdict-v1.marshal"
_DATA_SUFFIXES = (".py", ".json", ".yaml", ".yml")


@dataclass(frozen=True)
class Verdict:
    """What the model and the rules gave: the findings (the schema's and the rules', enabled
    where they are and redacted), the sensitive texts the redaction masks (the outputs mask them
    in source excerpts too) and how many configurations the model had."""

    findings: tuple[Finding, ...]
    secrets: tuple[str, ...]  # sorted
    configurations: int


def verdict_key(declarations: str, rules: Sequence[Rule], config: Config, cwd: str) -> str:
    """The key of the verdict on declarations of digest ``declarations``."""
    # What only steers how the run works or prints: a different value gives the same verdict.
    steering = dataclasses.replace(
        config, jobs=0, cache=True, cache_dir=None, output_format=None, baseline=None
    )
    digest = hashlib.blake2b(digest_size=16)
    for part in (
        __version__,
        _code_fingerprint(),
        declarations,
        ",".join(rule.code for rule in rules),
        repr(steering),
        config.effective_today.isoformat(),
        cwd,
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def read_verdict(cache: ParseCache, key: str) -> Verdict | None:
    """The remembered verdict for ``key``, or None."""
    stored = cache.read_document(DOCUMENT)
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    try:
        findings = tuple(_finding(item) for item in _list(stored["findings"]))
        secrets = tuple(_str(item) for item in _list(stored["secrets"]))
        configurations = _int(stored["configurations"])
    except (KeyError, TypeError, ValueError):
        return None
    return Verdict(findings, secrets, configurations)


def write_verdict(cache: ParseCache, key: str, verdict: Verdict) -> None:
    cache.write_document(
        DOCUMENT,
        {
            "key": key,
            "findings": [_encoded(f) for f in verdict.findings],
            "secrets": list(verdict.secrets),
            "configurations": verdict.configurations,
        },
    )


# --- the code that gives the verdict -----------------------------------------------------------


@functools.cache
def _code_fingerprint() -> str:
    """Size and modification time of every source and data file of the package and of its
    schemas: what a verdict was computed by (a source checkout changes without a version).
    Once per process: its code, policy and schemas are loaded once too (an editor server
    lints on every change)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH120
    places = [package, os.path.join(os.path.dirname(package), "schemas")]  # noqa: PTH118, PTH120
    digest = hashlib.blake2b(digest_size=16)
    for place in places:
        for path, info in sorted(_files_under(place)):
            line = f"{os.path.relpath(path, place)}\0{info.st_size}\0{info.st_mtime_ns}\0"
            digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _files_under(directory: str) -> Iterator[tuple[str, os.stat_result]]:
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                yield from _files_under(entry.path)
        elif entry.name.endswith(_DATA_SUFFIXES):
            yield entry.path, entry.stat()


# --- findings as plain data ----------------------------------------------------------------------


def _encoded(finding: Finding) -> list[Any]:
    autofix = finding.autofix
    return [
        finding.rule,
        finding.name,
        finding.severity.value,
        finding.message,
        _location(finding.location),
        finding.object,
        finding.attribute,
        [[_location(e.location), e.fact] for e in finding.evidence],
        finding.fix,
        None if autofix is None else [autofix.description, _edits(autofix.edits), autofix.safe],
    ]


def _location(location: Location) -> list[Any]:
    return [location.path, location.line, location.column]


def _edits(edits: Sequence[TextEdit]) -> list[Any]:
    return [
        [e.path, e.start_line, e.start_column, e.end_line, e.end_column, e.replacement, e.original]
        for e in edits
    ]


def _finding(raw: Any) -> Finding:
    rule, name, severity, message, location, obj, attribute, evidence, fix, autofix = _list(raw)
    return Finding(
        rule=_str(rule),
        name=_str(name),
        severity=Severity(severity),
        message=_str(message),
        location=_decoded_location(location),
        object=_str(obj),
        attribute=_str(attribute),
        evidence=tuple(_evidence(item) for item in _list(evidence)),
        fix=_str(fix),
        autofix=None if autofix is None else _fix(autofix),
    )


def _evidence(raw: Any) -> Evidence:
    location, fact = _list(raw)
    return Evidence(_decoded_location(location), _str(fact))


def _fix(raw: Any) -> Fix:
    description, edits, safe = _list(raw)
    if type(safe) is not bool:
        raise TypeError("a fix's safety is not a boolean")
    return Fix(_str(description), tuple(_edit(item) for item in _list(edits)), safe)


def _edit(raw: Any) -> TextEdit:
    path, start_line, start_column, end_line, end_column, replacement, original = _list(raw)
    return TextEdit(
        _str(path),
        _int(start_line),
        _int(start_column),
        _int(end_line),
        _int(end_column),
        _str(replacement),
        None if original is None else _str(original),
    )


def _decoded_location(raw: Any) -> Location:
    path, line, column = _list(raw)
    return Location(_str(path), _int(line), _int(column))


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise TypeError("not a list")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("not an integer")
    return value
