"""Shared fixtures for the posture-report tests: the golden tree and how it is rendered.

The golden files under ``golden/`` are regenerated with ``python -m tests.report.update_golden``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from linter.output.report import build_report, renderers
from linter.output.report.model import Report
from linter.result import Result
from tests.conftest import lint_here as lint_here
from tests.conftest import working_directory as working_directory
from tests.conftest import write_tree as write_tree

HERE = Path(__file__).parent
GOLDEN_DIR = HERE / "golden"
SCHEMA = HERE.parent.parent / "schemas" / "report.schema.json"
TODAY = dt.date(2026, 11, 24)

# The type of the ``run`` fixture in tests/conftest.py: run(files, paths=None, **config) -> Result.
Run = Callable[..., Result]

GOLDEN_FILES = {"markdown": "report.md", "html": "report.html", "json": "report.json"}

# The version and the date are placeholders, so the golden files survive a release; the paths
# are relative to the temporary directory the tree is written into.
VERSION_PLACEHOLDER = "<VERSION>"
GENERATED = "2026-11-24 (fixed for the golden files)"
GOLDEN_PATHS = ("infra", "terraform")

# Four organizations and an unlinked workspace, giving: an error with evidence (BAA006, PHI on
# a configuration that is not BAA-eligible: the headline risk), an organization-level error
# (BAA003), warnings (BAA012 unknown model, BAA013 unresolved value, BAA015 unlinked workspace,
# BAA902 suppression problem), an info (BAA016), a suppressed BAA001 with its justification, a
# configuration whose eligibility is unknown (a Terraform variable without a value drives its
# retention), a clean non-eligible configuration (Cowork without PHI), and names with
# markdown/HTML-special characters.
GOLDEN_TREE: dict[str, str] = {
    "infra/clinical.yaml": """\
apiVersion: baa-lint/v1
kind: Organization
name: acme-clinical
type: api
baa_signed: true
hipaa_ready: true
workspaces:
  - name: discharge-summaries
    phi: true
    models: [claude-fable-5]
  - name: "notes <script>alert(1)<script> & R|D"
    models: [claude-sonet-4-5]
  - name: batch-zdr
    data_retention: zdr
    models: [claude-haiku-4-5]
""",
    "infra/research.yaml": """\
apiVersion: baa-lint/v1
kind: Organization
name: acme-research
type: api
baa_signed: true
zero_data_retention: true
workspaces:
  - name: cohort-analysis
    phi: true
    models: [claude-haiku-4-5]
  - name: frontier-evals
    data_retention: standard
    phi: true
    models: [claude-fable-5]
  - name: legacy-batch
    # baa-lint: ignore[BAA001] retiring in Q1; tracked in COMP-142
    models: [claude-fable-5]
  - name: scratch
    # baa-lint: ignore[BAA999] a code that does not exist
    models: [claude-haiku-4-5]
---
apiVersion: baa-lint/v1
kind: Workspace
name: orphan
organization: acme-reserch
phi: true
""",
    "infra/enterprise.yaml": """\
apiVersion: baa-lint/v1
kind: Organization
name: acme-enterprise
type: enterprise
baa_signed: true
hipaa_ready: true
products:
  - product: chat
    phi: true
    models: [claude-fable-5]
  - product: cowork
    phi: false
""",
    "terraform/main.tf": """\
variable "retention" {
  type        = string
  description = "Set by the deploy pipeline"
}

resource "anthropic_organization" "platform" {
  name       = "acme-platform"
  baa_signed = true
}

resource "anthropic_workspace" "research" {
  name            = "research"
  organization_id = anthropic_organization.platform.id
  data_retention  = var.retention
  tags = {
    models = "claude-fable-5"
  }
}
""",
}

# Only the rules the tree exercises, plus two that pass, so that editing an unrelated rule's
# summary does not churn the golden files (the controls view lists every selected rule).
GOLDEN_RULES = (
    "BAA001",
    "BAA002",
    "BAA003",
    "BAA006",
    "BAA012",
    "BAA013",
    "BAA015",
    "BAA016",
    "BAA900",
    "BAA901",
    "BAA902",
)


def golden_report(root: Path) -> Report:
    """Write the golden tree into ``root`` (an empty directory), lint it there, build the report."""
    root = root.resolve()
    write_tree(root, GOLDEN_TREE)
    with working_directory(root):
        result = lint_here(GOLDEN_PATHS, select=GOLDEN_RULES)
    return build_report(result, GOLDEN_PATHS, VERSION_PLACEHOLDER, GENERATED)


def golden_output(name: str, root: Path) -> str:
    return renderers()[name](golden_report(root))


def golden_path(name: str) -> Path:
    return GOLDEN_DIR / GOLDEN_FILES[name]


def load_json_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return data
