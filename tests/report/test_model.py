"""The report model: counts, and which finding belongs to which configuration."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from linter.core.findings import Finding, Severity
from linter.output.report.model import (
    UNKNOWN,
    Report,
    build_report,
    needs_review,
    status_text,
    yes_no,
)
from tests.report import Run

# A HIPAA-ready API org with one eligible PHI workspace, a ZDR org with a standard-retention
# carve-out that carries PHI (not eligible: the headline risk) and a suppressed BAA001, and an
# org-level BAA003.
ORGS = """\
apiVersion: baa-lint/v1
kind: Organization
name: zeta-clinical
baa_signed: true
hipaa_ready: true
workspaces:
  - name: summaries
    phi: true
    models: [claude-fable-5]
---
apiVersion: baa-lint/v1
kind: Organization
name: alpha-research
baa_signed: true
zero_data_retention: true
workspaces:
  - name: evals
    data_retention: standard
    phi: true
    models: [claude-fable-5]
  - name: legacy
    # baa-lint: ignore[BAA001] retiring next quarter
    models: [claude-fable-5]
---
apiVersion: baa-lint/v1
kind: Organization
name: mixed-org
baa_signed: true
hipaa_ready: true
zero_data_retention: true
"""

UNLINKED = """\
apiVersion: baa-lint/v1
kind: Workspace
name: stray
organization: nobody
"""

UNKNOWN_TF = """\
variable "retention" {
  type = string
}

variable "phi" {
  type = bool
}

resource "anthropic_organization" "main" {
  name       = "tf-org"
  baa_signed = true
}

resource "anthropic_workspace" "research" {
  name            = "research"
  organization_id = anthropic_organization.main.id
  data_retention  = var.retention
  phi             = true
  tags = {
    models = "claude-fable-5"
  }
}

resource "anthropic_workspace" "intake" {
  name            = "intake"
  organization_id = anthropic_organization.main.id
  phi             = var.phi
}
"""


def report_of(run: Run, files: dict[str, str], **config: object) -> Report:
    result = run(files, **config)
    return build_report(result, ["."], "1.2.3")


def all_placed(report: Report) -> list[Finding]:
    placed = list(report.unattached)
    for org in report.organizations:
        placed += org.findings
        placed += [f for d in org.declarations for f in d.findings]
    return placed


def test_counts_and_headline_risk(run: Run, in_tmp: Path) -> None:
    report = report_of(run, {"orgs.yaml": ORGS})
    summary = report.summary
    assert [o.name for o in report.organizations] == [
        "alpha-research",
        "mixed-org",
        "zeta-clinical",
    ]
    assert summary.organizations == 3
    assert summary.configurations == 4  # evals, legacy, mixed-org itself, summaries
    assert (summary.eligible.yes, summary.eligible.no, summary.eligible.unknown) == (2, 2, 0)
    assert (summary.covered_models.yes, summary.covered_models.no) == (2, 2)
    assert summary.phi == 2
    assert [r.address for r in summary.phi_not_eligible] == ["alpha-research/evals"]
    assert summary.phi_needs_review == ()
    assert dict(summary.findings) == {Severity.ERROR: 2, Severity.WARNING: 0, Severity.INFO: 0}
    assert summary.total_findings == 2
    assert summary.suppressed == 1
    assert summary.baselined == 0


def test_findings_are_placed_once_under_their_configuration_or_organization(
    run: Run,
    in_tmp: Path,
) -> None:
    result = run({"orgs.yaml": ORGS, "stray.yaml": UNLINKED})
    report = build_report(result, ["."], "1.2.3")
    by_name = {o.name: o for o in report.organizations}

    research = by_name["alpha-research"]
    assert [(d.address, [f.rule for f in d.findings]) for d in research.declarations] == [
        ("alpha-research/evals", ["BAA006"])
    ]
    assert research.findings == ()
    statuses = {c.row.name: (c.status, c.suppressed) for c in research.configurations}
    assert statuses == {"evals": ("findings", 0), "legacy": ("ok", 1)}

    # An organization without workspaces is its own configuration: its findings are listed once,
    # under the organization, and its row's status counts them.
    mixed = by_name["mixed-org"]
    assert [f.rule for f in mixed.findings] == ["BAA003"]
    assert mixed.declarations == ()
    (row,) = mixed.configurations
    assert row.row.kind == "organization"
    assert row.status == "findings"

    assert [f.rule for f in report.unattached] == ["BAA018"]  # the stray declares no fact
    assert sorted(all_placed(report), key=lambda f: f.sort_key) == list(result.findings)


def test_a_workspace_with_two_products_shares_its_findings(
    run: Run,
    in_tmp: Path,
) -> None:
    tree = {
        "o.yaml": """\
apiVersion: baa-lint/v1
kind: Organization
name: acme
baa_signed: true
zero_data_retention: true
workspaces:
  - name: mixed
    phi: true
    products: [api, claude-code]
    models: [claude-fable-5]
"""
    }
    report = report_of(run, tree)
    (org,) = report.organizations
    assert [c.row.product for c in org.configurations] == ["api", "claude-code"]
    assert all(len(c.findings) == 2 for c in org.configurations)
    (declaration,) = org.declarations  # listed once, not once per product
    assert [f.rule for f in declaration.findings] == ["BAA001", "BAA010"]
    assert declaration.label == "workspace 'mixed'"


def test_unknown_values_are_never_guessed(run: Run, in_tmp: Path) -> None:
    report = report_of(run, {"main.tf": UNKNOWN_TF})
    (org,) = report.organizations
    rows = {c.row.name: c.row for c in org.configurations}
    assert rows["research"].eligible is None
    assert rows["research"].covered_models is None
    assert yes_no(rows["research"].eligible) == UNKNOWN == "unknown (depends on unresolved values)"
    assert report.summary.eligible.unknown == 1
    # PHI with unknown eligibility, and unknown PHI on a configuration that is not eligible.
    assert rows["intake"].phi.startswith("unknown")
    assert rows["intake"].eligible is False
    assert needs_review(rows["research"]) and needs_review(rows["intake"])
    review = sorted(r.name for r in report.summary.phi_needs_review)
    assert review == ["intake", "research"]
    assert report.summary.phi_not_eligible == ()


def test_organization_facts_say_when_a_default_applies(
    run: Run,
    in_tmp: Path,
) -> None:
    report = report_of(run, {"orgs.yaml": ORGS})
    zeta = next(o for o in report.organizations if o.name == "zeta-clinical")
    facts = {f.key: (f.value, f.explicit) for f in zeta.facts}
    assert facts == {
        "type": ("api", False),
        "platform": ("anthropic", False),
        "baa_signed": ("yes", True),
        "hipaa_ready": ("yes", True),
        "zero_data_retention": ("no", False),
    }


def test_controls_fail_only_on_active_findings(run: Run, in_tmp: Path) -> None:
    report = report_of(run, {"orgs.yaml": ORGS}, select=("BAA001", "BAA003", "BAA006", "BAA012"))
    controls = {c.code: (c.status, c.findings, c.suppressed) for c in report.controls}
    assert controls == {
        "BAA001": ("PASS", 0, 1),  # suppressed only
        "BAA003": ("FAIL", 1, 0),
        "BAA006": ("FAIL", 1, 0),
        "BAA012": ("PASS", 0, 0),
    }
    assert (report.summary.controls_passed, report.summary.controls_failed) == (2, 2)


def test_baselined_and_metadata_pass_through(run: Run, in_tmp: Path) -> None:
    result = replace(run({"orgs.yaml": ORGS}), baselined=7)
    report = build_report(result, ["infra", "tf"], "9.9.9", generated="2026-12-01")
    assert report.summary.baselined == 7
    assert (report.paths, report.version, report.generated) == (
        ("infra", "tf"),
        "9.9.9",
        "2026-12-01",
    )
    assert report.policy_source == result.policy.source_title
    assert report.policy_as_of == result.policy.as_of
    assert build_report(result, ["infra", "tf"], "9.9.9").generated is None


def test_status_text_names_severities_and_suppressions(
    run: Run,
    in_tmp: Path,
) -> None:
    report = report_of(run, {"orgs.yaml": ORGS})
    research = next(o for o in report.organizations if o.name == "alpha-research")
    texts = {c.row.name: status_text(c) for c in research.configurations}
    assert texts == {"evals": "findings: 1 error", "legacy": "ok (1 suppressed)"}
    evals = next(c for c in research.configurations if c.row.name == "evals")
    assert evals.phi_not_eligible
    assert evals.worst is Severity.ERROR


def test_an_empty_run(run: Run, in_tmp: Path) -> None:
    report = report_of(run, {"README.md": "nothing here\n"})
    assert report.organizations == ()
    assert report.summary.configurations == 0
    assert report.summary.phi_not_eligible == ()
    assert all(c.status == "PASS" for c in report.controls)
