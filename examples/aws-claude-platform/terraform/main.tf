# Claude Platform on AWS workspaces, managed with the awscc provider.
terraform {
  required_providers {
    awscc = {
      source  = "hashicorp/awscc"
      version = ">= 1.92.0"
    }
  }
}

provider "awscc" {
  region = "us-east-1"
}

locals {
  # Facts shared by the analytics workspaces, turned into awscc's { key, value } tags below.
  analytics = {
    models = "claude-fable-5 claude-haiku-4-5" # AWS tag values take no commas
    team   = "analytics"
  }
}

# Prior-authorization assistant: PHI through a service bought on AWS Marketplace.
resource "awscc_awsexternalanthropic_workspace" "prior_auth" {
  name = "prior-auth-assistant"

  tags = [
    { key = "phi", value = "true" },
    { key = "models", value = "claude-haiku-4-5" },
  ]
}

# Clean neighbour: a Covered Model on standard retention, no PHI.
resource "awscc_awsexternalanthropic_workspace" "analytics" {
  name = "population-analytics"

  data_residency = {
    workspace_geo          = "us"
    default_inference_geo  = "us"
    allowed_inference_geos = ["us"]
  }

  tags = [for key, value in local.analytics : { key = key, value = value }]
}

# No compliance fact at all: nothing to check.
resource "awscc_awsexternalanthropic_workspace" "sandbox" {
  name = "sandbox"

  tags = [
    { key = "cost-center", value = "cc-4410" },
  ]
}

output "prior_auth_workspace_id" {
  value = awscc_awsexternalanthropic_workspace.prior_auth.workspace_id
}
