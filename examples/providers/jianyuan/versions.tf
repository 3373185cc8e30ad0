terraform {
  required_providers {
    anthropic = {
      source  = "jianyuan/anthropic"
      version = "~> 0.2"
    }
  }
}

# For this provider, api_key is the organization's Admin API key.
variable "admin_key" {
  type      = string
  sensitive = true
}

provider "anthropic" {
  api_key = var.admin_key
}
