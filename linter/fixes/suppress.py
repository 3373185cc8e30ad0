"""``--add-suppression REASON``: a directive for every current finding, as text edits.

Each line with findings gets one directive, on a line of its own just above it at the same
indentation: ``# baa-lint: ignore[BAA001,BAA012] REASON``. A directive already there (above
the line, or trailing on it) that gives the same reason, without an expiry date, is extended
with the new codes instead; one with another reason is left as it is, since each directive is
an audit record of its own. A finding in a file that takes no comment (JSON), or one that can
never be suppressed inline, is counted and left alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from linter.core.findings import Finding, Fix, TextEdit
from linter.filters.comments import LineShape, hcl_lines, yaml_lines
from linter.filters.suppressions import directive_text, written_directive
from linter.fixes.engine import FixError, SourceFile

NO_COMMENTS = "their file takes no comments (JSON) or no inline suppressions"
NOT_SUPPRESSIBLE = "their rule cannot be suppressed inline"
INSIDE_A_VALUE = "their line continues a multi-line string or block"
UNREADABLE = "their file cannot be read"


@dataclass(frozen=True)
class Insertions:
    """The directives to write, and the findings left unsuppressed (counted by why)."""

    fixes: tuple[Fix, ...]
    covered: tuple[int, ...]  # how many findings each fix suppresses
    skipped: Mapping[str, int]


def suppression_fixes(
    findings: Iterable[Finding],
    styles: Mapping[str, str],
    suppressible: Callable[[Finding], bool],
    reason: str,
    load: Callable[[str], SourceFile],
) -> Insertions:
    """A fix per line that has findings, in files whose comments baa-lint reads."""
    skipped: Counter[str] = Counter()
    by_line: dict[str, dict[int, set[str]]] = {}
    for finding in findings:
        if not suppressible(finding):
            skipped[NOT_SUPPRESSIBLE] += 1
        elif finding.location.path not in styles:
            skipped[NO_COMMENTS] += 1
        else:
            lines = by_line.setdefault(finding.location.path, {})
            lines.setdefault(finding.location.line, set()).add(finding.rule)
    fixes: list[Fix] = []
    covered: list[int] = []
    counts = Counter((f.location.path, f.location.line) for f in findings if suppressible(f))
    for path in sorted(by_line):
        try:
            source = load(path)
        except FixError:
            skipped[UNREADABLE] += sum(counts[(path, line)] for line in by_line[path])
            continue
        writer = _Writer(source, styles[path], reason)
        for line, codes in sorted(by_line[path].items()):
            fix = writer.fix(line, sorted(codes))
            if fix is None:
                skipped[INSIDE_A_VALUE] += counts[(path, line)]
            else:
                fixes.append(fix)
                covered.append(counts[(path, line)])
    return Insertions(tuple(fixes), tuple(covered), dict(skipped))


class _Writer:
    def __init__(self, source: SourceFile, style: str, reason: str) -> None:
        self.source = source
        self.style = style
        self.reason = reason.strip()
        self.lines = [source.text[a:b] for a, b in zip(source.starts, source.ends, strict=True)]
        text = "\n".join(self.lines)
        self.shapes: list[LineShape] = hcl_lines(text) if style == "hcl" else yaml_lines(text)

    def fix(self, number: int, codes: list[str]) -> Fix | None:
        if not 1 <= number <= len(self.lines) or self.shapes[number - 1].continued:
            return None
        extended = self._extend(number, codes)
        if number > 1 and extended is None and not self.shapes[number - 2].code:
            extended = self._extend(number - 1, codes)
        if extended is not None:
            return extended
        line = self.lines[number - 1]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        text = indent + directive_text(codes, self.reason) + "\n"
        edit = TextEdit(self.source.path, number, 1, number, 1, text, "")
        return Fix(f"suppress {', '.join(codes)}", (edit,))

    def _extend(self, number: int, codes: list[str]) -> Fix | None:
        """Add the codes to a directive on line ``number`` that gives the same reason."""
        line = self.lines[number - 1]
        shape = self.shapes[number - 1]
        if shape.comment is None or "baa-lint" not in line[shape.comment :]:
            return None
        written = written_directive(line, self.style)
        if written is None or written.start < shape.comment or not written.says(line, self.reason):
            return None
        existing = [c for c in written.codes(line) if c]
        added = [c for c in codes if c not in existing]
        original = line[written.codes_start : written.codes_end]
        start, end = written.codes_start + 1, written.codes_end + 1
        path = self.source.path
        separator = ", " if ", " in original else ","
        edit = TextEdit(
            path, number, start, number, end, separator.join(existing + added), original
        )
        return Fix(f"suppress {', '.join(codes)}", (edit,))
