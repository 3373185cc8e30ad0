environment = "prod"
retention   = "inherit"
models      = ["claude-sonnet-4-5"]
