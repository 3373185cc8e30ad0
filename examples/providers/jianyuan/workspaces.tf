# A jianyuan workspace has only a name; its facts are in organizations.yaml under that name.

resource "anthropic_workspace" "prior_auth" {
  name = "prior-auth"
}

resource "anthropic_workspace" "chart_summaries" {
  name = "chart-summaries"
}

resource "anthropic_workspace" "outcomes" {
  name = "outcomes"
}

resource "anthropic_workspace" "code_assist" {
  name = "code-assist"
}

# No YAML entry of this name: nothing about it can be checked (BAA018, a note).
resource "anthropic_workspace" "newsletter" {
  name = "newsletter"
}

resource "anthropic_workspace_member" "prior_auth_lead" {
  workspace_id   = anthropic_workspace.prior_auth.id
  user_id        = "user_01EXAMPLEUSER00000000042"
  workspace_role = "workspace_developer"
}
