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
from dataclasses import dataclass, field

from linter.core.findings import Finding, SuppressedFinding
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
) -> list[RuleName]:
    rules = []
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
                )
            )
        elif not rule.suppressible:
            problems.append(
                SuppressionProblem(
                    location,
                    f"{rule.code} ({rule.slug}) cannot be suppressed inline",
                    "Fix the underlying problem, or exclude the file in the configuration.",
                )
            )
        else:
            rules.append(rule)
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
    return Directive(location, rules, reason, until, set(), [])


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
    for finding in findings:
        directive = next(
            (d for d in live if d.covers(finding) and any(r.code == finding.rule for r in d.rules)),
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
                    )
                )
    return SuppressionResult(active, suppressed, problems)
