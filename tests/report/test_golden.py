"""The posture report, byte for byte, on the golden tree (markdown, HTML, JSON).

Regenerate the golden files with ``python -m tests.report.update_golden``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.report import GOLDEN_FILES, GOLDEN_TREE, golden_output, golden_path

FORMATS = sorted(GOLDEN_FILES)


@pytest.mark.parametrize("name", FORMATS)
def test_output_matches_golden_file(name: str, tmp_path: Path) -> None:
    expected = golden_path(name).read_text(encoding="utf-8")
    hint = f"{name} report changed; if on purpose: python -m tests.report.update_golden {name}"
    assert golden_output(name, tmp_path) == expected, hint


@pytest.mark.parametrize("name", FORMATS)
def test_output_is_deterministic(name: str, tmp_path: Path) -> None:
    first = golden_output(name, tmp_path / "one")
    assert golden_output(name, tmp_path / "two") == first


@pytest.mark.parametrize("name", FORMATS)
def test_output_holds_no_absolute_path_and_no_real_version(name: str, tmp_path: Path) -> None:
    from linter import __version__

    text = golden_output(name, tmp_path)
    assert str(tmp_path.resolve()) not in text
    assert f"baa-lint {__version__}" not in text
    assert "VERSION" in text


def test_golden_tree_covers_what_the_report_must_show(tmp_path: Path) -> None:
    # Guards the golden files against a tree that silently stops exercising the report.
    doc = json.loads(golden_output("json", tmp_path))
    findings = [f for o in doc["organizations"] for f in o["findings"]]
    findings += [f for o in doc["organizations"] for d in o["declarations"] for f in d["findings"]]
    findings += doc["unattached_findings"]
    assert {f["severity"] for f in findings} == {"error", "warning", "info"}
    assert any(f["evidence"] for f in findings)
    assert any(o["findings"] for o in doc["organizations"])  # an organization-level finding
    assert doc["unattached_findings"]
    assert [s["justification"] for s in doc["suppressed"]] == [
        "retiring in Q1; tracked in COMP-142"
    ]
    configurations = [c for o in doc["organizations"] for c in o["configurations"]]
    assert any(c["baa_eligible"] is None for c in configurations)
    assert doc["summary"]["phi_not_eligible"]
    assert {c["status"] for c in doc["controls"]} == {"PASS", "FAIL"}
    assert any("<script>" in name for name in (c["name"] for c in configurations))
    assert "infra/clinical.yaml" in GOLDEN_TREE
