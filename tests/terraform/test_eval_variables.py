"""Root module input variables: every source, Terraform's precedence, types and provenance."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from linter.core.locations import Location
from linter.core.model import Origin, Unknown
from linter.terraform.eval.graph import EvalOptions, evaluate_tree
from linter.terraform.eval.values import EvalResult, Val
from tests.terraform.loaders import DirectoryLoader

WORKSPACE = """
resource "anthropic_workspace" "ws" {
  name = "research"
  data_retention = var.retention
}
"""

RETENTION = """
variable "retention" {
  type    = string
  default = "from-default"
}
"""


def evaluate(root: Path, files: Mapping[str, str], **options: object) -> EvalResult:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    opts = EvalOptions(repo_root=root, **options)  # type: ignore[arg-type]
    return evaluate_tree([root], DirectoryLoader(root), opts)


def only_attr(result: EvalResult, name: str) -> Val:
    assert len(result.instances) == 1, [i.address for i in result.instances]
    return result.instances[0].attributes[name]


def plain(val: Val) -> object:
    if isinstance(val.v, tuple):
        return [plain(item) for item in val.v]
    if isinstance(val.v, dict):
        return {key: plain(item) for key, item in val.v.items()}
    return val.v


def test_default_value_with_its_origin(tmp_path: Path) -> None:
    value = only_attr(evaluate(tmp_path, {"main.tf": RETENTION + WORKSPACE}), "data_retention")
    assert value.v == "from-default"
    assert value.loc == Location("main.tf", 4, 13)
    assert value.chain == (
        Origin(Location("main.tf", 4, 3), 'var.retention default "from-default"'),
    )


# Every source, lowest precedence first: with sources[:n] present, the n-th one wins.
SOURCES: list[tuple[str, dict[str, str], dict[str, object]]] = [
    ("from-default", {}, {}),
    ("from-env", {}, {"env": {"TF_VAR_retention": "from-env"}}),
    ("from-tfvars", {"terraform.tfvars": 'retention = "from-tfvars"\n'}, {}),
    ("from-tfvars-json", {"terraform.tfvars.json": '{"retention": "from-tfvars-json"}'}, {}),
    ("from-auto-a", {"a.auto.tfvars": 'retention = "from-auto-a"\n'}, {}),
    ("from-auto-b", {"b.auto.tfvars.json": '{"retention": "from-auto-b"}'}, {}),
    ("from-var-file", {"env/prod.tfvars": 'retention = "from-var-file"\n'}, {"var_files": True}),
    ("from-cli", {}, {"variables": (("retention", "from-cli"),)}),
]


@pytest.mark.parametrize("count", range(1, len(SOURCES) + 1), ids=[s[0] for s in SOURCES])
def test_precedence_of_variable_sources(tmp_path: Path, count: int) -> None:
    files = {"main.tf": RETENTION + WORKSPACE}
    options: dict[str, object] = {}
    for _, extra_files, extra_options in SOURCES[:count]:
        files.update(extra_files)
        options.update(extra_options)
    if options.pop("var_files", None):
        options["var_files"] = (tmp_path / "env/prod.tfvars",)
    value = only_attr(evaluate(tmp_path, files, **options), "data_retention")
    assert value.v == SOURCES[count - 1][0]


def test_auto_tfvars_apply_in_lexical_order(tmp_path: Path) -> None:
    files = {
        "main.tf": RETENTION + WORKSPACE,
        "b.auto.tfvars": 'retention = "b"\n',
        "a.auto.tfvars": 'retention = "a"\n',
        "terraform.tfvars": 'retention = "t"\n',
    }
    assert only_attr(evaluate(tmp_path, files), "data_retention").v == "b"


def test_later_var_file_and_var_win(tmp_path: Path) -> None:
    files = {
        "main.tf": RETENTION + WORKSPACE,
        "one.tfvars": 'retention = "one"\n',
        "two.tfvars": 'retention = "two"\n',
    }
    var_files = (tmp_path / "two.tfvars", tmp_path / "one.tfvars")
    assert only_attr(evaluate(tmp_path, files, var_files=var_files), "data_retention").v == "one"
    variables = (("retention", "x"), ("retention", "y"))
    result = evaluate(tmp_path, files, var_files=var_files, variables=variables)
    assert only_attr(result, "data_retention").v == "y"


def test_tfvars_value_location_and_note(tmp_path: Path) -> None:
    files = {"main.tf": RETENTION + WORKSPACE, "terraform.tfvars": '\nretention = "zdr"\n'}
    value = only_attr(evaluate(tmp_path, files), "data_retention")
    assert value.v == "zdr"
    assert value.loc == Location("terraform.tfvars", 2, 13)
    expected = Origin(
        Location("terraform.tfvars", 2, 1), 'var.retention = "zdr" (terraform.tfvars)'
    )
    assert value.chain == (expected,)


def test_environment_variable(tmp_path: Path) -> None:
    files = {"main.tf": RETENTION + WORKSPACE}
    result = evaluate(tmp_path, files, env={"TF_VAR_retention": "zdr", "retention": "no"})
    value = only_attr(result, "data_retention")
    assert value.v == "zdr"
    assert value.loc == Location("<environment>", 1, 1)
    assert value.chain == (
        Origin(Location("<environment>", 1, 1), 'var.retention = "zdr" (TF_VAR_retention)'),
    )


def test_command_line_variable_location(tmp_path: Path) -> None:
    result = evaluate(
        tmp_path, {"main.tf": RETENTION + WORKSPACE}, variables=(("retention", "zdr"),)
    )
    value = only_attr(result, "data_retention")
    assert (value.v, value.loc) == ("zdr", Location("<command line>", 1, 1))
    assert value.chain[0].note == 'var.retention = "zdr" (--var)'


@pytest.mark.parametrize(
    ("declaration", "expected"),
    [
        ('type = bool\n  default = "true"', True),
        ('type = number\n  default = "3"', 3),
        ("type = string\n  default = 12", "12"),
        ("type = string\n  default = true", "true"),
        ('type = list(string)\n  default = ["a", "b"]', ["a", "b"]),
        ("default = 1.5", 1.5),
        ("type = map(string)\n  default = { a = 1, b = true }", {"a": "1", "b": "true"}),
    ],
)
def test_default_converted_to_declared_type(
    tmp_path: Path, declaration: str, expected: object
) -> None:
    files = {"main.tf": f'variable "retention" {{\n  {declaration}\n}}\n' + WORKSPACE}
    assert plain(only_attr(evaluate(tmp_path, files), "data_retention")) == expected


def test_set_type_deduplicates_and_sorts(tmp_path: Path) -> None:
    decl = 'variable "retention" {\n  type = set(string)\n  default = ["b", "a", "b"]\n}\n'
    value = only_attr(evaluate(tmp_path, {"main.tf": decl + WORKSPACE}), "data_retention")
    assert (plain(value), value.kind) == (["a", "b"], "set")


def test_optional_object_attributes_get_defaults(tmp_path: Path) -> None:
    decl = """
variable "retention" {
  type = object({ name = string, phi = optional(bool, false), note = optional(string) })
  default = { name = "x" }
}
"""
    value = only_attr(evaluate(tmp_path, {"main.tf": decl + WORKSPACE}), "data_retention")
    assert plain(value) == {"name": "x", "phi": False, "note": None}


@pytest.mark.parametrize(
    ("type_", "raw", "expected"),
    [
        ("list(string)", '["a", "b"]', ["a", "b"]),
        ("map(number)", "{ a = 1 }", {"a": 1}),
        ("number", "42", 42),
        ("bool", "false", False),
        ("string", '["not", "parsed"]', '["not", "parsed"]'),
        ("any", "[1]", "[1]"),
    ],
)
def test_command_line_value_parsed_by_type(
    tmp_path: Path, type_: str, raw: str, expected: object
) -> None:
    decl = f'variable "retention" {{\n  type = {type_}\n}}\n'
    result = evaluate(tmp_path, {"main.tf": decl + WORKSPACE}, variables=(("retention", raw),))
    assert plain(only_attr(result, "data_retention")) == expected


def test_environment_list_value_is_parsed(tmp_path: Path) -> None:
    decl = 'variable "retention" {\n  type = list(string)\n}\n'
    result = evaluate(tmp_path, {"main.tf": decl + WORKSPACE}, env={"TF_VAR_retention": '["x"]'})
    assert plain(only_attr(result, "data_retention")) == ["x"]


def test_invalid_command_line_value_is_unknown(tmp_path: Path) -> None:
    decl = 'variable "retention" {\n  type = number\n}\n'
    result = evaluate(tmp_path, {"main.tf": decl + WORKSPACE}, variables=(("retention", "lots"),))
    value = only_attr(result, "data_retention")
    assert isinstance(value.v, Unknown)
    assert value.v.expression == "var.retention"
    assert "invalid value" in value.v.reason


def test_variable_without_value_is_unknown(tmp_path: Path) -> None:
    files = {"main.tf": 'variable "retention" {}\n' + WORKSPACE}
    value = only_attr(evaluate(tmp_path, files), "data_retention")
    assert value.v == Unknown("var.retention", "variable has no value")


def test_assignment_to_undeclared_variable_is_ignored(tmp_path: Path) -> None:
    files = {
        "main.tf": RETENTION + WORKSPACE,
        "terraform.tfvars": 'other = "x"\nretention = "zdr"\n',
    }
    result = evaluate(tmp_path, files)
    assert only_attr(result, "data_retention").v == "zdr"
    assert result.diagnostics == ()


def test_reference_to_undeclared_variable_is_diagnosed(tmp_path: Path) -> None:
    files = {"main.tf": WORKSPACE}
    result = evaluate(tmp_path, files)
    value = only_attr(result, "data_retention")
    assert isinstance(value.v, Unknown)
    assert [d.message for d in result.diagnostics] == [
        "reference to undeclared input variable var.retention"
    ]
    assert result.diagnostics[0].location.line == 4


def test_tfvars_cannot_reference_other_values(tmp_path: Path) -> None:
    files = {"main.tf": RETENTION + WORKSPACE, "terraform.tfvars": "retention = local.x\n"}
    value = only_attr(evaluate(tmp_path, files), "data_retention")
    assert isinstance(value.v, Unknown)
    assert "not allowed" in value.v.reason


def test_tfvars_read_only_when_a_variable_is_needed(tmp_path: Path) -> None:
    files = {
        "main.tf": RETENTION + 'resource "anthropic_workspace" "ws" {\n  name = "x"\n}\n',
        "terraform.tfvars": "this is not { valid",
    }
    result = evaluate(tmp_path, files)
    assert only_attr(result, "name").v == "x"
