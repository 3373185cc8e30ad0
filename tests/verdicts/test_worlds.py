"""A rule is decided in every world an unknown allows (SPEC §5).

A conditional or lookup whose every possible value gives the same finding reports that
finding; BAA013 appears only when the outcome depends on the unknown. A whole `tags` map that
cannot be resolved is unknown, never empty.
"""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import finding_keys

ZDR_ORG = """\
variable "prod" {
  type = bool
}

variable "env" {
  type = string
}

variable "tags" {
  type = map(string)
}

resource "anthropic_organization" "org" {
  name                = "acme"
  baa_signed          = true
  zero_data_retention = true
}

"""


def workspace(body: str) -> str:
    return (
        ZDR_ORG
        + 'resource "anthropic_workspace" "ws" {\n  name            = "ws"\n'
        + "  organization_id = anthropic_organization.org.id\n"
        + body
        + "}\n"
    )


def codes(result: Any) -> list[str]:
    return sorted({key.split()[0] for key in finding_keys(result)})


# Two generally available Covered Models (a model and its dated snapshot): no branch is
# limited-access, so BAA011 cannot depend on the unknown either.
@pytest.mark.parametrize(
    "models",
    [
        'var.prod ? ["claude-fable-5"] : ["claude-fable-5-20261001"]',
        '[var.prod ? "claude-fable-5" : "claude-fable-5-20261001"]',
        'lookup({ prod = ["claude-fable-5"], dev = ["claude-fable-5-20261001"] }, var.env)',
        '[lookup({ prod = "claude-fable-5" }, var.env, "claude-fable-5-20261001")]',
    ],
)
def test_every_branch_a_covered_model_on_zdr_is_baa001(run: Any, models: str) -> None:
    result = run({"main.tf": workspace(f"  models          = {models}\n")})
    assert "BAA001" in codes(result), finding_keys(result)
    assert "BAA013" not in codes(result), finding_keys(result)


def test_one_branch_covered_is_undecided(run: Any) -> None:
    body = '  models          = [var.prod ? "claude-fable-5" : "claude-haiku-4-5"]\n'
    result = run({"main.tf": workspace(body)})
    assert codes(result) == ["BAA013"], finding_keys(result)


def test_no_branch_covered_is_clean(run: Any) -> None:
    body = '  models          = [var.prod ? "claude-haiku-4-5" : "claude-sonnet-4-5"]\n'
    assert finding_keys(run({"main.tf": workspace(body)})) == []


def test_a_folded_finding_can_be_suppressed(run: Any) -> None:
    body = (
        "  # baa-lint: ignore[BAA001] this workspace is being moved off ZDR (CHG-12)\n"
        '  models          = [var.prod ? "claude-fable-5" : "claude-fable-5-20261001"]\n'
    )
    result = run({"main.tf": workspace(body)})
    assert finding_keys(result) == []
    assert [s.finding.rule for s in result.suppressed] == ["BAA001"]


def test_an_unknown_tags_map_is_unknown_not_empty(run: Any) -> None:
    result = run({"main.tf": workspace("  tags            = var.tags\n")})
    assert codes(result) == ["BAA013"], finding_keys(result)
    assert all("var.tags" in finding.message for finding in result.findings)


def test_a_merge_with_an_unknown_map_is_unknown(run: Any) -> None:
    body = '  tags            = merge(var.tags, { team = "x" })\n'
    assert codes(run({"main.tf": workspace(body)})) == ["BAA013"]


def test_tags_chosen_by_a_conditional_decide_in_each_branch(run: Any) -> None:
    body = (
        '  tags            = var.prod ? { models = "claude-fable-5" } : '
        '{ models = "claude-fable-5-20261001", phi = "false" }\n'
    )
    result = run({"main.tf": workspace(body)})
    assert codes(result) == ["BAA001"], finding_keys(result)


def test_tags_where_one_branch_sets_nothing_are_undecided(run: Any) -> None:
    body = '  tags            = var.prod ? { models = "claude-fable-5" } : { team = "x" }\n'
    assert codes(run({"main.tf": workspace(body)})) == ["BAA013"]


def test_an_unknown_tags_map_on_a_clean_org_decides_nothing_it_cannot(run: Any) -> None:
    """On an org without ZDR and with a HIPAA-ready BAA, an unknown tags map can still carry
    PHI on a regular org: the verdict depends on it, so BAA013."""
    files = {
        "main.tf": (
            'variable "tags" {\n  type = map(string)\n}\n'
            'resource "anthropic_organization" "org" {\n  name = "acme"\n  baa_signed = true\n'
            "  hipaa_ready = true\n}\n"
            'resource "anthropic_workspace" "ws" {\n  name = "ws"\n'
            "  organization_id = anthropic_organization.org.id\n  tags = var.tags\n}\n"
        )
    }
    result = run(files)
    assert "BAA001" not in codes(result)


PLAIN_ORG = """\
variable "model" {
  type = string
}

resource "anthropic_organization" "org" {
  name       = "acme"
  baa_signed = true
}

resource "anthropic_workspace" "ws" {
  name            = "ws"
  organization_id = anthropic_organization.org.id
  models          = [var.model]
}
"""


def test_an_unknown_model_on_a_standard_org_decides_nothing(run: Any) -> None:
    """No rule's outcome depends on it: a limited-access program is opt-in, and an unresolved
    value is no sign of one, so there is no BAA013 citing BAA011."""
    assert finding_keys(run({"main.tf": PLAIN_ORG})) == []


def test_an_unknown_model_on_a_zdr_org_cites_only_what_depends_on_it(run: Any) -> None:
    text = PLAIN_ORG.replace(
        "  baa_signed = true\n", "  baa_signed = true\n  zero_data_retention = true\n"
    )
    [finding] = run({"main.tf": text}).findings
    assert finding.rule == "BAA013"
    assert "BAA001" in finding.message and "BAA011" not in finding.message


def test_a_branch_naming_a_limited_access_model_is_decided_in_that_world(run: Any) -> None:
    text = (
        PLAIN_ORG.replace(
            "[var.model]", '[var.prod ? "claude-haiku-4-5" : "claude-mythos-preview"]'
        )
        .replace('variable "model"', 'variable "prod"')
        .replace("type = string", "type = bool")
    )
    [finding] = run({"main.tf": text}).findings
    assert finding.rule == "BAA013" and "BAA011" in finding.message


def test_a_warm_run_decides_in_the_same_worlds(run: Any) -> None:
    """The evaluation memo keeps an unknown's options: warm equals cold."""
    files = {
        "main.tf": workspace(
            '  models          = [var.prod ? "claude-fable-5" : "claude-fable-5-20261001"]\n'
        )
    }
    cold = finding_keys(run(files))
    assert cold == finding_keys(run(files)) == finding_keys(run(files, cache=False))
    assert [key.split()[0] for key in cold] == ["BAA001"]
