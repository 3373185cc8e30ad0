"""The CloudFormation front end: templates (YAML, JSON, CDK output) to workspace declarations.

Each intrinsic function is checked on its own (a known value, a choice, an unknown), then
positions, evidence chains, what is not a template, broken templates, and whole lint runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from linter.core.model import Unknown
from linter.core.parsed import ParsedFile
from linter.core.tree import Declaration, Node, ScalarNode, SeqNode, UnknownNode
from linter.inputs.cloudformation import parse_cloudformation_json, parse_cloudformation_yaml

from .conftest import finding_keys

TAG_KEYS = {
    "phi": "phi",
    "models": "models",
    "products": "products",
    "data_retention": "data_retention",
}
PATH = "stack.yaml"

HEADER = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage:
    Type: String
    Default: prod
    AllowedValues: [dev, prod]
  Open:
    Type: String
    AllowedValues: [dev, prod]
  Free:
    Type: String
  Models:
    Type: CommaDelimitedList
    Default: "claude-haiku-4-5,claude-fable-5"
  Secret:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /team/flags/phi
Mappings:
  ByStage:
    prod: {Retention: zdr, Model: claude-fable-5}
    dev: {Retention: standard, Model: claude-haiku-4-5}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsOpenProd: !Equals [!Ref Open, prod]
  InUsEast: !Equals [!Ref "AWS::Region", us-east-1]
  ProdAndEast: !And [!Condition IsProd, !Condition InUsEast]
  DevOrEast: !Or [!Not [!Condition IsProd], !Condition InUsEast]
  Loop: !Not [!Condition Loop]
Resources:
"""


def template(value: str, key: str = "data_retention", extra: str = "") -> str:
    """A template with one workspace whose tag ``key`` is ``value`` (YAML source text)."""
    return (
        HEADER
        + f"""\
  Ws:
    Type: AWS::AWSExternalAnthropic::Workspace
{extra}    Properties:
      Name: ws
      Tags:
        - Key: {key}
          Value: {value}
"""
    )


def parse(text: str, path: str = PATH) -> ParsedFile:
    if path.endswith(".json"):
        return parse_cloudformation_json(text, path, TAG_KEYS)
    return parse_cloudformation_yaml(text, path, TAG_KEYS)


def only(parsed: ParsedFile) -> Declaration:
    assert parsed.findings == ()
    (decl,) = parsed.declarations
    return decl


def fact(decl: Declaration, key: str) -> Node | None:
    return decl.root.get(key)


def value_of(text: str, key: str = "data_retention") -> Any:
    """The fact's value: a plain value, or the Unknown (with its choices)."""
    node = fact(only(parse(text)), key)
    if isinstance(node, UnknownNode):
        return node.unknown
    if isinstance(node, SeqNode):
        return tuple(i.value for i in node.items if isinstance(i, ScalarNode))
    assert isinstance(node, ScalarNode)
    return node.value


# --- intrinsic functions, one by one -----------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("zdr", "zdr"),
        ('"zdr"', "zdr"),
        ("!Ref Stage", "prod"),  # a parameter's Default
        ('!Sub "${Stage}"', "prod"),
        ('!Sub ["${X}", {X: !Ref Stage}]', "prod"),  # the list form with variables
        ('!Sub "z${!Literal}"', "z${Literal}"),
        ("!Join ['', [z, d, r]]", "zdr"),
        ("!Select [1, [standard, zdr]]", "zdr"),
        ("!Select [0, !Split [',', 'zdr,standard']]", "zdr"),
        ("!FindInMap [ByStage, !Ref Stage, Retention]", "zdr"),
        ("!FindInMap [ByStage, test, Retention, {DefaultValue: standard}]", "standard"),
        ("!If [IsProd, zdr, standard]", "zdr"),
        ("!If [DevOrEast, zdr, standard]", None),  # an unknown Or: one of both branches
        ("{'Fn::If': [IsProd, standard, zdr]}", "standard"),  # the long form
        ("{'Fn::Join': ['', [{'Ref': Stage}]]}", "prod"),
        ("{'Fn::Sub': '${Stage}'}", "prod"),
    ],
)
def test_intrinsics_evaluate_where_the_template_decides(expression: str, expected: Any) -> None:
    found = value_of(template(expression))
    if expected is None:
        assert isinstance(found, Unknown) and found.options == ("zdr", "standard")
    else:
        assert found == expected


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("!Ref Free", "parameter Free has no Default"),
        ("!Ref AWS::Region", "pseudo parameter"),
        ('!Sub "${AWS::Region}"', "pseudo parameter"),
        ("!Ref Secret", "SSM Parameter Store"),
        ("!Ref Ws", "identifier of resource Ws"),
        ("!GetAtt Ws.Id", "known only after deploy"),
        ('!Sub "${Ws.Arn}"', "resource attribute"),
        ("!ImportValue shared-retention", "does not evaluate ImportValue"),
        ("'{{resolve:ssm:/team/retention}}'", "dynamic reference"),
        ("!FindInMap [ByStage, test, Retention]", "Mappings has no entry ByStage.test.Retention"),
        ("!Select [5, [a, b]]", "past the end"),
        ("!If [Loop, zdr, standard]", None),  # a cycle: unknown, so one of both branches
    ],
)
def test_what_the_template_does_not_decide_is_unknown(expression: str, reason: str | None) -> None:
    found = value_of(template(expression))
    assert isinstance(found, Unknown)
    if reason is None:
        assert found.options == ("zdr", "standard")
        assert "refers to itself" in found.reason
    else:
        assert reason in found.reason
        assert found.options == ()
        assert "Default" in found.fix  # the fix says how to make it known in a template


def test_a_parameter_without_default_is_one_of_its_allowed_values() -> None:
    found = value_of(template("!Ref Open"))
    assert isinstance(found, Unknown)
    assert found.options == ("dev", "prod")
    assert "parameter Open, which has no Default (AllowedValues: dev, prod)" in found.reason
    found = value_of(template("!If [IsOpenProd, zdr, standard]"))
    assert isinstance(found, Unknown) and found.options == ("zdr", "standard")
    assert found.expression == "!If [IsOpenProd, zdr, standard]"


def test_conditions_and_or_not_with_an_unknown_part() -> None:
    # And with a false part is false, whatever the unknown region: no choice left.
    text = template("!If [ProdAndEast, zdr, standard]").replace("Default: prod", "Default: dev")
    assert value_of(text) == "standard"
    # Or with a true part is true.
    text = template("!If [DevOrEast, zdr, standard]").replace("Default: prod", "Default: dev")
    assert value_of(text) == "zdr"


def test_choices_that_agree_are_one_known_value() -> None:
    assert value_of(template("!If [IsOpenProd, zdr, zdr]")) == "zdr"
    # A list parameter's Default is a list: Select picks from it.
    assert value_of(template("!Select [1, !Ref Models]", "models"), "models") == ("claude-fable-5",)


def test_novalue_leaves_a_tag_out() -> None:
    text = template("claude-fable-5", key="models").replace(
        "          Value: claude-fable-5\n",
        "          Value: claude-fable-5\n"
        "        - !If [IsProd, {Key: data_retention, Value: zdr}, !Ref AWS::NoValue]\n",
    )
    assert value_of(text) == "zdr"
    text = text.replace("!If [IsProd,", "!If [IsOpenProd,")
    found = value_of(text)
    assert isinstance(found, Unknown) and found.options == ("zdr", "inherit")


def test_tag_values_are_read_as_aws_tag_lists_and_booleans() -> None:
    assert value_of(template("claude-fable-5 claude-haiku-4-5", "models"), "models") == (
        "claude-fable-5",
        "claude-haiku-4-5",
    )
    assert value_of(template("claude-fable-5,claude-haiku-4-5", "models"), "models") == (
        "claude-fable-5",
        "claude-haiku-4-5",
    )
    assert value_of(template("true", "phi"), "phi") is True  # YAML's true is the string "true"
    assert value_of(template('"TRUE"', "phi"), "phi") is True


# --- positions and evidence --------------------------------------------------------------------


def test_a_fact_is_located_at_the_value_and_its_chain_leads_to_the_default() -> None:
    text = template("!Ref Stage")
    node = fact(only(parse(text)), "data_retention")
    lines = text.splitlines()
    line = next(n for n, row in enumerate(lines, 1) if "Value: !Ref Stage" in row)
    assert (node.location.line, node.location.column) == (line, lines[line - 1].index("!") + 1)
    assert node.attr == "tags.data_retention"
    default = next(n for n, row in enumerate(lines, 1) if "Default: prod" in row)
    assert [(o.location.line, o.note) for o in node.chain] == [
        (default, "parameter Stage defaults to 'prod'")
    ]


def test_a_condition_and_a_mapping_are_in_the_chain() -> None:
    text = template("!If [IsProd, !FindInMap [ByStage, !Ref Stage, Retention], standard]")
    node = fact(only(parse(text)), "data_retention")
    notes = [o.note for o in node.chain]
    assert notes[0] == "condition IsProd is true: !Equals [!Ref Stage, prod]"
    assert "Mappings ByStage.prod.Retention is zdr" in notes
    assert "parameter Stage defaults to 'prod'" in notes


def test_json_positions_are_lines_and_columns_of_the_template() -> None:
    data = {
        "Resources": {
            "Ws": {
                "Type": "AWS::AWSExternalAnthropic::Workspace",
                "Properties": {"Name": "ws", "Tags": [{"Key": "phi", "Value": "true"}]},
            }
        }
    }
    text = json.dumps(data, indent=1)
    decl = only(parse(text, "cdk.out/Stack.template.json"))
    node = fact(decl, "phi")
    assert isinstance(node, ScalarNode) and node.value is True
    lines = text.splitlines()
    line = next(n for n, row in enumerate(lines, 1) if '"Value": "true"' in row)
    assert (node.location.line, node.location.column) == (line, lines[line - 1].index('"t') + 1)
    ws_line = next(n for n, row in enumerate(lines, 1) if '"Ws"' in row)
    assert decl.span.start_line == ws_line
    assert (decl.address, decl.platform, decl.source) == (
        "Ws",
        "aws-claude-platform",
        "cloudformation",
    )


def test_a_name_the_template_cannot_decide_falls_back_to_the_logical_id() -> None:
    text = template("zdr").replace("Name: ws", "Name: !Join ['-', [ws, !Ref 'AWS::Region']]")
    name = fact(only(parse(text)), "name")
    assert isinstance(name, ScalarNode) and name.value == "Ws"


# --- what is read, what is not, and what is broken ---------------------------------------------


def test_a_template_without_the_type_is_not_even_parsed() -> None:
    assert parse("Resources:\n  B:\n    Type: AWS::S3::Bucket\n  broken: [\n") == ParsedFile(
        PATH, "Resources:\n  B:\n    Type: AWS::S3::Bucket\n  broken: [\n"
    )
    assert parse('{"Resources": {', "x.json") == ParsedFile("x.json", "")


def test_a_document_that_only_mentions_the_type_is_not_a_template() -> None:
    assert parse("# see AWS::AWSExternalAnthropic::Workspace\nkey: value\n").declarations == ()
    tree = {
        "tree": {
            "attributes": {"aws:cdk:cloudformation:type": "AWS::AWSExternalAnthropic::Workspace"}
        }
    }
    parsed = parse(json.dumps(tree), "cdk.out/tree.json")
    assert (parsed.declarations, parsed.findings) == ((), ())


@pytest.mark.parametrize(
    ("path", "text", "line"),
    [
        (
            PATH,
            "Resources:\n  Ws:\n    Type: AWS::AWSExternalAnthropic::Workspace\n    Properties: [\n",
            5,
        ),
        ("t.json", '{"Resources": {"Ws": {"Type": "AWS::AWSExternalAnthropic::Workspace",}}}', 1),
        ("t.json", '{"Resources": {"Ws": {"Type": "AWS::AWSExternalAnthropic::Workspace"}}', 1),
    ],
)
def test_a_broken_template_that_names_the_type_is_a_parse_error(
    path: str, text: str, line: int
) -> None:
    (finding,) = parse(text, path).findings
    assert finding.rule == "BAA900"
    assert finding.location.line == line


def test_a_condition_on_the_resource_decides_whether_it_exists() -> None:
    assert (
        parse(template("zdr", extra="    Condition: InUsEast\n")).declarations[0].exists is not None
    )
    gone = template("zdr", extra="    Condition: IsProd\n").replace("Default: prod", "Default: dev")
    assert parse(gone).declarations == ()
    here = template("zdr", extra="    Condition: IsProd\n")
    assert only(parse(here)).exists is None


def test_an_unknown_property_is_a_schema_error_with_a_did_you_mean() -> None:
    text = template("zdr").replace("      Tags:\n", "      Tag:\n")
    (finding,) = parse(text).findings
    assert finding.rule == "BAA901"
    assert finding.message.endswith("did you mean 'Tags'?")


def test_a_tag_that_is_not_key_and_value_is_a_schema_error() -> None:
    text = template("zdr").replace(
        "        - Key: data_retention\n", "        - Name: data_retention\n"
    )
    (finding,) = parse(text).findings
    assert (finding.rule, finding.attribute) == ("BAA901", "Tags")


def test_deep_or_huge_input_is_a_finding_never_an_exception() -> None:
    nested = "!Join ['', [" * 8 + "zdr" + "]]" * 8
    assert value_of(template(nested)) == "zdr"
    too_deep = "!Join ['', [" * 60 + "x" + "]]" * 60
    (finding,) = parse(template(too_deep)).findings
    assert (finding.rule, finding.message) == ("BAA900", "template nests deeper than 64 levels")
    bomb = 'a: &a ["AWS::AWSExternalAnthropic::Workspace"]\n' + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    (finding,) = parse(bomb).findings
    assert finding.rule == "BAA900"


def test_many_unknown_combinations_give_up_with_a_reason() -> None:
    tags = "".join(
        f"        - Key: x{i}\n          Value: !If [IsOpenProd, a, b]\n" for i in range(8)
    )
    text = template("zdr").replace("      Tags:\n", "      Tags:\n" + tags)
    found = value_of(text)
    assert isinstance(found, Unknown) and "too many combinations" in found.reason


# --- whole runs -------------------------------------------------------------------------------

CDK = {
    "Resources": {
        "IntakeWorkspace8F3C2D1A": {
            "Type": "AWS::AWSExternalAnthropic::Workspace",
            "Properties": {
                "Name": "intake",
                "Tags": [
                    {"Key": "models", "Value": "claude-haiku-4-5"},
                    {"Key": "phi", "Value": "true"},
                ],
            },
            "Metadata": {"aws:cdk:path": "Stack/IntakeWorkspace"},
        },
        "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Condition": "CDKMetadataAvailable"},
    },
    "Conditions": {"CDKMetadataAvailable": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}},
    "Parameters": {
        "BootstrapVersion": {
            "Type": "AWS::SSM::Parameter::Value<String>",
            "Default": "/cdk-bootstrap/hnb659fds/version",
        }
    },
}


def test_a_cdk_template_is_linted_and_its_siblings_are_not(run: Any) -> None:
    text = json.dumps(CDK, indent=1)
    result = run(
        {
            "cdk.out/Stack.template.json": text,
            "cdk.out/manifest.json": '{"version": "48.0.0", "artifacts": {}}',
            "cdk.out/tree.json": json.dumps(
                {"tree": {"type": "AWS::AWSExternalAnthropic::Workspace"}}
            ),
        }
    )
    lines = text.splitlines()
    line = next(n for n, row in enumerate(lines, 1) if '"true"' in row)
    column = lines[line - 1].index('"true"') + 1
    assert finding_keys(result) == [f"BAA009 cdk.out/Stack.template.json:{line}:{column}"]
    assert result.files == ("cdk.out/Stack.template.json",)
    (finding,) = result.findings
    assert finding.object == "IntakeWorkspace8F3C2D1A"
    assert "is a workspace on aws-claude-platform by its resource type" in finding.evidence[0].fact


def test_a_template_file_is_read_whatever_its_syntax(run: Any) -> None:
    yaml = template("true", key="phi")
    result = run({"a.template": yaml, "b.template": json.dumps(CDK)})
    assert [f.rule for f in result.findings] == ["BAA009", "BAA009"]


def test_one_organization_of_the_platform_takes_the_workspaces(run: Any) -> None:
    org = (
        "apiVersion: baa-lint/v1\nkind: Organization\nname: aws-marketplace\n"
        "platform: aws-claude-platform\nbaa_signed: true\n"
    )
    result = run({"org.yaml": org, "stack.yaml": template("true", key="phi")})
    assert [f.rule for f in result.findings] == ["BAA009"]  # a signed BAA does not reach AWS
    assert "organization 'aws-marketplace'" in result.findings[0].message
    (cfg,) = [c for c in result.configurations if c.name == "ws"]
    assert cfg.org.name == "aws-marketplace"
    assert cfg.link == "the only aws-claude-platform organization"


def test_an_anthropic_organization_does_not_take_an_aws_workspace(run: Any) -> None:
    org = "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nbaa_signed: true\nhipaa_ready: true\n"
    result = run({"org.yaml": org, "stack.yaml": template("true", key="phi")})
    (cfg,) = [c for c in result.configurations if c.name == "ws"]
    assert cfg.org.implicit and cfg.org.platform.v == "aws-claude-platform"
    assert [f.rule for f in result.findings] == ["BAA009"]


def test_a_declaration_and_a_template_in_one_yaml_file(run: Any) -> None:
    both = "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\n---\n" + template(
        "true", key="phi"
    )
    result = run({"both.yaml": both})
    assert sorted({c.org.name for c in result.configurations}) == [
        "acme",
        "aws-claude-platform:both.yaml",
    ]


def test_a_suppression_above_the_resource_covers_it(run: Any) -> None:
    text = template("true", key="phi").replace(
        "  Ws:\n", "  # baa-lint: ignore[BAA009] covered by our AWS agreement, LEGAL-7\n  Ws:\n"
    )
    result = run({"stack.yaml": text})
    assert result.findings == ()
    assert [s.finding.rule for s in result.suppressed] == ["BAA009"]


def test_the_example_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    from linter.lint import lint
    from linter.settings.config import Config

    result = lint(["examples/aws-claude-platform"], Config())
    rules = sorted((f.rule, f.object) for f in result.findings)
    assert rules == [
        ("BAA001", "BenchmarkWorkspace"),
        ("BAA009", "CareNotesWorkspace"),
        ("BAA009", "IntakeWorkspace4A1C9E2B"),
        ("BAA009", "awscc_awsexternalanthropic_workspace.prior_auth"),
        # The sandbox workspace declares no fact: nothing about it can be checked (BAA018).
        ("BAA018", "awscc_awsexternalanthropic_workspace.sandbox"),
    ]


def test_a_long_chain_of_conditions_is_bounded() -> None:
    chain = "".join(f"  C{i}: !Not [!Condition C{i + 1}]\n" for i in range(800))
    text = template("!If [C0, zdr, standard]").replace(
        "Conditions:\n", "Conditions:\n" + chain + "  C800: !Equals [a, a]\n"
    )
    found = value_of(text)
    assert isinstance(found, Unknown) and found.options == ("zdr", "standard")
    data = json.loads(json.dumps(CDK))
    data["Conditions"] = {f"C{i}": {"Fn::Not": [{"Condition": f"C{i + 1}"}]} for i in range(800)}
    data["Resources"]["IntakeWorkspace8F3C2D1A"]["Condition"] = "C0"
    parsed = parse(json.dumps(data), "t.json")
    assert parsed.findings == () and parsed.declarations[0].exists is not None


FOR_EACH = """\
Transform: AWS::LanguageExtensions
Parameters:
  Teams:
    Type: CommaDelimitedList
    Default: "care-a,care-b"
Resources:
  Fn::ForEach::Teams:
    - Team
    - !Ref Teams
    - Ws&{Team}:
        Type: AWS::AWSExternalAnthropic::Workspace
        Properties:
          Name: !Sub "${Team}-notes"
          Tags:
            - Key: phi
              Value: !If [IsA, "true", "false"]
            - Key: models
              Value: !Ref Team
Conditions:
  IsA: !Equals [a, a]
"""


def test_for_each_loops_declare_one_workspace_per_value() -> None:
    parsed = parse(FOR_EACH)
    assert parsed.findings == ()
    assert [(d.address, fact(d, "name").value) for d in parsed.declarations] == [  # type: ignore[union-attr]
        ("Wscarea", "care-a-notes"),
        ("Wscareb", "care-b-notes"),
    ]
    models = fact(parsed.declarations[1], "models")
    assert isinstance(models, SeqNode)
    assert [i.value for i in models.items] == ["care-b"]  # type: ignore[attr-defined]
    assert "Fn::ForEach::Teams: Team is 'care-b'" in [o.note for o in models.chain]


def test_a_loop_over_an_unknown_collection_is_reported() -> None:
    text = FOR_EACH.replace('    Default: "care-a,care-b"\n', "")
    (finding,) = parse(text).findings
    assert finding.rule == "BAA900"
    assert "Fn::ForEach::Teams: its collection cannot be resolved here" in finding.message


def test_configured_tag_keys_name_the_facts(run: Any) -> None:
    from linter.terraform.options import TagKeys

    text = template("true", "contains-phi")
    result = run({"stack.yaml": text}, tag_keys=TagKeys(phi="contains-phi"))
    assert [f.rule for f in result.findings] == ["BAA009"]
    assert result.findings[0].attribute == "tags.contains-phi"
    # Under another tag name the tag is no fact: only the note that nothing can be checked.
    unread = run({"stack.yaml": template("true", "phi")}, tag_keys=TagKeys(phi="x")).findings
    assert [f.rule for f in unread] == ["BAA018"]


def test_a_directive_on_one_tag_does_not_cover_the_next(run: Any) -> None:
    """A block ends where the next item's dash starts, not on that line: a directive on the
    models tag leaves the phi tag written on the next line alone."""
    text = (
        "Resources:\n"
        "  Intake:\n"
        "    Type: AWS::AWSExternalAnthropic::Workspace\n"
        "    Properties:\n"
        "      Name: intake\n"
        "      Tags:\n"
        "        - Key: models  # baa-lint: ignore[BAA009] reviewed with AWS, see CHG-4\n"
        "          Value: claude-haiku-4-5\n"
        '        - {Key: phi, Value: "true"}\n'
    )
    result = run({"stack.yaml": text})
    assert "BAA009" in [f.rule for f in result.findings]
    assert result.suppressed == ()
