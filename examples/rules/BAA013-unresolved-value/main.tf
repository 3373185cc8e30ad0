# BAA013: the workspace's retention comes from a variable with no value in this repository.
# With ZDR the Covered Model it expects would fail (BAA001); baa-lint never guesses, so it says
# which unknown decides it.
variable "retention" {
  type        = string
  description = "Set by the deploy pipeline"
}

resource "anthropic_organization" "main" {
  name       = "acme-clinical"
  baa_signed = true
}

resource "anthropic_workspace" "research" {
  name           = "research"
  data_retention = var.retention
  tags = {
    models = "claude-fable-5"
  }
}
