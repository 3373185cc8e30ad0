"""Rules about one organization as a whole."""

from __future__ import annotations

from collections.abc import Iterator

from linter.core.findings import Evidence, Severity
from linter.rules.base import Context, Hit, Rule, setting
from linter.rules.subjects import OrgView


def check_hipaa_zdr_same_org(view: OrgView, ctx: Context) -> Iterator[Hit]:
    org = view.org
    if org.type.v not in ctx.policy.hipaa_ready_excludes_zdr:
        return
    if ctx.policy.is_third_party(org.platform.v) or not org.hipaa_ready.v:
        return
    owner = f"organization '{org.shown_name}'"
    zdr_evidence: list[Evidence] = []
    if org.zero_data_retention.v:
        zdr_evidence.extend(setting(org.zero_data_retention, owner, "zero_data_retention"))
    for ws in view.workspaces:
        # Existence last: an organization's many workspaces of unknown existence (count or
        # for_each unresolved) matter only when one of them asks for ZDR (see runner._by_reads).
        if ws.data_retention.v == "zdr" and ws.exists.v:
            zdr_evidence.extend(
                setting(ws.data_retention, f"workspace '{ws.shown_name}'", "data_retention")
            )
    if not zdr_evidence:
        return
    yield Hit(
        org.location,
        f"API organization '{org.shown_name}' is HIPAA-ready and also uses zero data retention; "
        "HIPAA readiness and ZDR cannot coexist on one 1P API organization",
        evidence=(*setting(org.hipaa_ready, owner, "hipaa_ready"), *zdr_evidence),
        fix="Use separate organizations (separate org IDs): a HIPAA-ready one with standard "
        "retention for API work with PHI, and a ZDR one, for example for Claude Code.",
    )


BAA003 = Rule(
    "BAA003",
    "hipaa-zdr-same-org",
    Severity.ERROR,
    "An API organization is HIPAA-ready and has zero data retention",
    """\
HIPAA readiness and zero data retention (ZDR) cannot coexist on a single 1P API organization.
A declaration that asks for both, at the organization level or through a workspace with
`data_retention: zdr`, describes a configuration that Anthropic will not provide.

Teams that need HIPAA-ready production API usage *and* ZDR (for example to cover Claude Code)
need two organizations with separate organization IDs.

How to fix it: split the organization: a HIPAA-ready organization with standard retention for
API workloads with PHI, and a separate ZDR organization for the workloads that need ZDR.
""",
    "organization",
    check_hipaa_zdr_same_org,
)
