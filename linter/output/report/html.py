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

STYLE = """
:root {
  --ink: #1f2933; --muted: #52606d; --line: #d3dce6; --soft: #f5f7fa; --accent: #243b53;
  --ok: #1e6b3a; --ok-bg: #e6f4ea; --bad: #9b1c1c; --bad-bg: #fdecec;
  --warn: #7a4f00; --warn-bg: #fff4d6; --info: #1d4e89; --info-bg: #e8f0fb;
}
* { box-sizing: border-box; }
html { color: var(--ink); background: #fff; }
body {
  margin: 0 auto; padding: 2rem 2.5rem 4rem; max-width: 1240px;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
h1, h2, h3, h4 { color: var(--accent); line-height: 1.25; margin: 1.6em 0 .5em; }
h1 { font-size: 1.8rem; margin-top: 0; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.15rem; }
h4 { font-size: 1rem; }
code {
  font: .86em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
  overflow-wrap: break-word;
}
.addr code, td code { overflow-wrap: anywhere; }
a { color: var(--accent); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.guide { border-left: 4px solid var(--line); padding: .1rem 0 .1rem 1rem; color: var(--ink); }
.guide h2 { border: 0; font-size: 1rem; margin: 0 0 .25rem; }
.guide p { margin: 0; max-width: 75ch; }
.callout { border: 1px solid var(--line); border-left-width: 6px; padding: .75rem 1rem;
  margin: 1rem 0; border-radius: 4px; }
.callout p { margin: 0 0 .3rem; }
.callout ul { margin: .3rem 0 0; padding-left: 1.2rem; }
.callout.risk { border-color: var(--bad); background: var(--bad-bg); }
.callout.review { border-color: var(--warn); background: var(--warn-bg); }
.callout.clear { border-color: var(--ok); background: var(--ok-bg); }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: .75rem;
  margin: 1rem 0; padding: 0; list-style: none; }
.tiles li { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.tiles .n { display: block; font-size: 1.6rem; font-weight: 600; color: var(--accent); }
.tiles .l { color: var(--muted); font-size: .88rem; }
.tiles li.alert { border-color: var(--bad); border-width: 2px; }
.tiles li.alert .n { color: var(--bad); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.25rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; color: var(--muted); padding: 0 0 .35rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--soft); color: var(--accent); }
tbody th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.facts { width: auto; min-width: 50%; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5rem; align-items: start; }
table.counts tbody th { font-weight: 400; }
table.configs { table-layout: fixed; }
table.configs td, table.configs th { overflow-wrap: break-word; }
table.configs th:nth-child(1) { width: 18%; }
table.configs th:nth-child(2) { width: 8.5%; }
table.configs th:nth-child(3) { width: 12.5%; }
table.configs th:nth-child(4) { width: 10.5%; }
table.configs th:nth-child(5) { width: 5.5%; }
table.configs th:nth-child(6) { width: 12%; }
table.configs th:nth-child(7), table.configs th:nth-child(8) { width: 9.5%; }
.nw { white-space: nowrap; }
@media screen and (max-width: 760px) { .pair, .tiles { grid-template-columns: 1fr 1fr; } }
tr.risk > th:first-child { box-shadow: inset 5px 0 0 var(--bad); }
.addr { display: block; font-weight: 400; color: var(--muted); }
.badge { display: inline-block; max-width: 100%; padding: 0 .4rem; border-radius: 3px;
  border: 1px solid; font-weight: 600; font-size: .85em; margin: 0 0 .15rem; white-space: nowrap; }
.badge.wrap { white-space: normal; }
.badge.ok { color: var(--ok); background: var(--ok-bg); }
.badge.bad, .badge.error { color: var(--bad); background: var(--bad-bg); }
.badge.warning, .badge.unknown { color: var(--warn); background: var(--warn-bg); }
.badge.info { color: var(--info); background: var(--info-bg); }
.badge.neutral { color: var(--muted); background: var(--soft); }
.org { margin-top: 2.25rem; }
.declared { color: var(--muted); margin: 0 0 .5rem; }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 4px;
  padding: .6rem .9rem; margin: 0 0 .75rem; }
.finding.error { border-left-color: var(--bad); }
.finding.warning { border-left-color: var(--warn); }
.finding.info { border-left-color: var(--info); }
.finding .head { margin: 0; }
.finding .msg { margin: .3rem 0; }
.finding .where, .finding .fix { margin: .3rem 0 0; }
.finding ul { margin: .2rem 0 0; padding-left: 1.2rem; }
details summary { cursor: pointer; color: var(--muted); }
.none { color: var(--muted); }
nav.toc ul { columns: 2; padding-left: 1.2rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem;
  border-top: 1px solid var(--line); padding-top: .5rem; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  html, body { background: none; }
  body { max-width: none; padding: 0; font-size: 9pt; color: #000; }
  h1, h2, h3, h4 { color: #000; break-after: avoid; }
  table { font-size: 8pt; }
  table.configs { font-size: 7.5pt; }
  table.configs th, table.configs td { padding: .2rem .3rem; }
  table.configs th:nth-child(1) { width: 16%; }
  table.configs th:nth-child(2) { width: 8.5%; }
  table.configs th:nth-child(3) { width: 12%; }
  table.configs th:nth-child(4) { width: 10%; }
  table.configs th:nth-child(5) { width: 5%; }
  table.configs th:nth-child(6) { width: 11%; }
  table.configs th:nth-child(7), table.configs th:nth-child(8) { width: 11.5%; }
  .badge { padding: 0 .2rem; }
  .nw { white-space: normal; }
  .tiles { gap: .4rem; margin: .5rem 0; }
  .tiles li { padding: .25rem .5rem; }
  .tiles .n { font-size: 13pt; display: inline; color: #000; }
  .guide { border-left-color: #888; }
  thead { display: table-header-group; }
  tr, .finding, .tiles li, .callout, .org-head, table.counts { break-inside: avoid; }
  caption { break-after: avoid; }
  thead th { background: none; border-bottom: 2px solid #000; }
  th, td { border-color: #888; }
  .badge, .callout, .tiles li { background: none !important; }
  .badge { border-width: 1px; }
  .callout.risk, .tiles li.alert { border-width: 2px; border-style: solid; }
  tr.risk > th:first-child { box-shadow: none; border-left: 4px solid #000; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { list-style: none; color: #000; }
  details > summary::-webkit-details-marker { display: none; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""


def esc(text: str) -> str:
    """HTML-escape a user string (quotes too, so it is safe in attributes)."""
    return html.escape(text, quote=True)


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
