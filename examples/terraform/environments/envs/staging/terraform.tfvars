environment = "staging"
retention   = "inherit"
models      = ["claude-fable-5"]
