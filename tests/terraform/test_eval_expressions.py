"""Expressions: templates, operators, conditionals, for, splat, references, locals, unknowns."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.core.locations import Location
from linter.core.model import Origin, Unknown
from linter.terraform.eval.graph import EvalOptions, evaluate_tree
from linter.terraform.eval.values import EvalResult, Val
from tests.terraform.loaders import DirectoryLoader

UNKNOWN = "<unknown>"
ERROR = "<error>"

PRELUDE = """variable "nv" {}
variable "yes" {
  default = true
}
locals {
  objs = [{ id = "a", n = 1 }, { id = "b", n = 2 }]
  m    = { z = 1, a = 2 }
}
"""
VALUE_LINE = PRELUDE.count("\n") + 2


def run(root: Path, files: dict[str, str]) -> EvalResult:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return evaluate_tree([root], DirectoryLoader(root), EvalOptions(repo_root=root))


def value_of(root: Path, expression: str, extra: str = "") -> Val:
    text = PRELUDE + f'resource "anthropic_workspace" "ws" {{\n  value = {expression}\n}}\n'
    result = run(root, {"main.tf": text + extra})
    assert len(result.instances) == 1
    return result.instances[0].attributes["value"]


def plain(val: Val) -> object:
    if isinstance(val.v, Unknown):
        return ERROR if val.v.reason.startswith("cannot be evaluated") else UNKNOWN
    if isinstance(val.v, tuple):
        return [plain(item) for item in val.v]
    if isinstance(val.v, dict):
        return {key: plain(item) for key, item in val.v.items()}
    return val.v


CASES: list[tuple[str, object]] = [
    # templates
    ('"a-${1 + 1}-${true}-${1.5}-${4 / 2}"', "a-2-true-1.5-2"),
    ('"${local.m}"', {"z": 1, "a": 2}),
    ('"${local.m.a}"', 2),
    ('"x${local.m}"', ERROR),
    ('"x${null}"', ERROR),
    ('"v=${var.nv}"', UNKNOWN),
    ('"%{if var.yes}on%{else}off%{endif}"', "on"),
    ('"%{if !var.yes}on%{endif}!"', "!"),
    ('"%{for o in local.objs}${o.id},%{endfor}"', "a,b,"),
    ('"%{for k, v in local.m}${k}=${v} %{endfor}"', "a=2 z=1 "),
    ("<<EOT\nline ${local.m.z}\nEOT", "line 1\n"),
    # operators
    ("5 / 2", 2.5),
    ("7 % 3", 1),
    ("-7 % 3", -1),
    ("2 * 3 - 1", 5),
    ('"3" + 1', 4),
    ("1 / 0", ERROR),
    ('"a" + 1', ERROR),
    ("1 < 2", True),
    ("2 >= 3", False),
    ('1 == "1"', False),
    ("1 == 1.0", True),
    ("[1, 2] == [1, 2]", True),
    ("{ a = 1 } != { a = 2 }", True),
    ("null == null", True),
    ("var.nv == 1", UNKNOWN),
    ("!var.yes", False),
    ("-(3)", -3),
    ("!var.nv", UNKNOWN),
    # boolean logic decided anyway
    ("false && var.nv", False),
    ("var.nv && false", False),
    ("true || var.nv", True),
    ("var.nv || true", True),
    ("true && var.nv", UNKNOWN),
    ("false || var.nv", UNKNOWN),
    ('"true" && true', True),
    ("1 && true", ERROR),
    # conditionals
    ('var.yes ? "zdr" : "standard"', "zdr"),
    ('!var.yes ? "zdr" : "standard"', "standard"),
    ('var.nv ? "zdr" : "standard"', UNKNOWN),
    ('var.nv ? "same" : "same"', "same"),
    ('null ? "a" : "b"', ERROR),
    ('"false" ? "a" : "b"', "b"),
    # collections and access
    ('[1, var.nv, "x"]', [1, UNKNOWN, "x"]),
    ("{ a = var.nv, b = 1 }", {"a": UNKNOWN, "b": 1}),
    ("{ (var.nv) = 1 }", UNKNOWN),
    ('{ "a-b" = 1, ("c${1}") = 2 }', {"a-b": 1, "c1": 2}),
    ("{ a = 1, a = 2 }", ERROR),
    ('local.m["z"]', 1),
    ('local.m["nope"]', ERROR),
    ("local.m.nope", ERROR),
    ("local.objs[1].id", "b"),
    ('local.objs["1"].id', "b"),
    ("local.objs[5]", ERROR),
    ("local.objs.0.id", "a"),
    ("var.nv.anything[0]", UNKNOWN),
    ('toset(["a"])[0]', ERROR),
    ("null.x", ERROR),
    # for expressions
    ("[for o in local.objs : o.id]", ["a", "b"]),
    ("[for i, o in local.objs : i]", [0, 1]),
    ("[for o in local.objs : o.id if o.n > 1]", ["b"]),
    ("{ for o in local.objs : o.id => o.n }", {"a": 1, "b": 2}),
    ("[for k, v in local.m : k]", ["a", "z"]),
    ('{ for s in ["x", "y", "x"] : s => 1... }', {"x": [1, 1], "y": [1]}),
    ('{ for s in ["x", "x"] : s => 1 }', ERROR),
    ('[for s in toset(["b", "a"]) : upper(s)]', ["A", "B"]),
    ('[for k, v in toset(["b"]) : k]', ["b"]),
    ("[for x in var.nv : x]", UNKNOWN),
    ("[for o in local.objs : o.id if var.nv]", UNKNOWN),
    ("[for x in [1, var.nv] : x]", [1, UNKNOWN]),
    ('[for x in "abc" : x]', ERROR),
    # splat
    ("local.objs[*].id", ["a", "b"]),
    ("local.objs.*.n", [1, 2]),
    ("local.m[*]", [{"z": 1, "a": 2}]),
    ("null[*]", []),
    ("var.nv[*].id", UNKNOWN),
    # special references
    ("terraform.workspace", "default"),
    ("count.index", ERROR),
    ("each.key", ERROR),
    ("self.id", UNKNOWN),
    ("path.cwd == path.root", True),
]


@pytest.mark.parametrize(("expression", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expression(tmp_path: Path, expression: str, expected: object) -> None:
    assert plain(value_of(tmp_path, expression)) == expected


def test_single_interpolation_keeps_the_value_and_its_location(tmp_path: Path) -> None:
    value = value_of(tmp_path, '"${local.m}"')
    assert value.loc == Location("main.tf", 7, 10)
    assert value.chain == (Origin(Location("main.tf", 7, 3), "local.m"),)
    assert isinstance(value.v, dict)
    assert value.v["z"].loc == Location("main.tf", 7, 16)


def test_derived_value_unites_the_provenance_of_its_inputs(tmp_path: Path) -> None:
    value = value_of(tmp_path, '"${local.objs[0].id}-${var.yes}"')
    assert value.v == "a-true"
    assert value.loc == Location("main.tf", VALUE_LINE, 11)
    assert [o.note for o in value.chain] == ["local.objs", "var.yes default true"]


def test_unknown_condition_names_the_condition(tmp_path: Path) -> None:
    value = value_of(tmp_path, 'var.nv ? "a" : "b"')
    assert value.v == Unknown("var.nv", "variable has no value")


def test_conditional_result_remembers_the_condition(tmp_path: Path) -> None:
    value = value_of(tmp_path, 'var.yes ? "zdr" : "standard"')
    assert value.loc == Location("main.tf", VALUE_LINE, 21)
    assert [o.note for o in value.chain] == ["var.yes default true"]


def test_path_module(tmp_path: Path) -> None:
    """Relative to the root module, as Terraform shows it: never the runner's directory."""
    value = value_of(tmp_path, "path.module")
    assert value.v == "."


def test_error_names_the_failing_expression(tmp_path: Path) -> None:
    value = value_of(tmp_path, 'upper(local.m["nope"])')
    assert isinstance(value.v, Unknown)
    assert value.v.expression == 'local.m["nope"]'
    assert value.v.reason == 'cannot be evaluated: key "nope" not found'


# --- locals ----------------------------------------------------------------------------------


def test_locals_in_any_order_and_across_files(tmp_path: Path) -> None:
    files = {
        "a.tf": 'locals {\n  first = "${local.second}-1"\n}\n',
        "b.tf": 'locals {\n  second = upper(local.third)\n  third = "x"\n}\n',
        "main.tf": 'resource "anthropic_workspace" "ws" {\n  value = local.first\n}\n',
    }
    value = run(tmp_path, files).instances[0].attributes["value"]
    assert value.v == "X-1"
    assert [o.note for o in value.chain] == ["local.first", "local.second", "local.third"]


def test_locals_cycle_is_one_diagnostic_and_unknown(tmp_path: Path) -> None:
    files = {
        "main.tf": """locals {
  a = "${local.b}!"
  b = local.a
  c = local.a
}
resource "anthropic_workspace" "ws" {
  value = local.c
  other = local.b
}
"""
    }
    result = run(tmp_path, files)
    assert [(d.message, d.location) for d in result.diagnostics] == [
        ("cycle in locals: local.a → local.b → local.a", Location("main.tf", 2, 3))
    ]
    attributes = result.instances[0].attributes
    for name in ("value", "other"):
        value = attributes[name].v
        assert isinstance(value, Unknown)
        assert value.reason == "cycle in locals: a → b → a"


def test_self_referencing_local(tmp_path: Path) -> None:
    files = {
        "main.tf": "locals {\n  a = [local.a]\n}\n"
        'resource "anthropic_workspace" "ws" {\n  value = local.a\n}\n'
    }
    result = run(tmp_path, files)
    assert [d.message for d in result.diagnostics] == ["cycle in locals: local.a → local.a"]
    assert not result.instances[0].attributes["value"].known


def test_undeclared_local_is_diagnosed_once(tmp_path: Path) -> None:
    files = {
        "main.tf": 'resource "anthropic_workspace" "ws" {\n  value = local.nope\n'
        "  again = local.nope\n}\n"
    }
    result = run(tmp_path, files)
    assert [(d.message, d.location.line) for d in result.diagnostics] == [
        ("reference to undeclared local value local.nope", 2),
        ("reference to undeclared local value local.nope", 3),
    ]
    assert not result.instances[0].attributes["value"].known


def test_each_local_is_evaluated_once(tmp_path: Path) -> None:
    # 2**40 paths through these locals: without memoisation this would never finish.
    lines = ["locals {", "  l0 = 1"]
    lines += [f"  l{i} = local.l{i - 1} + local.l{i - 1} - local.l{i - 1}" for i in range(1, 41)]
    lines += ["}", 'resource "anthropic_workspace" "ws" {', "  value = local.l40", "}"]
    result = run(tmp_path, {"main.tf": "\n".join(lines) + "\n"})
    assert result.instances[0].attributes["value"].v == 1


def test_long_reference_chains_keep_a_bounded_provenance(tmp_path: Path) -> None:
    lines = ["locals {", '  l0 = "v"']
    lines += [f"  l{i} = local.l{i - 1}" for i in range(1, 30)]
    lines += ["}", 'resource "anthropic_workspace" "ws" {', "  value = local.l29", "}"]
    value = run(tmp_path, {"main.tf": "\n".join(lines) + "\n"}).instances[0].attributes["value"]
    assert value.v == "v"
    assert len(value.chain) <= 8
    assert value.chain[0].note == "local.l29"
    assert value.chain[-1].note == "local.l0"
