"""Every rule's behaviour, from data: tests/cases/<CODE>.yaml.

Each case lists files and the COMPLETE list of active findings expected (code and
path:line:col), so a missing finding and an extra one (a false alarm) both fail. Every rule
must have at least one firing case, one clean neighbour and one suppression case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from linter.rules.registry import RULES

from .conftest import finding_keys

CASES_DIR = Path(__file__).parent / "cases"
KINDS = ("fires", "clean", "suppressed")


def _load() -> list[tuple[str, dict[str, Any]]]:
    yaml = YAML(typ="safe", pure=True)
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            cases.append((data["rule"], case))
    return cases


CASES = _load()


@pytest.mark.parametrize(
    ("rule", "case"), CASES, ids=[f"{rule}-{case['kind']}-{case['name']}" for rule, case in CASES]
)
def test_case(rule: str, case: dict[str, Any], run: Any) -> None:
    assert case["kind"] in KINDS
    result = run(case["files"], **case.get("config", {}))
    assert finding_keys(result) == case.get("expect", [])
    suppressed = [f"{s.finding.rule} {s.finding.location}" for s in result.suppressed]
    assert suppressed == case.get("suppressed", [])
    if case["kind"] == "fires":
        assert any(key.startswith(rule + " ") for key in case["expect"])
    if case["kind"] == "clean":
        assert not any(key.startswith(rule + " ") for key in case.get("expect", []))
    for fragment in case.get("messages", []):
        assert any(fragment in f.message for f in result.findings), fragment


def test_every_rule_has_a_firing_clean_and_suppressed_case() -> None:
    kinds: dict[str, set[str]] = {}
    for rule, case in CASES:
        kinds.setdefault(rule, set()).add(case["kind"])
    missing = {r.code: sorted(set(KINDS) - kinds.get(r.code, set())) for r in RULES}
    assert {code: gap for code, gap in missing.items() if gap} == {}
