variable "environment" {
  type = string
}

variable "retention" {
  type = string
}

variable "models" {
  type = list(string)
}

module "workspaces" {
  source      = "../../modules/workspaces"
  environment = var.environment
  retention   = var.retention
  models      = var.models
}
