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

from tests import golden
from tests.report import GOLDEN_FILES, golden_output, golden_path

if __name__ == "__main__":
    sys.exit(golden.main(sys.argv[1:], GOLDEN_FILES, golden_output, golden_path))
