"""Any input terminates quickly, deterministically, with unknowns or diagnostics, never a crash."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.core.locations import Location
from linter.core.model import Unknown
from linter.terraform.eval.functions import FUNCTIONS
from linter.terraform.eval.graph import (
    MAX_INSTANCES,
    MAX_ROOT_INSTANCES,
    EvalOptions,
    evaluate_tree,
)
from linter.terraform.eval.values import EvalResult, Val
from linter.terraform.syntax import ast
from linter.terraform.syntax.hcl import parse_hcl
from tests.terraform.loaders import DirectoryLoader

ROOT = Path("/repo")
LOC = Location("main.tf", 1, 1)


class MemoryLoader:
    """Parsed files per directory, for tests that build syntax trees directly."""

    def __init__(self, files: Mapping[Path, list[ast.File]]) -> None:
        self.files = files
        self.calls: list[Path] = []

    def module_files(self, directory: Path) -> list[ast.File] | None:
        self.calls.append(directory)
        return self.files.get(directory)

    def tfvars(self, path: Path) -> ast.File | None:
        return None


def run_text(
    root: Path, files: Mapping[str, str], directories: tuple[str, ...] = (".",)
) -> EvalResult:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    loader = DirectoryLoader(root)
    return evaluate_tree([root / d for d in directories], loader, EvalOptions(repo_root=root))


def workspace_file(value: ast.Expr, extra: tuple[ast.Block, ...] = ()) -> ast.File:
    resource = ast.Block(
        "resource",
        ("anthropic_workspace", "ws"),
        ast.Body(attributes=(ast.Attribute("value", value, LOC, 1),)),
        LOC,
        1,
    )
    return ast.File("main.tf", ast.Body(blocks=(*extra, resource)))


def evaluate_value(value: ast.Expr, extra: tuple[ast.Block, ...] = ()) -> Val:
    loader = MemoryLoader({ROOT: [workspace_file(value, extra)]})
    result = evaluate_tree([ROOT], loader, EvalOptions(repo_root=ROOT))
    assert len(result.instances) == 1
    return result.instances[0].attributes["value"]


def test_extremely_deep_expression_becomes_unknown() -> None:
    expr: ast.Expr = ast.Literal(LOC, True)
    for _ in range(20_000):
        expr = ast.Unary(LOC, "!", expr)
    value = evaluate_value(expr)
    assert isinstance(value.v, Unknown)
    assert "cannot be evaluated" in value.v.reason


def test_very_long_chain_of_locals_terminates() -> None:
    attributes = [ast.Attribute("l0", ast.Literal(LOC, 1), LOC, 1)]
    for i in range(1, 3000):
        ref = ast.GetAttr(LOC, ast.Variable(LOC, "local"), f"l{i - 1}")
        attributes.append(ast.Attribute(f"l{i}", ref, LOC, 1))
    locals_block = ast.Block("locals", (), ast.Body(attributes=tuple(attributes)), LOC, 1)
    value = evaluate_value(ast.GetAttr(LOC, ast.Variable(LOC, "local"), "l2999"), (locals_block,))
    assert isinstance(value.v, Unknown)


def test_nested_huge_for_expressions_hit_the_budget(tmp_path: Path) -> None:
    files = {
        "main.tf": 'resource "anthropic_workspace" "ws" {\n'
        "  value = [for i in range(10000) : [for j in range(10000) : j]]\n"
        '  other = "fine"\n}\n'
    }
    result = run_text(tmp_path, files)
    value = result.instances[0].attributes["value"].v
    assert isinstance(value, Unknown)
    assert "budget" in value.reason or "too large" in value.reason


@pytest.mark.parametrize(
    ("count", "expanded"), [(MAX_INSTANCES, MAX_INSTANCES), (MAX_INSTANCES + 1, 1)]
)
def test_one_count_expands_up_to_its_limit(tmp_path: Path, count: int, expanded: int) -> None:
    """Up to MAX_INSTANCES per count or for_each; past it, one unresolved stand-in."""
    files = {"main.tf": f'resource "anthropic_workspace" "ws" {{\n  count = {count}\n}}\n'}
    result = run_text(tmp_path, files)
    assert len(result.instances) == expanded
    if expanded == 1:
        assert result.instances[0].address == "anthropic_workspace.ws[*]"


def test_instances_past_the_root_limit_are_not_expanded(tmp_path: Path) -> None:
    """Blocks of MAX_INSTANCES each, one more than MAX_ROOT_INSTANCES allows: the last is
    refused (BAA013 at its count), the others are all expanded."""
    blocks = MAX_ROOT_INSTANCES // MAX_INSTANCES + 1
    block = f'resource "anthropic_workspace" "w{{i}}" {{{{\n  count = {MAX_INSTANCES}\n}}}}\n'
    files = {"main.tf": "".join(block.format(i=i) for i in range(blocks))}
    result = run_text(tmp_path, files)
    assert len(result.instances) == MAX_ROOT_INSTANCES
    assert {i.address.split("[")[0] for i in result.instances} == {
        f"anthropic_workspace.w{i}" for i in range(blocks - 1)
    }
    [diagnostic] = result.diagnostics
    assert diagnostic.code.code == "BAA013"
    assert (diagnostic.location.line, diagnostic.location.column) == (3 * blocks - 1, 11)
    assert f"anthropic_workspace.w{blocks - 1} is not evaluated" in diagnostic.message


def test_pathological_regex_terminates(tmp_path: Path) -> None:
    files = {
        "main.tf": 'locals {\n  s = join("", [for i in range(5000) : "a"])\n}\n'
        'resource "anthropic_workspace" "ws" {\n'
        '  a = regexall("(a+)+$", "${local.s}b")\n'
        '  b = replace(local.s, "/(a|aa)*c/", "x")\n'
        '  c = regex("^(a*)*$", local.s)\n'
        '  d = regexall("a*a*a*a*a*b", local.s)\n'
        '  e = regex("a", local.s)\n}\n'
    }
    attributes = run_text(tmp_path, files).instances[0].attributes
    for name in "abcd":
        assert not attributes[name].known, name
    assert attributes["e"].v == "a"


def test_cycle_through_a_module_output_and_input(tmp_path: Path) -> None:
    files = {
        "main.tf": """module "loop" {
  source = "./loop"
  x      = module.loop.out
}
resource "anthropic_workspace" "ws" {
  name = module.loop.out
}
""",
        "loop/main.tf": 'variable "x" {}\noutput "out" {\n  value = var.x\n}\n',
    }
    result = run_text(tmp_path, files)
    assert not result.instances[0].attributes["name"].known
    assert [d.message for d in result.diagnostics] == [
        "cycle in references: module.loop.var.x → module.loop.out → module.loop.var.x"
    ]


def test_count_that_refers_to_itself(tmp_path: Path) -> None:
    files = {
        "main.tf": 'resource "anthropic_workspace" "ws" {\n'
        '  count = length(anthropic_workspace.ws)\n  name = "x"\n}\n'
    }
    result = run_text(tmp_path, files)
    assert [i.address for i in result.instances] == ["anthropic_workspace.ws[*]"]
    assert len(result.diagnostics) == 1
    assert result.diagnostics[0].message.startswith("cycle in references")


def test_realistic_aws_tree_yields_nothing_quickly() -> None:
    module_text = """
variable "name" {}
variable "cidr" { default = "10.0.0.0/16" }
locals {
  tags = merge(var.tags_default, { Name = var.name })
  subnets = [for i in range(4) : cidrsubnet(var.cidr, 8, i)]
}
variable "tags_default" { default = { team = "infra" } }
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = local.tags
}
resource "aws_subnet" "this" {
  count      = length(local.subnets)
  vpc_id     = aws_vpc.this.id
  cidr_block = local.subnets[count.index]
}
output "vpc_id" { value = aws_vpc.this.id }
"""
    root_text = "".join(
        f'module "vpc_{i}" {{\n  source = "./modules/vpc"\n  name = "vpc-{i}"\n}}\n'
        for i in range(50)
    ) + "".join(
        f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "bucket-${{var.env}}-{i}"\n}}\n'
        for i in range(200)
    )
    module_file = parse_hcl(module_text, "modules/vpc/main.tf")
    root_file = parse_hcl(root_text.replace("./modules", "../modules"), "env/main.tf")
    files: dict[Path, list[ast.File]] = {ROOT / "modules" / "vpc": [module_file]}
    directories = [ROOT / f"env{i}" for i in range(40)]
    for directory in directories:
        files[directory] = [root_file]
    loader = MemoryLoader(files)
    result = evaluate_tree(directories, loader, EvalOptions(repo_root=ROOT))
    assert result.instances == () and result.diagnostics == ()
    # Each directory is read once, however many roots call it.
    assert len(loader.calls) == len(set(loader.calls))


def test_results_are_deterministic(tmp_path: Path) -> None:
    files = {
        "b/main.tf": 'resource "anthropic_workspace" "w" {\n  for_each = toset(["y", "x"])\n'
        "  name = each.key\n  tags = { z = 1, a = 2 }\n}\n",
        "a/main.tf": 'resource "anthropic_workspace" "w" {\n  count = 2\n  name = "a"\n}\n'
        'resource "anthropic_workspace" "v" {\n  name = local.missing\n}\n',
    }
    first = run_text(tmp_path, files, ("b", "a"))
    second = run_text(tmp_path, {}, ("a", "b", "a"))
    assert first == second
    assert [(i.path, i.address) for i in first.instances] == [
        ("a/main.tf", "anthropic_workspace.w[0]"),
        ("a/main.tf", "anthropic_workspace.w[1]"),
        ("a/main.tf", "anthropic_workspace.v"),
        ("b/main.tf", 'anthropic_workspace.w["x"]'),
        ("b/main.tf", 'anthropic_workspace.w["y"]'),
    ]


# --- random syntax trees ------------------------------------------------------------------------

NAMES = [
    "var",
    "local",
    "each",
    "count",
    "path",
    "module",
    "data",
    "self",
    "x",
    "anthropic_workspace",
]
ATTRS = ["a", "b", "ws", "id", "key", "value", "index", "module", "x", "out"]
FUNCTION_NAMES = [*sorted(FUNCTIONS), "try", "can", "file", "nope"]

literals = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=8),
).map(lambda v: ast.Literal(LOC, v))
leaves = st.one_of(
    literals,
    st.sampled_from(NAMES).map(lambda n: ast.Variable(LOC, n)),
    st.just(ast.SplatItem(LOC)),
)


def _extend(children: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
    ops = st.sampled_from(["||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"])
    items = st.lists(children, max_size=4).map(tuple)
    return st.one_of(
        st.builds(lambda t, n: ast.GetAttr(LOC, t, n), children, st.sampled_from(ATTRS)),
        st.builds(lambda t, k: ast.Index(LOC, t, k), children, children),
        st.builds(lambda o, a, b: ast.Binary(LOC, o, a, b), ops, children, children),
        st.builds(lambda o, a: ast.Unary(LOC, o, a), st.sampled_from(["!", "-"]), children),
        st.builds(lambda c, a, b: ast.Conditional(LOC, c, a, b), children, children, children),
        st.builds(lambda xs: ast.TupleExpr(LOC, xs), items),
        st.builds(
            lambda kv: ast.ObjectExpr(LOC, tuple(ast.ObjectItem(k, v, LOC) for k, v in kv)),
            st.lists(st.tuples(children, children), max_size=3),
        ),
        st.builds(lambda n, xs: ast.Call(LOC, n, xs), st.sampled_from(FUNCTION_NAMES), items),
        st.builds(lambda t, e: ast.Splat(LOC, t, e), children, children),
        st.builds(lambda xs: ast.Template(LOC, xs), items),
        st.builds(
            lambda c, v, k, cond, g: ast.ForExpr(LOC, "k", "x", c, k, v, cond, g),
            children,
            children,
            st.one_of(st.none(), children),
            st.one_of(st.none(), children),
            st.booleans(),
        ),
    )


expressions = st.recursive(leaves, _extend, max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(expressions, min_size=1, max_size=3), expressions)
def test_random_expressions_never_raise(local_values: list[ast.Expr], value: ast.Expr) -> None:
    names = ["a", "b", "x"]
    attributes = tuple(
        ast.Attribute(n, e, LOC, 1) for n, e in zip(names, local_values, strict=False)
    )
    locals_block = ast.Block("locals", (), ast.Body(attributes=attributes), LOC, 1)
    module_call = ast.Block(
        "module",
        ("module",),
        ast.Body(attributes=(ast.Attribute("source", ast.Literal(LOC, "./"), LOC, 1),)),
        LOC,
        1,
    )
    result = evaluate_value(value, (locals_block, module_call))
    assert isinstance(result, Val)
