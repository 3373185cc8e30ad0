"""Each CI format, byte for byte, on the golden tree.

Regenerate the golden files with ``python -m tests.formatters.update_golden``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.output.formats import FORMAT_NAMES, formatters
from tests.formatters import GOLDEN_FILES, golden_format, golden_output, golden_path

CI_FORMATS = sorted(GOLDEN_FILES)


@pytest.mark.parametrize("name", CI_FORMATS)
def test_output_matches_golden_file(name: str, tmp_path: Path) -> None:
    expected = golden_path(name).read_text(encoding="utf-8")
    hint = f"{name} output changed; if on purpose: python -m tests.formatters.update_golden {name}"
    assert golden_output(name, tmp_path) == expected, hint


@pytest.mark.parametrize("name", CI_FORMATS)
def test_output_is_deterministic(name: str, tmp_path: Path) -> None:
    first = golden_output(name, tmp_path / "one")
    assert golden_output(name, tmp_path / "two") == first


@pytest.mark.parametrize("name", CI_FORMATS)
def test_output_holds_no_absolute_path(name: str, tmp_path: Path) -> None:
    # No format names the directory it ran in, SARIF included (%SRCROOT% carries no uri).
    text = golden_output(name, tmp_path)
    assert str(tmp_path.resolve()) not in text
    assert str(tmp_path.resolve().as_posix()) not in text
    assert "file:" not in text


def test_every_ci_format_is_registered() -> None:
    registry = formatters()
    for name in CI_FORMATS:
        assert golden_format(name) in FORMAT_NAMES
        assert callable(registry[golden_format(name)])
    assert set(registry) == set(FORMAT_NAMES)
    assert {golden_format(name) for name in CI_FORMATS} == set(FORMAT_NAMES)


def test_golden_tree_covers_every_severity_evidence_and_a_suppression(
    tmp_path: Path,
) -> None:
    # Guards the golden files against a tree that silently stops exercising the formats.
    document = json.loads(golden_output("sarif", tmp_path))
    results = document["runs"][0]["results"]
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    assert any(r.get("relatedLocations") for r in results)
    assert sum("suppressions" in r for r in results) == 1
