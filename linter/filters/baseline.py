"""Baselines: record today's findings, then report only new ones.

An entry is keyed by rule, file (relative to the baseline file, so the baseline works from any
working directory), object address and attribute path; never by line, so edits above a finding
do not make it "new". Parse and schema errors have no object; their message stands in.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linter.core.findings import Finding
from linter.core.version import __version__

BASELINE_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read: one line."""


@dataclass(frozen=True, order=True)
class Entry:
    path: str
    rule: str
    object: str
    detail: str  # the attribute path, or the message for findings without an object

    def as_json(self) -> dict[str, str]:
        return {"path": self.path, "rule": self.rule, "object": self.object, "detail": self.detail}


def _relative(path: str, base: Path) -> str:
    absolute = os.path.abspath(path)
    try:
        return Path(absolute).relative_to(base).as_posix()
    except ValueError:
        return Path(absolute).as_posix()


def entry_for(finding: Finding, base: Path) -> Entry:
    detail = finding.attribute if finding.object else finding.message
    return Entry(_relative(finding.location.path, base), finding.rule, finding.object, detail)


def _base(baseline_file: str | Path) -> Path:
    return Path(os.path.abspath(baseline_file)).parent


def render(findings: Iterable[Finding], baseline_file: str | Path) -> str:
    """The baseline file's text for these findings: sorted and stable."""
    base = _base(baseline_file)
    entries = sorted({entry_for(f, base) for f in findings})
    data = {
        "tool": "baa-lint",
        "version": BASELINE_VERSION,
        "written_by": __version__,
        "findings": [e.as_json() for e in entries],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


MAX_DEPTH = 100  # a baseline is three levels deep; only a hostile file nests past this


def _too_deep(text: str) -> tuple[int, int]:
    """The line and column of the first bracket nested more than MAX_DEPTH deep (or 1:1)."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                start = match.start()
                return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1
        elif token in "]}":
            depth -= 1
    return 1, 1


def read(baseline_file: str | Path) -> set[Entry]:
    path = Path(baseline_file)
    try:
        text = path.read_text(encoding="utf-8")
        data: Any = json.loads(text)
    except FileNotFoundError:
        raise BaselineError(f"{baseline_file}: no such baseline file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{baseline_file}: cannot read the baseline: {exc}") from None
    except RecursionError:  # the decoder's own guard against deep nesting
        line, column = _too_deep(text)
        raise BaselineError(
            f"{baseline_file}:{line}:{column}: cannot read the baseline: "
            f"nested more than {MAX_DEPTH} deep"
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("tool") != "baa-lint"
        or not isinstance(data.get("findings"), list)
    ):
        raise BaselineError(
            f"{baseline_file}: not a baa-lint baseline (write one with --write-baseline)"
        )
    if data.get("version") != BASELINE_VERSION:
        raise BaselineError(
            f"{baseline_file}: unsupported baseline version {data.get('version')!r}"
        )
    entries = set()
    for item in data["findings"]:
        try:
            entries.add(
                Entry(
                    str(item["path"]), str(item["rule"]), str(item["object"]), str(item["detail"])
                )
            )
        except (KeyError, TypeError):
            raise BaselineError(f"{baseline_file}: malformed entry {item!r}") from None
    return entries


@dataclass(frozen=True)
class BaselineOutcome:
    new: list[Finding]
    baselined: int
    stale: list[Entry]


def apply(
    findings: list[Finding], entries: set[Entry], baseline_file: str | Path
) -> BaselineOutcome:
    base = _base(baseline_file)
    new = []
    matched = set()
    for finding in findings:
        entry = entry_for(finding, base)
        if entry in entries:
            matched.add(entry)
        else:
            new.append(finding)
    stale = sorted(entries - matched)
    return BaselineOutcome(new, len(findings) - len(new), stale)
