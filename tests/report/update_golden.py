"""Regenerate the golden files of the posture report (markdown, HTML, JSON).

Run from the repository root, after a deliberate change to the report:

    python -m tests.report.update_golden              # every format
    python -m tests.report.update_golden html         # only the named ones

Each format renders ``GOLDEN_TREE`` (tests/report/__init__.py), linted in a fresh temporary
directory, with the version as a placeholder, into ``tests/report/golden/<file>``. Review the
diff before committing: the golden tests compare byte for byte.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.report import GOLDEN_DIR, GOLDEN_FILES, golden_output, golden_path


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
