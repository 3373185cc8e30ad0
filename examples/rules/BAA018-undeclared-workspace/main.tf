# BAA018: a workspace that declares no compliance fact. With jianyuan/anthropic a workspace has
# only a name; "discharge-notes" gets its facts from organization.yaml, "scratchpad" has none.
resource "anthropic_workspace" "discharge_notes" {
  name = "discharge-notes"
}

resource "anthropic_workspace" "scratchpad" {
  name = "scratchpad"
}
