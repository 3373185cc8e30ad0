"""The outcome of a lint run: findings, the model behind them, and what formatters need.

Formatters and the report read a Result and nothing above it; the types they need to name
(a rule's metadata, a configuration, a posture row) are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from linter.core.findings import Finding, Severity, SuppressedFinding
from linter.core.locations import SourceRoot
from linter.core.model import Model
from linter.core.posture import PostureRow
from linter.core.sources import Sources
from linter.filters import baseline
from linter.normalize.configurations import Configuration
from linter.policy.data import Policy
from linter.rules.base import Rule


@dataclass(frozen=True)
class Analysis:
    """The model the rules judged and its configurations."""

    model: Model
    configurations: tuple[Configuration, ...]


@dataclass(frozen=True)
class Result:
    findings: tuple[Finding, ...]
    suppressed: tuple[SuppressedFinding, ...]
    configuration_count: int
    # The model and its configurations, built on demand: a run whose verdict was remembered
    # (linter.rules.verdicts) has only counted them, and `check` needs no more.
    analysis_of: Callable[[], Analysis] = field(compare=False)
    files: tuple[str, ...]
    rules: tuple[Rule, ...]
    policy: Policy
    baselined: int = 0
    stale_baseline: tuple[baseline.Entry, ...] = field(default_factory=tuple)
    # Every registered rule, so an output can describe a rule that a finding names.
    registered_rules: tuple[Rule, ...] = ()
    # The linted files' text, for outputs that show a finding's source line.
    sources: Sources = field(default_factory=Sources, compare=False)
    # Where the run read from (the repository root, absolute), and the comment style of each
    # linted file whose inline directives it reads: what the fix loop needs to edit them.
    repository: str = ""
    inline_comments: Mapping[str, str] = field(default_factory=dict, compare=False)
    # Where display paths start and the repository root: CI formats name files against it.
    source_root: SourceRoot = field(default_factory=SourceRoot)
    # The posture is decided on demand: `check` never needs it, `show` and `report` do.
    posture_of: Callable[[], tuple[PostureRow, ...]] = field(default=tuple, compare=False)

    @cached_property
    def model(self) -> Model:
        return self.analysis_of().model

    @cached_property
    def configurations(self) -> tuple[Configuration, ...]:
        return self.analysis_of().configurations

    @cached_property
    def posture(self) -> tuple[PostureRow, ...]:
        """Each configuration's posture, sorted by organization, address and product."""
        return self.posture_of()

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts

    def rule_counts(self) -> tuple[RuleCount, ...]:
        """The findings counted per rule and severity (a per-path severity override can give
        one rule several), most frequent rule first, then by code."""
        counts: dict[str, dict[str, int]] = {}
        names: dict[str, str] = {}
        for finding in self.findings:
            per_severity = counts.setdefault(finding.rule, {s.value: 0 for s in Severity})
            per_severity[finding.severity.value] += 1
            names[finding.rule] = finding.name
        rows = [RuleCount(code, names[code], by) for code, by in counts.items()]
        return tuple(sorted(rows, key=lambda row: (-row.total, row.rule)))


@dataclass(frozen=True)
class RuleCount:
    """How many findings one rule has, in all and per severity ("error", "warning", "info")."""

    rule: str
    name: str
    by_severity: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())


__all__ = [
    "Configuration",
    "Policy",
    "PostureRow",
    "Result",
    "Rule",
    "RuleCount",
    "SourceRoot",
    "exit_code",
]


def exit_code(result: Result, fail_on: Severity) -> int:
    """0 when nothing is at or above ``fail_on``, else 1 (2 is for usage and internal errors)."""
    return 1 if any(f.severity >= fail_on for f in result.findings) else 0
