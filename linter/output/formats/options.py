"""What every output format may be asked for, beside the Result."""

from __future__ import annotations

from dataclasses import dataclass

from linter.core.findings import Severity

# How the text format shows each finding (--output-format, `output-format` in the config file):
# full adds the source line with the offending value marked, concise is the finding's line only.
FULL = "full"
STANDARD = "standard"
CONCISE = "concise"
OUTPUT_FORMATS = (FULL, STANDARD, CONCISE)


@dataclass(frozen=True)
class FormatOptions:
    color: bool = False
    quiet: bool = False  # no summary line
    statistics: bool = False
    # What fails the run (--fail-on): outputs that mark failures (JUnit) follow the exit code.
    fail_on: Severity = Severity.WARNING
    output_format: str = STANDARD
