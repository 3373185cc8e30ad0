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
from pathlib import Path

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
        absolute = Path(os.path.abspath(path))
        return str(absolute) in self.files or str(absolute.parent) in self.directories


def scope_of(changed: Iterable[str]) -> Scope:
    directories: set[str] = set()
    files: set[str] = set()
    everything = False
    for path in changed:
        absolute = Path(os.path.abspath(path))
        name = absolute.name.lower()
        if name in CONFIG_NAMES:
            everything = True
        elif name.endswith(TERRAFORM_SUFFIXES):
            directories.add(str(absolute.parent))
        else:
            files.add(str(absolute))
    return Scope(frozenset(directories), frozenset(files), everything)


def affected(finding: Finding, scope: Scope) -> bool:
    if scope.covers(finding.location.path):
        return True
    return any(scope.covers(item.location.path) for item in finding.evidence)


def focus(
    findings: Sequence[Finding], suppressed: Sequence[SuppressedFinding], changed: Sequence[str]
) -> tuple[tuple[Finding, ...], tuple[SuppressedFinding, ...]]:
    """The findings (active and suppressed) that the changed files can affect."""
    scope = scope_of(changed)
    return (
        tuple(f for f in findings if affected(f, scope)),
        tuple(s for s in suppressed if affected(s.finding, scope)),
    )
