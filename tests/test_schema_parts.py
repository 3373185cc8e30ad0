"""Validating a declaration by parts (its string properties alone, a remembered verdict on the
rest) says "valid" only when the whole validation would: property-based, over every
definition the shortcut applies to."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.normalize import schema
from linter.normalize.schema import _valid_by_parts, _validator, load_schema

SCHEMA = "declaration.schema.json"
DEFINITIONS = sorted(
    name for name in load_schema(SCHEMA)["$defs"] if schema._splittable(SCHEMA, name) is not None
)

_STRINGS = st.sampled_from(
    ["", " ", "w", "ws-00001", "a/b", " lead", "inherit", "zdr", "standard", "api",
     "claude-code", "claude-fable-5", "Workspace", "yes", "x y"]
)  # fmt: skip
_SCALARS = st.none() | st.booleans() | st.integers(-2, 2) | _STRINGS
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


def _value_for(sub: Any) -> st.SearchStrategy[Any]:
    """Values a property schema allows, and a few it does not."""
    if not isinstance(sub, dict):
        return _VALUES
    if "enum" in sub:
        return st.sampled_from([*sub["enum"], "bogus"])
    if "const" in sub:
        return st.sampled_from([sub["const"], "bogus"])
    if sub.get("type") == "boolean":
        return st.booleans() | st.just("yes")
    if sub.get("type") == "string":
        return _STRINGS
    if sub.get("type") == "array" and isinstance(sub.get("items"), dict):
        return st.lists(_value_for(sub["items"]), max_size=3) | _STRINGS
    for part in sub.get("allOf", []):
        return _value_for(part)
    return _VALUES


def _instances(definition: str) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly valid declarations of ``definition``: its keys with values of their kinds, the
    required ones nearly always there, now and then an unknown key."""
    schema_ = load_schema(SCHEMA)
    defs = schema_["$defs"]
    body = defs[definition]
    properties = {
        key: schema._inlined(sub, defs, ()) for key, sub in body.get("properties", {}).items()
    }
    required = set(body.get("required", []))

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        instance: dict[str, Any] = {}
        for key, sub in properties.items():
            wanted = 0.95 if key in required else 0.5
            if draw(st.floats(0, 1)) < wanted:
                instance[key] = draw(_value_for(sub))
        if draw(st.floats(0, 1)) < 0.05:
            instance["nmae"] = draw(_STRINGS)
        return instance

    return build()


def test_the_shortcut_applies_to_the_terraform_workspace() -> None:
    assert "terraformWorkspace" in DEFINITIONS


@pytest.mark.slow
@pytest.mark.parametrize("definition", DEFINITIONS)
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_valid_by_parts_only_when_valid(definition: str, data: st.DataObject) -> None:
    instance = data.draw(_instances(definition))
    full = _validator(SCHEMA, definition).is_valid(instance)
    assert _valid_by_parts(instance, SCHEMA, definition) in (full, False)


def test_a_valid_workspace_is_told_valid_by_parts_and_an_invalid_name_is_not() -> None:
    valid = {"kind": "Workspace", "name": "ws-1", "phi": True, "models": ["claude-fable-5"]}
    assert _valid_by_parts(valid, SCHEMA, "terraformWorkspace")
    assert _validator(SCHEMA, "terraformWorkspace").is_valid(valid)
    for broken in ({**valid, "name": ""}, {**valid, "phi": "yes"}, {**valid, "nmae": "x"}):
        assert not _valid_by_parts(broken, SCHEMA, "terraformWorkspace")
        assert not _validator(SCHEMA, "terraformWorkspace").is_valid(broken)


def _string_properties() -> list[tuple[str, str]]:
    """(definition, key) of every property the shortcut checks strings of."""
    return [
        (definition, key)
        for definition in DEFINITIONS
        for key in load_schema(SCHEMA)["$defs"][definition].get("properties", {})
    ]


_TEXTS = [
    "", " ", "w", "ws-00001", "a/b", " lead", "trail ", "x y", "tab\tin", "line\nbreak", "é",
    "名前", "inherit", "zdr", "standard", "api", "claude-code", "claude-fable-5", "Workspace",
    "Agent", "workspace", "yes", "/", "a" * 300,
]  # fmt: skip


@pytest.mark.parametrize(("definition", "key"), _string_properties())
def test_strings_are_checked_as_jsonschema_checks_them(definition: str, key: str) -> None:
    """The shortcut's own string checks (no jsonschema on a warm run) agree with jsonschema on
    every string property of the shipped schema."""
    from jsonschema import Draft202012Validator

    defs = load_schema(SCHEMA)["$defs"]
    property_schema = schema._inlined(defs[definition]["properties"][key], defs, ())
    validator = Draft202012Validator(property_schema)
    check = schema._string_check(SCHEMA, definition, key)
    for text in _TEXTS:
        assert check(text) == validator.is_valid(text), (definition, key, text)


@pytest.mark.parametrize(
    ("property_schema", "simple"),
    [
        ({"type": "string", "minLength": 2, "maxLength": 3, "description": "x"}, True),
        ({"allOf": [{"pattern": "^a"}, {"enum": ["ab", 1, "ac"]}]}, True),
        ({"const": 5}, True),
        ({"type": ["string", "null"]}, False),
        ({"format": "email"}, False),
        ({"anyOf": [{"const": "a"}]}, False),
        ({"$ref": "#/$defs/name"}, False),
    ],
)
def test_only_schemas_of_string_keywords_are_checked_without_jsonschema(
    property_schema: dict[str, Any], simple: bool
) -> None:
    from jsonschema import Draft202012Validator

    predicate = schema._string_predicate(property_schema)
    assert (predicate is not None) == simple
    if predicate is not None:
        validator = Draft202012Validator(property_schema)
        for text in [*_TEXTS, "ab", "ac", "abcd"]:
            assert predicate(text) == validator.is_valid(text), (property_schema, text)


def test_a_valid_rest_is_remembered_across_runs() -> None:
    """The verdict on a declaration's non-string part goes into KnownValid (the cache), and a
    later run (a fresh process: no verdict in memory) takes it from there; an invalid rest is
    never remembered."""
    known = schema.KnownValid()
    valid = {"kind": "Workspace", "name": "ws-1", "phi": True, "models": ["claude-fable-5"]}
    schema._REST_VERDICTS.clear()
    assert _valid_by_parts(valid, SCHEMA, "terraformWorkspace", known)
    assert known.added and len(known.digests) == 1
    later = schema.KnownValid(set(known.digests))
    schema._REST_VERDICTS.clear()
    assert _valid_by_parts({**valid, "name": "ws-2"}, SCHEMA, "terraformWorkspace", later)
    assert not later.added
    schema._REST_VERDICTS.clear()
    assert not _valid_by_parts({**valid, "phi": 3}, SCHEMA, "terraformWorkspace", later)
    assert not later.added


def test_an_organization_is_told_valid_by_parts_and_its_conditions_still_hold() -> None:
    """terraformOrganization's allOf names `type`, `workspaces` and `products`: they are
    validated with the rest, so an Enterprise organization with workspaces is not valid."""
    assert "terraformOrganization" in DEFINITIONS
    valid = {"kind": "Organization", "name": "acme", "type": "api", "workspaces": []}
    assert _valid_by_parts(valid, SCHEMA, "terraformOrganization")
    enterprise = {**valid, "type": "enterprise"}
    assert not _validator(SCHEMA, "terraformOrganization").is_valid(enterprise)
    assert not _valid_by_parts(enterprise, SCHEMA, "terraformOrganization")
