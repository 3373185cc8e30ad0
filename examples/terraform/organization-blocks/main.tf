# Organizations declared as anthropic_organization blocks; workspaces reference them.
resource "anthropic_organization" "research" {
  name                = "helix-research"
  baa_signed          = true
  zero_data_retention = true
}

data "anthropic_organization" "clinical" {
  name        = "helix-clinical"
  baa_signed  = true
  hipaa_ready = true
}

resource "anthropic_workspace" "cohorts" {
  name            = "cohorts"
  organization_id = anthropic_organization.research.id
  phi             = true
  models          = ["claude-sonnet-4-5"]
}

resource "anthropic_workspace" "frontier_evals" {
  name            = "frontier-evals"
  organization_id = anthropic_organization.research.id
  data_retention  = "standard"
  phi             = true
  models          = ["claude-fable-5"]
}

resource "anthropic_workspace" "prior_auth" {
  name            = "prior-auth"
  organization_id = data.anthropic_organization.clinical.id
  phi             = true
  models          = ["claude-fable-5"]
}
