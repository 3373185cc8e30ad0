variable "team" {
  type = string
}

variable "organization_id" {
  type = string
}

variable "phi" {
  type    = bool
  default = false
}

variable "models" {
  type    = list(string)
  default = []
}

variable "products" {
  type    = list(string)
  default = ["api"]
}

resource "anthropic_workspace" "this" {
  name            = "team-${var.team}"
  organization_id = var.organization_id
  phi             = var.phi
  models          = var.models
  products        = var.products
}
