"""The function library, one row per behaviour: known results, unknowns, errors, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.core.model import Unknown
from linter.terraform.eval.graph import EvalOptions, evaluate_tree
from linter.terraform.eval.values import Val
from tests.terraform.loaders import DirectoryLoader

UNKNOWN = "<unknown>"  # the result is unknown (an input is unknown and it matters)
ERROR = "<error>"  # the call cannot be evaluated: an Unknown saying why
NOT_EVALUATED = "<not evaluated>"  # a function this linter never evaluates

PRELUDE = """
variable "nv" {}
locals {
  obj  = { a = 1, b = "two" }
  partial = { known = "k", missing = var.nv }
  list = ["a", "b", "c"]
}
"""


def evaluate_expression(root: Path, expression: str) -> Val:
    text = PRELUDE + f'resource "anthropic_workspace" "ws" {{\n  value = {expression}\n}}\n'
    (root / "main.tf").write_text(text, encoding="utf-8")
    result = evaluate_tree([root], DirectoryLoader(root), EvalOptions(repo_root=root))
    assert len(result.instances) == 1
    return result.instances[0].attributes["value"]


def plain(val: Val) -> object:
    if isinstance(val.v, Unknown):
        if val.v.reason.startswith("cannot be evaluated"):
            return ERROR
        if "is not evaluated" in val.v.reason:
            return NOT_EVALUATED
        return UNKNOWN
    if isinstance(val.v, tuple):
        return [plain(item) for item in val.v]
    if isinstance(val.v, dict):
        return {key: plain(item) for key, item in val.v.items()}
    return val.v


CASES: list[tuple[str, object]] = [
    # conversions
    ('toset(["b", "a", "b"])', ["a", "b"]),
    ('toset(["a", var.nv])', ["a", UNKNOWN]),
    ('tolist(toset(["b", "a"]))', ["a", "b"]),
    ('tolist(["a", 1, true])', ["a", "1", "true"]),
    ('tomap({ a = 1, b = "x" })', {"a": "1", "b": "x"}),
    ("tostring(12)", "12"),
    ("tostring(1.5)", "1.5"),
    ("tostring(null)", None),
    ("tostring([1])", ERROR),
    ('tobool("true")', True),
    ('tobool("yes")', ERROR),
    ('tonumber("42")', 42),
    ('tonumber("x")', ERROR),
    # maps
    ("merge({ a = 1 }, { b = 2 }, { a = 3 })", {"a": 3, "b": 2}),
    ("merge(local.partial, { x = 1 })", {"known": "k", "missing": UNKNOWN, "x": 1}),
    ("merge(var.nv, { x = 1 })", UNKNOWN),
    ("merge({ a = 1 }, null)", {"a": 1}),
    ("merge([1])", ERROR),
    ('lookup(local.obj, "b")', "two"),
    ('lookup(local.obj, "z", "dflt")', "dflt"),
    ('lookup(local.obj, "z")', ERROR),
    ('lookup(local.partial, "known")', "k"),
    ('lookup(local.partial, "missing")', UNKNOWN),
    ('lookup(local.obj, var.nv, "d")', UNKNOWN),
    ("keys({ b = 1, a = 2 })", ["a", "b"]),
    ("keys(local.partial)", ["known", "missing"]),
    ("values({ b = 1, a = 2 })", [2, 1]),
    ('zipmap(["a", "b"], [1, var.nv])', {"a": 1, "b": UNKNOWN}),
    ('zipmap(["a"], [1, 2])', ERROR),
    # lists
    ('concat(["a"], ["b", "c"], [])', ["a", "b", "c"]),
    ('concat(["a"], [var.nv])', ["a", UNKNOWN]),
    ('concat(["a"], "b")', ERROR),
    ('contains(["a", "b"], "b")', True),
    ('contains(["a", "b"], "z")', False),
    ('contains(["a", var.nv], "a")', True),
    ('contains(["a", var.nv], "z")', UNKNOWN),
    ('contains(["a"], var.nv)', UNKNOWN),
    ("contains([1, 2], 2)", True),
    ('contains(["1"], 1)', False),
    ("length([1, var.nv, 3])", 3),
    ('length("héllo")', 5),
    ("length({ a = 1 })", 1),
    ("length(var.nv)", UNKNOWN),
    ('length(toset(["a", var.nv]))', UNKNOWN),
    ("length(null)", ERROR),
    ('coalesce("", null, "x", var.nv)', "x"),
    ('coalesce(null, var.nv, "x")', UNKNOWN),
    ('coalesce("", 2)', 2),
    ('coalesce("", 2, "a")', "2"),
    ('coalesce(null, "")', ERROR),
    ('coalescelist([], ["a"], [var.nv])', ["a"]),
    ("coalescelist([], [])", ERROR),
    ("flatten([[1, [2]], 3, []])", [1, 2, 3]),
    ("flatten([[1], var.nv])", UNKNOWN),
    ("distinct([1, 2, 1, 3, 2])", [1, 2, 3]),
    ('element(["a", "b", "c"], 4)', "b"),
    ("element([], 0)", ERROR),
    ('element(["a", var.nv], 0)', "a"),
    ('slice(["a", "b", "c", "d"], 1, 3)', ["b", "c"]),
    ('slice(["a"], 0, 2)', ERROR),
    ('compact(["a", "", null, "b"])', ["a", "b"]),
    ("one([])", None),
    ('one(["x"])', "x"),
    ("one([var.nv])", UNKNOWN),
    ("one([1, 2])", ERROR),
    ('sort(["b", "a", "c"])', ["a", "b", "c"]),
    ("sort([10, 9])", ["10", "9"]),
    ("reverse([1, 2, 3])", [3, 2, 1]),
    ("range(3)", [0, 1, 2]),
    ("range(1, 4)", [1, 2, 3]),
    ("range(5, 1)", [5, 4, 3, 2]),
    ("range(0, 1, 0.25)", [0, 0.25, 0.5, 0.75]),
    ("range(0, 10, 0)", ERROR),
    ("range(100000)", ERROR),
    ('index(["a", "b"], "b")', 1),
    ('index(["a"], "z")', ERROR),
    ("chunklist([1, 2, 3], 2)", [[1, 2], [3]]),
    ("chunklist([1, 2], 0)", [[1, 2]]),
    ('alltrue([true, "true"])', True),
    ("alltrue([])", True),
    ("alltrue([false, var.nv])", False),
    ("alltrue([true, var.nv])", UNKNOWN),
    ("anytrue([var.nv, true])", True),
    ("anytrue([false, var.nv])", UNKNOWN),
    ("anytrue([])", False),
    ("sum([1, 2, 3.5])", 6.5),
    ("sum([])", ERROR),
    ("min(3, 1, 2)", 1),
    ('max(3, "7", 2)', 7),
    ("abs(-3)", 3),
    ("ceil(1.2)", 2),
    ("floor(-1.2)", -2),
    ('setunion(["b"], ["a", "b"])', ["a", "b"]),
    ('setintersection(["a", "b"], ["b", "c"])', ["b"]),
    ('setsubtract(["a", "b"], ["b"])', ["a"]),
    # strings
    ('join(",", ["a", "b"], ["c"])', "a,b,c"),
    ('join(",", [1, true])', "1,true"),
    ('join(",", ["a", var.nv])', UNKNOWN),
    ('join(",", ["a", null])', ERROR),
    ('split(",", "a,b,,c")', ["a", "b", "", "c"]),
    ('split(",", "")', [""]),
    ('lower("AbC")', "abc"),
    ('upper("abc")', "ABC"),
    ('trimspace("  a b \\n")', "a b"),
    ('trim("?!hello?!", "!?")', "hello"),
    ('trimprefix("helloworld", "hello")', "world"),
    ('trimsuffix("helloworld", "world")', "hello"),
    ('replace("a-b-c", "-", "_")', "a_b_c"),
    ('replace("hello world", "/o(r?)/", "0$1")', "hell0 w0rld"),
    ('replace("abc", "/(?P<x>b)/", "[$${x}]")', "a[b]c"),
    ('replace("aaaa", "/(a+)+$/", "x")', NOT_EVALUATED),
    ('startswith("hello", "he")', True),
    ('endswith("hello", "he")', False),
    ('substr("hello world", 1, 4)', "ello"),
    ('substr("hello", -3, -1)', "llo"),
    ('regex("[a-z]+", "123abc456")', "abc"),
    ('regex("(\\\\d+)-(\\\\d+)", "10-20")', ["10", "20"]),
    ('regex("(?P<k>\\\\w+)=(?P<v>\\\\w+)", "a=b")', {"k": "a", "v": "b"}),
    ('regex("z", "abc")', ERROR),
    ('regexall("[0-9]", "a1b2")', ["1", "2"]),
    ('regexall("(a|a)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac")', NOT_EVALUATED),
    ('format("%s-%d-%t-%v", "a", 3, true, 1.5)', "a-3-true-1.5"),
    ('format("%q and %%", "x")', '"x" and %'),
    ('format("%05d|%-4s|%.2f", 42, "ab", 3.14159)', "00042|ab  |3.14"),
    ('format("%v", ["a", 1])', '["a",1]'),
    ('format("%s", var.nv)', UNKNOWN),
    ('format("%d", "x")', ERROR),
    ('format("%s %s", "a")', ERROR),
    ('formatlist("%s-%s", ["a", "b"], "x")', ["a-x", "b-x"]),
    ('formatlist("%s", ["a"], ["b", "c"])', ERROR),
    # encodings
    ('jsonencode({ b = [1, "x"], a = true, c = null })', '{"a":true,"b":[1,"x"],"c":null}'),
    ('jsonencode("<&>")', '"\\u003c\\u0026\\u003e"'),
    ('jsondecode("{\\"a\\": [1, 2.5, null]}")', {"a": [1, 2.5, None]}),
    ('jsondecode("{")', ERROR),
    ('yamldecode("a: 1")', NOT_EVALUATED),
    ('file("policy.json")', NOT_EVALUATED),
    ('templatefile("x.tpl", {})', NOT_EVALUATED),
    ("timestamp()", NOT_EVALUATED),
    ("uuid()", NOT_EVALUATED),
    ('provider::anthropic::thing("x")', NOT_EVALUATED),
    # try / can
    ('try(local.obj.missing, "fallback")', "fallback"),
    ("try(local.obj.a, 0)", 1),
    ('try(var.nv, "fallback")', UNKNOWN),
    ('try(local.obj.missing, local.obj.other, "last")', "last"),
    ("try(local.obj.missing)", ERROR),
    ("can(local.obj.missing)", False),
    ("can(local.obj.a)", True),
    ("can(var.nv)", UNKNOWN),
    # arity and expansion
    ('lower("a", "b")', ERROR),
    ('join(",", local.list...)', ERROR),
    ('concat(["x"], [["y"], ["z"]]...)', ["x", "y", "z"]),
    ('sensitive("s")', "s"),
]


@pytest.mark.parametrize(("expression", "expected"), CASES, ids=[c[0] for c in CASES])
def test_function(tmp_path: Path, expression: str, expected: object) -> None:
    assert plain(evaluate_expression(tmp_path, expression)) == expected


def test_unknown_names_the_smallest_unresolved_expression(tmp_path: Path) -> None:
    value = evaluate_expression(tmp_path, 'upper(join("-", ["a", var.nv]))')
    assert value.v == Unknown("var.nv", "variable has no value")


def test_not_evaluated_function_says_so(tmp_path: Path) -> None:
    value = evaluate_expression(tmp_path, 'file("policy.json")')
    assert isinstance(value.v, Unknown)
    assert value.v.reason == "function file() is not evaluated"
    assert value.v.expression == 'file("policy.json")'


def test_results_are_bounded(tmp_path: Path) -> None:
    doubling = 'locals {\n  s0 = "xxxxxxxxxxxxxxxx"\n'
    for i in range(1, 40):
        doubling += f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"\n'
    doubling += "}\n"
    (tmp_path / "big.tf").write_text(doubling, encoding="utf-8")
    value = evaluate_expression(tmp_path, "length(local.s39)")
    assert isinstance(value.v, Unknown)
    assert "too large" in value.v.reason


def test_list_doubling_is_bounded(tmp_path: Path) -> None:
    doubling = "locals {\n  l0 = range(1000)\n"
    for i in range(1, 30):
        doubling += f"  l{i} = concat(local.l{i - 1}, local.l{i - 1})\n"
    doubling += "}\n"
    (tmp_path / "big.tf").write_text(doubling, encoding="utf-8")
    value = evaluate_expression(tmp_path, "length(local.l29)")
    assert isinstance(value.v, Unknown)
    assert "too large" in value.v.reason or "budget" in value.v.reason


def test_function_result_location_and_provenance(tmp_path: Path) -> None:
    (tmp_path / "vars.tf").write_text('variable "x" {\n  default = "a"\n}\n', encoding="utf-8")
    value = evaluate_expression(tmp_path, 'upper("${var.x}-b")')
    assert value.v == "A-B"
    assert (value.loc.path, value.loc.line) == ("main.tf", 9)
    assert [o.note for o in value.chain] == ['var.x default "a"']


def test_a_failed_argument_of_try_leaves_no_reference_cycle(tmp_path: Path) -> None:
    # A failure kept past its handler holds its traceback, whose frames hold the evaluator
    # and the module's syntax trees: that cycle kept whole trees alive until a collection
    # (and forever once a run had frozen them, see linter.core.collector).
    import gc

    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        value = evaluate_expression(tmp_path, 'try(local.obj.missing, local.obj.other, "last")')
        assert plain(value) == "last"
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        frames = [o for o in gc.garbage if type(o).__name__ == "frame"]
        assert frames == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
