variable "environment" {
  type = string
}

variable "retention" {
  type    = string
  default = "inherit"
}

variable "models" {
  type = list(string)
}

resource "anthropic_organization" "this" {
  name                = "helix-${var.environment}"
  baa_signed          = true
  zero_data_retention = true
}

resource "anthropic_workspace" "summaries" {
  name            = "summaries-${var.environment}"
  organization_id = anthropic_organization.this.id
  data_retention  = var.retention
  tags = {
    phi    = "true"
    models = join(",", var.models)
  }
}
