# The organization behind each admin key: a reference, not a second organization.
data "anthropic_organization" "care" {
  provider = anthropic.care
}

data "anthropic_organization" "lab" {
  provider = anthropic.lab
}

# --- harbor-care: HIPAA-ready API ----------------------------------------------------------

resource "anthropic_workspace" "referrals" {
  provider = anthropic.care
  name     = "referrals"

  data_residency = {
    workspace_geo          = "us"
    default_inference_geo  = "us"
    allowed_inference_geos = ["us"]
  }

  tags = {
    phi    = "true"
    models = "claude-fable-5"
    team   = "care-coordination"
  }
}

# No tags: nothing about this workspace can be checked (BAA018, a note).
resource "anthropic_workspace" "playground" {
  provider = anthropic.care
  name     = "playground"
}

# Claude Code through a HIPAA-ready API organization is not an Eligible Service (BAA005).
resource "anthropic_workspace" "dev_tools" {
  provider = anthropic.care
  name     = "dev-tools"

  tags = {
    products = "claude-code"
  }
}

resource "anthropic_agent" "triage" {
  provider = anthropic.care
  name     = "intake-triage"
  model    = "claude-sonnet-4-6"
  system   = "Sort each referral into the right clinic's queue."
}

# --- harbor-lab: regular API with zero data retention ----------------------------------------

resource "anthropic_workspace" "assay_notes" {
  provider = anthropic.lab
  name     = "assay-notes"

  tags = {
    phi    = "true"
    models = "claude-haiku-4-5"
  }
}

# A standard-retention carve-out of the ZDR organization: it may reach Covered Models, but
# it is outside the BAA, so PHI must stay out (BAA006).
resource "anthropic_workspace" "model_evals" {
  provider = anthropic.lab
  name     = "model-evals"

  tags = {
    data_retention = "standard"
    models         = "claude-fable-5"
    phi            = "true"
  }
}

# An agent's model is expected by the organization behind its provider: ZDR here (BAA001).
resource "anthropic_agent" "summarizer" {
  provider = anthropic.lab
  name     = "paper-summarizer"
  model    = "claude-fable-5"
}

# --- one module, both organizations ---------------------------------------------------------

module "imaging_care" {
  source = "./modules/team-workspace"
  providers = {
    anthropic = anthropic.care
  }

  name   = "imaging-care"
  phi    = true
  models = ["claude-fable-5"]
}

module "imaging_lab" {
  source = "./modules/team-workspace"
  providers = {
    anthropic = anthropic.lab
  }

  name   = "imaging-lab"
  models = ["claude-fable-5"]
}

output "care_org_id" {
  value = data.anthropic_organization.care.id
}
