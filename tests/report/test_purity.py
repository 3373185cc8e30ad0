"""The report modules are pure: no parser libraries, no file system, no clock, no randomness."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent.parent / "linter" / "output" / "report"
MODULES = sorted(PACKAGE.glob("*.py"))
FORBIDDEN_IMPORTS = {
    "ruamel",
    "tree_sitter",
    "tree_sitter_hcl",
    "hcl2",
    "lark",
    "jsonschema",
    "os",
    "pathlib",
    "shutil",
    "subprocess",
    "io",
    "tempfile",
    "time",
    "datetime",
    "random",
    "uuid",
    "socket",
    "urllib",
}
FORBIDDEN_CALLS = {"open", "print", "input", "eval", "exec"}


def imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def calls(tree: ast.AST) -> set[str]:
    return {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


def test_the_report_package_has_its_modules() -> None:
    assert {p.name for p in MODULES} >= {
        "__init__.py",
        "model.py",
        "markdown.py",
        "html.py",
        "json_report.py",
    }


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert imports(tree) & FORBIDDEN_IMPORTS == set()
    assert calls(tree) & FORBIDDEN_CALLS == set()
