"""Regenerating golden files: one command-line entry shared by every set of golden files.

``python -m tests.formatters.update_golden`` and ``python -m tests.report.update_golden`` both
call :func:`main` with their own golden files and renderer.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path


def main(
    argv: list[str],
    golden_files: Mapping[str, str],
    golden_output: Callable[[str, Path], str],
    golden_path: Callable[[str], Path],
) -> int:
    """Write the golden file of each format named in ``argv`` (all when none); exit status."""
    names = argv or sorted(golden_files)
    unknown = [n for n in names if n not in golden_files]
    if unknown:
        print(f"unknown format(s): {', '.join(unknown)}; known: {', '.join(golden_files)}")
        return 2
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            text = golden_output(name, Path(tmp))
        path = golden_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    return 0
