"""Inline suppressions: ``# baa-lint: ignore[BAA001,BAA012] reason until=2026-12-31``.

A directive in a trailing comment covers its own line; a directive on a line of its own covers
the next line of code. When that line opens a block (a Terraform block header, a YAML mapping's
first line, a key whose value is a list or mapping), the directive covers the whole block.
HCL accepts ``#``, ``//`` and ``/* */`` comments; YAML ``#``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from linter.core.findings import Finding, Fix, SuppressedFinding, TextEdit
from linter.core.locations import Location, Span
from linter.core.parsed import ParsedFile
from linter.core.rule_lookup import RuleLookup, RuleName
from linter.filters.comments import LineShape, hcl_lines, yaml_lines
from linter.rules.base import SuppressionProblem

_COMMENT = {
    "yaml": re.compile(r"(?:^|(?<=\s))#\s*baa-lint\s*:(?P<body>.*)$"),
    "hcl": re.compile(r"(?:#|//|/\*)\s*baa-lint\s*:(?P<body>.*)$"),
}
_IGNORE = re.compile(r"^\s*ignore\s*\[(?P<codes>[^\]]*)\](?P<rest>.*)$")
_UNTIL = re.compile(r"(?:^|\s)until\s*=\s*(?P<date>\S+)")

FIX_REASON = (
    "Say why, after the codes: # baa-lint: ignore[BAA001] reviewed with compliance, see TICKET-123"
)


@dataclass
class Directive:
    location: Location
    rules: list[RuleName]
    reason: str
    until: dt.date | None
    lines: set[int]
    blocks: list[Span]
    used: set[str] = field(default_factory=set)
    # How each rule's name is written in the directive (a code or a slug), by rule code.
    written: dict[str, str] = field(default_factory=dict)
    # Object-address prefixes of the module calls it covers (ParsedFile.scopes).
    prefixes: list[str] = field(default_factory=list)

    def covers(self, finding: Finding) -> bool:
        loc = finding.location
        if self.prefixes and any(_within(finding.object, p) for p in self.prefixes):
            return True
        if loc.path != self.location.path:
            return False
        return loc.line in self.lines or any(b.contains(loc) for b in self.blocks)


def _within(address: str, prefix: str) -> bool:
    return address.startswith(prefix) and address[len(prefix) : len(prefix) + 1] in {".", "["}


def _next_code_line(shapes: list[LineShape], index: int) -> int | None:
    for j in range(index + 1, len(shapes)):
        if shapes[j].code:
            return j + 1
    return None


def _parse_codes(
    text: str,
    location: Location,
    lookup: RuleLookup,
    problems: list[SuppressionProblem],
) -> dict[str, RuleName]:
    """The rules a directive names, each by how it is written there."""
    rules: dict[str, RuleName] = {}
    for raw in (c.strip() for c in text.split(",")):
        if not raw:
            continue
        rule = lookup.find(raw)
        if rule is None:
            problems.append(
                SuppressionProblem(
                    location,
                    f"suppression names an unknown rule '{raw}'" + lookup.suggest(raw),
                    "Use a rule code or slug from `baa-lint rules`.",
                    removable=raw,
                )
            )
        elif not rule.suppressible:
            problems.append(
                SuppressionProblem(
                    location,
                    f"{rule.code} ({rule.slug}) cannot be suppressed inline",
                    "Fix the underlying problem, or exclude the file in the configuration.",
                    removable=raw,
                )
            )
        else:
            rules.setdefault(raw, rule)
    return rules


def parse_directives(
    parsed: ParsedFile, lookup: RuleLookup, problems: list[SuppressionProblem]
) -> list[Directive]:
    """Every directive in a file, with the lines and blocks it covers."""
    style = parsed.comment_style
    comment = _COMMENT[style]
    if not parsed.may_have_directives:
        return []
    lines = parsed.text.split("\n")
    # Only a real comment holds a directive: never a string, a heredoc or a block scalar.
    shapes = hcl_lines(parsed.text) if style == "hcl" else yaml_lines(parsed.text)
    block_starts: dict[int, list[Span]] = {}
    for span in parsed.blocks:
        block_starts.setdefault(span.start_line, []).append(span)
    scope_starts: dict[int, list[str]] = {}
    for span, prefix in parsed.scopes:
        scope_starts.setdefault(span.start_line, []).append(prefix)
    directives = []
    for index, line in enumerate(lines):
        match = comment.search(line)
        starts = shapes[index].comment
        if match is None or starts is None or match.start() < starts:
            continue
        location = Location(parsed.path, index + 1, match.start() + 1)
        body = match.group("body").rstrip()
        if body.endswith("*/"):
            body = body[:-2].rstrip()
        directive = _directive(body, location, lookup, problems)
        if directive is None:
            continue
        target = index + 1 if shapes[index].code else _next_code_line(shapes, index)
        if target is not None:
            directive.lines.add(target)
            directive.blocks.extend(block_starts.get(target, []))
            directive.prefixes.extend(scope_starts.get(target, []))
        directives.append(directive)
    return directives


def _directive(
    body: str,
    location: Location,
    lookup: RuleLookup,
    problems: list[SuppressionProblem],
) -> Directive | None:
    match = _IGNORE.match(body)
    if match is None:
        word = body.strip().split("[")[0].split()[0] if body.strip() else ""
        hint = (
            "; did you mean 'ignore'?"
            if word and difflib.get_close_matches(word, ["ignore"])
            else ""
        )
        problems.append(
            SuppressionProblem(
                location,
                f"malformed baa-lint directive '{body.strip()}'{hint}",
                "Write: # baa-lint: ignore[BAA001] reason",
            )
        )
        return None
    rest = match.group("rest")
    until: dt.date | None = None
    until_match = _UNTIL.search(rest)
    if until_match:
        rest = rest[: until_match.start()] + rest[until_match.end() :]
        try:
            until = dt.date.fromisoformat(until_match.group("date"))
        except ValueError:
            problems.append(
                SuppressionProblem(
                    location,
                    f"invalid expiry date '{until_match.group('date')}' "
                    "(expected until=YYYY-MM-DD)",
                    "Write the date as until=2026-12-31.",
                )
            )
    reason = rest.strip().strip("-:").strip()
    rules = _parse_codes(match.group("codes"), location, lookup, problems)
    if not match.group("codes").strip():
        problems.append(
            SuppressionProblem(
                location, "suppression names no rule", "Write: ignore[BAA001] reason"
            )
        )
    if not rules:
        return None
    if not reason:
        problems.append(SuppressionProblem(location, "suppression has no reason", FIX_REASON))
    written = {rule.code: raw for raw, rule in reversed(rules.items())}
    return Directive(location, list(rules.values()), reason, until, set(), [], written=written)


class _Candidates:
    """The directives that may cover a finding, in their order: those of its file, and those
    covering module calls' instances wherever their findings are (a repository's findings
    times its directives was a warm run's largest cost after the memo)."""

    def __init__(self, directives: list[Directive]) -> None:
        self._by_path: dict[str, list[tuple[int, Directive]]] = {}
        self._scoped: list[tuple[int, Directive]] = []
        for index, directive in enumerate(directives):
            if directive.prefixes:
                self._scoped.append((index, directive))
            else:
                self._by_path.setdefault(directive.location.path, []).append((index, directive))

    def of(self, finding: Finding) -> list[Directive]:
        local = self._by_path.get(finding.location.path, [])
        if not self._scoped:
            return [d for _, d in local]
        return [d for _, d in sorted([*local, *self._scoped], key=lambda pair: pair[0])]


@dataclass(frozen=True)
class SuppressionResult:
    active: list[Finding]
    suppressed: list[SuppressedFinding]
    problems: list[SuppressionProblem]


def apply_suppressions(
    findings: Iterable[Finding],
    directives: list[Directive],
    selected: set[str],
    today: dt.date,
) -> SuppressionResult:
    """Split findings into active and suppressed; report expired and unused directives."""
    active: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    problems: list[SuppressionProblem] = []
    expired = [d for d in directives if d.until is not None and d.until < today]
    live = [d for d in directives if d not in expired]
    candidates = _Candidates(live)
    for finding in findings:
        directive = next(
            (
                d
                for d in candidates.of(finding)
                if d.covers(finding) and any(r.code == finding.rule for r in d.rules)
            ),
            None,
        )
        if directive is None:
            active.append(finding)
            continue
        directive.used.add(finding.rule)
        suppressed.append(SuppressedFinding(finding, directive.reason, directive.location))
    for directive in expired:
        codes = ",".join(r.code for r in directive.rules)
        problems.append(
            SuppressionProblem(
                directive.location,
                f"suppression of {codes} expired on {directive.until}; it no longer suppresses",
                "Fix the finding and delete the suppression, or renew it with a new date and a "
                "reason.",
            )
        )
    for directive in live:
        for rule in directive.rules:
            if rule.code in selected and rule.code not in directive.used:
                problems.append(
                    SuppressionProblem(
                        directive.location,
                        f"unused suppression: no {rule.code} ({rule.slug}) finding here",
                        "Delete the suppression, or move it to the line or block it is meant for.",
                        removable=directive.written.get(rule.code, rule.code),
                    )
                )
    return SuppressionResult(active, suppressed, problems)


# --- writing directives ------------------------------------------------------------------------


def directive_text(codes: Iterable[str], reason: str) -> str:
    """The one spelling of a directive that baa-lint writes: ``# baa-lint: ignore[A,B] why``.

    ``#`` starts a comment in YAML and in HCL alike. Every writer of directives (``--add-
    suppression``, an editor's quick fix) goes through here.
    """
    return f"# baa-lint: ignore[{','.join(codes)}] {reason.strip()}".rstrip()


def reason_problem(reason: str) -> str | None:
    """Why ``reason`` cannot be the reason of a directive baa-lint writes, or None."""
    if not reason.strip():
        return "the reason must not be empty: say why the findings are accepted"
    if any(not char.isprintable() for char in reason):
        return "the reason must be one line of printable text"
    until = _UNTIL.search(reason)
    if until is not None:
        try:
            dt.date.fromisoformat(until.group("date"))
        except ValueError:
            return f"invalid expiry date '{until.group('date')}' (expected until=YYYY-MM-DD)"
    return None


@dataclass(frozen=True)
class WrittenDirective:
    """Where a directive sits on its line (0-based offsets into the line)."""

    start: int  # the comment marker
    codes_start: int  # just after "["
    codes_end: int  # at "]"
    own_line: bool  # nothing but white space before the comment

    def codes(self, line: str) -> list[str]:
        return [c.strip() for c in line[self.codes_start : self.codes_end].split(",")]

    def says(self, line: str, reason: str) -> bool:
        """Whether the directive gives exactly ``reason`` (and no expiry date)."""
        rest = line[self.codes_end + 1 :].rstrip()
        rest = rest.removesuffix("*/").strip()
        return _UNTIL.search(rest) is None and rest.strip("-:").strip() == reason.strip()


def written_directive(line: str, style: str) -> WrittenDirective | None:
    """The directive on a line, when the line holds one that can be edited in place: a ``/*``
    comment is editable only when it closes on its own line (else code may follow it)."""
    match = _COMMENT[style].search(line)
    if match is None:
        return None
    if line.startswith("/*", match.start()) and not line.rstrip().endswith("*/"):
        return None
    body_start = match.start("body")
    ignore = _IGNORE.match(match.group("body"))
    if ignore is None:
        return None
    return WrittenDirective(
        match.start(),
        body_start + ignore.start("codes"),
        body_start + ignore.end("codes"),
        not line[: match.start()].strip(),
    )


def _removal(
    path: str, lines: list[str], number: int, style: str, dead: set[str]
) -> tuple[Fix, bool] | None:
    """The fix that drops the ``dead`` codes from the directive on line ``number``, and whether
    it deletes the directive: it does when no code is left (its whole line when it stands
    alone there)."""
    line = lines[number - 1]
    written = written_directive(line, style)
    if written is None:
        return None
    original = line[written.codes_start : written.codes_end]
    codes = [c for c in written.codes(line) if c]
    kept = [c for c in codes if c not in dead]
    if kept:
        separator = ", " if ", " in original else ","
        start, end = written.codes_start + 1, written.codes_end + 1
        edit = TextEdit(path, number, start, number, end, separator.join(kept), original)
        removed = ", ".join(c for c in codes if c in dead)
        return Fix(f"remove {removed} from the suppression", (edit,)), False
    if written.own_line and number < len(lines):
        edit = TextEdit(path, number, 1, number + 1, 1, "", line + "\n")
    else:  # a trailing comment, or the last line (no newline to take with it)
        start = len(line[: written.start].rstrip())
        edit = TextEdit(path, number, start + 1, number, len(line) + 1, "", line[start:])
    return Fix("delete the suppression", (edit,)), True


def with_removal_fixes(
    problems: Iterable[SuppressionProblem], files: Iterable[ParsedFile]
) -> list[SuppressionProblem]:
    """The problems, with a fix on each one that a removal resolves.

    All problems of one directive share one fix, computed from every code that can go: it
    drops those codes, or the whole directive when none is left, which also resolves the
    directive's other problems (no reason, a bad date). Nothing else is ever removed.
    """
    problems = list(problems)
    texts = {p.path: p for p in files}
    dead: dict[Location, set[str]] = {}
    for problem in problems:
        if problem.removable:
            dead.setdefault(problem.location, set()).add(problem.removable)
    fixes: dict[Location, tuple[Fix, bool]] = {}
    for location, codes in dead.items():
        parsed = texts.get(location.path)
        lines = parsed.text.split("\n") if parsed is not None else []
        if parsed is not None and 0 < location.line <= len(lines):
            found = _removal(location.path, lines, location.line, parsed.comment_style, codes)
            if found is not None:
                fixes[location] = found
    result = []
    for problem in problems:
        fix, deletes = fixes.get(problem.location, (None, False))
        fixed = fix is not None and (bool(problem.removable) or deletes)
        result.append(replace(problem, autofix=fix) if fixed else problem)
    return result
