"""Narrow a result to what a set of changed files can affect (the pre-commit hook's view).

The module directory is Terraform's unit, so a changed .tf or .tfvars file puts its whole
directory in scope; a changed YAML or plan file is in scope itself. A finding is kept when it
is located in scope, or when any of its evidence is: a changed tfvars file shows the finding it
causes inside a shared module, and a changed organization shows every finding it decides. A
changed configuration file puts everything in scope.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from linter.core.findings import Finding, SuppressedFinding

TERRAFORM_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")
CONFIG_NAMES = (".baa-lint.yaml", ".baa-lint.yml", "pyproject.toml")


@dataclass(frozen=True)
class Scope:
    directories: frozenset[str]
    files: frozenset[str]
    everything: bool = False

    def covers(self, path: str) -> bool:
        if self.everything:
            return True
        # Strings, not Path objects: every finding and every piece of evidence asks.
        absolute = os.path.abspath(path)
        return absolute in self.files or os.path.dirname(absolute) in self.directories  # noqa: PTH120


def scope_of(changed: Iterable[str]) -> Scope:
    directories: set[str] = set()
    files: set[str] = set()
    everything = False
    for path in changed:
        absolute = os.path.abspath(path)
        name = os.path.basename(absolute).lower()  # noqa: PTH119
        if name in CONFIG_NAMES:
            everything = True
        elif name.endswith(TERRAFORM_SUFFIXES):
            directories.add(os.path.dirname(absolute))  # noqa: PTH120
        else:
            files.add(absolute)
    return Scope(frozenset(directories), frozenset(files), everything)


def affected(finding: Finding, scope: Scope | _Covered) -> bool:
    if scope.covers(finding.location.path):
        return True
    return any(scope.covers(item.location.path) for item in finding.evidence)


class _Covered:
    """A scope's answers, remembered by path: a repository's findings and their evidence name
    the same few thousand files over and over."""

    def __init__(self, scope: Scope) -> None:
        self._scope = scope
        self._answers: dict[str, bool] = {}

    def covers(self, path: str) -> bool:
        answer = self._answers.get(path)
        if answer is None:
            answer = self._answers[path] = self._scope.covers(path)
        return answer


def focus(
    findings: Sequence[Finding], suppressed: Sequence[SuppressedFinding], changed: Sequence[str]
) -> tuple[tuple[Finding, ...], tuple[SuppressedFinding, ...]]:
    """The findings (active and suppressed) that the changed files can affect."""
    scope = _Covered(scope_of(changed))
    return (
        tuple(f for f in findings if affected(f, scope)),
        tuple(s for s in suppressed if affected(s.finding, scope)),
    )
