resource "anthropic_workspace" "w" {
  name   = ceil(-1e400)
  models = [ceil(-1e400)]
}
