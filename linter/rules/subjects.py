"""The subjects rules are run over, beside configurations: views that hold only what rules read."""

from __future__ import annotations

from dataclasses import dataclass

from linter.core.model import Fact, Organization, Workspace


@dataclass(frozen=True)
class WorkspaceRetention:
    shown_name: str  # the name as it may be printed: rules only print it
    data_retention: Fact[str]
    exists: Fact[bool]


@dataclass(frozen=True)
class OrgView:
    """An organization with its workspaces' retention: the subject of organization rules.

    It holds only the facts organization rules read, so unknowns elsewhere in the workspaces do
    not multiply the worlds the engine has to try.
    """

    org: Organization
    workspaces: tuple[WorkspaceRetention, ...]

    @classmethod
    def of(cls, org: Organization, workspaces: tuple[Workspace, ...]) -> OrgView:
        views = (WorkspaceRetention(w.shown_name, w.data_retention, w.exists) for w in workspaces)
        return cls(org, tuple(views))
