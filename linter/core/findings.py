"""The finding: an immutable value that rules create and formatters read."""

from __future__ import annotations

import enum
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from linter.core.locations import Location


class Severity(enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Evidence:
    """One fact that supports a finding, and where it was set."""

    location: Location
    fact: str


@dataclass(frozen=True)
class TextEdit:
    """Replace the text from ``start`` up to (not including) ``end`` with ``replacement``.

    Lines and columns are 1-based, as in :class:`Location`; an insertion has ``start == end``.
    ``original`` is the text the edit expects to replace: an edit whose range holds anything
    else (the file changed since it was linted, or the position is not where the text was
    written) is never applied. None: no such check.
    """

    path: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    replacement: str
    original: str | None = None

    @property
    def start(self) -> tuple[int, int]:
        return (self.start_line, self.start_column)

    @property
    def end(self) -> tuple[int, int]:
        return (self.end_line, self.end_column)


@dataclass(frozen=True)
class Fix:
    """A mechanical repair of a finding: what it does, and the edits that do it.

    ``safe``: applied by ``--fix``. An unsafe fix changes a compliance fact that baa-lint
    could not read before (a misspelt ``phi`` key, ``hipaa_ready: yes``); it is applied only
    with ``--unsafe-fixes``, because what that fact says is the user's decision.
    """

    description: str
    edits: tuple[TextEdit, ...]
    safe: bool = True


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    severity: Severity
    message: str
    location: Location
    object: str = ""
    attribute: str = ""
    evidence: tuple[Evidence, ...] = ()
    fix: str = ""  # how to fix it, in words
    # A mechanical fix, when there is one. Derived data: it takes no part in equality (nor in
    # the fingerprint, baselines or any report), so attaching one changes no existing output.
    autofix: Fix | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str, str, str]:
        loc = self.location
        return (
            loc.path,
            loc.line,
            loc.column,
            self.rule,
            self.object,
            self.attribute,
            self.message,
        )

    @property
    def fingerprint(self) -> str:
        """A line-independent identity: rule, file, object address and attribute path.

        Parse and schema errors have no object; their message stands in, so two different
        problems in one file keep different fingerprints.
        """
        return self.fingerprint_at(self.location.path)

    def fingerprint_at(self, path: str) -> str:
        """The fingerprint with the file named as ``path``: reports pass the repository-relative
        path, so the fingerprint does not change with the working directory."""
        detail = self.attribute if self.object else self.message
        key = "\x1f".join((self.rule, path, self.object, detail))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class SuppressedFinding:
    """A finding silenced by an inline directive, kept for audit outputs (SARIF, reports)."""

    finding: Finding
    justification: str
    directive: Location


def unique_fingerprints(
    findings: Iterable[Finding], path_of: Callable[[str], str] | None = None
) -> list[str]:
    """Each finding's line-independent fingerprint, made unique within one report.

    ``path_of`` names each finding's file for the fingerprint (the repository-relative path);
    by default it is the display path. Two findings can share a fingerprint (two reason-less
    suppressions in one file have the same rule, path and message). The first keeps its own;
    the n-th repeat gets a fingerprint derived from it and n, so repeats stay stable while
    their order is unchanged.
    """
    seen: Counter[str] = Counter()
    unique: list[str] = []
    for finding in findings:
        path = finding.location.path
        base = finding.fingerprint_at(path_of(path) if path_of else path)
        seen[base] += 1
        occurrence = seen[base]
        if occurrence == 1:
            unique.append(base)
        else:
            key = f"{base}\x1f{occurrence}".encode()
            unique.append(hashlib.sha256(key).hexdigest()[:32])
    return unique


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key)


@dataclass(frozen=True)
class FrontEndCode:
    """A code the front ends report before any rule runs; its rule's metadata reads it."""

    code: str
    slug: str
    severity: Severity


# Parse and schema errors are findings too, created where they are found; so is a value the
# Terraform evaluator gave up on at a limit (the instance limit of a root module).
PARSE_ERROR = FrontEndCode("BAA900", "parse-error", Severity.ERROR)
SCHEMA_ERROR = FrontEndCode("BAA901", "schema-error", Severity.ERROR)
UNRESOLVED_VALUE = FrontEndCode("BAA013", "unresolved-value", Severity.WARNING)


def front_end_finding(code: FrontEndCode, message: str, location: Location) -> Finding:
    return Finding(code.code, code.slug, code.severity, message, location)


def parse_error(message: str, location: Location) -> Finding:
    return front_end_finding(PARSE_ERROR, message, location)


def schema_error(
    message: str,
    location: Location,
    obj: str = "",
    attribute: str = "",
    autofix: Fix | None = None,
) -> Finding:
    code = SCHEMA_ERROR
    return Finding(
        code.code, code.slug, code.severity, message, location, obj, attribute, autofix=autofix
    )
