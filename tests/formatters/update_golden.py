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

from tests import golden
from tests.formatters import GOLDEN_FILES, golden_output, golden_path

if __name__ == "__main__":
    sys.exit(golden.main(sys.argv[1:], GOLDEN_FILES, golden_output, golden_path))
