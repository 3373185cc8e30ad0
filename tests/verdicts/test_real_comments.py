"""A suppression directive counts only inside a real comment, never inside a string, a heredoc
or a YAML block scalar (SPEC §7)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from linter.filters.comments import hcl_lines, yaml_lines

from ..conftest import finding_keys

ORG = (
    'resource "anthropic_organization" "org" {\n'
    '  name                = "acme"\n'
    "  baa_signed          = true\n"
    "  zero_data_retention = true\n"
    "}\n"
)
DIRECTIVE = "# baa-lint: ignore[BAA001] reviewed"


def workspace(extra: str, models: str = '["claude-fable-5"]') -> str:
    return (
        ORG
        + 'resource "anthropic_workspace" "ws" {\n  name = "ws"\n'
        + "  organization_id = anthropic_organization.org.id\n"
        + extra
        + f"  models = {models}\n}}\n"
    )


def test_a_directive_in_a_quoted_string_is_not_one(run: Any) -> None:
    extra = f'  description = "{DIRECTIVE}"\n'
    result = run({"main.tf": workspace(extra)})
    assert [k.split()[0] for k in finding_keys(result)] == ["BAA001"]


def test_a_directive_in_a_heredoc_is_not_one(run: Any) -> None:
    extra = f"  description = <<-EOT\n    {DIRECTIVE}\n  EOT\n"
    result = run({"main.tf": workspace(extra)})
    assert [k.split()[0] for k in finding_keys(result)] == ["BAA001"]


def test_a_directive_in_an_interpolated_string_is_not_one(run: Any) -> None:
    extra = f'  description = "${{"x"}} {DIRECTIVE}"\n'
    result = run({"main.tf": workspace(extra)})
    assert [k.split()[0] for k in finding_keys(result)] == ["BAA001"]


def test_a_real_comment_next_to_a_string_still_suppresses(run: Any) -> None:
    extra = f'  description = "a # b // c {DIRECTIVE}"\n'
    result = run({"main.tf": workspace(extra + "  " + DIRECTIVE + "\n")})
    assert finding_keys(result) == []
    assert [s.finding.rule for s in result.suppressed] == ["BAA001"]


YAML_ORG = (
    "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nbaa_signed: true\n"
    "zero_data_retention: true\nworkspaces:\n"
)


def test_a_directive_in_a_yaml_block_scalar_is_not_one(run: Any) -> None:
    text = YAML_ORG + f"  - name: a\n    note: |\n      {DIRECTIVE}\n    models: [claude-fable-5]\n"
    result = run({"orgs.yaml": text.replace("    note: |", "    # a note\n    x-note: |")})
    assert "BAA001" in [k.split()[0] for k in finding_keys(result)]


def test_a_directive_in_a_yaml_quoted_scalar_is_not_one(run: Any) -> None:
    text = YAML_ORG + f"  - name: 'a {DIRECTIVE}'\n    models: [claude-fable-5]\n"
    result = run({"orgs.yaml": text})
    assert [k.split()[0] for k in finding_keys(result)] == ["BAA001"]


def test_a_real_yaml_comment_still_suppresses(run: Any) -> None:
    text = YAML_ORG + f"  - name: a\n    models: [claude-fable-5]  {DIRECTIVE}\n"
    result = run({"orgs.yaml": text})
    assert finding_keys(result) == []


def test_the_lexers_see_strings_heredocs_and_comments() -> None:
    hcl = 'a = "x # y" # z\nb = <<EOT\n# not a comment\nEOT\n/* c\n d */ e = 1\n// f\n'
    shapes = hcl_lines(hcl)
    assert [s.comment for s in shapes[:7]] == [12, None, None, None, 0, 0, 0]
    assert [s.code for s in shapes[:7]] == [True, True, True, True, False, True, False]
    yaml = "a: 'x # y' # z\nb: |\n  # text\nc: \"q\n  # still q\" # r\n# s\n"
    assert [s.comment for s in yaml_lines(yaml)[:6]] == [11, None, None, None, 13, 0]


@given(st.text(alphabet=st.sampled_from(list("ab #/*\"'\\${}%<-EOT|>:\n\t")), max_size=200))
def test_the_lexers_never_raise(text: str) -> None:
    assert len(hcl_lines(text)) == text.count("\n") + 1
    assert len(yaml_lines(text)) == text.count("\n") + 1


MERGED = (
    YAML_ORG
    + "  - &base  # baa-lint: ignore[BAA001] the template workspace, retired in CHG-7\n"
    + "    name: a\n"
    + "    models: [claude-fable-5]\n"
    + "  - <<: *base\n"
    + "    name: b\n"
)


def test_a_finding_through_a_merge_key_belongs_to_its_user(run: Any) -> None:
    result = run({"orgs.yaml": MERGED})
    assert finding_keys(result) == ["BAA001 orgs.yaml:10:5"]
    [finding] = result.findings
    assert finding.evidence[0].location.line == 9  # where the anchor wrote the model


def test_a_suppression_on_the_user_of_a_merge_key_covers_it(run: Any) -> None:
    text = MERGED.replace(
        "  - <<: *base\n", "  - <<: *base  # baa-lint: ignore[BAA001] also retired\n"
    )
    result = run({"orgs.yaml": text})
    assert finding_keys(result) == []
    assert len(result.suppressed) == 2


def test_a_tab_after_a_yaml_key_is_separation(run: Any) -> None:
    text = YAML_ORG + "  - name: a\n    models:\t[claude-fable-5]\n"
    assert finding_keys(run({"orgs.yaml": text})) == ["BAA001 orgs.yaml:8:14"]
