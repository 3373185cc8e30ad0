"""What ``--fix``, ``--diff`` and ``--add-suppression`` do with a lint result: choose the edits,
plan them against the files as they are, and write the changed files atomically."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from linter.core.findings import Finding
from linter.fixes.engine import FixError, Plan, RepositoryFiles, plan
from linter.fixes.suppress import suppression_fixes
from linter.result import Result
from linter.settings.config import Config


@dataclass(frozen=True)
class FixRun:
    """The fixes planned for one result, and how many findings they fix."""

    plan: Plan
    fixed: int  # findings whose fix is in the plan
    not_applied: int = 0  # findings with a fix that overlaps another or no longer matches
    unsafe: int = 0  # findings with an unsafe fix, left out without --unsafe-fixes
    skipped: Mapping[str, int] = field(default_factory=dict)  # --add-suppression: left alone


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
    planned = plan(fixes, files.load)
    fixed = planned.count
    return FixRun(planned, fixed, len(fixes) - fixed, left_out)


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
    covered = sum(n for n, done in zip(insertions.covered, planned.applied, strict=True) if done)
    missed = sum(n for n, done in zip(insertions.covered, planned.applied, strict=True) if not done)
    return FixRun(planned, covered, missed, skipped=insertions.skipped)


def write(run: FixRun, files: RepositoryFiles) -> list[str]:
    """Write every changed file; the problems (one line each) of those that could not be."""
    problems = list(run.plan.problems)
    for change in run.plan.changes:
        try:
            files.save(change)
        except FixError as exc:
            problems.append(str(exc))
    return problems
