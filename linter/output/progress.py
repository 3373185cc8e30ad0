"""A progress line on stderr for long interactive runs; silent everywhere else."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

DELAY = 0.5  # seconds before the line appears: quick runs never show it


class ProgressLine:
    """Shows "parsing 120/340 Terraform files" on a terminal, redrawn at most 10 times a second."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False

    @staticmethod
    def wanted(stream: TextIO, formats: list[str], quiet: bool) -> bool:
        """Only a person watching a terminal wants it: never in CI, machine formats or -q."""
        if quiet or any(name != "text" for name in formats) or os.environ.get("CI"):
            return False
        return stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < DELAY or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        self.shown = True
        self.stream.write(f"\r\x1b[2Kbaa-lint: parsing {done}/{total} Terraform files")
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
