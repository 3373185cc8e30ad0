"""What every output format may be asked for, beside the Result."""

from __future__ import annotations

from dataclasses import dataclass

from linter.core.findings import Severity


@dataclass(frozen=True)
class FormatOptions:
    color: bool = False
    quiet: bool = False
    statistics: bool = False
    # What fails the run (--fail-on): outputs that mark failures (JUnit) follow the exit code.
    fail_on: Severity = Severity.WARNING
