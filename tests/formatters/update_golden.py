"""Regenerate the golden files of the CI formats (SARIF, GitHub, JUnit, GitLab, markdown).

Run from the repository root, after a deliberate change to a format:

    python -m tests.formatters.update_golden            # every format
    python -m tests.formatters.update_golden sarif      # only the named ones

Each format lints ``GOLDEN_TREE`` (tests/formatters/__init__.py) in a fresh temporary directory,
swaps the SRCROOT URI and the baa-lint version for placeholders, and writes
``tests/formatters/golden/<file>``. Review the diff before committing: the golden tests compare
byte for byte, so whatever is written here becomes the expected output.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.formatters import GOLDEN_DIR, GOLDEN_FILES, golden_output, golden_path


def update(names: list[str]) -> list[Path]:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            text = golden_output(name, Path(tmp))
        path = golden_path(name)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    names = argv or sorted(GOLDEN_FILES)
    unknown = [n for n in names if n not in GOLDEN_FILES]
    if unknown:
        print(f"unknown format(s): {', '.join(unknown)}; known: {', '.join(GOLDEN_FILES)}")
        return 2
    for path in update(names):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
