"""The posture report as data: built from a lint Result by pure functions, no I/O.

The markdown, HTML and JSON renderers all read this one structure, so the three formats always
agree on counts and on which finding belongs to which configuration.

Findings are tied to configurations by object address. A workspace used by several products is
one declaration behind several configurations, so findings are grouped per declaration (its
address) and every configuration of that declaration shows them in its status. Findings whose
object is an organization's address are listed under the organization. The rest (parse and
schema errors, suppression problems, unlinked workspaces) are "not tied to a configuration".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from linter.core.findings import Finding, Severity, SuppressedFinding
from linter.core.locations import Location
from linter.core.model import Fact, Organization, show_fact
from linter.core.posture import PostureRow
from linter.result import Result

TITLE = "BAA posture report"
UNKNOWN = "unknown (depends on unresolved values)"
SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)

READING_GUIDE = (
    "Each row below is a configuration: one product (API, Chat, Claude Code or Cowork) reached "
    "through one access route with one effective data-retention setting. "
    "BAA-eligible means the configuration is an Eligible Service under Anthropic's Business "
    "Associate Agreement: its organization has signed the BAA, buys the service from Anthropic "
    "rather than through a third-party cloud, and the policy's coverage table lists this "
    "product, route and retention as eligible. Only BAA-eligible "
    "configurations may carry protected health information (PHI). "
    "Covered-Model access means requests from the configuration can reach the Covered Models "
    "(the newest models, such as Claude Fable 5); they need standard 30-day retention, so "
    "zero-data-retention configurations cannot reach them. The two questions are independent: "
    "a configuration can be eligible without Covered-Model access, and the reverse. "
    "Where a value cannot be resolved from the repository (a Terraform variable without a "
    "value, say), the answer is shown as unknown rather than guessed."
)


@dataclass(frozen=True)
class FactView:
    """One organization fact as shown to a reader: the value and where it was set."""

    key: str
    label: str
    value: str
    known: bool
    explicit: bool  # False: the declaration does not set it and the default applies
    location: Location


@dataclass(frozen=True)
class ConfigurationView:
    """A posture row with the findings against its declaration."""

    row: PostureRow
    findings: tuple[Finding, ...]
    suppressed: int

    @property
    def status(self) -> str:
        return "findings" if self.findings else "ok"

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    @property
    def phi_not_eligible(self) -> bool:
        return self.row.phi == "true" and self.row.eligible is False


@dataclass(frozen=True)
class DeclarationFindings:
    """The findings against one workspace or product declaration (one object address)."""

    address: str
    label: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class OrganizationView:
    name: str
    address: str
    location: Location
    facts: tuple[FactView, ...]
    configurations: tuple[ConfigurationView, ...]
    findings: tuple[Finding, ...]  # against the organization itself
    declarations: tuple[DeclarationFindings, ...]


@dataclass(frozen=True)
class Control:
    """A rule seen as a control: PASS unless an active warning or error of it exists.

    Informational findings (a Covered Model's staged rollout) are notes, not failures: they are
    counted, but they do not fail the control.
    """

    code: str
    slug: str
    severity: Severity
    summary: str
    findings: int
    suppressed: int
    failing: int = 0  # active findings at warning or error

    @property
    def status(self) -> str:
        return "FAIL" if self.failing else "PASS"


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    unknown: int


@dataclass(frozen=True)
class Summary:
    files: int
    organizations: int
    configurations: int
    eligible: Tally
    covered_models: Tally
    phi: int
    phi_not_eligible: tuple[PostureRow, ...]  # the headline risk
    phi_needs_review: tuple[PostureRow, ...]  # PHI possible, eligibility not established
    findings: tuple[tuple[Severity, int], ...]
    suppressed: int
    baselined: int
    stale_baseline: int
    controls_failed: int
    controls_passed: int

    @property
    def total_findings(self) -> int:
        return sum(count for _, count in self.findings)


@dataclass(frozen=True)
class Report:
    title: str
    version: str
    paths: tuple[str, ...]
    generated: str | None
    policy_source: str
    policy_as_of: str
    catalogue_as_of: str
    reading_guide: str
    summary: Summary
    organizations: tuple[OrganizationView, ...]
    unattached: tuple[Finding, ...]
    suppressed: tuple[SuppressedFinding, ...]
    controls: tuple[Control, ...]


# --- values --------------------------------------------------------------------------------------


def yes_no(value: bool | None) -> str:
    """A tri-state answer in words; unknown is never guessed."""
    if value is None:
        return UNKNOWN
    return "yes" if value else "no"


def phi_text(phi: str) -> str:
    """The posture row's PHI value ("true", "false", "unknown (...)") in words."""
    return {"true": "yes", "false": "no"}.get(phi, phi)


def _fact_text(fact: Fact[object]) -> str:
    if isinstance(fact.value, bool) and not fact.sensitive:
        return "yes" if fact.value else "no"
    return show_fact(fact)


def _fact(key: str, label: str, fact: Fact[object]) -> FactView:
    return FactView(
        key=key,
        label=label,
        value=_fact_text(fact),
        known=fact.known,
        explicit=fact.explicit,
        location=fact.location,
    )


def organization_facts(org: Organization) -> tuple[FactView, ...]:
    return (
        _fact("type", "Type", org.type),
        _fact("platform", "Platform", org.platform),
        _fact("baa_signed", "BAA signed", org.baa_signed),
        _fact("hipaa_ready", "HIPAA-ready", org.hipaa_ready),
        _fact("zero_data_retention", "Zero data retention", org.zero_data_retention),
    )


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 or word == 'info' else 's'}"


def severity_phrase(findings: Iterable[Finding]) -> str:
    """'1 error, 2 warnings' (only the severities present, most severe first)."""
    counts = Counter(f.severity for f in findings)
    return ", ".join(plural(counts[s], s.value) for s in SEVERITY_ORDER if counts[s])


def status_text(view: ConfigurationView) -> str:
    """The status of a configuration in words: never colour alone."""
    text = f"findings: {severity_phrase(view.findings)}" if view.findings else "ok"
    if view.suppressed:
        text += f" ({view.suppressed:,} suppressed)"
    return text


def declaration_label(row: PostureRow) -> str:
    if row.kind == "workspace":
        return f"workspace '{row.name}'"
    if row.kind == "product":
        return f"product '{row.name}'"
    return f"organization '{row.organization}'"


# --- grouping ------------------------------------------------------------------------------------


def _by_object(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.object, []).append(finding)
    return grouped


def _suppressed_by_object(suppressed: Iterable[SuppressedFinding]) -> Counter[str]:
    return Counter(s.finding.object for s in suppressed)


def _declarations(
    rows: Sequence[PostureRow], org_address: str, by_object: dict[str, list[Finding]]
) -> tuple[DeclarationFindings, ...]:
    """One entry per declaration with findings, in table order; the org's own are listed apart."""
    seen: dict[str, DeclarationFindings] = {}
    for row in rows:
        found = by_object.get(row.address, [])
        if row.address == org_address or row.address in seen or not found:
            continue
        seen[row.address] = DeclarationFindings(row.address, declaration_label(row), tuple(found))
    return tuple(seen.values())


def organization_view(
    org: Organization,
    rows: Sequence[PostureRow],
    by_object: dict[str, list[Finding]],
    suppressed: Counter[str],
) -> OrganizationView:
    configurations = tuple(
        ConfigurationView(row, tuple(by_object.get(row.address, ())), suppressed[row.address])
        for row in rows
    )
    return OrganizationView(
        name=org.shown_name,
        address=org.address,
        location=org.location,
        facts=organization_facts(org),
        configurations=configurations,
        findings=tuple(by_object.get(org.address, ())),
        declarations=_declarations(rows, org.address, by_object),
    )


def _organizations(result: Result) -> tuple[Organization, ...]:
    """Every organization once, by name: the model's, then any only a configuration knows."""
    found: dict[str, Organization] = {o.name: o for o in result.model.organizations}
    for cfg in result.configurations:
        found.setdefault(cfg.org.name, cfg.org)
    # In the order they are printed (a sensitive name sorts as it prints, not as it is).
    return tuple(sorted(found.values(), key=lambda o: (o.shown_name, o.address, o.name)))


def organization_views(result: Result, rows: Sequence[PostureRow]) -> tuple[OrganizationView, ...]:
    by_object = _by_object(result.findings)
    suppressed = _suppressed_by_object(result.suppressed)
    return tuple(
        organization_view(org, [r for r in rows if r.org_key == org.name], by_object, suppressed)
        for org in _organizations(result)
    )


def unattached_findings(
    findings: Iterable[Finding], organizations: Sequence[OrganizationView]
) -> tuple[Finding, ...]:
    """Findings against no configuration and no organization in the report."""
    known = {o.address for o in organizations}
    known.update(c.row.address for o in organizations for c in o.configurations)
    return tuple(f for f in findings if f.object not in known)


# --- summary and controls ------------------------------------------------------------------------


def tally(values: Iterable[bool | None]) -> Tally:
    counts = Counter(values)
    return Tally(yes=counts[True], no=counts[False], unknown=counts[None])


def needs_review(row: PostureRow) -> bool:
    """PHI is possible and eligibility is not established (one of them depends on unknowns)."""
    if row.phi == "true":
        return row.eligible is None
    return row.phi not in ("true", "false") and row.eligible is not True


def severity_counts(findings: Iterable[Finding]) -> tuple[tuple[Severity, int], ...]:
    counts = Counter(f.severity for f in findings)
    return tuple((severity, counts[severity]) for severity in SEVERITY_ORDER)


def controls(result: Result) -> tuple[Control, ...]:
    active = Counter(f.rule for f in result.findings)
    failing = Counter(f.rule for f in result.findings if f.severity >= Severity.WARNING)
    suppressed = Counter(s.finding.rule for s in result.suppressed)
    return tuple(
        Control(
            code=rule.code,
            slug=rule.slug,
            severity=rule.severity,
            summary=rule.summary,
            findings=active[rule.code],
            suppressed=suppressed[rule.code],
            failing=failing[rule.code],
        )
        for rule in sorted(result.rules, key=lambda r: r.code)
    )


def summary(
    result: Result,
    rows: Sequence[PostureRow],
    organizations: Sequence[OrganizationView],
    checks: Sequence[Control],
) -> Summary:
    failed = sum(1 for c in checks if c.status == "FAIL")
    return Summary(
        files=len(result.files),
        organizations=len(organizations),
        configurations=len(rows),
        eligible=tally(r.eligible for r in rows),
        covered_models=tally(r.covered_models for r in rows),
        phi=sum(1 for r in rows if r.phi == "true"),
        phi_not_eligible=tuple(r for r in rows if r.phi == "true" and r.eligible is False),
        phi_needs_review=tuple(r for r in rows if needs_review(r)),
        findings=severity_counts(result.findings),
        suppressed=len(result.suppressed),
        baselined=result.baselined,
        stale_baseline=len(result.stale_baseline),
        controls_failed=failed,
        controls_passed=len(checks) - failed,
    )


# --- the report ----------------------------------------------------------------------------------


def build_report(
    result: Result,
    paths: Sequence[str],
    version: str,
    generated: str | None = None,
    title: str = TITLE,
) -> Report:
    """The report for one lint run. ``generated`` (a date or time) is shown only when given."""
    rows = list(result.posture)
    organizations = organization_views(result, rows)
    checks = controls(result)
    return Report(
        title=title,
        version=version,
        paths=tuple(paths),
        generated=generated,
        policy_source=result.policy.source_title,
        policy_as_of=result.policy.as_of,
        catalogue_as_of=result.policy.catalogue_as_of,
        reading_guide=READING_GUIDE,
        summary=summary(result, rows, organizations, checks),
        organizations=organizations,
        unattached=unattached_findings(result.findings, organizations),
        suppressed=result.suppressed,
        controls=checks,
    )
