"""`baa-lint show`: the configurations as a table or JSON."""

from __future__ import annotations

import json

from linter.core.posture import PostureRow
from linter.core.version import __version__
from linter.output.tables import table


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def render_text(rows: list[PostureRow]) -> str:
    if not rows:
        return "No configurations found.\n"
    headers = (
        "organization",
        "workspace/product",
        "product",
        "route",
        "retention",
        "PHI",
        "models",
        "BAA-eligible",
        "Covered Models",
        "address",
    )
    body = [
        (
            r.organization,
            r.name or "-",
            r.product,
            r.route,
            r.retention,
            r.phi,
            ",".join(r.models) or "-",
            _yes_no(r.eligible),
            _yes_no(r.covered_models),
            r.address,
        )
        for r in rows
    ]
    return table(headers, body)


def render_json(rows: list[PostureRow]) -> str:
    data = {
        "version": __version__,
        "configurations": [
            {
                "organization": r.organization,
                "kind": r.kind,
                "name": r.name,
                "address": r.address,
                "product": r.product,
                "route": r.route,
                "retention": r.retention,
                "phi": r.phi,
                "models": list(r.models),
                "baa_eligible": r.eligible,
                "covered_models": r.covered_models,
                "path": r.location.path,
                "line": r.location.line,
                "column": r.location.column,
                "link": r.link,
            }
            for r in rows
        ],
    }
    return json.dumps(data, indent=2) + "\n"
