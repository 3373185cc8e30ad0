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
