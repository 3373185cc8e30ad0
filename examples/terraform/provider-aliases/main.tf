terraform {
  required_providers {
    anthropic = {
      source  = "anthropics/anthropic"
      version = "~> 0.3"
    }
  }
}

provider "anthropic" {
  alias       = "clinical"
  admin_key   = var.clinical_admin_key
}

provider "anthropic" {
  alias       = "engineering"
  admin_key   = var.engineering_admin_key
}

variable "clinical_admin_key" {
  type      = string
  sensitive = true
}

variable "engineering_admin_key" {
  type      = string
  sensitive = true
}

resource "anthropic_workspace" "discharge_summaries" {
  provider       = anthropic.clinical
  name           = "discharge-summaries"
  data_residency = "us"
  tags = {
    phi    = "true"
    models = "claude-fable-5"
  }
}

resource "anthropic_workspace" "coding_agents" {
  provider = anthropic.clinical
  name     = "coding-agents"
  tags = {
    products = "claude-code"
  }
}

resource "anthropic_workspace" "ehr_connectors" {
  provider = anthropic.engineering
  name     = "ehr-connectors"
  tags = {
    phi      = "true"
    products = "claude-code"
    models   = "claude-haiku-4-5,claude-fable-5"
  }
}
