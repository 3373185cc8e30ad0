# One module instance per team, driven by a map in locals.
resource "anthropic_organization" "platform" {
  name                = "helix-platform"
  baa_signed          = true
  zero_data_retention = true
}

locals {
  teams = {
    radiology = {
      phi    = true
      models = ["claude-haiku-4-5"]
    }
    oncology = {
      phi    = true
      models = ["claude-fable-5"]
    }
    tooling = {
      phi      = false
      models   = ["claude-fable-5"]
      products = ["claude-code"]
    }
  }
}

module "team" {
  source   = "./modules/team"
  for_each = local.teams

  team            = each.key
  organization_id = anthropic_organization.platform.id
  phi             = each.value.phi
  models          = each.value.models
  products        = lookup(each.value, "products", ["api"])
}
