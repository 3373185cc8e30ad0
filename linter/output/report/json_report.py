"""The posture report as JSON: a stable contract, described by schemas/report.schema.json.

Findings use the same record as ``--format json`` (``finding_record``), so a consumer that reads
one reads the other. Unknown answers are ``null``, never guessed.
"""

from __future__ import annotations

import json
from typing import Any

from linter.core.findings import SuppressedFinding
from linter.core.locations import Location
from linter.core.posture import PostureRow
from linter.core.printable import json_printable
from linter.output.formats.json_format import finding_record
from linter.output.report.model import (
    ConfigurationView,
    Control,
    DeclarationFindings,
    FactView,
    OrganizationView,
    Report,
    Summary,
    Tally,
)

REPORT_FORMAT_VERSION = 1


def _location(location: Location) -> dict[str, Any]:
    return {"path": location.path, "line": location.line, "column": location.column}


def _tally(counts: Tally) -> dict[str, int]:
    return {"yes": counts.yes, "no": counts.no, "unknown": counts.unknown}


def _config_ref(row: PostureRow) -> dict[str, str]:
    return {
        "organization": row.organization,
        "name": row.name,
        "product": row.product,
        "address": row.address,
    }


def _summary(summary: Summary) -> dict[str, Any]:
    findings = {severity.value: count for severity, count in summary.findings}
    return {
        "files": summary.files,
        "organizations": summary.organizations,
        "configurations": summary.configurations,
        "baa_eligible": _tally(summary.eligible),
        "covered_models": _tally(summary.covered_models),
        "phi": summary.phi,
        "phi_not_eligible": [_config_ref(r) for r in summary.phi_not_eligible],
        "phi_needs_review": [_config_ref(r) for r in summary.phi_needs_review],
        "findings": {"total": summary.total_findings, **findings},
        "suppressed": summary.suppressed,
        "baselined": summary.baselined,
        "stale_baseline": summary.stale_baseline,
        "controls": {"passed": summary.controls_passed, "failed": summary.controls_failed},
    }


def _fact(fact: FactView) -> dict[str, Any]:
    return {
        "key": fact.key,
        "label": fact.label,
        "value": fact.value,
        "known": fact.known,
        "explicit": fact.explicit,
        "location": _location(fact.location),
    }


def _configuration(view: ConfigurationView) -> dict[str, Any]:
    row = view.row
    return {
        "kind": row.kind,
        "name": row.name,
        "address": row.address,
        "product": row.product,
        "route": row.route,
        "retention": row.retention,
        "phi": row.phi,
        "models": list(row.models),
        "baa_eligible": row.eligible,
        "covered_models": row.covered_models,
        "location": _location(row.location),
        "link": row.link,
        "status": view.status,
        "findings": len(view.findings),
        "worst_severity": view.worst.value if view.worst else None,
        "suppressed": view.suppressed,
    }


def _declaration(item: DeclarationFindings) -> dict[str, Any]:
    return {
        "address": item.address,
        "label": item.label,
        "findings": [finding_record(f) for f in item.findings],
    }


def _organization(org: OrganizationView) -> dict[str, Any]:
    return {
        "name": org.name,
        "address": org.address,
        "location": _location(org.location),
        "facts": [_fact(f) for f in org.facts],
        "configurations": [_configuration(c) for c in org.configurations],
        "findings": [finding_record(f) for f in org.findings],
        "declarations": [_declaration(d) for d in org.declarations],
    }


def _suppressed(item: SuppressedFinding) -> dict[str, Any]:
    return {
        "finding": finding_record(item.finding),
        "justification": item.justification,
        "directive": _location(item.directive),
    }


def _control(control: Control) -> dict[str, Any]:
    return {
        "rule": control.code,
        "name": control.slug,
        "severity": control.severity.value,
        "summary": control.summary,
        "status": control.status,
        "findings": control.findings,
        "suppressed": control.suppressed,
    }


def document(report: Report) -> dict[str, Any]:
    return {
        "report_format_version": REPORT_FORMAT_VERSION,
        "title": report.title,
        "version": report.version,
        "generated": report.generated,
        "paths": list(report.paths),
        "policy": {
            "source": report.policy_source,
            "as_of": report.policy_as_of,
            "catalogue_as_of": report.catalogue_as_of,
        },
        "reading_guide": report.reading_guide,
        "summary": _summary(report.summary),
        "organizations": [_organization(o) for o in report.organizations],
        "unattached_findings": [finding_record(f) for f in report.unattached],
        "suppressed": [_suppressed(s) for s in report.suppressed],
        "controls": [_control(c) for c in report.controls],
    }


def render(report: Report) -> str:
    return json_printable(json.dumps(document(report), indent=2, ensure_ascii=False)) + "\n"
