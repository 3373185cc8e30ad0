"""`baa-lint show`: the configurations as a table or JSON, then what could not be linked."""

from __future__ import annotations

import json
from collections.abc import Sequence

from linter.core.model import Unlinked, Workspace
from linter.core.posture import PostureRow
from linter.core.version import __version__
from linter.output.tables import table


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _kind(item: Unlinked) -> str:
    return "workspace" if isinstance(item.workspace, Workspace) else "agent"


def _facts(item: Unlinked) -> bool:
    subject = item.workspace
    return not isinstance(subject, Workspace) or subject.carries_fact


def _unlinked_text(unlinked: Sequence[Unlinked]) -> str:
    """Workspaces and agents without an organization: nothing about their coverage is checked."""
    if not unlinked:
        return ""
    lines = ["", "Not linked to a declared organization, so not checked:"]
    for item in unlinked:
        subject = item.workspace
        facts = "" if _facts(item) else ", declares no compliance fact"
        lines.append(f"  {_kind(item)} '{subject.name}' ({subject.address}{facts}): {item.reason}")
    return "\n".join(lines) + "\n"


def _name(row: PostureRow) -> str:
    if not row.name:
        return "-"
    return f"{row.name} (agent)" if row.kind == "agent" else row.name


def render_text(rows: list[PostureRow], unlinked: Sequence[Unlinked] = ()) -> str:
    if not rows:
        return "No configurations found.\n" + _unlinked_text(unlinked)
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
            _name(r),
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
    return table(headers, body) + _unlinked_text(unlinked)


def render_json(rows: list[PostureRow], unlinked: Sequence[Unlinked] = ()) -> str:
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
        "unlinked": [
            {
                "kind": _kind(item),
                "name": item.workspace.name,
                "address": item.workspace.address,
                "declares_facts": _facts(item),
                "reason": item.reason,
                "path": item.workspace.location.path,
                "line": item.workspace.location.line,
                "column": item.workspace.location.column,
            }
            for item in unlinked
        ],
    }
    return json.dumps(data, indent=2) + "\n"
