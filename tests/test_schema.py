"""Schema validation: one clear finding per problem, at the offending node."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from linter.inputs.yaml import parse_yaml
from linter.normalize.schema import validate

SCHEMAS = Path(__file__).parent.parent / "schemas"


def problems(text: str) -> list[tuple[int, int, str]]:
    (decl,) = parse_yaml(text, "o.yaml").declarations
    return [(f.location.line, f.location.column, f.message) for f in validate(decl)]


HEAD = "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\n"


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.glob("*.schema.json")))
def test_every_shipped_schema_is_a_valid_schema(name: str) -> None:
    schema = json.loads((SCHEMAS / name).read_text())
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_unknown_key_with_did_you_mean() -> None:
    assert problems(HEAD + "zero_data_retension: true\n") == [
        (4, 1, "unknown key 'zero_data_retension'; did you mean 'zero_data_retention'?")
    ]


def test_unknown_key_in_a_nested_workspace() -> None:
    ((line, column, message),) = problems(HEAD + "workspaces:\n  - name: a\n    modles: []\n")
    assert (line, column) == (6, 5)
    assert message == "unknown key 'modles'; did you mean 'models'?"


def test_yaml_11_boolean_hint() -> None:
    ((_, _, message),) = problems(HEAD + "baa_signed: on\n")
    assert "(YAML 1.2 reads 'on' as a string, not a boolean: write true)" in message


def test_a_quoted_yaml_11_word_gets_no_yaml_12_hint() -> None:
    """'yes' in quotes was a string in YAML 1.1 as well: the hint would be wrong there."""
    ((_, _, message),) = problems(HEAD + "baa_signed: 'yes'\n")
    assert message == "'baa_signed' must be a boolean (true or false), not string 'yes'"


def test_quoted_boolean_hint() -> None:
    ((_, _, message),) = problems(HEAD + "baa_signed: 'false'\n")
    assert message.endswith("(remove the quotes: false)")


def test_enum_value_with_did_you_mean() -> None:
    ((line, column, message),) = problems(HEAD + "platform: aws-bedrok\n")
    assert (line, column) == (4, 11)
    assert "expected one of anthropic, aws-bedrock" in message
    assert message.endswith("did you mean 'aws-bedrock'?")


def test_a_list_where_a_string_was_given() -> None:
    ((_, _, message),) = problems(HEAD + "workspaces:\n  - name: a\n    models: claude-fable-5\n")
    assert message.endswith("(write a list: [claude-fable-5])")


def test_workspaces_are_for_api_organizations_and_products_for_enterprise() -> None:
    ent = problems(HEAD + "type: enterprise\nworkspaces: []\n")
    assert ent == [
        (
            5,
            1,
            "'workspaces': workspaces belong to API organizations (type: api); an Enterprise "
            "organization lists its products",
        )
    ]
    api = problems(HEAD + "products: []\n")
    assert [m[:2] for m in api] == [(4, 1)]


def test_an_invalid_type_does_not_cascade() -> None:
    result = problems(HEAD + "type: enterprize\nproducts: []\n")
    assert len(result) == 1 and "did you mean 'enterprise'?" in result[0][2]


def test_standalone_workspace_needs_its_organization() -> None:
    ((line, _, message),) = problems("apiVersion: baa-lint/v1\nkind: Workspace\nname: w\n")
    assert line == 1
    assert message == "the declaration is missing required key 'organization'"


def test_a_misspelt_required_key_is_reported_once() -> None:
    """'organisation' is an unknown key whose did-you-mean is the missing 'organization': one
    finding, not a second one saying the key is missing."""
    text = "apiVersion: baa-lint/v1\nkind: Workspace\nname: w\norganisation: acme\n"
    assert problems(text) == [(4, 1, "unknown key 'organisation'; did you mean 'organization'?")]
    text = "apiVersion: baa-lint/v1\nkind: Workspace\nname: w\nowner: acme\n"
    assert [p[2] for p in problems(text)] == [
        "the declaration is missing required key 'organization'",
        "unknown key 'owner'",
    ]


def test_unsupported_api_version_and_kind() -> None:
    result = problems("apiVersion: baa-lint/v2\nkind: Organisation\nname: x\n")
    assert [r[:2] for r in result] == [(1, 13), (2, 7)]
    assert "did you mean 'Organization'?" in result[1][2]


def test_names_are_validated() -> None:
    ((_, _, message),) = problems("apiVersion: baa-lint/v1\nkind: Organization\nname: a/b\n")
    assert "a name must be non-empty, without '/'" in message


def test_known_valid_declarations_skip_validation_and_invalid_ones_never_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from linter.normalize import schema

    calls: list[str] = []
    original = schema._validator

    def counting(name: str, pointer: str) -> object:
        calls.append(name)
        return original(name, pointer)

    monkeypatch.setattr(schema, "_validator", counting)
    known = schema.KnownValid()
    (valid,) = parse_yaml(HEAD + "baa_signed: true\n", "o.yaml").declarations
    (invalid,) = parse_yaml(HEAD + "baa_signed: maybe\n", "o.yaml").declarations
    assert validate(valid, known=known) == [] and known.added and len(calls) == 1
    assert validate(valid, known=known) == [] and len(calls) == 1  # remembered
    for _ in range(2):
        assert [f.rule for f in validate(invalid, known=known)] == ["BAA901"]  # every time
    assert len(calls) == 3
    (changed,) = parse_yaml(HEAD + "baa_signed: false\n", "o.yaml").declarations
    assert validate(changed, known=known) == [] and len(calls) == 4  # new content: validated
