terraform {
  required_version = ">= 1.5"

  required_providers {
    anthropic = {
      source  = "ippontech/anthropic"
      version = "~> 1.45"
    }
  }
}

# One provider block per Anthropic organization, each with that organization's own keys.
# Nothing here says whether an organization is HIPAA-ready or has zero data retention: no
# provider has an attribute for it, so organizations.yaml declares it, keyed by alias.

variable "care_admin_key" {
  type      = string
  sensitive = true
}

variable "care_api_key" {
  type      = string
  sensitive = true
}

variable "lab_admin_key" {
  type      = string
  sensitive = true
}

variable "lab_api_key" {
  type      = string
  sensitive = true
}

provider "anthropic" {
  alias         = "care"
  admin_api_key = var.care_admin_key
  api_key       = var.care_api_key
}

provider "anthropic" {
  alias         = "lab"
  admin_api_key = var.lab_admin_key
  api_key       = var.lab_api_key
}
