"""Data flows one way, and parser shapes never pass the normalizer.

Rules, the engine, configurations, the model and formatters must not import parser libraries;
the model built from real inputs contains only our own types.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from linter.api import lint

PACKAGE = Path(__file__).resolve().parent.parent / "linter"
PARSER_LIBRARIES = ("ruamel", "hcl2", "lark", "jsonschema")
DOWNSTREAM = [
    *sorted((PACKAGE / "rules").glob("*.py")),
    *sorted((PACKAGE / "formatters").glob("*.py")),
    *sorted((PACKAGE / "report").glob("*.py")),
    PACKAGE / "engine.py",
    PACKAGE / "configurations.py",
    PACKAGE / "model.py",
    PACKAGE / "posture.py",
    PACKAGE / "findings.py",
    PACKAGE / "suppressions.py",
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", DOWNSTREAM, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_downstream_modules_do_not_import_parser_libraries(path: Path) -> None:
    leaks = {m for m in imported_modules(path) if m.split(".")[0] in PARSER_LIBRARIES}
    assert leaks == set()


def test_rules_do_not_import_parsers_or_normalizer() -> None:
    for path in (PACKAGE / "rules").glob("*.py"):
        modules = imported_modules(path)
        assert not {
            m
            for m in modules
            if m.startswith(("linter.parsers", "linter.normalize", "linter.terraform"))
        }


def _walk(value: object, seen: set[int]) -> list[type]:
    if id(value) in seen:
        return []
    seen.add(id(value))
    found = [type(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            found += _walk(getattr(value, field.name), seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            found += _walk(item, seen)
    elif isinstance(value, dict):
        for key, item in value.items():
            found += _walk(key, seen) + _walk(item, seen)
    return found


def test_model_and_findings_hold_only_our_types(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PACKAGE.parent)
    result = lint(["examples"])
    types = _walk((result.model, result.configurations, result.findings), set())
    foreign = {t for t in types if t.__module__.split(".")[0] in PARSER_LIBRARIES}
    assert foreign == set()
    assert result.findings  # the examples do produce findings, so the walk saw real data
