"""Helpers for the hostile-input tests: run the real command line in-process, read its JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from linter.cli import cli

# A YAML organization with one finding at a known place: BAA001 at 8:14 (the model), with the
# ZDR setting at 5:22 as evidence.
ZDR_YAML = (
    "apiVersion: baa-lint/v1\n"
    "kind: Organization\n"
    "name: acme\n"
    "baa_signed: true\n"
    "zero_data_retention: true\n"
    "workspaces:\n"
    "  - name: a\n"
    "    models: [claude-fable-5]\n"
)
ZDR_YAML_FINDING = "BAA001 8:14"

# The same in Terraform: BAA001 at 11:22 (the model in the workspace block).
ZDR_TF = (
    'resource "anthropic_organization" "org" {\n'
    '  name                = "acme-tf"\n'
    '  type                = "api"\n'
    "  baa_signed          = true\n"
    "  zero_data_retention = true\n"
    "}\n"
    "\n"
    'resource "anthropic_workspace" "ws" {\n'
    '  name            = "ws"\n'
    "  organization_id = anthropic_organization.org.id\n"
    '  models          = ["claude-fable-5"]\n'
    "}\n"
)
ZDR_TF_FINDING = "BAA001 11:22"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def findings(self) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = json.loads(self.stdout)["findings"]
        return data

    def keys(self, path: str | None = None) -> list[str]:
        """'CODE line:col' of every finding (in ``path`` only, when given)."""
        return [
            f"{f['rule']} {f['line']}:{f['column']}"
            for f in self.findings
            if path is None or f["path"] == path
        ]

    def messages(self, path: str) -> list[str]:
        return [
            f"{f['rule']} {f['line']}:{f['column']} {f['message']}"
            for f in self.findings
            if f["path"] == path
        ]


def lint_json(*args: str) -> Run:
    """``baa-lint check --format json ARGS`` in-process; never lets an exception through."""
    result = CliRunner().invoke(cli, ["check", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return Run(result.exit_code, result.stdout, result.stderr)


def write_bytes(root: Path, files: Mapping[str, bytes | str]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="")
        else:
            path.write_bytes(data)


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "properties: hypothesis tests over damaged examples")
    config.addinivalue_line("markers", "fuzz_smoke: the fuzz harnesses over their seed corpus")
