"""Data flows one way: each folder of linter/ is a stage and imports only stages below it.

The import graph is read from the source (every import, including the ones inside functions),
so these tests hold for the whole graph, not just for what a module imports at the top:
- every import goes to the same stage or a lower one, and there are no circles;
- outputs import only the Result and the core, and what they load never reaches a parser;
- the rule runner names no rule; parser shapes never pass the normalizer.
"""

from __future__ import annotations

import ast
import dataclasses
from functools import cache
from pathlib import Path

import pytest

from linter.lint import lint

PACKAGE = Path(__file__).resolve().parent.parent / "linter"
PARSER_LIBRARIES = ("ruamel", "tree_sitter", "tree_sitter_hcl", "hcl2", "lark", "jsonschema")

# The stages, lowest first. A module belongs to the stage named by its first part below
# linter/ (linter.rules.runner -> rules); the package face, the CLI and the Language Server
# stand on top.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("policy",),
    ("inputs",),
    ("terraform",),
    ("normalize",),
    ("settings",),
    ("rules",),
    ("filters",),
    ("result",),
    ("fixes",),
    ("output",),
    ("lint",),
    ("cli", "server", "__main__", "__init__"),
)
RANK = {stage: rank for rank, stages in enumerate(LAYERS) for stage in stages}
# What an output module may import directly, besides other output modules.
OUTPUT_MAY_IMPORT = ("linter.result", "linter.core")
# Modules that never hold a parser's shapes: nothing they load may import a parser library.
DOWNSTREAM_PACKAGES = (
    "linter.rules",
    "linter.filters",
    "linter.result",
    "linter.fixes",
    "linter.output",
)
RULE_MODULES = ("coverage", "declarations", "organization", "registry")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _resolve(module: str, name: str) -> str:
    """``from module import name``: the submodule when ``name`` is one, else the module."""
    candidate = f"{module}.{name}"
    return candidate if candidate in MODULES else module


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node that runs: imports under ``if TYPE_CHECKING:`` load nothing."""
    nodes: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        nodes.append(node)
        for child in ast.iter_child_nodes(node):
            guarded = isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            if not guarded:
                todo.append(child)
    return nodes


@cache
def imports_of(module: str) -> frozenset[str]:
    """Every module this one imports (linter modules resolved, others by top-level name)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "linter":
                found.update(_resolve(node.module, alias.name) for alias in node.names)
            else:
                found.add(node.module)
    return frozenset(found)


def linter_imports(module: str) -> set[str]:
    return {m for m in imports_of(module) if m in MODULES and m != module}


@cache
def closure(module: str) -> frozenset[str]:
    """Every module loaded by importing ``module`` (packages on the way included)."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current not in MODULES:
            continue  # another library: its own imports are not ours to check
        for imported in imports_of(current):
            parts = imported.split(".")
            # importing a.b.c loads a and a.b first
            todo.extend(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return frozenset(seen)


def edges() -> list[tuple[str, str]]:
    return [(m, t) for m in MODULES for t in sorted(linter_imports(m))]


def test_every_module_is_in_a_stage() -> None:
    assert {stage(m) for m in MODULES} <= set(RANK)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_only_to_the_same_stage_or_below(module: str) -> None:
    upward = [t for t in linter_imports(module) if RANK[stage(t)] > RANK[stage(module)]]
    assert upward == [], f"{module} imports from a stage above it"


def test_no_import_circles() -> None:
    graph = {m: linter_imports(m) for m in MODULES}
    # A package's __init__ that imports nothing of its own does not make a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert circles == [], "\n".join(" <-> ".join(c) for c in circles)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if stage(m) == "output"))
def test_outputs_import_only_the_result_and_the_core(module: str) -> None:
    allowed = (*OUTPUT_MAY_IMPORT, "linter.output")
    others = sorted(
        t
        for t in linter_imports(module)
        if t != "linter" and not any(t == a or t.startswith(a + ".") for a in allowed)
    )
    assert others == [], f"{module} reaches past the Result"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if stage(m) == "output"))
def test_loading_an_output_never_loads_the_pipeline_or_a_parser(module: str) -> None:
    loaded = closure(module)
    forbidden = ("linter.lint", "linter.inputs", "linter.terraform", "linter.settings")
    assert sorted(m for m in loaded if m.startswith(forbidden)) == []
    assert sorted(m for m in loaded if m.split(".")[0] in PARSER_LIBRARIES) == []


def test_the_runner_names_no_rule() -> None:
    runner = closure("linter.rules.runner")
    named = sorted(m for m in runner if m.split(".")[-1] in RULE_MODULES)
    assert named == []
    source = MODULES["linter.rules.runner"].read_text(encoding="utf-8")
    assert "BAA" not in source


def test_the_pipeline_names_no_rule() -> None:
    source = MODULES["linter.lint"].read_text(encoding="utf-8")
    assert "BAA" not in source
    assert not {f"linter.rules.{m}" for m in RULE_MODULES if m != "registry"} & linter_imports(
        "linter.lint"
    )


@pytest.mark.parametrize(
    "module", sorted(m for m in MODULES if m.startswith(DOWNSTREAM_PACKAGES)), ids=str
)
def test_downstream_modules_never_load_parser_libraries(module: str) -> None:
    leaks = {m for m in closure(module) if m.split(".")[0] in PARSER_LIBRARIES}
    assert leaks == set()


def test_rules_do_not_import_parsers_or_front_ends() -> None:
    for module in (m for m in MODULES if stage(m) == "rules"):
        reached = closure(module)
        assert not {
            m
            for m in reached
            if m.startswith(("linter.inputs", "linter.terraform", "linter.normalize.builder"))
        }, module


def test_the_terraform_front_end_never_sees_the_settings() -> None:
    for module in (m for m in MODULES if stage(m) == "terraform"):
        assert not {m for m in closure(module) if m.startswith("linter.settings")}, module


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


SERVER_LIBRARIES = ("pygls", "lsprotocol")


def test_only_the_language_server_imports_its_libraries() -> None:
    """Every lint from the command line would pay for loading them (~0.3 s)."""
    users = sorted(
        m
        for m in MODULES
        if stage(m) != "server" and any(i.split(".")[0] in SERVER_LIBRARIES for i in imports_of(m))
    )
    assert users == []
