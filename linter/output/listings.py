"""`baa-lint rules`, `explain` and `matrix`: rule metadata and policy data as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from linter.output.tables import table
from linter.result import Policy, Rule


def rules_text(rules: Sequence[Rule]) -> str:
    rows = [(r.code, r.slug, r.severity.value, r.summary) for r in rules]
    return table(("code", "name", "severity", "summary"), rows)


def rules_json(rules: Sequence[Rule]) -> str:
    data = [
        {
            "code": r.code,
            "name": r.slug,
            "severity": r.severity.value,
            "summary": r.summary,
            "suppressible": r.suppressible,
            "explanation": r.explanation,
            "url": r.doc_url,
        }
        for r in rules
    ]
    return json.dumps(data, indent=2) + "\n"


def explanation(rule: Rule) -> str:
    header = f"{rule.code} {rule.slug} [{rule.severity.value}]"
    body = rule.explanation.rstrip("\n")
    return f"{header}\n\n{rule.summary}.\n\n{body}\n\nDocumentation: {rule.doc_url}\n"


def matrix_json(policy: Policy) -> str:
    data = {
        "as_of": policy.as_of,
        "source": policy.source_title,
        "rows": [
            {
                "product": r.product,
                "route": r.route,
                "hipaa_ready": r.hipaa_ready,
                "retention": r.retention,
                "eligible": r.eligible,
                "covered_models": r.covered,
            }
            for r in policy.rows
        ],
    }
    return json.dumps(data, indent=2) + "\n"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def matrix_text(policy: Policy) -> str:
    rows = []
    for r in policy.rows:
        route = r.route + (" (HIPAA-ready plan)" if r.hipaa_ready else "")
        rows.append(
            (policy.product_name(r.product), route, r.retention, _yes(r.eligible), _yes(r.covered))
        )
    headers = ("product", "access route", "retention", "BAA-eligible", "Covered Models")
    return (
        f'Source: "{policy.source_title}" (as of {policy.as_of})\n\n'
        + table(headers, rows)
        + "\nEligibility also needs a signed BAA; services bought through a third-party cloud "
        f"({', '.join(policy.third_party_platforms)}) are outside Anthropic's BAA.\n"
    )
