"""Property tests for the CloudFormation front end: it never raises, whatever the template.

Two kinds of input: damaged copies of the example templates (byte flips, truncation, shuffled
lines, tokens), and well-formed templates whose tag values, names and tag lists are random
trees of intrinsic functions (short and long forms, references that exist and do not, cycles,
AWS::NoValue). Either way the front end returns a ParsedFile whose only findings are parse and
schema errors, and the model builder and every rule accept its declarations.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.core.parsed import ParsedFile
from linter.inputs.cloudformation import parse_cloudformation_json, parse_cloudformation_yaml
from linter.normalize.builder import build_model
from linter.normalize.configurations import build_configurations
from linter.policy.loader import load_policy
from linter.rules.base import Context
from linter.rules.registry import RULES
from linter.rules.runner import run_rules

from .test_properties import mutations

pytestmark = pytest.mark.properties

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "aws-claude-platform"
TEMPLATES = sorted(p for p in EXAMPLE.rglob("*") if p.name.endswith((".yaml", ".template.json")))
TAG_KEYS = {k: k for k in ("phi", "models", "products", "data_retention")}
POLICY = load_policy()

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def parse(text: str, name: str) -> ParsedFile:
    if name.endswith(".json"):
        return parse_cloudformation_json(text, name, TAG_KEYS)
    return parse_cloudformation_yaml(text, name, TAG_KEYS)


def check(parsed: ParsedFile) -> None:
    """The front end's result is well formed, and the rest of the pipeline takes it."""
    assert isinstance(parsed, ParsedFile)
    assert {f.rule for f in parsed.findings} <= {"BAA900", "BAA901"}
    model, _ = build_model(list(parsed.declarations))
    run_rules(model, build_configurations(model), RULES, Context(POLICY))


@st.composite
def damaged_templates(draw: st.DrawFn) -> tuple[str, str]:
    path = draw(st.sampled_from(TEMPLATES))
    data = draw(mutations(path.read_bytes()))
    return data.decode("utf-8", errors="replace"), path.name


@SETTINGS
@given(damaged_templates())
def test_damaged_templates_never_raise(case: tuple[str, str]) -> None:
    check(parse(*case))


NAMES = ["Stage", "Open", "Free", "Models", "AWS::Region", "AWS::NoValue", "Ws", "Nope", ""]
CONDITIONS = ["IsProd", "IsOpen", "Loop", "Missing"]
SCALARS = st.one_of(
    st.sampled_from(["true", "false", "zdr", "standard", "claude-fable-5", "a,b", "", "${Stage}"]),
    st.integers(-3, 3),
    st.booleans(),
    st.none(),
)


def _intrinsic(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    name = st.sampled_from(NAMES)
    pair = st.tuples(children, children).map(list)
    return st.one_of(
        name.map(lambda n: {"Ref": n}),
        st.tuples(st.sampled_from(CONDITIONS), children, children).map(
            lambda t: {"Fn::If": list(t)}
        ),
        st.tuples(st.sampled_from(["", "-", ","]), st.lists(children, max_size=3)).map(
            lambda t: {"Fn::Join": list(t)}
        ),
        pair.map(lambda p: {"Fn::Select": p}),
        pair.map(lambda p: {"Fn::Split": p}),
        st.lists(children, min_size=0, max_size=4).map(lambda p: {"Fn::FindInMap": p}),
        st.one_of(children, st.tuples(children, st.dictionaries(name, children, max_size=2))).map(
            lambda s: {"Fn::Sub": list(s) if isinstance(s, tuple) else s}
        ),
        children.map(lambda c: {"Fn::GetAtt": c}),
        children.map(lambda c: {"Fn::Base64": c}),
        children.map(lambda c: {"Fn::ImportValue": c}),
        st.dictionaries(st.sampled_from(["Key", "Value", "Fn::Other"]), children, max_size=2),
    )


VALUES = st.recursive(
    SCALARS, lambda c: st.one_of(st.lists(c, max_size=3), _intrinsic(c)), max_leaves=12
)


def _template(name: Any, tags: Any, condition: Any) -> dict[str, Any]:
    return {
        "Parameters": {
            "Stage": {"Type": "String", "Default": "prod", "AllowedValues": ["dev", "prod"]},
            "Open": {"Type": "String", "AllowedValues": ["dev", "prod"]},
            "Free": {"Type": "String"},
            "Models": {"Type": "CommaDelimitedList", "Default": "a,b"},
        },
        "Mappings": {"M": {"prod": {"R": "zdr"}, "dev": {"R": ["standard"]}}},
        "Conditions": {
            "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
            "IsOpen": {"Fn::Or": [{"Fn::Equals": [{"Ref": "Open"}, "prod"]}, condition]},
            "Loop": {"Fn::Not": [{"Condition": "Loop"}]},
        },
        "Resources": {
            "Ws": {
                "Type": "AWS::AWSExternalAnthropic::Workspace",
                "Condition": "IsOpen",
                "Properties": {"Name": name, "Tags": tags},
            }
        },
    }


TAGS = st.one_of(
    VALUES,
    st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {"Key": st.one_of(st.sampled_from(list(TAG_KEYS)), VALUES), "Value": VALUES}
            ),
            VALUES,
        ),
        max_size=4,
    ),
)


@SETTINGS
@given(VALUES, TAGS, VALUES)
def test_random_intrinsics_never_raise(name: Any, tags: Any, condition: Any) -> None:
    document = _template(name, tags, condition)
    check(parse(json.dumps(document), "t.template.json"))
    # The same template in YAML (JSON is YAML), where the positions come from ruamel.
    check(parse(json.dumps(document, indent=2), "t.yaml"))
