"""The posture report as one self-contained HTML file.

Inline CSS only: no external assets and no JavaScript. Tables are semantic (caption, ``th
scope``); every status is written in words next to its colour; print rules keep it readable
without backgrounds, keep table rows whole and show the content of ``<details>`` on paper.
Every user string passes through :func:`esc`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from linter.core.findings import Evidence, Finding, Severity, SuppressedFinding
from linter.core.posture import PostureRow
from linter.core.printable import printable
from linter.core.shipped import shipped_text
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

# The stylesheet ships beside this module; the block starts on a line of its own.
STYLE = "\n" + shipped_text("output/report/style.css")


def esc(text: str) -> str:
    """HTML-escape a user string (quotes too, so it is safe in attributes); control characters
    other than newlines (whitespace in HTML) are shown as escapes, for a report on a terminal."""
    return html.escape(printable(text, keep="\n"), quote=True)


def _code(text: str) -> str:
    return f"<code>{esc(text)}</code>"


def _nowrap(text: str) -> str:
    """Short enumerated values (api, hipaa-ready-api, zdr) read badly when broken at hyphens."""
    return f'<span class="nw">{esc(text)}</span>' if len(text) <= 20 else esc(text)


def _badge(kind: str, text: str) -> str:
    """A status in words, coloured by ``kind``; short ones never wrap ("\u2713 PASS")."""
    wrap = " wrap" if len(text) > 16 else ""
    return f'<span class="badge {kind}{wrap}">{esc(text)}</span>'


# --- answers in words and colour ---------------------------------------------------------------


def eligible_badge(value: bool | None) -> str:
    if value is None:
        return _badge("unknown", f"? {yes_no(value)}")
    # "no" is not a problem by itself (no PHI, no risk): red is kept for the PHI badge.
    return _badge("ok", "\u2713 yes") if value else _badge("neutral", "\u2717 no")


def access_badge(value: bool | None) -> str:
    """Covered-Model access: neither answer is a risk in itself, so both stay neutral."""
    if value is None:
        return _badge("unknown", f"? {yes_no(value)}")
    return _badge("neutral", yes_no(value))


SYMBOLS = {Severity.ERROR: "\u2717", Severity.WARNING: "!", Severity.INFO: "i"}


def status_badge(view: ConfigurationView) -> str:
    text = status_text(view)
    if view.worst is None:
        badge = _badge("ok", f"\u2713 {text}")
    else:
        badge = _badge(view.worst.value, f"{SYMBOLS[view.worst]} {text}")
    if view.phi_not_eligible:
        badge += " " + _badge("bad", "\u26a0 PHI without BAA coverage")
    return badge


def severity_badge(severity: Severity) -> str:
    return _badge(severity.value, severity.value)


def control_badge(control: Control) -> str:
    if control.status == "FAIL":
        return _badge("bad", "\u2717 FAIL")
    return _badge("ok", "\u2713 PASS")


# --- tables ------------------------------------------------------------------------------------


def table(
    caption: str, headers: Sequence[str], rows: Iterable[str], css: str = "", numeric: int = 0
) -> str:
    """A table with a caption and column headers; ``rows`` are ready ``<tr>`` elements."""
    cells = []
    for index, header in enumerate(headers):
        num = ' class="num"' if index >= len(headers) - numeric else ""
        cells.append(f'<th scope="col"{num}>{esc(header)}</th>')
    head = f"<thead><tr>{''.join(cells)}</tr></thead>"
    body = "\n".join(rows)
    attrs = f' class="{css}"' if css else ""
    return (
        f"<table{attrs}>\n<caption>{esc(caption)}</caption>\n{head}\n"
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


def row(header: str, cells: Sequence[str], css: str = "", numeric: int = 0) -> str:
    """A ``<tr>`` whose first cell is a row header; cells must already be HTML."""
    tds = []
    for index, cell in enumerate(cells):
        num = ' class="num"' if index >= len(cells) - numeric else ""
        tds.append(f"<td{num}>{cell}</td>")
    attrs = f' class="{css}"' if css else ""
    return f'<tr{attrs}><th scope="row">{header}</th>{"".join(tds)}</tr>'


# --- header and summary ------------------------------------------------------------------------


def meta(report: Report) -> str:
    items = [
        ("Paths linted", ", ".join(_code(p) for p in report.paths)),
        ("baa-lint version", esc(report.version)),
        ("Policy source", f"{esc(report.policy_source)} (as of {esc(report.policy_as_of)})"),
        ("Model catalogue as of", esc(report.catalogue_as_of)),
    ]
    if report.generated:
        items.append(("Generated", esc(report.generated)))
    body = "".join(f"<dt>{esc(term)}</dt><dd>{value}</dd>" for term, value in items)
    return f'<dl class="meta">{body}</dl>'


def header(report: Report) -> str:
    guide = (
        '<section class="guide" aria-labelledby="guide">'
        '<h2 id="guide">How to read this report</h2>'
        f"<p>{esc(report.reading_guide)}</p></section>"
    )
    return f"<header>\n<h1>{esc(report.title)}</h1>\n{meta(report)}\n{guide}\n</header>"


def _row_name(posture_row: PostureRow) -> str:
    org, name = posture_row.organization, posture_row.name
    label = f"{org} / {name}" if name else org
    return f"{esc(label)} ({esc(posture_row.product)}) {_code(posture_row.address)}"


def _row_list(rows: Sequence[PostureRow]) -> str:
    return "<ul>" + "".join(f"<li>{_row_name(r)}</li>" for r in rows) + "</ul>"


def headline(summary: Summary) -> str:
    risky = summary.phi_not_eligible
    if risky:
        verb = "carries PHI but is" if len(risky) == 1 else "carry PHI but are"
        text = f"Headline risk: {plural(len(risky), 'configuration')} {verb} not BAA-eligible."
        parts = [
            f'<div class="callout risk" role="note"><p><strong>\u26a0 {esc(text)}</strong></p>'
        ]
        parts.append(_row_list(risky) + "</div>")
    else:
        text = "No configuration is known to carry PHI outside BAA coverage."
        parts = [f'<div class="callout clear" role="note"><p>\u2713 {esc(text)}</p></div>']
    review = summary.phi_needs_review
    if review:
        text = (
            f"Needs review: {plural(len(review), 'configuration')} may carry PHI while "
            "eligibility depends on unresolved values."
        )
        parts.append(
            f'<div class="callout review" role="note"><p><strong>? {esc(text)}</strong></p>'
            f"{_row_list(review)}</div>"
        )
    return "\n".join(parts)


def _tile(count: int, label: str, alert: bool) -> str:
    css = ' class="alert"' if alert and count else ""
    return f'<li{css}><span class="n">{count:,}</span> <span class="l">{esc(label)}</span></li>'


def tiles(summary: Summary) -> str:
    items = [
        (summary.configurations, "configurations", False),
        (summary.eligible.yes, "BAA-eligible", False),
        (summary.eligible.no, "not BAA-eligible", False),
        (summary.eligible.unknown, "eligibility unknown", False),
        (summary.covered_models.yes, "can reach Covered Models", False),
        (len(summary.phi_not_eligible), "carry PHI but are not BAA-eligible", True),
        (summary.total_findings, "active findings", False),
        (summary.suppressed, "suppressed findings", False),
    ]
    body = "".join(_tile(count, label, alert) for count, label, alert in items)
    return f'<ul class="tiles" aria-label="Headline numbers">{body}</ul>'


def _count_table(caption: str, items: Sequence[tuple[str, int]]) -> str:
    rows = (row(esc(label), [f"{count:,}"], numeric=1) for label, count in items)
    return table(caption, ("Measure", "Count"), rows, css="counts", numeric=1)


def posture_counts(summary: Summary) -> list[tuple[str, int]]:
    return [
        ("Organizations", summary.organizations),
        ("Configurations", summary.configurations),
        ("BAA-eligible", summary.eligible.yes),
        ("Not BAA-eligible", summary.eligible.no),
        ("Eligibility unknown (depends on unresolved values)", summary.eligible.unknown),
        ("Can reach Covered Models", summary.covered_models.yes),
        ("Cannot reach Covered Models", summary.covered_models.no),
        ("Covered-Model access unknown", summary.covered_models.unknown),
        ("Carry PHI", summary.phi),
        ("Carry PHI but are not BAA-eligible", len(summary.phi_not_eligible)),
        ("May carry PHI, eligibility not established", len(summary.phi_needs_review)),
    ]


def finding_counts(summary: Summary) -> list[tuple[str, int]]:
    return [
        *((f"Findings: {severity.value}", count) for severity, count in summary.findings),
        ("Suppressed (listed below with their justification)", summary.suppressed),
        ("Baselined (accepted earlier, not shown)", summary.baselined),
        ("Stale baseline entries", summary.stale_baseline),
        ("Controls passed", summary.controls_passed),
        ("Controls failed", summary.controls_failed),
        ("Files read", summary.files),
    ]


def summary_tables(summary: Summary) -> str:
    return (
        '<div class="pair">\n'
        + _count_table("Configurations", posture_counts(summary))
        + "\n"
        + _count_table("Findings and controls", finding_counts(summary))
        + "\n</div>"
    )


def summary_part(report: Report) -> str:
    summary = report.summary
    parts = [headline(summary), tiles(summary), summary_tables(summary)]
    return '<section id="summary">\n<h2>Summary</h2>\n' + "\n".join(parts) + "\n</section>"


def toc(organizations: Sequence[OrganizationView]) -> str:
    links = "".join(
        f'<li><a href="#org-{index}">{esc(org.name)}</a></li>'
        for index, org in enumerate(organizations, 1)
    )
    extra = (
        '<li><a href="#unattached">Findings not tied to a configuration</a></li>'
        '<li><a href="#suppressed">Suppressed findings</a></li>'
        '<li><a href="#controls">Controls</a></li>'
    )
    return f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ul>{links}{extra}</ul></nav>'


# --- findings ----------------------------------------------------------------------------------


def evidence_list(items: Sequence[Evidence]) -> str:
    lines = "".join(f"<li>{_code(str(e.location))} {esc(e.fact)}</li>" for e in items)
    return f"<details open><summary>Evidence ({len(items)})</summary><ul>{lines}</ul></details>"


def finding_block(finding: Finding) -> str:
    parts = [
        f'<article class="finding {finding.severity.value}">',
        f'<p class="head">{severity_badge(finding.severity)} {_code(finding.rule)} '
        f"{esc(finding.name)}</p>",
        f'<p class="msg">{esc(finding.message)}</p>',
        f'<p class="where">Location: {_code(str(finding.location))}</p>',
    ]
    if finding.evidence:
        parts.append(evidence_list(finding.evidence))
    if finding.fix:
        parts.append(f'<p class="fix"><strong>Fix:</strong> {esc(finding.fix)}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def findings_section(title: str, findings: Sequence[Finding]) -> str:
    blocks = "\n".join(finding_block(f) for f in findings)
    return f'<section class="findings">\n<h4>{title}</h4>\n{blocks}\n</section>'


# --- organizations -----------------------------------------------------------------------------


def _fact_value(fact: FactView) -> str:
    value = esc(fact.value)
    if not fact.known:
        return _badge("unknown", f"? {fact.value}")
    return value if fact.explicit else f'{value} <span class="none">(default)</span>'


def facts_table(org: OrganizationView) -> str:
    rows = (row(esc(f.label), [_fact_value(f), _code(str(f.location))]) for f in org.facts)
    return table(
        f"Facts of organization {org.name}", ("Fact", "Value", "Set at"), rows, css="facts"
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


def configuration_row(view: ConfigurationView) -> str:
    r = view.row
    name = f'{esc(r.name or "-")}<span class="addr">{_code(r.address)}</span>'
    cells = [
        _nowrap(r.product),
        _nowrap(r.route),
        _nowrap(r.retention),
        _nowrap(phi_text(r.phi)),
        "<br>".join(_nowrap(m) for m in r.models) or "-",
        eligible_badge(r.eligible),
        access_badge(r.covered_models),
        status_badge(view),
    ]
    return row(name, cells, css="risk" if view.phi_not_eligible else "")


def configurations_table(org: OrganizationView) -> str:
    rows = (configuration_row(c) for c in org.configurations)
    caption = f"Configurations of organization {org.name}"
    return table(caption, CONFIGURATION_HEADERS, rows, css="configs")


def organization_part(org: OrganizationView, index: int) -> str:
    parts = [
        f'<section class="org" id="org-{index}" aria-labelledby="org-{index}-h">',
        '<div class="org-head">',
        f'<h3 id="org-{index}-h">Organization {esc(org.name)}</h3>',
        f'<p class="declared">Declared at {_code(str(org.location))} as {_code(org.address)}</p>',
        facts_table(org),
        "</div>",
        configurations_table(org),
    ]
    if org.findings:
        parts.append(
            findings_section(f"Findings against organization {esc(org.name)}", org.findings)
        )
    for item in org.declarations:
        title = f"Findings against {esc(item.label)} {_code(item.address)}"
        parts.append(findings_section(title, item.findings))
    parts.append("</section>")
    return "\n".join(parts)


def organizations_part(organizations: Sequence[OrganizationView]) -> str:
    if not organizations:
        body = '<p class="none">No organizations were declared in these paths.</p>'
    else:
        body = "\n".join(organization_part(o, i) for i, o in enumerate(organizations, 1))
    return f'<section id="organizations">\n<h2>Organizations</h2>\n{body}\n</section>'


# --- the rest ----------------------------------------------------------------------------------


def unattached_part(findings: Sequence[Finding]) -> str:
    if findings:
        intro = (
            "<p>Parse and schema errors, suppression problems and workspaces that cannot be "
            "linked to an organization. Declarations behind these findings may be missing from "
            "the tables above.</p>"
        )
        body = intro + "\n" + "\n".join(finding_block(f) for f in findings)
    else:
        body = '<p class="none">None.</p>'
    return (
        '<section id="unattached">\n<h2>Findings not tied to a configuration</h2>\n'
        f"{body}\n</section>"
    )


def suppressed_row(item: SuppressedFinding) -> str:
    finding = item.finding
    justification = (
        esc(item.justification) if item.justification else _badge("bad", "no justification given")
    )
    cells = [
        _code(str(finding.location)),
        esc(finding.message),
        justification,
        _code(str(item.directive)),
    ]
    return row(f"{_code(finding.rule)} {esc(finding.name)}", cells)


def suppressed_part(suppressed: Sequence[SuppressedFinding]) -> str:
    if suppressed:
        headers = ("Rule", "Location", "Finding", "Justification", "Directive")
        body = table(
            "Audit trail: each suppressed finding with its justification",
            headers,
            (suppressed_row(s) for s in suppressed),
        )
    else:
        body = '<p class="none">None.</p>'
    return f'<section id="suppressed">\n<h2>Suppressed findings</h2>\n{body}\n</section>'


def control_row(control: Control) -> str:
    cells = [
        esc(control.summary),
        esc(control.severity.value),
        control_badge(control),
        f"{control.findings:,}",
        f"{control.suppressed:,}",
    ]
    return row(f"{_code(control.code)} {esc(control.slug)}", cells, numeric=2)


def controls_part(controls: Sequence[Control]) -> str:
    intro = (
        "<p>Each rule is a control: it fails when at least one active finding of it remains.</p>"
    )
    headers = ("Rule", "Control", "Severity", "Status", "Findings", "Suppressed")
    body = table("Controls (one per rule)", headers, (control_row(c) for c in controls), numeric=2)
    return f'<section id="controls">\n<h2>Controls</h2>\n{intro}\n{body}\n</section>'


def render(report: Report) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="baa-lint {esc(report.version)}">',
        f"<title>{esc(report.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        header(report),
        "<main>",
        summary_part(report),
        toc(report.organizations),
        organizations_part(report.organizations),
        unattached_part(report.unattached),
        suppressed_part(report.suppressed),
        controls_part(report.controls),
        "</main>",
        f"<footer>Generated by baa-lint {esc(report.version)} from the declarations in the "
        "linted paths; it does not read the live settings of any organization.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
