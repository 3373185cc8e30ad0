"""Shared fixtures for the CI-format tests: the golden tree, normalisation and golden paths.

The golden files under ``golden/`` are regenerated with ``python -m tests.formatters.update_golden``
(see that module).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from linter.output.formats import FormatOptions, formatters
from linter.result import Result
from tests.conftest import lint_here as lint_here
from tests.conftest import working_directory as working_directory
from tests.conftest import write_tree as write_tree

HERE = Path(__file__).parent
GOLDEN_DIR = HERE / "golden"
SARIF_SCHEMA = HERE / "sarif-schema-2.1.0.json"
TODAY = dt.date(2026, 11, 24)

# One golden file per format, and one per text style besides the default (standard).
GOLDEN_FILES = {
    "text": "text.txt",
    "text-full": "text-full.txt",
    "text-concise": "text-concise.txt",
    "json": "json.json",
    "sarif": "sarif.json",
    "github": "github.txt",
    "junit": "junit.xml",
    "gitlab": "gitlab.json",
    "markdown": "markdown.md",
}

# A small tree with an error that has evidence (BAA001), a warning (BAA012), an info (BAA016), a
# suppressed finding with a justification, and a message with markdown/XML-special characters.
GOLDEN_TREE: dict[str, str] = {
    "infra/org.yaml": """\
apiVersion: baa-lint/v1
kind: Organization
name: acme
zero_data_retention: true
workspaces:
  - name: "sum|maries <b>50% & co, ok"
    models: [claude-fable-5]
  - name: legacy
    # baa-lint: ignore[BAA001] migration tracked in MIG-8
    models: [claude-fable-5]
  - name: research
    models: [claude-fabel-5]
""",
    "ent.yaml": """\
apiVersion: baa-lint/v1
kind: Organization
name: acme-ent
type: enterprise
baa_signed: true
hipaa_ready: true
products:
  - product: chat
    phi: true
    models: [claude-fable-5]
""",
}

# The golden run selects only the rules the tree exercises, so that editing the explanation of
# an unrelated rule does not churn the SARIF golden file (which describes every selected rule).
GOLDEN_RULES = ("BAA001", "BAA012", "BAA016", "BAA902")

VERSION_PLACEHOLDER = "<VERSION>"
_DRIVER_VERSION = re.compile(r'("name": "baa-lint",\s*"version": )"[^"]*"')


# A golden file's name -> the format and the options it is rendered with.
GOLDEN_VARIANTS = {
    "text-full": ("text", FormatOptions(output_format="full")),
    "text-concise": ("text", FormatOptions(output_format="concise")),
}


def golden_format(name: str) -> str:
    """The output format a golden file shows (``text-full`` shows ``text``)."""
    return GOLDEN_VARIANTS[name][0] if name in GOLDEN_VARIANTS else name


def render(name: str, result: Result) -> str:
    fmt, options = GOLDEN_VARIANTS.get(name, (name, FormatOptions()))
    return formatters()[fmt](result, options)


def normalise(text: str, root: Path) -> str:
    """Swap what depends on the release for a placeholder (nothing depends on the machine)."""
    return _DRIVER_VERSION.sub(rf'\1"{VERSION_PLACEHOLDER}"', text)


_JSON_VERSION = re.compile(r'^(\{\n  "version": )"[^"]*"')


def golden_output(name: str, root: Path) -> str:
    """Write the golden tree into ``root`` (an empty directory), lint it there, render ``name``."""
    root = root.resolve()  # the working directory as the OS reports it (macOS: /private/var)
    write_tree(root, GOLDEN_TREE)
    with working_directory(root):
        text = normalise(render(name, lint_here(select=GOLDEN_RULES)), root)
    if name == "json":
        text = _JSON_VERSION.sub(rf'\1"{VERSION_PLACEHOLDER}"', text)
    return text


def golden_path(name: str) -> Path:
    return GOLDEN_DIR / GOLDEN_FILES[name]
