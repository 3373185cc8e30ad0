terraform {
  required_providers {
    anthropic = {
      source = "ippontech/anthropic"
    }
  }
}

variable "name" {
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

# Which organization this lands in is decided by the caller's providers map.
resource "anthropic_workspace" "this" {
  name = var.name

  tags = {
    phi    = tostring(var.phi)
    models = join(",", var.models)
  }
}

output "id" {
  value = anthropic_workspace.this.id
}
