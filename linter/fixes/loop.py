"""What ``--fix``, ``--diff`` and ``--add-suppression`` do with a lint result: choose the edits,
plan them against the files as they are, and write the changed files atomically."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from linter.core.findings import Finding
from linter.fixes.engine import FixError, Plan, RepositoryFiles, plan
from linter.fixes.suppress import suppression_fixes
from linter.result import Result
from linter.settings.config import Config


@dataclass(frozen=True)
class FixRun:
    """The fixes planned for one result, and how many findings they fix."""

    plan: Plan
    weights: tuple[int, ...]  # how many findings each planned fix fixes
    unsafe: int = 0  # findings with an unsafe fix, left out without --unsafe-fixes
    skipped: Mapping[str, int] = field(default_factory=dict)  # --add-suppression: left alone
    unwritten: frozenset[str] = frozenset()  # the files (keys) that could not be written

    def _count(self, applied: bool) -> int:
        rows = zip(self.weights, self.plan.applied, self.plan.files, strict=True)
        return sum(w for w, done, key in rows if done == applied and key not in self.unwritten)

    @property
    def fixed(self) -> int:
        """Findings whose fix is planned (and, after writing, written)."""
        return self._count(True)

    @property
    def made(self) -> int:
        """Fixes planned (and, after writing, written): for --add-suppression, directives."""
        rows = zip(self.plan.applied, self.plan.files, strict=True)
        return sum(1 for done, key in rows if done and key not in self.unwritten)

    @property
    def not_applied(self) -> int:
        """Findings whose fix overlaps another or no longer matches the file."""
        return self._count(False)


def files_of(result: Result, config: Config) -> RepositoryFiles:
    return RepositoryFiles(result.repository or ".", max_size=config.max_file_size)


def plan_fixes(result: Result, files: RepositoryFiles, *, unsafe: bool) -> FixRun:
    """The fixes of the reported findings: the safe ones, and the unsafe ones when asked."""
    chosen: list[Finding] = []
    left_out = 0
    for finding in result.findings:
        if finding.autofix is None:
            continue
        if finding.autofix.safe or unsafe:
            chosen.append(finding)
        else:
            left_out += 1
    fixes = [f.autofix for f in chosen if f.autofix is not None]
    return FixRun(plan(fixes, files.load), (1,) * len(fixes), left_out)


def plan_suppressions(
    result: Result, config: Config, files: RepositoryFiles, reason: str
) -> FixRun:
    """A directive giving ``reason`` for every reported finding that can be suppressed."""
    suppressible = {rule.code: rule.suppressible for rule in result.registered_rules}

    def can_suppress(finding: Finding) -> bool:
        governing = config.for_path(finding.location.path)
        allowed = suppressible.get(finding.rule, True)
        return allowed and finding.rule not in governing.non_suppressible

    insertions = suppression_fixes(
        result.findings, result.inline_comments, can_suppress, reason, files.load
    )
    planned = plan(insertions.fixes, files.load)
    return FixRun(planned, insertions.covered, skipped=insertions.skipped)


def write(run: FixRun, files: RepositoryFiles) -> tuple[FixRun, list[str]]:
    """Write every changed file: the run as written, and why each file that could not be
    written was not (one line each)."""
    failures = []
    unwritten = set()
    for change in run.plan.changes:
        try:
            files.save(change)
        except FixError as exc:
            failures.append(str(exc))
            unwritten.add(change.before.key)
    return replace(run, unwritten=frozenset(unwritten)), failures
