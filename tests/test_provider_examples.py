"""The community providers' own example shapes, linted as a new user would (SPEC §3.2).

tests/fixtures/providers/ holds files written to the layout and resource shapes of the
ippontech and jianyuan providers' examples/ folders. With no organization declared nothing can
be checked, so nothing may fail: no crash, no parse or schema error, no finding at or above
warning; every workspace and agent is listed as a BAA018 note.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from linter.core.findings import Severity

from .conftest import lint_here, working_directory

PROVIDERS = Path(__file__).parent / "fixtures" / "providers"


@pytest.mark.parametrize("shape", ["ippontech-examples", "jianyuan-examples"])
def test_provider_examples_lint_clean(shape: str, tmp_path: Path) -> None:
    shutil.copytree(PROVIDERS / shape, tmp_path / shape)
    with working_directory(tmp_path):
        result = lint_here([shape])
    failing = [f for f in result.findings if f.severity.rank >= Severity.WARNING.rank]
    assert failing == []
    assert {f.rule for f in result.findings} == {"BAA018"}
    assert result.model.organizations == ()  # data "anthropic_organization" is a reference
    workspaces = sorted(u.workspace.name for u in result.model.unlinked)
    expected = {
        "ippontech-examples": [
            "Bare Agent",
            "Builder Agent",
            "Connected Agent",
            "Helpdesk Agent",
            "Sample Workspace",
            "Sample Workspace EU",
            "Sample Workspace Tagged",
            "Team Workspace",
        ],
        "jianyuan-examples": ["Default Team", "Sample Workspace", "Squad Workspace"],
    }
    assert workspaces == expected[shape]
    assert len(result.findings) == len(workspaces)


def test_provider_examples_with_an_organization_declared(tmp_path: Path) -> None:
    """The same files beside one declared organization: every workspace and agent links to it
    (the only organization), and the agents' models are checked: a ZDR organization blocks
    none of them, since none is a Covered Model."""
    shutil.copytree(PROVIDERS / "ippontech-examples", tmp_path / "infra")
    (tmp_path / "infra" / "org.yaml").write_text(
        "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nbaa_signed: true\n"
        "zero_data_retention: true\n"
    )
    with working_directory(tmp_path):
        result = lint_here(["infra"])
    assert [f.rule for f in result.findings if f.rule != "BAA018"] == []
    assert result.model.unlinked == ()
    assert sorted(a.name for a in result.model.agents) == [
        "Bare Agent",
        "Builder Agent",
        "Connected Agent",
        "Helpdesk Agent",
    ]
