"""The Terraform resource types baa-lint reads, in one place (pruning, evaluation, plans, emit)."""

from __future__ import annotations

ORGANIZATION = "anthropic_organization"
WORKSPACE = "anthropic_workspace"
AGENT = "anthropic_agent"  # a Managed Agent: its model is a model expectation of its org
# Claude Platform on AWS (hashicorp/awscc): a workspace on a third-party platform, whose tags
# are a set of { key, value } objects rather than a map.
AWS_WORKSPACE = "awscc_awsexternalanthropic_workspace"

# Each workspace type, with the platform its workspaces live on (None: Anthropic's own).
WORKSPACE_PLATFORMS: dict[str, str | None] = {WORKSPACE: None, AWS_WORKSPACE: "aws-claude-platform"}
WORKSPACE_TYPES = frozenset(WORKSPACE_PLATFORMS)
MANAGED_TYPES = frozenset({ORGANIZATION, AGENT, *WORKSPACE_TYPES})
DATA_TYPES = frozenset({ORGANIZATION})
