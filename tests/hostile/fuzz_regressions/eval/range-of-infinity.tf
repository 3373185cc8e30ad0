resource "anthropic_workspace" "w" {
  name   = range(1e400, 0, -1e308)
  models = [range(1e400, 0, -1e308)]
}
