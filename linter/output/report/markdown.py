"""The posture report as GitHub-flavoured markdown.

Every user string goes through the markdown formatter's ``escape`` (plain text, one line, ``|``
and newlines made safe) or ``code`` (an inline code span that is safe in a table cell).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from linter.core.findings import Finding, SuppressedFinding
from linter.core.posture import PostureRow
from linter.output.formats.markdown import code, escape
from linter.output.report.model import (
    ConfigurationView,
    Control,
    FactView,
    OrganizationView,
    Report,
    Summary,
    phi_text,
    plural,
    status_text,
    yes_no,
)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: int = 0) -> list[str]:
    """A GFM table; cells must already be escaped. The last ``right`` columns align right."""
    aligns = ["---"] * (len(headers) - right) + ["---:"] * right
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(aligns) + " |"]
    lines.extend("| " + " | ".join(cells) + " |" for cells in rows)
    return [*lines, ""]


def literal(text: str) -> str:
    """Literal text outside a table: a code span, or escaped plain text when it holds a ``|``
    (GFM reads ``\\|`` inside a code span as a pipe only in table cells)."""
    return escape(text) if "|" in text else code(text)


def _paths(paths: Sequence[str]) -> str:
    return ", ".join(literal(p) for p in paths) or code(".")


# --- header and summary --------------------------------------------------------------------------


def header(report: Report) -> list[str]:
    lines = [
        f"# {escape(report.title)}",
        "",
        f"- **Paths linted:** {_paths(report.paths)}",
        f"- **baa-lint version:** {escape(report.version)}",
        f"- **Policy source:** {escape(report.policy_source)} "
        f"(as of {escape(report.policy_as_of)})",
        f"- **Model catalogue as of:** {escape(report.catalogue_as_of)}",
    ]
    if report.generated:
        lines.append(f"- **Generated:** {escape(report.generated)}")
    return [*lines, "", f"**How to read this report.** {escape(report.reading_guide)}", ""]


def _row_name(row: PostureRow) -> str:
    name = f"{row.organization} / {row.name}" if row.name else row.organization
    return f"{escape(name)} ({escape(row.product)}, {literal(row.address)})"


def headline(summary: Summary) -> list[str]:
    risky = summary.phi_not_eligible
    if risky:
        lines = [
            f"> **Headline risk: {plural(len(risky), 'configuration')} "
            f"{'carries' if len(risky) == 1 else 'carry'} PHI but "
            f"{'is' if len(risky) == 1 else 'are'} not BAA-eligible.**",
            ">",
            *(f"> - {_row_name(r)}" for r in risky),
        ]
    else:
        lines = ["> No configuration is known to carry PHI outside BAA coverage."]
    review = summary.phi_needs_review
    if review:
        lines += [
            ">",
            f"> **Needs review:** {plural(len(review), 'configuration')} may carry PHI while "
            "eligibility depends on unresolved values:",
            ">",
            *(f"> - {_row_name(r)}" for r in review),
        ]
    return [*lines, ""]


def summary_rows(summary: Summary) -> list[tuple[str, str]]:
    findings = " / ".join(f"{count:,} {severity.value}" for severity, count in summary.findings)
    return [
        ("Organizations", f"{summary.organizations:,}"),
        ("Configurations", f"{summary.configurations:,}"),
        ("BAA-eligible", f"{summary.eligible.yes:,}"),
        ("Not BAA-eligible", f"{summary.eligible.no:,}"),
        ("Eligibility unknown (depends on unresolved values)", f"{summary.eligible.unknown:,}"),
        ("Can reach Covered Models", f"{summary.covered_models.yes:,}"),
        ("Cannot reach Covered Models", f"{summary.covered_models.no:,}"),
        ("Covered-Model access unknown", f"{summary.covered_models.unknown:,}"),
        ("Carry PHI", f"{summary.phi:,}"),
        ("**Carry PHI but not BAA-eligible**", f"**{len(summary.phi_not_eligible):,}**"),
        ("May carry PHI, eligibility not established", f"{len(summary.phi_needs_review):,}"),
        ("Findings (error / warning / info)", findings),
        ("Suppressed findings (listed below with reasons)", f"{summary.suppressed:,}"),
        ("Baselined findings (not shown)", f"{summary.baselined:,}"),
        ("Controls passed / failed", f"{summary.controls_passed:,} / {summary.controls_failed:,}"),
        ("Files read", f"{summary.files:,}"),
    ]


def summary_part(summary: Summary) -> list[str]:
    rows = summary_rows(summary)
    return ["## Summary", "", *headline(summary), *table(("Measure", "Count"), rows, right=1)]


# --- findings ------------------------------------------------------------------------------------


def finding_item(finding: Finding) -> list[str]:
    lines = [
        f"- **{finding.severity.value}** {code(finding.rule)} {escape(finding.name)}: "
        f"{escape(finding.message)}",
        f"  - Location: {literal(str(finding.location))}",
    ]
    if finding.evidence:
        lines.append("  - Evidence:")
        lines.extend(f"    - {literal(str(e.location))} {escape(e.fact)}" for e in finding.evidence)
    if finding.fix:
        lines.append(f"  - Fix: {escape(finding.fix)}")
    return lines


def finding_list(findings: Sequence[Finding]) -> list[str]:
    lines = [line for finding in findings for line in finding_item(finding)]
    return [*lines, ""]


# --- organizations -------------------------------------------------------------------------------


def _fact_value(fact: FactView) -> str:
    return escape(fact.value if fact.explicit else f"{fact.value} (default)")


def facts_table(facts: Sequence[FactView]) -> list[str]:
    rows = [(escape(f.label), _fact_value(f), code(str(f.location))) for f in facts]
    return table(("Fact", "Value", "Set at"), rows)


def configuration_cells(view: ConfigurationView) -> tuple[str, ...]:
    row = view.row
    status = status_text(view)
    if view.phi_not_eligible:
        status += "; PHI without BAA coverage"
    return (
        f"{escape(row.name or '-')}<br>{code(row.address)}",
        escape(row.product),
        escape(row.route),
        escape(row.retention),
        escape(phi_text(row.phi)),
        escape(", ".join(row.models) or "-"),
        escape(yes_no(row.eligible)),
        escape(yes_no(row.covered_models)),
        f"**{escape(status)}**" if view.findings or view.phi_not_eligible else escape(status),
    )


CONFIGURATION_HEADERS = (
    "Workspace / product",
    "Product",
    "Route",
    "Retention",
    "PHI",
    "Models",
    "BAA-eligible",
    "Covered Models",
    "Status",
)


def organization_part(org: OrganizationView) -> list[str]:
    lines = [f"### Organization {escape(org.name)}", ""]
    lines += [f"Declared at {literal(str(org.location))} as {literal(org.address)}.", ""]
    lines += facts_table(org.facts)
    lines += table(CONFIGURATION_HEADERS, (configuration_cells(c) for c in org.configurations))
    if org.findings:
        lines += [f"#### Findings against organization {escape(org.name)}", ""]
        lines += finding_list(org.findings)
    for item in org.declarations:
        lines += [f"#### Findings against {escape(item.label)} ({literal(item.address)})", ""]
        lines += finding_list(item.findings)
    return lines


def organizations_part(organizations: Sequence[OrganizationView]) -> list[str]:
    lines = ["## Organizations", ""]
    if not organizations:
        return [*lines, "No organizations were declared in these paths.", ""]
    return lines + [line for org in organizations for line in organization_part(org)]


# --- the rest ------------------------------------------------------------------------------------


def unattached_part(findings: Sequence[Finding]) -> list[str]:
    lines = ["## Findings not tied to a configuration", ""]
    if not findings:
        return [*lines, "None.", ""]
    intro = (
        "Parse and schema errors, suppression problems and workspaces that cannot be linked to "
        "an organization. Declarations behind these findings may be missing from the tables above."
    )
    return [*lines, intro, "", *finding_list(findings)]


def suppressed_part(suppressed: Sequence[SuppressedFinding]) -> list[str]:
    lines = ["## Suppressed findings", ""]
    if not suppressed:
        return [*lines, "None.", ""]
    rows = [
        (
            f"{code(s.finding.rule)} {escape(s.finding.name)}",
            code(str(s.finding.location)),
            escape(s.finding.message),
            escape(s.justification or "(no justification given)"),
            code(str(s.directive)),
        )
        for s in suppressed
    ]
    headers = ("Rule", "Location", "Finding", "Justification", "Directive")
    return lines + table(headers, rows)


def _control_status(control: Control) -> str:
    return f"**{control.status}**" if control.status == "FAIL" else control.status


def controls_part(controls: Sequence[Control]) -> list[str]:
    rows = [
        (
            f"{code(c.code)} {escape(c.slug)}",
            escape(c.summary),
            c.severity.value,
            _control_status(c),
            f"{c.findings:,}",
            f"{c.suppressed:,}",
        )
        for c in controls
    ]
    headers = ("Rule", "Control", "Severity", "Status", "Findings", "Suppressed")
    intro = "Each rule is a control: it fails when at least one active finding of it remains."
    return ["## Controls", "", intro, "", *table(headers, rows, right=2)]


def render(report: Report) -> str:
    blocks = [
        *header(report),
        *summary_part(report.summary),
        *organizations_part(report.organizations),
        *unattached_part(report.unattached),
        *suppressed_part(report.suppressed),
        *controls_part(report.controls),
    ]
    return "\n".join(blocks).rstrip("\n") + "\n"
