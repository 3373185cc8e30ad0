"""What every output format may be asked for, beside the Result."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormatOptions:
    color: bool = False
    quiet: bool = False
    statistics: bool = False
